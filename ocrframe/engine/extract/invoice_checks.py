"""Cross-field validation of invoices, tickets and itineraries.

Every check compares values the document prints twice or that must agree (item amounts sum
to the 合计 row, tax = amount x rate, the Chinese capital amount spells the total, fare +
taxes = total), or tests one value's form (code / number lengths, a real and plausible
date, ID and VIN check digits). A failed check multiplies the confidence of every field
it involves by :data:`~ocrframe.engine.validate.FAIL_FACTOR` and is named in
``content["extra_info"]["checks_failed"]``; values are never changed.

Chinese capital amounts are parsed and spelled by ``ocrframe.normalize`` (``words_to_money``,
``money_to_words``), the same functions evaluation uses.

Examples
--------
>>> from decimal import Decimal
>>> words_amount_ok("壹佰肆拾玖元整", "￥149.00"), words_amount_ok("壹佰肆拾玖圆整", "149.50")
(True, False)
>>> money("CNY 1,240.00"), money("12.3km")
(Decimal('1240.00'), None)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ...normalize import money_to_words, words_to_money
from ...types import DocType
from ..validate import FAIL_FACTOR, id_number_ok, vin_ok
from .common import Field

__all__ = ["check", "money", "words_amount_ok", "date_ok", "run_checks", "repair_words", "repair_code"]

CENT = Decimal("0.01")


def money(s: str | None) -> Decimal | None:
    """The amount in a printed money string (``￥1,240.00``, ``CNY 950.00``, ``54.00元``);
    None when the string holds no plain amount (or carries another unit)."""
    if not s:
        return None
    t = re.sub(r"[\s,￥¥]|CNY|CN|YQ|RMB|元$", "", s)
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        return None
    try:
        return Decimal(t).quantize(CENT)
    except InvalidOperation:
        return None


def _words_value(words: str) -> Decimal | None:
    return words_to_money(words)


def words_amount_ok(words: str, amount: str) -> bool | None:
    """Does a Chinese capital amount (大写) spell ``amount``? None when either is unreadable."""
    a = money(amount)
    if a is None or not words:
        return None
    v = _words_value(words)
    if v is not None:
        return v == a
    return False  # the words could not be read as an amount


def date_ok(s: str, *, lo: int = 1990, hi_days: int = 400) -> bool | None:
    """A real calendar date between ``lo`` and about a year from now (``2019-05-12``,
    ``2019年05月12日``); None when no date can be read."""
    m = re.search(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", s or "")
    if not m:
        return None
    try:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return dt.date(lo, 1, 1) <= d <= dt.date.today() + dt.timedelta(days=hi_days)


def _length_ok(s: str, lengths: tuple[int, ...]) -> bool | None:
    if not s:
        return None
    return bool(re.fullmatch(r"\d+", s)) and len(s) in lengths


def _close(a: Decimal | None, b: Decimal | None, tol: Decimal = CENT) -> bool | None:
    if a is None or b is None:
        return None
    return abs(a - b) <= tol


def _sum(rows: list[dict], key: str) -> Decimal | None:
    vals = [money(r.get(key)) for r in rows]
    if not rows or any(v is None for v in vals):
        return None
    return sum(vals, Decimal(0))


def _item_checks(rows: list[dict], with_tax: bool) -> list[tuple[str, bool | None, tuple[str, ...]]]:
    out = []
    for i, r in enumerate(rows):
        q, p, a = money(r.get("quantity")), money(r.get("unit_price")), money(r.get("amount"))
        if q is not None and p is not None and a is not None:
            # the unit price is itself rounded: allow half a cent per unit
            out.append((f"item_list[{i}].amount = quantity x unit_price", _close(q * p, a, max(CENT, q * CENT / 2)),
                        ()))
        if with_tax:
            rate = re.fullmatch(r"(\d+(?:\.\d+)?)%", (r.get("tax_rate") or "").strip())
            t = money(r.get("tax"))
            if rate and a is not None and t is not None:
                out.append((f"item_list[{i}].tax = amount x tax_rate",
                            _close((a * Decimal(rate.group(1)) / 100).quantize(CENT), t), ()))
    return out


def run_checks(t: DocType, v: dict[str, str], extra: dict) -> list[tuple[str, bool | None, tuple[str, ...]]]:
    """Every applicable check of a document: ``(name, ok or None, fields involved)``."""
    c: list[tuple[str, bool | None, tuple[str, ...]]] = []
    g = v.get
    if t == DocType.VAT_INVOICE:
        items = extra.get("item_list") or []
        sa, st = _sum(items, "amount"), _sum(items, "tax")
        c.append(("subtotal_amount = sum(item_list.amount)", _close(sa, money(g("subtotal_amount"))), ("subtotal_amount",)))
        c.append(("subtotal_tax = sum(item_list.tax)", _close(st, money(g("subtotal_tax"))), ("subtotal_tax",)))
        a, b, tot = money(g("subtotal_amount")), money(g("subtotal_tax")), money(g("total"))
        c.append(("total = subtotal_amount + subtotal_tax", _close(a + b, tot) if a is not None and b is not None else None,
                  ("total", "subtotal_amount", "subtotal_tax")))
        c.append(("total_in_words spells total", words_amount_ok(g("total_in_words", ""), g("total", "")),
                  ("total_in_words", "total")))
        c += _item_checks(items, True)
        c.append(("code has 10 or 12 digits", _length_ok(g("code", ""), (10, 12)), ("code",)))
        c.append(("number has 8 digits", _length_ok(g("number", ""), (8,)), ("number",)))
        c.append(("check_code has 20 digits", (len(re.sub(r"\s", "", g("check_code"))) == 20) if g("check_code") else None,
                  ("check_code",)))
        c.append(("issue_date is a plausible date", date_ok(g("issue_date", "")), ("issue_date",)))
        for who in ("buyer_id", "seller_id"):
            c.append((f"{who} is a taxpayer id", _uscc_ok(g(who, "")), (who,)))
    elif t == DocType.VAT_ROLL_INVOICE:
        items = extra.get("item_list") or []
        c.append(("total = sum(item_list.amount)", _close(_sum(items, "amount"), money(g("total"))), ("total",)))
        c.append(("total_in_words spells total", words_amount_ok(g("total_in_words", ""), g("total", "")),
                  ("total_in_words", "total")))
        c += _item_checks(items, False)
        c.append(("code has 10 or 12 digits", _length_ok(g("code", ""), (10, 12)), ("code",)))
        c.append(("number has 8 digits", _length_ok(g("number", ""), (8,)), ("number",)))
        c.append(("check_code has 20 digits", _length_ok(g("check_code", ""), (20,)), ("check_code",)))
        c.append(("issue_date is a plausible date", date_ok(g("issue_date", "")), ("issue_date",)))
        for who in ("buyer_id", "seller_id"):
            c.append((f"{who} is a taxpayer id", _uscc_ok(g(who, "")), (who,)))
    elif t == DocType.MVS_INVOICE:
        ex, tax, tot = money(g("tax_exclusive_price")), money(g("tax")), money(g("total"))
        c.append(("total = tax_exclusive_price + tax", _close(ex + tax, tot) if ex is not None and tax is not None else None,
                  ("total", "tax", "tax_exclusive_price")))
        rate = re.fullmatch(r"(\d+(?:\.\d+)?)%", g("tax_rate", ""))
        if rate and ex is not None and tax is not None:
            c.append(("tax = tax_exclusive_price x tax_rate",
                      _close((ex * Decimal(rate.group(1)) / 100).quantize(CENT), tax, Decimal("0.02")),
                      ("tax", "tax_rate", "tax_exclusive_price")))
        c.append(("total_chinese spells total", words_amount_ok(g("total_chinese", ""), g("total", "")),
                  ("total_chinese", "total")))
        c.append(("code has 10 or 12 digits", _length_ok(g("code", ""), (10, 12)), ("code",)))
        c.append(("number has 8 digits", _length_ok(g("number", ""), (8,)), ("number",)))
        c.append(("issue_date is a plausible date", date_ok(g("issue_date", "")), ("issue_date",)))
        c.append(("vehicle_identification_number check digit", vin_ok(g("vehicle_identification_number", "")),
                  ("vehicle_identification_number",)))
        bid = g("buyer_id", "")
        c.append(("buyer_id check digit", id_number_ok(bid) if len(bid) == 18 and bid[:1] != "9" else None, ("buyer_id",)))
        c.append(("seller_id is a taxpayer id", _uscc_ok(g("seller_id", "")), ("seller_id",)))
    elif t == DocType.FLIGHT_ITINERARY:
        parts = [money(g(k)) for k in ("fare", "caac_development_fund", "fuel_surcharge", "other_taxes")]
        tot = money(g("total"))
        c.append(("total = fare + caac_development_fund + fuel_surcharge + other_taxes",
                  _close(sum(parts, Decimal(0)), tot) if all(p is not None for p in parts) else None,
                  ("total", "fare", "caac_development_fund", "fuel_surcharge", "other_taxes")))
        c.append(("id_number check digit", id_number_ok(g("id_number", "")), ("id_number",)))
        c.append(("issue_date is a plausible date", date_ok(g("issue_date", "")), ("issue_date",)))
        c.append(("e_ticket_number has 13 digits", _length_ok(g("e_ticket_number", ""), (13,)), ("e_ticket_number",)))
    elif t == DocType.TAXI_INVOICE:
        c.append(("code has 12 digits", _length_ok(g("code", ""), (12,)), ("code",)))
        c.append(("number has 8 digits", _length_ok(g("number", ""), (8,)), ("number",)))
        c.append(("date is a plausible date", date_ok(g("date", "")), ("date",)))
        for k in ("boarding_time", "alighting_time"):
            c.append((f"{k} is a clock time", _clock_ok(g(k, "")), (k,)))
    elif t in (DocType.QUOTA_INVOICE, DocType.TOLL_INVOICE):
        c.append(("code has 12 digits", _length_ok(g("code", ""), (12,)), ("code",)))
        c.append(("number has 8 digits", _length_ok(g("number", ""), (8,)), ("number",)))
        if t == DocType.TOLL_INVOICE:
            c.append(("date is a plausible date", date_ok(g("date", "")), ("date",)))
            c.append(("time is a clock time", _clock_ok(g("time", "")), ("time",)))
    elif t == DocType.TRAIN_TICKET:
        c.append(("departure_time is a plausible date", date_ok(g("departure_time", "")), ("departure_time",)))
    return c


def _clock_ok(s: str) -> bool | None:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", s or "")
    if not m:
        return None if not s else False
    return int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3) or 0) < 60


def _uscc_ok(s: str) -> bool | None:
    """Unified social credit code (18 characters, GB 32100 check character)."""
    if not re.fullmatch(r"[0-9A-Z]{18}", s or ""):
        return None
    from stdnum.cn import uscc

    return uscc.is_valid(s)


_CAPITAL = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整")


def repair_words(words: str, amount: str) -> tuple[str, str] | None:
    """A capital amount with one character misread (outside the capital alphabet, e.g. 圆
    read as 题) where the total, spelled out, has the same length and differs only there:
    ``(repaired, note)``; None when there is nothing this safe to repair.

    Examples
    --------
    >>> repair_words("叁拾柒万伍仟题整", "￥375000.00")
    ('叁拾柒万伍仟圆整', "'题' read where the total's capital amount has '圆'")
    >>> repair_words("叁拾柒万伍仟肆整", "￥375000.00") is None  # a capital digit: not a misread
    True
    """
    a = money(amount)
    if a is None or not words or words_amount_ok(words, amount) is not False:
        return None
    for yuan in ("圆", "元"):
        w = money_to_words(a, yuan=yuan, whole_after_jiao=False)
        if len(w) != len(words):
            continue
        diff = [i for i, (x, y) in enumerate(zip(words, w)) if x != y]
        if len(diff) == 1 and words[diff[0]] not in _CAPITAL:
            i = diff[0]
            return w, f"'{words[i]}' read where the total's capital amount has '{w[i]}'"
    return None


_LOOKALIKE = str.maketrans({"I": "1", "O": "0"})


def repair_code(value: str, kind: str) -> tuple[str, str] | None:
    """A taxpayer id (USCC) or VIN holding a letter its alphabet excludes (``I``, ``O``) that
    reads as a digit, when the digit version passes the check digit: ``(repaired, note)``.

    Examples
    --------
    >>> repair_code("91440305TNIWRU3CP3", "uscc")
    ('91440305TN1WRU3CP3', 'I/O read for 1/0 (check digit agrees)')
    >>> repair_code("91440305TN1WRU3CP3", "uscc") is None
    True
    """
    if not value or not re.search(r"[IO]", value):
        return None
    fixed = value.translate(_LOOKALIKE)
    ok = _uscc_ok(fixed) if kind == "uscc" else vin_ok(fixed)
    return (fixed, "I/O read for 1/0 (check digit agrees)") if ok else None


def check(t: DocType, fields: dict[str, Field], extra: dict) -> tuple[dict[str, Field], dict]:
    """Run the checks of a document; lower the confidence of the fields a failed check
    involves and name the failed checks in ``extra["extra_info"]["checks_failed"]``.

    The one repair made: a capital amount with a single character outside the capital
    alphabet, which the total spelled out explains (:func:`repair_words`); it is named in
    ``extra["extra_info"]["repaired"]`` and its confidence lowered."""
    fields = dict(fields)
    repaired = []
    for wk, tk in (("total_in_words", "total"), ("total_chinese", "total")):
        if wk in fields and tk in fields:
            r = repair_words(fields[wk].value, fields[tk].value)
            if r is not None:
                fields[wk] = Field(r[0], 0.8 * min(fields[wk].confidence, fields[tk].confidence))
                repaired.append(f"{wk}: {r[1]}")
    for k, kind in (("buyer_id", "uscc"), ("seller_id", "uscc"), ("vehicle_identification_number", "vin")):
        if k in fields and not (k == "buyer_id" and t == DocType.MVS_INVOICE):
            r = repair_code(fields[k].value, kind)
            if r is not None:
                fields[k] = Field(r[0], 0.8 * fields[k].confidence)
                repaired.append(f"{k}: {r[1]}")
    values = {k: f.value for k, f in fields.items()}
    failed = []
    out = dict(fields)
    extra = dict(extra)
    for k, v2 in (extra.pop("_twice", None) or {}).items():
        if k in values and values[k] != v2:
            failed.append(f"{k} printed twice reads differently ({values[k]} / {v2})")
            out[k] = Field(out[k].value, out[k].confidence * FAIL_FACTOR)
    for name, ok, involved in run_checks(t, values, extra):
        if ok is False:
            failed.append(name)
            for k in involved:
                if k in out:
                    out[k] = Field(out[k].value, out[k].confidence * FAIL_FACTOR)
    if failed or repaired:
        info = dict(extra.get("extra_info") or {})
        if failed:
            info["checks_failed"] = "; ".join(failed)
        if repaired:
            info["repaired"] = "; ".join(repaired)
        extra["extra_info"] = info
    return out, extra
