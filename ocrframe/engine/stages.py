"""Wall time of the engine's stages, for the speed benchmark (off unless asked for).

The OCR layer marks its own stages (decode, detection, classifier, recognition, re-reads);
a benchmark can mark others around any function with :func:`wrap`. Time is charged to
the innermost open stage only, so the stages of one image add up to at most its wall
time. A stage opened with ``absorb=True`` (re-reads) keeps the time of everything it
calls: the detection and recognition run inside a re-read count as the re-read.

The clock is process-wide and off by default; when off, :func:`stage` costs one
attribute test.

Examples
--------
>>> import time
>>> with recording() as clock:
...     with stage("detection"):
...         time.sleep(0.01)
...         with stage("recognition"):
...             time.sleep(0.01)
>>> sorted(clock.seconds)
['detection', 'recognition']
>>> clock.seconds["detection"] < clock.seconds["detection"] + clock.seconds["recognition"]
True
"""

from __future__ import annotations

import functools
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

__all__ = ["STAGES", "StageClock", "stage", "recording", "wrap"]

#: the stages the benchmark reports, in pipeline order
STAGES = ("decode", "detection", "classifier", "recognition", "localisation", "classification",
          "extraction", "rereads")


@dataclass
class StageClock:
    """Seconds and calls per stage since :meth:`reset`."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    enabled: bool = False
    _stack: list = field(default_factory=list)  # [name, started, absorbs]

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self._stack.clear()

    def _charge(self, name: str, now: float, since: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + (now - since)

    def enter(self, name: str, absorb: bool) -> bool:
        """Open a stage; False when an absorbing stage is open (the call is then its own)."""
        if self._stack and self._stack[-1][2]:
            return False
        now = time.perf_counter()
        if self._stack:
            top = self._stack[-1]
            self._charge(top[0], now, top[1])
        self._stack.append([name, now, absorb])
        self.calls[name] = self.calls.get(name, 0) + 1
        return True

    def leave(self) -> None:
        now = time.perf_counter()
        name, since, _ = self._stack.pop()
        self._charge(name, now, since)
        if self._stack:
            self._stack[-1][1] = now


_CLOCK = StageClock()


@contextmanager
def stage(name: str, *, absorb: bool = False) -> Iterator[None]:
    """Charge the time spent inside to ``name`` (when the clock is recording)."""
    if not _CLOCK.enabled or not _CLOCK.enter(name, absorb):
        yield
        return
    try:
        yield
    finally:
        _CLOCK.leave()


@contextmanager
def recording() -> Iterator[StageClock]:
    """Record stage times inside the block; yields the (reset) process-wide clock."""
    _CLOCK.reset()
    _CLOCK.enabled = True
    try:
        yield _CLOCK
    finally:
        _CLOCK.enabled = False


def wrap(owner, attr: str, name: str, *, absorb: bool = False) -> Callable[[], None] | None:
    """Time ``owner.attr`` (a module function) as stage ``name``; returns an undo function,
    or None when ``owner`` has no such attribute (the benchmark then reports it missing)."""
    fn = getattr(owner, attr, None)
    if fn is None or not callable(fn):
        return None

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        with stage(name, absorb=absorb):
            return fn(*args, **kwargs)

    setattr(owner, attr, timed)
    return lambda: setattr(owner, attr, fn)
