"""One request over the wire: the session, the send loop with its retries, and the mapping of
every transport fault and HTTP answer to the library's own errors.

:func:`send` never raises a ``requests`` exception: each attempt that fails becomes an
:class:`AttemptFailure` (the error to report, and whether it may be retried), and the loop
raises the final :class:`~ocrframe.errors.ApiError` (or
:class:`~ocrframe.errors.AuthenticationError`) once the :class:`~.retry.RetryPolicy` says stop.
Which faults are retried, and why, is the table in :mod:`ocrframe.backends.http`.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable, Iterable, Mapping

from ..._version import __version__
from ...errors import ApiError, AuthenticationError
from ...secret import scrub, strip_userinfo
from ...types import Status
from .retry import RateLimiter, RetryPolicy, parse_retry_after
from .stats import CallStats

__all__ = ["AttemptFailure", "make_session", "normalize_timeout", "send", "error_from_body", "map_http_error"]

log = logging.getLogger("ocrframe.backends")


def _requests():
    try:
        import requests
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError("the cloud backends need requests: pip install 'ocrframe[cloud]'") from None
    return requests


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


class AttemptFailure(Exception):
    """One failed attempt: the error to report, whether to try again, the server's wait.

    Raised by a ``parse`` function given to :func:`send` (for a 2xx answer it cannot use)
    and by the loop itself; :func:`send` turns the last one into its ``error``.
    ``unreadable`` marks a 2xx answer that arrived but cannot be read: the service may
    have billed it, so the policy's ``retry_unreadable_answers`` decides.
    """

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


def map_http_error(status: int, content: bytes, reason: str, *, url: str, secrets=()) -> AttemptFailure:
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
        return AttemptFailure(AuthenticationError(code, msg, http_status=status, transient=False), False)
    return AttemptFailure(ApiError(code, msg, http_status=status, transient=transient), False)


def send(session, method: str, url: str, *, parse: Callable, data: bytes | None = None,
         headers: Mapping[str, str] | None = None, auth=None, timeout=(10.0, 60.0),
         policy: RetryPolicy = RetryPolicy(), limiter: RateLimiter | None = None,
         stats: CallStats | None = None, secrets: Iterable = (), sleep: Callable[[float], Any] = time.sleep):
    """Send one request with retries; return ``parse(response)`` for a 2xx answer.

    ``parse`` turns a 2xx ``requests.Response`` into the value to return, or raises
    :class:`AttemptFailure` (e.g. a truncated body: retryable). Every other outcome is mapped
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
                raise AttemptFailure(ApiError.of(Status.CONNECTION_ERROR,
                                                 f"No connection to {where} within {connect_t:g} s."), True) from None
            except exc.ReadTimeout:
                raise AttemptFailure(ApiError.of(Status.TIMEOUT,
                                                 f"No answer from {where} within {read_t:g} s; not retried: "
                                                 "the service may still recognise (and bill) the request."),
                                     policy.retry_read_timeouts) from None
            except exc.SSLError as e:
                raise AttemptFailure(ApiError.of(Status.CONNECTION_ERROR,
                                                 scrub(f"TLS failure talking to {where}: {_short(str(e))}", secrets)),
                                     False) from None
            except exc.ConnectionError as e:
                # no status line arrived: nothing was answered (and nothing billed) to keep
                raise AttemptFailure(ApiError.of(Status.CONNECTION_ERROR,
                                                 scrub(f"Connection to {where} failed: {_short(str(e))}", secrets)),
                                     True) from None
            except exc.RequestException as e:
                raise AttemptFailure(ApiError.of(Status.BACKEND_ERROR,
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
                    raise AttemptFailure(ApiError.of(Status.TIMEOUT if stalled else Status.BAD_RESPONSE, scrub(
                        f"The HTTP {resp.status_code} answer from {where} {what}; not retried in this run: the "
                        "service may have recognised (and billed) it. A later run asks again.", secrets)),
                        policy.retry_read_timeouts if stalled else policy.retry_unreadable_answers) from None
                raise AttemptFailure(ApiError.of(Status.BAD_RESPONSE, scrub(
                    f"The HTTP {resp.status_code} answer from {where} {what}.", secrets),
                    http_status=resp.status_code), resp.status_code in policy.retry_statuses) from None
            finally:
                resp.close()
            status = resp.status_code
            if 200 <= status < 300:
                try:
                    return parse(resp)
                except AttemptFailure as f:
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
                raise AttemptFailure(ApiError.of(Status.BAD_RESPONSE,
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
        except AttemptFailure as f:
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
