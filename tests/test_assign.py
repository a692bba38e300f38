"""Label- and pattern-driven extraction: each failure mode seen on real documents (issue 14)
as a document of OCR-like lines, and properties of the joint assignment.

The documents are built with :func:`ocrframe.testing.doctext.doc_from_rows` the way the
engine's OCR reports lines (one box, text and score per recognised line), in layouts
the generator does not draw: other cities' and provinces' forms, misregistered print,
labels glued to values, values on the next line, bilingual labels.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocrframe.engine.extract import EXTRACTORS
from ocrframe.engine.extract.assign import assign, choose
from ocrframe.engine.extract.patterns import digits
from ocrframe.engine.extract.receipts import TAXI_VOCAB
from ocrframe.engine.extract.vocab import FieldVocab, Vocabulary, find_labels
from ocrframe.testing.doctext import doc_from_rows
from ocrframe.types import DocType


def _values(t: DocType, doc) -> dict[str, str]:
    fields, _ = EXTRACTORS[t](doc)
    return {k: f.value for k, f in fields.items()}


# --- the failure modes of issue 14 ------------------------------------------------------------

def test_toll_values_printed_half_a_line_above_their_labels():
    """Dot-matrix print misregistered against the preprinted form: every value sits about
    0.6 line heights above its label, rows are 1.7 line heights apart."""
    rows = [[("车辆通行费专用票据", 120)],
            [("票据代码：", 150), ("137011900112", 260, -12)],
            [("票据号码：", 150), ("00123456", 260, -12)],
            [("入口", 20), ("济青高速章丘站", 110, -12), ("出口", 330), ("京沪高速齐河站", 420, -12)],
            [("车型", 20), ("一型车", 110, -12), ("金额", 330), ("35.00元", 420, -12)],
            [("日期", 20), ("2013-05-12", 110, -12), ("时间", 330), ("10:22:33", 420, -12)],
            [("收费员", 20), ("30122", 110, -12)]]
    got = _values(DocType.TOLL_INVOICE, doc_from_rows(rows, pitch=34))
    assert got == {"code": "137011900112", "number": "00123456", "entry": "济青高速章丘站", "exit": "京沪高速齐河站",
                   "vehicle_type": "一型车", "amount": "35.00元", "date": "2013-05-12", "time": "10:22:33"}


def test_toll_values_printed_across_the_next_label_line():
    """Misregistered downwards: a value nearer the next row's label than its own row is
    still its own label's, because the next label already has a value of its own form."""
    rows = [[("入口", 20), ("沪昆高速徐庄站", 110, 14)], [("车型", 20), ("二型车", 110, 14)],
            [("金额", 20), ("￥88.00", 110, 14)]]
    got = _values(DocType.TOLL_INVOICE, doc_from_rows(rows, pitch=34))
    assert (got["entry"], got["vehicle_type"], got["amount"]) == ("沪昆高速徐庄站", "二型车", "￥88.00")


def test_itinerary_money_row_with_codes_under_bilingual_heads():
    rows = [[("票价", 40), ("民航发展基金", 200), ("燃油附加费", 420), ("其他税费", 600), ("合计", 780)],
            [("FARE", 40), ("CAAC DEVELOPMENT FUND", 200), ("FUEL SURCHARGE", 420), ("OTHER TAXES", 600),
             ("TOTAL", 780)],
            [("CNY 1230.00", 40), ("CN 50.00", 200), ("YQ 20.00", 420), ("0.00", 600), ("CNY 1300.00", 780)]]
    got = _values(DocType.FLIGHT_ITINERARY, doc_from_rows(rows, pitch=26))
    assert {k: got.get(k) for k in ("fare", "caac_development_fund", "fuel_surcharge", "other_taxes", "total")} == {
        "fare": "CNY 1230.00", "caac_development_fund": "CN 50.00", "fuel_surcharge": "YQ 20.00",
        "other_taxes": "0.00", "total": "CNY 1300.00"}


def test_itinerary_money_on_the_labels_line():
    """Another variant prints each amount right after its bilingual label."""
    rows = [[("票价 FARE", 20), ("CNY1230.00", 150), ("民航发展基金 CN", 330), ("50.00", 500)],
            [("燃油附加费 YQ", 20), ("20.00", 150), ("合计 TOTAL", 330), ("CNY1300.00", 500)]]
    got = _values(DocType.FLIGHT_ITINERARY, doc_from_rows(rows))
    assert (got["fare"], got["caac_development_fund"], got["fuel_surcharge"], got["total"]) == (
        "CNY 1230.00", "CN 50.00", "YQ 20.00", "CNY 1300.00")


def _itinerary_top(name: str | None) -> list:
    who = [("旅客姓名", 20)] + ([(name, 150)] if name else []) + [("有效身份证件号码", 300), ("11010519491231002X", 480),
                                                                   ("签注", 760), ("不得签转", 820)]
    return [who, [("NAME OF PASSENGER", 20, -6), ("ID.NO.", 300, -6)],
            [("自", 20), ("至", 150), ("承运人", 280), ("航班号", 380), ("日期", 500), ("时间", 600)],
            [("北京首都", 20), ("上海虹桥", 150), ("国航", 280), ("CA1501", 380), ("12MAY", 500), ("0900", 600)]]


def test_itinerary_passenger_name_is_not_a_city():
    got = _values(DocType.FLIGHT_ITINERARY, doc_from_rows(_itinerary_top("胡秀英")))
    assert got["passenger_name"] == "胡秀英" and got["id_number"] == "11010519491231002X"
    # the name not read: no city (nor the endorsement) stands in for it
    got = _values(DocType.FLIGHT_ITINERARY, doc_from_rows(_itinerary_top(None)))
    assert "passenger_name" not in got


def test_itinerary_name_beside_its_id_when_its_label_is_unread():
    rows = _itinerary_top("胡秀英")
    rows[0] = [p for p in rows[0] if p[0] != "旅客姓名"]
    rows[1] = [p for p in rows[1] if p[0] != "NAME OF PASSENGER"]
    fields, _ = EXTRACTORS[DocType.FLIGHT_ITINERARY](doc_from_rows(rows))
    assert fields["passenger_name"].value == "胡秀英"
    assert fields["passenger_name"].confidence < fields["id_number"].confidence


def test_mvs_buyer_name_glued_to_its_wrapped_label():
    rows = [[("机动车销售统一发票", 300), ("发票代码", 700), ("144001901111", 800)],
            [("开票日期", 20), ("2021-05-12", 120), ("发票号码", 700), ("00812345", 800)],
            [("购买方名称", 20), ("及身份证号码/赵思", 20, 22), ("纳税人识别号/统一社会信用代码/身份证明号码", 300),
             ("110101199003070012", 820)],
            [("组织机构代码", 20, 8)],
            [("车辆类型", 20), ("轿车", 120), ("厂牌型号", 300), ("大众牌FV7152", 400)]]
    got = _values(DocType.MVS_INVOICE, doc_from_rows(rows))
    assert got["buyer_name"] == "赵思" and got["buyer_id"] == "110101199003070012"
    assert (got["code"], got["number"], got["issue_date"]) == ("144001901111", "00812345", "2021-05-12")


def test_vat_code_and_number_under_their_labels():
    """An old paper form prints code and number on the line under their captions, and
    the big code at the top left without a label."""
    rows = [[("3200171130", 20), ("江苏增值税专用发票", 300), ("No", 640), ("07851234", 680)],
            [("发票代码", 640), ("发票号码", 780)],
            [("3200171130", 640), ("07851234", 780)],
            [("开票日期：", 640), ("2018年03月05日", 740)],
            [("购买方", 20), ("名称：", 60), ("南京市玄武区某某餐饮店", 120)]]
    got = _values(DocType.VAT_INVOICE, doc_from_rows(rows))
    assert (got["code"], got["number"], got["issue_date"]) == ("3200171130", "07851234", "2018年03月05日")


def test_fully_digital_vat_invoice_has_a_20_digit_number_and_no_code():
    rows = [[("电子发票（增值税专用发票）", 300), ("发票号码：", 700), ("24322000000012345678", 800)],
            [("开票日期：", 700), ("2024年01月05日", 800)],
            [("购买方信息", 20), ("名称：", 60), ("南京某某科技有限公司", 120)],
            [("统一社会信用代码/纳税人识别号：", 60), ("91320102MA1X2Y3Z4L", 400)]]
    got = _values(DocType.VAT_INVOICE, doc_from_rows(rows))
    assert got["number"] == "24322000000012345678" and got["issue_date"] == "2024年01月05日"
    assert "code" not in got and "check_code" not in got


def test_fully_digital_number_alone_in_the_header():
    """No 号码 label read: a lone 20-digit number in the header is the number."""
    rows = [[("电子发票（普通发票）", 300), ("24322000000012345678", 800)], [("开票日期：2024年01月05日", 700)],
            [("项目名称", 20), ("金额", 400)], [("*餐饮服务*餐费", 20), ("880.00", 400)]]
    fields, _ = EXTRACTORS[DocType.VAT_INVOICE](doc_from_rows(rows))
    assert fields["number"].value == "24322000000012345678"
    assert fields["number"].confidence < 0.8  # by its form alone


def test_taxi_of_another_city_prints_codes_as_header_lines():
    rows = [[("北京市出租汽车专用发票", 60)],
            [("发票代码：111001981021", 20)], [("发票号码：03512345", 20)],
            [("车号：", 20), ("京B-T1234", 100)], [("日期：", 20), ("2019-05-12", 100)],
            [("上车：", 20), ("08:05", 100)], [("下车：", 20), ("08:42", 100)],
            [("单价：", 20), ("2.30元", 100)], [("里程：", 20), ("12.4km", 100)],
            [("等候：", 20), ("00:03:12", 100)], [("金额：", 20), ("32.00元", 100)]]
    got = _values(DocType.TAXI_INVOICE, doc_from_rows(rows))
    assert got == {"code": "111001981021", "number": "03512345", "taxi_number": "京B-T1234", "date": "2019-05-12",
                   "boarding_time": "08:05", "alighting_time": "08:42", "unit_price": "2.30元", "distance": "12.4km",
                   "waiting_time": "00:03:12", "total": "32.00元"}


def test_taxi_with_english_labels_and_values_on_the_next_line():
    rows = [[("发票代码 INVOICE CODE", 20)], [("131001912345", 20)], [("发票号码 INVOICE NO.", 20)], [("61234567", 20)],
            [("车号 CAR NO.", 20), ("沪FT-1234", 220)], [("日期 DATE", 20), ("2020-01-02", 220)],
            [("金额 TOTAL", 20), ("￥28.00", 220)]]
    got = _values(DocType.TAXI_INVOICE, doc_from_rows(rows, pitch=30))
    assert (got["code"], got["number"], got["taxi_number"], got["date"], got["total"]) == (
        "131001912345", "61234567", "沪FT-1234", "2020-01-02", "￥28.00")


def test_two_character_label_with_a_misread_character():
    """里程 read as 限程, 等候 as 享候: a word of its own before a colon, one character
    right, and a value of the field's form."""
    rows = [[("单价：2.80元", 20)], [("限程：13.8km", 20)], [("享候：00:09:56", 20)], [("状态：载客", 20)],
            [("卡号：-", 20)]]
    got = _values(DocType.TAXI_INVOICE, doc_from_rows(rows))
    assert got == {"unit_price": "2.80元", "distance": "13.8km", "waiting_time": "00:09:56"}


def test_machine_printed_taxi_receipt():
    """A roll taxi receipt of another city (modelled on a real one): code glued to its
    label with a 0 read as Q, semicolons for colons, the total printed up on the line of
    the 状态 label above its own."""
    rows = [[("济南市出租车", 70)], [("发票代码137Q11930001", 19)], [("发票号码82979513", 18)],
            [("电话：", 22), ("86050987", 118)], [("证号：", 23), ("000000", 140)],
            [("上车：", 24), ("13:37", 152)], [("下车：", 24), ("14:04", 151)], [("单价；", 26), ("2.25", 149, -4)],
            [("里程；", 26), ("19.5km", 140, -4)], [("等候：", 24), ("00:04.50", 117)],
            [("状态：", 23), ("46.00元", 138, 11)], [("金额：", 24)], [("卡号：", 26)]]
    got = _values(DocType.TAXI_INVOICE, doc_from_rows(rows, pitch=20))
    assert got == {"code": "137011930001", "number": "82979513", "phone_number": "86050987",
                   "certificate_number": "000000", "boarding_time": "13:37", "alighting_time": "14:04",
                   "unit_price": "2.25", "distance": "19.5km", "waiting_time": "00:04.50", "total": "46.00元"}


def test_shenzhen_taxi_receipt():
    """元 read as π after amounts, the plate printed without its province's character."""
    rows = [[("深圳市出租汽车专用发票", 34)], [("发票代码144031870119", 37)], [("发票号码86440827", 38)],
            [("车号：", 81), ("B5M162", 265)], [("单价：", 84), ("3.38π", 290)], [("金额：", 84), ("¥129.00π", 231)],
            [("卡号：", 85), ("兴华0.80元", 211)]]
    got = _values(DocType.TAXI_INVOICE, doc_from_rows(rows))
    assert (got["taxi_number"], got["unit_price"], got["total"]) == ("B5M162", "3.38元", "￥129.00元")


def test_quota_face_value_in_words_and_the_place_opening_the_title():
    rows = [[("北京市国家税务局通用定额发票", 54)], [("发票代码111001676064", 115)], [("发票号码63809943", 115)],
            [("伍拾元整", 216)]]
    got = _values(DocType.QUOTA_INVOICE, doc_from_rows(rows))
    assert (got["amount"], got["location"]) == ("伍拾元整", "北京")


def test_label_cut_by_the_frame_still_labels():
    """A photo that cut the receipt's left edge: 票代码 / 票号码 are what is left."""
    rows = [[("票代码", 0), ("143011696177", 90)], [("票号码", 0), ("16826198", 90)]]
    got = _values(DocType.QUOTA_INVOICE, doc_from_rows(rows))
    assert (got["code"], got["number"]) == ("143011696177", "16826198")


def test_stamp_text_never_fills_a_field():
    """A seal over the header: its own reading (``DocText.stamp``) and a printed line
    naming a seal never give a code or number."""
    rows = [[("上海市通用定额发票", 60)], [("发票代码", 20), ("131011696177", 120)],
            [("发票号码", 20), ("上海某某公司发票专用章 31012345", 120)], [("￥50.00", 80)]]
    doc = doc_from_rows(rows, stamp=["上海某某有限公司", "310101198765", "发票专用章"])
    got = _values(DocType.QUOTA_INVOICE, doc)
    assert got["code"] == "131011696177" and "number" not in got and got["amount"] == "￥50.00"
    assert "310101198765" not in got.values()


def test_seal_field_reads_the_stamp():
    v = Vocabulary((FieldVocab("authority", ("发证机关",), digits(6), seal=True),))
    doc = doc_from_rows([[("发证机关", 20)]], stamp=["123456"])
    assert assign(doc, v)["authority"].value == "123456"


def test_value_glued_to_another_label_is_that_labels():
    """First match would give 上车's time to 下车 (it is nearer its line); the joint
    assignment keeps each label's glued value."""
    rows = [[("上车08:05", 20), ("下车", 180)], [("08:42", 180, -6)]]
    got = {k: c.value for k, c in choose(doc_from_rows(rows, pitch=24), TAXI_VOCAB).items()}
    assert (got["boarding_time"], got["alighting_time"]) == ("08:05", "08:42")


def test_a_value_is_never_given_twice():
    """Two labels, one value: it goes to the nearer label; the other field stays empty
    rather than take the same value."""
    rows = [[("上车", 20), ("下车", 180)], [("08:05", 20)]]
    got = choose(doc_from_rows(rows), TAXI_VOCAB)
    assert got["boarding_time"].value == "08:05" and "alighting_time" not in got


def test_turned_document_reads_the_same():
    rows = [[("票据代码：", 150), ("137011900112", 260, -12)], [("入口", 20), ("济青高速章丘站", 110, -12)]]
    a = _values(DocType.TOLL_INVOICE, doc_from_rows(rows, pitch=34))
    b = _values(DocType.TOLL_INVOICE, doc_from_rows(rows, pitch=34, angle=90))
    assert a == b and a["code"] == "137011900112"


# --- labels ----------------------------------------------------------------------------------

_V = Vocabulary((FieldVocab("code", ("发票代码",), None), FieldVocab("entry", ("入口",), None),
                 FieldVocab("fare", ("票价", "FARE"), None)), barriers=("FARE BASIS",))


@pytest.mark.parametrize("text, want", [
    ("发票代码：1310", [("code", 0, 4)]),
    ("发 票 代 码 1310", [("code", 0, 7)]),  # spaced out
    ("发票代玛1310", [("code", 0, 4)]),  # one character misread
    ("票代码1310", [("code", 0, 3)]),  # its start cut by the frame
    ("入口：西入口站", [("entry", 0, 2)]),  # not inside a station's name
    ("票价 FARE", [("fare", 0, 2), ("fare", 3, 7)]),  # bilingual
    ("FARE BASIS", [("_barrier", 0, 10)]),  # a longer caption wins
    ("电子客票", []),
])
def test_find_labels(text, want):
    assert [(h.field, h.start, h.end) for h in find_labels(text, _V)] == want


# --- a property of the assignment -------------------------------------------------------------

_FIELDS = [("日期", "2019-05-12"), ("上车", "08:05"), ("下车", "08:42"), ("金额", "32.00元"), ("车号", "沪A-12345"),
           ("里程", "12.4km"), ("等候", "00:03:12"), ("发票号码", "03512345")]
_NAMES = {"日期": "date", "上车": "boarding_time", "下车": "alighting_time", "金额": "total", "车号": "taxi_number",
          "里程": "distance", "等候": "waiting_time", "发票号码": "number"}


@settings(max_examples=40, deadline=None)
@given(st.permutations(_FIELDS), st.lists(st.sampled_from(["glued", "right", "below", "above", "lower"]),
                                          min_size=8, max_size=8), st.booleans())
def test_every_value_reaches_its_label_in_any_layout(order, how, two_columns):
    """Label/value pairs in any order, each printed glued, to the right, under its label
    or shifted half a line: every field gets its own value."""
    rows = []
    per_row = 2 if two_columns else 1
    for k in range(0, len(order), per_row):
        row, below = [], []
        for j, ((label, value), h) in enumerate(zip(order[k:k + per_row], how[k:k + per_row])):
            x = 20 + 360 * j
            if h == "glued":
                row.append((label + "：" + value, x))
            elif h == "below":
                row.append((label, x))
                below.append((value, x))
            else:
                row.append((label, x))
                row.append((value, x + 130, {"right": 0, "above": -10, "lower": 10}[h]))
        rows.append(row)
        rows.append(below)
    got = {k: c.value for k, c in choose(doc_from_rows(rows, pitch=32), TAXI_VOCAB).items()}
    assert got == {_NAMES[label]: value for label, value in order}
