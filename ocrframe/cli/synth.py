"""``ocrframe synth``: generate labelled synthetic scenes (images + labels.jsonl).

    ocrframe synth --n 200 --seed 7 --out DIR [--preset realistic] [--hard 0.2] ...

Every option maps to an argument of :func:`ocrframe.datasets.synth.generate`
(:func:`generate_arguments`); the run prints ``{"images", "documents", "out"}`` as JSON.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable

from .exits import EXIT_OK

__all__ = ["register", "run", "generate_arguments"]


def register(sub) -> Callable:
    """Add ``synth`` to an ``argparse`` subparsers object; return its runner."""
    from ..datasets.synth import LAYOUT_SPLITS, PRESETS, SceneKind

    p = sub.add_parser("synth", help="generate labelled synthetic scenes (images + labels.jsonl)",
                       description="Render labelled synthetic document scenes.")
    p.add_argument("--n", type=int, default=200, help="number of images (default 200)")
    p.add_argument("--seed", type=int, default=0, help="random seed; same seed, same bytes (default 0)")
    p.add_argument("--out", required=True, help="output folder (images/ and labels.jsonl)")
    p.add_argument("--types", default=None,
                   help="comma-separated types, or 'all' for the 20 with the newer API's (default: the 17 original)")
    p.add_argument("--min-docs", type=int, default=1)
    p.add_argument("--max-docs", type=int, default=4)
    p.add_argument("--negatives", type=float, default=0.05, help="share of images without documents")
    p.add_argument("--size", type=int, default=1600, help="longest side in pixels (default 1600)")
    p.add_argument("--preset", choices=sorted(PRESETS), default="default",
                   help="named options; 'realistic' mixes every scene kind (default: desk photos)")
    p.add_argument("--scene-kinds", default=None, metavar="KIND[:WEIGHT],...",
                   help=f"scene kinds to draw from, e.g. packed,fullframe:2; of {', '.join(k.value for k in SceneKind)}")
    p.add_argument("--hard", type=float, nargs="?", const=1.0, default=0.0, metavar="SHARE",
                   help="stronger tilt, perspective, blur, noise, low light; alone: every scene, "
                        "with a number: that share of scenes")
    p.add_argument("--quality", default=None, metavar="LO,HI", help="JPEG quality range (default 75,95)")
    p.add_argument("--noise", type=float, default=None, help="maximum sensor-noise sigma (default 3)")
    p.add_argument("--layouts", choices=LAYOUT_SPLITS, default="all",
                   help="layout variants to draw: all, only those tuned on, or only the held-out ones "
                        "(default all; heldout alone: the types that have held-out variants)")
    p.add_argument("--print-defects", type=float, default=None, metavar="SCALE",
                   help="how often misregistered, dot-matrix and faded print show, as a multiple of "
                        "each layout's rates (default 1; 0: clean print)")
    p.add_argument("--workers", type=int, default=1, help="processes (output does not depend on it)")
    p.add_argument("--contact-sheet", action="store_true", help="also write contact_sheet.jpg")
    return run


def generate_arguments(args) -> dict[str, Any]:
    """The keyword arguments of :func:`~ocrframe.datasets.synth.generate` that the parsed
    options ask for (``n``, ``seed``, ``out_dir`` and the scene options)."""
    extra: dict[str, Any] = {}
    if args.quality:
        lo, hi = (int(v) for v in args.quality.split(","))
        extra["jpeg_quality"] = (lo, hi)
    if args.noise is not None:
        extra["noise"] = args.noise
    if args.print_defects is not None:
        extra["print_defects"] = args.print_defects
    if args.scene_kinds:
        extra["scene_kinds"] = args.scene_kinds
    return dict(n=args.n, seed=args.seed, out_dir=args.out, types=args.types.split(",") if args.types else None,
                min_docs=args.min_docs, max_docs=args.max_docs, negative_rate=args.negatives, hard=args.hard,
                workers=args.workers, size=args.size, layouts=args.layouts, preset=args.preset, **extra)


def run(args) -> int:
    """Run ``ocrframe synth`` with parsed arguments; the exit status."""
    from ..datasets.synth import generate

    records = generate(**generate_arguments(args))
    if args.contact_sheet:
        from ..datasets.synth.sheet import contact_sheet

        contact_sheet(os.path.join(args.out, "labels.jsonl"), os.path.join(args.out, "contact_sheet.jpg"))
    docs = sum(len(r["result"]) for r in records)
    print(json.dumps({"images": len(records), "documents": docs, "out": os.fspath(args.out)}))
    return EXIT_OK
