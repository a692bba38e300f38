"""The cloud client against a fake service on 127.0.0.1 that injects faults.

Assertions are on what the server saw (counts, order, attempts), not on wall-clock
time, except lower bounds that a limiter guarantees (with generous margins).
"""

from __future__ import annotations

import base64
import io
import logging
import pickle
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("requests")

from ocrframe.backends.base import ImageInput, RequestOptions
from ocrframe.backends.http import CallStats, HTTPService, RateLimiter, RetryPolicy, billable_documents, estimate_cost
from ocrframe.backends.huawei import HuaweiCloud, IamTokenProvider
from ocrframe.contract import check_image
from ocrframe.errors import ApiError, AuthenticationError
from ocrframe.testing.fake_cloud import FakeCloud, Fault, FaultPlan, answer_for

FAST = RetryPolicy(max_retries=3, backoff=0.002, backoff_max=0.01, retry_after_max=5)
PID = "p-test"
TOKEN = "MIIT-static-token-0123456789"
AK, SK = "HPUATESTAK000001", "test-secret-key-0123456789abcdef"


def png(w: int = 64, h: int = 48, seed: int = 0) -> bytes:
    from PIL import Image

    im = Image.new("RGB", (w, h), (seed % 256, (seed // 256) % 256, 7))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def img(i: int = 0) -> ImageInput:
    return ImageInput(f"img{i}.png", data=png(seed=i))


def key_of(image: ImageInput) -> str:
    import hashlib
    return hashlib.sha256(base64.b64encode(image.data)).hexdigest()[:16]


OPTS = RequestOptions()


@pytest.fixture
def fake():
    servers = []

    def start(**kw):
        kw.setdefault("project_id", PID)
        f = FakeCloud(**kw).start()
        servers.append(f)
        return f

    yield start
    for f in servers:
        f.stop()


def service(f: FakeCloud, **kw) -> HTTPService:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", (2, 5))
    kw.setdefault("trust_env", False)
    return HTTPService(f.url, project_id=PID, **kw)


# ----------------------------------------------------------------------------- happy path

def test_roundtrip_sends_contract_body_and_counts_billable(fake):
    f = fake()
    with service(f) as svc:
        image = img(1)
        body = svc.recognize(image, RequestOptions(type_list=["quota_invoice", "passport"], detect_seal=True))
        assert body == answer_for(key_of(image))
        (rec,) = f.ocr_records()
        assert rec.options == {"type_list": ["quota_invoice", "passport"], "detect_seal": True}
        assert rec.path == f"/v2/{PID}/ocr/auto-classification"
        s = svc.stats.snapshot()
        assert s["images"] == s["succeeded"] == s["requests"] == 1
        assert s["billable_documents"] == billable_documents(body) >= 0
        assert s["documents"] == len(body["result"])


def test_url_input_is_sent_as_url_percent_encoded(fake):
    f = fake()
    with service(f) as svc:
        svc.recognize(ImageInput("u", url="https://obs.example.com/票据/a b.jpg"), OPTS)
        (rec,) = f.ocr_records()
        assert rec.options["url"] == "https://obs.example.com/%E7%A5%A8%E6%8D%AE/a%20b.jpg"
        with pytest.raises(ApiError) as e:
            svc.recognize(ImageInput("f", url="ftp://example.com/a.jpg"), OPTS)
        assert e.value.code == "AIS.0101"
        assert len(f.ocr_records()) == 1


# ----------------------------------------------------------------------------- retries

@pytest.mark.parametrize("fault", [Fault.throttle("0"), Fault.server_error(500), Fault.server_error(503),
                                   Fault.html(502), Fault.drop()],
                         ids=lambda f: f"{f.kind}-{f.status}")
def test_transient_fault_is_retried_then_succeeds(fake, fault):
    f = fake(faults=lambda key, attempt: fault if attempt == 1 else None)
    with service(f) as svc:
        image = img(2)
        assert svc.recognize(image, OPTS) == answer_for(key_of(image))
        assert [r.attempt for r in f.ocr_records()] == [1, 2]
        assert f.successes[key_of(image)] == 1 and f.answered_twice() == 0
        s = svc.stats.snapshot()
        assert s["retries"] == 1 and s["requests"] == 2 and s["failed"] == 0


@pytest.mark.parametrize("fault", [Fault.truncate(), Fault.garbage()], ids=lambda f: f.kind)
def test_a_200_that_arrived_unreadable_is_not_sent_again_by_default(fake, fault):
    """Billing: the service billed the answer it sent, readable or not; asking again in the
    same run may bill twice. The image becomes a transient error row (a later run asks)."""
    f = fake(faults=lambda key, attempt: fault if attempt == 1 else None)
    with service(f) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(2), OPTS)
    assert e.value.code == "OCRFRAME.0006" and e.value.transient and "not retried" in e.value.message
    assert len(f.ocr_records()) == 1 and f.answered_twice() == 0
    assert svc.stats["unreadable_answers"] == 1
    opted = RetryPolicy(max_retries=3, backoff=0.001, retry_unreadable_answers=True)
    g = fake(faults=lambda key, attempt: fault if attempt == 1 else None)
    with service(g, retry=opted) as svc:  # the documented opt-in: retried at once, maybe billed twice
        image = img(3)
        assert svc.recognize(image, OPTS) == answer_for(key_of(image))
    assert g.answered_twice() == 1


def test_persistent_5xx_gives_up_with_the_service_code(fake):
    f = fake(faults=lambda key, attempt: Fault.server_error(500))
    with service(f) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(3), OPTS)
    assert e.value.code == "AIS.0500" and e.value.transient and e.value.http_status == 500
    assert "gave up after 4 attempts" in str(e.value)
    assert len(f.ocr_records()) == 4


def test_persistent_drop_is_a_transient_connection_error(fake):
    f = fake(faults=lambda key, attempt: Fault.drop())
    with service(f, retry=RetryPolicy(max_retries=1, backoff=0.001)) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(4), OPTS)
    assert e.value.code == "OCRFRAME.0004" and e.value.transient
    assert len(f.ocr_records()) == 2


def test_unreachable_service_is_a_connection_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    svc = HTTPService(f"http://127.0.0.1:{port}", retry=RetryPolicy(max_retries=2, backoff=0.001), trust_env=False)
    with pytest.raises(ApiError) as e:
        svc.recognize(img(5), OPTS)
    assert e.value.code == "OCRFRAME.0004" and e.value.transient
    assert svc.stats["requests"] == 3


def test_retry_after_is_honoured(fake):
    f = fake(faults=lambda key, attempt: Fault.throttle("1") if attempt == 1 else None)
    with service(f) as svc:
        svc.recognize(img(6), OPTS)
    first, second = f.ocr_records()
    assert second.t - first.t >= 0.9  # the server asked for 1 s
    assert svc.stats["throttled"] == 1


def test_retry_after_beyond_the_cap_fails_now(fake):
    f = fake(faults=lambda key, attempt: Fault.throttle("3600"))
    with service(f) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(7), OPTS)
    assert e.value.code == "APIGW.0308" and e.value.transient
    assert "3600" in e.value.message
    assert len(f.ocr_records()) == 1


def test_4xx_service_error_is_not_retried(fake):
    f = fake(faults=lambda key, attempt: Fault.api_error("AIS.0103"))
    with service(f) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(8), OPTS)
    err = e.value
    assert (err.code, err.http_status, err.transient) == ("AIS.0103", 400, False)
    assert err.message == "The image size does not meet the requirements."
    assert not isinstance(err, AuthenticationError)
    assert len(f.ocr_records()) == 1


def test_read_timeout_is_not_retried_by_default(fake):
    f = fake(faults=lambda key, attempt: Fault.slow(0.5) if attempt == 1 else None)
    with service(f, timeout=(2, 0.2)) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(9), OPTS)
    assert e.value.code == "OCRFRAME.0005" and e.value.transient
    assert "not retried" in e.value.message
    time.sleep(0.4)  # let the server finish its slow answer
    assert len(f.ocr_records()) == 1  # one request: it may have been billed


def test_body_stalling_mid_way_is_a_timeout_not_retried(fake):
    f = fake(faults=lambda key, attempt: Fault.stall(0.6) if attempt == 1 else None)
    with service(f, timeout=(2, 0.2)) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(9), OPTS)
    assert e.value.code == "OCRFRAME.0005" and "stalled" in e.value.message
    assert len(f.ocr_records()) == 1


def test_read_timeout_retry_is_opt_in(fake):
    f = fake(faults=lambda key, attempt: Fault.slow(0.6) if attempt == 1 else None)
    policy = RetryPolicy(max_retries=2, backoff=0.001, retry_read_timeouts=True)
    with service(f, timeout=(2, 0.2), retry=policy) as svc:
        image = img(10)
        assert svc.recognize(image, OPTS) == answer_for(key_of(image))


def test_latency_within_timeout_is_fine(fake):
    f = fake(latency=0.05)
    with service(f, timeout=(2, 1)) as svc:
        svc.recognize(img(11), OPTS)
    assert svc.stats["retries"] == 0


def test_redirects_are_not_followed(fake):
    f = fake(faults=lambda key, attempt: Fault("status", 302, "X", "moved"))
    with service(f, token=TOKEN) as svc, pytest.raises(ApiError) as e:
        svc.recognize(img(12), OPTS)
    assert "redirect" in e.value.message and not e.value.transient
    assert len(f.ocr_records()) == 1


# ----------------------------------------------------------------------------- auth

def test_token_auth(fake):
    f = fake(tokens=[TOKEN])
    with service(f, token=TOKEN) as svc:
        svc.recognize(img(13), OPTS)
    assert f.ocr_records()[0].auth == "token"


def test_wrong_token_stops_with_authentication_error(fake):
    f = fake(tokens=[TOKEN])
    with service(f, token="MIIT-wrong-token-99999") as svc, pytest.raises(AuthenticationError) as e:
        svc.recognize(img(14), OPTS)
    assert e.value.code == "APIGW.0301" and e.value.http_status == 401 and not e.value.transient
    assert f.n_requests == 1  # no retry


def test_aksk_signed_requests_verify_with_the_official_signer(fake):
    pytest.importorskip("huaweicloudsdkcore")
    f = fake(aksk={AK: SK}, faults=lambda key, attempt: Fault.server_error(503) if attempt == 1 else None)
    with service(f, ak=AK, sk=SK) as svc:
        svc.recognize(img(15), RequestOptions(type_list=["bankcard"]))
    recs = f.ocr_records()
    assert [r.auth for r in recs] == ["aksk", "aksk"]  # the retry was signed again and accepted
    assert [r.status for r in recs] == [503, 200]


def test_fake_accepts_the_official_sdk_client(fake):
    """The fake's signature check is the real one: requests signed by the official SDK pass it."""
    pytest.importorskip("huaweicloudsdkocr")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkocr.v1 import AutoClassificationRequestBody, OcrClient, RecognizeAutoClassificationRequest

    f = fake(aksk={AK: SK})
    client = OcrClient.new_builder().with_credentials(BasicCredentials(AK, SK, PID)).with_endpoint(f.url).build()
    image = img(18)
    body = AutoClassificationRequestBody(image=base64.b64encode(image.data).decode(), type_list=["quota_invoice"])
    resp = client.recognize_auto_classification(RecognizeAutoClassificationRequest(body=body))
    assert len(resp.result) == len(answer_for(key_of(image))["result"])
    assert f.ocr_records()[0].auth == "aksk"


def test_wrong_secret_key_stops(fake):
    f = fake(aksk={AK: SK})
    with service(f, ak=AK, sk="not-the-key-000000") as svc, pytest.raises(AuthenticationError) as e:
        svc.recognize(img(16), OPTS)
    assert "signature" in e.value.message
    assert "not-the-key-000000" not in str(e.value)


def test_service_not_enabled_stops(fake):
    f = fake(faults=lambda key, attempt: Fault.api_error("ModelArts.4204", 403, "The service has not been enabled."))
    with service(f) as svc, pytest.raises(AuthenticationError) as e:
        svc.recognize(img(17), OPTS)
    assert e.value.code == "ModelArts.4204"


def huawei_with_password(f: FakeCloud, password="pw-correct-horse", **kw) -> HuaweiCloud:
    kw.setdefault("retry", FAST)
    return HuaweiCloud(region="cn-test-1", endpoint=f.url, iam_endpoint=f.url, username="alice",
                       password=password, domain="acme", qps=None, timeout=(2, 5), trust_env=False, env={}, **kw)


def test_iam_token_fetched_once_for_all_threads(fake):
    f = fake(users={("acme", "alice"): "pw-correct-horse"})
    cloud = huawei_with_password(f)
    assert cloud.project_id is None  # taken from the token
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: cloud.recognize(img(100 + i), OPTS), range(40)))
    assert f.iam_requests == 1
    assert {r.auth for r in f.ocr_records()} == {"iam"}
    assert cloud.project_id == PID


def test_expired_token_is_refreshed_on_401(fake):
    f = fake(users={("acme", "alice"): "pw-correct-horse"})
    cloud = huawei_with_password(f)
    cloud.recognize(img(20), OPTS)
    f.expire_tokens()
    cloud.recognize(img(21), OPTS)  # 401 APIGW.0307 -> new token -> same request again
    assert f.iam_requests == 2
    assert [r.status for r in f.records if r.key is None and r.fault == "auth"] == [401]
    assert cloud.stats["token_refreshes"] == 1


def test_token_refreshed_before_expiry(fake):
    f = fake(users={("acme", "alice"): "pw-correct-horse"}, token_ttl=100)
    t = [1000.0]
    p = IamTokenProvider(f.url, "alice", "pw-correct-horse", "acme", project_name="cn-test-1",
                         refresh_margin=30, clock=lambda: t[0], retry=FAST)
    first = p.get()
    assert p.get() == first and f.iam_requests == 1
    t[0] += 60  # 40 s before expiry: inside the 30 s margin? no -> still cached
    assert p.get() == first and f.iam_requests == 1
    t[0] += 15  # 25 s before expiry: refresh
    assert p.get() != first and f.iam_requests == 2


def test_wrong_password_is_one_clear_error(fake):
    f = fake(users={("acme", "alice"): "pw-correct-horse"})
    cloud = huawei_with_password(f, password="pw-wrong-guess")
    with pytest.raises(AuthenticationError) as e:
        cloud.recognize(img(22), OPTS)
    msg = str(e.value)
    assert "alice" in msg and "acme" in msg and "wrong" in msg
    assert "pw-wrong-guess" not in msg and "pw-wrong-guess" not in repr(cloud)
    assert f.n_requests == 0


# ----------------------------------------------------------------------------- secrets

def test_secrets_never_in_messages_reprs_identity_or_logs(fake, caplog):
    secret_token = "MIIT-super-secret-token-42"
    # a (misbehaving) server echoing the credential back in its error message
    f = fake(faults=lambda key, attempt: Fault.api_error("AIS.0101", 400, f"bad token {secret_token} {SK}"))
    caplog.set_level(logging.DEBUG)
    svcs = [(service(f, token=secret_token), secret_token), (service(f, ak=AK, sk=SK), SK)]
    for svc, own in svcs:
        with pytest.raises(ApiError) as e:
            svc.recognize(img(30), OPTS)
        text = " ".join([str(e.value), e.value.message, repr(e.value), repr(svc), svc.identity,
                         repr(svc._auth), caplog.text])
        assert own not in text  # each client scrubs the secrets it holds
        assert "***" in e.value.message
        assert e.value.__cause__ is None and e.value.__suppress_context__
    cloud = HuaweiCloud(region="cn-north-4", project_id="p1", ak=AK, sk=SK, env={})
    assert SK not in repr(cloud) and AK not in repr(cloud) and SK not in cloud.identity
    cloud2 = HuaweiCloud(region="cn-north-4", project_id="p1", token=secret_token, env={})
    assert secret_token not in repr(cloud2) and secret_token not in cloud2.identity


# ----------------------------------------------------------------------------- image checks

def test_images_over_the_limits_fail_before_any_request(fake):
    f = fake()
    with service(f) as svc:
        cases = {
            "AIS.0103": [ImageInput("big.jpg", data=b"\xff\xd8\xff" + bytes(8 * 2**20)),  # 10.7 MB as base64
                         ImageInput("tiny.png", data=png(10, 40)),
                         ImageInput("long.png", data=png(9000, 20))],
            "AIS.0102": [ImageInput("a.gif", data=b"GIF89a" + bytes(100)),
                         ImageInput("a.txt", data=b"hello world")],
            "AIS.0101": [ImageInput("empty.png", data=b"")],
        }
        for code, images in cases.items():
            for image in images:
                with pytest.raises(ApiError) as e:
                    svc.recognize(image, OPTS)
                assert e.value.code == code and not e.value.transient, image.name
                assert image.name in e.value.message
        assert f.n_requests == 0
        svc.recognize(ImageInput("ok.png", data=png(15, 8000)), OPTS)
        assert f.n_requests == 1


def test_image_checks_can_be_turned_off(fake):
    f = fake()
    with service(f, check_images=False) as svc:
        svc.recognize(ImageInput("a.gif", data=b"GIF89a" + bytes(100)), OPTS)
    assert f.n_requests == 1


def test_check_image_limits_are_parameters():
    assert check_image(png(100, 100)).size == (100, 100)
    with pytest.raises(ApiError, match="8000"):
        check_image(png(8100, 20))
    assert check_image(png(8100, 20), max_side=8192).format.value == "png"  # the newer text's limit, opted in
    assert check_image(b"%PDF-1.7\n...").format.value == "pdf"


# ----------------------------------------------------------------------------- QPS limiter

def test_rate_limiter_spaces_requests_deterministically():
    t, slept = [0.0], []
    lim = RateLimiter(4, clock=lambda: t[0], sleep=slept.append)
    waits = [lim.acquire() for _ in range(5)]
    assert waits == [0.0, 0.25, 0.5, 0.75, 1.0]
    t[0] = 10.0  # long idle: the bucket refills only up to `burst`
    assert [lim.acquire(), lim.acquire()] == [0.0, 0.25]
    lim.pause(2.0)
    assert lim.acquire() >= 2.0


def test_rate_limiter_burst_and_no_limit():
    t = [0.0]
    lim = RateLimiter(10, burst=3, clock=lambda: t[0], sleep=lambda s: None)
    assert [lim.acquire() for _ in range(4)] == [0.0, 0.0, 0.0, 0.1]
    free = RateLimiter(None, clock=lambda: t[0], sleep=lambda s: None)
    assert [free.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    free.pause(1.5)
    assert free.acquire() == 1.5
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_qps_limit_holds_across_threads(fake):
    f = fake()
    n, qps = 41, 40.0
    with service(f, qps=qps) as svc, ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: svc.recognize(img(200 + i), OPTS), range(n)))
    times = sorted(r.t for r in f.ocr_records())
    assert len(times) == n
    # n requests at <= qps/s span at least (n - 1) / qps seconds (margin for clock skew)
    assert times[-1] - times[0] >= 0.8 * (n - 1) / qps
    # and no 0.25 s window holds many more than 0.25 * qps = 10 of them (unlimited, all 41
    # would land within a few ms; the margin absorbs threads woken late on a busy machine)
    for i, t0 in enumerate(times):
        assert sum(1 for t in times[i:] if t - t0 < 0.25) <= 18


def test_throttling_pauses_every_thread(fake):
    """A 429 with Retry-After stops all threads, not just the one that got it."""
    hit = threading.Event()

    def faults(key, attempt):
        if not hit.is_set():
            hit.set()
            return Fault.throttle("0.8")
        return None

    f = fake(faults=faults, latency=0.01)
    with service(f, qps=1000) as svc, ThreadPoolExecutor(4) as ex:
        list(ex.map(lambda i: svc.recognize(img(300 + i), OPTS), range(12)))
    recs = f.ocr_records()
    assert len(recs) == 13
    t429 = next(r.t for r in recs if r.status == 429)
    # requests already on their way may land just after the 429; anything sent later waits
    # for the pause, so the middle of the pause is silent (a wide margin for a busy machine)
    assert [r for r in recs if t429 + 0.25 < r.t < t429 + 0.7] == []
    assert sum(1 for r in recs if r.t >= t429 + 0.7) >= 6


# ----------------------------------------------------------------------------- the batch contract

def run_batch(svc, images, store, workers=16):
    """What the batch runner does with a backend: answers and non-transient errors are stored."""
    results = {}

    def one(image):
        k = image.content_hash()
        if k in store:
            return image.name, store[k]
        try:
            answer = svc.recognize(image, OPTS)
        except AuthenticationError:
            raise
        except ApiError as e:
            if not e.transient:
                store[k] = e
            return image.name, e
        store[k] = answer
        return image.name, answer

    with ThreadPoolExecutor(workers) as ex:
        for name, res in ex.map(one, images):
            results[name] = res
    return results


def test_fault_injection_2000_images(fake):
    plan = FaultPlan(rate=0.2, seed=7)
    f = fake(faults=plan)
    images = [ImageInput(f"img{i}.png", data=b"\x89PNG\r\n\x1a\n" + i.to_bytes(4, "big") * 8) for i in range(2000)]
    store: dict = {}
    svc = service(f, check_images=False, pool_size=16)
    results = run_batch(svc, images, store)

    assert len(results) == 2000  # none lost
    assert all(isinstance(v, (dict, ApiError)) for v in results.values())
    unreadable = {name for name, v in results.items() if isinstance(v, ApiError)}
    assert all(results[n].code == "OCRFRAME.0006" and results[n].transient for n in unreadable)
    for image in images:
        if image.name not in unreadable:
            assert results[image.name] == answer_for(key_of(image))
    recs = f.ocr_records()
    kinds = {r.fault for r in recs}
    assert {"drop", "truncate", "garbage", "html", "status-429", "status-500", "status-503"} <= kinds
    first_failures = sum(1 for r in recs if r.attempt == 1 and r.fault != "ok")
    assert 300 <= first_failures <= 500  # ~20 % of first attempts
    assert f.answered_twice() == 0  # billing-safe: no image got two 200s
    assert len(unreadable) == sum(1 for r in recs if r.fault in ("truncate", "garbage"))
    s = svc.stats.snapshot()
    assert s["succeeded"] == 2000 - len(unreadable) and s["failed"] == len(unreadable)
    assert s["requests"] == len(recs)
    assert s["billable_documents"] == sum(billable_documents(v) for v in results.values() if isinstance(v, dict))

    for _ in range(3):  # later runs ask only for what is not stored yet, until nothing is left
        before = len(f.ocr_records())
        again = run_batch(svc, images, store)
        asked = {r.key for r in f.ocr_records()[before:]}
        assert asked == {key_of(i) for i in images if i.name in unreadable}
        unreadable = {name for name, v in again.items() if isinstance(v, ApiError)}
        if not unreadable:
            break
    for image in images:
        assert again[image.name] == answer_for(key_of(image))
    svc.close()


# ----------------------------------------------------------------------------- construction

def test_huawei_endpoint_and_credentials_resolution():
    env = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": "pid-env"}
    c = HuaweiCloud(region="cn-north-4", env=env)
    assert c.endpoint == "https://ocr.cn-north-4.myhuaweicloud.com"
    assert c._url() == "https://ocr.cn-north-4.myhuaweicloud.com/v2/pid-env/ocr/auto-classification"
    assert c.auth_method == "aksk" and c.identity == "huawei-cloud:ocr.cn-north-4.myhuaweicloud.com/v2/ocr/auto-classification"
    c2 = HuaweiCloud(region="cn-north-4", env={**env, "HUAWEICLOUD_SDK_REGION_OCR_CN_NORTH_4": "ocr.internal:8443"})
    assert c2.endpoint == "https://ocr.internal:8443"
    c3 = HuaweiCloud(region="ap-southeast-1", project_id="p9", token=TOKEN, env=env)
    assert c3.auth_method == "token" and c3.project_id == "p9"
    with pytest.raises(ValueError, match="HUAWEICLOUD_SDK_AK"):
        HuaweiCloud(region="cn-north-4", env={})
    with pytest.raises(ValueError, match="one way"):
        HuaweiCloud(region="cn-north-4", project_id="p", token=TOKEN, ak=AK, sk=SK, env={})
    with pytest.raises(ValueError, match="project_id"):
        HuaweiCloud(region="cn-north-4", ak=AK, sk=SK, env={})
    with pytest.raises(ValueError, match="region"):
        HuaweiCloud(project_id="p", ak=AK, sk=SK, env={})


def test_backends_pickle(fake, monkeypatch):
    f = fake()
    svc = HTTPService(f.url + "/v2/p-test/ocr/auto-classification", retry=FAST, trust_env=False)
    assert svc.url == f.ocr_url
    clone = pickle.loads(pickle.dumps(svc))  # process pools and Dask workers get their own session
    clone.recognize(img(40), OPTS)
    assert f.n_requests == 1
    f2 = fake(users={("acme", "alice"): "pw-correct-horse"})
    with pytest.raises(pickle.PicklingError, match="share_secrets"):
        pickle.dumps(huawei_with_password(f2))  # a password given in code does not travel in clear
    cloud = pickle.loads(pickle.dumps(huawei_with_password(f2, share_secrets=True)))  # unless asked for
    cloud.recognize(img(41), OPTS)
    assert f2.iam_requests == 1 and f2.n_requests == 1


def test_stats_are_thread_safe():
    s = CallStats()
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: s.add(requests=1, billable_documents=2), range(1000)))
    assert s["requests"] == 1000 and s["billable_documents"] == 2000


def test_estimate_cost():
    assert estimate_cost(1000, docs_per_image=2, price_per_1000=10.0) == 20.0
    with pytest.raises(ValueError):
        estimate_cost(-1, price_per_1000=1)


def test_foreign_exceptions_become_api_errors(fake, monkeypatch):
    f = fake()
    svc = service(f)

    def boom(*a, **k):
        raise RuntimeError(f"unexpected {SK}")

    monkeypatch.setattr(svc, "_parse_answer", boom)
    svc._static_secrets.append(SK)
    with pytest.raises(ApiError) as e:
        svc.recognize(img(41), OPTS)
    assert e.value.code == "OCRFRAME.0007" and SK not in str(e.value)
