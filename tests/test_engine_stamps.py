"""Red stamps read apart from the print under them (engine.stamps) and the passport's
column reader: colour separation without OCR, then the real engine on stamped licences."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from ocrframe.engine.extract.common import DocText  # noqa: E402
from ocrframe.engine.extract.passport import _by_column, _label_of, extract  # noqa: E402
from ocrframe.engine.locate import Region  # noqa: E402
from ocrframe.engine.ocr import TextLine  # noqa: E402
from ocrframe.engine.stamps import (  # noqa: E402
    _red_ink, count_stamps, find_stamps, ink_mask, read_stamps, redness, stamp_image)

PAPER = (245, 243, 240)
RED = (210, 40, 40)


def _card(w=600, h=400):
    img = np.full((h, w, 3), PAPER, np.uint8)
    for y in range(60, h - 40, 50):  # rows of black print
        cv2.putText(img, "ENGINE 12345", (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
    return img


def _stamp(img, box, alpha=0.65):
    """A rectangular stamp with two lines of text, blended over the print like ink."""
    layer = img.copy()
    x0, y0, x1, y1 = box
    cv2.rectangle(layer, (x0, y0), (x1, y1), RED, 3)
    cv2.putText(layer, "BUREAU", (x0 + 10, y0 + 40), cv2.FONT_HERSHEY_SIMPLEX, 0.9, RED, 2)
    cv2.putText(layer, "TRAFFIC", (x0 + 10, y0 + 85), cv2.FONT_HERSHEY_SIMPLEX, 0.9, RED, 2)
    m = np.any(layer != img, axis=2)
    out = img.copy()
    out[m] = (alpha * layer[m] + (1 - alpha) * img[m]).astype(np.uint8)
    return out


def test_redness_separates_red_ink_from_black_and_grey():
    px = np.array([[RED, (20, 20, 20), PAPER, (136, 26, 26)]], np.uint8)
    r = redness(px)[0]
    assert r[0] > 100 and r[3] > 100  # stamp ink, also over black print
    assert r[1] <= 0 and r[2] <= 5


def test_find_stamps_finds_a_stamp_over_print():
    img = _stamp(_card(), (30, 200, 230, 320))
    boxes = find_stamps(img, line_height=20.0)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert abs(x0 - 30) <= 4 and abs(y0 - 200) <= 4 and abs(x1 - 231) <= 4 and abs(y1 - 321) <= 4


@pytest.mark.parametrize("case", ["blank", "solid_logo", "speck", "whole_page_red"])
def test_find_stamps_rejects_what_is_not_a_stamp(case):
    img = _card()
    if case == "solid_logo":
        cv2.rectangle(img, (400, 40), (520, 140), RED, -1)  # a bank's filled logo
    elif case == "speck":
        cv2.circle(img, (300, 300), 6, RED, -1)  # smaller than two lines of text
    elif case == "whole_page_red":
        img[:] = (200, 60, 50)
    assert find_stamps(img, line_height=20.0) == []


def test_red_ink_tells_stamp_glyphs_from_print_under_a_stamp():
    img = _stamp(_card(), (30, 200, 230, 320))
    glyph = np.array([[38, 215], [150, 215], [150, 250], [38, 250]], float)  # "BUREAU" over paper
    print_line = np.array([[38, 40], [230, 40], [230, 70], [38, 70]], float)  # black print, no stamp
    ink = ink_mask(img)
    assert _red_ink(img, ink, glyph)
    assert not _red_ink(img, ink, print_line)


def test_read_stamps_leaves_an_unstamped_document_alone():
    img = _card()
    lines = [TextLine(np.array([[40, 45], [220, 45], [220, 65], [40, 65]], float), "ENGINE 12345", 0.99,
                      np.array([1.0, 0.0]))]
    r = Region(np.array([[0, 0], [599, 0], [599, 399], [0, 399]], float), list(lines))
    assert read_stamps(img, r) == 0
    assert r.lines == lines and r.stamp_lines == []


def _jpeg(img, quality=75):
    """An RGB image after a JPEG round trip (OpenCV writes 4:2:0 chroma, as cameras do)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_find_stamps_finds_a_faint_stamp_on_a_small_jpeg():
    """A light stamp on a card 270 px wide, saved at quality 75: JPEG's half-resolution
    chroma leaves its thin strokes under the fixed redness threshold the reader used."""
    img = _stamp(_card(), (30, 200, 230, 320), alpha=0.45)
    small = _jpeg(cv2.resize(img, None, fx=0.45, fy=0.45, interpolation=cv2.INTER_AREA))
    fixed = ((redness(small) > 45) & (small[..., 0] > 90)).astype(np.uint8)
    assert fixed.mean() < 0.01  # the failure mode: little ink above a fixed threshold
    boxes = find_stamps(small, line_height=9.0)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert abs(x0 - 13) <= 4 and abs(y0 - 90) <= 4 and abs(x1 - 104) <= 4 and abs(y1 - 144) <= 4


@pytest.mark.parametrize("colour, is_ink", [
    ((210, 40, 40), True), ((230, 75, 55), True), ((240, 150, 150), True),  # red, orange-red, light red
    ((150, 85, 45), False), ((225, 170, 140), False), ((230, 120, 60), False),  # brown print, skin, orange
    ((200, 60, 170), False),  # magenta
])
def test_ink_mask_is_red_not_orange_brown_or_skin(colour, is_ink):
    img = np.full((60, 80, 3), PAPER, np.uint8)
    cv2.putText(img, "AB", (15, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, colour, 3)
    assert bool(ink_mask(img).any()) == is_ink


def test_ink_mask_thresholds_follow_the_paper():
    """On warm paper (a photo under tungsten light) the same stamp is found, and the
    paper itself is not ink."""
    warm = np.full((300, 400, 3), (250, 228, 205), np.uint8)
    cv2.rectangle(warm, (40, 150), (160, 260), (235, 95, 80), 3)
    m = ink_mask(warm)
    assert m[150, 40:160].mean() > 0.9 and not m[20:120, 200:380].any()


def test_ink_joined_to_the_border_is_background():
    """A hand holding a licence: skin-pink ink reaching the crop's edge is no stamp."""
    img = _card()
    img[250:, 480:] = (235, 160, 150)  # a finger in the corner, red enough to pass as ink
    assert ink_mask(img, clear_border=False)[300, 550]
    assert not ink_mask(img)[300, 550]
    assert find_stamps(img, line_height=20.0) == []


def test_stamp_image_keeps_red_ink_and_drops_black_print():
    img = _stamp(_card(), (30, 200, 230, 320))
    g = stamp_image(_jpeg(img[190:330, 20:240], 80))
    red = redness(img[190:330, 20:240]) > 60
    black = img[190:330, 20:240].max(axis=2) < 60
    assert g[red].mean() < 110 and g[black].mean() > 170 and np.median(g) > 200


def _red_form(seal: bool):
    """A receipt printed in red ink (title, labels, frame), with or without the round
    supervision seal under its title: the red print joins every red thing into one piece."""
    img = np.full((700, 440, 3), PAPER, np.uint8)
    cv2.putText(img, "TAXI RECEIPT", (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.3, RED, 3)
    cv2.rectangle(img, (30, 230), (410, 670), RED, 2)
    for y in range(290, 650, 45):
        cv2.putText(img, "LABEL", (50, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, RED, 2)
        cv2.putText(img, "1234", (220, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
    if seal:  # just above the frame: joined to it by any closing, one large red piece
        cv2.ellipse(img, (220, 174), (62, 44), 0, 0, 360, RED, 3)
        cv2.putText(img, "TAX", (188, 184), cv2.FONT_HERSHEY_SIMPLEX, 0.8, RED, 2)
    return img


@pytest.mark.parametrize("case, n", [("licence", 1), ("plain", 0), ("red_bank_card", 0), ("red_logo", 0),
                                     ("red_form_with_seal", 1), ("red_form", 0)])
def test_count_stamps_is_the_seal_mark(case, n):
    img = _card()
    if case == "licence":
        img = _stamp(img, (30, 200, 230, 320))
    elif case.startswith("red_form"):
        img = _jpeg(_red_form(seal=case.endswith("seal")), 85)
    elif case == "red_bank_card":
        img[:] = (190, 30, 40)
        cv2.putText(img, "6222 0261 4610 0338", (40, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (250, 250, 250), 2)
    elif case == "red_logo":
        cv2.circle(img, (500, 80), 45, RED, -1)
    h, w = img.shape[:2]
    lines = [TextLine(np.array([[50, y - 28], [300, y - 28], [300, y], [50, y]], float), "LABEL 1234", 0.99,
                      np.array([1.0, 0.0])) for y in range(290, 650, 45)] if case.startswith("red_form") else []
    doc = Region(np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], float), lines)
    assert count_stamps(img, doc) == n


# ------------------------------------------------------------------ passport by column

def _doc(pieces):
    """A region whose lines are ``(text, x, y, h)``: x of the left edge, y of the centre."""
    lines = []
    for text, x, y, h in pieces:
        w = max(h, 0.55 * h * len(text))
        q = np.array([[x, y - h / 2], [x + w, y - h / 2], [x + w, y + h / 2], [x, y + h / 2]], float)
        lines.append(TextLine(q, text, 0.98, np.array([1.0, 0.0])))
    return DocText(Region(np.array([[0, 0], [700, 0], [700, 500], [0, 500]], float), lines))


#: a passport's two columns as RapidOCR reads them: labels and values interleave in y, so
#: row grouping mixes "Date of birth" with its value and the place of birth beside them
PASSPORT = [
    ("类型/Type", 223, 85, 17), ("国家码/CountryCode", 320, 83, 16), ("护照号/Passport No.", 475, 81, 16),
    ("P", 223, 100, 25), ("CHN", 317, 98, 25), ("EE8354191", 471, 95, 27),
    ("姓/Sumame", 223, 126, 17), ("马", 222, 142, 23), ("MA", 252, 142, 23),
    ("名/Given names", 220, 169, 20), ("强", 220, 183, 23), ("QIANG", 248, 185, 24),
    ("性别/Sex", 220, 212, 19), ("国籍/Nationality", 314, 212, 20), ("女/F", 221, 226, 23),
    ("中国/CHINESE", 313, 225, 23),
    ("出生日期/Date of birth", 215, 252, 21), ("出生地点/Place of birth", 431, 251, 20),
    ("23 JUN 1972", 217, 269, 24), ("天津/TIANJIN", 429, 266, 24),
    ("签发日期/Date of issue", 214, 293, 19), ("签发地点/Place of issue", 434, 294, 20),
    ("30 APR 2020", 213, 309, 23), ("河南/HENAN", 435, 308, 23),
    ("有效期至/Date ofegiry", 213, 335, 17), ("签发机关/Authority", 431, 333, 17),
    ("29 APR 2030", 213, 350, 26), ("国家移民管理局", 429, 348, 24),
    ("National Immigration Administration", 433, 368, 20),
]


@pytest.mark.parametrize("text, field", [
    ("出生日期/Date of birth", "date_of_birth"), ("出生点/Place of birth", "place_of_birth"),
    ("有效限至/Date ofegiry", "date_of_expiry"), ("发地点/Placeofissue", "place_of_issue"),
    ("Sumame", "surname"), ("性别/Sex", "sex"), ("持照人签名/Signature", ""),
    ("TIANJIN", None), ("23 JUN 1972", None), ("National Immigration Administration", None), ("P", None),
])
def test_passport_labels_are_recognised_through_ocr_noise(text, field):
    assert _label_of(text) == field


def test_passport_values_are_read_under_their_labels():
    f = _by_column(_doc(PASSPORT))
    got = {k: v.value for k, v in f.items()}
    assert got["date_of_birth"] == "23 JUN 1972"
    assert got["place_of_birth"] == "天津/TIANJIN"
    assert got["place_of_issue"] == "河南/HENAN"
    assert got["date_of_expiry"] == "29 APR 2030"
    assert got["country_code"] == "CHN" and got["passport_number"] == "EE8354191"
    assert got["given_name"] == "强 QIANG"
    assert got["issuing_authority"] == "国家移民管理局 / National Immigration Administration"


def test_passport_extract_gives_the_printed_latin_values():
    f, _ = extract(_doc(PASSPORT))
    got = {k: v.value for k, v in f.items()}
    assert got == {**got, "surname": "MA", "given_name": "QIANG", "sex": "F", "nationality": "CHINESE",
                   "place_of_birth": "TIANJIN", "place_of_issue": "HENAN", "date_of_issue": "30 APR 2020",
                   "issuing_authority": "National Immigration Administration", "passport_type": "P"}


def test_passport_authority_from_its_chinese_print_alone():
    pieces = [p for p in PASSPORT if not p[0].startswith("National")]
    f, _ = extract(_doc(pieces))
    assert f["issuing_authority"].value == "National Immigration Administration"


# ------------------------------------------------------------------ the real engine


@pytest.mark.slow
@pytest.mark.parametrize("seed", [31, 33, 34])
@pytest.mark.parametrize("doc_type, keys", [
    ("vehicle_license_front", ("issuing_authority", "engine_no", "register_date", "issue_date")),
    ("driver_license_front", ("issuing_authority", "issue_date", "class")),
])
def test_stamped_licence_fields_from_a_jpeg_file(seed, doc_type, keys):
    """A generated licence saved as a quality-75 JPEG file (as ``ocrframe synth`` writes
    them) and read through the public engine: the authority in its red stamp comes back,
    and so do the fields printed under the stamp."""
    pytest.importorskip("rapidocr")
    synth = pytest.importorskip("ocrframe.datasets.synth")
    from ocrframe.backends.base import ImageInput, RequestOptions
    from ocrframe.backends.local import LocalEngine

    scene = synth.make_scene(seed, 0, [doc_type])
    truth = scene.documents[0]["content"]
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(np.asarray(scene.image), cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, 75])
    out = LocalEngine(threads=1).recognize(ImageInput("licence.jpg", data=buf.tobytes()), RequestOptions(detect_seal=True))
    doc = next(d for d in out["result"] if d["type"] == doc_type)
    assert doc["seal_mark"] is True
    for k in keys:
        assert doc["content"][k] == truth[k], k
        assert doc["content"]["confidence"][k] > 0.5, k


def test_a_stamps_ghost_in_the_red_channel_is_not_print():
    """As JPEG, a stamp's glyphs stay grey in the red channel (its chroma is blurred), so
    the red-channel reading under a stamp can read them again; they are much fainter
    there than the print read with them."""
    from ocrframe.engine.stamps import _ghost, _red_contrast

    img = _jpeg(_stamp(_card(), (30, 200, 230, 320)), 75)
    red = img[..., 0]
    glyph = np.array([[40, 222], [150, 222], [150, 239], [40, 239]], float)  # "BUREAU", stamp ink only
    print_line = np.array([[40, 192], [230, 192], [230, 212], [40, 212]], float)  # black print under the stamp
    contrast = _red_contrast(red, print_line)
    assert contrast > 100
    assert _ghost(red, glyph, contrast) and not _ghost(red, print_line, contrast)
