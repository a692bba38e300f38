"""Packed documents of one kind (receipts on an expense sheet): counted from their repeated
titles and labels, cut apart along the text layout, each quad grown to its faint paper edge."""

from __future__ import annotations

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from ocrframe.engine.classify import Classification, classify_text, line_cues  # noqa: E402
from ocrframe.engine.edges import find_edge  # noqa: E402
from ocrframe.engine.locate import Region  # noqa: E402
from ocrframe.engine.ocr import TextLine  # noqa: E402
from ocrframe.engine.packed import instance_count, part_quads, split_lines  # noqa: E402
from ocrframe.engine.regions import merge_parts as _merge_parts  # noqa: E402
from ocrframe.types import DocType  # noqa: E402

TAXI = ["北京市出租汽车专用发票", "发票联", "发票代码 111001681009", "电话 96123", "车号 京B-12345",
        "上车 10:01", "下车 10:30", "单价 2.30元", "里程 5.2km", "等候 00:01:10", "金额 23.00元"]


def _turn(v: np.ndarray, quarter: int) -> np.ndarray:
    c, s = [(1, 0), (0, 1), (-1, 0), (0, -1)][quarter % 4]
    return np.array([[c, -s], [s, c]], float) @ v


def _receipt(origin, texts=TAXI, *, quarter: int = 0, step: float = 36.0, height: float = 22.0,
             width_per_char: float = 14.0, title_gap: float = 0.0) -> list[TextLine]:
    """Lines of one receipt laid out top-down from ``origin``, turned by quarter turns."""
    out = []
    d = _turn(np.array([1.0, 0.0]), quarter)
    n = np.array([-d[1], d[0]])
    o = np.asarray(origin, float)
    for i, t in enumerate(texts):
        y = i * step + (title_gap if i else 0.0)
        w = width_per_char * len(t.replace(" ", ""))
        p = o + 20 * d + y * n
        q = np.array([p, p + w * d, p + w * d + height * n, p + height * n])
        out.append(TextLine(q, t, 0.98, d.copy()))
    return out


def _groups(lines, parts):
    return sorted(sorted(lines[i].text + str(np.round(lines[i].center)) for i in g) for g in parts)


def _expected(receipts):
    return sorted(sorted(ln.text + str(np.round(ln.center)) for ln in r) for r in receipts)


def test_a_grid_of_touching_receipts_is_cut_into_receipts():
    receipts = [_receipt((x, y)) for y in (0, 420) for x in (0, 300, 600)]
    lines = [ln for r in receipts for ln in r]
    assert instance_count([ln.text for ln in lines], DocType.TAXI_INVOICE)[0] == 6
    assert _groups(lines, split_lines(lines, DocType.TAXI_INVOICE)) == _expected(receipts)


def test_turned_receipts_among_upright_ones_are_their_own_documents():
    receipts = [_receipt((0, 0)), _receipt((300, 0)), _receipt((1030, 0), quarter=1), _receipt((0, 440))]
    # a turned receipt's two-character labels are often read one character at a time
    receipts[2] += [TextLine(np.array([[900, 300], [920, 300], [920, 320], [900, 320]], float), "等", 0.9,
                             np.array([1.0, 0.0]))]
    lines = [ln for r in receipts for ln in r]
    assert _groups(lines, split_lines(lines, DocType.TAXI_INVOICE)) == _expected(receipts)


def test_the_cut_between_receipts_keeps_each_title_with_its_own_receipt():
    # the gap between a receipt's title block and its body is wider than the gap between
    # receipts; a cut there would hand the lower receipt's title to the upper one
    receipts = [_receipt((0, y), title_gap=60.0) for y in (0, 480, 960)]
    lines = [ln for r in receipts for ln in r]
    assert _groups(lines, split_lines(lines, DocType.TAXI_INVOICE)) == _expected(receipts)


def test_a_stack_of_receipts_is_cut_above_each_title():
    # quota invoices: a title and small print, then the amount in large type further down;
    # the widest strip lies above the amount, and only the title marks where a receipt starts
    quota = ["杭州市通用定额发票", "发票联", "发票代码 133012371717", "发票号码 47281273", "壹佰元", "￥100.00"]
    receipts = []
    for k, y in enumerate((0, 300, 600)):
        r = _receipt((0, y), quota, step=30)
        for ln in r[4:]:
            ln.quad = ln.quad + [0, 70]  # the amount sits below a wide gap
        receipts.append(r)
    lines = [ln for r in receipts for ln in r]
    assert _groups(lines, split_lines(lines, DocType.QUOTA_INVOICE)) == _expected(receipts)


def test_one_document_with_labels_printed_twice_is_not_cut():
    vat = ["增值税专用发票", "购买方 名称 甲公司", "纳税人识别号 91110000", "开户行及账号 工行 123",
           "货物或应税劳务名称 数量 金额 税额", "价税合计 壹佰元", "销售方 名称 乙公司", "纳税人识别号 91320000",
           "开户行及账号 农行 456"]
    lines = _receipt((0, 0), vat, step=40)
    # the seller block below a wide gap, as on the printed form
    for ln in lines[6:]:
        ln.quad = ln.quad + [0, 120]
    assert instance_count(vat, DocType.VAT_INVOICE)[0] == 1
    assert len(split_lines(lines, DocType.VAT_INVOICE)) == 1


def test_a_line_counts_a_cue_only_when_it_prints_it():
    hits = {c: h for c, _, h in line_cues(["杭州市通用定额发票", "发票联", "发票号码 47281273", "通用定颇发票"],
                                          DocType.QUOTA_INVOICE)}
    assert hits["定额发票"] == [True, False, False, False]  # "定颇发票": one of four characters misread
    assert hits["发票代码"] == [False, False, False, False]  # not in "发票号码"


def _region(lines, source="text"):
    pts = np.concatenate([ln.quad for ln in lines])
    x0, y0 = pts.min(0) - 10
    x1, y1 = pts.max(0) + 10
    q = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)
    return Region(q, lines, np.array([1.0, 0.0]), source)


def _found(region):
    return region, classify_text([ln.text for ln in region.lines])


def test_two_whole_receipts_side_by_side_are_not_merged_into_one():
    a, b = _receipt((0, 0)), _receipt((300, 0))
    merged = _merge_parts([_found(_region(a)), _found(_region(b))])
    assert len(merged) == 2


def test_a_title_fragment_still_joins_its_receipt():
    r = _receipt((0, 0))
    merged = _merge_parts([_found(_region(r[:2])), _found(_region(r[2:], "outline"))])
    assert len(merged) == 1 and len(merged[0][0].lines) == len(r)
    assert isinstance(merged[0][1], Classification) and merged[0][1].type is DocType.TAXI_INVOICE


def _sheet(rng, boxes, paper=(244, 243, 238), sheet=(250, 250, 248), noise=2.5):
    img = np.empty((700, 1000, 3), np.float32)
    img[:] = sheet
    for x0, y0, x1, y1 in boxes:
        img[y0:y1, x0:x1] = paper
        for y in range(y0 + 40, y1 - 40, 36):  # print
            img[y:y + 16, x0 + 25:x1 - 60] = 40
    img += rng.normal(0, noise, img.shape)
    return img.clip(0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_white_receipt_edge_on_a_white_sheet_is_found(seed):
    rng = np.random.default_rng(seed)
    img = _sheet(rng, [(100, 100, 400, 600), (403, 100, 703, 600)])  # 3 px apart
    # the first receipt's text box: its right side, searched rightwards up to the neighbour's text
    a, b = np.array([340.0, 140.0]), np.array([340.0, 556.0])
    t = find_edge(img, a, b, np.array([1.0, 0.0]), 4, 85)
    assert t is not None and abs(340 + t - 400) <= 2
    # its top edge: 40 px above the first text row
    t = find_edge(img, np.array([125.0, 140.0]), np.array([340.0, 140.0]), np.array([0.0, -1.0]), 4, 120)
    assert t is not None and abs(140 - t - 100) <= 2


def test_no_edge_where_the_paper_runs_on():
    img = _sheet(np.random.default_rng(3), [(0, 0, 1000, 700)])
    assert find_edge(img, np.array([25.0, 40.0]), np.array([940.0, 40.0]), np.array([0.0, -1.0]), 4, 38) is None


def test_a_background_edge_beyond_the_paper_is_not_taken():
    # a dark table with a bright streak: the streak's step has background on its inner side
    img = np.full((400, 600, 3), 40, np.uint8)
    img[100:300, 100:300] = 235
    img[150:250, 140:260] = 30  # the text
    img[:, 380:386] = 200       # the streak, 80 px beyond the card's right edge
    t = find_edge(img, np.array([260.0, 150.0]), np.array([260.0, 250.0]), np.array([1.0, 0.0]), 4, 200)
    assert t is not None and abs(260 + t - 300) <= 2


def test_parts_of_a_split_get_quads_on_their_paper():
    rng = np.random.default_rng(4)
    boxes = [(100, 100, 400, 600), (403, 100, 703, 600)]
    img = _sheet(rng, boxes)
    parts = []
    for x0, y0, x1, y1 in boxes:
        parts.append([TextLine(np.array([[x0 + 25, y], [x1 - 60, y], [x1 - 60, y + 16], [x0 + 25, y + 16]], float),
                               "x", 0.9, np.array([1.0, 0.0])) for y in range(y0 + 40, y1 - 40, 36)])
    quads = part_quads(img, parts, (1.0, 1.0, 1.0, 1.0))
    for q, (x0, y0, x1, y1) in zip(quads, boxes):
        assert np.abs(q.min(0) - [x0, y0]).max() <= 3 and np.abs(q.max(0) - [x1, y1]).max() <= 3


def _tilted(receipt: list[TextLine], degrees: float) -> list[TextLine]:
    """The receipt turned by ``degrees`` about its centre (a receipt laid down askew)."""
    a = np.radians(degrees)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    c = np.concatenate([ln.quad for ln in receipt]).mean(0)
    return [TextLine((ln.quad - c) @ r.T + c, ln.text, ln.score, r @ ln.direction) for ln in receipt]


@pytest.mark.parametrize("gap,degrees", [(0, 7), (5, 12)])
def test_askew_receipts_that_no_strip_separates_are_split_by_their_titles(gap, degrees):
    # six receipts laid down askew, in turn to the left and to the right, touching: every
    # straight strip between them runs into a corner of one, so each title seeds a receipt
    # and every other line goes to the title it is most cheaply tied to
    receipts = [_tilted(_receipt((x, y)), degrees if (i + j) % 2 else -degrees)
                for j, y in enumerate((0, 420 + gap)) for i, x in enumerate((0, 260 + gap, 520 + 2 * gap))]
    lines = [ln for r in receipts for ln in r]
    assert _groups(lines, split_lines(lines, DocType.TAXI_INVOICE)) == _expected(receipts)


def test_a_title_read_twice_seeds_one_receipt():
    # OCR sometimes reads a title twice, as a second box over part of the first: title lines
    # this close together are one receipt's title, not two receipts
    receipts = [_tilted(_receipt((x, 0)), d) for x, d in ((0, 7), (260, -7), (520, 7))]
    title = receipts[1][0]
    receipts[1].append(TextLine(title.quad + 0.4 * title.height * np.array([title.direction[1], title.direction[0]]),
                                TAXI[0][2:], 0.9, title.direction.copy()))
    lines = [ln for r in receipts for ln in r]
    assert _groups(lines, split_lines(lines, DocType.TAXI_INVOICE)) == _expected(receipts)
