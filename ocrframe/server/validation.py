"""Request validation: the body read within its limit, then parsed with the contract's codes.

=====================================================  ========  =====
fault                                                  code      HTTP
=====================================================  ========  =====
body not JSON / not an object / wrong JSON types       AIS.0101  400
both or neither of ``image`` / ``url``                 AIS.0101  400
``type_list`` entry not a supported type                AIS.0101  400
``url`` not http(s), refused or not downloadable       AIS.0101  400
``image`` not base64                                   AIS.0102  400
file not JPEG/PNG/BMP/TIFF/PDF/OFD                     AIS.0102  400
base64 over 10 MB; sides outside [15, 8192] px         AIS.0103  400
body over ``max_body_bytes`` (Content-Length or read)  AIS.0103  413
=====================================================  ========  =====

The official error-code list describes ``AIS.0102`` as "the image format is not supported,
or the value of image is not a Base64 encoded string", so a bad base64 string gets
``AIS.0102`` as the service answers it.
"""

from __future__ import annotations

import binascii
import json
import re
from dataclasses import dataclass
from typing import AsyncIterator

from ..backends.base import RequestOptions
from ..backends.http_common import check_image
from ..errors import ApiError
from ..types import DocType, Status

__all__ = ["ParsedRequest", "read_body", "parse_body", "decode_image", "BodyTooLarge", "EXTENDED_PARAMETER_KEYS"]

#: keys ``extended_parameters`` may hold (the SDK's list of per-type option groups)
EXTENDED_PARAMETER_KEYS = frozenset({
    "vat_invoice", "quota_invoice", "taxi_invoice", "train_ticket", "flight_itinerary", "toll_invoice",
    "mvs_invoice", "id_card", "passport", "driver_license", "vehicle_license", "transportation_license",
    "bankcard", "bus_ship_ticket", "ride_hailing_itinerary", "machine_printed_invoice",
})
_KNOWN_TYPES = {t.value for t in DocType}
_WS = re.compile(rb"[\r\n\t ]")
_DATA_URI = re.compile(r"^data:[\w/+.-]+;base64,", re.ASCII)


class BodyTooLarge(ApiError):
    """The request body is over the server's limit (answered 413 before reading it all)."""

    def __init__(self, limit: int, seen: int | None = None, declared: int | None = None):
        what = (f"Content-Length {declared} bytes" if declared is not None
                else f"more than {seen} bytes received")
        super().__init__(Status.IMAGE_SIZE.code,
                         f"The image size does not meet the requirements: request body too large "
                         f"({what}); the limit is {limit} bytes (base64 at most 10 MB).",
                         http_status=413)


def _invalid(msg: str) -> ApiError:
    return ApiError.of(Status.INVALID_PARAMETER, f"The input parameter is invalid: {msg}")


def check_content_length(value: str | None, limit: int) -> int | None:
    """The declared body length, refused at once when over ``limit`` (or malformed)."""
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        raise _invalid(f"Content-Length {value!r} is not a number.") from None
    if n < 0:
        raise _invalid(f"Content-Length {value!r} is negative.")
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


@dataclass(frozen=True)
class ParsedRequest:
    """A valid request: the image (base64 text still encoded) or a URL, and the options."""

    image_b64: bytes | None
    url: str | None
    options: RequestOptions

    def describe(self) -> dict:
        """For logs: sizes and options, never the image or the URL's query string."""
        out = {"input": "image" if self.image_b64 is not None else "url"}
        if self.image_b64 is not None:
            out["image_b64_bytes"] = len(self.image_b64)
        else:
            out["url_host"] = _url_host(self.url)
        out.update(self.options.to_body())
        out.pop("extended_parameters", None)
        return out


def _url_host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


def _type_name(v) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(v), type(v).__name__)


def parse_body(body: bytes, *, max_base64_bytes: int) -> ParsedRequest:
    """Parse and check the JSON body; :class:`ApiError` with the contract's code otherwise."""
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
    image = obj.get("image")
    url = obj.get("url")
    if image is not None and not isinstance(image, str):
        raise _invalid(f"image must be a base64 string, got {_type_name(image)}.")
    if url is not None and not isinstance(url, str):
        raise _invalid(f"url must be a string, got {_type_name(url)}.")
    if image == "":
        image = None
    if url == "":
        url = None
    if (image is None) == (url is None):
        raise _invalid("give exactly one of image (base64) or url."
                       if image is None else "image and url are both set; give exactly one.")

    type_list = obj.get("type_list")
    if type_list is not None:
        if not isinstance(type_list, list):
            raise _invalid(f"type_list must be an array of strings, got {_type_name(type_list)}.")
        if not type_list:
            type_list = None
        else:
            for i, t in enumerate(type_list):
                if not isinstance(t, str):
                    raise _invalid(f"type_list[{i}] must be a string, got {_type_name(t)}.")
                if t not in _KNOWN_TYPES:
                    raise _invalid(f"type_list[{i}] {t[:40]!r} is not a supported type; "
                                   f"supported: {', '.join(sorted(_KNOWN_TYPES))}.")
    detect_seal = obj.get("detect_seal")
    if detect_seal is not None and not isinstance(detect_seal, bool):
        raise _invalid(f"detect_seal must be true or false, got {_type_name(detect_seal)}.")
    page = obj.get("pdf_page_number")
    if page is not None:
        if not isinstance(page, int) or isinstance(page, bool):
            raise _invalid(f"pdf_page_number must be an integer, got {_type_name(page)}.")
        if not 1 <= page <= 100_000:
            raise _invalid(f"pdf_page_number must be a page number >= 1, got {page}.")
    ext = obj.get("extended_parameters")
    if ext is not None:
        if not isinstance(ext, dict):
            raise _invalid(f"extended_parameters must be an object, got {_type_name(ext)}.")
        for k, v in ext.items():
            if k not in EXTENDED_PARAMETER_KEYS:
                raise _invalid(f"extended_parameters key {k[:40]!r} is not a supported document group; "
                               f"supported: {', '.join(sorted(EXTENDED_PARAMETER_KEYS))}.")
            if not isinstance(v, dict):
                raise _invalid(f"extended_parameters.{k} must be an object, got {_type_name(v)}.")
    options = RequestOptions(type_list=type_list, detect_seal=detect_seal, pdf_page_number=page,
                             extended_parameters=ext)

    if url is not None:
        if len(url) > 4096:
            raise _invalid("url is longer than 4096 characters.")
        if not url.lower().startswith(("http://", "https://")):
            raise _invalid("url must be an http:// or https:// URL.")
        return ParsedRequest(None, url, options)
    b64 = image.encode("ascii", "replace")
    m = _DATA_URI.match(image[:100])
    if m:
        b64 = b64[m.end():]
    if len(b64) > max_base64_bytes:
        raise ApiError.of(Status.IMAGE_SIZE,
                          f"The image size does not meet the requirements: base64 of {len(b64)} bytes; "
                          f"at most {max_base64_bytes} bytes (10 MB).")
    return ParsedRequest(b64, None, options)


def decode_image(b64: bytes, *, min_side: int, max_side: int, max_base64_bytes: int) -> bytes:
    """base64 -> file bytes, checked: ``AIS.0102`` not base64 / unsupported format,
    ``AIS.0103`` out of the size limits."""
    try:
        data = binascii.a2b_base64(b64, strict_mode=True)
    except (binascii.Error, ValueError):
        # line-wrapped base64 (MIME encoders) is common: strip whitespace and try again
        try:
            data = binascii.a2b_base64(_WS.sub(b"", b64), strict_mode=True)
        except (binascii.Error, ValueError):
            raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                              "The image format is not supported: the value of image is not a valid "
                              "base64 string.") from None
    check_file(data, min_side=min_side, max_side=max_side, max_base64_bytes=max_base64_bytes)
    return data


def check_file(data: bytes, *, min_side: int, max_side: int, max_base64_bytes: int) -> str:
    """The file's format, or :class:`ApiError` (``AIS.0101`` empty, ``0102``, ``0103``)."""
    return check_image(data, "image", max_base64_bytes=max_base64_bytes, min_side=min_side, max_side=max_side)
