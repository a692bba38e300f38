"""Value normalisers: one canonical form per field kind, shared by evaluation and the engine.

A recognised value and its label are compared twice: exactly, and after both went
through the normaliser of the field's :class:`~ocrframe.types.FieldKind` -- so that
``2024年1月5日`` and ``2024-01-05``, or ``￥1,234.50`` and ``1234.5元``, are not
counted as recognition errors. A value a normaliser cannot parse falls back to the
text normal form (width folding and whitespace), never to an exception.

Examples
--------
>>> normalize_date("2024年1月5日"), normalize_date("20240105"), normalize_date("2024.01.05")
('2024-01-05', '2024-01-05', '2024-01-05')
>>> normalize_money("￥1,234.50"), normalize_money("1234.5元")
('1234.50', '1234.50')
>>> words_to_money("壹仟贰佰叁拾肆元伍角整")
Decimal('1234.50')
>>> money_to_words("1234.50")
'壹仟贰佰叁拾肆元伍角整'
>>> normalize("１２３ＡＢ", "code"), normalize("13%", "rate"), normalize("8时5分", "time")
('123AB', '0.13', '08:05')
>>> normalize_field("2024/1/5", "vat_invoice", "issue_date")
'2024-01-05'
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from .types import FieldKind, schema

__all__ = [
    "fold_width",
    "normalize_whitespace",
    "normalize_text",
    "normalize_code",
    "normalize_date",
    "normalize_time",
    "normalize_money",
    "normalize_number",
    "normalize_rate",
    "normalize_money_words",
    "words_to_money",
    "money_to_words",
    "parse_decimal",
    "normalize",
    "normalize_field",
    "normalize_many",
    "NORMALIZERS",
]

# ----------------------------------------------------------------------------- text


def fold_width(s: str) -> str:
    """Full-width forms to half-width (NFKC): ``"ＡＢ１２（）"`` -> ``"AB12()"``, ideographic space to space.

    >>> fold_width("ＡＢ１２（）　")
    'AB12() '
    """
    return unicodedata.normalize("NFKC", s)


_WS = re.compile(r"\s+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")


def normalize_whitespace(s: str) -> str:
    """Strip, collapse whitespace runs to one space and drop spaces next to CJK characters.

    >>> normalize_whitespace("  张 三\\n  Zhang   San ")
    '张三Zhang San'
    """
    s = _WS.sub(" ", s).strip()
    return _SPACE_NEAR_CJK.sub("", s)


_PUNCT = str.maketrans({"、": ",", "。": ".", "「": '"', "」": '"', "『": '"', "』": '"', "【": "[", "】": "]",
                        "—": "-", "–": "-", "－": "-", "·": "·"})


def normalize_text(s: Any) -> str:
    """Free text: width folding, Chinese punctuation to ASCII, whitespace.

    >>> normalize_text(" 北京市　朝阳区（东） ")
    '北京市朝阳区(东)'
    """
    # fold again at the end: removing a space can join a base letter and a combining mark
    return fold_width(normalize_whitespace(fold_width(_str(s)).translate(_PUNCT)))


def _str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and np.isnan(v):
        return ""
    return v if isinstance(v, str) else str(v)


_CODE_SEP = re.compile(r"[\s\-_/.:,·]+")


def normalize_code(s: Any) -> str:
    """Identifiers: width folding, upper case, separators (spaces, ``- _ / . : ,``) removed.

    >>> normalize_code(" 6222-0200 1234 ｘ")
    '622202001234X'
    """
    return fold_width(_CODE_SEP.sub("", fold_width(_str(s))).upper())


# ----------------------------------------------------------------------------- Chinese numerals

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "兩": 2,
              "叁": 3, "參": 3, "三": 3, "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6,
              "柒": 7, "七": 7, "捌": 8, "八": 8, "玖": 9, "九": 9}
_CN_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def _cn_integer(s: str) -> int:
    """Parse a Chinese numeral integer (``壹仟零贰拾``, ``二十五``, ``二〇二四``)."""
    if not s:
        raise ValueError("empty numeral")
    if all(ch in _CN_DIGITS for ch in s) and len(s) > 1:  # digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    yi = wan = sec = num = 0
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            sec += (num or 1) * _CN_UNITS[ch]
            num = 0
        elif ch in ("万", "萬"):
            wan = (sec + num) * 10_000
            sec = num = 0
        elif ch in ("亿", "億"):
            yi = (yi + wan + sec + num) * 100_000_000
            wan = sec = num = 0
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r}")
    return yi + wan + sec + num


_UPPER = "零壹贰叁肆伍陆柒捌玖"


_BIG_UNITS = ("", "万", "亿", "万亿")


def _int_words(n: int) -> str:
    """Capital numerals of a non-negative integer, by the People's Bank rule: one 零 for
    every run of zeros between non-zero digits, across 万/亿 groups too
    (6018314793 -> 陆拾亿零壹仟捌佰叁拾壹万肆仟柒佰玖拾叁)."""
    if n == 0:
        return "零"
    groups = []
    while n:
        n, g = divmod(n, 10_000)
        groups.append(g)
    if len(groups) > len(_BIG_UNITS):
        raise ValueError("amount too large for capital numerals")
    out, zero = "", False
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            zero = zero or bool(out)
            continue
        for val, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
            d = g // val % 10
            if d == 0:
                zero = zero or bool(out)
            else:
                if zero:
                    out += "零"
                    zero = False
                out += _UPPER[d] + unit
        out += _BIG_UNITS[gi]
    return out


def money_to_words(amount: Any, *, yuan: str = "元", whole_after_jiao: bool = True) -> str:
    """A money amount in Chinese capital numerals (大写金额), as printed on invoices.

    Parameters
    ----------
    amount : str, int, float or Decimal
        Rounded half-up to fen (0.01).
    yuan : {"元", "圆"}, default "元"
        The unit character; VAT invoices print 圆.
    whole_after_jiao : bool, default True
        Write 整 after a 角 with no 分 (the rules make it optional there).

    Examples
    --------
    >>> money_to_words("100"), money_to_words("1002.05"), money_to_words("0.30")
    ('壹佰元整', '壹仟零贰元零伍分', '叁角整')
    >>> money_to_words("-12000000.10")
    '负壹仟贰佰万元壹角整'
    >>> money_to_words("6018314793.60", yuan="圆", whole_after_jiao=False)
    '陆拾亿零壹仟捌佰叁拾壹万肆仟柒佰玖拾叁圆陆角'
    """
    d = amount if isinstance(amount, Decimal) else parse_decimal(amount)
    if d is None:
        raise ValueError(f"not an amount: {amount!r}")
    d = d.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    sign = "负" if d < 0 else ""
    fen_total = int(abs(d) * 100)
    whole, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    s = _int_words(whole) + yuan if whole else ""
    if not jiao and not fen:
        return sign + (s or "零" + yuan) + "整"
    if jiao:
        s += _UPPER[jiao] + "角"
    elif whole:
        s += "零"
    if fen:
        s += _UPPER[fen] + "分"
    elif whole_after_jiao:
        s += "整"
    return sign + s


_WORDS_JUNK = re.compile(r"[\s⊗ⓧ×Xx*＊:：人民币圆币]")


def words_to_money(s: Any) -> Decimal | None:
    """Parse a Chinese capital amount into a Decimal with two places; None if it is not one.

    Accepts ``元`` or ``圆``, ``整`` / ``正``, ``负`` for negatives, everyday numerals
    (``一二三``, ``十百千``) and leading marks such as ``⊗``.

    Examples
    --------
    >>> words_to_money("⊗壹万零贰拾元零伍分"), words_to_money("叁角"), words_to_money("hello")
    (Decimal('10020.05'), Decimal('0.30'), None)
    """
    t = fold_width(_str(s)).replace("圆", "元")
    t = _WORDS_JUNK.sub("", t.replace("元", "\0")).replace("\0", "元")
    neg = t.startswith("负")
    if neg:
        t = t[1:]
    t = t.rstrip("整正")
    if not t:
        return None
    try:
        if "元" in t:
            ipart, _, frac = t.partition("元")
            yuan = _cn_integer(ipart) if ipart else 0
        else:
            yuan, frac = 0, t
        jiao = fen = 0
        m = re.fullmatch(r"零?(?:(.)角)?零?(?:(.)分)?", frac)
        if m is None:
            return None
        if m.group(1):
            jiao = _CN_DIGITS[m.group(1)]
        if m.group(2):
            fen = _CN_DIGITS[m.group(2)]
    except (ValueError, KeyError):
        return None
    if not ("元" in t or jiao or fen or t.endswith(("角", "分"))):
        return None
    d = Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100
    return (-d if neg else d).quantize(Decimal("0.01"))


# ----------------------------------------------------------------------------- numbers

_NUM = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_MONEY_JUNK = re.compile(r"[\s,¥￥$]|RMB|CNY|人民币|元|圆")


def parse_decimal(s: Any) -> Decimal | None:
    """The Decimal a string spells (commas, spaces, currency signs and ``元`` ignored), else None.

    >>> parse_decimal("￥ -1,234.5元"), parse_decimal("abc")
    (Decimal('-1234.5'), None)
    """
    if isinstance(s, Decimal):
        return s
    if isinstance(s, (int, float)) and not isinstance(s, bool):
        return None if isinstance(s, float) and not np.isfinite(s) else Decimal(str(s))
    t = _MONEY_JUNK.sub("", fold_width(_str(s)))
    if not _NUM.fullmatch(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regex already vetted it
        return None


def _canon(d: Decimal, min_places: int = 0) -> str:
    """Decimal without trailing zeros (but at least ``min_places`` places), no exponent."""
    d = d.normalize()
    if d == 0:
        d = Decimal(0)
    places = max(min_places, -d.as_tuple().exponent if d.as_tuple().exponent < 0 else 0)
    return f"{d:.{places}f}"


def normalize_money(s: Any) -> str:
    """Amounts: the Decimal string with at least two places, signs and separators dropped.

    A capital-numeral amount is parsed too; anything else falls back to text.

    >>> normalize_money("¥1234.5"), normalize_money("-50"), normalize_money("3.3333"), normalize_money("伍拾元整")
    ('1234.50', '-50.00', '3.3333', '50.00')
    """
    d = parse_decimal(s)
    if d is None:
        d = words_to_money(s)
    return normalize_text(s) if d is None else _canon(d, 2)


_UNIT_NUM = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*([A-Za-z%‰\u4e00-\u9fff]*)")


def normalize_number(s: Any) -> str:
    """Quantities: canonical number (no trailing zeros), thousands separators dropped, a
    trailing unit kept in lower case.

    >>> normalize_number("1,500.0"), normalize_number("12.50 KG"), normalize_number("3人")
    ('1500', '12.5kg', '3人')
    """
    t = fold_width(_str(s)).replace(",", "").strip()
    d = parse_decimal(t)
    if d is not None:
        return _canon(d)
    m = _UNIT_NUM.fullmatch(t)
    if m:
        return _canon(Decimal(m.group(1))) + m.group(2).lower()
    return normalize_text(s)


def normalize_rate(s: Any) -> str:
    """Rates as a fraction: ``13%`` and ``0.13`` both give ``"0.13"``; a bare number above
    1 is read as a percentage. Words such as ``免税`` fall back to text.

    >>> normalize_rate("13%"), normalize_rate("0.13"), normalize_rate("13"), normalize_rate("免税")
    ('0.13', '0.13', '0.13', '免税')
    """
    t = fold_width(_str(s)).replace(" ", "")
    pct = t.endswith("%")
    d = parse_decimal(t[:-1] if pct else t)
    if d is None:
        return normalize_text(s)
    if pct or d > 1:
        d = d / 100
    return _canon(d)


def normalize_money_words(s: Any) -> str:
    """Capital-numeral amounts: compared by the amount they spell (``"1234.50"``)."""
    d = words_to_money(s)
    if d is None:
        d = parse_decimal(s)
    return normalize_text(s) if d is None else _canon(d, 2)


# ----------------------------------------------------------------------------- dates and times

_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_D_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_D_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_D_EN = re.compile(r"^(\d{1,2})\s*(?:\d{1,2}月\s*/?\s*)?([A-Z]{3})\s*/?\s*(\d{4})$")
_D_CN = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]+)月([一二三四五六七八九十]+)日?$")


def normalize_date(s: Any) -> str:
    """Dates to ISO ``YYYY-MM-DD``; unparseable or impossible dates fall back to text.

    Understands ``2024-01-05``, ``2024/1/5``, ``2024.01.05``, ``2024年1月5日``,
    ``20240105``, ``二〇二四年一月五日`` and passport style ``05 JAN 2024`` /
    ``05 1月/JAN 2024``.

    >>> normalize_date("二〇二四年十二月三十一日"), normalize_date("05 1月/JAN 2024"), normalize_date("长期")
    ('2024-12-31', '2024-01-05', '长期')
    >>> normalize_date("2024-02-30")
    '2024-02-30'
    """
    t = fold_width(_str(s)).strip()
    y = m = d = None
    if (g := _D_SEP.match(t)) or (g := _D_COMPACT.match(t)):
        y, m, d = (int(x) for x in g.groups())
    elif g := _D_EN.match(t.upper()):
        if g.group(2) in _MONTHS:
            y, m, d = int(g.group(3)), _MONTHS[g.group(2)], int(g.group(1))
    elif g := _D_CN.match(t.replace(" ", "")):
        try:
            y, m, d = (_cn_integer(x) for x in g.groups())
        except ValueError:
            pass
    if y is not None:
        try:
            return _dt.date(y, m, d).isoformat()
        except ValueError:
            pass
    return normalize_text(s)


_T = re.compile(r"^(\d{1,2})\s*[:：时点.]\s*(\d{1,2})\s*(?:[:：分.]\s*(\d{1,2})\s*秒?|分)?$")
_T_COMPACT = re.compile(r"^(\d{2})(\d{2})$")


def normalize_time(s: Any) -> str:
    """Clock times to ``HH:MM`` (or ``HH:MM:SS`` when seconds are printed).

    >>> normalize_time("8:05"), normalize_time("08时05分"), normalize_time("23:59:01"), normalize_time("0805")
    ('08:05', '08:05', '23:59:01', '08:05')
    """
    t = fold_width(_str(s)).strip()
    g = _T.match(t) or _T_COMPACT.match(t)
    if g:
        parts = [int(x) for x in g.groups() if x is not None]
        if parts[0] < 24 and all(p < 60 for p in parts[1:]):
            return ":".join(f"{p:02d}" for p in parts)
    return normalize_text(s)


# ----------------------------------------------------------------------------- dispatch

NORMALIZERS: dict[FieldKind, Callable[[Any], str]] = {
    FieldKind.TEXT: normalize_text,
    FieldKind.CODE: normalize_code,
    FieldKind.DATE: normalize_date,
    FieldKind.TIME: normalize_time,
    FieldKind.MONEY: normalize_money,
    FieldKind.NUMBER: normalize_number,
    FieldKind.RATE: normalize_rate,
    FieldKind.MONEY_WORDS: normalize_money_words,
}


def _kind(kind: FieldKind | str) -> FieldKind:
    try:
        return kind if isinstance(kind, FieldKind) else FieldKind(kind)
    except ValueError:
        raise ValueError(f"kind={kind!r}; allowed: {', '.join(k.value for k in FieldKind)}") from None


def normalize(value: Any, kind: FieldKind | str = FieldKind.TEXT) -> str:
    """The canonical form of a value of the given field kind (a string; ``""`` for None)."""
    return NORMALIZERS[_kind(kind)](value)


def normalize_field(value: Any, doc_type: str, field: str) -> str:
    """Normalise a value by the kind the registry gives ``field`` of ``doc_type``
    (dotted keys like ``item_list.0.amount`` resolve to the list's field)."""
    return normalize(value, schema(doc_type).kind_of(field))


def normalize_many(values: Iterable[Any], kinds: Iterable[FieldKind | str]) -> np.ndarray:
    """Normalise aligned values and kinds, computing each distinct (value, kind) once.

    Returns an object array of strings.
    """
    vals = pd.Series(list(values), dtype=object)
    ks = pd.Series([k.value if isinstance(k, FieldKind) else k for k in kinds], dtype=object)
    if len(vals) != len(ks):
        raise ValueError(f"normalize_many: {len(vals)} values but {len(ks)} kinds")
    out = np.empty(len(vals), dtype=object)
    for k, idx in ks.groupby(ks, sort=False).groups.items():
        f = NORMALIZERS[_kind(k)]
        sub = vals.loc[idx]
        codes, uniq = pd.factorize(sub.map(_str), sort=False)
        normed = np.array([f(u) for u in uniq], dtype=object)
        out[np.asarray(idx)] = normed[codes] if len(uniq) else np.array([], dtype=object)
    return out
