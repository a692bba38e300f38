"""Bank card: bank name, card number (Luhn-checked), dates, card type."""

from __future__ import annotations

import re

from ...types import DocType
from .common import DocText, Field
from .numbers import find_card_number

_TYPES = (("准贷记卡", "准贷记卡"), ("贷记卡", "贷记卡"), ("信用卡", "信用卡"), ("借记卡", "借记卡"), ("储蓄卡", "借记卡"),
          ("CREDIT", "信用卡"), ("DEBIT", "借记卡"))


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a bank card; the card number is the best 13-19 digit run (Luhn-valid,
    longest, grouped first: :func:`~.numbers.find_card_number`), kept with its printed
    grouping (``6227 0090 4349 1589 085``)."""
    f: dict[str, Field] = {}
    num = find_card_number(doc)
    if num is not None:
        f["card_number"] = num
    for r in doc.rows:
        m = re.search(r"([\u4e00-\u9fff]{2,12}银行)", r.text.replace(" ", ""))
        if m:
            f["bank_name"] = Field(m.group(1), r.score)
            break
    date = r"((?:0[1-9]|1[0-2])\s*/\s*\d{2,4})"
    for r in doc.rows:
        t = r.text.upper()
        m = re.search(r"(?:GOOD\s*THRU|VALID\s*THRU|EXPIRES|有效期)\D{0,6}" + date, t)
        if m and "expiry_date" not in f:
            f["expiry_date"] = Field(m.group(1).replace(" ", ""), r.score)
        m = re.search(r"(?:VALID\s*FROM|MEMBER\s*SINCE|发卡日期)\D{0,6}" + date, t)
        if m and "issue_date" not in f:
            f["issue_date"] = Field(m.group(1).replace(" ", ""), r.score)
    if "expiry_date" not in f or "issue_date" not in f:
        dates = []
        for r in doc.rows:
            for p in r.pieces:
                for m in re.finditer(r"(?<![\d/])" + date + r"(?![\d/])", p.text):
                    dates.append((p.x0, m.group(1).replace(" ", ""), p.score, r.y))
        dates.sort(key=lambda d: (round(d[3] / 20), d[0]))
        if len(dates) >= 2:
            f.setdefault("issue_date", Field(dates[0][1], 0.8 * dates[0][2]))
            f.setdefault("expiry_date", Field(dates[1][1], 0.8 * dates[1][2]))
        elif len(dates) == 1:
            f.setdefault("expiry_date", Field(dates[0][1], 0.6 * dates[0][2]))
    for key, val in _TYPES:
        hit = next((r for r in doc.rows if key in r.text.upper().replace(" ", "")), None)
        if hit is not None:
            f["type"] = Field(val, hit.score)
            break
    return f, {}


EXTRACTORS = {DocType.BANKCARD: extract}
