"""URL inputs: SSRF refusals (before any connection), redirects re-checked, limits.

Nothing here connects anywhere but 127.0.0.1: names resolve through a stub, and every
connection the fetcher opens is recorded and checked.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from ocrframe.errors import ApiError
from ocrframe.server import ServerConfig, create_app
from ocrframe.server.fetch import SafeFetcher, URLRefused
from ocrframe.testing.backends import DigestBackend
from ocrframe.testing.images import png
from ocrframe.testing.server import OCR_PATH_V2 as V2

PNG = png(40, 30)


class _Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        if u.path == "/ok.png":
            self._send(200, PNG, {"Content-Type": "image/png"})
        elif u.path == "/redirect":
            self._send(int(q.get("code", ["302"])[0]), b"", {"Location": q["to"][0]})
        elif u.path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif u.path == "/big":
            self._send(200, b"\x89PNG" + b"\0" * 100, {"Content-Length": str(50 * 2**20)}, raw=True)
        elif u.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(200):
                    chunk = b"\0" * 65536
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
        elif u.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
        else:
            self._send(404, b"nope", {})

    def _send(self, code, body, headers, raw=False):
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        if not raw:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture(scope="module")
def origin():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


class Recorder:
    """Stub DNS plus a record of every connection (only 127.0.0.1 is ever really dialled)."""

    def __init__(self, table):
        self.table = table
        self.lookups = []
        self.connects = []

    def resolve(self, host, port):
        self.lookups.append(host)
        import socket

        if host not in self.table:
            raise socket.gaierror(f"stub: unknown host {host}")
        answer = self.table[host]
        return answer() if callable(answer) else answer

    def connect(self, ip, port, timeout):
        import socket

        self.connects.append(ip)
        assert ip == "127.0.0.1", f"the fetcher tried to connect to {ip}"
        return socket.create_connection((ip, port), timeout=timeout)


TABLE = {
    "images.test": ["127.0.0.1"],          # allow-listed by name below
    "public.test": ["93.184.216.34"],      # public, but never dialled in these tests
    "loop.test": ["127.0.0.1"],
    "ten.test": ["10.0.0.5"],
    "meta.test": ["169.254.169.254"],
    "v6loop.test": ["::1"],
    "mapped.test": ["::ffff:10.1.1.1"],
    "mixed.test": ["93.184.216.34", "192.168.1.20"],
    "cgnat.test": ["100.64.3.3"],
    "ula.test": ["fd12:3456::1"],
    "alimeta.test": ["100.100.100.200"],
}


def fetcher(rec, **kw):
    return SafeFetcher(allow=kw.pop("allow", ("images.test",)), resolver=rec.resolve, connect=rec.connect, **kw)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x.jpg", "http://127.0.0.1:8000/x.jpg", "http://10.0.0.1/x.jpg", "http://10.255.255.255/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/x", "http://[::ffff:127.0.0.1]/x",
    "http://0.0.0.0/x", "http://192.168.0.10/x", "http://172.16.5.4/x", "http://100.100.100.200/x",
    "http://[fe80::1]/x", "http://224.0.0.1/x", "http://2130706433/x", "http://0x7f000001/x",
    "http://0177.0.0.1/x", "http://127.1/x", "http://10.1/x",
])
def test_literal_private_addresses_refused(url):
    rec = Recorder(TABLE)
    with pytest.raises(ApiError) as ei:
        fetcher(rec).fetch(url)
    assert ei.value.code == "AIS.0101"
    assert rec.connects == []


@pytest.mark.parametrize("host", ["loop.test", "ten.test", "meta.test", "v6loop.test", "mapped.test",
                                  "mixed.test", "cgnat.test", "ula.test", "alimeta.test"])
def test_names_resolving_to_private_addresses_refused(host):
    rec = Recorder(TABLE)
    with pytest.raises(URLRefused) as ei:
        fetcher(rec).fetch(f"http://{host}/a.jpg")
    assert ei.value.code == "AIS.0101" and ei.value.http_status == 400
    assert rec.lookups == [host] and rec.connects == []


@pytest.mark.parametrize("url", ["ftp://images.test/a.jpg", "file:///etc/passwd", "gopher://images.test/",
                                 "http://user:pw@images.test/a.png", "http:///nohost", "http://[::1/x"])
def test_schemes_and_malformed_refused(url):
    rec = Recorder(TABLE)
    with pytest.raises(URLRefused):
        fetcher(rec).fetch(url)
    assert rec.connects == []


def test_allow_listed_name_downloads(origin):
    rec = Recorder(TABLE)
    assert fetcher(rec).fetch(f"http://images.test:{origin}/ok.png") == PNG
    assert rec.connects == ["127.0.0.1"]


def test_allow_list_by_network(origin):
    rec = Recorder(TABLE)
    assert fetcher(rec, allow=("127.0.0.0/8",)).fetch(f"http://127.0.0.1:{origin}/ok.png") == PNG


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:{port}/ok.png",          # the same origin by address: not allow-listed
    "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/iam",
    "http://ten.test/x", "http://meta.test/x", "ftp://images.test/x", "file:///etc/passwd",
])
@pytest.mark.parametrize("code", [301, 302, 307])
def test_redirects_rechecked(origin, target, code):
    rec = Recorder(TABLE)
    to = target.format(port=origin)
    with pytest.raises(URLRefused):
        fetcher(rec).fetch(f"http://images.test:{origin}/redirect?code={code}&to={to}")
    assert rec.connects == ["127.0.0.1"]  # the first hop only


def test_redirect_to_allowed_followed_and_loops_bounded(origin):
    rec = Recorder(TABLE)
    f = fetcher(rec, max_redirects=3)
    assert f.fetch(f"http://images.test:{origin}/redirect?to=/ok.png") == PNG
    with pytest.raises(URLRefused, match="redirects"):
        f.fetch(f"http://images.test:{origin}/loop")


def test_dns_resolved_once_per_hop(origin):
    """DNS rebinding: a second lookup would say 10.x; the connection uses the first answer."""
    answers = iter([["127.0.0.1"], ["10.0.0.9"]])
    rec = Recorder({"rebind.test": lambda: next(answers)})
    assert fetcher(rec, allow=("rebind.test",)).fetch(f"http://rebind.test:{origin}/ok.png") == PNG
    assert rec.lookups == ["rebind.test"] and rec.connects == ["127.0.0.1"]


def test_size_and_time_limits(origin):
    rec = Recorder(TABLE)
    f = fetcher(rec, max_bytes=2 * 2**20, timeout=1.0)
    with pytest.raises(ApiError) as ei:
        f.fetch(f"http://images.test:{origin}/big")            # Content-Length over the limit
    assert ei.value.code == "AIS.0103"
    with pytest.raises(ApiError) as ei:
        f.fetch(f"http://images.test:{origin}/chunked-big")    # no length: stopped while reading
    assert ei.value.code == "AIS.0103"
    t0 = time.monotonic()
    with pytest.raises(ApiError) as ei:
        f.fetch(f"http://images.test:{origin}/slow")           # drip-feed: one deadline for all
    assert ei.value.code == "AIS.0101" and "longer than" in ei.value.message
    assert time.monotonic() - t0 < 3
    with pytest.raises(ApiError, match="HTTP 404"):
        f.fetch(f"http://images.test:{origin}/missing")


def test_through_the_app(origin):
    from fastapi.testclient import TestClient

    rec = Recorder(TABLE)
    cfg = ServerConfig(backend=DigestBackend(), url_allow=("images.test",), resolver=rec.resolve)
    app = create_app(cfg)
    with TestClient(app) as c:
        # the app's own fetcher dials for real, but only what the stub resolves: 127.0.0.1
        r = c.post(V2, json={"url": f"http://images.test:{origin}/ok.png"})
        assert r.status_code == 200, r.text
        for url in ("http://169.254.169.254/latest/meta-data/", "http://meta.test/x",
                    f"http://images.test:{origin}/redirect?to=http://10.0.0.1/x", "http://127.0.0.1:1/x"):
            r = c.post(V2, json={"url": url})
            assert (r.status_code, r.json()["error_code"]) == (400, "AIS.0101"), url
        r = c.post(V2, json={"url": f"http://images.test:{origin}/missing"})
        assert r.status_code == 400
    assert set(rec.lookups) <= {"images.test", "meta.test"}
