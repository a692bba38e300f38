"""Selective re-reads (issue 18): a turned document read again upright keeps the readings
of lines already read upright, and its crop is detected no larger than its text needs;
what is read must not change for it (``run_ocr(known=...)`` itself: test_engine_runtime).
No timing assertions."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.engine import ocr, pipeline  # noqa: E402
from ocrframe.engine.params import EngineParams  # noqa: E402
from ocrframe.engine.resolution import crop_scale, rapidocr_scale  # noqa: E402


def test_crop_scale_caps_rapidocr_enlargement():
    image, text = (1200, 1600), 14.0
    # a small turned receipt: RapidOCR's rule would enlarge it 4.9x
    small = (150, 620)
    got = crop_scale(small, image, text, 48.0)
    assert got is not None and rapidocr_scale(*small) > got and got * text == pytest.approx(48.0)
    assert crop_scale(small, image, 60.0, 48.0) == rapidocr_scale(*image)  # never below the image's scale
    assert crop_scale(small, image, text, 0.0) is None  # off: RapidOCR's rule
    assert crop_scale((900, 1200), image, text, 48.0) is None  # RapidOCR's rule is no larger


@pytest.mark.slow
def test_turned_card_reads_the_same_with_selective_rereads(monkeypatch):
    """A card turned by 90 degrees: the upright re-read recognises fewer crops when it
    keeps the first readings, and the card's number is still read."""
    synth = pytest.importorskip("ocrframe.datasets.synth")
    scene = synth.make_scene(78, 3, ["id_card_portrait_side"])
    img = np.ascontiguousarray(np.rot90(np.asarray(scene.image)))  # the scene turned by 90 degrees
    truth = scene.documents[0]["content"]["number"]
    eng, counted = ocr.get_ocr(), []
    real = eng.recognize

    def recognize(crops, cfg):  # how many crops the recogniser is handed
        counted.append(len(crops))
        return real(crops, cfg)

    monkeypatch.setattr(eng, "recognize", recognize)
    out = {}
    for name, params in (("selective", EngineParams()),
                         ("full", EngineParams(reuse_readings=False, reread_text_px=0.0))):
        counted.clear()
        res = pipeline.recognize_array(img, params=params)["result"]
        doc = next(d for d in res if d["type"] == "id_card_portrait_side")
        out[name] = (doc["content"]["number"], sum(counted))
    assert out["selective"][0] == out["full"][0] == truth
    assert out["selective"][1] < out["full"][1]
