"""Deprecated: the readers are :func:`ocrframe.io.read_documents` and
:func:`ocrframe.io.read_answers_jsonl` now, the subcommand :mod:`ocrframe.cli.evaluate`
(``ocrframe evaluate``); re-exported here for one more release.
"""

from __future__ import annotations

import sys

from ..cli.evaluate import register
from ..io.documents import read_answers_jsonl, read_documents

__all__ = ["read_answers_jsonl", "read_documents", "register", "main"]


def main(argv=None) -> int:  # pragma: no cover - deprecated: python -m ocrframe.cli evaluate
    """``ocrframe evaluate ...`` (use :func:`ocrframe.cli.main` with ``["evaluate", ...]``)."""
    from ..cli import main as cli_main

    return cli_main(["evaluate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
