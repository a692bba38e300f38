"""A fake of the cloud service on 127.0.0.1 that injects faults, for tests and benchmarks.

A real HTTP/1.1 server (``http.server.ThreadingHTTPServer``, keep-alive) answering
``POST /v2/{project_id}/ocr/auto-classification`` (and ``/v1.0/ocr/auto-classification``)
with deterministic answers, plus an IAM ``POST /v3/auth/tokens``. It checks
``X-Auth-Token`` against the tokens it knows or issued (with expiry), and verifies
``SDK-HMAC-SHA256`` signatures with the official SDK's signer when ``huaweicloudsdkcore`` is
installed (ocrframe's own otherwise). Per request, a fault plan picks what goes wrong:
latency, 429 with ``Retry-After``, 5xx, a dropped connection, a body cut off mid-way, a
garbled body, a response slower than the client's timeout, a 4xx ``AIS`` error.

Everything is recorded (:attr:`FakeCloud.records`) so tests assert on what the server saw,
not on wall-clock time. Faults, fault plans and the answers are in :mod:`.faults`.

Examples
--------
>>> from ocrframe.testing.fake_cloud import FakeCloud, Fault
>>> with FakeCloud(faults=lambda key, attempt: Fault.throttle("0") if attempt == 1 else None) as fake:
...     import requests, base64
...     r1 = requests.post(fake.ocr_url, json={"image": base64.b64encode(b"x").decode()})
...     r2 = requests.post(fake.ocr_url, json={"image": base64.b64encode(b"x").decode()})
>>> r1.status_code, r2.status_code, len(r2.json()["result"]) >= 1
(429, 200, True)

From a shell (prints the URL, serves until killed)::

    python -m ocrframe.testing.fake_cloud --latency 0.2
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

from .faults import Fault, FaultPlan, Record, answer_for

__all__ = ["FakeCloud", "Fault", "FaultPlan", "answer_for", "Record", "reference_signature"]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a client that went away (a killed batch): not the fake's fault
        super().handle_error(request, client_address)


class FakeCloud:
    """The fake service. Use as a context manager, or ``start()`` / ``stop()``.

    Parameters
    ----------
    latency : float
        Seconds every OCR answer takes (on top of a fault's own delay).
    faults : callable (key, attempt) -> Fault | None, optional
        ``key`` is the first 16 hex digits of sha256 of the ``image`` (or ``url``) value;
        ``attempt`` counts requests for that key, from 1.
    tokens : iterable of str, optional
        Static valid ``X-Auth-Token`` values. Giving any of ``tokens``, ``aksk`` or
        ``users`` turns authentication on.
    aksk : mapping ak -> sk, optional
        Keys whose ``SDK-HMAC-SHA256`` signatures are accepted.
    users : mapping (domain, username) -> password, optional
        IAM users for ``/v3/auth/tokens``; issued tokens live ``token_ttl`` seconds.
    project_id : str or None
        The only project id accepted in the path (None: any).
    """

    def __init__(self, *, latency: float = 0.0, faults: Callable | None = None, tokens=None,
                 aksk: Mapping[str, str] | None = None, users: Mapping | None = None, token_ttl: float = 86400.0,
                 project_id: str | None = None, keep_headers: bool = False, keep_records: bool = True):
        self.latency = latency
        self.faults = faults
        self.static_tokens = set(tokens or ())
        self.aksk = dict(aksk or {})
        self.users = dict(users or {})
        self.token_ttl = token_ttl
        self.project_id = project_id
        self.keep_headers = keep_headers
        self.keep_records = keep_records
        self.auth_on = bool(self.static_tokens or self.aksk or self.users)
        self.lock = threading.Lock()
        self.records: list[Record] = []
        self.attempts: collections.Counter = collections.Counter()
        self.successes: collections.Counter = collections.Counter()  # complete 200 answers per key
        # every 200 status line sent per key, whole or not: what a real service would bill
        self.answered: collections.Counter = collections.Counter()
        self.issued: dict[str, float] = {}  # token -> expires (time.time())
        self.iam_requests = 0
        self.n_requests = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self, port: int = 0) -> "FakeCloud":
        self._server = _Server(("127.0.0.1", port), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-cloud", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "FakeCloud":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def ocr_url(self) -> str:
        return f"{self.url}/v2/{self.project_id or 'p-test'}/ocr/auto-classification"

    def expire_tokens(self) -> None:
        """Make every issued token expire now (as if a day had passed)."""
        with self.lock:
            for t in self.issued:
                self.issued[t] = 0.0

    def answered_twice(self) -> int:
        """Images (keys) that received more than one 200 answer: billed more than once."""
        with self.lock:
            return sum(1 for n in self.answered.values() if n > 1)

    def ocr_records(self) -> list[Record]:
        with self.lock:
            return [r for r in self.records if r.key is not None]

    # ------------------------------------------------------------------ auth
    def _check_auth(self, h: BaseHTTPRequestHandler, body: bytes) -> tuple[str, tuple | None]:
        """(auth kind, None if accepted else (status, code, message))."""
        token = h.headers.get("X-Auth-Token")
        authz = h.headers.get("Authorization")
        if not self.auth_on:  # authentication off: anything goes
            return ("token" if token else "aksk" if authz else "none"), None
        if token is not None:
            with self.lock:
                exp = self.issued.get(token)
            if token in self.static_tokens or (exp is not None and exp > time.time()):
                return ("iam" if exp is not None else "token"), None
            if exp is not None:
                return "token", (401, "APIGW.0307", "The token must be updated.")
            return "token", (401, "APIGW.0301", "Incorrect IAM authentication information: verify token failed.")
        if authz is not None and authz.startswith("SDK-HMAC-SHA256 "):
            return "aksk", self._check_signature(h, body, authz)
        return "none", (401, "APIGW.0301", "Incorrect IAM authentication information: Authorization not found.")

    def _check_signature(self, h: BaseHTTPRequestHandler, body: bytes, authz: str):
        fields = dict(p.strip().split("=", 1) for p in authz[len("SDK-HMAC-SHA256 "):].split(","))
        ak, signed = fields.get("Access"), fields.get("SignedHeaders", "").split(";")
        sk = self.aksk.get(ak)
        if sk is None:
            return (401, "APIGW.0301", "Incorrect IAM authentication information: AK not found.")
        headers = {}
        for name in signed:
            v = h.headers.get(name)
            if v is None:
                return (401, "APIGW.0301", f"Incorrect IAM authentication information: header {name} missing.")
            headers[name] = v
        date = headers.get("x-sdk-date")
        try:
            age = abs(time.time() - datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp())
        except (TypeError, ValueError):
            return (401, "APIGW.0301", "Incorrect IAM authentication information: x-sdk-date invalid.")
        if age > 15 * 60:
            return (401, "APIGW.0301", "Incorrect IAM authentication information: signature expired.")
        expected = reference_signature(h.command, h.headers.get("Host", ""), h.path, headers, body, ak, sk)
        if expected != authz:
            return (401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail.")
        return None


def reference_signature(method: str, host: str, raw_path: str, headers: dict, body: bytes, ak: str, sk: str) -> str:
    """The Authorization value the official SDK computes for this request (ours as a fallback)."""
    parts = urlsplit(raw_path)
    try:
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkcore.sdk_request import SdkRequest
        from huaweicloudsdkcore.signer.signer import Signer
    except ImportError:  # pragma: no cover
        from ..backends.signer import sign_request
        return sign_request(method, f"http://{host}{raw_path}", headers, body, ak=ak, sk=sk).headers["Authorization"]
    req = SdkRequest(method=method, schema="http", host=host, resource_path=parts.path,
                     query_params=parse_qsl(parts.query, keep_blank_values=True),
                     header_params=dict(headers), body=body)
    Signer(BasicCredentials(ak, sk)).sign(req)
    return req.header_params["Authorization"]


def _make_handler(fake: FakeCloud):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive
        timeout = 30  # idle keep-alive connections end by themselves

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, obj=None, *, raw: bytes | None = None, headers=None,
                  ctype="application/json;charset=UTF-8"):
            body = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _record(self, key, attempt, fault, status, auth, options=None):
            if not fake.keep_records:
                return
            hdrs = dict(self.headers) if fake.keep_headers else {}
            rec = Record(time.monotonic(), self.path, key, attempt, fault, status, auth, hdrs, options or {})
            with fake.lock:
                fake.records.append(rec)

        def do_POST(self):
            try:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                path = urlsplit(self.path).path
                if path == "/v3/auth/tokens":
                    return self._iam(body)
                parts = path.strip("/").split("/")
                ok_path = path == "/v1.0/ocr/auto-classification" or (
                    len(parts) == 4 and parts[0] == "v2" and parts[2:] == ["ocr", "auto-classification"]
                    and (fake.project_id is None or parts[1] == fake.project_id))
                if not ok_path:
                    self._record(None, 0, "not-found", 404, "-")
                    return self._send(404, {"error_code": "APIGW.0101",
                                            "error_msg": "The API does not exist or has not been published."})
                return self._ocr(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _iam(self, body: bytes):
            with fake.lock:
                fake.iam_requests += 1
            try:
                user = json.loads(body)["auth"]["identity"]["password"]["user"]
                who = (user["domain"]["name"], user["name"])
                password = user["password"]
            except (ValueError, KeyError, TypeError):
                self._record(None, 0, "iam", 400, "-")
                return self._send(400, {"error": {"code": 400, "message": "The request body is invalid.",
                                                  "title": "Bad Request"}})
            if fake.users.get(who) != password:
                self._record(None, 0, "iam", 401, "-")
                return self._send(401, {"error": {"code": 401, "message": "The username or password is wrong.",
                                                  "title": "Unauthorized"}})
            with fake.lock:
                token = f"MIIT{len(fake.issued):06d}" + hashlib.sha256(f"{who}{time.time()}".encode()).hexdigest()
                fake.issued[token] = time.time() + fake.token_ttl
            expires = datetime.now(timezone.utc) + timedelta(seconds=fake.token_ttl)
            self._record(None, 0, "iam", 201, "-")
            self._send(201, {"token": {"expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                       "methods": ["password"],
                                       "project": {"id": fake.project_id or "p-test", "name": "cn-test-1"}}},
                       headers={"X-Subject-Token": token})

        def _ocr(self, body: bytes):
            with fake.lock:
                fake.n_requests += 1
            auth, refused = fake._check_auth(self, body)
            if refused is not None:
                self._record(None, 0, "auth", refused[0], auth)
                return self._send(refused[0], {"error_code": refused[1], "error_msg": refused[2]})
            try:
                req = json.loads(body)
                value = req.get("image") or req.get("url")
                if not isinstance(value, str) or not value:
                    raise ValueError
            except (ValueError, AttributeError):
                self._record(None, 0, "bad-request", 400, auth)
                return self._send(400, {"error_code": "AIS.0101", "error_msg": "The input parameter is invalid."})
            key = hashlib.sha256(value.encode()).hexdigest()[:16]
            opts = {k: v for k, v in req.items() if k != "image"}
            with fake.lock:
                fake.attempts[key] += 1
                attempt = fake.attempts[key]
            fault = (fake.faults(key, attempt) if fake.faults else None) or Fault()
            if fake.latency or (fault.delay and fault.kind != "stall"):
                time.sleep(fake.latency + (fault.delay if fault.kind != "stall" else 0.0))
            if fault.kind == "drop":
                self._record(key, attempt, "drop", None, auth, opts)
                self.close_connection = True
                return
            if fault.kind == "status":
                self._record(key, attempt, f"status-{fault.status}", fault.status, auth, opts)
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
                return self._send(fault.status, {"error_code": fault.code, "error_msg": fault.message},
                                  headers=headers)
            if fault.kind == "raw":
                if fault.status == 200:
                    with fake.lock:
                        fake.answered[key] += 1
                self._record(key, attempt, "raw", fault.status, auth, opts)
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
                return self._send(fault.status, raw=fault.body, headers=headers)
            if fault.kind == "html":
                self._record(key, attempt, "html", fault.status, auth, opts)
                return self._send(fault.status, raw=b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                                  ctype="text/html")
            full = json.dumps(answer_for(key), ensure_ascii=False).encode("utf-8")
            with fake.lock:
                fake.answered[key] += 1  # a 200 leaves now, whole or not: billed
            if fault.kind in ("truncate", "stall"):
                self._record(key, attempt, fault.kind, 200, auth, opts)
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(full)))
                self.end_headers()
                self.wfile.write(full[: len(full) // 2])
                self.wfile.flush()
                if fault.kind == "stall":
                    time.sleep(fault.delay)
                self.close_connection = True
                return
            if fault.kind == "garbage":
                self._record(key, attempt, "garbage", 200, auth, opts)
                return self._send(200, raw=full[: len(full) // 2])
            # recorded before the answer leaves, so a client never sees it before the record
            with fake.lock:
                fake.successes[key] += 1
            self._record(key, attempt, "ok", 200, auth, opts)
            self._send(200, raw=full)

    return Handler


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Fake auto-classification service on 127.0.0.1 (tests, benchmarks).")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency", type=float, default=0.0)
    p.add_argument("--fault-rate", type=float, default=0.0, help="share of first attempts failing (mixed ways)")
    p.add_argument("--aksk", action="append", default=[], help="AK:SK accepted for signed requests")
    p.add_argument("--token", action="append", default=[], help="accepted X-Auth-Token")
    a = p.parse_args(argv)
    fake = FakeCloud(latency=a.latency, faults=FaultPlan(a.fault_rate) if a.fault_rate else None,
                     tokens=a.token, aksk=dict(x.split(":", 1) for x in a.aksk), keep_records=False)
    fake.start(a.port)
    print(fake.url, flush=True)
    try:
        # serve until stdin closes (the parent process ends) or we are killed
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
