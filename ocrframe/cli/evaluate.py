"""``ocrframe evaluate`` (alias ``eval``): judge saved predictions against labels, write a report.

    ocrframe evaluate docs.parquet labels.jsonl --report report.html
    ocrframe eval --pred docs.parquet --truth labels.jsonl --report report.html

``--pred`` is a documents frame saved by ``ocrframe classify --out`` / ``df.ocr.to_parquet``
(``.parquet``) or answers as JSONL; ``--truth`` is labels JSONL, one image per line:
``{"image": ..., "result": [{type, location, content}, ...]}`` (a documents frame in
``.parquet`` works too). Both are read by :func:`ocrframe.io.read_documents`. With
``--on path`` (the default) both sides' paths are made absolute before matching (by
:func:`ocrframe.evaluate`, as in Python).

Exit status: 0 done; 1 the two sides share no image (nothing to score); 2 a bad
argument or file.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

from .exits import EXIT_NO_COMMON_IMAGES, EXIT_OK

__all__ = ["register", "run"]


def register(sub) -> Callable:
    """Add ``evaluate`` / ``eval`` to an ``argparse`` subparsers object; return its runner."""
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
    return run


def run(args) -> int:
    """Run ``ocrframe evaluate`` with parsed arguments; the exit status."""
    from ..evaluation import NoCommonImagesError, evaluate
    from ..io.documents import read_documents

    pred_path, truth_path = args.pred or args.pred_pos, args.truth or args.truth_pos
    if not pred_path or not truth_path:
        raise ValueError("give the predictions and the labels: ocrframe evaluate PRED TRUTH [--report report.html]")
    pred = read_documents(pred_path)
    truth = read_documents(truth_path, truth=True)
    for frame, src in ((pred, pred_path), (truth, truth_path)):  # the report's provenance
        frame.attrs["ocrframe"] = {**(frame.attrs.get("ocrframe") or {}), "source": str(Path(src).resolve())}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            ev = evaluate(pred, truth, on=args.on, iou=args.iou, by_type=args.by_type)
        except NoCommonImagesError as e:
            print(f"ocrframe evaluate: {e}", file=sys.stderr)
            return EXIT_NO_COMMON_IMAGES
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

        print(f"field table -> {save_frame(ev.field_table, args.fields_out)}")
    return EXIT_OK
