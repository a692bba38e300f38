"""Selective re-reads (issue 18): a turned document read again upright keeps the readings
of lines already read upright, and its crop is detected no larger than its text needs;
what is read must not change for it. No timing assertions."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.datasets.synth.fonts import font  # noqa: E402
from ocrframe.engine import ocr, pipeline  # noqa: E402
from ocrframe.engine.locate import Region  # noqa: E402
from ocrframe.engine.params import EngineParams  # noqa: E402
from ocrframe.engine.rectify import upright_crop  # noqa: E402
from ocrframe.engine.resolution import crop_scale, rapidocr_scale  # noqa: E402

LINES = ["发票代码 144031900110", "金额 ¥1,234.50", "北京市朝阳区建国路88号"]


@pytest.fixture(scope="module")
def text_image() -> np.ndarray:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (720, 260), "white")
    d = ImageDraw.Draw(im)
    for i, t in enumerate(LINES):
        d.text((30, 30 + 75 * i), t, fill="black", font=font("sans", 40))
    return np.asarray(im)


@pytest.fixture
def counted(monkeypatch):
    """The number of crops the recogniser is handed, per call."""
    eng = ocr.get_ocr()
    calls: list[int] = []
    real = eng.recognize

    def recognize(crops, cfg):
        calls.append(len(crops))
        return real(crops, cfg)

    monkeypatch.setattr(eng, "recognize", recognize)
    return calls


def test_known_readings_are_kept_and_not_recognised(text_image, counted):
    plain = ocr.run_ocr(text_image, use_cls=False)
    assert len(plain) == len(LINES) and sum(counted) == len(LINES)
    first = plain[0].quad
    counted.clear()

    def known(box):
        return ("已读", 0.97) if np.abs(box - first).max() < 1.0 else None

    again = ocr.run_ocr(text_image, use_cls=False, known=known)
    assert sum(counted) == len(LINES) - 1  # the known line is not recognised again
    assert (again[0].text, again[0].score) == ("已读", 0.97)
    assert [ln.text for ln in again[1:]] == [ln.text for ln in plain[1:]]


def test_every_box_known_needs_no_recogniser(text_image, counted):
    out = ocr.run_ocr(text_image, use_cls=False, known=lambda box: ("x", 0.9))
    assert counted == [] and [ln.text for ln in out] == ["x"] * len(LINES)


def test_only_lines_read_upright_are_reused(text_image):
    """A first reading that ran against the document (the angle classifier flipped it)
    is recognised again; one read along it, on the same box, is kept."""
    lines = ocr.run_ocr(text_image, use_cls=False)
    region = Region(np.array([[0.0, 0.0], [720.0, 0.0], [720.0, 260.0], [0.0, 260.0]]), lines)
    region.lines[1] = ocr.TextLine(np.roll(lines[1].quad, 2, axis=0), "反读", 0.9, -lines[1].direction)
    crop = upright_crop(text_image, region)
    known = pipeline._known_readings(crop, region)
    boxes = [crop.to_crop(ln.quad) for ln in lines]
    assert known(boxes[0]) == (lines[0].text, lines[0].score)
    assert known(np.roll(boxes[1], 2, axis=0)) is None  # read against the document
    assert known(boxes[2] + 3 * lines[2].height) is None  # no line there


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
def test_turned_card_reads_the_same_with_selective_rereads(counted):
    """A card turned by 90 degrees: the upright re-read recognises fewer crops when it
    keeps the first readings, and the card's number is still read."""
    synth = pytest.importorskip("ocrframe.datasets.synth")
    scene = synth.make_scene(78, 3, ["id_card_portrait_side"])
    img = np.ascontiguousarray(np.rot90(np.asarray(scene.image)))  # the scene turned by 90 degrees
    truth = scene.documents[0]["content"]["number"]
    out = {}
    for name, params in (("selective", EngineParams()),
                         ("full", EngineParams(reuse_readings=False, reread_text_px=0.0))):
        counted.clear()
        res = pipeline.recognize_array(img, params=params)["result"]
        doc = next(d for d in res if d["type"] == "id_card_portrait_side")
        out[name] = (doc["content"]["number"], sum(counted))
    assert out["selective"][0] == out["full"][0] == truth
    assert out["selective"][1] < out["full"][1]
