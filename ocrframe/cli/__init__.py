"""The ``ocrframe`` command line: a thin layer over the same functions as the Python API.

One module per subcommand (:mod:`.classify`, :mod:`.evaluate`, :mod:`.synth`,
:mod:`.serve`, :mod:`.store`); each has ``register(subparsers)``, which adds its parser and
returns the function to run, and is listed in :data:`COMMANDS`. Exit codes
(:mod:`.exits`): 0 done; 1 ``classify`` recognised nothing (every image failed); 2 a bad
argument, found before any work starts.

``ocrframe ...`` (the console script) and ``python -m ocrframe.cli ...`` are the same.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from ..errors import ApiError
from . import classify, evaluate, serve, store, synth
from .classify import FRAME_SUFFIXES, IMAGE_SUFFIXES, expand_inputs
from .exits import EXIT_NOTHING_RECOGNISED, EXIT_USAGE

__all__ = ["main", "expand_inputs", "IMAGE_SUFFIXES", "FRAME_SUFFIXES", "COMMANDS"]

#: each subcommand's ``register``, in the order ``ocrframe --help`` lists them
COMMANDS: list[Callable] = [classify.register, store.register, evaluate.register, synth.register, serve.register]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ocrframe`` command."""
    parser = argparse.ArgumentParser(prog="ocrframe", description="Multi-document OCR native to pandas.")
    sub = parser.add_subparsers(dest="command", required=True)
    runners = {}
    for register in COMMANDS:
        before = set(sub.choices)
        run = register(sub)
        for name in set(sub.choices) - before:  # a command and its aliases
            runners[name] = run
    args = parser.parse_args(argv)
    try:
        return runners[args.command](args)
    except (ValueError, FileNotFoundError, ImportError, TypeError) as e:
        print(f"ocrframe {args.command}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ApiError as e:  # credentials refused: the run stopped before recognising anything more
        print(f"ocrframe {args.command}: {e}", file=sys.stderr)
        return EXIT_NOTHING_RECOGNISED
