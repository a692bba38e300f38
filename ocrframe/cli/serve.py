"""``ocrframe serve``: the auto-classification API over HTTP (FastAPI + uvicorn).

Tokens and AK/SK pairs come from the flags, a credentials file, or the environment
(``OCRFRAME_SERVE_TOKENS``, ``OCRFRAME_SERVE_AKSK``); see :mod:`ocrframe.server`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from .exits import EXIT_OK

__all__ = ["register"]


def register(sub) -> Callable:
    """Add ``serve`` to an ``argparse`` subparsers object; return its runner."""
    from ..backends import BACKEND_SPECS

    p = sub.add_parser("serve", help="serve the auto-classification API over HTTP",
                       description="Serve POST /v2/{project_id}/ocr/auto-classification (and /v1.0/...) "
                                   "with the contract's bodies; the official SDK can call it unchanged.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="backend worker processes (LocalEngine) or threads")
    p.add_argument("--backend", default=None, help="; ".join(BACKEND_SPECS))
    p.add_argument("--queue-size", type=int, default=32, help="requests waiting beyond the running ones; "
                                                              "more are answered 429 + Retry-After")
    p.add_argument("--auth", default="off", help="off | token | aksk | token,aksk")
    p.add_argument("--token", action="append", default=[], metavar="TOKEN",
                   help="accepted X-Auth-Token (repeat; or OCRFRAME_SERVE_TOKENS=t1,t2)")
    p.add_argument("--credentials", metavar="FILE",
                   help="AK/SK pairs, one 'AK SK' (or AK:SK) per line (or OCRFRAME_SERVE_AKSK=ak:sk,...)")
    p.add_argument("--project-id", action="append", default=None, metavar="ID",
                   help="project id accepted in the path (repeat; default: any)")
    p.add_argument("--url-allow", action="append", default=[], metavar="HOST|CIDR",
                   help="host or network URL inputs may reach although private (repeat)")
    p.add_argument("--no-url", action="store_true", help="refuse url inputs")
    p.add_argument("--url-timeout", type=float, default=10.0)
    p.add_argument("--max-body-mb", type=float, default=None, help="largest request body (default 10 MB + 64 KB)")
    p.add_argument("--ocr-timeout", type=float, default=120.0, help="seconds per request (queue + OCR) -> 504")
    p.add_argument("--body-timeout", type=float, default=60.0, help="seconds to receive a body -> 408")
    p.add_argument("--max-client-requests", type=int, default=16,
                   help="requests one client address may have open at once (0: no cap; raise it behind a proxy)")
    p.add_argument("--engine-threads", type=int, default=None, help="ONNX Runtime threads per worker process")
    p.add_argument("--log-level", default="INFO")

    def run(args) -> int:
        import os

        from ..server import ServerConfig
        from ..server.app import serve

        tokens = list(args.token) + [t for t in os.environ.get("OCRFRAME_SERVE_TOKENS", "").split(",") if t]
        creds: dict[str, str] = {}
        pairs = [x for x in os.environ.get("OCRFRAME_SERVE_AKSK", "").split(",") if x]
        if args.credentials:
            pairs += Path(args.credentials).read_text(encoding="utf-8").splitlines()
        for line in pairs:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            ak, _, sk = line.replace(":", " ", 1).partition(" ")
            creds[ak.strip()] = sk.strip()
        kw = {}
        if args.max_body_mb:
            kw["max_body_bytes"] = int(args.max_body_mb * 2**20)
        config = ServerConfig(host=args.host, port=args.port, workers=args.workers, backend=args.backend,
                              queue_size=args.queue_size, auth=args.auth, tokens=tuple(tokens), credentials=creds,
                              project_ids=tuple(args.project_id) if args.project_id else None,
                              url_allow=tuple(args.url_allow), url_fetch=not args.no_url,
                              url_timeout=args.url_timeout, ocr_timeout=args.ocr_timeout, body_timeout=args.body_timeout,
                              engine_threads=args.engine_threads, log_level=args.log_level,
                              max_client_requests=args.max_client_requests, **kw)
        if config.auth == "off" and config.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: serving on {config.host} without authentication (--auth off)", file=sys.stderr)
        serve(config)
        return EXIT_OK

    return run
