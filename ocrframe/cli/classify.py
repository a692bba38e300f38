"""``ocrframe classify``: recognise images into a documents frame (and a fields frame).

Every argument is checked before the first image is read or a backend is asked; exit
status 0 done, 1 nothing recognised (every image failed), 2 a bad argument.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .exits import EXIT_NOTHING_RECOGNISED, EXIT_USAGE

__all__ = ["register", "expand_inputs", "IMAGE_SUFFIXES", "FRAME_SUFFIXES"]

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".pdf", ".ofd")
#: what :func:`ocrframe.persist.save_frame` writes, checked before a run starts
FRAME_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json")


def _check_out(path: str | None, flag: str) -> None:
    """Refuse an output file name before the run, not after it."""
    if path is None:
        return
    p = Path(path)
    if p.suffix.lower() not in FRAME_SUFFIXES:
        raise ValueError(f"{flag} {path!r}: use a {', '.join(FRAME_SUFFIXES)} file name")
    if not p.parent.exists() and str(p.parent) not in ("", "."):
        raise ValueError(f"{flag} {path!r}: the folder {p.parent} does not exist")


def expand_inputs(items: Sequence[str]) -> list[str]:
    """Files as given, folders expanded to their images (recursively, sorted), URLs kept.

    A path that does not exist is kept: it becomes an error row, never silently dropped.
    """
    out: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(item)
    return out


def _summary(docs: pd.DataFrame) -> str:
    stats = docs.attrs.get("ocrframe", {})
    found = docs[docs["doc"].notna()]
    lines = [
        f"images: {stats.get('images', '?')}   documents: {len(found)}   "
        f"failed images: {stats.get('failed_images', '?')}   requests: {stats.get('requests', '?')}   "
        f"from store: {stats.get('cached', '?')}   billable documents: {stats.get('billable_documents', '?')}   "
        f"seconds: {stats.get('seconds', 0):.1f}",
    ]
    transport = stats.get("transport") or {}
    if transport:
        lines.append("transport: " + ", ".join(f"{k} {v}" for k, v in transport.items() if v and k != "errors"))
    if len(found):
        counts = found["type"].value_counts()
        lines.append("by type: " + ", ".join(f"{t} {n}" for t, n in counts[counts > 0].items()))
    lines.append("by status: " + ", ".join(f"{s} {n}" for s, n in docs["status"].value_counts().items()))
    view = docs.reset_index(drop=True).assign(
        fields=docs["content"].map(lambda c: sum(1 for k in c if k != "confidence")).to_numpy())
    cols = [c for c in ("path", "doc", "type", "status", "fields") if c in view.columns]
    with pd.option_context("display.max_rows", 60, "display.width", 160, "display.max_colwidth", 60):
        lines.append(view[cols].to_string())
    return "\n".join(lines)


def register(sub) -> Callable:
    """Add ``classify`` to an ``argparse`` subparsers object; return its runner."""
    from ..backends import BACKEND_SPECS

    p = sub.add_parser("classify", help="recognise images into a documents frame",
                       description="Recognise every image and write the documents frame.",
                       epilog="exit status: 0 done, 1 nothing recognised (every image failed), 2 a bad argument "
                              "(checked before any work starts)")
    p.add_argument("inputs", nargs="+", help="image files, folders (searched recursively) or URLs")
    p.add_argument("--backend", default="local", help="; ".join(BACKEND_SPECS))
    p.add_argument("--out", help="write the documents frame (.parquet, .csv or .jsonl)")
    p.add_argument("--fields-out", help="write the fields frame (.parquet, .csv or .jsonl)")
    p.add_argument("--store", help="SQLite response store: resumable, never asks twice for an image")
    p.add_argument("--workers", type=int, help="images in flight at once")
    p.add_argument("--type-list", help="comma-separated document types to recognise")
    p.add_argument("--detect-seal", action="store_true", help="report seal_mark per document")
    p.add_argument("--pdf-page", type=int, help="page of PDF inputs to read")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")

    def run(args) -> int:
        from .. import accessor  # noqa: F401
        from ..backends import resolve_backend
        from ..contract import RequestOptions
        from ..persist import save_frame

        # every argument is checked before the first image is read or a backend is asked
        _check_out(args.out, "--out")
        _check_out(args.fields_out, "--fields-out")
        if args.workers is not None and args.workers < 1:
            raise ValueError(f"--workers must be at least 1, got {args.workers}")
        type_list = [t.strip() for t in args.type_list.split(",") if t.strip()] if args.type_list else None
        RequestOptions(type_list=type_list, pdf_page_number=args.pdf_page)  # ValueError naming the bad value
        missing = [x for x in args.inputs if not x.lower().startswith(("http://", "https://")) and not Path(x).exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing[:5])}"
                                    + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""))
        if args.store and Path(args.store).exists() and not Path(args.store).is_file():
            raise ValueError(f"--store {args.store!r} is not a file")
        paths = expand_inputs(args.inputs)
        if not paths:
            print(f"no images found in {' '.join(args.inputs)} (looked for {', '.join(IMAGE_SUFFIXES)})",
                  file=sys.stderr)
            return EXIT_USAGE
        backend = resolve_backend(args.backend)
        df = pd.DataFrame({"path": paths})
        docs = df.ocr.classify(
            col="path", backend=backend, store=args.store, workers=args.workers, type_list=type_list,
            detect_seal=True if args.detect_seal else None, pdf_page_number=args.pdf_page,
            progress=False if args.no_progress else None, ignore_index=True)
        text = _summary(docs)
        print(text.splitlines()[0] if args.quiet else text)
        if args.out:
            print(f"documents frame -> {save_frame(docs, args.out)}")
        if args.fields_out:
            print(f"fields frame -> {save_frame(docs.ocr.fields(), args.fields_out)}")
        stats = docs.attrs.get("ocrframe", {})
        images, failed = stats.get("images", len(paths)), stats.get("failed_images", 0)
        if images and failed >= images:
            print(f"nothing was recognised: all {images} image(s) failed (see the status column)", file=sys.stderr)
            return EXIT_NOTHING_RECOGNISED
        return 0

    return run
