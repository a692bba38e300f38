"""Value patterns: every printed form of a date, time, amount or code is found in text
around it and parses back to what was printed (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ocrframe.engine.extract.patterns import (LOW_FIT, clock, date, digits, id_number, money, plate, quantity,
                                              uscc)
from ocrframe.normalize import normalize_date, normalize_money, normalize_time

_JUNK = st.text(alphabet="日期金额：: 发票号码", max_size=6)
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
_FORMS = st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}日", "{y}/{m:02d}/{d:02d}",
                          "{y}.{m}.{d}", "{y}{m:02d}{d:02d}", "{y} - {m:02d} - {d:02d}"])


@settings(max_examples=100, deadline=None)
@given(_DATES, _FORMS, _JUNK)
def test_dates_in_any_printed_form_round_trip(d, form, before):
    printed = form.format(y=d.year, m=d.month, d=d.day)
    found = date().find(before + " " + printed + " ")
    assert [m.fit for m in found] == [1.0]
    assert normalize_date(found[0].value) == d.isoformat()


def test_impossible_date_fits_poorly():
    assert date().find("2019-02-30")[0].fit == LOW_FIT


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 23), st.integers(0, 59), st.one_of(st.none(), st.integers(0, 59)),
       st.sampled_from([":", "：", "时"]))
def test_clock_times_round_trip(h, m, s, sep):
    printed = f"{h}{sep}{m:02d}" + ("" if s is None else (f":{s:02d}" if sep != "时" else f"分{s:02d}秒"))
    found = clock().find("上车 " + printed)
    assert len(found) == 1
    want = f"{h:02d}:{m:02d}" + ("" if s is None else f":{s:02d}")
    assert normalize_time(found[0].value) == want
    assert (clock(seconds=True).find(printed) != []) == (s is not None)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from(["", "￥", "¥", "CNY ", "CN", "YQ ", "Y"]),
       st.sampled_from(["", "元"]), st.booleans(), _JUNK)
def test_money_round_trips(cents, prefix, unit, thousands, before):
    amount = Decimal(cents) / 100
    body = f"{amount:,.2f}" if thousands else f"{amount:.2f}"
    found = money().find(before + " " + prefix + body + unit)
    assert len(found) == 1
    v = found[0].value
    assert normalize_money(v.split(" ")[-1] if prefix.strip() in ("CNY", "CN", "YQ") else v) == f"{amount:.2f}"
    if prefix.strip() in ("CNY", "CN", "YQ"):
        assert v.startswith(prefix.strip() + " ")
    elif prefix:
        assert v.startswith("￥")  # the sign is printed (and OCR's Y read as it)


@settings(max_examples=100, deadline=None)
@given(st.integers(8, 20), st.data())
def test_codes_by_length(n, data):
    code = data.draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    other = data.draw(st.sampled_from([k for k in (8, 10, 12, 20) if k != n]))
    text = f"发票号码：{code} 另 {'7' * other}"
    assert [m.value for m in digits(n).find(text)] == [code]
    assert digits(n).find(code + "5") == []  # never a piece of a longer number


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=20, max_size=20))
def test_grouped_check_code(code):
    spaced = " ".join(code[i:i + 5] for i in range(0, 20, 5))
    found = digits(20, grouped=True).find("校验码：" + spaced)
    assert [(m.value, m.fit) for m in found] == [(spaced, 1.0)]
    assert digits(20, grouped=True).find(code)[0].fit < 1.0  # one run: maybe another number


def test_checked_numbers():
    assert id_number().find("11010519491231002X")[0].fit == 1.0
    assert id_number().find("110105194912310021")[0].fit == LOW_FIT
    assert uscc().find("91440305TN1WRU3CP3")[0].fit == 1.0
    assert uscc().find("91440305TN1WRU3CP4")[0].fit < 1.0


def test_plates_and_quantities():
    assert [m.value for m in plate().find("车号：沪A-VXKPN 京B·12345 粤BD12345")] == ["沪A-VXKPN", "京B·12345",
                                                                                   "粤BD12345"]
    assert [m.value for m in quantity(r"km|公里").find("里程 12.4 km 3公里")] == ["12.4km", "3公里"]


def test_currency_code_read_with_one_letter_wrong():
    assert [m.value for m in money().find("CHY 1530.00 ON 50.00 AB 7.00")] == ["CNY 1530.00", "CN 50.00", "7.00"]
    assert money().find("CHY 1530.00")[0].fit < 1.0
