"""Card and licence extraction on OCR-like documents (no OCR): authorities read through
noise, checkable numbers found by pattern and check digit, stamp text kept out of fields."""

from __future__ import annotations

import numpy as np
import pytest

from ocrframe.engine.extract.authority import find_authority, places, resolve_authority
from ocrframe.engine.extract.common import DocText
from ocrframe.engine.locate import Region
from ocrframe.engine.ocr import TextLine


def _doc(rows, stamp=(), score=0.95):
    """A document whose lines are ``(text, x, y)`` (left edge, top), 20 px high; ``stamp``
    lines go to the region's stamp text."""
    def line(text, x, y):
        w = max(20.0, 11.0 * len(text))
        q = np.array([[x, y], [x + w, y], [x + w, y + 20], [x, y + 20]], float)
        return TextLine(q, text, score, np.array([1.0, 0.0]))

    r = Region(np.array([[0, 0], [900, 0], [900, 600], [0, 600]], float), [line(*t) for t in rows])
    r.stamp_lines = [line(*t) for t in stamp]
    return DocText(r)


# ------------------------------------------------------------------ issuing authorities

@pytest.mark.parametrize("reading, name", [
    ("河南省动州市公局交通警察支队", "河南省郑州市公安局交通警察支队"),      # organ's middle glyph lost
    ("山东省售岛市公安局交通警察支队", "山东省青岛市公安局交通警察支队"),      # a place glyph wrong
    ("广东都广州市公查局交通警察支队", "广东省广州市公安局交通警察支队"),
    ("浙江省杭州市公安局交通臂察支队", "浙江省杭州市公安局交通警察支队"),      # a unit glyph wrong
    ("上海座公安属公交通管理局", "上海市公安局公安交通管理局"),
    ("上海市公安局交通警察总队", "上海市公安局交通警察总队"),
    ("广东省公安厅交通警察总队", "广东省公安厅交通警察总队"),
    ("杭州市西湖区公安局交通警察大队", "杭州市西湖区公安局交通警察大队"),
    ("海盐县公安局交通警蔡大队", "海盐县公安局交通警察大队"),
])
def test_authority_is_resolved_through_misread_glyphs(reading, name):
    assert resolve_authority(reading)[0] == name


@pytest.mark.parametrize("reading", [
    "天京市公安局公交通管理局",  # 北京市 and 天津市 are equally near
    "机动车行驶证", "公安局", "中华人民共和国机动车驾驶证",
])
def test_authority_unclear_or_absent_is_not_guessed(reading):
    assert resolve_authority(reading) is None


def test_authority_quality_falls_with_each_replaced_glyph():
    exact = resolve_authority("北京市公安局公安交通管理局")
    one = resolve_authority("北京市公安局公安交通管埋局")
    assert exact == ("北京市公安局公安交通管理局", 1.0) and one[0] == exact[0] and one[1] < 1.0


def test_places_come_from_the_division_table():
    upper, county = places(), places(county=True)
    assert {"北京市", "天津市", "河北省石家庄市", "石家庄市", "新疆维吾尔自治区"} <= set(upper)
    assert {"西湖区", "杭州市西湖区"} <= set(county) and "西湖区" not in upper


def test_authority_from_the_stamp_before_the_print():
    doc = _doc([("发动机号码 HYM4HFB", 40, 300), ("注册日期 2020-01-02", 40, 350)],
               stamp=[("浙江省杭州市公安", 60, 320), ("局交通警察支队", 60, 350)])
    f = find_authority(doc)
    assert f.value == "浙江省杭州市公安局交通警察支队" and f.confidence > 0.9


def test_authority_printed_in_full_is_found_without_a_stamp():
    doc = _doc([("发证机关 北京市公安局公安交通管理局", 40, 300)])
    assert find_authority(doc).value == "北京市公安局公安交通管理局"


def test_an_unclear_stamp_reading_is_kept_with_a_low_confidence():
    doc = _doc([("注册日期 2020-01-02", 40, 350)], stamp=[("天京市公安局公", 60, 320), ("交通管理局", 60, 350)])
    f = find_authority(doc)
    assert f.value == "天京市公安局公交通管理局" and f.confidence < 0.5
