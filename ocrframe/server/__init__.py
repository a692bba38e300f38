"""``ocrframe serve``: the auto-classification contract over HTTP (FastAPI + uvicorn).

Teams that cannot send documents to a public cloud run the same API on their own machine::

    ocrframe serve --host 127.0.0.1 --port 8000 --workers 2                  # no auth, loopback
    OCRFRAME_SERVE_TOKENS=t0k3n ocrframe serve --auth token --host 0.0.0.0
    ocrframe serve --auth aksk --credentials keys.txt                        # "AK SK" per line

``POST /v2/{project_id}/ocr/auto-classification`` (and ``/v1.0/ocr/auto-classification``)
take and answer the contract's bodies, so the official SDK works unchanged once its
endpoint points here::

    client = (OcrClient.new_builder().with_credentials(BasicCredentials(ak, sk, project_id))
              .with_endpoint("http://127.0.0.1:8000").build())
    client.recognize_auto_classification(RecognizeAutoClassificationRequest(body=...))

and so does ocrframe's own client: ``df.ocr.classify(backend="http://127.0.0.1:8000")``.

Parts: :mod:`.config` (:class:`ServerConfig`), :mod:`.validation` (request checks with the
contract's codes), :mod:`.fetch` (safe download of ``url`` inputs), :mod:`.auth` (tokens,
AK/SK signatures), :mod:`.pool` (the backend off the event loop, bounded admission),
:mod:`.app` (the FastAPI application, :func:`create_app`, :func:`serve`), :mod:`.logs`
(JSON lines). A server on a thread and deterministic test backends are in
:mod:`ocrframe.testing`.

Needs the ``server`` extra (fastapi, uvicorn[standard]); ``import ocrframe.server`` alone
stays light: the application is imported on first use.
"""

from __future__ import annotations

from .config import ServerConfig

__all__ = ["ServerConfig", "create_app", "serve"]


def __getattr__(name):
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'ocrframe.server' has no attribute {name!r}")
