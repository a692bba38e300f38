"""Train tickets and flight itineraries.

A train ticket prints few labels: its values are recognised by their form (``G1234``,
``2019年05月12日10:05开``, ``05车12A号``) and by where they sit (the stations left and right
of the train number, the passenger's name right of the masked ID number). A flight
itinerary is a form whose labels sit above or beside their values; its segments are the
table rows under the ``自 至 承运人 航班号 ...`` header, one ``itinerary_list`` entry each.
"""

from __future__ import annotations

import re

from .common import DocText, Field
from .layout import find, label_value, near_value, norm, row_tokens
from .receipts import _put, row_index

__all__ = ["train_ticket", "flight_itinerary"]

_SEAT_CATS = r"(新空调硬座|新空调硬卧|新空调软卧|二等座|一等座|商务座|特等座|硬座|硬卧|软卧|软座|无座|动卧)"


def train_ticket(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a train ticket (火车票)."""
    f: dict[str, Field] = {}
    _put(f, "ticket_id", find(doc, r"(?<![A-Z0-9])([A-Z]\d{6})(?!\d)"))
    _put(f, "check_port", find(doc, r"检票[:\s]*([0-9]{1,2}[A-Z]?)"))
    _put(f, "departure_time", find(doc, r"(\d{4}年\d{1,2}月\d{1,2}日\s?\d{1,2}:\d{2}开)"), lambda s: s.replace(" ", ""))
    _put(f, "seat_number", find(doc, r"(\d{2}车\d{2,3}[A-F]?号)"))
    _put(f, "ticket_price", find(doc, r"([￥]\s?\d+(?:\.\d)?\s?元)"), lambda s: s.replace(" ", ""))
    _put(f, "seat_category", find(doc, _SEAT_CATS))
    _put(f, "sale_location", find(doc, r"([\u4e00-\u9fff]{2,6}售)(?![\u4e00-\u9fff])"))
    # the row of the train number: stations on either side
    for i, r in enumerate(doc.rows):
        toks = row_tokens(r)
        k = next((k for k, t in enumerate(toks) if re.fullmatch(r"[GDCZTKLY]?\d{1,4}", t.text)
                  and re.match(r"[GDCZTKLY]", t.text)), None)
        if k is None:
            continue
        f["train_number"] = Field(toks[k].text, r.score)
        left = "".join(t.text for t in toks[:k])
        right = "".join(t.text for t in toks[k + 1:])
        # the 站 printed after a station name belongs to the ticket, not the name
        left = re.sub(r"站$", "", re.sub(r"[^\u4e00-\u9fff]", "", left))
        right = re.sub(r"站$", "", re.sub(r"[^\u4e00-\u9fff]", "", right))
        if left:
            f["departure_station"] = Field(left, r.score)
        if right:
            f["destination_station"] = Field(right, r.score)
        break
    for i, r in enumerate(doc.rows):
        t = norm(r.text)
        m = re.search(r"(\d{10}\*{4}\d{3}[\dX])", t.replace(" ", ""))
        if m:
            f["id_number"] = Field(m.group(1), r.score)
            rest = re.sub(r"[\d*X\s]", "", t.split(m.group(1)[-4:])[-1] if m.group(1)[-4:] in t else t)
            nm = re.search(r"[\u4e00-\u9fff]{2,4}", rest)
            if nm:
                f["name"] = Field(nm.group(0), r.score)
            break
    return f, {}


# --- flight itinerary --------------------------------------------------------------------------

def _cur(prefix: str, v: str) -> str:
    v = v.replace(" ", "")
    m = re.fullmatch(r"([A-Z]{2,3})?(\d+\.\d{2})", v)
    if not m:
        return v
    return f"{m.group(1)} {m.group(2)}" if m.group(1) else (f"{prefix} {m.group(2)}" if prefix else m.group(2))


def _passenger(doc: DocText) -> Field | None:
    """The name after 旅客姓名 (its English subtitle may be read in between)."""
    for r in doc.rows:
        t = norm(r.text)
        if "旅客姓名" not in t.replace(" ", ""):
            continue
        t = re.sub(r"[A-Za-z.]+", " ", t.replace(" ", "  "))
        t = re.sub(r"有效身份证件号码.*|签注.*", "", t)
        m = re.search(r"旅\s*客\s*姓\s*名\s*([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])", re.sub(r"\s+", " ", t))
        if m is None:
            m = re.search(r"旅客姓名([\u4e00-\u9fff·]{2,4})", t.replace(" ", ""))
        if m:
            return Field(m.group(1), r.score)
    v = near_value(doc, r"旅客姓名", r"(?!有效|身份|证件|号码)[\u4e00-\u9fff·]{2,4}(?![\u4e00-\u9fff])")
    if v is not None:
        return v
    # the label misread: the Chinese word left of the ID number on its row
    for r in doc.rows:
        toks = row_tokens(r)
        k = next((k for k, t in enumerate(toks) if re.fullmatch(r"\d{17}[\dX]", t.text)), None)
        if k is None:
            continue
        for t in toks[:k]:
            if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", t.text) and not re.search(r"姓名|身份|证件|号码|旅客", t.text):
                return Field(t.text, 0.7 * r.score)
    return None


_MONEY_COLS = (("fare", "票价", "CNY"), ("caac_development_fund", "民航发展基金", "CN"),
               ("fuel_surcharge", "燃油附加费", "YQ"), ("other_taxes", "其他税费", ""), ("total", "合计", "CNY"))


def flight_itinerary(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``itinerary_list`` of a flight itinerary (航空运输电子客票行程单)."""
    f: dict[str, Field] = {}
    _put(f, "serial_number", label_value(doc, "印刷序号", r"\d{10}(?!\d)") or near_value(doc, "印刷序号", r"\d{10}(?!\d)")
         or find(doc, r"(?<![\d-])(\d{10})(?![\d-])", conf=0.7))
    _put(f, "passenger_name", _passenger(doc))
    _put(f, "id_number", find(doc, r"(?<![\dA-Z])(\d{17}[\dX])(?![\dA-Z])"))
    _put(f, "e_ticket_number", find(doc, r"(?<!\d)(\d{13})(?!\d)"))
    _put(f, "check_code", find(doc, r"(?:验证码|CK\.?)[^\d]{0,12}?(?<!\d)(\d{4})(?!\d)")
         or find(doc, r"(?<!\d)\d{13}(?!\d)\D{0,20}?(?<!\d)(\d{4})(?!\d)", conf=0.7))
    _put(f, "agent_code", find(doc, r"(?:销售单位代号|AGENT\s?CODE)[^\d]{0,20}?(?<!\d)(\d{8})(?!\d)")
         or near_value(doc, r"单位代号|AGENT", r"\d{8}(?!\d)")
         or find(doc, r"^(\d{8})$", conf=0.7))
    _put(f, "issue_organization", find(doc, r"([\u4e00-\u9fff]{4,}(?:有限公司|旅行社|公司))"))
    _put(f, "issue_date", find(doc, r"(?:填开日期|DATE OF ISSUE)[^\d]{0,30}?(\d{4}-\d{2}-\d{2})")
         or find(doc, r"(\d{4}-\d{2}-\d{2})", conf=0.8))
    # money: the row of amounts under the 票价 ... 合计 header
    hi = row_index(doc, "票价") or row_index(doc, "燃油附加费")
    if hi is None:  # header misread: the row above the first row of four or more amounts
        hi = next((i - 1 for i, r in enumerate(doc.rows) if i and len(re.findall(r"\d+\.\d{2}", r.text)) >= 4), None)
    if hi is not None:
        head = []
        for j in range(max(0, hi - 1), min(len(doc.rows), hi + 2)):
            head += row_tokens(doc.rows[j])
        xs = {}
        for name, zh, _ in _MONEY_COLS:
            t = next((t for t in head if zh in t.text), None)
            if t is not None:
                xs[name] = t.x0
        for j in range(hi + 1, min(len(doc.rows), hi + 4)):
            toks = row_tokens(doc.rows[j])
            if not any(re.search(r"\d+\.\d{2}", t.text) for t in toks):
                continue
            # join a currency tag with its amount, then deal amounts to the columns by x
            vals = []
            for t in toks:
                if vals and re.fullmatch(r"[A-Z]{2,3}", vals[-1][0]) and re.match(r"\d", t.text):
                    vals[-1] = (vals[-1][0] + " " + t.text, vals[-1][1])
                else:
                    vals.append((t.text, t.x0))
            vals = [v for v in vals if re.search(r"\d+\.\d{2}", v[0])]
            sc = doc.rows[j].score
            if len(vals) == 5:
                for (name, _, pre), (v, _) in zip(_MONEY_COLS, vals):
                    f[name] = Field(_cur(pre, v), sc)
            elif xs:
                for v, x in vals:
                    name = min(xs, key=lambda n: abs(xs[n] - x))
                    pre = dict((n, p) for n, _, p in _MONEY_COLS)[name]
                    f.setdefault(name, Field(_cur(pre, v), 0.8 * sc))
            break
    notes: list[str] = []
    extra: dict = {"itinerary_list": _segments(doc, notes)}
    if notes:
        extra["extra_info"] = {"inferred": "; ".join(notes)}
    return f, extra


_DAY = re.compile(r"(?<![A-Z0-9])[\dODBIlS]{2}(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|[O0]CT|N[O0]V|DEC)(?![A-Z])")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DD = r"[\dODBIlS]{2}"  # a day of month; letters a digit is often read as are mapped back in _day
_SEG = re.compile(r"^(\S+)\s+(\S+)\s+(\S+?)\s*([A-Z0-9]{2}\d{3,4})\s*([A-Z])\s+(" + _DD + r"[A-Z0]{3})\s*(\d{4})")


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


def _segments(doc: DocText, notes: list[str]) -> list[dict]:
    hi = row_index(doc, r"承运人|CARRIER|航班号")
    if hi is None:  # header misread: start above the first row holding a flight date
        hi = next((i - 1 for i, r in enumerate(doc.rows) if _DAY.search(r.text)), None)
        if hi is None:
            return []
    out = []
    for j in range(hi + 1, min(len(doc.rows), hi + 6)):
        t = norm(doc.rows[j].text)
        if re.search(r"票价|FARE|VOID", t) and not re.search(r"\d{2}[A-Z]{3}", t):
            if out or "票价" in t:
                break
            continue
        m = _SEG.search(t)
        if m:
            out.append({"departure_station": m.group(1), "destination_station": m.group(2), "carrier": m.group(3),
                        "flight": m.group(4), "cabin_class": m.group(5), "date": _day(m.group(6)), "time": m.group(7)})
            continue
        # fewer spaces: the flight number anchors the row; Chinese words before it
        m = re.search(r"([A-Z0-9]{2}\d{4})\s*([A-Z])?\s*(" + _DD + r"[A-Z0]{3})\s*(\d{4})(?:\s+([A-Z])[A-Z0-9]+)?", t)
        if m:
            cabin = m.group(2)
            if cabin is None and m.group(5):
                # the class letter not read: the fare basis (printed next) starts with it
                cabin = m.group(5)
                notes.append(f"itinerary_list[{len(out)}].cabin_class not read, taken from the fare basis")
            words = re.findall(r"[\u4e00-\u9fff]+", t[:m.start()])
            words += [""] * (3 - len(words))
            if len(words) > 3:
                words = words[:2] + ["".join(words[2:])]
            out.append({"departure_station": words[0], "destination_station": words[1], "carrier": words[2],
                        "flight": m.group(1), "cabin_class": cabin or "", "date": _day(m.group(3)),
                        "time": m.group(4)})
    return out
