"""Run a backend over many images: loading, response store, concurrency, progress.

Results come back in input order whatever the completion order. The store is touched
only from the calling thread, each answer committed as it arrives. At most a few
images per worker are in flight (and in memory) at any time.
"""

from __future__ import annotations

import multiprocessing
import re
import os
import stat
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .backends.base import Backend
from .contract import MAX_FILE_BYTES, ImageInput, Outcome, RequestOptions, call_backend, call_in_worker, init_worker
from .errors import ApiError, ResponseValidationError
from .response import Answer, parse_answer, parse_response
from .store import ResponseStore, open_store
from .types import Status

__all__ = ["RunStats", "load_image", "run_backend"]

_URL_PREFIXES = ("http://", "https://")
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_ERRORS = ("row", "raise")


@dataclass
class RunStats:
    """What a run did; ``classify`` puts it in ``docs.attrs["ocrframe"]``."""

    backend: str
    images: int = 0
    requests: int = 0  # answers asked of the backend in this run
    cached: int = 0  # answers taken from the response store
    failed_images: int = 0  # request-level failures (error rows)
    documents: int = 0
    billable_documents: int = 0  # successful documents from requests made in this run
    seconds: float = 0.0
    transport: dict | None = None  # the backend's own counters for this run (HTTP retries, throttling...)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_image(value: Any) -> ImageInput:
    """Turn a cell (path, ``Path``, URL or bytes) into an :class:`ImageInput`.

    Raises
    ------
    ApiError
        ``OCRFRAME.0001`` for a missing file, ``OCRFRAME.0002`` for an unreadable one,
        ``OCRFRAME.0003`` for a value that is none of the accepted kinds.

    Examples
    --------
    >>> load_image("https://example.com/a.jpg").url
    'https://example.com/a.jpg'
    >>> load_image(b"\\x89PNG...").data[:4]
    b'\\x89PNG'
    >>> load_image("no/such/file.jpg")
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: OCRFRAME.0001: no/such/file.jpg: no such file.
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return ImageInput(f"<{len(data)} bytes>", data=data)
    if isinstance(value, str) and value.lower().startswith(_URL_PREFIXES):
        return ImageInput(value, url=value)
    if isinstance(value, str) and _OTHER_SCHEME.match(value):
        raise ApiError.of(Status.BAD_INPUT, f"{value[:200]}: only http(s) URLs are downloaded.")
    if isinstance(value, (str, os.PathLike)) and str(value).strip():
        path = Path(value)
        try:
            st = path.stat()
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(value)
            if not stat.S_ISREG(st.st_mode):  # a FIFO, a device (/dev/zero): never read to the end
                raise ApiError.of(Status.FILE_UNREADABLE, f"{value}: not a regular file.")
            if st.st_size > MAX_FILE_BYTES:  # refused without reading it into memory
                raise ApiError.of(Status.IMAGE_SIZE,
                                  f"{Status.IMAGE_SIZE.message[:-1]}: {value} is {st.st_size / 2**20:.1f} MB; at most "
                                  f"{MAX_FILE_BYTES / 2**20:.1f} MB (10 MB of base64) is accepted.")
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
            return ImageInput(str(value), data=data)
        except FileNotFoundError:
            raise ApiError.of(Status.FILE_NOT_FOUND, f"{value}: no such file.") from None
        except IsADirectoryError:
            raise ApiError.of(Status.FILE_UNREADABLE, f"{value}: is a directory, not an image file.") from None
        except OSError as e:
            raise ApiError.of(Status.FILE_UNREADABLE, f"{value}: {e.strerror or e}.") from None
    raise ApiError.of(Status.BAD_INPUT, f"{value!r} is not an image path, URL or bytes.")


def _make_executor(backend: Backend, workers: int) -> Executor | None:
    if workers <= 1:
        return None
    if getattr(backend, "parallelism", "thread") == "process":
        ctx = multiprocessing.get_context("spawn")  # fork + onnxruntime threads can deadlock
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker,
                                   initargs=(backend,))
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocrframe")


#: seconds of silence after which the progress bar appears (``progress=None``)
PROGRESS_DELAY = 2.0
#: seconds between redraws while no image completes (the elapsed time keeps moving) on a
#: terminal or in a notebook; into a file or a pipe (a CI log), a line that often is noise
PROGRESS_TICK = 1.0
PROGRESS_TICK_LOG = 30.0


class _Progress:
    """A tqdm bar that appears once a run has taken ``PROGRESS_DELAY`` seconds, whatever the
    image count, and is redrawn every ``PROGRESS_TICK`` seconds even while one slow image
    is in flight (tqdm alone draws only when an image completes)."""

    def __init__(self, total: int, progress: bool | None, desc: str):
        import threading

        from tqdm.auto import tqdm

        show = progress is None or bool(progress)
        delay = PROGRESS_DELAY if progress is None else 0.0
        self.bar = tqdm(total=total, disable=not show, desc=desc, unit="img", dynamic_ncols=True, delay=delay)
        self._stop = threading.Event()
        self._thread = None
        if show and total:
            self._thread = threading.Thread(target=self._tick, args=(delay,), daemon=True, name="ocrframe-progress")
            self._thread.start()

    def _interactive(self) -> bool:
        if type(self.bar).__module__.startswith("tqdm.notebook"):
            return True
        fp = getattr(self.bar, "fp", None)
        try:
            return bool(fp is not None and fp.isatty())
        except (AttributeError, ValueError):
            return False

    def _tick(self, delay: float) -> None:
        if self._stop.wait(delay):
            return
        tick = PROGRESS_TICK if self._interactive() else PROGRESS_TICK_LOG
        while not self._stop.is_set():
            self.bar.refresh()
            if self._stop.wait(tick):
                return

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.bar.close()


def _progress_bar(total: int, progress: bool | None, desc: str) -> _Progress:
    return _Progress(total, progress, desc)


def run_backend(values: Sequence[Any], backend: Backend, options: RequestOptions | None = None, *,
                store: ResponseStore | str | os.PathLike | None = None, workers: int | None = None,
                progress: bool | None = None, errors: str = "row") -> tuple[list[Answer], RunStats]:
    """Recognise every value; one :data:`Answer` per value, in input order.

    Parameters
    ----------
    values : sequence
        Paths, ``Path`` objects, URLs or bytes.
    backend : Backend
    options : RequestOptions, optional
    store : ResponseStore or path, optional
        Answers found here are not asked again; new final answers are saved.
    workers : int, optional
        Concurrent requests (threads, or processes for backends with
        ``parallelism = "process"``). Default: the backend's ``default_workers``.
    progress : bool, optional
        Show a tqdm bar (True), never (False); default: once the run has taken more
        than ``PROGRESS_DELAY`` (2) seconds, whatever the number of images.
    errors : {"row", "raise"}, default "row"
        A failed image becomes an error answer, or raises its :class:`ApiError`.
        An :class:`AuthenticationError` always stops the batch.

    Returns
    -------
    answers : list of Response or ApiError
    stats : RunStats
    """
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, got {errors!r}")
    options = options or RequestOptions()
    if workers is None:
        workers = int(getattr(backend, "default_workers", 1) or 1)
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}")
    store, owned = open_store(store)
    identity = backend.identity
    if callable(getattr(backend, "resize_pool", None)):
        backend.resize_pool(workers)  # connection pool at least as large as the worker count
    backend_stats = getattr(backend, "stats", None)
    stats_before = backend_stats.snapshot() if callable(getattr(backend_stats, "snapshot", None)) else None
    opt_key = options.cache_key()
    stats = RunStats(backend=identity, images=len(values))
    answers: list[Answer | None] = [None] * len(values)
    start = time.perf_counter()
    executor = _make_executor(backend, workers)
    bar = _progress_bar(len(values), progress, desc=identity.split(":")[0])
    pending: dict[Future, tuple[int, ImageInput, str | None, str]] = {}
    items: Iterable = iter(enumerate(values))

    def finish(i: int, answer: Answer) -> None:
        if isinstance(answer, ApiError) and errors == "raise":
            raise answer
        answers[i] = answer
        bar.update(1)

    def settle(i: int, image: ImageInput, key: str | None, image_hash: str, outcome: Outcome) -> None:
        stats.requests += 1
        answer: Answer
        if outcome.ok:
            try:
                answer = parse_response(outcome.body)
            except ResponseValidationError as e:
                answer = ApiError.of(Status.BAD_RESPONSE, f"{Status.BAD_RESPONSE.message} {e}")
            else:
                stats.billable_documents += answer.billable
                if store is not None:
                    store.put(key, image_hash=image_hash, backend=identity, options=opt_key, image=image.name,
                              body=outcome.body)
        elif outcome.kind == "auth":
            raise outcome.error()
        else:
            answer = outcome.error()
            if store is not None and not answer.transient:
                store.put(key, image_hash=image_hash, backend=identity, options=opt_key, image=image.name,
                          body=answer.to_body(), is_error=True)
        finish(i, answer)

    def next_request() -> tuple[int, ImageInput, str | None, str] | None:
        """Advance past cached and unloadable values to the next image needing a request."""
        for i, value in items:
            try:
                image = load_image(value)
            except ApiError as e:
                finish(i, e)
                continue
            image_hash = image.content_hash()
            key = None
            if store is not None:
                key = store.key(image_hash, identity, opt_key)
                body = store.get(key)
                if body is not None:
                    stats.cached += 1
                    finish(i, parse_answer(body))
                    continue
            return i, image, key, image_hash
        return None

    try:
        if executor is None:
            while (req := next_request()) is not None:
                settle(*req, call_backend(backend, req[1], options))
        else:
            in_process = isinstance(executor, ProcessPoolExecutor)
            window = 2 * workers
            while True:
                while len(pending) < window and (req := next_request()) is not None:
                    fut = (executor.submit(call_in_worker, req[1], options) if in_process
                           else executor.submit(call_backend, backend, req[1], options))
                    pending[fut] = req
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    req = pending.pop(fut)
                    settle(*req, fut.result())
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        bar.close()
        if owned:
            store.close()
    stats.seconds = time.perf_counter() - start
    if stats_before is not None:
        stats.transport = backend_stats.since(stats_before)
    for a in answers:
        if isinstance(a, ApiError):
            stats.failed_images += 1
        else:
            stats.documents += len(a.documents)
    return answers, stats  # type: ignore[return-value]
