"""Shared by the cloud-client benchmarks: a fake service in a subprocess, images, a driver."""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import threading
from typing import Callable, Iterable, Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextlib.contextmanager
def fake_server(*args: str) -> Iterator[str]:
    """``python -m ocrframe.testing.fake_cloud *args`` in its own process (no GIL sharing); its URL."""
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "ocrframe.testing.fake_cloud", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"fake service did not start: {url!r}")
        yield url
    finally:
        proc.stdin.close()  # the server exits when its stdin closes
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def template_png(w: int = 640, h: int = 400) -> bytes:
    """A noisy PNG (does not compress away), about the size of a phone photo's thumbnail."""
    from PIL import Image
    import random

    rnd = random.Random(0)
    im = Image.frombytes("L", (w, h), bytes(rnd.getrandbits(8) for _ in range(w * h)))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def images(n: int, template: bytes) -> Iterator:
    """``n`` distinct images made lazily (a counter appended after the PNG's end)."""
    from ocrframe.backends.base import ImageInput

    for i in range(n):
        yield ImageInput(f"img{i:06d}.png", data=template + i.to_bytes(8, "big"))


def drive(call: Callable, items: Iterable, workers: int) -> dict:
    """Run ``call(item)`` over ``items`` on ``workers`` threads pulling from one iterator.

    Nothing is kept but counts, so memory reflects the client, not the results.
    """
    it = iter(items)
    lock = threading.Lock()
    counts = {"ok": 0, "error": 0}

    def worker():
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                return
            try:
                call(item)
                key = "ok"
            except Exception:
                key = "error"
            with lock:
                counts[key] += 1

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux: ru_maxrss is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
