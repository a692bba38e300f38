"""LocalEngine on scenes from the synthetic generator (heavier: marked slow)."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")
synth = pytest.importorskip("ocrframe.datasets.synth")

from ocrframe.engine.pipeline import recognize_array  # noqa: E402
from ocrframe.types import Status  # noqa: E402

pytestmark = pytest.mark.slow


def _iou(a, b) -> float:
    a, b = np.float32(a), np.float32(b)
    inter, _ = cv2.intersectConvexConvex(a, b)
    ua = abs(cv2.contourArea(a)) + abs(cv2.contourArea(b)) - inter
    return float(inter / ua) if ua > 0 else 0.0


@pytest.mark.parametrize("doc_type, key", [
    ("id_card_portrait_side", "number"),
    ("bankcard", "card_number"),
    ("transportation_license", "owner_name"),
])
def test_single_card_scene(doc_type, key):
    scene = synth.make_scene(77, 3, [doc_type])
    truth = scene.documents[0]
    out = recognize_array(np.asarray(scene.image))["result"]
    doc = next(d for d in out if d["type"] == doc_type)
    assert doc["status"]["error_code"] == Status.OK.code
    assert _iou(doc["location"], truth["location"]) > 0.7
    assert doc["content"][key] == truth["content"][key]
    assert 0.5 < doc["content"]["confidence"][key] <= 1.0


def test_passport_mrz_fields():
    scene = synth.make_scene(77, 3, ["passport"])
    truth = scene.documents[0]["content"]
    doc = next(d for d in recognize_array(np.asarray(scene.image))["result"] if d["type"] == "passport")
    c = doc["content"]
    for k in ("passport_number", "surname", "given_name", "date_of_birth", "date_of_expiry"):
        assert c[k] == truth[k], k
    assert len(c["extra_info"]["machine_code2"]) == 44


def test_turned_document_is_read_upright():
    scene = synth.make_scene(78, 3, ["id_card_portrait_side"])  # turned by 90 degrees
    truth = scene.documents[0]
    doc = next(d for d in recognize_array(np.asarray(scene.image))["result"]
               if d["type"] == "id_card_portrait_side")
    assert doc["content"]["number"] == truth["content"]["number"]
    # the first corner is the card's own top-left
    d0 = [np.linalg.norm(np.subtract(doc["location"][0], p)) for p in truth["location"]]
    assert int(np.argmin(d0)) == 0
