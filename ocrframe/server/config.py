"""Server configuration: one frozen dataclass, validated once, shared by every part.

Examples
--------
>>> cfg = ServerConfig(auth="token", tokens=("t0k3n-abc",))
>>> cfg.auth_modes
frozenset({'token'})
>>> ServerConfig(auth="aksk")
Traceback (most recent call last):
...
ValueError: auth='aksk' needs credentials= (a mapping access key -> secret key)
>>> ServerConfig(workers=0)
Traceback (most recent call last):
...
ValueError: workers must be an int >= 1, got 0
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..contract import DEFAULT_MAX_BODY_BYTES, MAX_BASE64_BYTES, MAX_SIDE, MIN_SIDE, Limits
from ..secret import Secret

__all__ = ["ServerConfig", "AUTH_MODES", "MAX_BASE64_BYTES", "DEFAULT_MAX_BODY_BYTES"]

#: bodies over the limit are still read (and dropped) up to this many bytes, so a client
#: that is still sending can read the 413 instead of a connection reset
DEFAULT_DRAIN_BYTES = 64 * 1024 * 1024
AUTH_MODES = ("off", "token", "aksk")


def _reveal(v) -> str:
    return v.reveal() if isinstance(v, Secret) else str(v)


def _parse_auth(auth: str | tuple | frozenset) -> frozenset:
    if isinstance(auth, str):
        parts = [p.strip() for p in auth.replace("+", ",").split(",") if p.strip()]
    else:
        parts = list(auth)
    modes = frozenset(parts)
    bad = modes - set(AUTH_MODES)
    if not modes or bad:
        raise ValueError(f"auth must be 'off', 'token', 'aksk' or 'token,aksk', got {auth!r}")
    if "off" in modes and len(modes) > 1:
        raise ValueError(f"auth 'off' cannot be combined with other modes, got {auth!r}")
    return modes


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``ocrframe serve`` can be told.

    Parameters
    ----------
    host, port : str, int
        Where to listen (default 127.0.0.1:8000: loopback only).
    workers : int, default 1
        Backend workers: processes for a process-parallel backend (the LocalEngine),
        threads otherwise. Requests beyond them wait in the queue.
    backend : backend object or spec string, optional
        What answers requests; None = the offline ``LocalEngine``.
    queue_size : int, default 32
        Requests admitted beyond the running ones. When running + queued are full, a new
        request is answered 429 with ``Retry-After`` at once (nothing piles up unbounded).
    auth : str, default "off"
        ``off``, ``token`` (``X-Auth-Token`` must be one of ``tokens``), ``aksk``
        (``SDK-HMAC-SHA256`` signatures by one of ``credentials``) or ``token,aksk``
        (either). ``off`` is only meant for a loopback address.
    tokens : tuple of str
    credentials : mapping access key -> secret key
    clock_skew : float, default 900
        Seconds an AK/SK signature's ``X-Sdk-Date`` may differ from the server's clock
        (the gateway's window is 15 minutes).
    project_ids : tuple of str, optional
        Project ids accepted in ``/v2/{project_id}/...``; None = any.
    max_body_bytes : int
        Largest request body; a larger ``Content-Length`` or a chunked body growing past
        it is answered 413 (``AIS.0103``), nothing past the limit is kept.
    drain_bytes : int, default 64 MiB
        Before an early refusal (413, 401, 429...) the rest of the body is read and dropped
        up to this many bytes (within ``body_timeout``), so a client that is still sending
        reads the answer rather than a connection reset. Larger bodies are cut off.
    max_client_requests : int, default 16
        Requests one client address may have open at once (reading, queued or running);
        more are answered 429 at once. 0 = no per-client cap. Behind a proxy every client
        shares the proxy's address: raise it there.
    max_base64_bytes : int, default 10 MiB
    min_side, max_side : int
        Pixel limits (shortest side >= 15, longest <= 8000, as the contract).
    url_allow : tuple of str
        Hosts (``images.intra``) or networks (``10.1.0.0/16``, ``127.0.0.1``) that URL
        inputs may reach although private, loopback or link-local. Empty: only public
        addresses.
    url_timeout : float, default 10
        Seconds for downloading a URL input, all redirects included.
    url_max_redirects : int, default 3
    url_max_bytes : int
        Largest download (default: what fits the base64 limit).
    url_fetch : bool, default True
        Accept ``url`` inputs at all.
    resolver : callable (host, port) -> list of IP strings, optional
        DNS resolution for URL inputs (tests inject a stub); default ``getaddrinfo``.
    body_timeout : float, default 60
        Seconds a client may take to send its body: 408 after that. A body is read before
        the request is admitted to the backend's queue, so a slow upload holds no slot.
    ocr_timeout : float, default 120
        Seconds one request may wait for its answer (queue + recognition) -> 504.
    retry_after : int, default 1
        Minimum ``Retry-After`` seconds sent with a 429.
    shutdown_grace : float, default 30
        Seconds in-flight requests get to finish on shutdown.
    engine_threads : int, optional
        ONNX Runtime threads per worker process for the default LocalEngine
        (default: cores // workers).
    mp_context : str, default "spawn"
        Start method of the worker processes.
    log_level : str, default "INFO"
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    backend: Any = None
    queue_size: int = 32
    auth: Any = "off"
    tokens: tuple = ()
    credentials: Mapping[str, str] = field(default_factory=dict)
    clock_skew: float = 900.0
    project_ids: tuple | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    drain_bytes: int = DEFAULT_DRAIN_BYTES
    max_client_requests: int = 16
    max_base64_bytes: int = MAX_BASE64_BYTES
    min_side: int = MIN_SIDE
    max_side: int = MAX_SIDE
    url_allow: tuple = ()
    url_timeout: float = 10.0
    url_max_redirects: int = 3
    url_max_bytes: int | None = None
    url_fetch: bool = True
    resolver: Callable | None = None
    body_timeout: float = 60.0
    ocr_timeout: float = 120.0
    retry_after: int = 1
    shutdown_grace: float = 30.0
    engine_threads: int | None = None
    mp_context: str = "spawn"
    log_level: str = "INFO"

    def __post_init__(self):
        for name in ("workers", "port"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < (1 if name == "workers" else 0):
                raise ValueError(f"{name} must be an int >= {1 if name == 'workers' else 0}, got {v!r}")
        for name in ("queue_size", "url_max_redirects", "retry_after", "max_client_requests", "drain_bytes"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise ValueError(f"{name} must be an int >= 0, got {v!r}")
        for name in ("max_body_bytes", "max_base64_bytes", "min_side", "max_side"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name} must be an int >= 1, got {v!r}")
        for name in ("clock_skew", "url_timeout", "body_timeout", "ocr_timeout", "shutdown_grace"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {v!r}")
        Limits(max_base64_bytes=self.max_base64_bytes, min_side=self.min_side, max_side=self.max_side)
        modes = _parse_auth(self.auth)
        object.__setattr__(self, "auth", ",".join(sorted(modes)))
        if any(not isinstance(t, (str, Secret)) or len(_reveal(t)) < 8 for t in self.tokens or ()):
            raise ValueError("every token must be a string of at least 8 characters")
        if any(not ak or not sk for ak, sk in dict(self.credentials or {}).items()):
            raise ValueError("credentials must map non-empty access keys to non-empty secret keys")
        # secrets are kept as Secret: never in a repr, vars() or a pickle in clear
        object.__setattr__(self, "tokens", tuple(t if isinstance(t, Secret) else Secret(t) for t in self.tokens or ()))
        object.__setattr__(self, "credentials", {ak: sk if isinstance(sk, Secret) else Secret(sk)
                                                 for ak, sk in dict(self.credentials or {}).items()})
        if "token" in modes and not self.tokens:
            raise ValueError(f"auth={self.auth!r} needs tokens= (the accepted X-Auth-Token values)")
        if "aksk" in modes and not self.credentials:
            raise ValueError(f"auth={self.auth!r} needs credentials= (a mapping access key -> secret key)")
        if self.project_ids is not None:
            object.__setattr__(self, "project_ids", tuple(self.project_ids))
        object.__setattr__(self, "url_allow", tuple(str(a).strip().lower() for a in self.url_allow if str(a).strip()))
        for entry in self.url_allow:
            if any(c.isdigit() for c in entry.split("/")[0][:1]) or ":" in entry:
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"url_allow entry {entry!r} is neither a host name nor an IP network") from None
        if self.url_max_bytes is None:
            object.__setattr__(self, "url_max_bytes", self.max_base64_bytes * 3 // 4)
        if self.engine_threads is not None and (not isinstance(self.engine_threads, int) or self.engine_threads < 1):
            raise ValueError(f"engine_threads must be an int >= 1 or None, got {self.engine_threads!r}")

    @property
    def auth_modes(self) -> frozenset:
        return _parse_auth(self.auth)

    @property
    def limits(self) -> Limits:
        """The contract's limits as this server applies them."""
        return Limits(max_base64_bytes=self.max_base64_bytes, min_side=self.min_side, max_side=self.max_side)

    @property
    def capacity(self) -> int:
        """Requests admitted at once: running + queued."""
        return self.workers + self.queue_size

    def default_engine_threads(self) -> int:
        return self.engine_threads or max(1, (os.cpu_count() or 1) // self.workers)

    def __repr__(self) -> str:  # never the secrets
        return (f"ServerConfig(host={self.host!r}, port={self.port}, workers={self.workers}, "
                f"auth={self.auth!r}, tokens={len(self.tokens)}, credentials={len(self.credentials)}, "
                f"queue_size={self.queue_size}, url_allow={self.url_allow!r})")
