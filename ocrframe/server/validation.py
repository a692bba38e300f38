"""Request validation on the server: the body read within its limit, then the contract's
parsing (:func:`ocrframe.contract.parse_request`) and image checks.

=====================================================  ========  =====
fault                                                  code      HTTP
=====================================================  ========  =====
body not JSON / not an object / wrong JSON types       AIS.0101  400
both or neither of ``image`` / ``url``; empty value    AIS.0101  400
``type_list`` entry not a supported type                AIS.0101  400
``url`` not http(s), refused or not downloadable       AIS.0101  400
``image`` not base64                                   AIS.0102  400
file not JPEG/PNG/BMP/TIFF/PDF/OFD; unreadable header  AIS.0102  400
base64 over 10 MB; sides outside [15, 8000] px         AIS.0103  400
body over ``max_body_bytes`` (Content-Length or read)  AIS.0103  413
=====================================================  ========  =====
"""

from __future__ import annotations

from typing import AsyncIterator

from ..contract import Limits, ParsedRequest, check_image, decode_base64, parse_request
from ..errors import ApiError
from ..types import Status

__all__ = ["ParsedRequest", "read_body", "parse_body", "decode_image", "check_file", "BodyTooLarge",
           "check_content_length"]


class BodyTooLarge(ApiError):
    """The request body is over the server's limit (answered 413)."""

    def __init__(self, limit: int, seen: int | None = None, declared: int | None = None):
        what = (f"Content-Length {declared} bytes" if declared is not None
                else f"more than {seen} bytes received")
        super().__init__(Status.IMAGE_SIZE.code,
                         f"The image size does not meet the requirements: request body too large "
                         f"({what}); the limit is {limit} bytes (base64 at most 10 MB).",
                         http_status=413)
        self.declared = declared


def check_content_length(value: str | None, limit: int) -> int | None:
    """The declared body length, refused at once when over ``limit`` (or malformed)."""
    if value is None:
        return None
    if not value.strip().isdigit():
        raise ApiError.of(Status.INVALID_PARAMETER,
                          f"The input parameter is invalid: Content-Length {value[:40]!r} is not a number.")
    n = int(value)
    if n > limit:
        raise BodyTooLarge(limit, declared=n)
    return n


async def read_body(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """Read a body chunk by chunk, giving up as soon as it exceeds ``limit`` bytes.

    The caller has already refused a ``Content-Length`` over the limit; this also catches
    chunked bodies and bodies longer than they declared. Nothing past ``limit`` is kept.
    """
    buf = bytearray()
    async for chunk in chunks:
        if not chunk:
            continue
        if len(buf) + len(chunk) > limit:
            raise BodyTooLarge(limit, seen=limit)
        buf += chunk
    return bytes(buf)


async def drain(chunks: AsyncIterator[bytes], limit: int) -> int:
    """Read and drop up to ``limit`` more bytes of a body (so the client, still sending, can
    read the answer instead of a reset); returns the bytes dropped."""
    n = 0
    async for chunk in chunks:
        n += len(chunk)
        if n > limit:
            break
    return n


def parse_body(body: bytes, *, max_base64_bytes: int) -> ParsedRequest:
    """:func:`ocrframe.contract.parse_request` (kept under the server's name)."""
    return parse_request(body, max_base64_bytes=max_base64_bytes)


def decode_image(b64: bytes, *, limits: Limits) -> bytes:
    """base64 -> file bytes, checked: ``AIS.0102`` not base64 / unsupported format /
    unreadable header, ``AIS.0103`` out of the size limits."""
    data = decode_base64(b64)
    check_image(data, "the image", limits)
    return data


def check_file(data: bytes, *, limits: Limits) -> str:
    """The file's format name, or :class:`ApiError` (``AIS.0101`` empty, ``0102``, ``0103``)."""
    return check_image(data, "the image", limits).format.value
