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

from ..secret import Secret

__all__ = ["AKSKAuth", "SignedRequest", "sign_request", "ALGORITHM"]

ALGORITHM = "SDK-HMAC-SHA256"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_HEADER_DATE = "X-Sdk-Date"
_HEADER_CONTENT = "X-Sdk-Content-Sha256"
_EMPTY_HASH = hashlib.sha256(b"").hexdigest()

#: headers a requests PreparedRequest carries that are transport details, not part of the
#: request's meaning: proxies and the HTTP stack may add, drop or rewrite them, so
#: :class:`AKSKAuth` leaves them out of the signature (the gateway only checks what is listed
#: in ``SignedHeaders``).
UNSIGNED_HEADERS = frozenset({
    "authorization", "connection", "keep-alive", "content-length", "transfer-encoding",
    "accept", "accept-encoding", "user-agent", "te", "upgrade", "proxy-authorization",
    "proxy-connection", "expect",
})


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


try:  # requests is the `cloud` extra; the signing function above needs only the stdlib
    from requests.auth import AuthBase as _AuthBase
except ImportError:  # pragma: no cover
    _AuthBase = object


class AKSKAuth(_AuthBase):
    """``requests`` auth that signs each request with AK/SK (``SDK-HMAC-SHA256``).

    Signs at send time, so every retry carries a fresh ``X-Sdk-Date`` (the gateway
    refuses signatures older than 15 minutes). Transport headers (:data:`UNSIGNED_HEADERS`)
    are sent but not signed. ``extra_headers`` (e.g. ``X-Project-Id``,
    ``X-Security-Token`` for temporary credentials) are added and signed, as the SDK does.
    The repr never shows the secret key.

    Parameters
    ----------
    ak : str
        Access key id (not a secret, but only its first 4 characters are ever shown).
    sk : str or Secret
        Secret access key, kept as a :class:`~ocrframe.secret.Secret`.
    extra_headers : mapping, optional
        Headers to add to every request before signing; a value may be a ``Secret``
        (``X-Security-Token``), revealed only when the request is signed.
    share : bool, default False
        Let an ``sk`` given as a string be pickled in clear (see :mod:`ocrframe.secret`).
    now : callable, default time.time
        Clock for ``X-Sdk-Date`` (tests pin it).
    """

    def __init__(self, ak: str, sk, *, extra_headers: Mapping[str, str] | None = None,
                 now: Callable[[], float] = time.time, share: bool = False):
        if not ak or not sk:
            raise ValueError("AKSKAuth needs both ak and sk")
        self._ak = ak.reveal() if isinstance(ak, Secret) else ak
        self._sk = sk if isinstance(sk, Secret) else Secret(sk, share=share)
        self._extra = {k: v for k, v in (extra_headers or {}).items() if v is not None}
        self._now = now

    @property
    def ak_hint(self) -> str:
        """The access key masked past its first 4 characters, for reprs and messages."""
        return _mask(self._ak)

    def __repr__(self) -> str:
        return f"AKSKAuth(ak={self.ak_hint!r}, sk='***')"

    def secrets(self) -> list:
        return [self._sk] + [v for v in self._extra.values() if isinstance(v, Secret)]

    def __call__(self, r):
        for k, v in self._extra.items():
            r.headers[k] = v.reveal() if isinstance(v, Secret) else v
        to_sign = {k: v for k, v in r.headers.items() if k.lower() not in UNSIGNED_HEADERS}
        body = r.body
        if body is not None and not isinstance(body, (bytes, str)):
            # a streamed body (file, generator) cannot be hashed up front
            to_sign["X-Sdk-Content-Sha256"] = "UNSIGNED-PAYLOAD"
            body = b"-"
        signed = sign_request(r.method, r.url, to_sign, body, ak=self._ak, sk=self._sk.reveal(), now=self._now)
        for k, v in signed.headers.items():
            r.headers[k] = v
        return r


def _mask(s: str) -> str:
    return s[:4] + "*" * max(0, min(len(s) - 4, 8)) if s else ""
