"""Bank card: bank name, card number (Luhn-checked), dates, card type."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import adjust, card_number_ok
from .common import DocText, Field

_TYPES = (("准贷记卡", "准贷记卡"), ("贷记卡", "贷记卡"), ("信用卡", "信用卡"), ("借记卡", "借记卡"), ("储蓄卡", "借记卡"),
          ("CREDIT", "信用卡"), ("DEBIT", "借记卡"))


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a bank card; the longest Luhn-valid digit run is the card number."""
    f: dict[str, Field] = {}
    best = None
    for r in doc.rows:
        for piece in [r.text] + [p.text for p in r.pieces]:
            t = piece.replace("O", "0").replace("o", "0")
            for m in re.finditer(r"(?<!\d)(\d[\d ]{11,24}\d)(?!\d)", t):
                digits = m.group(1).replace(" ", "")
                if not 13 <= len(digits) <= 19:
                    continue
                ok = card_number_ok(digits)
                key = (ok is True, len(digits))
                if best is None or key > best[0]:
                    best = (key, Field(digits, adjust(r.score, ok)))
    if best:
        f["card_number"] = best[1]
    for r in doc.rows:
        m = re.search(r"([\u4e00-\u9fff]{2,12}银行)", r.text.replace(" ", ""))
        if m:
            f["bank_name"] = Field(m.group(1), r.score)
            break
    for r in doc.rows:
        t = r.text.upper()
        m = re.search(r"(?:VALID\s*THRU|GOOD\s*THRU|EXPIRES|有效期)\D{0,6}(\d{2}\s*/\s*\d{2,4})", t)
        if m:
            f["expiry_date"] = Field(m.group(1).replace(" ", ""), r.score)
            break
    if "expiry_date" not in f:
        for r in doc.rows:
            m = re.search(r"(?<!\d)((?:0[1-9]|1[0-2])/\d{2})(?!\d)", r.text)
            if m:
                f["expiry_date"] = Field(m.group(1), 0.7 * r.score)
                break
    for r in doc.rows:
        m = re.search(r"(?:VALID\s*FROM|MEMBER\s*SINCE|发卡日期)\D{0,6}(\d{2}\s*/\s*\d{2,4})", r.text.upper())
        if m:
            f["issue_date"] = Field(m.group(1).replace(" ", ""), r.score)
            break
    for key, val in _TYPES:
        hit = next((r for r in doc.rows if key in r.text.upper().replace(" ", "")), None)
        if hit is not None:
            f["type"] = Field(val, hit.score)
            break
    return f, {}


EXTRACTORS = {DocType.BANKCARD: extract}
