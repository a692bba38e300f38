"""Unit tests of the HTTP client pieces, ``ocrframe.backends.http`` (no server needed)."""

from __future__ import annotations

import pickle

import pytest

from ocrframe.backends.base import ImageInput, RequestOptions
from ocrframe.backends.http import HTTPService, RetryPolicy, TokenAuth, error_from_body, map_http_error, parse_retry_after
from ocrframe.contract import build_body, sniff_format
from ocrframe.errors import ApiError, AuthenticationError
from ocrframe.secret import Secret, scrub, strip_userinfo


def test_backoff_grows_with_equal_jitter_and_is_capped():
    p = RetryPolicy(backoff=0.5, backoff_max=4.0)
    for attempt, (lo, hi) in enumerate([(0.25, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (2.0, 4.0)]):
        for _ in range(50):
            assert lo <= p.delay(attempt) <= hi
    assert 7.0 <= p.delay(0, retry_after=7.0) <= 7.5


@pytest.mark.parametrize("kw", [{"max_retries": -1}, {"backoff": -1}, {"max_retries": 1.5}])
def test_retry_policy_validates(kw):
    with pytest.raises(ValueError):
        RetryPolicy(**kw)


def test_retry_after_forms():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0) == 10.0


@pytest.mark.parametrize("body, expected", [
    (b'{"error_code": "AIS.0104", "error_msg": "poor quality"}', ("AIS.0104", "poor quality")),
    (b'{"error_code": "APIGW.0308", "error_message": "throttled"}', ("APIGW.0308", "throttled")),
    (b'{"error": {"code": 403, "message": "no permission", "title": "Forbidden"}}', ("IAM.403", "no permission")),
    (b'{"result": []}', None),
    (b'[1, 2]', None),
    (b'', None),
    (b'\xff\xfe', None),
])
def test_error_bodies(body, expected):
    assert error_from_body(body) == expected


def mapped(status, body=b"", reason=""):
    return map_http_error(status, body, reason, url="https://u:p@ocr.example.com/v2/p/ocr")


def test_http_errors_map_to_the_service_codes():
    f = mapped(400, b'{"error_code": "AIS.0101", "error_msg": "The input parameter is invalid."}')
    assert type(f.error) is ApiError and f.error.code == "AIS.0101" and not f.error.transient
    f = mapped(401, b'{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information."}')
    assert isinstance(f.error, AuthenticationError) and not f.retryable
    f = mapped(403, b'{"error_code": "APIGW.0302", "error_msg": "not authorized"}')
    assert isinstance(f.error, AuthenticationError)
    f = mapped(403, b'{"error_code": "AIS.0105", "error_msg": "Recognition failed."}')
    assert type(f.error) is ApiError  # a service verdict on this image, not on the account
    f = mapped(401, b"<html>nope</html>", "Unauthorized")
    assert isinstance(f.error, AuthenticationError) and f.error.code == "APIGW.0301"


def test_non_json_error_bodies_keep_status_and_snippet_but_no_userinfo():
    f = mapped(502, b"<html><h1>502 Bad Gateway</h1></html>", "Bad Gateway")
    assert f.error.code == "AIS.0500" and f.error.transient and f.error.http_status == 502
    assert "502 Bad Gateway" in f.error.message and "u:p@" not in f.error.message
    f = mapped(429, b"slow down", "Too Many Requests")
    assert f.error.code == "APIGW.0308" and f.error.transient
    f = mapped(404, b"not here", "Not Found")
    assert f.error.code == "OCRFRAME.0006" and not f.error.transient and "404" in f.error.message


def test_secret_and_scrub():
    s = Secret("hunter2-long")
    assert "hunter2" not in repr(s) + str(s) + f"{s}" + repr([s])
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(s)
    assert pickle.loads(pickle.dumps(Secret("hunter2-long", share=True))).reveal() == "hunter2-long"
    assert scrub("token hunter2-long and abc", [s, "abc"]) == "token *** and abc"  # short values kept
    assert "hunter2" not in repr(TokenAuth("hunter2-long"))
    with pytest.raises(ValueError):
        TokenAuth("")


def test_strip_userinfo():
    assert strip_userinfo("http://u:p@h:1/x?q") == "http://h:1/x?q"
    assert strip_userinfo("https://h/x") == "https://h/x"


def test_body_splices_options_after_the_image():
    import json

    body = build_body(ImageInput("a", data=b"\x00\x01" * 10),
                      RequestOptions(type_list=["passport"], detect_seal=False, pdf_page_number=2,
                                     extended_parameters={"vat_invoice": {"城市": "上海"}}))
    obj = json.loads(body)
    assert list(obj) == ["image", "type_list", "pdf_page_number", "detect_seal", "extended_parameters"]
    assert obj["extended_parameters"] == {"vat_invoice": {"城市": "上海"}}
    assert json.loads(build_body(ImageInput("u", url='https://h/a"b.jpg'), RequestOptions())) == \
        {"url": "https://h/a%22b.jpg"}


def _zip(name: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<ofd:OFD/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, fmt", [
    (b"\xff\xd8\xff\xe0", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"BM\x00", "bmp"), (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"), (b"%PDF-1.4", "pdf"), (_zip("OFD.xml"), "ofd"), (_zip("word/document.xml"), "zip"),
    (b"PK\x03\x04", "zip"), (b"GIF89a", "gif"), (b"", None),
])
def test_sniff_format(data, fmt):
    assert sniff_format(data) == fmt


def test_http_service_urls_and_identity():
    assert HTTPService("http://h:8000/").url == "http://h:8000/v2/ocrframe/ocr/auto-classification"
    assert HTTPService("http://h:8000", project_id="a b").url == "http://h:8000/v2/a%20b/ocr/auto-classification"
    s = HTTPService("https://u:secret-pw@h/v1.0/ocr/auto-classification")
    assert s.identity == "http:h/v1.0/ocr/auto-classification" and "secret-pw" not in repr(s)
    with pytest.raises(ValueError, match="http"):
        HTTPService("127.0.0.1:8000")
    with pytest.raises(ValueError, match="not both"):
        HTTPService("http://h", token="t", ak="a", sk="s")
    assert HTTPService.parallelism == "thread" and HTTPService.default_workers >= 1


def test_the_old_module_still_imports_with_a_deprecation_warning():
    import importlib
    import sys

    from ocrframe.backends import http
    from ocrframe.backends.http import transport

    sys.modules.pop("ocrframe.backends.http_common", None)
    with pytest.warns(DeprecationWarning, match="ocrframe.backends.http"):
        old = importlib.import_module("ocrframe.backends.http_common")
    for name in ("RetryPolicy", "RateLimiter", "CallStats", "TokenAuth", "ContractClient", "make_session", "send",
                 "billable_documents", "estimate_cost"):
        assert getattr(old, name) is getattr(http, name)
    assert old._Failure is transport.AttemptFailure
    assert old.scrub is scrub and old.strip_userinfo is strip_userinfo and old.Secret is Secret
