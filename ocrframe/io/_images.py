"""Image sizes for the formats that need them (COCO, Label Studio), read from the file header."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["image_size"]


def image_size(path: Any) -> tuple[int, int] | None:
    """``(width, height)`` of an image file from its header, or None when it cannot be read.

    Examples
    --------
    >>> image_size("no/such/file.jpg") is None
    True
    """
    if path is None or not isinstance(path, (str, os.PathLike)) or not os.path.isfile(path):
        return None
    try:
        from PIL import Image

        with Image.open(path) as im:  # lazy: only the header is read
            return int(im.width), int(im.height)
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the caller
        return None
