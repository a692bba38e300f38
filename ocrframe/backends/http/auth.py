"""``requests`` auth objects of the HTTP clients: an IAM token (fixed, or from a provider that
refreshes it), HTTP basic auth, and AK/SK request signing (``SDK-HMAC-SHA256``, computed
by :func:`ocrframe.backends.signer.sign_request`). Every secret is a
:class:`~ocrframe.secret.Secret`: no repr shows one, and :meth:`secrets` lists them so that
messages can be scrubbed.
"""

from __future__ import annotations

import time
from typing import Callable, Mapping

from ...secret import Secret
from ..signer import sign_request

__all__ = ["TokenAuth", "BasicAuth", "AKSKAuth", "UNSIGNED_HEADERS"]


class TokenAuth:
    """``requests`` auth sending ``X-Auth-Token``: a fixed token, or one from a provider.

    A provider has ``get() -> str`` and ``invalidate(token) -> bool`` (see
    :class:`~ocrframe.backends.huawei.IamTokenProvider`); with one, a 401 answer makes the
    client fetch a fresh token and try once more.
    """

    def __init__(self, token, *, extra_headers: Mapping[str, str] | None = None, share: bool = False):
        if isinstance(token, str):
            if not token:
                raise ValueError("token is empty")
            token = Secret(token, share=share)
        self._token = token
        self._extra = {k: v for k, v in (extra_headers or {}).items() if v is not None}

    def current(self) -> str:
        t = self._token
        return t.reveal() if isinstance(t, Secret) else t.get()

    def __call__(self, r):
        for k, v in self._extra.items():
            r.headers[k] = v
        r.headers["X-Auth-Token"] = self.current()
        return r

    def on_unauthorized(self, response) -> bool:
        """Called on a 401: True when a fresh token may help (the caller retries once)."""
        if isinstance(self._token, Secret):
            return False
        used = response.request.headers.get("X-Auth-Token") if response.request is not None else None
        return bool(self._token.invalidate(used))

    def secrets(self) -> list:
        t = self._token
        return [t] if isinstance(t, Secret) else list(getattr(t, "secrets", lambda: [])())

    def __repr__(self) -> str:
        kind = "static" if isinstance(self._token, Secret) else type(self._token).__name__
        return f"TokenAuth({kind}, token='***')"


class BasicAuth:
    """``requests`` auth for HTTP basic authentication with the password kept as a Secret."""

    def __init__(self, username: str, password: Secret):
        self.username = username
        self._password = password

    def __call__(self, r):
        raw = f"{self.username}:{self._password.reveal()}".encode("utf-8")
        import base64

        r.headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        return r

    def secrets(self) -> list:
        return [self._password]

    def __repr__(self) -> str:
        return f"BasicAuth({self.username!r}, password='***')"


#: headers a requests PreparedRequest carries that are transport details, not part of the
#: request's meaning: proxies and the HTTP stack may add, drop or rewrite them, so
#: :class:`AKSKAuth` leaves them out of the signature (the gateway only checks what is listed
#: in ``SignedHeaders``).
UNSIGNED_HEADERS = frozenset({
    "authorization", "connection", "keep-alive", "content-length", "transfer-encoding",
    "accept", "accept-encoding", "user-agent", "te", "upgrade", "proxy-authorization",
    "proxy-connection", "expect",
})


try:  # requests is the `cloud` extra: importing this module must not need it
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
