"""Hostile input, as a new user and as an attacker would send it: the server, the HTTP clients
and the pandas path. Nothing may answer 5xx, crash, grow without bound or lose an image.

Every finding of issue 15 has a test here (``test_finding_N_...``). Network traffic stays on
127.0.0.1 (the slow-upload attacker uses 127.0.0.2, also loopback).
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("fastapi")

import ocrframe  # noqa: E402,F401
from ocrframe import contract  # noqa: E402
from ocrframe.backends.http import HTTPService, RetryPolicy  # noqa: E402
from ocrframe.backends.huawei import HuaweiCloud  # noqa: E402
from ocrframe.contract import ImageInput, RequestOptions  # noqa: E402
from ocrframe.errors import ApiError  # noqa: E402
from ocrframe.server import ServerConfig, create_app  # noqa: E402
from ocrframe.testing.backends import DigestBackend  # noqa: E402
from ocrframe.testing.fake_cloud import FakeCloud, Fault  # noqa: E402
from ocrframe.testing.server import ServerThread  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
V2 = "/v2/p1/ocr/auto-classification"
FAST = RetryPolicy(max_retries=2, backoff=0.001, backoff_max=0.002)


# ----------------------------------------------------------------------------- hostile files

def _chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) if crc is None
                                                                        else crc)


def png_bomb(side: int = 16000, *, bad_text_crc: bool = True) -> bytes:
    """A real, decodable grey PNG of ``side`` x ``side`` px in a few hundred KB, with a tEXt
    chunk whose CRC is wrong: Pillow cannot read its header, OpenCV decodes it anyway."""
    comp = zlib.compressobj(9)
    row = bytes(side + 1)
    parts = [comp.compress(row) for _ in range(side)]
    idat = b"".join(parts) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    text = _chunk(b"tEXt", b"Comment\x00hostile", crc=0xDEADBEEF if bad_text_crc else None)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + text + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_header(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IEND", b"")


def png(w: int = 64, h: int = 48) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg_sof(w: int, h: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def bmp(w: int, h: int) -> bytes:
    return b"BM" + bytes(12) + struct.pack("<Iii", 40, w, h) + bytes(28)


def tiff(w: int, h: int, *, ifd_at: int = 8) -> bytes:
    entries = struct.pack("<HHII", 256, 4, 1, w) + struct.pack("<HHII", 257, 4, 1, h)
    return b"II*\x00" + struct.pack("<I", ifd_at) + struct.pack("<H", 2) + entries + bytes(4)


def gif() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32)).save(buf, "GIF")
    return buf.getvalue()


def zip_of(name: str) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<x/>")
    return buf.getvalue()


def empty_pdf() -> bytes:
    pdfium = pytest.importorskip("pypdfium2")
    buf = io.BytesIO()
    pdfium.PdfDocument.new().save(buf)
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_BOMB: dict = {}


def bomb() -> bytes:
    if "png" not in _BOMB:
        _BOMB["png"] = png_bomb()
    return _BOMB["png"]


# ----------------------------------------------------------------------------- the server

class _Origin(BaseHTTPRequestHandler):
    """Image hosts of every kind the url fetcher meets (written byte by byte)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        body = png(40, 30)
        w = self.wfile.write
        if self.path == "/http10.png":  # HTTP/1.0: the connection ends after the answer
            w(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        elif self.path == "/close.png":  # what nginx answers to "Connection: close"
            w(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        elif self.path == "/chunked.png":
            w(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for i in range(0, len(body), 100):
                part = body[i:i + 100]
                w(b"%x\r\n%s\r\n" % (len(part), part))
            w(b"0\r\n\r\n")
        elif self.path == "/nolength.png":  # no Content-Length: the body ends with the connection
            w(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body)
        elif self.path == "/bomb.png":
            w(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(bomb()) + bomb())
        else:
            w(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        self.close_connection = True


@pytest.fixture(scope="module")
def origin():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def server():
    cfg = ServerConfig(backend=DigestBackend(), workers=2, queue_size=8, url_allow=("127.0.0.1",),
                       body_timeout=3.0, max_client_requests=64)
    with ServerThread(create_app(cfg)) as srv:
        yield srv


def _post(server, body, **kw) -> requests.Response:
    if isinstance(body, (bytes, str)):
        return requests.post(server.url + V2, data=body, headers={"Content-Type": "application/json"}, timeout=30,
                             **kw)
    return requests.post(server.url + V2, json=body, timeout=30, **kw)


def _hostile_bodies():
    deep = "[" * 100_000 + "]" * 100_000
    return {
        "empty": b"", "array": b"[]", "null": b"null", "string": b'"image"', "number": b"1e999999",
        "deep-nesting": deep.encode(), "not-utf8": b"\xff\xfe{}", "bom": b"\xef\xbb\xbf{}", "nan": b'{"image": NaN}',
        "truncated-json": b'{"image": "aGk', "dup-keys": b'{"image": "aGk=", "image": 5}',
        "no-input": {}, "both-empty": {"image": "", "url": ""}, "image-empty": {"image": ""},
        "image-null": {"image": None}, "url-null": {"url": None}, "image-int": {"image": 1}, "image-bool": {"image": True},
        "image-obj": {"image": {}}, "image-list": {"image": ["aGk="]}, "both": {"image": "aGk=", "url": "http://x/a"},
        "not-base64": {"image": "####"}, "bad-padding": {"image": "aGk"}, "text-file": {"image": b64(b"hello world")},
        "gif": {"image": b64(gif())}, "webp": {"image": b64(b"RIFF\x00\x00\x00\x00WEBPVP8 ")},
        "zip-not-ofd": {"image": b64(zip_of("word/document.xml"))},
        "png-bomb-bad-crc": {"image": b64(bomb())}, "png-header-32000": {"image": b64(png_header(32000, 32000))},
        "png-no-ihdr": {"image": b64(b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""))},
        "png-too-small": {"image": b64(png(10, 40))}, "png-8001": {"image": b64(png_header(8001, 20))},
        "jpeg-9000": {"image": b64(jpeg_sof(9000, 9000))}, "jpeg-soi-only": {"image": b64(b"\xff\xd8\xff")},
        "jpeg-height-0": {"image": b64(jpeg_sof(100, 0))}, "bmp-huge": {"image": b64(bmp(100000, 100000))},
        "bmp-negative-width": {"image": b64(bmp(-5, 100))}, "tiff-huge": {"image": b64(tiff(70000, 70000))},
        "tiff-ifd-past-end": {"image": b64(tiff(100, 100, ifd_at=10**9))},
        "type_list-unknown": {"image": b64(png()), "type_list": ["library_card"]},
        "type_list-string": {"image": b64(png()), "type_list": "passport"},
        "type_list-null-item": {"image": b64(png()), "type_list": [None]},
        "page-0": {"image": b64(png()), "pdf_page_number": 0}, "page-neg": {"image": b64(png()), "pdf_page_number": -1},
        "page-huge": {"image": b64(png()), "pdf_page_number": 2**70},
        "page-str": {"image": b64(png()), "pdf_page_number": "1"},
        "page-bool": {"image": b64(png()), "pdf_page_number": True},
        "ext-list": {"image": b64(png()), "extended_parameters": []},
        "ext-unknown": {"image": b64(png()), "extended_parameters": {"spaceship": {}}},
        "ext-not-object": {"image": b64(png()), "extended_parameters": {"vat_invoice": 1}},
        "seal-str": {"image": b64(png()), "detect_seal": "yes"},
        "url-ftp": {"url": "ftp://127.0.0.1/a.png"}, "url-file": {"url": "file:///etc/passwd"},
        "url-metadata": {"url": "http://169.254.169.254/latest/meta-data/"}, "url-v6-loop": {"url": "http://[::1]/a"},
        "url-hex-ip": {"url": "http://0x0a000001/a"}, "url-js": {"url": "javascript:alert(1)"},
        "url-long": {"url": "http://127.0.0.1/" + "a" * 5000}, "url-creds": {"url": "http://u:p@127.0.0.1/a.png"},
        "url-no-host": {"url": "http:///a.png"}, "url-bad-port": {"url": "http://127.0.0.1:99999/a"},
        "image-over-10mb": {"image": "A" * (10 * 2**20 + 4)},
    }


HOSTILE = _hostile_bodies()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_get_the_contracts_4xx(server, name):
    r = _post(server, HOSTILE[name])
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:200])
    body = r.json()
    assert set(body) == {"error_code", "error_msg"} and body["error_code"].startswith(("AIS.", "APIGW.")), body
    assert r.headers["x-request-id"]


def _raw(server, payload: bytes, *, read_timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as s:
        s.sendall(payload)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head, _, rest = data.partition(b"\r\n\r\n")
                    length = next((int(v) for k, _, v in (x.partition(b":") for x in head.split(b"\r\n")[1:])
                                   if k.strip().lower() == b"content-length"), None)
                    if length is not None and len(rest) >= length:
                        break
        except (socket.timeout, ConnectionResetError):
            pass
    return data


RAW = {
    "content-length-not-a-number": b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
    "content-length-negative": b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
    "two-content-lengths": b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
    "garbage-request-line": b"GARBAGE\r\n\r\n",
    "bad-chunk-size": b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "header-too-large": b"POST %s HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\nContent-Length: 2\r\n\r\n{}",
    "content-length-200mb": b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n\r\n",
    "wrong-method": b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown-path": b"POST /v2/p1/ocr/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
}


@pytest.mark.parametrize("name", list(RAW))
def test_protocol_level_faults_get_the_contracts_json(server, name):
    raw = RAW[name]
    answer = _raw(server, raw.replace(b"%s", V2.encode()) if b"%s" in raw else raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert 400 <= status < 500, (name, head[:200])
    err = json.loads(body)
    assert set(err) == {"error_code", "error_msg"}, (name, body[:200])


# ----------------------------------------------------------------------------- findings

@pytest.mark.parametrize("path", ["/http10.png", "/close.png", "/chunked.png", "/nolength.png"])
def test_finding_1_url_inputs_from_every_kind_of_host(server, origin, path):
    r = _post(server, {"url": origin + path})
    assert r.status_code == 200, r.text
    assert r.json()["result"]


def test_finding_2_pixel_bomb_refused_by_server_client_and_engine(server, origin):
    data = bomb()
    assert len(data) < 400_000 and contract.header_size(data) == (16000, 16000)  # Pillow alone cannot read it
    r = _post(server, {"image": b64(data)})
    assert r.status_code == 400 and r.json()["error_code"] == "AIS.0103", r.text
    r = _post(server, {"url": origin + "/bomb.png"})
    assert r.status_code == 400 and r.json()["error_code"] == "AIS.0103", r.text
    with FakeCloud(project_id="p") as fake:  # the client refuses before spending a request
        svc = HTTPService(fake.url, project_id="p", trust_env=False)
        with pytest.raises(ApiError) as e:
            svc.recognize(ImageInput("bomb.png", data=data), RequestOptions())
        assert e.value.code == "AIS.0103" and fake.n_requests == 0
    pytest.importorskip("cv2")
    from ocrframe.engine.decode import decode_image

    with pytest.raises(ApiError) as e:
        decode_image(data)
    assert e.value.code == "AIS.0103"
    with pytest.raises(ApiError) as e:  # an unreadable header is refused, never decoded
        decode_image(b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""))
    assert e.value.code == "AIS.0102" and "header" in e.value.message


_MEMORY_PROBE = """
import resource, sys
from ocrframe.engine.decode import decode_image
from ocrframe.errors import ApiError
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    decode_image(data)
    print("decoded", flush=True)
except ApiError as e:
    print(e.code, flush=True)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_finding_2_peak_memory_of_a_bomb_is_bounded(tmp_path):
    """Measured in a fresh process: the peak RSS growth while refusing a 16000 x 16000 bomb
    (OpenCV alone would allocate 256 MB for it, 768 MB in colour)."""
    pytest.importorskip("cv2")
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb())
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(path)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    code, grew_kb = out.stdout.split()
    assert code == "AIS.0103", out.stderr[-2000:]
    assert int(grew_kb) < 50 * 1024, f"peak RSS grew by {int(grew_kb) / 1024:.0f} MB"


@pytest.mark.slow
def test_peak_memory_of_the_largest_accepted_image_is_bounded(tmp_path):
    """The largest image the contract accepts (8000 x 8000) decodes within a fixed budget."""
    pytest.importorskip("cv2")
    path = tmp_path / "max.png"
    path.write_bytes(png_bomb(8000, bad_text_crc=False))
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(path)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    code, grew_kb = out.stdout.split()
    assert code == "decoded", out.stderr[-2000:]
    assert int(grew_kb) < 700 * 1024, f"peak RSS grew by {int(grew_kb) / 1024:.0f} MB"


def test_finding_3_an_oversized_body_gets_a_readable_413(server):
    big = b'{"image": "' + b"A" * (11 * 2**20) + b'"}'
    r = requests.post(server.url + V2, data=big, headers={"Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 413 and r.json()["error_code"] == "AIS.0103"
    import urllib.error
    import urllib.request

    req = urllib.request.Request(server.url + V2, data=big, headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=60)
    assert e.value.code == 413 and json.loads(e.value.read())["error_code"] == "AIS.0103"


def test_finding_4_slow_uploads_do_not_take_the_admission_slots():
    cfg = ServerConfig(backend=DigestBackend(), workers=1, queue_size=2, body_timeout=20.0, max_client_requests=8)
    with ServerThread(create_app(cfg)) as srv:
        stalled, refused = [], 0
        try:
            for _ in range(40):  # headers and half a body, then nothing, from another address
                s = socket.create_connection(("127.0.0.1", srv.port), source_address=("127.0.0.2", 0))
                s.sendall(f"POST {V2} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n".encode() + b"{" * 500)
                stalled.append(s)
            time.sleep(0.5)
            for _ in range(3):  # an honest client on its own address is served
                r = requests.post(srv.url + V2, json={"image": b64(png())}, timeout=10)
                assert r.status_code == 200, r.text
            for s in stalled:  # the attacker's connections past its cap were refused (after the drain)
                s.settimeout(0.05)
                try:
                    refused += s.recv(64).startswith(b"HTTP/1.1 429")
                except (socket.timeout, OSError):
                    pass
        finally:
            for s in stalled:
                s.close()
        assert requests.get(srv.url + "/health").json()["pool"]["admitted"] == 0


def test_finding_5_one_contract(tmp_path, server):
    from ocrframe import batch
    from ocrframe.backends.local import LocalEngine  # noqa: F401  (imports, builds nothing)
    from ocrframe.backends.http import client as http_client
    from ocrframe.engine import decode
    from ocrframe.server import pool

    # the same limits everywhere
    assert contract.MAX_SIDE == 8000 == decode.ENGINE_LIMITS.max_side == ServerConfig().max_side
    assert HTTPService("http://127.0.0.1:1").limits.max_side == 8000
    assert http_client.check_image is contract.check_image
    # one backend-call wrapper and outcome for the batch runner and the server
    assert batch.call_backend is contract.call_backend and pool.call_backend is contract.call_backend
    # OFD: the contract accepts it; the local engine says plainly it cannot read it yet
    ofd = zip_of("OFD.xml")
    assert contract.check_image(ofd).format is contract.ImageFormat.OFD
    with pytest.raises(ApiError, match="OFD") as e:
        decode.decode_image(ofd)
    assert e.value.code == "AIS.0102"
    # saved answers: what `store export` writes, `evaluate` and Replay read
    from ocrframe.cli import main
    from ocrframe.evaluate.cli import read_answers_jsonl

    imgs = [tmp_path / f"a{i}.png" for i in range(2)]
    imgs[0].write_bytes(png())
    imgs[1].write_bytes(b"not an image")
    store, out = tmp_path / "s.sqlite", tmp_path / "export.jsonl"
    assert main(["classify", *map(str, imgs), "--backend", server.url, "--store", str(store), "--no-progress",
                 "--quiet"]) == 0
    assert main(["store", "export", str(store), str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert {"response", "error"} <= {k for x in lines for k in x}
    docs = read_answers_jsonl(out)
    assert set(docs["status"]) >= {"AIS.0102"}
    replay = ocrframe.Replay(out)
    assert len(replay) == 2
    # request options: one validation, the server's and the client's
    with pytest.raises(ValueError, match="spaceship"):
        RequestOptions(extended_parameters={"spaceship": {}})
    assert _post(server, {"image": b64(png()), "extended_parameters": {"spaceship": {}}}).status_code == 400


def test_finding_6_conformance(server):
    r = requests.get(server.url + V2)
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.json()["error_code"]
    schema = requests.get(server.url + "/openapi.json").json()["components"]["schemas"]["AutoClassificationRequestBody"]
    assert schema["properties"]["image"]["minLength"] == 1 and schema["properties"]["url"]["minLength"] == 1
    assert {tuple(x["required"]) for x in schema["oneOf"]} == {("image",), ("url",)}
    answer = _raw(server, b"POST " + V2.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}")
    assert answer.startswith(b"HTTP/1.1 400") and b"application/json" in answer and b"AIS.0101" in answer
    pytest.importorskip("cv2")
    from ocrframe.engine.decode import decode_image

    with pytest.raises(ApiError) as e:
        decode_image(empty_pdf())
    assert "no pages" in e.value.message and "Success" not in e.value.message
    with pytest.raises(ApiError) as e:
        decode_image(b"%PDF-1.7\nnot really")
    assert "not a valid PDF" in e.value.message


def test_finding_7_secrets(tmp_path, monkeypatch):
    sk = "sk-secret-value-0123456789"
    cloud = HuaweiCloud(region="cn-north-4", project_id="p", ak="AKEXAMPLE000", sk=sk, env={})
    svc = HTTPService("http://u:pw-secret-99@127.0.0.1:1", token=None)
    for obj in (cloud, cloud._auth, svc, svc._auth):
        assert sk not in repr(vars(obj)) and "pw-secret-99" not in repr(vars(obj))
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(cloud)  # never in clear to a worker
    shared = HuaweiCloud(region="cn-north-4", project_id="p", ak="AKEXAMPLE000", sk=sk, env={}, share_secrets=True)
    assert pickle.loads(pickle.dumps(shared))._auth._sk.reveal() == sk  # the explicit opt-in
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKFROMENV000")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", sk)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "p")
    from_env = HuaweiCloud(region="cn-north-4")
    blob = pickle.dumps(from_env)
    assert sk.encode() not in blob  # the worker re-reads the environment
    assert pickle.loads(blob)._auth._sk.reveal() == sk
    creds = tmp_path / "credentials"
    creds.write_text(f"[basic]\nak = AKFROMFILE00\nsk = {sk}\nproject_id = p9\n")
    for k in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID"):
        monkeypatch.delenv(k)
    from_file = HuaweiCloud(region="cn-north-4", credentials_file=str(creds))
    blob = pickle.dumps(from_file)
    assert sk.encode() not in blob and pickle.loads(blob)._auth._sk.reveal() == sk
    assert from_file.project_id == "p9"
    cfg = ServerConfig(auth="token", tokens=("tok-secret-000001",))
    assert "tok-secret-000001" not in repr(vars(cfg))


def test_finding_8_a_garbled_200_is_not_asked_twice():
    with FakeCloud(faults=lambda key, attempt: Fault.truncate() if attempt == 1 else None, project_id="p") as fake:
        svc = HTTPService(fake.url, project_id="p", retry=FAST, trust_env=False)
        df = pd.DataFrame({"image": [png(30 + i, 30) for i in range(6)]})
        docs = df.ocr.classify(col="image", backend=svc, progress=False)
        assert fake.answered_twice() == 0 and fake.n_requests == 6
        assert set(docs["status"]) == {"OCRFRAME.0006"} and len(docs) == 6  # rows, not lost


def test_finding_9_cli_exits_and_early_checks(tmp_path, capsys):
    from ocrframe.cli import main

    with FakeCloud(project_id="ocrframe") as fake:
        a = tmp_path / "a.png"
        a.write_bytes(b"not an image")
        assert main(["classify", str(a), "--backend", fake.url, "--no-progress"]) == 1  # nothing recognised
        assert main(["classify", str(tmp_path / "missing.png"), "--backend", fake.url]) == 2
        good = tmp_path / "good.png"
        good.write_bytes(png())
        assert main(["classify", str(good), "--backend", fake.url, "--out", str(tmp_path / "x.xlsx")]) == 2
        assert main(["classify", str(good), "--backend", fake.url, "--type-list", "library_card"]) == 2
        assert main(["classify", str(good), "--backend", fake.url, "--workers", "0"]) == 2
        assert fake.n_requests == 0  # every refusal came before any work
        assert main(["classify", str(good), "--backend", fake.url, "--no-progress", "--quiet"]) == 0
    assert "xlsx" in capsys.readouterr().err


# ----------------------------------------------------------------------------- clients

CLIENT_ANSWERS = {
    "not-json": Fault.raw(200, b"<html>ok</html>"),
    "json-array": Fault.raw(200, b"[1, 2]"),
    "result-not-list": Fault.raw(200, b'{"result": {}}'),
    "unknown-type": Fault.raw(200, b'{"result": [{"status": {"error_code": "AIS.0000", "error_msg": ""}, '
                                   b'"type": "alien", "location": [[0,0],[1,0],[1,1],[0,1]], "content": {}}]}'),
    "nan-confidence": Fault.raw(200, b'{"result": [{"status": {"error_code": "AIS.0000", "error_msg": ""}, '
                                     b'"type": "bankcard", "location": [[0,0],[1,0],[1,1],[0,1]], '
                                     b'"content": {"confidence": {"x": NaN}}}]}'),
    "three-points": Fault.raw(200, b'{"result": [{"status": {"error_code": "AIS.0000", "error_msg": ""}, '
                                   b'"type": "bankcard", "location": [[0,0],[1,0],[1,1]], "content": {}}]}'),
    "error-body-200": Fault.raw(200, b'{"error_code": "AIS.0105", "error_msg": "Recognition failed."}'),
    "empty-200": Fault.raw(200, b""),
    "html-502": Fault.html(502),
    "retry-after-garbage": Fault.raw(429, b"{}", retry_after="soon"),
    "huge-retry-after": Fault.raw(503, b"{}", retry_after="999999"),
    "redirect": Fault("status", 302, "X", "moved"),
    "teapot": Fault.raw(418, b"I'm a teapot"),
}


def test_hostile_answers_become_error_rows_never_crashes():
    """Malformed answers from a service: each image keeps one row with a code, none lost."""
    names = list(CLIENT_ANSWERS)
    faults = {}

    def plan(key, attempt):
        return faults.get(key)

    with FakeCloud(faults=plan, project_id="p") as fake:
        images = [png(20 + i, 20) for i in range(len(names))]
        import hashlib

        for name, data in zip(names, images):
            faults[hashlib.sha256(b64(data).encode()).hexdigest()[:16]] = CLIENT_ANSWERS[name]
        svc = HTTPService(fake.url, project_id="p", retry=FAST, trust_env=False)
        df = pd.DataFrame({"image": images, "case": names})
        docs = df.ocr.classify(col="image", backend=svc, progress=False)
    assert list(docs["case"].unique()) == names  # nothing lost, input order kept
    by_case = docs.groupby("case", sort=False)["status"].first()
    assert not by_case.str.startswith("AIS.0000").any(), by_case.to_dict()
    assert fake.answered_twice() == 0


PANDAS_CELLS = {
    "none": None, "nan": float("nan"), "int": 7, "list": [1, 2], "dict": {"a": 1}, "empty-bytes": b"",
    "empty-str": "", "spaces": "   ", "missing-path": "no/such/file.png", "directory": ".",
    "dev-zero": "/dev/zero", "gif-bytes": gif(), "bomb-bytes": bomb(), "png-no-ihdr": b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""),
    "ftp-url": "ftp://127.0.0.1/a.png", "text-bytes": b"hello",
}


def test_pandas_path_keeps_one_row_per_hostile_cell(tmp_path):
    """Every hostile cell becomes exactly one error row with a code; nothing is read without
    bound (``/dev/zero``) and nothing reaches the service that the contract refuses."""
    big = tmp_path / "big.jpg"
    with open(big, "wb") as f:  # a sparse 2 GB file: refused from its size, never read
        f.truncate(2 * 2**30)
    cells = {**PANDAS_CELLS, "sparse-2gb": str(big)}
    with FakeCloud(project_id="p") as fake:
        svc = HTTPService(fake.url, project_id="p", retry=FAST, trust_env=False)
        df = pd.DataFrame({"cell": list(cells.values()), "case": list(cells)})
        docs = df.ocr.classify(col="cell", backend=svc, progress=False)
        assert fake.n_requests == 0
    assert list(docs["case"]) == list(cells)  # one row each, in order
    assert docs["doc"].isna().all() and not docs["status"].str.startswith("AIS.0000").any()
    codes = dict(zip(docs["case"], docs["status"]))
    assert codes["sparse-2gb"] == "AIS.0103" and codes["dev-zero"] == "OCRFRAME.0002"
    assert codes["bomb-bytes"] == "AIS.0103" and codes["png-no-ihdr"] == "AIS.0102"
    assert codes["ftp-url"] == "OCRFRAME.0003"


def test_hostile_inputs_number_at_least_sixty():
    n = len(HOSTILE) + len(RAW) + len(CLIENT_ANSWERS) + len(PANDAS_CELLS) + 1 + 4
    assert n >= 60, n


@pytest.mark.slow
def test_server_under_a_mixed_hostile_load_stays_up(server, origin):
    """All hostile bodies at once, 8 threads, twice: still no 5xx, and the server still serves."""
    bodies = list(HOSTILE.values()) * 2
    with ThreadPoolExecutor(8) as ex:
        statuses = list(ex.map(lambda b: _post(server, b).status_code, bodies))
    assert all(400 <= s < 500 for s in statuses), sorted(set(statuses))
    assert _post(server, {"image": b64(png())}).status_code == 200
