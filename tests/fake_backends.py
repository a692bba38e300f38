"""Backends for tests: real objects implementing the protocol, with knobs for faults."""

from __future__ import annotations

import random
import threading
import time

from ocrframe.backends import Replay
from ocrframe.errors import ApiError, AuthenticationError


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


def loads() -> int:
    return LOADS["count"]
