"""The service contract in one place: limits, formats, image checks, requests, saved answers,
and the one way to call a backend.

Every layer imports its rules from here and restates none of them: the local engine
(:mod:`ocrframe.engine.decode`), the HTTP clients (:mod:`ocrframe.backends.http`),
the server (:mod:`ocrframe.server`), :class:`~ocrframe.backends.replay.Replay`, the
response store and evaluate's reader of saved answers. This module imports only the
registries (:mod:`ocrframe.types`, :mod:`ocrframe.errors`, :mod:`ocrframe.response`).

Limits are those of the original document (the seed): base64 at most 10 MB, shortest side
at least 15 px, longest side at most 8000 px (newer SDK text says 8192: a client may raise
its own ``max_side``), JPEG / PNG / BMP / TIFF, and the newer API's PDF and OFD.

Pixel sizes are read from the file header, never by decoding: Pillow's parser first, then
ocrframe's own reader of the format's header (PNG ``IHDR``, JPEG ``SOFn``, BMP DIB header,
TIFF first IFD). An image whose header neither can read, or whose two readings disagree,
is refused; nothing is decoded before its size has passed the limits.

Examples
--------
>>> import struct, zlib
>>> def png_header(w, h):  # a PNG whose header claims w x h, with no pixel data at all
...     ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
...     return b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
>>> check_image(png_header(640, 480)).size
(640, 480)
>>> check_image(png_header(32000, 32000), "bomb.png")
Traceback (most recent call last):
...
ocrframe.errors.ApiError: AIS.0103: The image size does not meet the requirements: bomb.png is 32000x32000 px; the shortest side must be at least 15 px and the longest at most 8000 px.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import io
import json
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from .errors import ApiError, AuthenticationError, ResponseValidationError
from .types import DocType, Status, parse_type_list

__all__ = [
    # limits
    "MAX_BASE64_BYTES", "MAX_FILE_BYTES", "MIN_SIDE", "MAX_SIDE", "MAX_SIDE_NEWER", "MAX_PIXELS",
    "MAX_URL_LENGTH", "MAX_PDF_PAGE", "DEFAULT_MAX_BODY_BYTES", "ImageFormat", "SERVICE_FORMATS",
    "RASTER_FORMATS", "Limits",
    # images
    "sniff_format", "base64_length", "header_size", "check_image", "ImageInfo",
    # requests
    "RequestOptions", "ImageInput", "EXTENDED_PARAMETER_KEYS", "ParsedRequest", "parse_request",
    "decode_base64", "build_body", "request_json_schema",
    # saved answers
    "SavedAnswer", "saved_answer_line", "read_saved_answers", "parse_saved_answer",
    # calling a backend
    "Outcome", "call_backend", "init_worker", "call_in_worker",
]

# ============================================================================ limits

#: the contract's limit on the base64 text of one image
MAX_BASE64_BYTES = 10 * 1024 * 1024
#: the largest file whose base64 fits :data:`MAX_BASE64_BYTES`
MAX_FILE_BYTES = MAX_BASE64_BYTES * 3 // 4
#: shortest side the service accepts, in pixels
MIN_SIDE = 15
#: longest side, in pixels, as in the original document
MAX_SIDE = 8000
#: the longest side newer SDK text allows (a client may opt in with ``max_side=``)
MAX_SIDE_NEWER = 8192
#: the most pixels an accepted image can have (a decoder never allocates more)
MAX_PIXELS = MAX_SIDE_NEWER * MAX_SIDE_NEWER
#: longest ``url`` value accepted
MAX_URL_LENGTH = 4096
#: highest ``pdf_page_number`` accepted
MAX_PDF_PAGE = 100_000
#: a request body: the base64 limit plus room for the JSON around it
DEFAULT_MAX_BODY_BYTES = MAX_BASE64_BYTES + 64 * 1024

# defence in depth: OpenCV refuses to allocate beyond these, if it is imported after us
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_WIDTH", str(MAX_SIDE_NEWER))
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_HEIGHT", str(MAX_SIDE_NEWER))


class ImageFormat(str, enum.Enum):
    """The file formats the service reads."""

    JPEG = "jpeg"
    PNG = "png"
    BMP = "bmp"
    TIFF = "tiff"
    PDF = "pdf"
    OFD = "ofd"

    @property
    def label(self) -> str:
        return self.value.upper()


#: every format the service accepts (the newer API adds PDF and OFD)
SERVICE_FORMATS = tuple(ImageFormat)
#: formats with a pixel size in their header (PDF and OFD pages are rendered)
RASTER_FORMATS = (ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.BMP, ImageFormat.TIFF)
_OTHER_KINDS = {"gif": "GIF", "webp": "WEBP", "jp2": "JPEG 2000", "zip": "ZIP (not OFD)", "heic": "HEIC"}


@dataclass(frozen=True)
class Limits:
    """The limits one checker applies (defaults: the contract's).

    Examples
    --------
    >>> Limits().max_side, Limits(max_side=MAX_SIDE_NEWER).max_side
    (8000, 8192)
    """

    max_base64_bytes: int = MAX_BASE64_BYTES
    min_side: int = MIN_SIDE
    max_side: int = MAX_SIDE
    formats: tuple = SERVICE_FORMATS

    def __post_init__(self):
        for name in ("max_base64_bytes", "min_side", "max_side"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name} must be an int >= 1, got {v!r}")
        if self.max_side > MAX_SIDE_NEWER:
            raise ValueError(f"max_side must be at most {MAX_SIDE_NEWER} (no service accepts more), "
                             f"got {self.max_side}")
        object.__setattr__(self, "formats", tuple(ImageFormat(f) for f in self.formats))

    def format_names(self) -> str:
        return ", ".join(f.label for f in self.formats)


# ============================================================================ images

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


# ============================================================================ requests

#: keys ``extended_parameters`` may hold (the SDK's per-type option groups)
EXTENDED_PARAMETER_KEYS = frozenset({
    "vat_invoice", "quota_invoice", "taxi_invoice", "train_ticket", "flight_itinerary", "toll_invoice",
    "mvs_invoice", "id_card", "passport", "driver_license", "vehicle_license", "transportation_license",
    "bankcard", "bus_ship_ticket", "ride_hailing_itinerary", "machine_printed_invoice",
})
_DATA_URI = re.compile(r"^data:[\w/+.-]+;base64,", re.ASCII)
_WS = re.compile(rb"[\r\n\t ]")


@dataclass(frozen=True)
class RequestOptions:
    """The request body's options besides the image, validated once.

    Examples
    --------
    >>> RequestOptions(type_list=["passport"]).to_body()
    {'type_list': ['passport']}
    >>> RequestOptions().cache_key()
    '{}'
    >>> RequestOptions(extended_parameters={"spaceship": {}})
    Traceback (most recent call last):
    ...
    ValueError: extended_parameters key 'spaceship' is not a supported document group; supported: bankcard, bus_ship_ticket, driver_license, flight_itinerary, id_card, machine_printed_invoice, mvs_invoice, passport, quota_invoice, ride_hailing_itinerary, taxi_invoice, toll_invoice, train_ticket, transportation_license, vat_invoice, vehicle_license
    """

    type_list: tuple[DocType, ...] | None = None
    detect_seal: bool | None = None
    pdf_page_number: int | None = None
    extended_parameters: dict | None = field(default=None, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "type_list", parse_type_list(self.type_list))
        page = self.pdf_page_number
        if page is not None and (not isinstance(page, int) or isinstance(page, bool)
                                 or not 1 <= page <= MAX_PDF_PAGE):
            raise ValueError(f"pdf_page_number must be a page number in 1..{MAX_PDF_PAGE}, got {page!r}")
        if self.detect_seal is not None and not isinstance(self.detect_seal, bool):
            raise ValueError(f"detect_seal must be True, False or None, got {self.detect_seal!r}")
        ext = self.extended_parameters
        if ext is not None:
            if not isinstance(ext, dict):
                raise ValueError(f"extended_parameters must be an object, got {_type_name(ext)}")
            for k, v in ext.items():
                if k not in EXTENDED_PARAMETER_KEYS:
                    raise ValueError(f"extended_parameters key {str(k)[:40]!r} is not a supported document group; "
                                     f"supported: {', '.join(sorted(EXTENDED_PARAMETER_KEYS))}")
                if not isinstance(v, dict):
                    raise ValueError(f"extended_parameters.{k} must be an object, got {_type_name(v)}")

    def to_body(self) -> dict[str, Any]:
        """The options as request-body keys (absent options are left out)."""
        body: dict[str, Any] = {}
        if self.type_list is not None:
            body["type_list"] = [t.value for t in self.type_list]
        if self.pdf_page_number is not None:
            body["pdf_page_number"] = self.pdf_page_number
        if self.detect_seal is not None:
            body["detect_seal"] = self.detect_seal
        if self.extended_parameters is not None:
            body["extended_parameters"] = self.extended_parameters
        return body

    def cache_key(self) -> str:
        """Canonical JSON of the options, part of the response store's key."""
        return json.dumps(self.to_body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ImageInput:
    """One image to recognise: its bytes, or a URL the service downloads.

    ``name`` is what the user gave (a path, a URL, ``<bytes>``), for messages and exports.
    """

    name: str
    data: bytes | None = None
    url: str | None = None

    def __post_init__(self):
        if (self.data is None) == (self.url is None):
            raise ValueError("ImageInput needs exactly one of data= or url=")

    def content_hash(self) -> str:
        """sha256 of the bytes (or of the URL, for URL inputs), hex."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return "url:" + hashlib.sha256(self.url.encode("utf-8")).hexdigest()


def _type_name(v) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(v), type(v).__name__)


def _invalid(msg: str) -> ApiError:
    return ApiError.of(Status.INVALID_PARAMETER, f"{Status.INVALID_PARAMETER.message[:-1]}: {msg}")


@dataclass(frozen=True)
class ParsedRequest:
    """A valid request: the image (base64 text, still encoded) or a URL, and the options."""

    image_b64: bytes | None
    url: str | None
    options: RequestOptions

    def describe(self) -> dict:
        """For logs: sizes and options, never the image or the URL's query string."""
        out: dict[str, Any] = {"input": "image" if self.image_b64 is not None else "url"}
        if self.image_b64 is not None:
            out["image_b64_bytes"] = len(self.image_b64)
        else:
            from urllib.parse import urlsplit

            try:
                out["url_host"] = urlsplit(self.url).hostname or "?"
            except ValueError:
                out["url_host"] = "?"
        out.update(self.options.to_body())
        out.pop("extended_parameters", None)
        return out


def parse_request(body: bytes, *, max_base64_bytes: int = MAX_BASE64_BYTES) -> ParsedRequest:
    """Parse and check a request body with the contract's codes (``AIS.0101``, ``AIS.0103``).

    Every key that is present must have the type the schema gives it (``null`` is not an
    absent key; an empty ``image`` or ``url`` is refused); exactly one of ``image`` /
    ``url``; options are validated by :class:`RequestOptions`.

    Examples
    --------
    >>> parse_request(b'{"image": "aGk=", "type_list": ["passport"]}').options.type_list
    (<DocType.PASSPORT: 'passport'>,)
    >>> parse_request(b'{"image": "", "url": ""}')
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: AIS.0101: The input parameter is invalid: image is empty; send base64 of the file.
    """
    if not body:
        raise _invalid("the request body is empty; send a JSON object with image or url.")
    try:
        obj = json.loads(body)
    except UnicodeDecodeError:
        raise _invalid("the request body is not UTF-8 JSON.") from None
    except (ValueError, RecursionError) as e:
        raise _invalid(f"the request body is not JSON ({str(e)[:80]}).") from None
    if not isinstance(obj, dict):
        raise _invalid(f"the request body must be a JSON object, got {_type_name(obj)}.")
    for key, kinds, what in (("image", str, "a base64 string"), ("url", str, "a string"),
                             ("type_list", list, "an array of type names"), ("detect_seal", bool, "true or false"),
                             ("extended_parameters", dict, "an object")):
        if key in obj and not isinstance(obj[key], kinds):
            raise _invalid(f"{key} must be {what}, got {_type_name(obj[key])}.")
    if "pdf_page_number" in obj:
        page = obj["pdf_page_number"]
        if isinstance(page, float) and page.is_integer():  # 3.0 is an integer in JSON Schema
            page = obj["pdf_page_number"] = int(page)
        if not isinstance(page, int) or isinstance(page, bool):
            raise _invalid(f"pdf_page_number must be an integer, got {_type_name(page)}.")
        if not 1 <= page <= MAX_PDF_PAGE:
            raise _invalid(f"pdf_page_number must be a page number in 1..{MAX_PDF_PAGE}, got {page}.")
    image, url = obj.get("image"), obj.get("url")
    if image == "":
        raise _invalid("image is empty; send base64 of the file.")
    if url == "":
        raise _invalid("url is empty; send an http(s) URL.")
    if (image is None) == (url is None):
        raise _invalid("give exactly one of image (base64) or url." if image is None
                       else "image and url are both set; give exactly one.")
    type_list = obj.get("type_list")
    for i, t in enumerate(type_list or ()):
        if not isinstance(t, str):
            raise _invalid(f"type_list[{i}] must be a string, got {_type_name(t)}.")
        if t not in DocType._value2member_map_:
            raise _invalid(f"type_list[{i}] {t[:40]!r} is not a supported type; "
                           f"supported: {', '.join(t.value for t in DocType)}.")
    try:
        options = RequestOptions(type_list=type_list or None, detect_seal=obj.get("detect_seal"),
                                 pdf_page_number=obj.get("pdf_page_number"),
                                 extended_parameters=obj.get("extended_parameters"))
    except ValueError as e:
        raise _invalid(f"{e}.") from None
    if url is not None:
        if len(url) > MAX_URL_LENGTH:
            raise _invalid(f"url is longer than {MAX_URL_LENGTH} characters.")
        if not url.lower().startswith(("http://", "https://")):
            raise _invalid("url must be an http:// or https:// URL.")
        return ParsedRequest(None, url, options)
    m = _DATA_URI.match(image[:100])
    text = image[m.end():] if m else image
    if len(text) > max_base64_bytes:
        raise ApiError.of(Status.IMAGE_SIZE,
                          f"{Status.IMAGE_SIZE.message[:-1]}: base64 of {len(text)} bytes; at most "
                          f"{max_base64_bytes} bytes (10 MB) is accepted.")
    return ParsedRequest(text.encode("ascii", "replace"), None, options)


def decode_base64(b64: bytes) -> bytes:
    """The file bytes of an ``image`` value; ``AIS.0102`` when it is not base64 (the official
    error list: "the image format is not supported, or the value of image is not a Base64
    encoded string"). Line-wrapped base64 (MIME encoders) is accepted.

    Examples
    --------
    >>> decode_base64(b"aGk=")
    b'hi'
    >>> decode_base64(b"aGk")
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: AIS.0102: The image format is not supported: the value of image is not a valid base64 string.
    """
    for candidate in (b64, None):
        try:
            return binascii.a2b_base64(candidate if candidate is not None else _WS.sub(b"", b64), strict_mode=True)
        except (binascii.Error, ValueError):
            continue
    raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                      "The image format is not supported: the value of image is not a valid base64 string.")


def build_body(image: ImageInput, options: RequestOptions) -> bytes:
    """The request body a client sends: ``image`` (base64) or ``url``, then the options.

    Spliced rather than ``json.dumps``-ed: base64 needs no escaping, and a 10 MB string is
    not copied through the JSON encoder.

    Examples
    --------
    >>> build_body(ImageInput("a", data=b"abc"), RequestOptions(type_list=["passport"]))
    b'{"image":"YWJj","type_list":["passport"]}'
    >>> build_body(ImageInput("u", url="https://x/y.jpg"), RequestOptions())
    b'{"url":"https://x/y.jpg"}'
    """
    from urllib.parse import quote

    opts = json.dumps(options.to_body(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if image.data is not None:
        head = b'{"image":"' + base64.b64encode(image.data) + b'"'
    else:
        # the service wants non-ASCII characters in URLs percent-encoded (UTF-8)
        url = quote(image.url, safe=":/?#[]@!$&'()*+,;=%~")
        head = b'{"url":' + json.dumps(url).encode("ascii")
    return head + (b"," + opts[1:] if len(opts) > 2 else b"}")


def request_json_schema(limits: Limits = Limits(), *, image_format: str | None = None,
                        url_format: str | None = None) -> dict:
    """The request body as JSON Schema (the server's OpenAPI document uses it).

    ``image_format`` / ``url_format`` name a ``format`` for the two inputs (a property-based
    tester registers generators of real images under those names).
    """
    image = {"type": "string", "minLength": 1, "maxLength": limits.max_base64_bytes,
             "description": f"base64 of a {'/'.join(f.label for f in limits.formats)} file, at most "
                            f"{limits.max_base64_bytes // 2**20} MB of base64; shortest side >= "
                            f"{limits.min_side} px, longest <= {limits.max_side} px"}
    url = {"type": "string", "minLength": 1, "maxLength": MAX_URL_LENGTH, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
           "description": "http(s) URL of the image; private addresses are refused"}
    if image_format:
        image["format"] = image_format
    if url_format:
        url["format"] = url_format
    return {
        "type": "object",
        "description": "Exactly one of image or url.",
        "properties": {
            "image": image,
            "url": url,
            "type_list": {"type": "array", "items": {"type": "string", "enum": [t.value for t in DocType]},
                          "description": "only these document types are recognised (empty: all)"},
            "pdf_page_number": {"type": "integer", "minimum": 1, "maximum": MAX_PDF_PAGE,
                                "description": "page of a PDF to read"},
            "detect_seal": {"type": "boolean", "description": "report seal_mark per document"},
            "extended_parameters": {"type": "object",
                                    "propertyNames": {"enum": sorted(EXTENDED_PARAMETER_KEYS)},
                                    "additionalProperties": {"type": "object"},
                                    "description": "per-type options"},
        },
        "oneOf": [{"required": ["image"], "not": {"required": ["url"]}},
                  {"required": ["url"], "not": {"required": ["image"]}}],
    }


# ============================================================================ saved answers

@dataclass(frozen=True)
class SavedAnswer:
    """One line of a saved-answers JSONL file (``ocrframe store export``, a Replay file,
    ``ocrframe evaluate`` predictions): the image, its content hash when known, and the raw
    body, a 200 answer or an error body."""

    image: str
    body: dict
    is_error: bool
    sha256: str | None = None
    options: dict | None = None

    def to_line(self) -> str:
        return saved_answer_line(self.image, self.body, is_error=self.is_error, sha256=self.sha256,
                                 options=self.options)


def saved_answer_line(image: str, body: Mapping, *, is_error: bool, sha256: str | None = None,
                      options: Mapping | None = None) -> str:
    """The one written shape: ``{"image", "sha256"?, "response": {...}}`` or ``{..., "error":
    {"error_code", "error_msg"}}``, plus ``"options"`` when any were set (no newline).

    Examples
    --------
    >>> saved_answer_line("a.jpg", {"error_code": "AIS.0103", "error_msg": "x"}, is_error=True)
    '{"image": "a.jpg", "error": {"error_code": "AIS.0103", "error_msg": "x"}}'
    """
    line: dict[str, Any] = {"image": image}
    if sha256:
        line["sha256"] = sha256
    line["error" if is_error else "response"] = dict(body)
    if options:
        line["options"] = dict(options)
    return json.dumps(line, ensure_ascii=False)


def parse_saved_answer(rec: Any, where: str = "") -> SavedAnswer:
    """One decoded line as a :class:`SavedAnswer`, validated (ResponseValidationError naming
    ``where``).

    The written shape (see :func:`saved_answer_line`) and two older ones are read: a flat
    200 body ``{"image", "result": [...]}`` and a flat error ``{"image", "error_code",
    "error_msg"}``.

    Examples
    --------
    >>> parse_saved_answer({"image": "a.jpg", "error_code": "AIS.0103"}).is_error
    True
    """
    from .response import parse_answer

    if not isinstance(rec, dict) or not isinstance(rec.get("image"), str):
        raise ResponseValidationError(f"{where}.image" if where else "image", "expected the image's name as a string")
    shapes = [k for k in ("response", "error") if k in rec]
    if len(shapes) > 1:
        raise ResponseValidationError(where, "expected exactly one of 'response' or 'error'")
    if shapes:
        body, path = rec[shapes[0]], f"{where}.{shapes[0]}" if where else shapes[0]
    elif "result" in rec or "error_code" in rec:
        body = {k: v for k, v in rec.items() if k not in ("image", "sha256", "options")}
        path = where
    else:
        raise ResponseValidationError(where, "expected 'response', 'error', 'result' or 'error_code'")
    if shapes == ["error"] and isinstance(body, dict) and "error_code" not in body:
        raise ResponseValidationError(f"{path}.error_code", "missing")
    answer = parse_answer(body, path=path)
    sha = rec.get("sha256")
    options = rec.get("options")
    return SavedAnswer(rec["image"], body, isinstance(answer, ApiError), sha if isinstance(sha, str) else None,
                       options if isinstance(options, dict) else None)


def read_saved_answers(path: str | os.PathLike) -> Iterator[SavedAnswer]:
    """Every saved answer of a JSONL file, in order; blank lines skipped; a bad line raises
    :class:`~ocrframe.errors.ResponseValidationError` naming the file and line."""
    name = os.path.basename(os.fspath(path))
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{name} line {lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise ResponseValidationError(where, f"malformed JSON at column {e.colno}: {e.msg}") from None
            yield parse_saved_answer(rec, where)


def write_saved_answers(path: str | os.PathLike, answers: Iterable[SavedAnswer]) -> int:
    """Write saved answers as JSONL (the one shape); returns the number of lines."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for a in answers:
            f.write(a.to_line() + "\n")
            n += 1
    return n


# ============================================================================ calling a backend

@dataclass(frozen=True)
class Outcome:
    """What one backend call gave, as plain data (it crosses process boundaries).

    ``kind`` is ``"ok"`` (``body`` is the 200 answer), ``"error"`` (a request-level
    :class:`ApiError`: ``code``, ``message``, ``http_status``, ``transient``), ``"auth"``
    (credentials refused: the batch stops) or ``"crash"`` (the backend raised something
    else, or answered no ``result`` list: a bug, never a dead batch or server).
    """

    kind: str
    body: dict | None = None
    code: str | None = None
    message: str | None = None
    http_status: int | None = None
    transient: bool = False

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def error(self) -> ApiError:
        """The failure as an exception (``AuthenticationError`` for ``"auth"``)."""
        if self.kind == "ok":
            raise ValueError("a successful outcome has no error")
        cls = AuthenticationError if self.kind == "auth" else ApiError
        return cls(self.code, self.message, http_status=self.http_status, transient=self.transient)


def call_backend(backend, image: ImageInput, options: RequestOptions) -> Outcome:
    """Call ``backend.recognize(image, options)``; never raises.

    Examples
    --------
    >>> class Broken:
    ...     identity = "broken"
    ...     def recognize(self, image, options):
    ...         raise KeyError("county")
    >>> o = call_backend(Broken(), ImageInput("a", data=b"x"), RequestOptions())
    >>> o.kind, o.code, o.message
    ('crash', 'OCRFRAME.0007', "The backend failed unexpectedly: KeyError: 'county'")
    """
    try:
        body = backend.recognize(image, options)
    except AuthenticationError as e:
        return Outcome("auth", code=e.code, message=e.message, http_status=e.http_status, transient=False)
    except ApiError as e:
        return Outcome("error", code=e.code, message=e.message, http_status=e.http_status, transient=e.transient)
    except Exception as e:  # a backend bug must not kill a batch or a server
        return Outcome("crash", code=Status.BACKEND_ERROR.code,
                       message=f"{Status.BACKEND_ERROR.message[:-1]}: {type(e).__name__}: {str(e)[:300]}",
                       http_status=500, transient=True)
    if not isinstance(body, dict) or not isinstance(body.get("result"), list):
        got = type(body).__name__ if not isinstance(body, dict) else "keys " + ", ".join(map(str, list(body)[:5]))
        return Outcome("crash", code=Status.BACKEND_ERROR.code,
                       message=f"{Status.BACKEND_ERROR.message[:-1]}: the answer has no 'result' list (got {got}).",
                       http_status=500, transient=True)
    return Outcome("ok", body=body)


_WORKER_BACKEND = None


def init_worker(backend) -> None:
    """Process-pool initializer: the backend this worker process calls."""
    global _WORKER_BACKEND
    _WORKER_BACKEND = backend


def worker_backend():
    """The backend :func:`init_worker` set in this process (None elsewhere)."""
    return _WORKER_BACKEND


def call_in_worker(image: ImageInput, options: RequestOptions) -> Outcome:
    """:func:`call_backend` with the backend :func:`init_worker` set (process pools)."""
    return call_backend(_WORKER_BACKEND, image, options)
