"""Helpers shared by the benchmarks: timing medians, a machine line, a process pool over jobs."""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Callable


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def median_seconds(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls (after none warm-up: callers warm up if needed)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_jobs(fn: Callable, jobs: list, workers: int) -> list:
    """``fn`` over the jobs in order: in a pool of ``workers`` spawned processes (each
    loading the models once), or in this process when ``workers`` is 1."""
    if workers <= 1:
        return [fn(j) for j in jobs]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as ex:
        return list(ex.map(fn, jobs))


def threads_per_worker(workers: int) -> int:
    """ONNX Runtime threads for each of ``workers`` processes sharing this machine's cores."""
    return max(1, (os.cpu_count() or 1) // workers)
