"""``ocrframe synth``: generate labelled synthetic scenes (images + labels.jsonl).

The generator parses its own arguments (:func:`ocrframe.datasets.synth.main`), so this
subcommand passes everything after ``synth`` through untouched: ``prefix_chars="\\0"``
keeps argparse from reading ``--n`` and ``-h`` as options of its own (issue 17, item 6:
the parser moves here once the generator's rework has landed).
"""

from __future__ import annotations

import argparse
from typing import Callable

__all__ = ["register"]


def register(sub) -> Callable:
    """Add ``synth`` to an ``argparse`` subparsers object; return its runner."""
    p = sub.add_parser("synth", help="generate labelled synthetic scenes (images + labels.jsonl)",
                       add_help=False, prefix_chars="\0")
    p.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args) -> int:
        from ..datasets.synth import main as synth_main

        return synth_main(args.rest) or 0

    return run
