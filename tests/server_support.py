"""Shared helpers of the server tests (images, signed requests)."""

from __future__ import annotations

import base64
import io

from PIL import Image


def png(w: int = 64, h: int = 48, color=(255, 255, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "PNG")
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def gif() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32)).save(buf, "GIF")
    return buf.getvalue()


V2 = "/v2/p1/ocr/auto-classification"
V1 = "/v1.0/ocr/auto-classification"
