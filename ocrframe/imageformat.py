"""What kind of file a byte string holds, from its first bytes; no decoding, no dependencies.

Shared by the clients (checked before spending a request), the local engine and the
server, so every part of ocrframe names a format the same way.

Examples
--------
>>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff_format(b"%PDF-1.7"), sniff_format(b"GIF89a")
('png', 'pdf', 'gif')
>>> sniff_format(b"hello") is None
True
>>> base64_length(3), base64_length(4)
(4, 8)
"""

from __future__ import annotations

__all__ = ["sniff_format", "base64_length"]


def sniff_format(data: bytes) -> str | None:
    """``jpeg``, ``png``, ``bmp``, ``tiff``, ``pdf``, ``ofd`` (a zip container), or a known
    unsupported kind (``gif``, ``webp``); None when the bytes are none of these."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "ofd"
    return None


def base64_length(n: int) -> int:
    """Length of the base64 text of ``n`` bytes (what the service's 10 MB limit counts)."""
    return 4 * ((n + 2) // 3)
