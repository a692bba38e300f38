"""Field vocabularies the invoice types share: the header's code, number, date, check code
and machine number, and the shaping of printed amounts.

Every Chinese invoice prints its code (10 or 12 digits) and number (8 digits; 20 on a
fully digital invoice, 全电发票) near the top, under labels that vary by form and era
(``发票代码`` / ``票据代码`` / ``代码``, ``发票号码`` / ``No.``). The codes are distinctive
enough to be taken without a label in the header zone.

Examples
--------
>>> [f.name for f in header(number=(8, 20))]
['code', 'number', 'issue_date', 'check_code', 'machine_number']
>>> yuan("44.00"), yuan("￥44.00"), yuan("54.00元")
('￥44.00', '￥44.00', '54.00元')
"""

from __future__ import annotations

import re

from .patterns import date, digits
from .vocab import FieldVocab

__all__ = ["header", "yuan", "code_field", "number_field", "HEADER_ZONE", "CODE_LABELS", "NUMBER_LABELS"]

#: the header: the top share of a document's text where codes are printed
HEADER_ZONE = (0.0, 0.4)

CODE_LABELS = ("发票代码", "票据代码", "发票代号", "代码", "INVOICE CODE", "CODE")
NUMBER_LABELS = ("发票号码", "票据号码", "发票号", "号码", "INVOICE NO.", "INVOICE NUMBER", "NO.", "NO", "№")
DATE_LABELS = ("开票日期", "填开日期", "开具日期", "日期", "DATE OF ISSUE", "DATE")


def yuan(v: str) -> str:
    """An amount shown with the yuan sign in front, as these forms print it, unless it
    carries another unit or a currency code (``54.00元``, ``CNY 5.00``): the sign OCR
    often drops is put back.

    Examples
    --------
    >>> yuan("1,240.00")
    '￥1,240.00'
    """
    v = v.replace(" ", "").replace("¥", "￥") if not re.match(r"[A-Z]{2,3}\s", v) else v
    if v.startswith("￥") or v.endswith(("元", "圆")) or re.match(r"[A-Z]{2,3}\s", v) or not re.search(r"\d", v):
        return v  # signed, with its unit or code, or in words
    return "￥" + v


def code_field(lengths=(10, 12), name: str = "code", labels=CODE_LABELS) -> FieldVocab:
    """An invoice code: 10 or 12 digits, under its label or alone in the header."""
    return FieldVocab(name, labels, digits(*lengths), fallback=True, zone=HEADER_ZONE)


def number_field(lengths=(8,), name: str = "number", labels=NUMBER_LABELS) -> FieldVocab:
    """An invoice number: 8 digits (20 on a fully digital invoice); alone in the header
    only when its length is distinctive (20 digits)."""
    return FieldVocab(name, labels, digits(*lengths), fallback=max(lengths) >= 20, zone=HEADER_ZONE)


def header(*, number=(8,), check_grouped: bool = True, machine: bool = True, check: bool = True,
           date_labels=DATE_LABELS) -> tuple[FieldVocab, ...]:
    """The header fields of a VAT-style invoice."""
    out = [code_field(), number_field(number),
           FieldVocab("issue_date", date_labels, date(), fallback=True)]
    if check:
        out.append(FieldVocab("check_code", ("校验码", "校 验 码", "CHECK CODE"), digits(20, grouped=check_grouped),
                              fallback=True))
    if machine:
        out.append(FieldVocab("machine_number", ("机器编号", "机器编码", "机器号码", "MACHINE NO."), digits(12)))
    return tuple(out)
