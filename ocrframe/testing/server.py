"""Running ocrframe's server inside a test or a benchmark: a uvicorn server on a background
thread, on 127.0.0.1 and a free port, stopped (gracefully) on exit.

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

import threading
import time

__all__ = ["ServerThread", "OCR_PATH_V1", "OCR_PATH_V2"]

#: the service's two OCR paths, as a client sends them (project ``p1`` in the newer one)
OCR_PATH_V2 = "/v2/p1/ocr/auto-classification"
OCR_PATH_V1 = "/v1.0/ocr/auto-classification"


class ServerThread:
    """``with ServerThread(app) as srv: srv.url`` — uvicorn on 127.0.0.1:<free port>."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, graceful: float = 10.0):
        import uvicorn

        from ..server.protocol import contract_protocol

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
