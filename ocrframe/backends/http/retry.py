"""When to try a request again, and how fast requests may leave: the retry policy and the
rate limiter shared by every worker thread of a client (see :mod:`ocrframe.backends.http`
for which faults are retried and why).
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["RetryPolicy", "RateLimiter", "parse_retry_after"]


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
