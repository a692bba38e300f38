"""Conformance with the real engine: the server backed by its default, the LocalEngine.

- the official SDK (``huaweicloudsdkocr``), AK/SK and token modes, gets a parsed response
  holding the very documents the LocalEngine finds in-process for a sample image;
- ``HTTPService`` against the server yields the same documents frame as LocalEngine
  in-process.

Skipped where the engine extra or the bundled sample images are missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ocrframe.backends import ImageInput, RequestOptions
from ocrframe.backends.http import HTTPService
from ocrframe.server import ServerConfig, create_app
from ocrframe.testing.images import b64
from ocrframe.testing.server import ServerThread

local = pytest.importorskip("ocrframe.backends.local", reason="the engine extra (LocalEngine) is not installed")
pytest.importorskip("huaweicloudsdkocr")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "datasets" / "sample"
AK, SK, TOKEN, PROJECT = "AKENGINE00000001", "sk-engine-secret-01", "tok-engine-0001", "p-engine"

pytestmark = pytest.mark.slow


def _sample_images(n: int = 2) -> list[Path]:
    """The first ``n`` sample images holding exactly one document (recognition on CPU
    takes seconds per image: the simplest scenes keep this test short)."""
    labels = SAMPLES / "labels.jsonl"
    if not labels.is_file():
        pytest.skip("the bundled sample images (datasets/sample) are not in this checkout")
    out = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if len(rec["result"]) == 1:
            out.append(SAMPLES / rec["image"])
        if len(out) == n:
            break
    return out


@pytest.fixture(scope="module")
def engine_server():
    cfg = ServerConfig(workers=1, auth="token,aksk", tokens=(TOKEN,), credentials={AK: SK}, ocr_timeout=300)
    with ServerThread(create_app(cfg)) as srv:   # backend=None: the default LocalEngine
        yield srv


class _Memo:
    """The LocalEngine in-process, each image recognised once for the whole module."""

    parallelism = "thread"
    identity = "local-memo"

    def __init__(self):
        self.engine = local.LocalEngine()
        self.answers = {}

    def recognize(self, image, options):
        key = (image.content_hash(), options.cache_key())
        if key not in self.answers:
            self.answers[key] = self.engine.recognize(image, options)
        return self.answers[key]


@pytest.fixture(scope="module")
def engine():
    return _Memo()


def _sdk(url, credentials, token=None):
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkocr.v1 import OcrClient

    cfg = HttpConfig.get_default_config()
    cfg.timeout = (5, 300)
    client = OcrClient.new_builder().with_http_config(cfg).with_credentials(credentials).with_endpoint(url).build()
    if token:
        client.preset_headers["X-Auth-Token"] = token
    return client


def test_default_backend_is_the_local_engine(engine_server):
    import requests

    h = requests.get(engine_server.url + "/health").json()
    assert h["backend"].startswith("local:") and h["pool"]["kind"] == "process"


@pytest.mark.parametrize("mode", ["aksk", "token"])
def test_official_sdk_gets_the_engines_documents(engine_server, engine, mode):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkocr.v1 import AutoClassificationRequestBody, RecognizeAutoClassificationRequest

    image = _sample_images(1)[0]
    data = image.read_bytes()
    expected = engine.recognize(ImageInput(image.name, data=data), RequestOptions())
    assert expected["result"], f"the engine finds no document in {image.name}"
    creds = BasicCredentials(AK, SK, PROJECT) if mode == "aksk" else BasicCredentials("AKX", "not-used", PROJECT)
    client = _sdk(engine_server.url, creds, token=TOKEN if mode == "token" else None)
    resp = client.recognize_auto_classification(
        RecognizeAutoClassificationRequest(body=AutoClassificationRequestBody(image=b64(data))))
    got = json.loads(json.dumps([r.to_dict() for r in resp.result], default=float))
    want = [{"seal_mark": None, **d} for d in expected["result"]]
    assert got == want
    assert resp.x_request_id


def test_http_service_frame_equals_in_process(engine_server, engine):
    paths = [str(p) for p in _sample_images(2)]
    df = pd.DataFrame({"path": paths})
    inproc = df.ocr.classify(col="path", backend=engine, workers=1, progress=False)
    remote = df.ocr.classify(col="path", backend=HTTPService(engine_server.url, token=TOKEN), progress=False)
    pd.testing.assert_frame_equal(inproc, remote)
    assert inproc["doc"].notna().sum() >= 1
