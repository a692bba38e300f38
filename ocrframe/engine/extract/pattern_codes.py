"""Value patterns of codes and numbers: digit runs (grouped, check-digit tested), letter and
digit codes, passport, telephone, resident ID and credit-code numbers, number plates.

Split from :mod:`ocrframe.engine.extract.patterns` (which re-exports every name).
"""

from __future__ import annotations

import re
from typing import Callable

from .pattern_base import (_AS_DIGITS, _LOOKALIKES, CJK, GROUP, LOW_FIT, MISREAD_FIT, MISREAD_SPACING, NO_PROVINCE_FIT,
                           UNGROUPED_FIT, Pattern, _squeeze)

__all__ = ["digits", "alnum", "phone", "passport_number", "id_number", "uscc", "plate"]


# --- codes and numbers ---------------------------------------------------------------------------

def digits(*lengths: int, grouped: bool = False, check: Callable[[str], bool | None] | None = None) -> Pattern:
    """A run of digits of one of ``lengths`` (not part of a longer run).

    Parameters
    ----------
    grouped : bool
        The digits may be printed in groups of :data:`GROUP` (``12345 67890 ...``): a
        value read with any gap is given in those groups (OCR drops some gaps), one read
        in one run as one run, fitting :data:`UNGROUPED_FIT` (it may be another number).
    check : callable, optional
        A check-digit test: True keeps fit 1, False lowers it to :data:`LOW_FIT`.

    Examples
    --------
    >>> [m.value for m in digits(10, 12).find("发票代码144031900111 12345678")]
    ['144031900111']
    >>> [m.value for m in digits(20, grouped=True).find("校验码 12345 67890 1234567890")]
    ['12345 67890 12345 67890']
    >>> [(m.value, m.fit) for m in digits(12).find("发票代码137Q11930001")]  # a 0 read as Q
    [('137011930001', 0.9)]
    """
    lo, hi = min(lengths), max(lengths)
    d = rf"[\d{_LOOKALIKES}]"
    body = rf"\d(?:\s?{d}){{{lo - 1},{hi - 1}}}" if grouped else rf"\d{d}{{{lo - 1},{hi - 1}}}"

    def build(m: re.Match):
        raw = _squeeze(m.group(0))
        misread = sum(1 for c in raw if not c.isdigit())
        if len(raw) not in lengths or misread > max(1, len(raw) // MISREAD_SPACING) or not raw[-1].isdigit():
            return None
        v = raw.translate(_AS_DIGITS)
        if grouped and raw != m.group(0):
            # printed in groups (OCR keeps some of the gaps): the groups of GROUP digits
            v = " ".join(v[i:i + GROUP] for i in range(0, len(v), GROUP))
        ok = check(v) if check else None
        fit = (LOW_FIT if ok is False else 1.0) * MISREAD_FIT ** misread
        if grouped and raw == m.group(0):
            fit *= UNGROUPED_FIT  # a code printed in groups, read in one run
        return v, fit

    return Pattern(f"digits{lengths}", rf"(?<![\dA-Za-z]){body}(?![\d])", build, max_tokens=5 if grouped else 1)


def alnum(lo: int, hi: int, fit: float = 1.0) -> Pattern:
    """A code of digits and capitals (at least one digit), ``lo``..``hi`` long, fitting
    ``fit`` (a form this loose is less telling than a checked one).

    Examples
    --------
    >>> [m.value for m in alnum(4, 10).find("证号 T628427 ABCDE")]
    ['T628427']
    """
    def build(m: re.Match):
        return (m.group(0), fit) if re.search(r"\d", m.group(0)) else None

    return Pattern(f"alnum{lo}-{hi}", rf"(?<![0-9A-Za-z])[0-9A-Z]{{{lo},{hi}}}(?![0-9A-Za-z])", build)


def passport_number() -> Pattern:
    """A passport or travel permit number (``E12345678``, ``G1234567``): one or two
    capitals and seven or eight digits; its form has no check digit, so it fits less
    well than a checked number.

    Examples
    --------
    >>> [m.value for m in passport_number().find("ID.NO. E12345678")]
    ['E12345678']
    """
    return Pattern("passport_number", r"(?<![0-9A-Za-z])[A-Z]{1,2}\d{7,8}(?![0-9A-Za-z])", lambda m: (m.group(0), 0.8))


def phone() -> Pattern:
    """A telephone number: a service number (``96900``, ``12328``), a mobile number or an
    area code and number (``0755-12345678``).

    Examples
    --------
    >>> [m.value for m in phone().find("监督电话 0755-83228000 96900")]
    ['0755-83228000', '96900']
    """
    rx = r"(?<![\d-])(?:0\d{2,3}\s?-\s?\d{7,8}|\d{5,12})(?![\d-])"
    return Pattern("phone", rx, lambda m: (_squeeze(m.group(0)), 1.0))


def id_number() -> Pattern:
    """A resident ID number (18 characters, GB 11643 check digit via python-stdnum).

    Examples
    --------
    >>> [(m.value, m.fit) for m in id_number().find("ID 11010519491231002X")]
    [('11010519491231002X', 1.0)]
    """
    from stdnum.cn import ric

    def build(m: re.Match):
        v = m.group(0).upper()
        return v, (1.0 if ric.is_valid(v) else LOW_FIT)

    return Pattern("id_number", r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])", build)


def uscc() -> Pattern:
    """A unified social credit code or older taxpayer id (15-20 digits and capitals);
    18-character codes are checked (GB 32100, python-stdnum).

    Examples
    --------
    >>> [(m.value, m.fit) for m in uscc().find("91440305TN1WRU3CP3")]
    [('91440305TN1WRU3CP3', 1.0)]
    """
    from stdnum.cn import uscc as _u

    def build(m: re.Match):
        v = m.group(0)
        if not re.search(r"\d", v):
            return None
        if len(v) == 18:
            return v, (1.0 if _u.is_valid(v) else 0.6)
        return v, 0.6

    return Pattern("uscc", r"(?<![0-9A-Za-z])[0-9A-Z]{15,20}(?![0-9A-Za-z])", build)


def plate(*, province: bool = True) -> Pattern:
    """A Chinese number plate (``沪A-VXKPN``, ``京A12345``, ``粤B·D12345``) as printed.

    Parameters
    ----------
    province : bool
        The province's character must be printed; with False a plate printed without
        it (``B5M162`` on a Shenzhen receipt) fits :data:`NO_PROVINCE_FIT`.

    Examples
    --------
    >>> [m.value for m in plate().find("车号 沪A-VXKPN 京BT-1234")]
    ['沪A-VXKPN', '京BT-1234']
    >>> [(m.value, m.fit) for m in plate(province=False).find("车号：B5M162")]
    [('B5M162', 0.8)]
    """
    tail = r"[A-HJ-NP-Z](?:\s?[-·•.]?\s?[A-HJ-NP-Z0-9]){5,6}(?![A-Za-z0-9])"
    rx = rf"[{CJK}]{tail}"
    if not province:  # without it: a letter and five or six letters and digits, some digits
        rx += rf"|(?<![A-Za-z0-9])(?=[A-Z][-·A-Z0-9]*\d){tail}"

    def build(m: re.Match):
        v = _squeeze(m.group(0))
        return v, (1.0 if re.match(f"[{CJK}]", v) else NO_PROVINCE_FIT)

    return Pattern("plate", rx, build)

