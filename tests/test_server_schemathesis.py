"""Property-based: schemathesis generates requests from the server's own OpenAPI document
(>= 500 cases over the operations, positive and negative); none may get a 5xx."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from ocrframe.server import ServerConfig, create_app  # noqa: E402
from ocrframe.server.testing import DigestBackend, ServerThread  # noqa: E402

# a real server on 127.0.0.1 (calls over HTTP are much cheaper than schemathesis' ASGI
# transport, which starts a test client per case); stopped when the module's tests end
_SERVER = ServerThread(create_app(ServerConfig(backend=DigestBackend(), workers=2, queue_size=64,
                                               url_fetch=False))).start()
schema = schemathesis.openapi.from_url(_SERVER.url + "/openapi.json")
SEEN: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _stop_server():
    yield
    _SERVER.stop()


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=int(__import__("os").environ.get("OCRFRAME_SCHEMATHESIS_EXAMPLES", "180")), deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors(case):
    response = case.call()
    key = f"{case.method} {case.path}"
    SEEN[key] = SEEN.get(key, 0) + 1
    assert response.status_code < 500, (response.status_code, response.text[:300], case.body if
                                        not isinstance(case.body, (bytes, str)) else str(case.body)[:200])
    if response.status_code >= 400 and case.path != "/health":
        body = response.json()
        assert set(body) == {"error_code", "error_msg"}, body
    assert response.headers.get("x-request-id")


@pytest.mark.slow
def test_enough_cases_were_generated():
    if not SEEN:
        pytest.skip("run together with test_no_server_errors")
    print("schemathesis cases:", SEEN)
    assert sum(SEEN.values()) >= 500, SEEN
