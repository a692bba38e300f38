"""Requests: the options besides the image, one image input, parsing a request body with the
contract's errors, decoding base64, building a body, and the request's JSON Schema."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError
from ..types import DocType, Status, parse_type_list
from .limits import MAX_BASE64_BYTES, MAX_PDF_PAGE, MAX_URL_LENGTH, Limits

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
