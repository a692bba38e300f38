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
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from ...normalize import normalize_date, normalize_time

__all__ = ["Match", "Pattern", "any_of", "digits", "alnum", "phone", "passport_number", "date", "clock", "money", "quantity", "plate", "id_number", "uscc",
           "cjk", "text", "address", "bank_account", "capital_amount", "CJK", "LOW_FIT"]

#: one CJK ideograph (a character class body)
CJK = "\u4e00-\u9fff"
#: the fit of a value of the right shape whose check (check digit, calendar) fails
LOW_FIT = 0.35
#: currency codes (ISO 4217) and the tax codes tickets print amounts with, longest first
CURRENCY_CODES = ("CNY", "RMB", "USD", "EUR", "HKD", "MOP", "TWD", "JPY", "GBP", "CN", "YQ", "YR", "XT")
#: the fit of a value with one character misread (a code's letter, a digit read as a letter)
MISREAD_FIT = 0.9
#: letters OCR reads for digits inside a run of digits, and the digits they stand for
_LOOKALIKES = "OoQDIl|"
_AS_DIGITS = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "|": "1"})
#: digits printed in groups come in groups of this many (check codes)
GROUP = 5
#: at most one such letter per this many characters of a code
MISREAD_SPACING = 6
#: the fit of a number plate printed without its province's character
NO_PROVINCE_FIT = 0.8
#: the fit of a grouped code read as one unbroken run (it may be another number)
UNGROUPED_FIT = 0.8
#: the fit of an amount printed with a code its field is not printed with (``YQ`` on a fare)
CODE_MISFIT = 0.6
#: the yuan sign as OCR reads it (half- and full-width, and the ``Y`` it is often read as)
_YEN = "￥¥"


@dataclass(frozen=True)
class Match:
    """One value found in a text: ``text[start:end]`` printed it."""

    value: str
    start: int
    end: int
    fit: float


@dataclass(frozen=True)
class Pattern:
    """A value form: a regular expression and a function that checks and shapes a match.

    Parameters
    ----------
    name : str
        What the form is (for messages and tests).
    regex : str
        Searched in the text; every non-overlapping match is a candidate.
    build : callable
        ``build(match) -> (value, fit)`` or None to reject the match.
    max_tokens : int
        How many whitespace-separated pieces a value of this form may span
        (``CNY 1230.00`` is two, a grouped check code four).
    """

    name: str
    regex: str
    build: Callable[[re.Match], tuple[str, float] | None]
    max_tokens: int = 1

    def find(self, s: str) -> list[Match]:
        """Every value of this form in ``s``, left to right.

        Examples
        --------
        >>> [m.value for m in clock().find("上车 08:05 下车 8:55")]
        ['08:05', '8:55']
        """
        out = []
        rx = re.compile(self.regex)
        pos = 0
        while pos <= len(s):
            m = rx.search(s, pos)
            if m is None:
                break
            r = self.build(m)
            if r is not None and r[0]:
                out.append(Match(r[0], m.start(), m.end(), float(r[1])))
                pos = max(m.end(), m.start() + 1)
            else:
                pos = m.start() + 1  # a rejected match may hide a shorter one inside it
        return out


def any_of(*patterns: Pattern) -> Pattern:
    """Values of any of several forms (the first form that matches at a place wins).

    Examples
    --------
    >>> [m.value for m in any_of(id_number(), digits(9)).find("E 123456789")]
    ['123456789']
    """
    rx = "|".join(f"(?P<p{i}>{p.regex})" for i, p in enumerate(patterns))
    rx = re.sub(r"\(\?P<(?!p\d+>)([a-z]+)>", r"(?:", rx)  # inner named groups would clash

    def build(m: re.Match):
        for i, p in enumerate(patterns):
            if m.group(f"p{i}") is not None:
                inner = re.fullmatch(p.regex, m.group(0))
                return p.build(inner) if inner else None
        return None

    return Pattern("|".join(p.name for p in patterns), rx, build, max(p.max_tokens for p in patterns))


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


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


# --- dates and times -------------------------------------------------------------------------------

_DATE = (r"(?<!\d)(?:\d{4}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}\s?日?"
         r"|\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)")


def date() -> Pattern:
    """A calendar date in any printed form; a date that does not exist fits poorly.

    Examples
    --------
    >>> [m.value for m in date().find("2019-05-12 2019年5月2日 2019/05/12 20190512")]
    ['2019-05-12', '2019年5月2日', '2019/05/12', '20190512']
    >>> date().find("2019-02-30")[0].fit == LOW_FIT
    True
    """
    def build(m: re.Match):
        v = _squeeze(m.group(0))
        iso = normalize_date(v)
        try:
            dt.date.fromisoformat(iso)
        except ValueError:
            return v, LOW_FIT
        return v, 1.0

    return Pattern("date", _DATE, build, max_tokens=3)


def clock(seconds: bool | None = None) -> Pattern:
    """A clock time (``8:05``, ``08:05:33``, ``8时05分``).

    Parameters
    ----------
    seconds : bool, optional
        True: seconds must be printed; False: they must not; None: either.

    Examples
    --------
    >>> [m.value for m in clock(seconds=True).find("12:37 12:37:07 00:04.50")]
    ['12:37:07', '00:04.50']
    """
    def build(m: re.Match):
        v = _squeeze(m.group(0))
        n = normalize_time(v)
        ok = re.fullmatch(r"\d{2}:\d{2}(?::\d{2})?", n) is not None
        has_s = (n.count(":") == 2) if ok else len(re.findall(r"\d+", v)) == 3
        if seconds is not None and has_s != seconds:
            return None
        return v, (1.0 if ok else LOW_FIT)

    return Pattern("clock", r"(?<![\d:.])\d{1,2}\s?[:：时]\s?\d{2}(?:\s?[:：.分]\s?\d{2}\s?秒?|分)?(?![\d:])", build,
                   max_tokens=2)


# --- money and quantities -------------------------------------------------------------------------

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"


def money(*, codes: bool | tuple[str, ...] = True, decimals: bool = True) -> Pattern:
    """An amount of money as printed: an optional currency code (``CNY``, ``CN``, ``YQ``)
    or yuan sign in front, ``元`` after.

    Parameters
    ----------
    codes : bool or tuple of str
        Accept a currency or tax code (:data:`CURRENCY_CODES`) in front; a tuple names
        the codes this field is printed with (another code, or none, fits less well).
    decimals : bool
        Require the two decimals every machine-printed amount has (otherwise a whole
        number needs a sign or ``元``).

    Examples
    --------
    >>> [m.value for m in money().find("CN 50.00 YQ 20.00 ¥ 44.00 54.00元")]
    ['CN 50.00', 'YQ 20.00', '￥44.00', '54.00元']
    >>> [m.value for m in money().find("0.00 Y88.00 ¥129.00π")]
    ['0.00', '￥88.00', '￥129.00元']
    >>> [m.fit for m in money(codes=("CN", None)).find("CN 50.00 YQ 20.00 0.00")]
    [1.0, 0.6, 1.0]
    """
    code = r"(?:(?P<code>[A-Z]{2,3})\s?)?" if codes is not False else ""
    rx = (code + rf"(?P<sign>[{_YEN}]|Y(?=\s?\d))?\s?(?P<amt>{_AMOUNT})(?![\d,])(?:\s?(?P<unit>元|圆|π))?")

    def build(m: re.Match):
        amt = m.group("amt")
        cur = _currency(m.group("code")) if codes is not False else None
        if codes is not False and m.group("code") and cur is None:
            return None  # letters that are no code: the amount alone is another match
        sign, unit = m.group("sign"), m.group("unit")
        misread = unit == "π"  # 元 as OCR often reads it after an amount
        unit = "元" if misread else unit
        has_dec = re.search(r"\.\d{2}$", amt) is not None
        if decimals and not has_dec and not (sign or unit):
            return None
        if not has_dec and not (sign or unit or cur):
            return None
        # a thousands separator and the sign are printed; OCR spacing is not
        v = (f"{cur} " if cur else "") + ("￥" if sign else "") + amt + (unit or "")
        fit = (1.0 if (has_dec or unit) else 0.7) * (MISREAD_FIT if cur and cur != m.group("code") else 1.0)
        fit *= MISREAD_FIT if misread else 1.0
        if isinstance(codes, tuple) and cur not in codes:
            fit *= CODE_MISFIT
        return v, fit

    return Pattern("money", rf"(?<![\dA-Za-z.]){rx}", build, max_tokens=3)


def _currency(s: str | None) -> str | None:
    """A currency or tax code as read: itself when known, the one known code a single
    misread letter away (``CHY`` -> ``CNY``, ``ON`` -> ``CN``), else None.

    Examples
    --------
    >>> _currency("CNY"), _currency("CHY"), _currency("ON"), _currency("AB")
    ('CNY', 'CNY', 'CN', None)
    """
    if not s:
        return None
    if s in CURRENCY_CODES:
        return s
    near = [c for c in CURRENCY_CODES if len(c) == len(s) and sum(a != b for a, b in zip(c, s)) == 1]
    return near[0] if len(near) == 1 else None


def quantity(unit: str, *, required: bool = False) -> Pattern:
    """A number with a unit (``15.1km``, ``2.60元``); ``unit`` is a regular expression.

    Examples
    --------
    >>> [m.value for m in quantity(r"km|KM|公里").find("里程 15.1 km")]
    ['15.1km']
    >>> [m.value for m in quantity("元").find("2.60")]
    ['2.60']
    """
    rx = rf"(?<![\d.])\d+(?:\.\d+)?(?:\s?(?:{unit}))" + ("" if required else "?")

    def build(m: re.Match):
        v = _squeeze(m.group(0))
        return v, (1.0 if re.search(rf"(?:{unit})$", v) else 0.8)

    return Pattern(f"quantity({unit})", rx + r"(?![\d.])", build, max_tokens=2)


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


def capital_amount(fit: float = 1.0) -> Pattern:
    """A Chinese capital amount (大写), e.g. ``壹佰贰拾元整``, fitting ``fit`` at best (where
    the figures are the value's usual form).

    Examples
    --------
    >>> [m.value for m in capital_amount().find("(大写) ⓧ壹佰贰拾圆整")]
    ['壹佰贰拾圆整']
    """
    cap = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整"
    return Pattern("capital", rf"[{cap}]{{2,}}",
                   lambda m: (m.group(0), fit * (1.0 if m.group(0)[-1] in "角分整圆元" else 0.6)))


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
