"""Image checks read from the file header, never by decoding: the format sniffed from the
first bytes, the pixel size from Pillow's parser and ocrframe's own header readers
(PNG ``IHDR``, JPEG ``SOFn``, BMP DIB header, TIFF first IFD), the limits applied."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from ..errors import ApiError
from ..types import Status
from .limits import RASTER_FORMATS, ImageFormat, Limits

#: kinds of file the service refuses, named in the error
_OTHER_KINDS = {"gif": "GIF", "webp": "WEBP", "jp2": "JPEG 2000", "zip": "ZIP (not OFD)", "heic": "HEIC"}


def sniff_format(data: bytes) -> str | None:
    """The kind of file from its first bytes: ``jpeg``, ``png``, ``bmp``, ``tiff``, ``pdf``,
    ``ofd`` (a ZIP container holding ``OFD.xml``), a known unsupported kind (``gif``,
    ``webp``, ``jp2``, ``zip``, ``heic``), or None. Nothing is decoded.

    Examples
    --------
    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff_format(b"%PDF-1.7"), sniff_format(b"GIF89a")
    ('png', 'pdf', 'gif')
    >>> sniff_format(b"hello") is None
    True
    """
    head = bytes(data[:16])
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if b"%PDF-" in bytes(data[:1024]):
        return "pdf"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\x00\x00\x00\x0cjP  ") or head.startswith(b"\xff\x4f\xff\x51"):
        return "jp2"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "ofd" if _is_ofd(data) else "zip"
    return None


def _is_ofd(data: bytes) -> bool:
    """A ZIP whose entries include ``OFD.xml`` (GB/T 33190's entry point); only the
    central directory is read, nothing is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.lower().lstrip("/") == "ofd.xml" for n in z.namelist()[:10_000])
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
        return False


def base64_length(n: int) -> int:
    """Length of the base64 text of ``n`` bytes (what the 10 MB limit counts).

    Examples
    --------
    >>> base64_length(3), base64_length(4)
    (4, 8)
    """
    return 4 * ((n + 2) // 3)


# -- pixel sizes from headers ------------------------------------------------------------

_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})
_TIFF_TYPES = {3: ("H", 2), 4: ("I", 4), 16: ("Q", 8)}  # SHORT, LONG, LONG8


def _png_size(data: bytes) -> tuple[int, int] | None:
    # IHDR is the first chunk (PNG spec 5.6; libpng refuses anything else)
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            return None  # garbage between segments: libjpeg would warn; we cannot be sure
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        if i + 2 > n:
            return None
        length = struct.unpack(">H", data[i:i + 2])[0]
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            if i + 7 > n:
                return None
            h, w = struct.unpack(">HH", data[i + 3:i + 7])
            return (w, h) if h else None  # height 0: defined later by DNL, not readable here
        i += length
    return None


def _bmp_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 26:
        return None
    dib = struct.unpack("<I", data[14:18])[0]
    if dib == 12:  # BITMAPCOREHEADER
        return struct.unpack("<HH", data[18:22])
    if dib < 40 or len(data) < 26:
        return None
    w, h = struct.unpack("<ii", data[18:26])
    return (w, abs(h)) if w > 0 and h not in (0, -2**31) else None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 8:
        return None
    e = "<" if data[:2] == b"II" else ">"
    magic = struct.unpack(e + "H", data[2:4])[0]
    try:
        if magic == 42:
            off = struct.unpack(e + "I", data[4:8])[0]
            count_fmt, entry_size, value_at = "H", 12, 8
            count = struct.unpack(e + count_fmt, data[off:off + 2])[0]
            first = off + 2
        elif magic == 43:  # BigTIFF
            off = struct.unpack(e + "Q", data[8:16])[0]
            entry_size, value_at = 20, 12
            count = struct.unpack(e + "Q", data[off:off + 8])[0]
            first = off + 8
        else:
            return None
        found: dict[int, int] = {}
        for k in range(min(count, 4096)):
            at = first + k * entry_size
            tag, typ = struct.unpack(e + "HH", data[at:at + 4])
            if tag in (256, 257) and typ in _TIFF_TYPES:
                code, size = _TIFF_TYPES[typ]
                found[tag] = struct.unpack(e + code, data[at + value_at:at + value_at + size])[0]
        if 256 in found and 257 in found:
            return found[256], found[257]
    except struct.error:
        return None
    return None


_HEADER_READERS = {"png": _png_size, "jpeg": _jpeg_size, "bmp": _bmp_size, "tiff": _tiff_size}


def _pillow_size(data: bytes) -> tuple[int, int] | None:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is in every extra that decodes
        return None
    try:
        with Image.open(io.BytesIO(data)) as im:  # parses the header only
            return im.size
    except Image.DecompressionBombError:
        return None  # our own reader gives the real figure
    except Exception:  # a header Pillow cannot read: our reader decides
        return None


def header_size(data: bytes, fmt: str | None = None) -> tuple[int, int] | None:
    """``(width, height)`` of a raster image from its header, never decoding pixels.

    Pillow's header parser and ocrframe's own reader of the format both look; the size is
    returned when at least one reads it and they do not disagree, else None (the caller
    refuses the file).

    Examples
    --------
    >>> header_size(b"BM" + bytes(12) + (40).to_bytes(4, "little") + (300).to_bytes(4, "little")
    ...             + (200).to_bytes(4, "little", signed=True))
    (300, 200)
    >>> header_size(b"\\xff\\xd8\\xff\\xe0garbage") is None
    True
    """
    fmt = fmt or sniff_format(data)
    reader = _HEADER_READERS.get(fmt or "")
    if reader is None:
        return None
    ours = reader(data)
    theirs = _pillow_size(data)
    if ours is not None and theirs is not None and tuple(ours) != tuple(theirs):
        return None
    size = ours if ours is not None else theirs
    if size is None or min(size) < 0:
        return None
    return int(size[0]), int(size[1])


@dataclass(frozen=True)
class ImageInfo:
    """What :func:`check_image` learnt: the format, and the pixel size for raster images."""

    format: ImageFormat
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> tuple[int, int] | None:
        return None if self.width is None else (self.width, self.height)


def size_error(w: int, h: int, what: str, limits: Limits = Limits()) -> ApiError | None:
    """The contract's ``AIS.0103`` for a ``w`` x ``h`` image outside the limits, or None."""
    if min(w, h) >= limits.min_side and max(w, h) <= limits.max_side:
        return None
    return ApiError.of(Status.IMAGE_SIZE,
                       f"{Status.IMAGE_SIZE.message[:-1]}: {what} is {w}x{h} px; the shortest side must be at "
                       f"least {limits.min_side} px and the longest at most {limits.max_side} px.")


def check_image(data: bytes, name: str = "the image", limits: Limits | None = None, **kw) -> ImageInfo:
    """Check one file against the contract before anything decodes it.

    Parameters
    ----------
    data : bytes
    name : str
        How messages name the file.
    limits : Limits, optional
        Default: the contract's; keyword arguments (``max_side=...``) build one.

    Returns
    -------
    ImageInfo

    Raises
    ------
    ApiError
        ``AIS.0101`` empty input; ``AIS.0102`` a format the service does not read, or a
        raster image whose size cannot be read from its header; ``AIS.0103`` base64 over
        10 MB, or sides outside ``[min_side, max_side]``.

    Examples
    --------
    >>> check_image(b"GIF89a....", "a.gif")
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: AIS.0102: The image format is not supported: a.gif is a GIF file; send JPEG, PNG, BMP, TIFF, PDF, OFD.
    >>> check_image(b"%PDF-1.7 ...").format
    <ImageFormat.PDF: 'pdf'>
    """
    limits = limits or Limits(**kw)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ApiError.of(Status.INVALID_PARAMETER,
                          f"The input parameter is invalid: {name} must be bytes, got {type(data).__name__}.")
    if len(data) == 0:
        raise ApiError.of(Status.INVALID_PARAMETER, f"The input parameter is invalid: {name} is empty (0 bytes).")
    kind = sniff_format(data)
    fmt = ImageFormat(kind) if kind in ImageFormat._value2member_map_ else None
    if fmt is None or fmt not in limits.formats:
        label = _OTHER_KINDS.get(kind, (kind or "").upper())
        what = f"{'an' if label[:1] in 'AEFHILMNORSX' else 'a'} {label} file" if kind else "not a file type it reads"
        raise ApiError.of(Status.UNSUPPORTED_FORMAT, f"The image format is not supported: {name} is {what}; "
                                                     f"send {limits.format_names()}.")
    b64 = base64_length(len(data))
    if b64 > limits.max_base64_bytes:
        raise ApiError.of(Status.IMAGE_SIZE,
                          f"{Status.IMAGE_SIZE.message[:-1]}: {name} is {len(data) / 2**20:.1f} MB, "
                          f"{b64 / 2**20:.1f} MB as base64; at most {limits.max_base64_bytes / 2**20:g} MB of base64 "
                          f"(a file of about {limits.max_base64_bytes * 3 / 4 / 2**20:.1f} MB) is accepted.")
    if fmt not in RASTER_FORMATS:
        return ImageInfo(fmt)
    size = header_size(bytes(data), kind)
    if size is None:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the {fmt.label} header of {name} could not be read "
                          "(truncated, corrupt or inconsistent file), so its size is unknown. Re-export the image.")
    err = size_error(size[0], size[1], name, limits)
    if err is not None:
        raise err
    return ImageInfo(fmt, size[0], size[1])
