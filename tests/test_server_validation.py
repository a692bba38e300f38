"""Request validation: the contract's codes and statuses, through the app in-process."""

from __future__ import annotations

import json

import pytest

from ocrframe.server import ServerConfig, create_app
from ocrframe.testing.backends import DigestBackend
from ocrframe.testing.images import b64, gif, png
from ocrframe.testing.server import OCR_PATH_V1 as V1
from ocrframe.testing.server import OCR_PATH_V2 as V2

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def client():
    app = create_app(ServerConfig(backend=DigestBackend(), workers=2, max_body_bytes=2 * 2**20,
                                  max_base64_bytes=2**20))
    with TestClient(app) as c:
        yield c


def code_of(r):
    return r.status_code, r.json()["error_code"]


def test_valid_image_both_paths(client):
    img = b64(png())
    for path in (V2, V1):
        r = client.post(path, json={"image": img})
        assert r.status_code == 200, r.text
        body = r.json()
        assert isinstance(body["result"], list) and body["result"]
        assert r.headers["x-request-id"]
    # same image, same answer: the backend is deterministic
    assert client.post(V2, json={"image": img}).json() == client.post(V1, json={"image": img}).json()


def test_type_list_filters(client):
    img = b64(png(70, 40))
    full = client.post(V2, json={"image": img}).json()["result"]
    one = full[0]["type"]
    r = client.post(V2, json={"image": img, "type_list": [one], "detect_seal": False, "pdf_page_number": 1})
    assert r.status_code == 200
    assert {d["type"] for d in r.json()["result"]} == {one}


@pytest.mark.parametrize("body, status, code", [
    ({}, 400, "AIS.0101"),                                               # neither
    ({"image": None, "url": None}, 400, "AIS.0101"),
    ({"image": "", "url": ""}, 400, "AIS.0101"),
    ({"image": "aGk=", "url": "https://example.com/a.jpg"}, 400, "AIS.0101"),   # both
    ({"image": 123}, 400, "AIS.0101"),                                    # wrong JSON types
    ({"image": ["x"]}, 400, "AIS.0101"),
    ({"url": {"a": 1}}, 400, "AIS.0101"),
    ({"image": "aGk=", "type_list": "passport"}, 400, "AIS.0101"),
    ({"image": "aGk=", "type_list": [1]}, 400, "AIS.0101"),
    ({"image": "aGk=", "type_list": ["passport", "library_card"]}, 400, "AIS.0101"),  # unknown type
    ({"image": "aGk=", "detect_seal": "true"}, 400, "AIS.0101"),
    ({"image": "aGk=", "pdf_page_number": "1"}, 400, "AIS.0101"),
    ({"image": "aGk=", "pdf_page_number": True}, 400, "AIS.0101"),
    ({"image": "aGk=", "pdf_page_number": 0}, 400, "AIS.0101"),
    ({"image": "aGk=", "extended_parameters": []}, 400, "AIS.0101"),
    ({"image": "aGk=", "extended_parameters": {"spaceship": {}}}, 400, "AIS.0101"),
    ({"url": "ftp://example.com/a.jpg"}, 400, "AIS.0101"),
    ({"url": "file:///etc/passwd"}, 400, "AIS.0101"),
    ({"image": "not base64 at all!"}, 400, "AIS.0102"),                   # bad base64 (official: 0102)
    ({"image": "aGk"}, 400, "AIS.0102"),                                  # bad padding
    ({"image": b64(b"plain text, no image")}, 400, "AIS.0102"),           # not an image format
    ({"image": b64(gif())}, 400, "AIS.0102"),                             # GIF: not supported
    ({"image": b64(png(10, 40))}, 400, "AIS.0103"),                       # shortest side < 15
    ({"image": b64(png(8001, 16))}, 400, "AIS.0103"),                     # longest side > 8000
    ({"image": "A" * (2**20 + 4)}, 400, "AIS.0103"),                      # base64 over the limit
])
def test_validation_codes(client, body, status, code):
    r = client.post(V2, json=body)
    assert code_of(r) == (status, code), r.text
    assert r.json()["error_msg"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[1, 2]", b'"image"', b"\xff\xfe{}", b"null", b"1e999999"])
def test_malformed_json(client, raw):
    r = client.post(V2, content=raw, headers={"Content-Type": "application/json"})
    assert code_of(r) == (400, "AIS.0101"), r.text


def test_base64_with_newlines_and_data_uri_accepted(client):
    img = b64(png())
    wrapped = "\n".join(img[i:i + 76] for i in range(0, len(img), 76))
    assert client.post(V2, json={"image": wrapped}).status_code == 200
    assert client.post(V2, json={"image": "data:image/png;base64," + img}).status_code == 200


def test_body_over_limit_is_413(client):
    big = json.dumps({"image": "A" * (3 * 2**20)})
    r = client.post(V2, content=big, headers={"Content-Type": "application/json"})
    assert code_of(r) == (413, "AIS.0103")


def test_not_found_and_method(client):
    r = client.post("/v2/p1/ocr/nothing", json={})
    assert r.status_code == 404 and r.json()["error_code"] == "APIGW.0101"
    r = client.get(V2)
    assert r.status_code == 405 and "error_code" in r.json()


def test_request_id_echoed_or_generated(client):
    r = client.post(V2, json={}, headers={"X-Request-Id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = client.post(V2, json={}, headers={"X-Request-Id": "bad id with spaces"})
    assert r.headers["x-request-id"] != "bad id with spaces" and len(r.headers["x-request-id"]) == 32


def test_health_and_openapi(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["backend"].startswith("digest") and h["pool"]["workers"] == 2
    doc = client.get("/openapi.json").json()
    op = doc["paths"]["/v2/{project_id}/ocr/auto-classification"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("AutoClassificationRequestBody")
    assert {"200", "400", "413", "429"} <= set(op["responses"])
    assert "/v1.0/ocr/auto-classification" in doc["paths"]
