"""Flight itineraries (train tickets are read by :mod:`.train_ticket`).

A flight itinerary is a form whose bilingual labels sit above or beside their values: its fields
are read by :func:`~.assign.assign` (the name is never a city of the segment table, the
amounts keep their ``CNY`` / ``CN`` / ``YQ`` codes as printed); its segments are the
printed lines holding a flight number, a date and a time, one ``itinerary_list`` entry each.
"""

from __future__ import annotations

import re

from ...types import DocType
from ..classify import titles
from .assign import assign
from .invoice_fields import number_field
from .common import DocText, Field
from .layout import all_tokens, cluster_lines, norm
from .patterns import alnum, any_of, cjk, date, digits, id_number, money, passport_number
from .vocab import FieldVocab, Vocabulary, label_key

__all__ = ["flight_itinerary", "ITINERARY_VOCAB"]

# --- flight itinerary --------------------------------------------------------------------------

_NAME = cjk(2, 6, extra="·", exclude=r"姓名|身份|证件|号码|旅客|签注|不得|签转|退改|变更|承运|航班|日期|时间")
#: the codes each itinerary amount is printed with (None: printed without)
_FARE = money(codes=("CNY", None))
_FUND = money(codes=("CN", None))
_FUEL = money(codes=("YQ", None))
_TAXES = money(codes=(None, "XT", "CNY"))

ITINERARY_VOCAB = Vocabulary((
    FieldVocab("serial_number", ("印刷序号", "序号", "SERIAL NUMBER", "SERIAL NO."), digits(10, 11), fallback=True,
               zone=(0.0, 0.2)),
    FieldVocab("passenger_name", ("旅客姓名", "姓名", "NAME OF PASSENGER", "PASSENGER"), _NAME, near=("id_number",)),
    FieldVocab("id_number", ("有效身份证件号码", "身份证件号码", "证件号码", "ID.NO.", "ID NO."),
               any_of(id_number(), passport_number()), fallback=True),
    FieldVocab("e_ticket_number", ("电子客票号码", "客票号码", "E-TICKET NO.", "E-TICKET NO", "TICKET NO."), digits(13),
               fallback=True),
    FieldVocab("check_code", ("验证码", "CK.", "CK"), digits(4), near=("e_ticket_number",)),
    FieldVocab("fare", ("票价", "FARE"), _FARE),
    FieldVocab("caac_development_fund", ("民航发展基金", "民航基金", "机场建设费", "CAAC DEVELOPMENT FUND", "CAAC"), _FUND),
    FieldVocab("fuel_surcharge", ("燃油附加费", "燃油费", "FUEL SURCHARGE"), _FUEL),
    FieldVocab("other_taxes", ("其他税费", "其它税费", "OTHER TAXES"), _TAXES),
    FieldVocab("total", ("合计", "总额", "TOTAL"), _FARE),
    FieldVocab("issue_date", ("填开日期", "DATE OF ISSUE"), date(), fallback=True),
    # the 2024 electronic itinerary is an invoice: its 20-digit number (the SDK's ``number``, not a core field)
    number_field((20,)),
    FieldVocab("agent_code", ("销售单位代号", "销售网点代号", "AGENT CODE"), any_of(digits(8), alnum(6, 10, fit=0.7)), fallback=True),
    FieldVocab("issue_organization", ("填开单位", "ISSUED BY"),
               cjk(4, 30, extra="()", must=r"公司|旅行社|代理|售票|营业部|服务中心"), fallback=True),
), barriers=("签注", "ENDORSEMENTS/RESTRICTIONS", "ENDORSEMENTS", "自", "至", "FROM", "TO", "承运人", "CARRIER",
             "航班号", "FLIGHT", "座位等级", "CLASS", "日期", "DATE", "时间", "TIME", "客票级别/类别", "客票级别",
             "FARE BASIS", "免费行李", "ALLOW", "生效日期", "截止日期", "NOT VALID BEFORE", "NOT VALID AFTER",
             "保险费", "INSURANCE", "提示信息", "INFORMATION", "验真网址", "服务热线", "VOID", "连续客票",
             "CONJUNCTION TKT", "开票日期", "国内国际标识", "增值税税率", "增值税税额", "购买方名称",
             "统一社会信用代码/纳税人识别号"), titles=titles(DocType.FLIGHT_ITINERARY))


def flight_itinerary(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``itinerary_list`` of a flight itinerary (航空运输电子客票行程单)."""
    f = assign(doc, ITINERARY_VOCAB)
    notes: list[str] = []
    _money_row(doc, f, notes)
    extra: dict = {"itinerary_list": _segments(doc, notes)}
    if "number" in f:
        extra["number"] = f.pop("number").value
    if notes:
        extra["extra_info"] = {"inferred": "; ".join(notes)}
    return f, extra


#: the itinerary's amounts, in the order the standard form prints them on one line
MONEY_ROW = ("fare", "caac_development_fund", "fuel_surcharge", "other_taxes", "total")
#: confidence factor of an amount placed by its position in the row (its label not read)
ROW_ORDER_CONF = 0.8


def _money_row(doc: DocText, f: dict[str, Field], notes: list[str]) -> None:
    """Amounts whose labels were not read, from the printed line holding the amounts in
    the form's order (:data:`MONEY_ROW`, the same on every itinerary).

    The amounts already read (by label or by their code) fix their places in that line;
    each run of unread fields between two of them takes the amounts printed between
    them, in order, when the counts agree. A line holding more or fewer amounts than the
    row has fields is taken only if the amounts then add up (fare + fund + fuel + other
    = total)."""
    missing = [k for k in MONEY_ROW if k not in f]
    if not missing:
        return
    known = {f[k].value.replace(" ", ""): k for k in MONEY_ROW if k in f}
    # the document's rows first (a value read whole, ``CNY 1730.00``), then lines rebuilt
    # from the words' heights (a row printed off its neighbours)
    lines = [[(p.text, p.score) for p in sorted(r.pieces, key=lambda p: p.x0)] for r in doc.rows]
    lines += [[(t.text, t.score) for t in line] for line in cluster_lines(all_tokens(doc))]
    for line in lines:
        text = " ".join(t for t, _ in line)
        vals = [m.value for m in money(codes=True).find(text)]
        if len(vals) < 2:
            continue
        got = _by_order(vals, {k: f[k].value for k in MONEY_ROW if k in f})
        if not got or (known and not any(v.replace(" ", "") in known for v in vals)):
            continue
        every = {k: (f[k].value if k in f else got.get(k)) for k in MONEY_ROW}
        if len(vals) != len(MONEY_ROW) and all(every.values()) and not _adds_up([every[k] for k in MONEY_ROW]):
            continue
        sc = min(float(c) for _, c in line)
        for k, v in got.items():
            f[k] = Field(v, ROW_ORDER_CONF * sc)
        notes.append(", ".join(got) + ": labels not read, taken by their place in the row of amounts")
        return


def _by_order(vals: list[str], known: dict[str, str]) -> dict[str, str]:
    """The unread amounts of a row by their order: ``vals`` printed left to right,
    ``known`` the fields already read. Between two read fields (or the row's ends), the
    unread fields take the amounts between their values when the counts agree.

    Examples
    --------
    >>> _by_order(["CNY1230.00", "CN50.00", "YQ20.00", "0.00", "CNY1300.00"],
    ...           {"caac_development_fund": "CN50.00", "fuel_surcharge": "YQ20.00"})
    {'fare': 'CNY1230.00', 'other_taxes': '0.00', 'total': 'CNY1300.00'}
    """
    key = [v.replace(" ", "") for v in vals]
    pos: dict[str, int] = {}
    for k, v in known.items():
        idx = [i for i, x in enumerate(key) if x == v.replace(" ", "") and i not in pos.values()]
        if len(idx) != 1:
            return {}  # a read value not on this line (or on it twice): not this row
        pos[k] = idx[0]
    order = [pos[k] for k in MONEY_ROW if k in pos]
    if order != sorted(order):
        return {}
    out: dict[str, str] = {}
    lo_f, lo_v = -1, -1
    for fi, k in enumerate(list(MONEY_ROW) + [None]):
        if k is not None and k not in pos:
            continue
        hi_v = pos[k] if k is not None else len(vals)
        fields = [MONEY_ROW[j] for j in range(lo_f + 1, fi) if MONEY_ROW[j] not in pos]
        between = vals[lo_v + 1:hi_v]
        if fields and len(fields) == len(between):
            out.update(zip(fields, between))
        lo_f, lo_v = fi, hi_v
    return out


def _adds_up(vals: list[str]) -> bool:
    """Fare, fund, fuel and other taxes add up to the total (to the cent)."""
    from decimal import Decimal, InvalidOperation

    try:
        n = [Decimal(re.sub(r"[^\d.]", "", v)) for v in vals]
    except InvalidOperation:
        return False
    return sum(n[:-1]) == n[-1]


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DD = r"[\dODBIlS]{2}"  # a day of month; letters a digit is often read as are mapped back in _day


_AS_DIGIT = str.maketrans({"O": "0", "D": "0", "B": "8", "I": "1", "l": "1", "S": "5"})


def _day(s: str) -> str:
    """``04OCT`` as printed; a month read with a zero for its O (``040CT``) or a day with
    letters for digits (``OBJAN``) is read back when the result is a real day and month."""
    day = s[:2].translate(_AS_DIGIT)
    mon = s[2:] if s[2:] in _MONTHS else s[2:].replace("0", "O")
    if mon not in _MONTHS:  # one letter misread (HAY): the only month one letter away
        near = [m for m in _MONTHS if sum(a != b for a, b in zip(m, mon)) == 1]
        mon = near[0] if len(near) == 1 else mon
    if mon in _MONTHS and day.isdigit() and 1 <= int(day) <= 31:
        return day + mon
    return s


#: a flight segment as printed on one line: flight number, class, date (``12MAY``,
#: ``2024-05-12``, ``05-12``), time (``1405``, ``14:05``) and the fare basis
_SEG_LINE = re.compile(r"(?<![A-Z0-9])(?P<flight>[A-Z0-9]{2}\d{3,4})\s*(?P<cabin>[A-Z])?\s+"
                       rf"(?P<date>{_DD}\.?[A-Z0]{{3}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}-\d{{1,2}})\s*"
                       r"(?P<time>\d{1,2}:\d{2}|\d{4})(?!\d)(?:\s+(?P<basis>[A-Z])[A-Z0-9]*)?")


def _segments(doc: DocText, notes: list[str]) -> list[dict]:
    """The flight segments: every printed line holding a flight number, a date and a time
    (in any of their printed forms), its stations and carrier the Chinese words before
    the flight number. Lines are rebuilt from the words' own heights, and the table's
    column heads are dropped, so a row printed half a line off still reads whole."""
    toks = [t for t in all_tokens(doc) if not _is_label(t.text)]
    out = []
    for line in cluster_lines(toks):
        t = norm(" ".join(u.text for u in line))
        m = _SEG_LINE.search(t)
        if m is None:
            continue
        cabin = m.group("cabin")
        if cabin is None and m.group("basis"):
            # the class letter not read: the fare basis (printed next) starts with it
            cabin = m.group("basis")
            notes.append(f"itinerary_list[{len(out)}].cabin_class not read, taken from the fare basis")
        words = re.findall(r"[\u4e00-\u9fff]+", t[:m.start()])
        words += [""] * (3 - len(words))
        if len(words) > 3:
            words = words[:2] + ["".join(words[2:])]
        date = m.group("date").replace(".", "")
        out.append({"departure_station": words[0], "destination_station": words[1], "carrier": words[2],
                    "flight": m.group("flight"), "cabin_class": cabin or "",
                    "date": _day(date) if re.fullmatch(_DD + r"[A-Z0]{3}", date) else date, "time": m.group("time")})
    return out


def _is_label(text: str) -> bool:
    """A word that is one of the itinerary's printed captions (a column head)."""
    return label_key(text).strip("/") in _CAPTION_KEYS


_CAPTION_KEYS = frozenset(k for _, _, k in ITINERARY_VOCAB.entries())
