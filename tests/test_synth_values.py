"""Generated values: every core field present, check digits and sums consistent."""

import random
import re
from decimal import Decimal

import pytest
from stdnum import luhn as stdnum_luhn
from stdnum.cn import ric, uscc

from ocrframe.datasets.synth.checks import luhn_is_valid, money_in_words, mrz_check_digit, vin_is_valid
from ocrframe.datasets.synth.values import BANKS, GENERATORS, make_values, public_content
from ocrframe.types import NEWER_TYPES, ORIGINAL_TYPES, DocType, schema

SEEDS = range(25)


def _many(t):
    return [make_values(t, random.Random(s)) for s in SEEDS]


def _money(s: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.]", "", s))


def test_every_type_has_a_generator():
    assert set(ORIGINAL_TYPES) | set(NEWER_TYPES) == set(GENERATORS)


@pytest.mark.parametrize("t", list(GENERATORS), ids=lambda t: t.value)
def test_every_core_field_is_a_string(t):
    sch = schema(t)
    for v in map(public_content, _many(t)):
        for f in sch.field_names:
            assert f in v, f"{t.value} misses {f}"
            assert isinstance(v[f], str) and v[f].strip(), f"{t.value}.{f} is empty"
        for lst in sch.lists:
            assert isinstance(v[lst.name], list) and v[lst.name], f"{t.value}.{lst.name} has no rows"
            for row in v[lst.name]:
                assert set(lst.field_names) <= set(row), f"{t.value}.{lst.name} row misses fields"
                assert all(isinstance(x, str) for x in row.values())
        assert not any(k.startswith("_") for k in v)


def test_generation_is_deterministic():
    for t in ORIGINAL_TYPES:
        assert make_values(t, random.Random(3)) == make_values(t, random.Random(3))


def test_id_numbers_are_valid_and_hold_the_birth_date():
    for v in _many(DocType.ID_CARD_PORTRAIT_SIDE):
        assert ric.is_valid(v["number"])
        y, m, d = (int(x) for x in re.findall(r"\d+", v["birth"]))
        assert v["number"][6:14] == f"{y:04d}{m:02d}{d:02d}"
        assert (int(v["number"][16]) % 2 == 1) == (v["sex"] == "男")
    for v in _many(DocType.DRIVER_LICENSE_FRONT):
        assert ric.is_valid(v["number"])
        assert v["number"][6:14] == v["birth"].replace("-", "")
    for t, key in [(DocType.MVS_INVOICE, "buyer_id"), (DocType.FLIGHT_ITINERARY, "id_number"),
                   (DocType.DRIVER_LICENSE_BACK, "number")]:
        for v in _many(t):
            assert ric.is_valid(v[key]), (t, v[key])


def test_bank_cards_pass_luhn_and_match_their_bank():
    prefixes = {name: debit[0] + credit[0] for name, debit, credit in BANKS}
    for v in _many(DocType.BANKCARD):
        digits = v["card_number"].replace(" ", "")
        assert luhn_is_valid(digits) and len(digits) in (16, 19)
        assert stdnum_luhn.is_valid(digits)
        assert any(digits.startswith(p) for p in prefixes[v["bank_name"]])
        assert v["type"] in ("借记卡", "贷记卡")


def test_vins_carry_a_valid_check_digit():
    for v in _many(DocType.VEHICLE_LICENSE_FRONT):
        assert vin_is_valid(v["vin"])
    for v in _many(DocType.MVS_INVOICE):
        assert vin_is_valid(v["vehicle_identification_number"])
    assert not vin_is_valid("LSVAU2180N2183294")


def test_passport_mrz_check_digits_with_the_mrz_package():
    from mrz.checker.td3 import TD3CodeChecker

    for v in _many(DocType.PASSPORT):
        l1, l2 = v["extra_info"]["machine_code1"], v["extra_info"]["machine_code2"]
        assert len(l1) == len(l2) == 44
        assert bool(TD3CodeChecker(l1 + "\n" + l2)), (l1, l2)
        assert l2[:9] == v["passport_number"] and l2[9] == mrz_check_digit(v["passport_number"])
        assert v["surname"] in l1 and v["given_name"] in l1


def test_vat_invoice_sums_tax_and_words():
    for v in _many(DocType.VAT_INVOICE):
        items = v["item_list"]
        amount = sum(Decimal(r["amount"]) for r in items)
        tax = sum(Decimal(r["tax"]) for r in items)
        assert _money(v["subtotal_amount"]) == amount and _money(v["subtotal_tax"]) == tax
        assert _money(v["total"]) == amount + tax
        assert v["total"].startswith("￥")
        assert v["total_in_words"] == money_in_words(_money(v["total"]))
        for r in items:
            rate = Decimal(r["tax_rate"].rstrip("%")) / 100
            assert Decimal(r["tax"]) == (Decimal(r["amount"]) * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
            assert Decimal(r["amount"]) == (Decimal(r["unit_price"]) * Decimal(r["quantity"])).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert len(v["code"]) in (10, 12) and v["code"].isdigit()
        assert len(v["number"]) == 8 and v["number"].isdigit()
        assert len(v["check_code"].replace(" ", "")) == 20
        assert len(v["machine_number"]) == 12
        assert uscc.is_valid(v["buyer_id"]) and uscc.is_valid(v["seller_id"])


def test_roll_and_mvs_invoice_totals():
    for v in _many(DocType.VAT_ROLL_INVOICE):
        assert _money(v["total"]) == sum(Decimal(r["amount"]) for r in v["item_list"])
        assert v["total_in_words"] == money_in_words(_money(v["total"]), yuan="元")
        assert len(v["code"]) == 12 and len(v["number"]) == 8 and len(v["check_code"]) == 20
    for v in _many(DocType.MVS_INVOICE):
        assert _money(v["tax"]) + _money(v["tax_exclusive_price"]) == _money(v["total"])
        assert _money(v["tax"]) == (_money(v["tax_exclusive_price"]) * Decimal("0.13")).quantize(Decimal("0.01")) \
            or abs(_money(v["tax"]) - _money(v["tax_exclusive_price"]) * Decimal("0.13")) < Decimal("0.02")
        assert v["total_chinese"] == money_in_words(_money(v["total"]))


def test_ride_hailing_total_and_machine_printed_words():
    for v in _many(DocType.RIDE_HAILING_ITINERARY):
        assert Decimal(v["total"]) == sum(Decimal(r["amount"]) for r in v["itinerary_list"])
    for v in _many(DocType.MACHINE_PRINTED_INVOICE):
        assert v["total_in_words"] == money_in_words(_money(v["total"]), yuan="元")


def test_flight_total_is_the_sum_of_its_parts():
    for v in _many(DocType.FLIGHT_ITINERARY):
        parts = sum(_money(v[k]) for k in ("fare", "caac_development_fund", "fuel_surcharge", "other_taxes"))
        assert _money(v["total"]) == parts
        assert len(v["e_ticket_number"]) == 13


@pytest.mark.parametrize("amount,words", [
    ("1395.05", "壹仟叁佰玖拾伍圆零伍分"), ("100", "壹佰圆整"), ("10010", "壹万零壹拾圆整"),
    ("20300", "贰万零叁佰圆整"), ("100010000", "壹亿零壹万圆整"), ("0.07", "柒分"), ("1010.10", "壹仟零壹拾圆壹角"),
])
def test_money_in_words(amount, words):
    assert money_in_words(amount) == words
