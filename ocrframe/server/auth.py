"""Authentication: off, static ``X-Auth-Token`` tokens, or AK/SK ``SDK-HMAC-SHA256`` signatures.

A signature is verified by recomputing it with ocrframe's signer
(:func:`ocrframe.backends.signer.sign_request`, byte-compatible with the official SDK's)
over exactly the headers the client listed in ``SignedHeaders`` and the body received,
then comparing with :func:`hmac.compare_digest`. ``X-Sdk-Date`` must be signed and within
``clock_skew`` seconds of the server's clock.

Checks that need no body (a token, the key id, the date) run before the body is read, so
an unauthenticated client cannot make the server read 10 MB.

Refusals are 401 ``APIGW.0301`` (the gateway's code), with a message naming the reason
but never a secret.
"""

from __future__ import annotations

import calendar
import hmac
import time
from dataclasses import dataclass
from typing import Callable, Mapping

from ..backends.signer import ALGORITHM, sign_request
from ..errors import AuthenticationError
from ..secret import Secret
from ..types import Status

__all__ = ["Authenticator", "Principal", "parse_authorization"]

_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Principal:
    """Who called: ``kind`` is off / token / aksk; ``id`` a log-safe label (never a secret)."""

    kind: str
    id: str = "-"


def _refuse(reason: str) -> AuthenticationError:
    return AuthenticationError(Status.UNAUTHORIZED.code,
                               f"Incorrect IAM authentication information: {reason}.", http_status=401)


def _mask(s: str) -> str:
    return s[:4] + "***" if len(s) > 4 else "***"


def parse_authorization(value: str) -> dict[str, str]:
    """``SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`` -> its three fields.

    Examples
    --------
    >>> parse_authorization("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ab12")
    {'Access': 'AK1', 'SignedHeaders': 'host;x-sdk-date', 'Signature': 'ab12'}
    """
    if not value.startswith(ALGORITHM + " "):
        raise _refuse(f"Authorization is not an {ALGORITHM} signature")
    fields = {}
    for part in value[len(ALGORITHM) + 1:].split(","):
        k, sep, v = part.strip().partition("=")
        if not sep:
            raise _refuse("malformed Authorization header")
        fields[k] = v.strip()
    if not all(fields.get(k) for k in ("Access", "SignedHeaders", "Signature")):
        raise _refuse("Authorization lacks Access, SignedHeaders or Signature")
    return fields


def _wire_value(v: str) -> str:
    """A header value as the client meant it: Starlette decodes bytes as Latin-1; the SDK
    signs the UTF-8 text."""
    try:
        return v.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return v


class Authenticator:
    """Checks one request against the configured mode(s).

    Parameters
    ----------
    modes : set of {"off", "token", "aksk"}
    tokens : iterable of str
    credentials : mapping access key -> secret key
    clock_skew : float
    now : callable, default time.time
    """

    def __init__(self, modes, *, tokens=(), credentials: Mapping[str, str] | None = None,
                 clock_skew: float = 900.0, now: Callable[[], float] = time.time):
        self.modes = frozenset(modes)
        self._tokens = tuple(t if isinstance(t, Secret) else Secret(t) for t in tokens)
        self._credentials = {ak: sk if isinstance(sk, Secret) else Secret(sk) for ak, sk in (credentials or {}).items()}
        self.clock_skew = clock_skew
        self._now = now

    def __repr__(self) -> str:
        return f"Authenticator(modes={sorted(self.modes)}, tokens={len(self._tokens)}, keys={len(self._credentials)})"

    @property
    def off(self) -> bool:
        return "off" in self.modes

    def precheck(self, headers: Mapping[str, str]) -> tuple[Principal, dict | None]:
        """Checks needing no body: ``(principal, pending)``; ``pending`` (the parsed
        signature) must then be verified with :meth:`verify` once the body is read."""
        if self.off:
            return Principal("off"), None
        token = headers.get("x-auth-token")
        if token is not None and "token" in self.modes:
            given = token.encode("utf-8", "replace")
            ok = False
            for t in self._tokens:  # compare with every token: no early exit to time
                ok |= hmac.compare_digest(given, t.reveal().encode("utf-8"))
            if not ok:
                raise _refuse("verify token failed")
            return Principal("token", f"token:{len(given)}c"), None
        authz = headers.get("authorization")
        if authz is not None and "aksk" in self.modes:
            fields = parse_authorization(authz)
            ak = fields["Access"]
            if ak not in self._credentials:
                raise _refuse("access key not found")
            signed = fields["SignedHeaders"].split(";")
            if "x-sdk-date" not in signed:
                raise _refuse("x-sdk-date is not signed")
            missing = [h for h in signed if headers.get(h) is None]
            if missing:
                raise _refuse(f"signed header {missing[0]} missing")
            date = headers.get("x-sdk-date", "").strip()
            try:
                when = calendar.timegm(time.strptime(date, _DATE_FORMAT))
            except ValueError:
                raise _refuse("x-sdk-date is malformed (expected YYYYMMDDTHHMMSSZ)") from None
            if abs(self._now() - when) > self.clock_skew:
                raise _refuse(f"signature expired: x-sdk-date more than {self.clock_skew:g} s from server time")
            return Principal("aksk", f"ak:{_mask(ak)}"), fields
        wanted = " or ".join(sorted({"token": "X-Auth-Token", "aksk": "an AK/SK Authorization"}[m]
                                    for m in self.modes))
        raise _refuse(f"{wanted} header required")

    def verify(self, pending: dict | None, *, method: str, raw_path: str, query: str,
               headers: Mapping[str, str], body: bytes) -> None:
        """Recompute the signature over the signed headers and the body; 401 on mismatch."""
        if pending is None:
            return
        ak = pending["Access"]
        sk = self._credentials[ak].reveal()
        signed = pending["SignedHeaders"].split(";")
        chosen = {h: _wire_value(headers[h]) for h in signed}
        host = chosen.get("host") or headers.get("host") or "localhost"
        url = f"http://{host}{raw_path}" + (f"?{query}" if query else "")
        try:
            expected = sign_request(method, url, chosen, body, ak=ak, sk=sk)
        except ValueError:
            raise _refuse("signature could not be computed from the signed headers") from None
        if list(expected.signed_headers) != signed:
            raise _refuse("verify aksk signature fail (signed headers)")
        want = expected.headers["Authorization"].rpartition("Signature=")[2]
        if not hmac.compare_digest(want.encode("ascii"), pending["Signature"].encode("ascii", "replace")):
            raise _refuse("verify aksk signature fail")
