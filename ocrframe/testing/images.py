"""Small encoded images for tests: a PNG of a given size and colour, a GIF (a format the
contract refuses), and base64 as the request body wants it.

Examples
--------
>>> from ocrframe.contract import check_image
>>> info = check_image(png(64, 48))
>>> info.format.value, info.width, b64(b"ab")
('png', 64, 'YWI=')
"""

from __future__ import annotations

import base64
import io

__all__ = ["png", "gif", "b64"]


def png(w: int = 64, h: int = 48, color=(255, 255, 255)) -> bytes:
    """A ``w`` x ``h`` PNG of one colour."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "PNG")
    return buf.getvalue()


def gif() -> bytes:
    """A 32 x 32 GIF (not a format of the contract)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32)).save(buf, "GIF")
    return buf.getvalue()


def b64(data: bytes) -> str:
    """``data`` in base64, as text."""
    return base64.b64encode(data).decode("ascii")
