"""Authentication: off, static tokens, AK/SK signatures — and the official SDK calling the
server unchanged (its endpoint pointed at 127.0.0.1)."""

from __future__ import annotations

import json
import time

import pytest
import requests

from ocrframe.backends import ImageInput, RequestOptions
from ocrframe.backends.signer import sign_request
from ocrframe.server import ServerConfig, create_app
from ocrframe.server.auth import Authenticator
from ocrframe.testing.backends import DigestBackend
from ocrframe.testing.images import b64, png
from ocrframe.testing.server import OCR_PATH_V1 as V1
from ocrframe.testing.server import OCR_PATH_V2 as V2
from ocrframe.testing.server import ServerThread

AK, SK = "AKTESTSERVER0001", "sk-secret-for-tests-0001"
TOKEN = "tok-3f9a7c1e5b"
PROJECT = "p-0123456789"


@pytest.fixture(scope="module")
def server():
    cfg = ServerConfig(backend=DigestBackend(), workers=2, auth="token,aksk", tokens=(TOKEN,),
                       credentials={AK: SK})
    with ServerThread(create_app(cfg)) as srv:
        yield srv


def _signed(url, body: bytes, *, ak=AK, sk=SK, now=time.time, extra=None):
    headers = {"Content-Type": "application/json;charset=UTF-8", "X-Project-Id": PROJECT, **(extra or {})}
    return sign_request("POST", url, headers, body, ak=ak, sk=sk, now=now).headers


def test_token_mode(server):
    url = server.url + V2
    img = {"image": b64(png())}
    assert requests.post(url, json=img, headers={"X-Auth-Token": TOKEN}).status_code == 200
    r = requests.post(url, json=img, headers={"X-Auth-Token": TOKEN + "x"})
    assert r.status_code == 401 and r.json()["error_code"] == "APIGW.0301"
    r = requests.post(url, json=img)
    assert r.status_code == 401 and "X-Auth-Token" in r.json()["error_msg"]
    assert TOKEN not in r.text


def test_aksk_signatures(server):
    url = server.url + V2
    body = f'{{"image":"{b64(png())}"}}'.encode()
    assert requests.post(url, data=body, headers=_signed(url, body)).status_code == 200
    # the v1.0 path and a query string are signed too
    url1 = server.url + V1 + "?x=1&a=b"
    assert requests.post(url1, data=body, headers=_signed(url1, body)).status_code == 200
    bad = [
        _signed(url, body, sk="wrong-secret"),                        # wrong secret
        _signed(url, body, ak="AKUNKNOWN"),                           # unknown key
        _signed(url, body, now=lambda: time.time() - 3600),           # outside the skew window
        _signed(url, body + b" "),                                     # body changed after signing
        {**_signed(url, body), "X-Project-Id": "p-other"},             # a signed header changed
    ]
    for headers in bad:
        r = requests.post(url, data=body, headers=headers)
        assert r.status_code == 401, headers
        assert r.json()["error_code"] == "APIGW.0301"
        assert SK not in r.text
    # within the skew window: accepted
    ok = _signed(url, body, now=lambda: time.time() - 600)
    assert requests.post(url, data=body, headers=ok).status_code == 200


def test_unauthenticated_big_body_refused_before_reading():
    auth = Authenticator({"token"}, tokens=[TOKEN])
    with pytest.raises(Exception) as ei:
        auth.precheck({"content-length": "999999999"})
    assert ei.value.http_status == 401


def test_auth_off_ignores_credentials():
    from fastapi.testclient import TestClient

    with TestClient(create_app(ServerConfig(backend=DigestBackend()))) as c:
        r = c.post(V2, json={"image": b64(png())}, headers={"X-Auth-Token": "whatever", "Authorization": "junk"})
        assert r.status_code == 200


# ------------------------------------------------------------------ the official SDK

def _sdk_client(url, credentials):
    ocr = pytest.importorskip("huaweicloudsdkocr.v1")
    from huaweicloudsdkcore.http.http_config import HttpConfig

    cfg = HttpConfig.get_default_config()
    cfg.timeout = (5, 30)
    return ocr, ocr.OcrClient.new_builder().with_http_config(cfg).with_credentials(credentials) \
        .with_endpoint(url).build()


def test_official_sdk_aksk(server):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    ocr, client = _sdk_client(server.url, BasicCredentials(AK, SK, PROJECT))
    data = png(90, 60)
    req = ocr.RecognizeAutoClassificationRequest(body=ocr.AutoClassificationRequestBody(image=b64(data)))
    resp = client.recognize_auto_classification(req)
    expected = DigestBackend().recognize(ImageInput("x", data=data), RequestOptions())
    # the SDK parses numbers as Decimal: compare as plain JSON
    got = json.loads(json.dumps([r.to_dict() for r in resp.result], default=float))
    assert got == [{**d, "seal_mark": None} for d in expected["result"]]
    assert resp.x_request_id
    # and type_list / detect_seal travel through the SDK's model
    one = expected["result"][0]["type"]
    req = ocr.RecognizeAutoClassificationRequest(body=ocr.AutoClassificationRequestBody(
        image=b64(data), type_list=[one], detect_seal=True))
    assert {r.type for r in client.recognize_auto_classification(req).result} == {one}


def test_official_sdk_wrong_secret_and_errors(server):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    ocr, client = _sdk_client(server.url, BasicCredentials(AK, "not-the-secret", PROJECT))
    req = ocr.RecognizeAutoClassificationRequest(body=ocr.AutoClassificationRequestBody(image=b64(png())))
    with pytest.raises(ClientRequestException) as ei:
        client.recognize_auto_classification(req)
    assert ei.value.status_code == 401 and ei.value.error_code == "APIGW.0301"
    # a contract error reaches the SDK as its exception, with the service's code
    ocr, client = _sdk_client(server.url, BasicCredentials(AK, SK, PROJECT))
    req = ocr.RecognizeAutoClassificationRequest(body=ocr.AutoClassificationRequestBody(image=b64(b"no image")))
    with pytest.raises(ClientRequestException) as ei:
        client.recognize_auto_classification(req)
    assert ei.value.status_code == 400 and ei.value.error_code == "AIS.0102"


def test_official_sdk_token_mode():
    """The SDK has no token credential for OCR: a token-mode caller adds ``X-Auth-Token``
    as a preset header (the SDK still signs with whatever AK/SK it holds; token mode
    ignores that)."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    cfg = ServerConfig(backend=DigestBackend(), auth="token", tokens=(TOKEN,))
    with ServerThread(create_app(cfg)) as srv:
        ocr, client = _sdk_client(srv.url, BasicCredentials("AKIGNORED", "ignored-secret", PROJECT))
        req = ocr.RecognizeAutoClassificationRequest(body=ocr.AutoClassificationRequestBody(image=b64(png())))
        from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

        with pytest.raises(ClientRequestException) as ei:
            client.recognize_auto_classification(req)
        assert ei.value.status_code == 401
        client.preset_headers["X-Auth-Token"] = TOKEN
        resp = client.recognize_auto_classification(req)
        assert len(resp.result) >= 1 and resp.result[0].status.error_code in ("AIS.0000", "AIS.0104")


def test_ocrframe_http_service_with_aksk_and_token(server):
    from ocrframe.backends.http import HTTPService
    from ocrframe.errors import AuthenticationError

    data = png(50, 40)
    want = DigestBackend().recognize(ImageInput("x", data=data), RequestOptions())
    for svc in (HTTPService(server.url, project_id=PROJECT, ak=AK, sk=SK),
                HTTPService(server.url, token=TOKEN),
                HTTPService(server.url + V1, ak=AK, sk=SK)):
        assert svc.recognize(ImageInput("x", data=data), RequestOptions()) == want
    with pytest.raises(AuthenticationError):
        HTTPService(server.url, ak=AK, sk="wrong").recognize(ImageInput("x", data=data), RequestOptions())
