"""Safe download of ``url`` inputs (no SSRF).

Rules, checked on the first URL and again on every redirect:

- ``http`` and ``https`` only; no user:password in the URL; at most ``max_redirects``;
- the host name is resolved **once** (through an injectable resolver) and the connection
  goes to that very address (``Host`` and TLS SNI keep the name), so a DNS answer cannot
  change between the check and the connection (no DNS rebinding);
- every resolved address must be public: loopback, private (RFC 1918, ULA), link-local,
  CGNAT, multicast, reserved, unspecified and the cloud metadata addresses
  (``169.254.169.254``, ``fd00:ec2::254``, ``100.100.100.200``) are refused, unless the host
  name or the address's network is on the allow-list; an IPv4-mapped IPv6 address is
  judged as the IPv4 address it carries;
- one deadline for the whole download (connect, redirects, body), and a byte limit
  checked against ``Content-Length`` and while reading.

Refusals are :class:`~ocrframe.errors.ApiError` ``AIS.0101`` (invalid parameter) raised
*before* any connection is attempted; a download over the limit is ``AIS.0103``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from ..errors import ApiError
from ..types import Status

__all__ = ["SafeFetcher", "URLRefused", "is_public_address", "system_resolver", "METADATA_ADDRESSES"]

METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "192.0.0.192"))
_REDIRECTS = (301, 302, 303, 307, 308)


class URLRefused(ApiError):
    """A URL input the server will not download (scheme, address, redirect)."""

    def __init__(self, message: str):
        super().__init__(Status.INVALID_PARAMETER.code, f"The input parameter is invalid: url refused: {message}",
                         http_status=400)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``getaddrinfo`` gives for ``host`` (TCP)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address that is no metadata endpoint.

    Examples
    --------
    >>> [is_public_address(ipaddress.ip_address(a)) for a in
    ...  ("8.8.8.8", "127.0.0.1", "10.1.2.3", "169.254.169.254", "::ffff:10.0.0.1", "100.64.0.1")]
    [True, False, False, False, False, False]
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None or ip.teredo is not None:
            return False
    if ip in METADATA_ADDRESSES:
        return False
    return bool(ip.is_global) and not ip.is_multicast and not ip.is_reserved and not ip.is_unspecified


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    ip: str
    path: str


class AllowList:
    """Host names and IP networks allowed although not public."""

    def __init__(self, entries: Iterable[str] = ()):
        self.hosts: set[str] = set()
        self.networks: list = []
        for e in entries:
            e = e.strip().lower()
            try:
                self.networks.append(ipaddress.ip_network(e.strip("[]"), strict=False))
            except ValueError:
                self.hosts.add(e.rstrip("."))

    def allows(self, host: str, ip) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        check = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
        return any(check.version == n.version and check in n for n in self.networks)


class SafeFetcher:
    """Downloads one URL under the rules above; thread-safe, one per server.

    Parameters
    ----------
    allow : iterable of str
        Host names or networks allowed although private (see :class:`ServerConfig`).
    timeout : float
        Seconds for the whole download.
    max_bytes : int
        Largest body accepted.
    max_redirects : int
    resolver : callable (host, port) -> list of IP strings, optional
        Default :func:`system_resolver`; tests pass a stub.
    connect : callable (ip, port, timeout) -> socket, optional
        Opens the TCP connection to the already checked address (tests may record it).

    Examples
    --------
    >>> f = SafeFetcher(resolver=lambda host, port: ["10.0.0.7"])
    >>> f.fetch("http://intranet.example/a.jpg")
    Traceback (most recent call last):
    ...
    ocrframe.server.fetch.URLRefused: AIS.0101: The input parameter is invalid: url refused: intranet.example resolves to 10.0.0.7, a private, loopback, link-local or metadata address
    """

    def __init__(self, *, allow: Iterable[str] = (), timeout: float = 10.0, max_bytes: int = 7_864_320,
                 max_redirects: int = 3, resolver: Callable[[str, int], list] | None = None,
                 connect: Callable | None = None, user_agent: str = "ocrframe-server"):
        self.allow = AllowList(allow)
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.resolver = resolver or system_resolver
        self.connect = connect or (lambda ip, port, timeout: socket.create_connection((ip, port), timeout=timeout))
        self.user_agent = user_agent

    # ------------------------------------------------------------------ checks
    def check(self, url: str) -> _Target:
        """Parse, resolve once and judge a URL; :class:`URLRefused` before any connection."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as e:
            raise URLRefused(f"malformed URL ({e}).") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise URLRefused(f"scheme {scheme or '(none)'!r}; only http and https are downloaded.")
        if parts.username is not None or parts.password is not None:
            raise URLRefused("credentials in the URL are not accepted.")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise URLRefused("the URL has no host.")
        port = port or (443 if scheme == "https" else 80)
        literal = _literal_address(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = list(self.resolver(host, port))
            except (OSError, UnicodeError) as e:
                raise URLRefused(f"host {host!r} could not be resolved ({type(e).__name__}).") from None
            if not addresses:
                raise URLRefused(f"host {host!r} has no address.")
        chosen = None
        for a in addresses:
            try:
                ip = ipaddress.ip_address(str(a).split("%")[0])
            except ValueError:
                raise URLRefused(f"host {host!r} resolved to a malformed address.") from None
            if not (is_public_address(ip) or self.allow.allows(host, ip)):
                what = f"{host} resolves to {ip}, a" if literal is None else f"{ip} is a"
                raise URLRefused(f"{what} private, loopback, link-local or metadata address")
            chosen = chosen or str(ip)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return _Target(scheme, host, port, chosen, path)

    # ------------------------------------------------------------------ download
    def fetch(self, url: str) -> bytes:
        """The body at ``url`` after at most ``max_redirects`` checked redirects."""
        deadline = time.monotonic() + self.timeout
        for hop in range(self.max_redirects + 1):
            target = self.check(url)
            status, location, body = self._get(target, deadline)
            if status in _REDIRECTS:
                if not location:
                    raise URLRefused(f"HTTP {status} redirect without a Location.")
                url = urljoin(url, location)
                continue
            if status != 200:
                raise ApiError.of(Status.INVALID_PARAMETER,
                                  f"The input parameter is invalid: downloading url failed: HTTP {status} "
                                  f"from {target.host}.")
            return body
        raise URLRefused(f"more than {self.max_redirects} redirects.")

    def _remaining(self, deadline: float, host: str) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The input parameter is invalid: downloading url from {host} took longer than "
                              f"{self.timeout:g} s.")
        return left

    def _get(self, t: _Target, deadline: float) -> tuple[int, str | None, bytes]:
        conn = _PinnedConnection(t, self.connect, self._remaining(deadline, t.host))
        try:
            try:
                conn.request("GET", t.path, headers={"Host": _host_header(t), "User-Agent": self.user_agent,
                                                     "Accept": "image/*, application/pdf, */*",
                                                     "Accept-Encoding": "identity", "Connection": "close"})
                # http.client drops conn.sock once the answer says the connection ends
                # (HTTP/1.0, "Connection: close"): the deadline is kept on our own reference,
                # which the response's reader still uses
                sock = conn.raw_sock
                sock.settimeout(self._remaining(deadline, t.host))
                resp = conn.getresponse()
                if resp.status in _REDIRECTS:
                    return resp.status, resp.getheader("Location"), b""
                if resp.status != 200:
                    return resp.status, None, b""
                declared = resp.getheader("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                    raise _too_large(self.max_bytes, t.host)
                chunks, n = [], 0
                while True:
                    sock.settimeout(self._remaining(deadline, t.host))
                    chunk = resp.read1(65536)
                    if not chunk:
                        break
                    n += len(chunk)
                    if n > self.max_bytes:
                        raise _too_large(self.max_bytes, t.host)
                    chunks.append(chunk)
                return 200, None, b"".join(chunks)
            except ApiError:
                raise
            except (socket.timeout, TimeoutError):
                raise ApiError.of(Status.INVALID_PARAMETER,
                                  f"The input parameter is invalid: downloading url from {t.host} took longer "
                                  f"than {self.timeout:g} s.") from None
            except (OSError, http.client.HTTPException, ssl.SSLError) as e:
                raise ApiError.of(Status.INVALID_PARAMETER,
                                  f"The input parameter is invalid: downloading url from {t.host} failed "
                                  f"({type(e).__name__}).") from None
        finally:
            conn.close()
            if conn.raw_sock is not None:
                conn.raw_sock.close()


def _literal_address(host: str):
    """The address a host string denotes by itself: standard forms, and the legacy IPv4 forms
    ``inet_aton`` (and so ``getaddrinfo``) accepts — ``2130706433``, ``0x7f000001``,
    ``0177.0.0.1``, ``127.1``."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _too_large(limit: int, host: str) -> ApiError:
    return ApiError.of(Status.IMAGE_SIZE, f"The image size does not meet the requirements: the file at {host} "
                                          f"is larger than {limit} bytes.")


def _host_header(t: _Target) -> str:
    host = f"[{t.host}]" if ":" in t.host else t.host
    default = 443 if t.scheme == "https" else 80
    return host if t.port == default else f"{host}:{t.port}"


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address decided beforehand (never re-resolved)."""

    def __init__(self, t: _Target, connect: Callable, timeout: float):
        super().__init__(t.host, t.port, timeout=timeout)
        self._target = t
        self._connect = connect
        self.raw_sock = None

    def connect(self):
        sock = self._connect(self._target.ip, self._target.port, self.timeout)
        if self._target.scheme == "https":
            ctx = ssl.create_default_context()
            sock = ctx.wrap_socket(sock, server_hostname=self._target.host)
        self.sock = self.raw_sock = sock

    def putrequest(self, method, url, skip_host=False, skip_accept_encoding=False):
        super().putrequest(method, url, skip_host=True, skip_accept_encoding=True)
