"""Documents lying over each other, and quads from the paper around the text: split by
kind, kept apart by the duplicate rule, quads on their paper, not on the background."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from ocrframe.engine.classify import classify_text  # noqa: E402
from ocrframe.engine.locate import Region  # noqa: E402
from ocrframe.engine.ocr import TextLine  # noqa: E402
from ocrframe.engine.overlap import split_kinds  # noqa: E402
from ocrframe.engine.paper import PaperMap  # noqa: E402
from ocrframe.engine.pipeline import _on_paper  # noqa: E402
from ocrframe.engine.regions import merge_parts as _merge_parts, suppress_duplicates as _suppress_duplicates  # noqa: E402
from ocrframe.engine.quadops import iou  # noqa: E402
from ocrframe.types import DocType  # noqa: E402

CARD = ["姓名 张三", "性别 男 民族 汉", "出生 1990年1月1日", "住址 北京市东城区", "公民身份号码 110105199001011234"]
INVOICE = ["北京增值税专用发票", "发票代码 1100171130", "购买方 名称 甲公司", "纳税人识别号 911100001234",
           "开户行及账号 招商银行 6225880137652233", "货物或应税劳务名称 笔", "价税合计 壹佰元", "销售方 名称 乙公司",
           "纳税人识别号 913200004321", "开户行及账号 农业银行 6228480402564890"]


def _print(img, x, y, text, h=20, ink=(30, 30, 30)) -> TextLine:
    w = 14 * len(text.replace(" ", ""))
    img[y + 4:y + h - 4, x:x + w] = ink
    return TextLine(np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float), text, 0.95,
                    np.array([1.0, 0.0]))


def _desk():
    """An invoice on a dark table, a light blue card lying over its lower left corner."""
    img = np.full((900, 1400, 3), 50, np.uint8)
    img[100:800, 200:1250] = 246                                    # the invoice
    inv = [_print(img, 240 + 520 * (i % 2), 140 + 60 * i, t) for i, t in enumerate(INVOICE)]
    img[480:840, 120:560] = (205, 222, 240)                          # the card on top of it
    inv = [ln for ln in inv if ln.quad[2, 1] < 480 or ln.quad[0, 0] > 560]  # the rest is hidden
    card = [_print(img, 150, 510 + 60 * i, t) for i, t in enumerate(CARD)]
    return img, inv, card


def test_a_card_lying_on_an_invoice_is_split_from_it():
    img, inv, card = _desk()
    parts = split_kinds(PaperMap(img), inv + card)
    kinds = sorted(classify_text([ln.text for ln in p]).type.value for p in parts)
    assert kinds == ["id_card_portrait_side", "vat_invoice"]
    by_kind = {classify_text([ln.text for ln in p]).type.value: p for p in parts}
    assert {ln.text for ln in by_kind["id_card_portrait_side"]} == set(CARD)


def test_an_invoice_s_bank_account_lines_are_no_bank_card():
    img = np.full((900, 1400, 3), 50, np.uint8)
    img[100:800, 200:1250] = 246
    inv = [_print(img, 240 + 520 * (i % 2), 140 + 60 * i, t) for i, t in enumerate(INVOICE)]
    assert len(split_kinds(PaperMap(img), inv)) == 1


def test_paper_quads_for_the_card_and_the_completed_invoice():
    img, inv, card = _desk()
    paper = PaperMap(img)
    q_card = paper.quad(card)
    q_inv = paper.quad(inv)
    assert iou(q_card, np.array([[120, 480], [560, 480], [560, 840], [120, 840]], float)) > 0.95
    # the invoice's hidden corner is completed by the hull of its visible paper
    assert iou(q_inv, np.array([[200, 100], [1250, 100], [1250, 800], [200, 800]], float)) > 0.9


def test_no_paper_quad_where_the_paper_runs_on():
    img = np.full((900, 1400, 3), 246, np.uint8)  # a white receipt on a white sheet
    lines = [_print(img, 300, 200 + 50 * i, "北京市出租汽车专用发票") for i in range(5)]
    assert PaperMap(img).quad(lines) is None


def _found(lines, quad, source):
    return Region(np.asarray(quad, float), lines, np.array([1.0, 0.0]), source), classify_text([ln.text for ln in lines])


def test_an_outline_grown_into_a_textured_background_shrinks_to_the_card():
    img = np.full((900, 1400, 3), 40, np.uint8)
    img[::37] = 140  # streaks of the table, also where the outline strayed
    img[300:600, 400:880] = (214, 226, 238)
    card = [_print(img, 430, 330 + 50 * i, t) for i, t in enumerate(CARD)]
    grown = [[300, 150], [900, 300], [880, 600], [400, 600]]
    (region, _), = _on_paper(PaperMap(img), [_found(card, grown, "outline")])
    assert iou(region.quad, np.array([[400, 300], [880, 300], [880, 600], [400, 600]], float)) > 0.95


def test_documents_of_two_kinds_lying_over_each_other_are_no_duplicates():
    img, inv, card = _desk()
    a = _found(inv, [[200, 100], [1250, 100], [1250, 800], [200, 800]], "paper")
    b = _found(card, [[120, 480], [560, 480], [560, 840], [120, 840]], "paper")
    assert len(_suppress_duplicates([a, b])) == 2
    # the same lines read twice (a turned document read again) are one document
    c = _found(card, [[125, 485], [560, 485], [560, 840], [125, 840]], "text")
    assert len(_suppress_duplicates([b, c])) == 1


def test_two_blocks_that_read_as_one_invoice_only_together_are_joined():
    img = np.full((900, 1400, 3), 246, np.uint8)
    top = [_print(img, 240, 140 + 40 * i, t) for i, t in enumerate(INVOICE[:2])]
    low = [_print(img, 240, 230 + 40 * i, t) for i, t in enumerate(INVOICE[2:])]
    lower = _found(low, [[230, 225], [800, 225], [800, 560], [230, 560]], "kind")
    joined = _merge_parts([_found(top, [[230, 135], [800, 135], [800, 215], [230, 215]], "text"), lower])
    assert len(joined) == 1 and joined[0][1].type.value == "vat_invoice"


@pytest.mark.parametrize("rows_apart,joined", [(6, True), (12, False)])
def test_a_form_s_header_and_seller_blocks_join_across_its_empty_item_rows(rows_apart, joined):
    # a full-frame e-invoice: header and buyer above, totals and seller below, empty item
    # rows between; the lower block alone reads as a bank card (its bank account line)
    img = np.full((1200, 1400, 3), 250, np.uint8)
    upper = ["深圳增值税电子普通发票", "发票代码 044032200411", "发票号码 46480135", "购买方 名称 甲学院",
             "纳税人识别号 12120000777323722X"]
    lower = ["价税合计 (大写) 叁仟肆佰玖拾玖圆整", "名称 深圳市乙公司", "纳税人识别号 91440300326594785Q",
             "开户行及账号 招商银行深圳分行 755925100410901"]
    top = [_print(img, 40, 40 + 40 * i, t) for i, t in enumerate(upper)]
    y0 = 40 + 40 * len(upper) + 20 * rows_apart
    low = [_print(img, 40, y0 + 40 * i, t) for i, t in enumerate(lower)]
    assert classify_text(lower).type is not DocType.VAT_INVOICE
    a = _found(top, [[30, 30], [700, 30], [700, 230], [30, 230]], "text")
    b = _found(low, [[30, y0 - 10], [700, y0 - 10], [700, y0 + 160], [30, y0 + 160]], "text")
    out = _merge_parts([a, b])
    assert (len(out) == 1 and out[0][1].type is DocType.VAT_INVOICE) is joined


def test_print_on_another_surface_does_not_join_the_document():
    # a card on a dark keyboard: the key caps' letters, read as text, lie close to the
    # card and run its way, but on a surface of another colour
    img = np.full((900, 1400, 3), 45, np.uint8)
    img[100:420, 100:700] = 236
    card = [_print(img, 130, 130 + 50 * i, t) for i, t in enumerate(CARD)]
    keys = [_print(img, 740 + 70 * (i % 3), 140 + 60 * (i // 3), c, h=30, ink=(215, 215, 215))
            for i, c in enumerate("QWERTYASD")]
    a = _found(card, [[100, 100], [700, 100], [700, 420], [100, 420]], "outline")
    b = _found(keys, [[735, 135], [920, 135], [920, 320], [735, 320]], "text")
    assert len(_merge_parts([a, b])) == 1  # without the paper map: joined (the old behaviour)
    assert len(_merge_parts([a, b], PaperMap(img))) == 2
