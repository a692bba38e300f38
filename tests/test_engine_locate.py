"""Document localisation without OCR: outlines of touching documents, unions of
documents, and the classifier's cues for licences and passports."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from ocrframe.engine.classify import classify_text  # noqa: E402
from ocrframe.engine.extract.passport import extract as passport_extract  # noqa: E402
from ocrframe.engine.locate import _drop_unions, find_outlines  # noqa: E402
from ocrframe.engine.ocr import TextLine  # noqa: E402
from ocrframe.testing.doctext import doc_from_pieces  # noqa: E402
from ocrframe.types import DocType  # noqa: E402


def _page(img, box, fill=(238, 236, 230)):
    x0, y0, x1, y1 = box
    cv2.rectangle(img, (x0, y0), (x1, y1), fill, -1)
    for y in range(y0 + 30, y1 - 20, 40):  # print
        cv2.putText(img, "TEXT 1234 ABCD", (x0 + 20, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (30, 30, 30), 2)


def _iou(a, b) -> float:
    a, b = np.float32(a), np.float32(b)
    inter, _ = cv2.intersectConvexConvex(a, b)
    return float(inter / (abs(cv2.contourArea(a)) + abs(cv2.contourArea(b)) - inter))


def _quads_match(found, boxes):
    """One found quad per box, each with IoU > 0.95."""
    want = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]] for x0, y0, x1, y1 in boxes]
    return len(found) == len(want) and all(max(_iou(w, q) for q in found) > 0.95 for w in want)


@pytest.mark.parametrize("gap", [10, 16])  # narrower than ~2 px at the 640-px analysis scale stays one
@pytest.mark.parametrize("bg", [(40, 45, 60), (120, 85, 50)])
def test_touching_documents_on_a_plain_background_are_found_apart(gap, bg):
    img = np.full((1000, 1400, 3), bg, np.uint8)
    a = (100, 100, 700, 500)
    b = (100, 500 + gap, 1000, 900)
    _page(img, a)
    _page(img, b)
    found = find_outlines(img)
    assert _quads_match(found, [a, b]), [np.round(q).astype(int).tolist() for q in found]


def _line(x, y, text="TEXT"):
    q = np.array([[x, y], [x + 80, y], [x + 80, y + 20], [x, y + 20]], float)
    return TextLine(q, text, 0.99, np.array([1.0, 0.0]))


def _box(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


def test_an_outline_around_two_documents_is_dropped():
    a, b = _box(0, 0, 400, 300), _box(500, 200, 900, 500)
    union = _box(0, 0, 900, 500)
    lines = [_line(20 + 60 * i % 300, 20 + 40 * i) for i in range(6)] + \
            [_line(520 + 60 * i % 300, 220 + 40 * i) for i in range(6)]
    kept = _drop_unions([union, a, b], lines)
    assert len(kept) == 2 and all(any(np.allclose(k, q) for q in (a, b)) for k in kept)


def test_a_document_with_inner_frames_keeps_its_outline():
    doc, photo, table = _box(0, 0, 900, 600), _box(650, 100, 850, 350), _box(40, 380, 600, 580)
    lines = ([_line(40, 40 + 40 * i) for i in range(8)]            # text outside both frames
             + [_line(60, 400 + 40 * i) for i in range(4)] + [_line(680, 120 + 40 * i) for i in range(3)])
    assert len(_drop_unions([doc, photo, table], lines)) == 3


def test_driving_licence_title_is_not_a_vehicle_licence():
    assert classify_text(["中华人民共和国机动车驾驶证"]).type is DocType.DRIVER_LICENSE_FRONT
    assert classify_text(["中华人民共和国机动车行驶证"]).type is DocType.VEHICLE_LICENSE_FRONT


def test_driving_licence_found_by_its_english_title_when_the_stamp_hides_labels():
    lines = ["Driving License of the People's Republic of China", "证号", "120104197204232197", "姓名", "性别",
             "国籍", "中国", "住址", "出生日期", "1972-04-23", "License No."]
    assert classify_text(lines).type is DocType.DRIVER_LICENSE_FRONT


MRZ2 = "E057502311CHN5108174F3504288XT38212898238284"


def test_small_passport_known_by_its_mrz_line_2_alone():
    lines = ["CHN", "E05750231", "17 AUG 1951", "29 APR 2025", "28 APR 2035", MRZ2]
    assert classify_text(lines).type is DocType.PASSPORT


def test_passport_fields_from_mrz_line_2_alone():
    f, extra = passport_extract(doc_from_pieces([("28 APR 2035", 200, 300, 20), (MRZ2, 20, 450, 25)]))
    assert f["passport_number"].value == "E05750231"
    assert f["date_of_birth"].value == "17 AUG 1951" and f["date_of_expiry"].value == "28 APR 2035"
    assert f["sex"].value == "F"
    assert extra["extra_info"]["machine_code1"] == ""  # the stood-in line 1 is not reported
    assert extra["extra_info"]["machine_code2"] == MRZ2


@pytest.mark.parametrize("lines", [["O"], ["P"], ["SS", "A"], ["护"]])
def test_a_scrap_of_text_is_no_document(lines):
    # partial_ratio aligns the shorter string inside the longer: "O" is "in" PASSPORT
    assert classify_text(lines).type is None
