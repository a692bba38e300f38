"""Receipts and itineraries as other cities, provinces and printers make them: labels that
carry their unit, face values in words and figures, bureau titles, labelled times that
must not be reordered, agent codes with a city prefix, slanted itinerary rows; and the
tune variants of ``synth/receipts_more`` read from generated files."""

from __future__ import annotations

import random

import pytest

from ocrframe.engine.extract.invoices import EXTRACTORS
from ocrframe.engine.extract.receipts import TAXI_VOCAB, TOLL_VOCAB
from ocrframe.engine.extract.vocab import find_labels
from ocrframe.testing.doctext import doc_from_rows
from ocrframe.types import DocType


def _values(t: DocType, rows, **kw) -> dict[str, str]:
    fields, extra = EXTRACTORS[t](doc_from_rows(rows, **kw))
    return {k: f.value for k, f in fields.items()} | {k: v for k, v in extra.items() if k != "extra_info"}


@pytest.mark.parametrize("text, field, unit", [
    ("通行费(元)：35.00", "amount", "元"),
    ("实收（元）: 35.00", "amount", "元"),
    ("收费金额(元)35.00", "amount", "元"),
])
def test_a_bracketed_unit_is_part_of_the_label(text, field, unit):
    hits = find_labels(text, TOLL_VOCAB)
    assert [h.field for h in hits] == [field]
    assert unit in hits[0].unit or f"({unit})" in hits[0].label  # the unit read, or a label printed with it
    assert text[hits[0].end:].strip(" :：") == "35.00"  # the unit is no value


def test_a_label_word_inside_a_unit_is_no_label():
    # 公里 labels the distance on some forms; inside 单价(元/公里) it is the price's unit
    hits = find_labels("单价(元/公里)：2.30", TAXI_VOCAB)
    assert [(h.field, h.unit) for h in hits] == [("unit_price", "元/公里")]


def test_toll_amount_under_a_unit_label_is_printed_bare_and_signed_otherwise():
    bare = _values(DocType.TOLL_INVOICE, [[("入口站：京港澳高速杜家坎站", 10)], [("出口站：京港澳高速涿州站", 10)],
                                          [("通行费(元)：35.00", 10)], [("车型：一型车", 10)]])
    assert bare["amount"] == "35.00"
    signed = _values(DocType.TOLL_INVOICE, [[("入口：京港澳高速杜家坎站", 10)], [("金额：", 10), ("35.00", 90)]])
    assert signed["amount"] == "￥35.00"  # the sign OCR drops is put back where the label names no unit


def test_taxi_values_under_unit_labels():
    got = _values(DocType.TAXI_INVOICE, [[("代码：144031666188", 10)], [("号码：26140737", 10)],
                                         [("资格证号：637071", 10)], [("单价(元/公里)：2.30", 10)],
                                         [("里程(公里)：2.9", 10)], [("实收金额(元)：15.00", 10)]])
    assert (got["code"], got["number"]) == ("144031666188", "26140737")
    assert (got["certificate_number"], got["unit_price"], got["distance"], got["total"]) == \
        ("637071", "2.30", "2.9", "15.00")


def test_labelled_boarding_and_alighting_keep_their_labels():
    # a misread digit (15:57 read 13:57) must not swap two values read under their labels
    got = _values(DocType.TAXI_INVOICE, [[("车号", 10), ("陕A-L1WT2", 60)], [("上车", 10), ("15:26", 60)],
                                         [("下车", 10), ("13:57", 60)]])
    assert (got["boarding_time"], got["alighting_time"]) == ("15:26", "13:57")


def test_a_ride_printed_as_one_time_range():
    got = _values(DocType.TAXI_INVOICE, [[("TAXI NO.", 10), ("沪B-12345", 120)], [("DATE", 10), ("2019-05-12", 120)],
                                         [("TIME", 10), ("10:05-10:30", 120)], [("服务时间 7:00-23:00", 10)]])
    assert (got["boarding_time"], got["alighting_time"]) == ("10:05", "10:30")
    assert got["taxi_number"] == "沪B-12345"


def test_quota_figures_win_over_words_and_bureau_titles_give_the_place():
    got = _values(DocType.QUOTA_INVOICE, [[("国家税务总局广东省税务局", 60)], [("通用定额发票", 80)],
                                          [("发票代码：144031991175", 10)], [("发票号码：05906501", 10)],
                                          [("人民币", 10), ("贰拾元整", 80), ("¥20.00", 300)]])
    assert got["amount"] == "￥20.00"
    assert got["location"] == "广东"
    words_only = _values(DocType.QUOTA_INVOICE, [[("深圳市地方税务局通用定额发票", 20)], [("人民币", 10), ("贰拾元整", 80)]])
    assert words_only["amount"] == "贰拾元整" and words_only["location"] == "深圳"
    # a rate printed near its label is no face value: the figures that spell the words are
    rate = _values(DocType.QUOTA_INVOICE, [[("北京市通用定额发票", 40)], [("金额：", 10), ("2元/小时", 80)],
                                           [("伍拾元", 60)], [("¥50.00", 80)]])
    assert rate["amount"] == "￥50.00"
    wrapped = _values(DocType.QUOTA_INVOICE, [[("杭州市地方税务局", 40)], [("有奖定额发票", 60)], [("¥5.00", 80)]])
    assert wrapped["location"] == "杭州"
    sealed = _values(DocType.QUOTA_INVOICE, [[("停车收费定额发票", 40)], [("青岛税务局", 60)], [("¥5.00", 80)]])
    assert sealed["location"] == "青岛"


def test_itinerary_agent_code_with_its_city_prefix():
    got = _values(DocType.FLIGHT_ITINERARY, [[("航空运输电子客票行程单", 200)],
                                             [("销售单位代号", 10), ("填开单位", 400)],
                                             [("CAN36908312345", 10), ("广州华信票务代理有限公司", 400)]])
    assert got["agent_code"] == "CAN36908312345"
    apart = _values(DocType.FLIGHT_ITINERARY, [[("航空运输电子客票行程单", 200)], [("销售单位代号", 10), ("填开单位", 400)],
                                               [("PEK", 10), ("12345678123", 70), ("北京华信票务代理有限公司", 400)]])
    assert apart["agent_code"] == "PEK12345678123"  # its letters read apart from its digits


def test_itinerary_rows_read_along_a_slant():
    # the row's words drift up to the right (a turned photo) more than the line clusters allow
    rows = [[("航空运输电子客票行程单", 200)], [("自", 10), ("至", 120), ("承运人", 230), ("航班号", 330)]]
    segment = [("西安", 10, 0), ("上海浦东", 120, -8), ("东航", 230, -16), ("MU9575", 330, -24), ("H", 440, -30),
               ("2024-06-14", 500, -38), ("10:30", 640, -46), ("20KG", 760, -54)]
    got = _values(DocType.FLIGHT_ITINERARY, rows + [segment, [("票价", 10), ("合计", 300)]], h=16)
    assert [(s["flight"], s["destination_station"], s["time"]) for s in got["itinerary_list"]] == \
        [("MU9575", "上海浦东", "10:30")]


#: localisation cuts this slip in two at its ``通行费(元)：`` line: packed.instance_count counts the
#: cue 通行费 twice (title and label) and 出口 twice (出口站, 出口时间), so it sees two receipts
SPLIT_AT_LABELS = pytest.mark.xfail(strict=True, reason="locate: a toll slip split at its 通行费 label")
NEW_VARIANTS = ["taxi_invoice/units", "taxi_invoice/pairs", "quota_invoice/national", "quota_invoice/bureau",
                pytest.param("toll_invoice/slip", marks=SPLIT_AT_LABELS), "toll_invoice/columns",
                "flight_itinerary/table"]


@pytest.mark.slow
@pytest.mark.parametrize("key", NEW_VARIANTS)
def test_new_tune_variants_read_from_a_jpeg(key, tmp_path):
    """Each new variant, drawn cleanly and written as JPEG, reads back mostly right."""
    import numpy as np
    from PIL import Image

    from ocrframe.datasets.synth import catalog  # noqa: F401
    from ocrframe.datasets.synth.layout import layout_named
    from ocrframe.datasets.synth.render import render_document
    from ocrframe.datasets.synth.values import make_values
    from ocrframe.engine.pipeline import recognize_array

    t = key.split("/")[0]
    lay = layout_named(key)
    assert not lay.heldout
    rng = random.Random(3)
    values = lay.values(make_values(t, rng), rng)
    img = render_document(t, values, rng, layout=lay, print_defects=0)[0]
    pad = np.full((img.shape[0] + 80, img.shape[1] + 80, 3), 120, np.uint8)
    pad[40:-40, 40:-40] = img
    path = tmp_path / "doc.jpg"
    Image.fromarray(pad).save(path, quality=90)
    out = recognize_array(np.asarray(Image.open(path).convert("RGB")))
    docs = [d for d in out["result"] if d["type"] == t]
    assert docs
    content = docs[0]["content"]
    keys = [k for k in values if not k.startswith("_") and isinstance(values[k], str)]
    right = sum(content.get(k) == values[k] for k in keys)
    assert right >= 0.8 * len(keys), {k: (values[k], content.get(k)) for k in keys}
