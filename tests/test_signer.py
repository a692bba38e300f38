"""Our SDK-HMAC-SHA256 signer against the official SDK's, request by request."""

from __future__ import annotations

import pickle
from urllib.parse import quote, urlsplit

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

sdk = pytest.importorskip("huaweicloudsdkcore")
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.sdk_request import SdkRequest  # noqa: E402
from huaweicloudsdkcore.signer.signer import Signer  # noqa: E402

import requests  # noqa: E402

from ocrframe.backends.http.auth import AKSKAuth  # noqa: E402
from ocrframe.backends.signer import sign_request  # noqa: E402

AK, SK = "HPUAEXAMPLEAK0001", "sk-very-secret-0123456789abcdef"
DATE = "20261126T033735Z"


def sdk_auth(method, host, path, query, headers, body, ak=AK, sk=SK):
    req = SdkRequest(method=method, schema="https", host=host, resource_path=path,
                     query_params=list(query), header_params=dict(headers), body=body)
    Signer(BasicCredentials(ak, sk)).sign(req)
    return req.header_params["Authorization"]


def our_auth(method, host, path, query, headers, body, ak=AK, sk=SK):
    qs = "&".join(f"{quote(k, safe='')}={quote(str(v), safe='')}" for k, v in query)
    url = f"https://{host}{path}" + (f"?{qs}" if qs else "")
    return sign_request(method, url, headers, body, ak=ak, sk=sk).headers["Authorization"]


JSON = "application/json;charset=UTF-8"
CASES = {
    "ocr-post": ("POST", "ocr.cn-north-4.myhuaweicloud.com", "/v2/0a1b2c/ocr/auto-classification", [],
                 {"Content-Type": JSON, "X-Sdk-Date": DATE, "X-Project-Id": "0a1b2c"},
                 b'{"image":"iVBORw0KGgo=","type_list":["passport"]}'),
    "query-strings": ("GET", "ecs.example.com:8443", "/v1/p/servers",
                      [("limit", "10"), ("name", "a b&c=d"), ("marker", "~x*y'(z)!"), ("name", "aa"), ("empty", "")],
                      {"X-Sdk-Date": DATE, "Content-Type": "application/json"}, b""),
    "unicode-path": ("POST", "h.example.com", "/v2/" + quote("项目/中文", safe="/") + "/ocr", [("城市", "上海")],
                     {"Content-Type": JSON, "X-Sdk-Date": DATE}, '{"城市":"上海"}'.encode()),
    "unicode-path-raw": ("PUT", "h.example.com", "/v2/项目 a/ocr", [],
                         {"Content-Type": JSON, "X-Sdk-Date": DATE}, b"{}"),
    "unicode-body-str": ("POST", "h.example.com", "/v2/p/ocr", [],
                         {"Content-Type": JSON, "X-Sdk-Date": DATE}, '{"location":"上海","amount":"￥50.00"}'),
    "no-body": ("DELETE", "h.example.com", "/v2/p/ocr/", [], {"X-Sdk-Date": DATE}, None),
    "unsigned-payload": ("POST", "h.example.com", "/v2/p/upload", [],
                         {"Content-Type": "application/octet-stream", "X-Sdk-Date": DATE}, b"\x00\x01raw"),
    "header-details": ("POST", "h.example.com", "/v2/p/ocr", [],
                       {"content-type": JSON, "X-Sdk-Date": DATE, "X-Custom": "  padded value  ",
                        "Enterprise-Project-Id": "0", "X_Underscore": "not signed", "X-Name": "中文值"},
                       b'{"a":1}'),
    "explicit-host": ("POST", "h.example.com", "/v2/p/ocr", [],
                      {"Host": "h.example.com", "Content-Type": JSON, "X-Sdk-Date": DATE}, b'{"a":1}'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_authorization_as_official_sdk(case):
    args = CASES[case]
    assert our_auth(*args) == sdk_auth(*args)


def test_signature_changes_with_every_input():
    base = CASES["ocr-post"]
    ref = our_auth(*base)
    variants = [
        ("GET",) + base[1:],
        base[:2] + ("/v2/0a1b2d/ocr/auto-classification",) + base[3:],
        base[:3] + ([("x", "1")],) + base[4:],
        base[:4] + ({**base[4], "X-Sdk-Date": "20261126T033736Z"},) + base[5:],
        base[:5] + (base[5] + b" ",),
    ]
    for v in variants:
        assert our_auth(*v) != ref
    assert our_auth(*base, sk=SK + "x") != ref


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    segments=st.lists(_text.filter(lambda s: "/" not in s and s not in (".", "..")), min_size=1, max_size=4),
    query=st.lists(st.tuples(_text.filter(bool), _text), max_size=4),
    body=st.binary(max_size=64),
    header=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=16),
)
def test_random_requests_match_official_sdk(segments, query, body, header):
    path = "/" + "/".join(quote(s, safe="") for s in segments)
    headers = {"Content-Type": JSON, "X-Sdk-Date": DATE, "X-Extra": header}
    args = ("POST", "h.example.com", path, query, headers, body)
    assert our_auth(*args) == sdk_auth(*args)


def test_requests_auth_signs_what_it_sends():
    """The AuthBase path: the headers actually on the prepared request verify with the SDK."""
    auth = AKSKAuth(AK, SK, extra_headers={"X-Project-Id": "0a1b2c"})
    s = requests.Session()
    req = requests.Request("POST", "https://ocr.cn-north-4.myhuaweicloud.com/v2/0a1b2c/ocr/auto-classification",
                           params={"q": "上海 1", "a": "~"}, data=b'{"image":"AAAA"}',
                           headers={"Content-Type": JSON}, auth=auth)
    p = s.prepare_request(req)
    authz = p.headers["Authorization"]
    signed = authz.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert signed == ["content-type", "host", "x-project-id", "x-sdk-date"]
    assert "user-agent" not in signed and "content-length" not in signed
    parts = urlsplit(p.url)
    from urllib.parse import parse_qsl
    expected = sdk_auth("POST", parts.netloc, parts.path, parse_qsl(parts.query),
                        {k: p.headers[k] for k in p.headers if k.lower() in signed}, p.body)
    assert authz == expected


def test_fresh_date_on_every_signature():
    t = [1_764_128_255.0]
    auth = AKSKAuth(AK, SK, now=lambda: t[0])
    s = requests.Session()
    mk = lambda: s.prepare_request(requests.Request("POST", "https://h/x", data=b"{}",  # noqa: E731
                                                    headers={"Content-Type": JSON}, auth=auth))
    a = mk()
    t[0] += 1
    b = mk()
    assert a.headers["X-Sdk-Date"] != b.headers["X-Sdk-Date"]
    assert a.headers["Authorization"] != b.headers["Authorization"]


def test_secret_key_never_shown():
    auth = AKSKAuth(AK, SK)
    assert SK not in repr(auth) and SK not in str(auth)
    assert AK not in repr(auth)  # only a masked hint
    assert repr(auth).startswith("AKSKAuth(ak='HPUA")
    assert SK not in sign_request("GET", "https://h/", {}, None, ak=AK, sk=SK).canonical_request
    with pytest.raises(pickle.PicklingError, match="share_secrets"):
        pickle.dumps(auth)  # a key given in code never crosses to a worker in clear ...
    shared = AKSKAuth(AK, SK, share=True)  # ... unless asked for
    assert pickle.loads(pickle.dumps(shared))._sk.reveal() == SK
    assert SK not in repr(vars(auth))


def test_missing_keys_refused():
    with pytest.raises(ValueError, match="ak and sk"):
        AKSKAuth(AK, "")
    with pytest.raises(ValueError):
        sign_request("GET", "https://h/", {}, None, ak="", sk=SK)
