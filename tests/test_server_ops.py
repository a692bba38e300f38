"""Operations: early refusal of oversized bodies, backpressure, logs, the process pool,
graceful shutdown, and HTTPService against the server == the backend in-process."""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import requests

import ocrframe  # noqa: F401
from ocrframe.backends.http import HTTPService
from ocrframe.server import ServerConfig, create_app
from ocrframe.testing.backends import CrashingBackend, DigestBackend, SlowBackend
from ocrframe.testing.images import b64, png
from ocrframe.testing.server import OCR_PATH_V2 as V2
from ocrframe.testing.server import ServerThread

ROOT = Path(__file__).resolve().parents[1]


def _read_response(sock, timeout=5.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture(scope="module")
def small_server():
    cfg = ServerConfig(backend=DigestBackend(), workers=2, max_body_bytes=1 * 2**20, max_base64_bytes=2**20 - 1024,
                       drain_bytes=4 * 2**20)
    with ServerThread(create_app(cfg)) as srv:
        yield srv


def test_oversized_content_length_refused_before_the_body(small_server):
    with socket.create_connection(("127.0.0.1", small_server.port)) as s:
        s.sendall(f"POST {V2} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {200 * 2**20}\r\n\r\n".encode())
        t0 = time.monotonic()
        head = _read_response(s)   # answered without a single body byte sent
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert b"AIS.0103" in head or b"x-request-id" in head.lower()
    assert time.monotonic() - t0 < 2


def test_oversized_chunked_body_refused_while_streaming(small_server):
    """No Content-Length: the server keeps nothing past the limit, drops what follows up to
    ``drain_bytes`` (4 MB here) and then answers, long before the client has sent it all (50 MB)."""
    limit = 2**20
    sent = 0
    total = 50 * 2**20
    chunk = b"A" * 65536
    with socket.create_connection(("127.0.0.1", small_server.port)) as s:
        s.sendall(f"POST {V2} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Transfer-Encoding: chunked\r\n\r\n".encode())
        s.sendall(b'%x\r\n{"image":"\r\n' % len(b'{"image":"'))
        s.settimeout(0.001)
        answered = b""
        try:
            while sent < total:
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                try:
                    answered = s.recv(65536)
                    if answered:
                        break
                except (socket.timeout, BlockingIOError):
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not answered:
            answered = _read_response(s)
    assert answered.startswith(b"HTTP/1.1 413"), answered[:100]
    assert sent < 8 * limit, f"the client could send {sent} bytes before the refusal"


def test_body_longer_than_limit_without_length_header_via_requests(small_server):
    def gen():
        for _ in range(40):
            yield b"A" * 65536

    try:
        r = requests.post(small_server.url + V2, data=gen(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error_code"] == "AIS.0103"
    except requests.ConnectionError:
        pass  # the server may close before the client finished sending: also a refusal


def test_backpressure_429_with_retry_after():
    gate = threading.Event()
    backend = SlowBackend(gate)
    cfg = ServerConfig(backend=backend, workers=1, queue_size=1, retry_after=2)
    body = {"image": b64(png())}
    with ServerThread(create_app(cfg)) as srv, ThreadPoolExecutor(4) as ex:
        url = srv.url + V2
        first = ex.submit(requests.post, url, json=body)
        assert backend.started.acquire(timeout=10)
        second = ex.submit(requests.post, url, json=body)   # queued
        deadline = time.monotonic() + 5
        while requests.get(srv.url + "/health").json()["pool"]["admitted"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        r = requests.post(url, json=body)
        assert r.status_code == 429
        assert r.json()["error_code"] == "APIGW.0308"
        assert int(r.headers["Retry-After"]) >= 2
        # invalid requests are refused by validation, never by a full queue? no: admission
        # comes first, so a full server answers 429 to everyone (cheap, bounded)
        gate.set()
        assert first.result(10).status_code == 200
        assert second.result(10).status_code == 200
        assert requests.post(url, json=body).status_code == 200
        assert requests.get(srv.url + "/health").json()["pool"]["rejected"] == 1


def test_logs_are_json_ready_and_hold_no_image_or_secret(caplog):
    token = "tok-secret-logs-0001"
    cfg = ServerConfig(backend=DigestBackend(), auth="token", tokens=(token,))
    img = b64(png(33, 33))
    from fastapi.testclient import TestClient

    with caplog.at_level(logging.INFO, logger="ocrframe.server"), TestClient(create_app(cfg)) as c:
        c.post(V2, json={"image": img}, headers={"X-Auth-Token": token, "X-Request-Id": "rid-1"})
        c.post(V2, json={"image": img}, headers={"X-Auth-Token": "wrong-token-123"})
        c.post(V2, json={"url": "http://10.0.0.1/a.jpg?sig=SECRETQUERY"}, headers={"X-Auth-Token": token})
    from ocrframe.server.logs import JsonFormatter

    fmt = JsonFormatter()
    lines = [fmt.format(r) for r in caplog.records if r.name == "ocrframe.server"]
    reqs = [json.loads(x) for x in lines if json.loads(x)["event"] == "request"]
    assert len(reqs) == 3
    assert reqs[0]["request_id"] == "rid-1" and reqs[0]["status"] == 200 and reqs[0]["documents"] >= 1
    assert reqs[1]["status"] == 401 and reqs[1]["error_code"] == "APIGW.0301"
    assert reqs[2]["url_host"] == "10.0.0.1"
    text = "\n".join(lines)
    for secret in (img[:40], token, "wrong-token-123", "SECRETQUERY"):
        assert secret not in text


def test_http_service_gives_the_same_documents_frame(small_server, tmp_path):
    paths = []
    for i, (w, h) in enumerate([(40, 30), (64, 64), (100, 50), (20, 80), (16, 16)]):
        p = tmp_path / f"img{i}.png"
        p.write_bytes(png(w, h, (i * 40, 100, 200)))
        paths.append(str(p))
    paths.append(str(tmp_path / "missing.png"))
    df = pd.DataFrame({"path": paths, "batch": list("aabbcc")})
    local = df.ocr.classify(col="path", backend=DigestBackend(), progress=False)
    remote = df.ocr.classify(col="path", backend=HTTPService(small_server.url), progress=False)
    assert len(local) > len(df)
    pd.testing.assert_frame_equal(local, remote)
    sub = df.ocr.classify(col="path", backend=HTTPService(small_server.url), type_list=["taxi_invoice"],
                          progress=False)
    ref = df.ocr.classify(col="path", backend=DigestBackend(), type_list=["taxi_invoice"], progress=False)
    pd.testing.assert_frame_equal(sub, ref)


def test_process_pool_does_not_block_the_event_loop():
    """A CPU-bound backend in worker processes: /health stays fast while recognition runs."""
    cfg = ServerConfig(backend=DigestBackend(spin=1.0, parallelism="process"), workers=1, queue_size=4)
    with ServerThread(create_app(cfg)) as srv, ThreadPoolExecutor(2) as ex:
        fut = ex.submit(requests.post, srv.url + V2, json={"image": b64(png())})
        time.sleep(0.2)
        t0 = time.monotonic()
        h = requests.get(srv.url + "/health", timeout=5).json()
        assert time.monotonic() - t0 < 0.5
        assert h["pool"]["kind"] == "process" and h["in_flight"] == 1
        r = fut.result(30)
        assert r.status_code == 200 and r.json()["result"]


def test_a_dead_worker_process_is_a_500_and_the_pool_recovers():
    cfg = ServerConfig(backend=CrashingBackend(), workers=1)
    from fastapi.testclient import TestClient

    with TestClient(create_app(cfg)) as c:
        crash = base64.b64encode(png() + b"CRASH").decode()
        r = c.post(V2, json={"image": crash})
        assert r.status_code == 500 and r.json()["error_code"] == "AIS.0500"
        r = c.post(V2, json={"image": b64(png())})
        assert r.status_code == 200 and r.json() == {"result": []}


_SERVE_SCRIPT = textwrap.dedent("""
    import sys
    from ocrframe.server import ServerConfig
    from ocrframe.server.app import serve
    from ocrframe.testing.backends import DigestBackend
    serve(ServerConfig(port=int(sys.argv[1]), backend=DigestBackend(delay=1.5), workers=2, log_level="INFO"))
""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_graceful_shutdown_finishes_in_flight_requests(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _SERVE_SCRIPT, str(port)], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
            time.sleep(0.1)
        with ThreadPoolExecutor(2) as ex:
            futs = [ex.submit(requests.post, base + V2, json={"image": b64(png(30 + i, 30))}, timeout=30)
                    for i in range(2)]
            time.sleep(0.5)  # both in flight (1.5 s each)
            proc.send_signal(signal.SIGTERM)
            results = [f.result() for f in futs]
        assert [r.status_code for r in results] == [200, 200]
        assert proc.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
        logs = [json.loads(x) for x in proc.stderr.read().decode().splitlines() if x.startswith("{")]
        events = [x["event"] for x in logs]
        assert "started" in events and "stopped" in events
        assert sum(1 for x in logs if x["event"] == "request" and x.get("status") == 200) == 2
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_serve_end_to_end(tmp_path, seed_response):
    """``ocrframe serve --backend replay:FILE --auth token``: the saved answer comes back for
    the same bytes (Replay matches by content hash)."""
    import hashlib

    img = png(80, 60)
    saved = tmp_path / "saved.jsonl"
    saved.write_text(json.dumps({"image": "x.png", "sha256": hashlib.sha256(img).hexdigest(),
                                 "response": seed_response}, ensure_ascii=False) + "\n", encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OCRFRAME_SERVE_TOKENS": "tok-cli-000001"}
    proc = subprocess.Popen([sys.executable, "-m", "ocrframe.cli", "serve", "--port", str(port), "--workers", "2",
                             "--backend", f"replay:{saved}", "--auth", "token"], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read().decode()[-2000:]
            time.sleep(0.1)
        auth = {"X-Auth-Token": "tok-cli-000001"}
        r = requests.post(base + V2, json={"image": b64(img)}, headers=auth)
        assert r.status_code == 200 and r.json() == seed_response
        assert requests.post(base + V2, json={"image": b64(img)}).status_code == 401
        r = requests.post(base + V2, json={"image": b64(png(81, 60))}, headers=auth)
        assert r.json()["error_code"] == "OCRFRAME.0008"  # not in the replay file: the backend's own code
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_slow_upload_times_out_and_frees_its_slot():
    cfg = ServerConfig(backend=DigestBackend(), workers=1, queue_size=0, body_timeout=0.5)
    with ServerThread(create_app(cfg)) as srv:
        with socket.create_connection(("127.0.0.1", srv.port)) as s:
            s.sendall(f"POST {V2} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{{\"image\"".encode())
            head = _read_response(s, timeout=5)
        assert head.startswith(b"HTTP/1.1 408"), head[:100]
        r = requests.post(srv.url + V2, json={"image": b64(png())})
        assert r.status_code == 200  # the slot was released


def test_ocr_timeout_is_504_and_the_slot_stays_taken_until_the_call_ends():
    gate = threading.Event()
    backend = SlowBackend(gate)
    cfg = ServerConfig(backend=backend, workers=1, queue_size=0, ocr_timeout=0.3)
    with ServerThread(create_app(cfg)) as srv:
        r = requests.post(srv.url + V2, json={"image": b64(png())})
        assert r.status_code == 504 and r.json()["error_code"] == "OCRFRAME.0005"
        # the recognition still runs: its slot is not handed to another request yet
        assert requests.post(srv.url + V2, json={"image": b64(png())}).status_code == 429
        gate.set()
        deadline = time.monotonic() + 5
        while requests.get(srv.url + "/health").json()["pool"]["admitted"] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert requests.post(srv.url + V2, json={"image": b64(png())}).status_code == 200
