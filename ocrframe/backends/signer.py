"""AK/SK request signing, ``SDK-HMAC-SHA256``: the scheme of Huawei Cloud's API gateway.

Byte-compatible with the official SDK's signer (``huaweicloudsdkcore.signer.signer.Signer``,
read from huaweicloudsdkcore 3.1.219): for the same method, URL, headers, body and
``X-Sdk-Date`` both produce the same ``Authorization`` header (``tests/test_signer.py``
checks it, request by request).

The canonical request is::

    METHOD \\n CanonicalURI \\n CanonicalQueryString \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))

- CanonicalURI: the path percent-decoded, each segment re-encoded (``quote(safe="~")``),
  with a trailing ``/``;
- CanonicalQueryString: ``key=value`` pairs, both encoded the same way, sorted;
- CanonicalHeaders: ``lowercase-name:stripped-value`` for every signed header, sorted;
  names holding ``_`` are never signed;
- the body hash is that of the bytes sent, the empty-string hash for no body, or the
  value of ``X-Sdk-Content-Sha256`` when present (``UNSIGNED-PAYLOAD`` for content
  types other than JSON/BSON, as the SDK does).

The string to sign is ``SDK-HMAC-SHA256 \\n X-Sdk-Date \\n hex(sha256(canonical request))``
and the header ``SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b;c>, Signature=<hex hmac>``.

Examples
--------
>>> auth = sign_request("POST", "https://ocr.cn-north-4.myhuaweicloud.com/v2/p1/ocr/auto-classification",
...     {"Content-Type": "application/json", "X-Sdk-Date": "20261126T000000Z"}, b"{}",
...     ak="AKEXAMPLE", sk="SKEXAMPLE")
>>> auth.headers["Authorization"].split(", ")[:2]
['SDK-HMAC-SHA256 Access=AKEXAMPLE', 'SignedHeaders=content-type;host;x-sdk-date']
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlsplit


__all__ = ["SignedRequest", "sign_request", "ALGORITHM"]

ALGORITHM = "SDK-HMAC-SHA256"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_HEADER_DATE = "X-Sdk-Date"
_HEADER_CONTENT = "X-Sdk-Content-Sha256"
_EMPTY_HASH = hashlib.sha256(b"").hexdigest()


def _encode(s: str) -> str:
    return quote(s, safe="~")


def canonical_uri(path: str) -> str:
    """The path percent-decoded, each segment re-encoded, ending in ``/`` (as the SDK)."""
    out = "/".join(_encode(seg) for seg in unquote(path or "/").split("/"))
    return out if out.endswith("/") else out + "/"


def canonical_query(pairs: Iterable[tuple[str, object]]) -> str:
    """Sorted ``key=value`` pairs, encoded; booleans as ``true``/``false`` (as the SDK)."""
    items = []
    for key, value in sorted(pairs, key=lambda kv: (kv[0], str(kv[1]))):
        if isinstance(value, bool):
            value = str(value).lower()
        items.append(f"{_encode(key)}={_encode(str(value))}")
    return "&".join(items)


@dataclass(frozen=True)
class SignedRequest:
    """The outcome of signing: headers to send (with ``Authorization``) and the
    intermediate strings, for debugging a signature mismatch (they hold no secret)."""

    headers: dict[str, str]
    canonical_request: str
    string_to_sign: str
    signed_headers: tuple[str, ...]


def sign_request(method: str, url: str, headers: Mapping[str, str], body: bytes | str | None, *,
                 ak: str, sk: str, now: Callable[[], float] = time.time) -> SignedRequest:
    """Sign one request: every header given (except names holding ``_``) is signed.

    ``Host`` is added from the URL when absent and ``X-Sdk-Date`` from ``now()`` when
    absent; the returned headers are the ones to send. Header values are stripped and,
    like the SDK, values with non-Latin-1 characters are sent as their UTF-8 bytes.
    """
    if not ak or not sk:
        raise ValueError("AK/SK signing needs both ak and sk")
    parts = urlsplit(url)
    out: dict[str, str] = {}
    lower: dict[str, str] = {}
    for k, v in headers.items():
        out[k] = v
        lower[k.lower()] = k
    if "host" not in lower:
        out["Host"] = parts.netloc
        lower["host"] = "Host"
    if isinstance(body, str):
        body = body.encode("utf-8")
    ctype = out.get(lower["content-type"]) if "content-type" in lower else None
    if ctype and not ctype.startswith("application/json") and not ctype.startswith("application/bson"):
        out[_HEADER_CONTENT] = "UNSIGNED-PAYLOAD"
        lower[_HEADER_CONTENT.lower()] = _HEADER_CONTENT
    if _HEADER_DATE.lower() in lower:
        date = str(out[lower[_HEADER_DATE.lower()]]).strip()
        time.strptime(date, _DATE_FORMAT)  # ValueError on a malformed date, as the SDK
    else:
        date = time.strftime(_DATE_FORMAT, time.gmtime(now()))
        out[_HEADER_DATE] = date
        lower[_HEADER_DATE.lower()] = _HEADER_DATE

    values = {}
    for k in list(out):
        v = str(out[k]).strip()
        values[k.lower()] = v
        out[k] = v.encode("utf-8").decode("iso-8859-1")  # what http.client puts on the wire
    signed = tuple(sorted(k.lower() for k in out if "_" not in k))

    if not body:
        payload_hash = _EMPTY_HASH
    elif _HEADER_CONTENT.lower() in values:
        payload_hash = values[_HEADER_CONTENT.lower()]
    else:
        payload_hash = hashlib.sha256(body).hexdigest()
    query = canonical_query(parse_qsl(parts.query, keep_blank_values=True))
    canonical_headers = "".join(f"{k}:{values[k]}\n" for k in signed)
    canonical = "\n".join([method.upper(), canonical_uri(parts.path), query, canonical_headers,
                           ";".join(signed), payload_hash])
    string_to_sign = "\n".join([ALGORITHM, date, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    signature = hmac.new(sk.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out["Authorization"] = f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed)}, Signature={signature}"
    return SignedRequest(out, canonical, string_to_sign, signed)
