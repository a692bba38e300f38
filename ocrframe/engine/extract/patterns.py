"""Value patterns: what a field's value looks like, independent of where it is printed.

A :class:`Pattern` finds the values of one form in a piece of recognised text and says
how well each fits (``fit`` in (0, 1]: 1 for a value that passes every test its form
has, lower for a plausible but unchecked one). Values come back *as printed*: the
characters of the text the pattern matched, with OCR's spacing removed and the yuan sign
folded to ``￥``; nothing is reformatted into another convention.

The forms cover :class:`~ocrframe.types.FieldKind` as documents print it: dates in any
printed form (``2019-05-12``, ``2019年5月12日``, ``2019/05/12``, ``2019.05.12``), clock
times, money with ``￥`` / ``¥`` or a currency code (``CNY 1230.00``, ``YQ 20.00``) or
``元``, codes and numbers by length (check digits via python-stdnum where they exist),
number plates, quantities with units and Chinese words (names, stations).

Examples
--------
>>> [m.value for m in date().find("开票日期：2019年5月12日")]
['2019年5月12日']
>>> [(m.value, m.fit) for m in money().find("CNY 1,230.00")]
[('CNY 1,230.00', 1.0)]
>>> [m.value for m in digits(8).find("No 01234567")]
['01234567']

The machinery (:class:`Match`, :class:`Pattern`, :func:`any_of`) lives in
:mod:`~.pattern_base`, the codes and numbers in :mod:`~.pattern_codes`, dates, times and
money in :mod:`~.pattern_amounts`; every name stays importable from here.
"""

from __future__ import annotations

import re

from .pattern_amounts import _AMOUNT, _DATE, _currency, capital_amount, clock, date, money, quantity  # noqa: F401
from .pattern_base import (_AS_DIGITS, _LOOKALIKES, _YEN, CJK, CODE_MISFIT, CURRENCY_CODES, GROUP,  # noqa: F401
                           LOW_FIT, MISREAD_FIT, MISREAD_SPACING, NO_PROVINCE_FIT, UNGROUPED_FIT, Match, Pattern,
                           _squeeze, any_of)
from .pattern_codes import alnum, digits, id_number, passport_number, phone, plate, uscc  # noqa: F401

__all__ = ["Match", "Pattern", "any_of", "digits", "alnum", "phone", "passport_number", "date", "clock", "money", "quantity", "plate", "id_number", "uscc",
           "cjk", "text", "address", "bank_account", "capital_amount", "CJK", "LOW_FIT"]


# --- words -----------------------------------------------------------------------------------------

def cjk(lo: int = 2, hi: int = 20, *, must: str | None = None, end: str | None = None, extra: str = "",
        exclude: str | None = None) -> Pattern:
    """A run of Chinese characters (``lo``..``hi`` long): names, stations, places.

    Parameters
    ----------
    must : str, optional
        A regular expression the value must contain (``型|类`` for a vehicle class).
    end : str, optional
        A regular expression the value should end with (``站`` for a station): values that
        do not fit less well.
    extra : str
        More characters allowed inside the run (``·`` in names, digits in road numbers).
    exclude : str, optional
        A regular expression of words that are never such a value.

    Examples
    --------
    >>> [m.value for m in cjk(2, 4).find("旅客姓名 胡秀英")]
    ['旅客姓名', '胡秀英']
    >>> [(m.value, m.fit) for m in cjk(end="站").find("沪昆高速徐庄站")]
    [('沪昆高速徐庄站', 1.0)]
    """
    rx = rf"[{CJK}{extra}]{{{lo},{hi}}}(?![{CJK}{extra}])"
    rx = rf"(?<![{CJK}{extra}])" + rx

    def build(m: re.Match):
        v = m.group(0)
        if must and not re.search(must, v):
            return None
        if exclude and re.search(exclude, v):
            return None
        if not re.search(f"[{CJK}]", v):
            return None
        return v, (1.0 if end is None or re.search(f"(?:{end})$", v) else 0.6)

    return Pattern("cjk", rx, build)


_PHONE_TAIL = r"(?:0\d{2,3}-?\d{7,8}|1\d{10}|\d{7,8})"


def address() -> Pattern:
    """An address, usually followed by a telephone number (``地址、电话`` cells).

    Examples
    --------
    >>> [m.value for m in address().find("广东省广州市天河区复兴路331号 020-25023742")]
    ['广东省广州市天河区复兴路331号 020-25023742']
    """
    rx = rf"[{CJK}][{CJK}0-9A-Za-z()（）\-#·]{{3,}}(?:\s?{_PHONE_TAIL})?(?![\d-])"

    def build(m: re.Match):
        v = re.sub(r"\s+", " ", m.group(0))
        if not re.search(r"[省市区县镇乡路街道号弄村园楼室]", v):
            return None
        return v, (1.0 if re.search(_PHONE_TAIL + "$", v) else 0.8)

    return Pattern("address", rx, build, max_tokens=3)


def bank_account() -> Pattern:
    """A bank's name and an account number (``开户行及账号`` cells).

    Examples
    --------
    >>> [m.value for m in bank_account().find("中国银行广州越秀支行 8732784871153255")]
    ['中国银行广州越秀支行 8732784871153255']
    """
    rx = rf"[{CJK}()（）]{{2,}}?(?:银行|信用社|信用合作联社|支行|分行|营业部|分理处)[{CJK}()（）]*\s?\d{{8,25}}(?!\d)"
    return Pattern("bank_account", rx, lambda m: (re.sub(r"\s+", " ", m.group(0)), 1.0), max_tokens=3)


def text(min_len: int = 1) -> Pattern:
    """Any printed text (one whitespace-free run, or several with ``max_tokens``).

    Examples
    --------
    >>> [m.value for m in text().find("广州瑞丰国际旅行社有限公司")]
    ['广州瑞丰国际旅行社有限公司']
    """
    def build(m: re.Match):
        v = m.group(0).strip()
        return (v, 0.9) if len(v) >= min_len else None

    return Pattern("text", r"\S+", build)
