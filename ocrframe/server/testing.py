"""Running the server inside a test or a benchmark: a uvicorn server on a background thread,
on 127.0.0.1 and a free port, stopped (gracefully) on exit.

Examples
--------
>>> from ocrframe.server import ServerConfig, create_app
>>> class Empty:
...     identity = "empty"
...     def recognize(self, image, options):
...         return {"result": []}
>>> import requests
>>> with ServerThread(create_app(ServerConfig(backend=Empty()))) as srv:
...     requests.get(srv.url + "/health").json()["status"]
'ok'
"""

from __future__ import annotations

import hashlib
import threading
import time

__all__ = ["ServerThread", "DigestBackend", "SlowBackend"]


class ServerThread:
    """``with ServerThread(app) as srv: srv.url`` — uvicorn on 127.0.0.1:<free port>."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, graceful: float = 10.0):
        import uvicorn

        from .protocol import contract_protocol

        self.config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                                     http=contract_protocol(),
                                     lifespan="on", timeout_graceful_shutdown=graceful, server_header=False)
        self.server = uvicorn.Server(self.config)
        self.server.install_signal_handlers = lambda: None  # not the main thread
        self._thread = threading.Thread(target=self.server.run, name="ocrframe-serve-test", daemon=True)
        self.url = None

    def start(self, timeout: float = 120.0) -> "ServerThread":
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        sock = self.server.servers[0].sockets[0]
        host, port = sock.getsockname()[:2]
        self.port = port
        self.url = f"http://{host}:{port}"
        return self

    def stop(self, timeout: float = 60.0) -> None:
        self.server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


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
        from ..testing.fake_cloud import answer_for

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
        import os

        if image.data is not None and image.data.endswith(b"CRASH"):
            os._exit(3)
        return {"result": []}
