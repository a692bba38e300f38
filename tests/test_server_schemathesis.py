"""Property-based: schemathesis generates requests from the server's own OpenAPI document,
positive and negative, and every one of its checks must pass (not only "no 5xx": status
codes, content types, headers and bodies conform to the schema, valid data is accepted,
invalid data rejected, undeclared methods answered 405 with ``Allow``).

JSON Schema cannot say "base64 of a real image", so the schema's ``image`` and ``url`` get a
``format`` here whose generators make real images (PNG, JPEG, BMP, TIFF of random sizes) and
URLs of a local image host: positive cases are then really valid, and must get a 200.

    OCRFRAME_SCHEMATHESIS_EXAMPLES=2000 pytest tests/test_server_schemathesis.py   # a long run
"""

from __future__ import annotations

import base64
import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ocrframe.server import ServerConfig, create_app  # noqa: E402
from ocrframe.testing.backends import DigestBackend  # noqa: E402
from ocrframe.testing.server import ServerThread  # noqa: E402

EXAMPLES = int(os.environ.get("OCRFRAME_SCHEMATHESIS_EXAMPLES", "120"))


def _image(w: int, h: int, fmt: str, shade: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (shade, 255 - shade, 90)).save(buf, fmt)
    return buf.getvalue()


class _Images(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        n = int("".join(c for c in self.path if c.isdigit()) or 0)
        body = _image(20 + n % 90, 15 + n % 70, "PNG", n % 256)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


_ORIGIN = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
_ORIGIN.daemon_threads = True
threading.Thread(target=_ORIGIN.serve_forever, daemon=True).start()
ORIGIN = f"http://127.0.0.1:{_ORIGIN.server_address[1]}"

# a real server on 127.0.0.1 (cheaper per case than schemathesis' ASGI transport)
_SERVER = ServerThread(create_app(ServerConfig(backend=DigestBackend(), workers=2, queue_size=64,
                                               url_allow=("127.0.0.1",), max_client_requests=0))).start()

schemathesis.openapi.format("ocr-image", st.builds(
    lambda w, h, fmt, shade: base64.b64encode(_image(w, h, fmt, shade)).decode("ascii"),
    st.integers(15, 120), st.integers(15, 120), st.sampled_from(["PNG", "JPEG", "BMP", "TIFF"]),
    st.integers(0, 255)))
schemathesis.openapi.format("ocr-image-url", st.integers(0, 10_000).map(lambda n: f"{ORIGIN}/img/{n}.png"))


def _schema() -> dict:
    import requests

    doc = requests.get(_SERVER.url + "/openapi.json", timeout=30).json()
    props = doc["components"]["schemas"]["AutoClassificationRequestBody"]["properties"]
    props["image"]["format"] = "ocr-image"
    props["url"]["format"] = "ocr-image-url"
    return doc


schema = schemathesis.openapi.from_dict(_schema())
schema.config.update(base_url=_SERVER.url)
# the coverage phase builds boundary strings from minLength/maxLength/pattern and ignores
# `format`, so its "valid" images are not images: it probes the negative side only (and the
# undeclared methods); the examples and fuzzing phases generate both sides with real images
schema.config.phases.coverage.generation.modes = [schemathesis.GenerationMode.NEGATIVE]
SEEN: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    _SERVER.stop()
    _ORIGIN.shutdown()
    _ORIGIN.server_close()


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_check_passes(case):
    response = case.call_and_validate(base_url=_SERVER.url)  # all of schemathesis' checks
    key = f"{case.method} {case.path} {response.status_code}"
    SEEN[key] = SEEN.get(key, 0) + 1
    if response.status_code >= 400 and case.path != "/health":
        assert set(response.json()) == {"error_code", "error_msg"}
    assert response.headers.get("x-request-id")


@pytest.mark.slow
def test_enough_cases_were_generated():
    if not SEEN:
        pytest.skip("run together with test_every_check_passes")
    print("schemathesis cases:", SEEN)
    assert sum(SEEN.values()) >= 300, SEEN
    assert any(k.endswith(" 200") and "auto-classification" in k for k in SEEN)  # valid data was accepted
