"""``ocrframe serve``: the auto-classification contract over HTTP (FastAPI).

Needs the ``server`` extra (fastapi, uvicorn). ``create_app(ServerConfig(...))`` builds the
application; ``serve(config)`` runs it with uvicorn.
"""

from __future__ import annotations

from .config import ServerConfig

__all__ = ["ServerConfig", "create_app", "serve"]


def __getattr__(name):
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'ocrframe.server' has no attribute {name!r}")
