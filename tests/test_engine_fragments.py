"""Pieces of a document: a detached block that prints the labels its document lacks joins
it (``engine.complete``); a typed line or two inside a document on its paper is part of it,
not a document (``regions.drop_inner_fragments``)."""

from __future__ import annotations

import numpy as np

from ocrframe.engine.classify import classify_text
from ocrframe.engine.complete import complete
from ocrframe.engine.locate import Region
from ocrframe.engine.ocr import TextLine
from ocrframe.engine.regions import drop_inner_fragments as _drop_inner_fragments
from ocrframe.types import DocType

ROLL_TOP = ["发票代码 037001700207", "机打号码 29877388", "收款员 王元金", "购买方名称 山东", "销售方名称 山东"]
ROLL_FOOT = ["合计金额(小写) 227.00", "校验码 67401070653290708636"]


def _line(x: float, y: float, s: str, w: float = 200) -> TextLine:
    return TextLine(np.array([[x, y], [x + w, y], [x + w, y + 20], [x, y + 20]], float), s, 0.99, np.array([1.0, 0.0]))


def _found(lines: list[TextLine], source: str = "text"):
    pts = np.concatenate([ln.quad for ln in lines])
    (x0, y0), (x1, y1) = pts.min(0), pts.max(0)
    region = Region(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float), lines, np.array([1.0, 0.0]), source)
    return region, classify_text([ln.text for ln in lines])


def _receipt(x: float, foot_y: float = 400):
    top = _found([_line(x, 30 * i, s) for i, s in enumerate(ROLL_TOP)])
    foot = _found([_line(x, foot_y + 30 * i, s) for i, s in enumerate(ROLL_FOOT)])
    return top, foot


def test_a_receipts_totals_under_its_blank_item_area_join_it():
    top, foot = _receipt(0)
    assert top[1].type is DocType.VAT_ROLL_INVOICE and foot[1].type is None
    out = complete([top, foot])
    assert len(out) == 1 and len(out[0][0].lines) == 7 and out[0][1].type is DocType.VAT_ROLL_INVOICE


def test_a_block_too_far_away_stays_apart():
    top, foot = _receipt(0, foot_y=2000)
    assert len(complete([top, foot])) == 2


def test_a_block_repeating_the_documents_labels_is_another_documents():
    top, _ = _receipt(0)
    repeat = _found([_line(0, 400, "销售方名称 济南"), _line(0, 430, "校验码 12345678901234567890")])
    assert repeat[1].type is None
    assert len(complete([top, repeat])) == 2


def test_each_receipt_takes_its_own_totals():
    (a, fa), (b, fb) = _receipt(0), _receipt(400)
    out = complete([a, fa, b, fb])
    assert sorted(len(r.lines) for r, _ in out) == [7, 7]
    for r, _ in out:
        xs = np.concatenate([ln.quad for ln in r.lines])[:, 0]
        assert xs.max() - xs.min() <= 200


def test_a_typed_line_inside_a_document_is_part_of_it():
    invoice = _found([_line(0, 30 * i, s, 600) for i, s in enumerate(
        ["电子发票（增值税专用发票）", "购买方 名称：青岛檬豆", "销售方 名称：山东及时雨", "项目名称 单价 数量 金额 税率 税额",
         "*运输服务*客运服务费 54.55", "价税合计（大写）", "开票人：陈珊珊", "备注"])], "merged")
    stamp = _found([_line(20, 60, "辽宁省道路汽车客票", 150)], "outline")  # a ring of text read as a title
    assert invoice[1].type is DocType.VAT_INVOICE and stamp[1].type is DocType.BUS_SHIP_TICKET
    assert [c.type for _, c in _drop_inner_fragments([invoice, stamp])] == [DocType.VAT_INVOICE]
    # beside the invoice, not on it, the same line is a document of its own
    apart = _found([_line(900, 60, "辽宁省道路汽车客票", 150)], "outline")
    assert len(_drop_inner_fragments([invoice, apart])) == 2
