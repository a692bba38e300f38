"""Clear the outputs of the notebooks before committing: ``python notebooks/strip.py [FILES]``.

Without arguments, every ``notebooks/*.ipynb``. Exit status 1 with ``--check`` when a
notebook has outputs or execution counts (what ``tests/test_notebooks_clean.py`` asserts).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def dirty(nb) -> bool:
    """Whether any code cell has outputs or an execution count."""
    return any(c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
               for c in nb.cells)


def strip(nb) -> None:
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
        c.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = [Path(a) for a in argv if a != "--check"] or sorted(HERE.glob("*.ipynb"))
    bad = []
    for f in files:
        nb = nbformat.read(f, as_version=4)
        if not dirty(nb):
            continue
        bad.append(f)
        if not check:
            strip(nb)
            nbformat.write(nb, f)
    for f in bad:
        print(f"{f}: {'has outputs' if check else 'stripped'}")
    return 1 if (check and bad) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
