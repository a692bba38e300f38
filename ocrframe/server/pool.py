"""The backend behind the server: a process pool (LocalEngine) or a thread pool, with a
bounded admission count.

The event loop never runs a backend: every call goes to an executor, and its result comes
back as an awaitable. At most ``workers + queue_size`` requests are admitted at once;
:meth:`BackendPool.try_admit` answers False beyond that and the server replies 429 with
``Retry-After`` (nothing piles up unbounded). A slot is freed when the backend call has
really finished (not when a client gives up), so the bound holds for work as well as for
connections.

Worker processes get the backend once, pickled, in their initializer (the LocalEngine
loads its models lazily, once per process); a worker that dies is replaced by a fresh
pool, and the requests it held are answered 500.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import math
import multiprocessing
import threading
import time
from typing import Any

from ..contract import ImageInput, Outcome, RequestOptions, call_backend, call_in_worker, init_worker, worker_backend
from ..types import Status

__all__ = ["BackendPool"]


def _warm() -> bool:
    warm = getattr(worker_backend(), "warmup", None)
    if callable(warm):
        warm()
    return True


def _server_error(message: str, http_status: int = 500) -> Outcome:
    return Outcome("error", code=Status.SERVER_ERROR.code, message=message, http_status=http_status, transient=True)


class BackendPool:
    """Runs ``backend.recognize`` off the event loop with bounded admission.

    Parameters
    ----------
    backend : Backend
    workers : int
    queue_size : int
    kind : {"process", "thread"}, optional
        Default: the backend's ``parallelism`` attribute ("thread" when absent).
    mp_context : str, default "spawn"
    retry_after : int, default 1
        Minimum ``Retry-After`` seconds.
    """

    def __init__(self, backend, *, workers: int = 1, queue_size: int = 32, kind: str | None = None,
                 mp_context: str = "spawn", retry_after: int = 1):
        self.backend = backend
        self.workers = workers
        self.queue_size = queue_size
        self.capacity = workers + queue_size
        self.kind = kind or getattr(backend, "parallelism", "thread")
        if self.kind not in ("process", "thread"):
            raise ValueError(f"kind must be 'process' or 'thread', got {self.kind!r}")
        self.mp_context = mp_context
        self.min_retry_after = retry_after
        self._executor: cf.Executor | None = None
        self._lock = threading.Lock()
        self.admitted = 0  # running + queued (touched on the event loop only)
        self.running = 0
        self.completed = 0
        self.rejected = 0
        self.failed = 0
        self._ewma = None  # seconds per call
        self.closing = False

    # ------------------------------------------------------------------ lifecycle
    def _new_executor(self) -> cf.Executor:
        if self.kind == "process":
            ctx = multiprocessing.get_context(self.mp_context)
            return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=init_worker,
                                          initargs=(self.backend,))
        return cf.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocrframe-serve")

    def start(self, *, warm: bool = True, timeout: float = 300.0) -> "BackendPool":
        """Create the executor; with ``warm``, start every worker process now (and let the
        backend load its models, when it has a ``warmup()``), not on the first request."""
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
        if warm and self.kind == "process":
            ex = self._executor
            futs = [ex.submit(_warm) for _ in range(self.workers)]
            cf.wait(futs, timeout=timeout)
            if any(f.done() and f.exception() is not None for f in futs):
                self._replace_broken(ex)  # a worker died while starting: begin with a fresh pool
        return self

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with ``wait``, let the calls already submitted finish."""
        self.closing = True
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=wait, cancel_futures=not wait)

    # ------------------------------------------------------------------ admission
    @property
    def full(self) -> bool:
        return self.admitted >= self.capacity

    def try_admit(self) -> bool:
        """Take a slot (call on the event loop); False when running + queued are full."""
        if self.closing or self.admitted >= self.capacity:
            self.rejected += 1
            return False
        self.admitted += 1
        return True

    def release(self) -> None:
        self.admitted -= 1

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue's length times the mean call
        time, over the workers (at least ``retry_after``)."""
        per_call = self._ewma or 1.0
        waiting = max(0, self.admitted - self.workers + 1)
        return max(self.min_retry_after, math.ceil(per_call * waiting / self.workers))

    # ------------------------------------------------------------------ calls
    async def run(self, data: bytes, options: RequestOptions, *, timeout: float | None = None,
                  name: str = "<request>") -> Outcome:
        """Recognise ``data`` in a worker (:func:`ocrframe.contract.call_backend`); the caller
        holds a slot from :meth:`try_admit`, which this releases when the call has finished
        (even if the caller timed out)."""
        loop = asyncio.get_running_loop()
        ex = self._executor
        if ex is None:
            self.release()
            return _server_error("The server is shutting down.", 503)
        t0 = time.perf_counter()
        image = ImageInput(name, data=data)
        try:
            if self.kind == "process":
                cfut = ex.submit(call_in_worker, image, options)
            else:
                cfut = ex.submit(call_backend, self.backend, image, options)
        except (RuntimeError, cf.BrokenExecutor):
            self.release()
            self._replace_broken(ex)
            return _server_error("Internal server error (worker pool unavailable).")
        fut = asyncio.wrap_future(cfut, loop=loop)

        def _done(f):
            self.release()
            self.completed += 1
            dt = time.perf_counter() - t0
            self._ewma = dt if self._ewma is None else 0.8 * self._ewma + 0.2 * dt

        fut.add_done_callback(_done)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            self.failed += 1
            return Outcome("error", code=Status.TIMEOUT.code, message=f"Recognition did not finish within {timeout:g} s.",
                           http_status=504, transient=True)
        except cf.BrokenExecutor:
            self.failed += 1
            self._replace_broken(ex)
            return _server_error("Internal server error (a worker process died).")

    def _replace_broken(self, broken: cf.Executor) -> None:
        with self._lock:
            if self._executor is broken and not self.closing:
                self._executor = self._new_executor()
        try:
            broken.shutdown(wait=False, cancel_futures=True)
        except Exception:  # pragma: no cover
            pass

    def snapshot(self) -> dict[str, Any]:
        return {"kind": self.kind, "workers": self.workers, "capacity": self.capacity, "admitted": self.admitted,
                "completed": self.completed, "rejected": self.rejected, "failed": self.failed,
                "mean_call_seconds": None if self._ewma is None else round(self._ewma, 4)}
