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


# ------------------------------------------------------------------ checkable numbers

from ocrframe.engine.extract import bankcard, driver_license, id_card, transportation_license  # noqa: E402
from ocrframe.engine.extract.numbers import find_card_number, find_id_number, find_vin  # noqa: E402

ID = "11010519491231002X"


def _portrait(number_rows):
    rows = [("姓名 张三", 40, 40), ("性别 男 民族 汉", 40, 90), ("出生 1949年12月31日", 40, 140),
            ("住址 北京市东城区景山前街4号", 40, 190)]
    return _doc(rows + number_rows)


@pytest.mark.parametrize("number_rows", [
    [("公民身份号码", 40, 300), ("110105", 240, 300), ("19491231", 330, 301), ("002X", 450, 299)],  # three boxes
    [("公民身份号码 1101 0519 4912 3100 2x", 40, 300)],  # spaces, lower-case x
    [("公民身份号码 11010519491231002×", 40, 300)],  # X read as a multiplication sign
    [("公民身份号码 11O1O519491231002X", 40, 300)],  # O for 0
    [("公民身份号码 1101051949", 40, 300), ("1231002X", 40, 326)],  # broken over two lines
    [("11010519491231002X", 240, 300)],  # the label not read at all
])
def test_id_number_is_found_however_ocr_splits_or_misreads_it(number_rows):
    f, _ = id_card.extract_portrait(_portrait(number_rows))
    assert f["number"].value == ID and f["number"].confidence > 0.8


def test_a_checking_id_number_beats_a_misread_one():
    doc = _portrait([("公民身份号码 110105194912310021", 40, 300), ("11010519491231002X", 40, 400)])
    assert find_id_number(doc).value == ID


def test_an_id_number_whose_check_fails_is_kept_with_low_confidence():
    """Demo and specimen cards print numbers that do not check."""
    f, _ = id_card.extract_portrait(_portrait([("公民身份号码 110105194912310021", 40, 300)]))
    assert f["number"].value == "110105194912310021" and f["number"].confidence < 0.5


def test_id_card_name_without_its_label():
    """Real cards print ``姓名`` small and light: OCR reads ``名刘洋`` or only the name."""
    for first in ("名刘洋", "刘洋", "姓名刘洋"):
        doc = _doc([(first, 40, 40), ("性别女民族汉", 40, 90), ("出生1995年5月13日", 40, 140),
                    ("公民身份号码440305199505132561", 40, 300)])
        assert id_card.extract_portrait(doc)[0]["name"].value == "刘洋"


def test_driving_licence_number_split_in_pieces():
    doc = _doc([("证号", 40, 100), ("1101051949", 150, 100), ("1231002X", 290, 101), ("姓名 张三", 40, 150)])
    f, _ = driver_license.extract_front(doc)
    assert f["number"].value == ID


@pytest.mark.parametrize("rows, number", [
    ([("6222 0261 4610 0338", 60, 300)], "6222 0261 4610 0338"),
    ([("6222", 60, 300), ("O261", 150, 300), ("4610", 240, 300), ("0338", 330, 300)], "6222 0261 4610 0338"),
    ([("6217 0000 1234 5678 907", 60, 300), ("12/25", 400, 300)], "6217 0000 1234 5678 907"),
    ([("6217 0000 1234 5678 907 12", 60, 300)], "6217 0000 1234 5678 907"),  # a stray group glued on
    ([("6217 0000 1234 5678 903", 60, 300)], "6217 0000 1234 5678 903"),  # no Luhn: not cut to a part that has
    ([("客服 95588", 60, 100), ("6225 7688 8888 8888", 60, 300)], "6225 7688 8888 8888"),  # demo: no Luhn
])
def test_bank_card_number_in_groups(rows, number):
    f, _ = bankcard.extract(_doc([("中国工商银行", 60, 40)] + rows))
    assert f["card_number"].value == number


def test_vin_found_by_its_check_digit_without_its_label():
    doc = _doc([("号牌号码 京A12345", 40, 100), ("LSVAM4187C2184847", 200, 300)])
    assert find_vin(doc).value == "LSVAM4187C2184847"
    assert find_vin(_doc([("发动机号码 ABCDEFGH123456789", 40, 100)])) is None  # no check: not a VIN


# ------------------------------------------------------------------ stamp text stays out of fields

def test_seal_text_is_no_licence_number():
    """A transport certificate's seal ``道路运输证专用章`` read among the print looks like
    the label ``道路运输证号``; what follows it is no licence number."""
    doc = _doc([("业户名称 北京顺达物流有限公司", 40, 100), ("车辆号牌 京A12345", 40, 150),
                ("核发机关 北京市朝阳区道路运输管理所", 40, 400), ("道路运输证专用章", 120, 450)])
    f, _ = transportation_license.extract(doc)
    assert "license_number" not in f
    assert f["issuing_authority"].value == "北京市朝阳区道路运输管理所"


def test_transport_licence_number_without_its_label():
    doc = _doc([("道路运输证", 300, 20), ("110105123456", 400, 60), ("业户名称 北京顺达物流有限公司", 40, 100),
                ("经营许可证 京交运管许可货字110105654321号", 40, 150)])
    f, _ = transportation_license.extract(doc)
    assert f["license_number"].value == "110105123456"
    assert f["business_certificate"].value == "京交运管许可货字110105654321号"


def test_seal_text_names_only_the_authority():
    doc = _doc([("道路运输证号 110105123456", 40, 60), ("业户名称 北京顺达物流有限公司", 40, 100)],
               stamp=[("北京市朝阳区道路运输管理所", 100, 400), ("道路运输证专用章", 120, 450)])
    f, _ = transportation_license.extract(doc)
    assert f["license_number"].value == "110105123456" and f["owner_name"].value == "北京顺达物流有限公司"
    assert f["issuing_authority"].value == "北京市朝阳区道路运输管理所" and f["issuing_authority"].confidence < 0.8
    assert not any("专用章" in v.value for v in f.values())


# ------------------------------------------------------------------ labels not read

from ocrframe.engine.extract import passport, vehicle_license  # noqa: E402


def test_passport_dates_without_labels_are_placed_by_time():
    """A demo passport whose labels OCR did not read and whose MRZ is doctored: its three
    visual-zone dates (one with a bilingual month) are birth, issue and expiry in time order."""
    doc = _doc([("女/F", 160, 140), ("中国/CHINESE", 210, 140), ("27 DEC 2020", 310, 140),
                ("四川/SICHUAN", 160, 171), ("09 4月/APR 2024", 310, 171),
                ("四川/SICHUAN", 160, 202), ("08 4FV/APR 2044", 310, 202),
                ("MPS Ext & Entry Administration", 160, 241),
                ("P0CHNZHI<<XIAOBAO<<<<<<<<<<<<<<<<<<<<<<<<<<<", 20, 295),
                ("E092222224CHN2001011M2404082MCN0NCNF<<<<A952", 20, 320)])
    f, extra = passport.extract(doc)
    got = {k: v.value for k, v in f.items()}
    assert got["date_of_birth"] == "27 DEC 2020" and got["date_of_issue"] == "09 APR 2024"
    assert got["date_of_expiry"] == "08 APR 2044" and got["sex"] == "F"  # "Sex" is not in "MPS Ext"
    assert extra["extra_info"]["machine_code1"].startswith("POCHNZHI<<XIAOBAO")  # a line of letters


def test_vehicle_licence_register_date_under_a_stamp_by_elimination():
    """A stamp over ``注册日期`` leaves the date and no label: of the page's two dates the
    one before the issue date is the register date."""
    doc = _doc([("号牌号码 沪AA1234", 40, 40), ("Refer Date", 100, 200), ("2011-10-09", 140, 200),
                ("发证日期", 220, 200), ("2012-10-10", 300, 200)])
    f, _ = vehicle_license.extract_front(doc)
    assert f["register_date"].value == "2011-10-09" and f["issue_date"].value == "2012-10-10"
    assert f["register_date"].confidence < f["issue_date"].confidence


@pytest.mark.parametrize("rows, want", [
    ([("签发机关 杭州市公安局西湖分局", 40, 200), ("有效期限 2015.05.14-2035.05.14", 40, 250)],
     {"issue": "杭州市公安局西湖分局", "valid_from": "2015.05.14", "valid_to": "2035.05.14"}),
    ([("有效期限 2015.05.14-长期", 40, 250)], {"valid_from": "2015.05.14", "valid_to": "长期"}),
    # a thumb over the label's end and the period's start: its end still comes back
    ([("签发机关", 40, 200), ("公安局", 160, 200), ("有效", 40, 250), (".14-2029.05.14", 160, 250)],
     {"issue": "公安局", "valid_to": "2029.05.14"}),
])
def test_id_card_emblem_validity(rows, want):
    f, _ = id_card.extract_emblem(_doc(rows))
    assert {k: v.value for k, v in f.items()} == want
