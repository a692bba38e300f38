"""Value patterns of dates, clock times, money (figures and capitals) and quantities.

Split from :mod:`ocrframe.engine.extract.patterns` (which re-exports every name).
"""

from __future__ import annotations

import datetime as dt
import re

from ...normalize import normalize_date, normalize_time
from .pattern_base import _YEN, CODE_MISFIT, CURRENCY_CODES, LOW_FIT, MISREAD_FIT, Pattern, _squeeze

__all__ = ["date", "clock", "money", "quantity", "capital_amount"]


# --- dates and times -------------------------------------------------------------------------------

_DATE = (r"(?<!\d)(?:\d{4}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}\s?日?"
         r"|\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)")


#: the years a document's date is printed in (a taxpayer id's ``91440105`` is no date)
DATE_YEARS = (1900, 2099)


def date() -> Pattern:
    """A calendar date in any printed form; a date that does not exist fits poorly, one
    outside :data:`DATE_YEARS` is none.

    Examples
    --------
    >>> [m.value for m in date().find("2019-05-12 2019年5月2日 2019/05/12 20190512")]
    ['2019-05-12', '2019年5月2日', '2019/05/12', '20190512']
    >>> date().find("2019-02-30")[0].fit == LOW_FIT
    True
    >>> date().find("91440105 20240126")[0].value
    '20240126'
    """
    def build(m: re.Match):
        v = _squeeze(m.group(0))
        if not DATE_YEARS[0] <= int(re.match(r"\d{4}", v).group(0)) <= DATE_YEARS[1]:
            return None  # no document's date: eight digits of an ID or account (91440105)
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

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+,\d{2}(?!\d)|\d+(?:\.\d{1,2})?"
#: the decimal point read as a comma (``71,00元``): no thousands separator has two digits after it
_COMMA_POINT = re.compile(r"\d+,\d{2}")


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
    >>> [(m.value, m.fit) for m in money().find("金额：71,00元 1,200.00")]  # a point read as a comma
    [('71.00元', 0.9), ('1,200.00', 1.0)]
    >>> [m.fit for m in money(codes=("CN", None)).find("CN 50.00 YQ 20.00 0.00")]
    [1.0, 0.6, 1.0]
    """
    code = r"(?:(?P<code>[A-Z]{2,3})(?P<gap>\s?))?" if codes is not False else ""
    rx = (code + rf"(?P<sign>[{_YEN}]|Y(?=\s?\d))?\s?(?P<amt>{_AMOUNT})(?![\d,])(?:\s?(?P<unit>元|圆|π))?")

    def build(m: re.Match):
        amt = m.group("amt")
        comma = _COMMA_POINT.fullmatch(amt) is not None
        amt = amt.replace(",", ".") if comma else amt
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
        # a thousands separator and the sign are printed, and so is the space after a code
        # (``CNY 1230.00`` on one form, ``CNY1230.00`` on another); other OCR spacing is not
        v = (cur + m.group("gap") if cur else "") + ("￥" if sign else "") + amt + (unit or "")
        fit = (1.0 if (has_dec or unit) else 0.7) * (MISREAD_FIT if cur and cur != m.group("code") else 1.0)
        fit *= MISREAD_FIT if misread or comma else 1.0
        if isinstance(codes, tuple) and cur not in codes:
            fit *= CODE_MISFIT
        return v, fit, cur or ""

    tags = tuple(c for c in codes if c) if isinstance(codes, tuple) else ()
    return Pattern("money", rf"(?<![\dA-Za-z.]){rx}", build, max_tokens=3, tags=tags)


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
