"""What every HTTP backend shares: session, retries, rate limit, error mapping, image checks.

One :class:`ContractClient` speaks the contract (``POST .../ocr/auto-classification``)
over one ``requests.Session`` with one ``HTTPAdapter`` whose pool is sized to the worker
count; :class:`~ocrframe.backends.huawei.HuaweiCloud` and
:class:`~ocrframe.backends.http.HTTPService` only add endpoints and credentials.

Retries are done here, in one loop, not by urllib3's ``Retry``: every attempt must pass the
shared QPS limiter and be counted, a 401 may refresh an IAM token once, and the rule about
*what* may be retried depends on whether the service may already have done (and billed) the
work:

===========================================  =========  ================================
fault                                        retried?   why
===========================================  =========  ================================
connection refused / DNS / connect timeout   yes        never reached the service
connection dropped before any answer         yes        no answer to keep
429 (``Retry-After`` honoured), 500/502/     yes        the service says "later"
503/504
2xx whose body is cut off or not JSON        **no**     it arrived, so it may be billed:
                                                        an error row a later run retries;
                                                        ``retry_unreadable_answers`` opts
                                                        in; counted in
                                                        ``stats["unreadable_answers"]``
read timeout (request sent, no answer yet)   **no**     it may still be recognised and
                                                        billed; ``retry_read_timeouts``
                                                        opts in
4xx (``AIS.0101``..``AIS.0105``...)          no         the same request fails again
401 / 403 (gateway, IAM, service not         no         :class:`AuthenticationError`:
enabled)                                                the batch stops
===========================================  =========  ================================

Secrets (tokens, secret keys, passwords) live in :class:`~ocrframe.secret.Secret` wrappers,
never appear in a repr or ``vars()``, and every message built from a response or an exception
is scrubbed of them. A client crosses to a worker process without its secrets in clear: those
read from the environment or a credentials file are re-read there, others refuse to be
pickled unless the client was built with ``share_secrets=True``.
"""

from __future__ import annotations

import collections
import email.utils
import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from ..contract import MAX_BASE64_BYTES, MIN_SIDE, MAX_SIDE, ImageInput, Limits, RequestOptions, build_body, check_image
from ..errors import ApiError, AuthenticationError
from ..secret import Secret
from ..types import Status

__all__ = [
    "Secret",
    "RetryPolicy",
    "RateLimiter",
    "CallStats",
    "TokenAuth",
    "ContractClient",
    "make_session",
    "send",
    "check_image",
    "billable_documents",
    "estimate_cost",
    "MAX_BASE64_BYTES",
]

log = logging.getLogger("ocrframe.backends")


def _requests():
    try:
        import requests
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError("the cloud backends need requests: pip install 'ocrframe[cloud]'") from None
    return requests


# --------------------------------------------------------------------------- secrets

_USERINFO = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")


def scrub(text: str, secrets: Iterable[Any]) -> str:
    """``text`` with every secret value (of 4+ characters) and URL password replaced by ``***``.

    Examples
    --------
    >>> scrub("ProxyError: http://bob:pa55@proxy:3128 refused hunter2-long", ["hunter2-long"])
    'ProxyError: http://***@proxy:3128 refused ***'
    """
    text = _USERINFO.sub("***@", text)
    for s in secrets:
        try:
            v = s.reveal() if isinstance(s, Secret) else s
        except ValueError:  # a sourced secret not available in this process: nothing to scrub
            continue
        if v and len(v) >= 4:
            text = text.replace(v, "***")
    return text


def strip_userinfo(url: str) -> str:
    """The URL without ``user:password@`` (for identities, reprs and messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


# --------------------------------------------------------------------------- retry policy

@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    Parameters
    ----------
    max_retries : int, default 3
        Further attempts after the first (0 = never retry).
    backoff : float, default 0.5
        Base of the exponential backoff, seconds: attempt ``n`` (0-based) waits a uniform
        random time in ``[b * 2**n / 2, b * 2**n]`` ("equal jitter"), capped by ``backoff_max``.
    backoff_max : float, default 20.0
    retry_after_max : float, default 60.0
        A ``Retry-After`` longer than this is not waited for: the image fails now with the
        throttling error (a later run retries it; transient errors are never cached).
    retry_statuses : frozenset of int, default {429, 500, 502, 503, 504}
    retry_read_timeouts : bool, default False
        Retry after a read timeout. Off: the request was sent, the service may still
        recognise and bill it.
    retry_unreadable_answers : bool, default False
        Send the request again, in the same run, when a 2xx answer arrived but its body was
        cut off or is not the contract's JSON. **Cost:** the service bills the documents it
        recognised in the first answer whether or not it reached you, so each such retry may
        bill the image twice (at a 47 % fault rate, 42 of 300 images were answered twice).
        Off (default): the image becomes an error row (``OCRFRAME.0006``, transient: not
        stored), and a later run with the same response store asks for it again.

    Examples
    --------
    >>> p = RetryPolicy(backoff=1.0, backoff_max=4.0)
    >>> 0.5 <= p.delay(0) <= 1.0 and 2.0 <= p.delay(3) <= 4.0
    True
    >>> 3.0 <= p.delay(0, retry_after=3.0) <= 4.0
    True
    """

    max_retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 20.0
    retry_after_max: float = 60.0
    retry_statuses: frozenset = frozenset({429, 500, 502, 503, 504})
    retry_read_timeouts: bool = False
    retry_unreadable_answers: bool = False

    def __post_init__(self):
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {self.max_retries!r}")
        for name in ("backoff", "backoff_max", "retry_after_max"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or v < 0:
                raise ValueError(f"{name} must be a number >= 0, got {v!r}")
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        if retry_after is not None:
            # the server's word, plus a little jitter so waiting threads do not return together
            return retry_after + random.uniform(0, min(self.backoff, 1.0))
        exp = min(self.backoff_max, self.backoff * (2 ** attempt))
        return random.uniform(exp / 2, exp)


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """``Retry-After`` in seconds: delta-seconds (decimals tolerated) or an HTTP date.

    Examples
    --------
    >>> parse_retry_after("3"), parse_retry_after("0.25"), parse_retry_after(None)
    (3.0, 0.25, None)
    >>> parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=lambda: 4.0)
    6.0
    """
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())


# --------------------------------------------------------------------------- rate limiter

class RateLimiter:
    """A token bucket shared by all worker threads: at most ``qps`` requests per second.

    ``burst`` tokens may be spent at once (default 1: requests evenly spaced ``1/qps``
    apart, the safest against a service counting per-second windows). Callers that find
    the bucket empty *reserve* the next slot and sleep outside the lock, so waiting threads
    are served in arrival order without busy loops. ``pause(s)`` stops everyone for ``s``
    seconds (a 429 with ``Retry-After`` tells the whole client to back off, not just one
    thread). ``qps=None`` limits nothing but still honours pauses.

    Examples
    --------
    >>> t = [0.0]; slept = []
    >>> lim = RateLimiter(10, clock=lambda: t[0], sleep=slept.append)
    >>> [lim.acquire() for _ in range(3)]
    [0.0, 0.1, 0.2]
    """

    def __init__(self, qps: float | None, burst: int = 1, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Any] = time.sleep):
        if qps is not None and (not isinstance(qps, (int, float)) or qps <= 0):
            raise ValueError(f"qps must be a positive number or None, got {qps!r}")
        if not isinstance(burst, int) or burst < 1:
            raise ValueError(f"burst must be an int >= 1, got {burst!r}")
        self.qps = None if qps is None else float(qps)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = clock()
        self._paused_until = float("-inf")

    def acquire(self) -> float:
        """Take one slot, sleeping until it is due; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            wait = max(0.0, self._paused_until - now)
            if self.qps is not None:
                self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.qps)
                self._last = now
                self._tokens -= 1.0
                if self._tokens < 0:
                    wait = max(wait, -self._tokens / self.qps)
        wait = round(wait, 9)
        if wait > 0:
            self._sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """No slot is handed out for the next ``seconds`` (slots already promised keep theirs)."""
        if seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            self._paused_until = max(self._paused_until, now + seconds)
            if self.qps is not None:
                self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.qps)
                self._last = now
                # the next slot is due `seconds` from now: as if those tokens were spent
                self._tokens = min(self._tokens, -seconds * self.qps + 1.0)

    def __repr__(self) -> str:
        return f"RateLimiter(qps={self.qps}, burst={self.burst})"


# --------------------------------------------------------------------------- statistics

class CallStats:
    """Thread-safe counters of what a backend did in this process (the bill's evidence).

    ``billable_documents`` counts documents with status ``AIS.0000`` in answers actually
    received (answers served from the response store are not calls and are not billed);
    ``unreadable_answers`` counts 2xx answers whose body could not be read: the service
    may have billed them.
    """

    _FIELDS = ("images", "succeeded", "failed", "requests", "retries", "throttled",
               "documents", "billable_documents", "unreadable_answers", "token_refreshes")

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._c = dict.fromkeys(self._FIELDS, 0)
            self._errors: collections.Counter = collections.Counter()
            self._waited = 0.0

    def add(self, **counts: int) -> None:
        with self._lock:
            for k, v in counts.items():
                self._c[k] += v

    def error(self, code: str) -> None:
        with self._lock:
            self._c["failed"] += 1
            self._errors[code] += 1

    def waited(self, seconds: float) -> None:
        with self._lock:
            self._waited += seconds

    def snapshot(self) -> dict:
        """A plain dict: counts, ``errors`` by code, ``wait_seconds`` (limiter + backoff)."""
        with self._lock:
            out = dict(self._c)
            out["errors"] = dict(self._errors)
            out["wait_seconds"] = round(self._waited, 3)
            return out

    def since(self, before: dict) -> dict:
        """What happened after ``before`` (an earlier :meth:`snapshot`): one run's figures.

        Examples
        --------
        >>> s = CallStats(); s.add(requests=2); before = s.snapshot()
        >>> s.add(requests=3, billable_documents=4); s.error("AIS.0103")
        >>> d = s.since(before); d["requests"], d["billable_documents"], d["errors"]
        (3, 4, {'AIS.0103': 1})
        """
        now = self.snapshot()
        out = {k: now[k] - before.get(k, 0) for k in self._FIELDS}
        errs = {k: v - before.get("errors", {}).get(k, 0) for k, v in now["errors"].items()}
        out["errors"] = {k: v for k, v in errs.items() if v}
        out["wait_seconds"] = round(now["wait_seconds"] - before.get("wait_seconds", 0.0), 3)
        return out

    def __getitem__(self, key: str):
        return self.snapshot()[key]

    def __repr__(self) -> str:
        s = self.snapshot()
        return f"CallStats(images={s['images']}, requests={s['requests']}, billable_documents={s['billable_documents']})"


def billable_documents(body: Mapping) -> int:
    """Documents the service bills for in one 200 answer: those with status ``AIS.0000``.

    Examples
    --------
    >>> ok = {"status": {"error_code": "AIS.0000"}}; bad = {"status": {"error_code": "AIS.0104"}}
    >>> billable_documents({"result": [ok, ok, bad]})
    2
    """
    result = body.get("result") if isinstance(body, Mapping) else None
    if not isinstance(result, list):
        return 0
    ok = Status.OK.code
    return sum(1 for d in result if isinstance(d, Mapping) and isinstance(d.get("status"), Mapping)
               and d["status"].get("error_code") == ok)


def estimate_cost(n_images: int, *, docs_per_image: float = 1.0, price_per_1000: float) -> float:
    """A budget before a run: images x documents per image x price per 1 000 documents.

    Only successfully recognised documents are billed, so this is an upper bound when
    ``docs_per_image`` counts every document on the images. Look the price up on the
    provider's pricing page; ocrframe does not ship prices.

    Examples
    --------
    >>> estimate_cost(20_000, docs_per_image=1.5, price_per_1000=25.0)
    750.0
    """
    if n_images < 0 or docs_per_image < 0 or price_per_1000 < 0:
        raise ValueError("n_images, docs_per_image and price_per_1000 must be >= 0")
    return round(n_images * docs_per_image * price_per_1000 / 1000.0, 6)


# --------------------------------------------------------------------------- session

def make_session(pool_size: int = 16, *, verify: bool | str = True, trust_env: bool = True,
                 user_agent: str | None = None):
    """One ``requests.Session`` with one ``HTTPAdapter`` for http and https.

    The pool keeps up to ``pool_size`` connections per host (size it to the worker
    count: a smaller pool opens and drops connections under load). The adapter itself
    never retries (``Retry(0, read=False)``): :func:`send` owns retries.
    """
    requests = _requests()
    from requests.adapters import HTTPAdapter
    from urllib3.util import Retry

    if not isinstance(pool_size, int) or pool_size < 1:
        raise ValueError(f"pool_size must be an int >= 1, got {pool_size!r}")
    s = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size,
                          max_retries=Retry(total=0, read=False, redirect=False), pool_block=False)
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    s.verify = verify
    s.trust_env = trust_env
    from .. import __version__
    s.headers["User-Agent"] = user_agent or f"ocrframe/{__version__} {s.headers.get('User-Agent', '')}".strip()
    return s


def normalize_timeout(timeout) -> tuple[float, float]:
    """``(connect, read)`` seconds from a number or a pair; both must be positive."""
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        pair = (float(timeout), float(timeout))
    elif isinstance(timeout, (tuple, list)) and len(timeout) == 2:
        pair = (float(timeout[0]), float(timeout[1]))
    else:
        raise ValueError(f"timeout must be seconds or a (connect, read) pair, got {timeout!r}")
    if min(pair) <= 0:
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    return pair


# --------------------------------------------------------------------------- auth

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


# --------------------------------------------------------------------------- send

class _Failure(Exception):
    """One failed attempt: the error to report, whether to try again, the server's wait."""

    def __init__(self, error: ApiError, retryable: bool, retry_after: float | None = None, *,
                 unreadable: bool = False):
        super().__init__(error.code)
        self.error = error
        self.retryable = retryable
        self.retry_after = retry_after
        self.unreadable = unreadable


def _short(text: str, n: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "..."


def error_from_body(content: bytes) -> tuple[str, str] | None:
    """``(code, message)`` from an error body in any of the shapes Huawei services use.

    ``{"error_code", "error_msg"}`` (OCR, API gateway, newer IAM), ``"error_message"``
    variants, or Keystone's ``{"error": {"code", "message", "title"}}``.

    Examples
    --------
    >>> error_from_body(b'{"error_code": "AIS.0103", "error_msg": "The image size does not meet the requirements."}')
    ('AIS.0103', 'The image size does not meet the requirements.')
    >>> error_from_body(b'{"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}')
    ('IAM.401', 'The username or password is wrong.')
    >>> error_from_body(b'<html>Bad Gateway</html>') is None
    True
    """
    try:
        obj = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(obj, dict):
        return None
    code = obj.get("error_code")
    if isinstance(code, str) and code:
        msg = obj.get("error_msg") or obj.get("error_message") or obj.get("message") or ""
        return code, str(msg)
    err = obj.get("error")
    if isinstance(err, dict) and ("code" in err or "message" in err):
        return f"IAM.{err.get('code', '')}", str(err.get("message") or err.get("title") or "")
    return None


def map_http_error(status: int, content: bytes, reason: str, *, url: str, secrets=()) -> _Failure:
    """A non-2xx answer as a failure carrying the service's own code and message."""
    parsed = error_from_body(content)
    transient = status == 429 or status >= 500
    if parsed is not None:
        code, msg = parsed
        msg = scrub(msg, secrets) or None
    else:
        snippet = _short(content.decode("utf-8", "replace")) if content else ""
        where = strip_userinfo(url)
        fallback = {401: Status.UNAUTHORIZED, 403: Status.FORBIDDEN, 429: Status.THROTTLED}.get(status)
        if fallback is None:
            fallback = Status.SERVER_ERROR if status >= 500 else Status.BAD_RESPONSE
        code = fallback.code
        msg = scrub(f"{fallback.message} HTTP {status} {reason} from {where}" + (f": {snippet}" if snippet else ""),
                    secrets)
    if status == 401 or (status == 403 and not code.startswith("AIS.")):
        # refused credentials, missing permission or the service not enabled for the
        # account: every other image would fail the same way
        return _Failure(AuthenticationError(code, msg, http_status=status, transient=False), False)
    return _Failure(ApiError(code, msg, http_status=status, transient=transient), False)


def send(session, method: str, url: str, *, parse: Callable, data: bytes | None = None,
         headers: Mapping[str, str] | None = None, auth=None, timeout=(10.0, 60.0),
         policy: RetryPolicy = RetryPolicy(), limiter: RateLimiter | None = None,
         stats: CallStats | None = None, secrets: Iterable = (), sleep: Callable[[float], Any] = time.sleep):
    """Send one request with retries; return ``parse(response)`` for a 2xx answer.

    ``parse`` turns a 2xx ``requests.Response`` into the value to return, or raises
    :class:`_Failure` (e.g. a truncated body: retryable). Every other outcome is mapped
    to :class:`ApiError` (or :class:`AuthenticationError`) with the service's code, after
    the retries the policy allows. Never raises a ``requests`` exception.
    """
    requests = _requests()
    exc = requests.exceptions
    secrets = list(secrets)
    connect_t, read_t = timeout
    attempt = 0
    refreshed = False
    where = strip_userinfo(url)
    while True:
        if limiter is not None:
            waited = limiter.acquire()
            if stats is not None and waited:
                stats.waited(waited)
        if stats is not None:
            stats.add(requests=1)
        try:
            try:
                resp = session.request(method, url, data=data, headers=headers, auth=auth,
                                       timeout=(connect_t, read_t), allow_redirects=False, stream=True)
            except exc.ConnectTimeout:
                raise _Failure(ApiError.of(Status.CONNECTION_ERROR,
                                           f"No connection to {where} within {connect_t:g} s."), True) from None
            except exc.ReadTimeout:
                raise _Failure(ApiError.of(Status.TIMEOUT,
                                           f"No answer from {where} within {read_t:g} s; not retried: "
                                           "the service may still recognise (and bill) the request."),
                               policy.retry_read_timeouts) from None
            except exc.SSLError as e:
                raise _Failure(ApiError.of(Status.CONNECTION_ERROR,
                                           scrub(f"TLS failure talking to {where}: {_short(str(e))}", secrets)),
                               False) from None
            except exc.ConnectionError as e:
                # no status line arrived: nothing was answered (and nothing billed) to keep
                raise _Failure(ApiError.of(Status.CONNECTION_ERROR,
                                           scrub(f"Connection to {where} failed: {_short(str(e))}", secrets)),
                               True) from None
            except exc.RequestException as e:
                raise _Failure(ApiError.of(Status.BACKEND_ERROR,
                                           scrub(f"{type(e).__name__}: {_short(str(e))}", secrets)),
                               False) from None
            try:
                resp.content  # the body, read now that the status is known
            except (exc.ChunkedEncodingError, exc.ContentDecodingError, exc.ConnectionError) as e:
                stalled = isinstance(e, exc.ConnectionError) and e.args and \
                    type(e.args[0]).__name__ == "ReadTimeoutError"
                what = (f"stalled for {read_t:g} s" if stalled else f"was cut off ({_short(str(e))})")
                if 200 <= resp.status_code < 300:
                    if stats is not None:
                        stats.add(unreadable_answers=1)
                    raise _Failure(ApiError.of(Status.TIMEOUT if stalled else Status.BAD_RESPONSE, scrub(
                        f"The HTTP {resp.status_code} answer from {where} {what}; not retried in this run: the "
                        "service may have recognised (and billed) it. A later run asks again.", secrets)),
                        policy.retry_read_timeouts if stalled else policy.retry_unreadable_answers) from None
                raise _Failure(ApiError.of(Status.BAD_RESPONSE, scrub(
                    f"The HTTP {resp.status_code} answer from {where} {what}.", secrets),
                    http_status=resp.status_code), resp.status_code in policy.retry_statuses) from None
            finally:
                resp.close()
            status = resp.status_code
            if 200 <= status < 300:
                try:
                    return parse(resp)
                except _Failure as f:
                    if f.unreadable:  # a 2xx that arrived: the service may have billed it
                        f.retryable = policy.retry_unreadable_answers
                    raise
            if status == 401 and not refreshed and getattr(auth, "on_unauthorized", None) is not None:
                if auth.on_unauthorized(resp):
                    refreshed = True
                    if stats is not None:
                        stats.add(token_refreshes=1)
                    continue
            if 300 <= status < 400:
                raise _Failure(ApiError.of(Status.BAD_RESPONSE,
                                           f"HTTP {status} redirect from {where} not followed "
                                           "(credentials are never sent to another address).",
                                           http_status=status, transient=False), False)
            failure = map_http_error(status, resp.content, resp.reason or "", url=url, secrets=secrets)
            if status in policy.retry_statuses and not isinstance(failure.error, AuthenticationError):
                failure.retryable = True
                failure.retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            if status == 429 and stats is not None:
                stats.add(throttled=1)
            raise failure
        except _Failure as f:
            err = f.error
            if not f.retryable or attempt >= policy.max_retries:
                if attempt:
                    err.message = f"{err.message} (gave up after {attempt + 1} attempts)"
                    err.args = (f"{err.code}: {err.message}",)
                raise err from None
            if f.retry_after is not None and f.retry_after > policy.retry_after_max:
                err.message = (f"{err.message} (the service asked to wait {f.retry_after:g} s, "
                               f"more than retry_after_max={policy.retry_after_max:g} s)")
                err.args = (f"{err.code}: {err.message}",)
                raise err from None
            if f.retry_after and limiter is not None and err.http_status == 429:
                limiter.pause(f.retry_after)
            delay = policy.delay(attempt, f.retry_after)
            log.debug("retry %d/%d in %.3f s after %s", attempt + 1, policy.max_retries, delay, err)
            if stats is not None:
                stats.add(retries=1)
                stats.waited(delay)
            sleep(delay)
            attempt += 1


class ContractClient:
    """The client logic shared by the HTTP backends (see the module docstring).

    Subclasses set ``identity``, pass the request URL and an auth object, and may override
    :meth:`_url`. Thread-safe: one object serves every worker thread.
    """

    parallelism = "thread"
    default_workers = 8
    _runtime = ("_session", "_limiter", "_lock", "stats")

    def __init__(self, url: str, *, auth=None, timeout=(10.0, 60.0), max_retries: int = 3,
                 retry: RetryPolicy | None = None, qps: float | None = None, burst: int = 1,
                 pool_size: int | None = None, check_images: bool = True, max_side: int = MAX_SIDE,
                 min_side: int = MIN_SIDE, max_base64_bytes: int = MAX_BASE64_BYTES,
                 headers: Mapping[str, str] | None = None, verify: bool | str = True,
                 trust_env: bool = True, secrets: Iterable = (), share_secrets: bool = False):
        self._url_value = url
        self.share_secrets = share_secrets
        self._auth = auth
        self.timeout = normalize_timeout(timeout)
        self.retry = retry if retry is not None else RetryPolicy(max_retries=max_retries)
        self.qps = qps
        self.burst = burst
        self.pool_size = pool_size or max(self.default_workers, 16)
        self.check_images = check_images
        self.limits = Limits(min_side=min_side, max_side=max_side, max_base64_bytes=max_base64_bytes)
        self._headers = {"Content-Type": "application/json;charset=UTF-8", **(headers or {})}
        self._verify = verify
        self._trust_env = trust_env
        self._static_secrets = [x if isinstance(x, Secret) else Secret(x, share=share_secrets) for x in secrets if x]
        self.stats = CallStats()
        self._init_runtime()

    def _init_runtime(self):
        self._lock = threading.Lock()
        self._session = make_session(self.pool_size, verify=self._verify, trust_env=self._trust_env)
        self._limiter = RateLimiter(self.qps, self.burst)

    # pickling (process pools, Dask): the session, locks and limiter are rebuilt per process
    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in self._runtime}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.stats = CallStats()
        self._init_runtime()

    def __dask_tokenize__(self):
        # Dask hashes graph objects; never by pickling the credentials
        return (type(self).__name__, self.identity, repr(self.timeout), repr(self.retry), self.qps)

    def resize_pool(self, workers: int) -> None:
        """Grow the connection pool to ``workers`` connections (call before a batch starts)."""
        with self._lock:
            if workers > self.pool_size:
                old = self._session
                self.pool_size = workers
                self._session = make_session(workers, verify=self._verify, trust_env=self._trust_env)
                old.close()

    def close(self) -> None:
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _url(self) -> str:
        return self._url_value

    @property
    def _secrets(self) -> list:
        """Values to scrub from messages: given secrets plus the auth's current ones."""
        extra = self._auth.secrets() if hasattr(self._auth, "secrets") else []
        return self._static_secrets + list(extra)

    def _parse_answer(self, resp) -> dict:
        try:
            obj = json.loads(resp.content)
        except (ValueError, UnicodeDecodeError) as e:
            self.stats.add(unreadable_answers=1)
            raise _Failure(ApiError.of(
                Status.BAD_RESPONSE,
                f"HTTP {resp.status_code} answer of {len(resp.content)} bytes is not valid JSON ({e}); not retried "
                "in this run: the service may have recognised (and billed) it. A later run asks again.",
                http_status=resp.status_code), True, unreadable=True) from None
        if isinstance(obj, dict) and isinstance(obj.get("result"), list):
            return obj
        if isinstance(obj, dict) and "error_code" in obj:
            code, msg = error_from_body(resp.content) or (Status.BAD_RESPONSE.code, "")
            raise _Failure(ApiError(code, scrub(msg, self._secrets) or None), False)
        self.stats.add(unreadable_answers=1)
        got = type(obj).__name__ if not isinstance(obj, dict) else "keys " + ", ".join(map(str, list(obj)[:5]))
        raise _Failure(ApiError.of(Status.BAD_RESPONSE,
                                   f"HTTP {resp.status_code} answer has no 'result' list (got {got}); not retried in "
                                   "this run: the service may have billed it. A later run asks again."),
                       True, unreadable=True)

    def recognize(self, image: ImageInput, options: RequestOptions) -> dict:
        """POST one image; the 200 body as a dict, or :class:`ApiError` with the service's code."""
        self.stats.add(images=1)
        try:
            if image.data is not None:
                if self.check_images:
                    check_image(image.data, image.name, self.limits)
            else:
                _check_url(image.url, image.name)
            body = build_body(image, options)
            answer = send(self._session, "POST", self._url(), parse=self._parse_answer, data=body,
                          headers=self._headers, auth=self._auth, timeout=self.timeout, policy=self.retry,
                          limiter=self._limiter, stats=self.stats, secrets=self._secrets)
        except AuthenticationError as e:
            self.stats.error(e.code)
            if not getattr(e, "_explained", False):
                # the batch stops on this one error: say which client and what to check
                e.message = f"{e.message} -- every image would fail the same way; check the credentials, " \
                            f"permissions and project of {self!r}"
                e.args = (f"{e.code}: {e.message}",)
                e._explained = True
            raise
        except ApiError as e:
            self.stats.error(e.code)
            raise
        except Exception as e:  # a bug or an odd input must not kill the batch
            self.stats.error(Status.BACKEND_ERROR.code)
            raise ApiError.of(Status.BACKEND_ERROR,
                              scrub(f"{type(e).__name__}: {e}", self._secrets), transient=True) from None
        n = billable_documents(answer)
        self.stats.add(succeeded=1, documents=len(answer["result"]), billable_documents=n)
        return answer


def _check_url(url: str, name: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError.of(Status.INVALID_PARAMETER,
                          f"{name}: the service downloads http(s) URLs only (OBS gives https URLs), got {url!r}.")
