"""The images a run reads: files as given, folders expanded to the images inside them.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> for name in ("b.jpg", "a.png", "notes.txt"):
...     open(os.path.join(d, name), "wb").close()
>>> [os.path.basename(p) for p in expand_inputs([d, "missing.jpg", "https://x/y.jpg"])]
['a.png', 'b.jpg', 'missing.jpg', 'y.jpg']
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

__all__ = ["expand_inputs", "IMAGE_SUFFIXES"]

#: the file name endings of the images (and documents) a folder is searched for
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".pdf", ".ofd")


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
