"""Value normalisers: examples per kind and round-trip properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocrframe import normalize as n
from ocrframe.types import FieldKind


@pytest.mark.parametrize("raw", ["2024-01-05", "2024/1/5", "2024.01.05", "2024年1月5日", "2024 年 01 月 05 日",
                                 "20240105", "二〇二四年一月五日", "05 JAN 2024", "05 1月/JAN 2024", "２０２４－０１－０５"])
def test_dates(raw):
    assert n.normalize_date(raw) == "2024-01-05"


@pytest.mark.parametrize("raw,expected", [("长期", "长期"), ("2024-13-01", "2024-13-01"), ("", ""), (None, "")])
def test_dates_that_are_not_dates_fall_back_to_text(raw, expected):
    assert n.normalize_date(raw) == expected


@pytest.mark.parametrize("raw", ["￥1,234.50", "¥1234.5", "1234.50元", "1234.5", "RMB 1,234.50", "￥１２３４.５０",
                                 "人民币1234.50元", "壹仟贰佰叁拾肆元伍角整"])
def test_money(raw):
    assert n.normalize_money(raw) == "1234.50"


def test_money_edge_cases():
    assert n.normalize_money("-￥50") == "-50.00"
    assert n.normalize_money("3.33333") == "3.33333"
    assert n.normalize_money("免费") == "免费"
    assert n.parse_decimal("1e5") is None  # exponents are not how amounts are printed


@pytest.mark.parametrize("words,amount", [
    ("壹仟贰佰叁拾肆元伍角整", "1234.50"), ("壹佰元整", "100.00"), ("壹仟零贰元零伍分", "1002.05"),
    ("叁角整", "0.30"), ("壹拾元整", "10.00"), ("拾元整", "10.00"), ("壹万零贰拾元整", "10020.00"),
    ("壹亿贰仟万元整", "120000000.00"), ("⊗伍拾元整", "50.00"), ("负壹元整", "-1.00"), ("零元整", "0.00"),
    ("壹佰万元整", "1000000.00"), ("壹拾万零壹元整", "100001.00"), ("伍元陆角柒分", "5.67"), ("伍圆整", "5.00"),
])
def test_money_words_both_directions(words, amount):
    assert n.words_to_money(words) == Decimal(amount)
    assert n.normalize_money_words(words) == amount
    canon = n.money_to_words(amount)
    assert n.words_to_money(canon) == Decimal(amount)


def test_money_to_words_canonical_forms():
    assert n.money_to_words("1234.5") == "壹仟贰佰叁拾肆元伍角整"
    assert n.money_to_words(Decimal("100000001")) == "壹亿零壹元整"
    assert n.money_to_words("10010") == "壹万零壹拾元整"
    assert n.money_to_words("0.05") == "伍分"
    with pytest.raises(ValueError, match="not an amount"):
        n.money_to_words("abc")


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**13, 10**13))
def test_money_words_round_trip(fen):
    d = Decimal(fen) / 100
    words = n.money_to_words(d)
    assert n.words_to_money(words) == d.quantize(Decimal("0.01"))
    assert n.normalize_money_words(words) == n.normalize_money(str(d))


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}年{m}月{d}日",
                        "{y}{m:02d}{d:02d}", "{d:02d} {mon} {y}"]))
def test_date_formats_round_trip(date, fmt):
    mon = date.strftime("%b").upper()
    s = fmt.format(y=date.year, m=date.month, d=date.day, mon=mon)
    assert n.normalize_date(s) == date.isoformat()
    assert n.normalize_date(n.normalize_date(s)) == date.isoformat()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_normalisers_are_total_and_idempotent(s):
    for kind in FieldKind:
        once = n.normalize(s, kind)
        assert isinstance(once, str)
        if kind in (FieldKind.TEXT, FieldKind.CODE, FieldKind.DATE):
            assert n.normalize(once, kind) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20))
def test_full_width_folds_to_half_width(s):
    full = "".join(chr(ord(c) + 0xFEE0) for c in s)
    assert n.fold_width(full) == s
    assert n.normalize_code(full) == n.normalize_code(s)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["￥{}", "¥{}", "{}元", "{}", "RMB {}"]), st.booleans())
def test_money_formats_round_trip(d, fmt, commas):
    body = f"{d:,.2f}" if commas else f"{d:.2f}"
    if body.startswith("-") and fmt != "{}":
        return
    assert n.normalize_money(fmt.format(body)) == f"{d:.2f}"


def test_code_time_rate_number_text():
    assert n.normalize_code("ab-12 34/x") == "AB1234X"
    assert n.normalize_time("8:05") == "08:05"
    assert n.normalize_time("08：05") == "08:05"
    assert n.normalize_time("25:00") == "25:00"  # not a time: text fallback
    assert n.normalize_rate("13%") == n.normalize_rate("0.13") == n.normalize_rate("13") == "0.13"
    assert n.normalize_rate("6 %") == "0.06"
    assert n.normalize_rate("0%") == "0"
    assert n.normalize_number("1,500.00") == "1500"
    assert n.normalize_number("1500KG") == "1500kg"
    assert n.normalize_text("  北京市　朝阳区 ") == "北京市朝阳区"
    assert n.normalize_text("Zhang  San") == "Zhang San"


def test_dispatch_by_registry_and_kind_validation():
    assert n.normalize_field("2024/1/5", "vat_invoice", "issue_date") == "2024-01-05"
    assert n.normalize_field("￥3.0", "vat_invoice", "item_list.0.amount") == "3.00"
    assert n.normalize_field("叁元整", "vat_invoice", "total_in_words") == "3.00"
    assert n.normalize_field(" x ", "vat_invoice", "not_a_core_field") == "x"
    with pytest.raises(ValueError, match="kind='colour'"):
        n.normalize("x", "colour")


def test_normalize_many_matches_scalar_calls():
    vals = ["￥1.50", "2024年1月5日", None, "￥1.50", "13%", "ａｂ"]
    kinds = ["money", "date", "text", "money", FieldKind.RATE, "code"]
    out = n.normalize_many(vals, kinds)
    assert out.tolist() == [n.normalize(v, k) for v, k in zip(vals, kinds)]
    assert isinstance(out, np.ndarray)
    with pytest.raises(ValueError, match="2 values but 1 kinds"):
        n.normalize_many(["a", "b"], ["text"])
