"""Backends for tests and benchmarks: real objects implementing the backend protocol, with
knobs for faults, delays, crashes and counting.

- :class:`DigestBackend`: a deterministic answer per image (the fake cloud's
  :func:`~.faults.answer_for` of the image's digest), after an optional sleep or CPU spin;
  :class:`SlowBackend` waits on an event; :class:`CrashingBackend` kills its worker process;
- :class:`Counting` wraps a backend and counts calls; :class:`Scripted` answers by file
  name (an error code, a crash, refused credentials, a malformed body);
- :class:`SlowReplay` and :class:`LazyModel` are :class:`~ocrframe.backends.Replay` s that
  take their time or load a "model" once per process (:func:`lazy_model_loads`).

Examples
--------
>>> from ocrframe.backends import ImageInput, RequestOptions
>>> be = Counting(DigestBackend())
>>> answer = be.recognize(ImageInput("a.png", data=b"bytes"), RequestOptions())
>>> be.calls, len(answer["result"]) >= 1
(['a.png'], True)
"""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time

from ..backends import Replay
from ..errors import ApiError, AuthenticationError
from .faults import answer_for

__all__ = ["DigestBackend", "SlowBackend", "CrashingBackend", "Counting", "Scripted", "SlowReplay", "LazyModel",
           "lazy_model_loads"]


class DigestBackend:
    """A deterministic backend for tests and benchmarks: the answer depends only on the
    image bytes (1-3 documents, some ``AIS.0104``), optionally after ``delay`` seconds of
    sleep or ``spin`` seconds of CPU work. Picklable (process pools)."""

    parallelism = "thread"
    default_workers = 4

    def __init__(self, *, delay: float = 0.0, spin: float = 0.0, parallelism: str = "thread"):
        self.delay = delay
        self.spin = spin
        self.parallelism = parallelism
        self.identity = f"digest:{delay}:{spin}"

    def recognize(self, image, options):
        if self.delay:
            time.sleep(self.delay)
        if self.spin:
            end = time.perf_counter() + self.spin
            x = 0
            while time.perf_counter() < end:
                x += 1
        key = hashlib.sha256(image.data if image.data is not None else image.url.encode()).hexdigest()[:16]
        body = answer_for(key)
        if options.type_list is not None:
            wanted = {t.value for t in options.type_list}
            body = {"result": [d for d in body["result"] if d["type"] in wanted]}
        return body


class SlowBackend(DigestBackend):
    """A :class:`DigestBackend` that waits on an event (tests hold requests in flight)."""

    def __init__(self, gate: threading.Event | None = None, *, delay: float = 0.0):
        super().__init__(delay=delay)
        self.gate = gate
        self.started = threading.Semaphore(0)
        self.identity = "slow"

    def recognize(self, image, options):
        self.started.release()
        if self.gate is not None:
            self.gate.wait(30)
        return super().recognize(image, options)


class CrashingBackend:
    """Kills its worker process when the image ends with ``b"CRASH"`` (pool recovery tests)."""

    parallelism = "process"
    identity = "crashing"

    def recognize(self, image, options):
        if image.data is not None and image.data.endswith(b"CRASH"):
            os._exit(3)
        return {"result": []}


class Counting:
    """Wraps a backend, counting calls; optional random delay scrambles completion order."""

    parallelism = "thread"
    default_workers = 1

    def __init__(self, inner, *, delay: float = 0.0, seed: int = 0, identity: str = "counting"):
        self.inner = inner
        self.delay = delay
        self.identity = identity
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._rng = random.Random(seed)

    def recognize(self, image, options):
        with self._lock:
            self.calls.append(image.name)
            pause = self._rng.random() * self.delay
        if pause:
            time.sleep(pause)
        return self.inner.recognize(image, options)


class Scripted:
    """Answers by file name: 'raise:CODE' raises ApiError(CODE), 'boom' raises RuntimeError,
    'auth' raises AuthenticationError, 'bad' returns a malformed body; else an empty result."""

    parallelism = "thread"
    identity = "scripted"

    def __init__(self, script: dict[str, str]):
        self.script = script

    def recognize(self, image, options):
        action = next((v for k, v in self.script.items() if image.name.endswith(k)), "")
        if action.startswith("raise:"):
            code = action.split(":", 1)[1]
            raise ApiError(code, transient=code.startswith("OCRFRAME.0005"))
        if action == "boom":
            raise RuntimeError("engine exploded")
        if action == "auth":
            raise AuthenticationError("APIGW.0301", "Incorrect IAM authentication information.", http_status=401)
        if action == "bad":
            return {"result": [{"type": "passport", "location": [[0, 0]]}]}
        return {"result": []}


class SlowReplay(Replay):
    """A Replay that takes its time, for the crash-and-resume test (run in a subprocess)."""

    def __init__(self, path, delay: float):
        super().__init__(path)
        self.delay = delay
        self.identity = "slow-replay"

    def recognize(self, image, options):
        time.sleep(self.delay)
        return super().recognize(image, options)


LOADS = {"count": 0}  # per process: how many times a LazyModel backend loaded its "model"


class LazyModel(Replay):
    """Loads a 'model' on first use in each process, counting loads (like LocalEngine)."""

    def __init__(self, path, delay: float = 0.0):
        super().__init__(path)
        self.delay = delay
        self.identity = "lazy-model"
        self._model = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_model"] = None  # models are never pickled into the task graph
        return state

    def recognize(self, image, options):
        if self._model is None:
            LOADS["count"] += 1
            self._model = object()
        if self.delay:
            time.sleep(self.delay)
        return super().recognize(image, options)


def lazy_model_loads() -> int:
    """How many times a :class:`LazyModel` loaded its model in this process (run it on each worker)."""
    return LOADS["count"]
