"""``ocrframe store``: inspect a response store, or export it as a Replay JSONL file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pandas as pd

from .exits import EXIT_USAGE

__all__ = ["register"]


def register(sub) -> Callable:
    """Add ``store`` to an ``argparse`` subparsers object; return its runner."""
    p = sub.add_parser("store", help="inspect or export a response store")
    p.add_argument("action", choices=("info", "export"))
    p.add_argument("store", help="the SQLite store file")
    p.add_argument("out", nargs="?", help="export: the JSONL file to write (a Replay file)")
    p.add_argument("--backend", help="export only this backend identity")

    def run(args) -> int:
        from ..store import ResponseStore

        if not Path(args.store).is_file():
            print(f"{args.store}: no such store file", file=sys.stderr)
            return EXIT_USAGE
        with ResponseStore(args.store) as store:
            if args.action == "info":
                by = pd.DataFrame(list(store.records()))
                print(f"{args.store}: {len(store)} answers")
                if len(by):
                    print(by.groupby(["backend", "is_error"]).size().rename("answers").to_string())
                return 0
            if not args.out:
                print("store export needs an output file: ocrframe store export STORE OUT.jsonl", file=sys.stderr)
                return EXIT_USAGE
            n = store.export_jsonl(args.out, backend=args.backend)
            print(f"{n} answers -> {args.out} (use with --backend replay:{args.out})")
            return 0

    return run
