"""``ocrframe evaluate`` (alias ``eval``): judge saved predictions against labels, write a report.

    ocrframe evaluate docs.parquet labels.jsonl --report report.html
    ocrframe eval --pred docs.parquet --truth labels.jsonl --report report.html

``--pred`` is a documents frame saved by ``ocrframe classify --out`` / ``df.ocr.to_parquet``
(``.parquet``) or answers as JSONL; ``--truth`` is labels JSONL, one image per line:
``{"image": ..., "result": [{type, location, content}, ...]}`` (a documents frame in
``.parquet`` works too), read with :func:`ocrframe.io.read_labels` (image
paths relative to the labels file). Predictions in JSONL are the contract's saved answers
(:func:`ocrframe.contract.parse_saved_answer`: ``ocrframe store export`` and Replay files,
``{"image": ..., "response"|"error": {...}}``, or a flat ``result`` / ``error_code``
line); ``image`` becomes the ``path`` column. With ``--on path`` (the default) both sides'
paths are made absolute before matching (by :func:`ocrframe.evaluate`, as in Python).

Exit status: 0 done; 1 the two sides share no image (nothing to score); 2 a bad
argument or file.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

__all__ = ["read_answers_jsonl", "read_documents", "register"]


def read_answers_jsonl(path: str | Path, *, labels: bool = False, key: str = "path") -> pd.DataFrame:
    """A documents frame from JSONL answers or labels (one image per line).

    Raises ``ValueError`` naming the line of a malformed record.
    """
    from ..contract import parse_saved_answer
    from ..frames import documents_frame
    from ..response import parse_answer

    images, answers = [], []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path} line {n}: malformed JSON ({e.msg})") from None
            if labels:
                if not isinstance(rec, dict) or "image" not in rec:
                    raise ValueError(f"{path} line {n}: expected an object with 'image'")
                body = {k: v for k, v in rec.get("response", rec).items() if k != "image"}
                images.append(rec["image"])
                answers.append(parse_answer(body, path=f"line {n}", labels=True))
                continue
            saved = parse_saved_answer(rec, f"line {n}")  # the contract's saved-answers shapes
            images.append(saved.image)
            answers.append(parse_answer(saved.body, path=f"line {n}"))
    return documents_frame(pd.DataFrame({key: images}), answers, ignore_index=True)


def read_documents(path: str | Path, *, labels: bool = False) -> pd.DataFrame:
    """A documents frame from ``.parquet`` (as saved by ocrframe) or ``.jsonl``."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if p.suffix.lower() == ".parquet" or p.is_dir():
        from ..persist import read_parquet

        return read_parquet(p).reset_index(drop=True)
    if p.suffix.lower() in (".jsonl", ".json"):
        if labels:
            try:
                from ..io.labels import read_labels
            except ImportError:  # pragma: no cover - datasets not installed
                read_labels = None
            if read_labels is not None:
                # image paths resolved against the labels file's folder
                return read_labels(p, check_images=False)
        return read_answers_jsonl(p, labels=labels)
    raise ValueError(f"{path}: expected a .parquet documents frame or a .jsonl file")


def register(sub) -> Callable:
    """Add the ``eval`` subcommand to an ``argparse`` subparsers object; return its runner."""
    p = sub.add_parser("evaluate", aliases=["eval"], help="evaluate predictions against labels and write a report",
                       description="Match predicted to true documents, score detection, types and fields, "
                                   "tune thresholds and write an HTML or Markdown report.")
    p.add_argument("pred_pos", nargs="?", metavar="PRED", help="predictions (same as --pred)")
    p.add_argument("truth_pos", nargs="?", metavar="TRUTH", help="labels (same as --truth)")
    p.add_argument("--pred", help="predictions: documents frame (.parquet) or answers (.jsonl)")
    p.add_argument("--truth", help="labels (.jsonl) or a documents frame (.parquet)")
    p.add_argument("--report", help="write the report here (.html self-contained, or .md)")
    p.add_argument("--on", default="path", help="image key column shared by both (default: path)")
    p.add_argument("--iou", type=float, default=0.5, help="IoU threshold of a document match (default 0.5)")
    p.add_argument("--by-type", action="store_true", help="only documents of the same type may match")
    p.add_argument("--target-precision", type=float, default=0.99,
                   help="precision the confidence thresholds must reach (default 0.99)")
    p.add_argument("--fields-out", help="also write the field table (.parquet, .csv or .jsonl)")

    def run(args) -> int:
        from . import evaluate
        from .matching import NoCommonImagesError

        pred_path, truth_path = args.pred or args.pred_pos, args.truth or args.truth_pos
        if not pred_path or not truth_path:
            raise ValueError("give the predictions and the labels: ocrframe evaluate PRED TRUTH [--report report.html]")
        pred = read_documents(pred_path)
        truth = read_documents(truth_path, labels=True)
        for frame, src in ((pred, pred_path), (truth, truth_path)):  # the report's provenance
            frame.attrs["ocrframe"] = {**(frame.attrs.get("ocrframe") or {}), "source": str(Path(src).resolve())}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                ev = evaluate(pred, truth, on=args.on, iou=args.iou, by_type=args.by_type)
            except NoCommonImagesError as e:
                print(f"ocrframe evaluate: {e}", file=sys.stderr)
                return 1
        for w in caught:
            print(f"ocrframe evaluate: warning: {w.message}", file=sys.stderr)
        s = ev.summary(target_precision=args.target_precision)
        width = max(len(str(k)) for k in s.index)
        for k, v in s.items():
            print(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
        with pd.option_context("display.width", 160, "display.max_rows", 80, "display.precision", 3):
            print()
            print(ev.per_type.to_string())
        if len(ev.failed_images):
            print(f"failed or missing images: {len(ev.failed_images)} (their documents count as missed)")
        if args.report:
            print(f"report -> {ev.report(args.report, target_precision=args.target_precision)}")
        if args.fields_out:
            from ..persist import save_frame

            print(f"field table -> {save_frame(ev.fields, args.fields_out)}")
        return 0

    return run


def main(argv=None) -> int:  # pragma: no cover - convenience: python -m ocrframe.evaluate.cli
    import argparse

    parser = argparse.ArgumentParser(prog="ocrframe")
    sub = parser.add_subparsers(dest="command", required=True)
    run = register(sub)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (ValueError, FileNotFoundError, ImportError) as e:
        print(f"ocrframe eval: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
