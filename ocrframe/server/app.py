"""The FastAPI application: the auto-classification contract over HTTP.

``POST /v2/{project_id}/ocr/auto-classification`` and ``POST /v1.0/ocr/auto-classification``
take the contract's request body and answer its response body (``{"result": [...]}``), or
``{"error_code", "error_msg"}`` with the service's codes. ``GET /health`` reports the backend
and the pool; ``GET /openapi.json`` (and ``/docs``) describe the API.

One request goes through, in order: request id; the per-address cap (429 when one client
already has ``max_client_requests`` open); project id; authentication checks that need no
body; ``Content-Length`` against the limit; the body, read chunk by chunk within the limit
and ``body_timeout``; the AK/SK signature over that body; the contract's request parsing;
the image (base64 decoded, or the URL downloaded safely) checked from its header; only then
admission to the backend (429 + ``Retry-After`` when running + queued requests are at
capacity), so a slow or invalid upload never holds a backend slot; recognition in the
worker pool. An early refusal drains the rest of the body (up to ``drain_bytes``) before
answering, so a client still sending reads the answer rather than a reset. Parsing,
decoding and downloading large inputs run in threads: the event loop only moves bytes.

Examples
--------
>>> from fastapi.testclient import TestClient
>>> from ocrframe.server import ServerConfig, create_app
>>> class Empty:
...     identity = "empty"
...     def recognize(self, image, options):
...         return {"result": []}
>>> with TestClient(create_app(ServerConfig(backend=Empty()))) as client:
...     r = client.post("/v2/p1/ocr/auto-classification", json={"image": "bm90IGFuIGltYWdl"})
>>> r.status_code, r.json()["error_code"]
(400, 'AIS.0102')
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import re
import time
from typing import Any

try:
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException
except ImportError:  # pragma: no cover - exercised only without the extra
    raise ImportError("the server needs its extra: pip install 'ocrframe[server]'") from None

from ..contract import Outcome, request_json_schema
from ..errors import ApiError
from ..types import Status
from .auth import Authenticator
from .config import ServerConfig
from .fetch import SafeFetcher
from .logs import log, new_request_id
from .pool import BackendPool
from .validation import BodyTooLarge, check_content_length, check_file, decode_image, parse_body

__all__ = ["create_app", "serve", "build_backend", "openapi_schema"]

_RID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_THREAD_THRESHOLD = 256 * 1024  # bodies larger than this are parsed/decoded off the event loop
_NOT_FOUND = ("APIGW.0101", "The API does not exist or has not been published in the environment.")


def build_backend(config: ServerConfig):
    """The configured backend; the offline LocalEngine when none is given."""
    from ..backends import resolve_backend

    if config.backend is None:
        try:
            from ..backends.local import LocalEngine
        except ImportError as e:
            raise ImportError(f"the default backend (LocalEngine) needs its extra: pip install "
                              f"'ocrframe[engine]' ({e}); or pass another backend") from None

        return LocalEngine(threads=config.default_engine_threads())
    return resolve_backend(config.backend)


class _RequestIdMiddleware:
    """Pure ASGI: gives every HTTP request an id (the client's ``X-Request-Id`` when sane)
    and echoes it on the response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = None
        for k, v in scope.get("headers", ()):
            if k == b"x-request-id":
                cand = v.decode("latin-1")
                if _RID.match(cand):
                    rid = cand
                break
        rid = rid or new_request_id()
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_id)


class _Disconnected(Exception):
    """The client closed the connection before its body arrived."""


class _Body:
    """The request body from the raw ASGI ``receive``: read within a limit, or drained after
    an early refusal (Starlette's ``request.stream()`` cannot be resumed once stopped)."""

    def __init__(self, receive):
        self._receive = receive
        self.complete = False

    async def _chunks(self):
        while not self.complete:
            msg = await self._receive()
            if msg["type"] == "http.disconnect":
                self.complete = True
                raise _Disconnected()
            if not msg.get("more_body", False):
                self.complete = True
            chunk = msg.get("body", b"")
            if chunk:
                yield chunk

    async def read(self, limit: int) -> bytes:
        """The whole body; :class:`BodyTooLarge` as soon as it passes ``limit`` bytes."""
        buf = bytearray()
        async for chunk in self._chunks():
            if len(buf) + len(chunk) > limit:
                raise BodyTooLarge(limit, seen=limit)
            buf += chunk
        return bytes(buf)

    async def drain(self, limit: int) -> int:
        """Read and drop up to ``limit`` more bytes; returns how many."""
        n = 0
        async for chunk in self._chunks():
            n += len(chunk)
            if n > limit:
                break
        return n


def http_error(outcome: Outcome) -> ApiError:
    """A failed backend call as the server answers it."""
    if outcome.kind == "auth" or outcome.http_status in (401, 403) and not outcome.code.startswith("AIS."):
        # the backend's own credentials (a proxied cloud) are not the caller's fault
        return ApiError(Status.SERVER_ERROR.code, "The recognition backend refused its credentials.", http_status=500)
    if outcome.kind == "crash":
        return ApiError(Status.SERVER_ERROR.code, f"Internal server error ({outcome.message}).", http_status=500)
    return ApiError(outcome.code, outcome.message, http_status=outcome.http_status or 500)


def create_app(config: ServerConfig | None = None, *, backend: Any = None, pool: BackendPool | None = None):
    """The FastAPI application for ``config``.

    Parameters
    ----------
    config : ServerConfig, optional
    backend : backend object, optional
        Overrides ``config.backend`` (tests inject one).
    pool : BackendPool, optional
        A pool to use as is (its lifecycle then stays the caller's).
    """
    config = config or ServerConfig()
    if backend is not None:
        import dataclasses

        config = dataclasses.replace(config, backend=backend)
    auth = Authenticator(config.auth_modes, tokens=config.tokens, credentials=config.credentials,
                         clock_skew=config.clock_skew)
    fetcher = SafeFetcher(allow=config.url_allow, timeout=config.url_timeout, max_bytes=config.url_max_bytes,
                          max_redirects=config.url_max_redirects, resolver=config.resolver)
    own_pool = pool is None
    state: dict[str, Any] = {"pool": pool, "started": time.time(), "in_flight": 0,
                             "clients": collections.Counter()}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if state["pool"] is None:
            be = build_backend(config)
            state["pool"] = BackendPool(be, workers=config.workers, queue_size=config.queue_size,
                                        mp_context=config.mp_context, retry_after=config.retry_after)
        p = state["pool"]
        if own_pool:
            await asyncio.to_thread(p.start)
        log.info("started", extra={"fields": {"backend": getattr(p.backend, "identity", "?"), "workers": p.workers,
                                               "pool": p.kind, "capacity": p.capacity, "auth": config.auth}})
        try:
            yield
        finally:
            # uvicorn has already waited for in-flight requests (its graceful shutdown);
            # calls still in the pool finish before the workers stop
            if own_pool:
                p.closing = True
                await asyncio.to_thread(p.shutdown, True)
            log.info("stopped", extra={"fields": p.snapshot()})

    app = FastAPI(title="ocrframe auto-classification service", version=_version(),
                  description="The Huawei Cloud OCR auto-classification contract, served by ocrframe.",
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.config = config
    app.state.server_state = state

    def error(status: int, code: str, msg: str, rid: str, headers: dict | None = None) -> JSONResponse:
        return JSONResponse({"error_code": code, "error_msg": msg}, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_exc(request: Request, exc: StarletteHTTPException):
        rid = request.state.request_id
        if exc.status_code == 404:
            return error(404, *_NOT_FOUND, rid)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers.setdefault("Allow", "POST")
            return error(405, "APIGW.0101", "The method is not allowed for this API.", rid, headers)
        return error(exc.status_code, Status.INVALID_PARAMETER.code, str(exc.detail)[:200], rid, headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error(400, Status.INVALID_PARAMETER.code, Status.INVALID_PARAMETER.message, "-")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):  # pragma: no cover - last resort
        log.error("unhandled", exc_info=(type(exc), exc, exc.__traceback__),
                  extra={"fields": {"request_id": getattr(request.state, "request_id", "-")}})
        return error(500, Status.SERVER_ERROR.code, Status.SERVER_ERROR.message, "-")

    async def handle(request: Request, project_id: str | None) -> JSONResponse:
        p: BackendPool = state["pool"]
        rid = request.state.request_id
        t0 = time.perf_counter()
        client = request.client.host if request.client else "-"
        fields: dict[str, Any] = {"request_id": rid, "method": request.method, "route": "v2" if project_id
                                  is not None else "v1.0", "client": client}
        body_in = _Body(request.receive)
        clients = state["clients"]
        counted = admitted = handed_over = False
        declared = None
        status = 200
        headers: dict[str, str] = {}
        try:
            cap = config.max_client_requests
            if cap and clients[client] >= cap:
                headers["Retry-After"] = str(p.retry_after())
                raise ApiError(Status.THROTTLED.code, f"The request is throttled: this client already has {cap} "
                                                      f"requests open; wait for one to finish.", http_status=429)
            clients[client] += 1
            counted = True
            if project_id is not None and config.project_ids is not None and project_id not in config.project_ids:
                raise ApiError(Status.FORBIDDEN.code, "The project id in the path is not served here.",
                               http_status=403)
            principal, pending = auth.precheck(request.headers)
            fields["auth"] = principal.kind
            fields["principal"] = principal.id
            declared = check_content_length(request.headers.get("content-length"), config.max_body_bytes)
            fields["content_length"] = declared
            try:
                body = await asyncio.wait_for(body_in.read(config.max_body_bytes), config.body_timeout)
            except asyncio.TimeoutError:
                raise ApiError(Status.TIMEOUT.code, f"The request body did not arrive within "
                                                    f"{config.body_timeout:g} s.", http_status=408) from None
            fields["bytes_in"] = len(body)
            auth.verify(pending, method=request.method, raw_path=request.scope.get("raw_path", b"").decode("latin-1")
                        or request.url.path, query=request.scope.get("query_string", b"").decode("latin-1"),
                        headers=request.headers, body=body)
            limits = config.limits
            if len(body) > _THREAD_THRESHOLD:
                parsed = await asyncio.to_thread(parse_body, body, max_base64_bytes=config.max_base64_bytes)
            else:
                parsed = parse_body(body, max_base64_bytes=config.max_base64_bytes)
            del body
            fields.update(parsed.describe())
            if parsed.url is not None:
                if not config.url_fetch:
                    raise ApiError.of(Status.INVALID_PARAMETER,
                                      "The input parameter is invalid: url inputs are disabled on this server.")
                data = await asyncio.to_thread(fetcher.fetch, parsed.url)
                await asyncio.to_thread(check_file, data, limits=limits)
            elif len(parsed.image_b64) > _THREAD_THRESHOLD:
                data = await asyncio.to_thread(decode_image, parsed.image_b64, limits=limits)
            else:
                data = decode_image(parsed.image_b64, limits=limits)
            fields["image_bytes"] = len(data)
            # admission only now: the body has arrived and passed the checks, so a slow or
            # invalid upload never holds one of the backend's slots
            if not p.try_admit():
                retry = p.retry_after()
                headers["Retry-After"] = str(retry)
                raise ApiError(Status.THROTTLED.code,
                               f"The request is throttled: {p.capacity} requests are running or queued; "
                               f"retry after {retry} s.", http_status=429)
            admitted = True
            state["in_flight"] += 1
            handed_over = True  # the pool releases the slot when the call has finished
            outcome = await p.run(data, parsed.options, timeout=config.ocr_timeout)
            if outcome.ok:
                fields["documents"] = len(outcome.body["result"])
                return JSONResponse(outcome.body, status_code=200)
            raise http_error(outcome)
        except _Disconnected:
            status = 499  # nginx's "client closed request": for the log only, nothing is sent
            return JSONResponse({"error_code": Status.INVALID_PARAMETER.code, "error_msg": "client went away"},
                                status_code=400)
        except ApiError as e:
            status = e.http_status
            fields["error_code"] = e.code
            if status == 408:
                headers["Connection"] = "close"  # the body is late: nothing to wait for again
            elif not body_in.complete:
                await _drain_before_answer(body_in, getattr(e, "declared", None) or declared, headers)
            return error(status, e.code, e.message, rid, headers)
        except Exception as e:
            status = 500
            fields["error_code"] = Status.SERVER_ERROR.code
            log.error("request failed", exc_info=(type(e), e, e.__traceback__), extra={"fields": {"request_id": rid}})
            return error(500, Status.SERVER_ERROR.code, Status.SERVER_ERROR.message, rid)
        finally:
            if counted:
                clients[client] -= 1
                if clients[client] <= 0:
                    del clients[client]
            if admitted:
                state["in_flight"] -= 1
                if not handed_over:
                    p.release()
            fields["status"] = status
            fields["ms"] = round((time.perf_counter() - t0) * 1000, 1)
            log.info("request", extra={"fields": fields})

    async def _drain_before_answer(body_in: "_Body", declared: int | None, headers: dict) -> None:
        """An early refusal: read and drop the rest of the body (bounded in bytes and time) so
        a client still sending reads the answer, not a reset; close the connection after."""
        if declared is None or declared <= config.drain_bytes:
            try:
                await asyncio.wait_for(body_in.drain(config.drain_bytes), config.body_timeout)
            except (asyncio.TimeoutError, _Disconnected):
                pass
        if not body_in.complete:
            headers["Connection"] = "close"

    @app.post("/v2/{project_id}/ocr/auto-classification", operation_id="recognize_auto_classification",
              summary="Auto-classification (智能分类识别)", tags=["ocr"])
    async def recognize_v2(project_id: str, request: Request):
        return await handle(request, project_id)

    @app.post("/v1.0/ocr/auto-classification", operation_id="recognize_auto_classification_v1",
              summary="Auto-classification, v1.0 path", tags=["ocr"])
    async def recognize_v1(request: Request):
        return await handle(request, None)

    @app.get("/health", operation_id="health", tags=["operations"])
    async def health(request: Request):
        p = state["pool"]
        ready = p is not None and not p.closing
        body = {"status": "ok" if ready else "stopping",
                "backend": getattr(p.backend, "identity", "?") if p is not None else None,
                "pool": p.snapshot() if p is not None else None, "in_flight": state["in_flight"],
                "auth": config.auth, "uptime_seconds": round(time.time() - state["started"], 1)}
        return JSONResponse(body, status_code=200 if ready else 503)

    def custom_openapi():
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            app.openapi_schema = openapi_schema(schema, config)
        return app.openapi_schema

    app.openapi = custom_openapi
    app.add_middleware(_RequestIdMiddleware)
    return app


def _version() -> str:
    from .._version import __version__

    return __version__


# ------------------------------------------------------------------------------ OpenAPI

def _result_schema() -> dict:
    return {
        "type": "object",
        "required": ["status", "type", "location", "content"],
        "properties": {
            "status": {"type": "object", "required": ["error_code", "error_msg"],
                       "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}}},
            "type": {"type": "string"},
            "location": {"type": "array", "minItems": 4, "maxItems": 4,
                         "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer"}}},
            "content": {"type": "object", "description": "the type's fields (strings, lists of objects) and "
                                                         "confidence: {field: float in [0, 1]}"},
            "seal_mark": {"type": "boolean"},
        },
    }


def openapi_schema(schema: dict, config: ServerConfig) -> dict:
    """FastAPI's generated document with the contract's bodies, errors and security filled in."""
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    comps["AutoClassificationRequestBody"] = request_json_schema(config.limits)
    comps["AutoClassificationResult"] = _result_schema()
    comps["RecognizeAutoClassificationResponse"] = {
        "type": "object", "required": ["result"],
        "properties": {"result": {"type": "array", "items": {"$ref": "#/components/schemas/AutoClassificationResult"}}}}
    comps["ErrorBody"] = {"type": "object", "required": ["error_code", "error_msg"],
                          "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}}}
    schema["components"]["securitySchemes"] = {
        "token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"},
        "aksk": {"type": "apiKey", "in": "header", "name": "Authorization",
                 "description": "SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=.. (with X-Sdk-Date)"},
    }

    def err(desc):
        return {"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}

    rid_header = {"X-Request-Id": {"schema": {"type": "string"}, "description": "the request's id"}}
    for path in ("/v2/{project_id}/ocr/auto-classification", "/v1.0/ocr/auto-classification"):
        op = schema["paths"][path]["post"]
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/AutoClassificationRequestBody"}}}}
        op["responses"] = {
            "200": {"description": "one result per document found", "headers": rid_header,
                    "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/RecognizeAutoClassificationResponse"}}}},
            "400": err("AIS.0101 invalid parameter, AIS.0102 format, AIS.0103 size, AIS.0104/0105"),
            "401": err("APIGW.0301 authentication failed"),
            "403": err("project not served"),
            "404": err("OCRFRAME.0008 the backend (a replay file) has no answer for this image"),
            "408": err("OCRFRAME.0005 the request body did not arrive in time"),
            "413": err("AIS.0103 request body too large"),
            "429": {**err("APIGW.0308 throttled: retry after Retry-After seconds"),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
            "500": err("AIS.0500 the backend failed"),
            "502": err("OCRFRAME.0006 a proxied backend answered a malformed response"),
            "503": err("the server is shutting down, or a proxied backend is unreachable"),
            "504": err("recognition did not finish in time"),
        }
        if "off" not in config.auth_modes:
            op["security"] = [{m: []} for m in sorted(config.auth_modes)]
        op.pop("parameters", None) if path.startswith("/v1.0") else None
    schema["paths"]["/health"]["get"]["responses"] = {
        "200": {"description": "serving", "content": {"application/json": {"schema": {"type": "object"}}}},
        "503": {"description": "stopping", "content": {"application/json": {"schema": {"type": "object"}}}}}
    return schema


# ------------------------------------------------------------------------------ serve

def serve(config: ServerConfig) -> None:
    """Run the server with uvicorn until SIGINT/SIGTERM; in-flight requests finish first
    (up to ``config.shutdown_grace`` seconds)."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover
        raise ImportError("the server needs its extra: pip install 'ocrframe[server]'") from None
    from .logs import configure_logging
    from .protocol import contract_protocol

    configure_logging(config.log_level)
    app = create_app(config)
    uv = uvicorn.Config(app, host=config.host, port=config.port, log_config=None, access_log=False,
                        http=contract_protocol(),
                        timeout_graceful_shutdown=config.shutdown_grace, lifespan="on",
                        limit_concurrency=None, server_header=False,
                        h11_max_incomplete_event_size=64 * 1024)
    uvicorn.Server(uv).run()
