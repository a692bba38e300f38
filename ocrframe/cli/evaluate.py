"""``ocrframe evaluate`` (alias ``eval``): judge saved predictions against labels, write a report.

The parser and its readers still live in :mod:`ocrframe.evaluate.cli` (issue 17, items 3
and 6: they move here, and the readers to the I/O module, once the evaluate package's own
rework has landed); this module is the subcommand's place in the command line.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["register"]


def register(sub) -> Callable:
    """Add ``evaluate`` / ``eval`` to an ``argparse`` subparsers object; return its runner."""
    from ..evaluate.cli import register as register_evaluate

    return register_evaluate(sub)
