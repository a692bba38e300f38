"""Train tickets (火车票): values recognised by their printed forms and checked within the ticket.

A train ticket prints almost no labels. Its values have fixed forms (``G1234``,
``2019年05月12日10:05开``, ``05车12A号``, ``￥53.0元``) and fixed places: the stations
left and right of the train number (the row above the stations' pinyin), the passenger's
name right of the masked ID number, the sale office (``…售``) at the foot. The ticket also
repeats itself: the long serial printed at its foot ends with the red ticket number of its
head (``10157300341017L008544`` / ``L008544``), so a ticket number whose letter was lost
or misread is restored from the serial, and the serial's number is used when the head's
was not read at all.

Reading photos of old, creased or small tickets, the recogniser often loses the big train
number or reads it as other digits, splits a station into its characters, and misreads
``年`` or ``:`` of the departure time; the stations are then still split at whatever was
read between them, and the time is read from its digits and put back in the printed form.

Examples
--------
>>> ticket_number_from_serial("142.1048953", "65773311420224J048953")
'142J048953'
>>> ticket_number_from_serial("008544", "10157300341017L008544")
'L008544'
>>> departure_time("2017￥09月27日16.52")
'2017年09月27日16:52开'
"""

from __future__ import annotations

import re

import numpy as np

from .common import DocText, Field
from .layout import norm, row_tokens
from .receipts import _put

__all__ = ["train_ticket", "ticket_number_from_serial", "departure_time", "split_stations"]

_CJK = "\u4e00-\u9fff"
#: seat categories as printed (longest first, so 新空调硬座 is not read as 硬座)
SEAT_CATEGORIES = ("新空调硬座", "新空调硬卧", "新空调软卧", "二等座", "一等座", "商务座", "特等座", "一等卧", "二等卧",
                   "硬座", "硬卧", "软卧", "软座", "无座", "动卧", "高级软卧")
_SEAT_CAT = "(" + "|".join(sorted(SEAT_CATEGORIES, key=len, reverse=True)) + ")"
#: the red ticket number at the head: a letter and six digits, sometimes after three more characters
_TICKET_ID = re.compile(r"(?<![A-Z0-9])((?:[A-Z0-9]{3})?[A-Z]\d{6})(?![0-9])")
#: the serial at the foot: fourteen or fifteen digits, then the ticket number's letter and digits
_SERIAL = re.compile(r"(?<![0-9])(\d{13,15}([A-Z])(\d{6}))(?![0-9])")
#: a train number: its class letter and one to four digits
_TRAIN = re.compile(r"[GDCZTKLYSP]\d{1,4}")
_TIME_STRICT = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日\d{1,2}:\d{2}开)")
#: the same with 年 / : misread or lost (the year's 年 read as ￥ or a digit's neighbour)
_TIME_LOOSE = re.compile(r"(?<!\d)(20\d{2})\s*[^\d\s]{1,2}?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(\d{1,2})\s*[:.,;]\s*(\d{2})(?!\d)")
_SEAT_NUMBER = re.compile(r"(\d{2}车\d{1,3}[A-F]?号(?:[上中下]铺)?)")
_PRICE = re.compile(r"(￥\d+(?:\.\d{1,2})?元)")
_CHECK_PORT = re.compile(r"检票口?:?([0-9]{1,2}[A-Z]?)")
_SALE = re.compile(rf"([{_CJK}]{{2,6}}售)(?![{_CJK}])")
#: an ID number with some digits masked (18 characters in all)
_MASKED_ID = re.compile(r"(?<![\d*])([\d*]{17}[\dX*])(?![\d*X])")
#: a row of the stations' pinyin: only Latin words
_PINYIN_ROW = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{3,})+")
#: the loose time form's confidence factor: digits read right, a separator put back
LOOSE_TIME_CONF = 0.8
#: a station name's length in characters, 站 excluded
_STATION_CHARS = (1, 8)
#: the gap, in characters of the row, that parts two station names whose train number was not read
STATION_GAP_CHARS = 2.0


def ticket_number_from_serial(head: str | None, serial: str) -> str:
    """The head's ticket number restored from the foot's serial (which ends with it).

    ``head`` is what was read at the head (possibly with its letter lost or misread,
    possibly None); the serial gives the letter and six digits. Up to three characters the
    head prints before them are kept when they read as letters or digits.

    Examples
    --------
    >>> ticket_number_from_serial("Z54H006881", "10157300341017H006881")
    'Z54H006881'
    >>> ticket_number_from_serial(None, "10157300341017L008544")
    'L008544'
    """
    m = _SERIAL.search(serial)
    if m is None:
        return head or ""
    tail = m.group(2) + m.group(3)
    if not head or not head.endswith(m.group(3)):
        return tail
    before = head[: -len(m.group(3))]
    if len(before) >= 4 and re.fullmatch(r"[A-Z0-9]{3}", before[:3]):
        return before[:3] + tail
    return tail


def departure_time(text: str) -> str | None:
    """The departure time in its printed form (``YYYY年MM月DD日HH:MM开``), read loosely.

    Examples
    --------
    >>> departure_time("2018年04月19日10:51开")
    '2018年04月19日10:51开'
    >>> departure_time("2017年11月17日 12:11 开 07车01C号")
    '2017年11月17日12:11开'
    """
    t = norm(text)
    m = _TIME_STRICT.search(t.replace(" ", ""))
    if m:
        return m.group(1)
    m = _TIME_LOOSE.search(t)  # spaces kept: the next value must not run into the minutes
    if m is None:
        return None
    y, mo, d, h, mi = m.groups()
    return f"{y}年{int(mo):02d}月{int(d):02d}日{int(h):02d}:{mi}开"


def _station(text: str) -> str:
    s = re.sub(rf"[^{_CJK}]", "", text)
    s = re.sub(r"站$", "", s)
    lo, hi = _STATION_CHARS
    return s if lo <= len(s) <= hi else ""


def split_stations(tokens: list[str], spans: list[tuple[float, float]] | None = None,
                   extent: tuple[float, float] | None = None) -> tuple[str, str, str]:
    """Departure station, train number, destination station from the tokens of their row.

    The row reads ``<from>站 <train> <to>站``; the train number may be lost or misread
    (the stations are then split at whatever was read between them, after the first name
    that ends in 站, or at the widest gap between the tokens), and a station may come in
    pieces. With the tokens' x ``spans`` and the x ``extent`` of the document's text, a lone
    name is the departure left of its middle and the destination right of it.

    Examples
    --------
    >>> split_stations(["石家庄站", "G6714", "北京西站"])
    ('石家庄', 'G6714', '北京西')
    >>> split_stations(["扬", "州", "065566", "合肥南站"])
    ('扬州', '', '合肥南')
    >>> split_stations(["杭州东站", "开", "封北"])
    ('杭州东', '', '开封北')
    >>> split_stations(["扬", "州", "合肥南站"], [(20, 40), (45, 65), (200, 280)], (0, 360))
    ('扬州', '', '合肥南')
    >>> split_stations(["杭州", "东站"], [(30, 70), (72, 110)], (0, 360))
    ('杭州东', '', '')
    """
    k = next((k for k, t in enumerate(tokens) if _TRAIN.fullmatch(t)), None)
    if k is not None:  # read as its own token: the stations are what is left and right of it
        return _station("".join(tokens[:k])), tokens[k], _station("".join(tokens[k + 1:]))
    joined = "".join(tokens)
    # a train number, or any other non-Chinese run, between two Chinese runs
    m = re.fullmatch(rf"([{_CJK}]+)[^{_CJK}]+([{_CJK}]+)", joined)
    if m:
        mid = re.search(rf"[^{_CJK}]+", joined).group(0)
        t = _TRAIN.fullmatch(mid.strip())
        return _station(m.group(1)), (t.group(0) if t else ""), _station(m.group(2))
    if not re.fullmatch(rf"[{_CJK}]+", joined):
        return "", "", ""
    k = joined.find("站")
    if 0 < k < len(joined) - 1:
        return _station(joined[: k + 1]), "", _station(joined[k + 1:])
    if spans is None or extent is None or len(spans) != len(tokens):
        return "", "", ""
    gaps = [spans[i + 1][0] - spans[i][1] for i in range(len(spans) - 1)]
    char = (spans[-1][1] - spans[0][0]) / max(len(joined), 1)
    if gaps and max(gaps) > STATION_GAP_CHARS * char:
        i = int(np.argmax(gaps)) + 1
        return _station("".join(tokens[:i])), "", _station("".join(tokens[i:]))
    centre = (spans[0][0] + spans[-1][1]) / 2
    return (_station(joined), "", "") if centre < sum(extent) / 2 else ("", "", _station(joined))


def _stations_row(doc: DocText) -> int | None:
    """The row of the stations: the one holding a train number between Chinese, else the one
    above the stations' pinyin, else the first with two names ending in 站."""
    texts = [norm(r.text) for r in doc.rows]
    for i, t in enumerate(texts):
        toks = t.split()
        if any(_TRAIN.fullmatch(x) for x in toks) and re.search(rf"[{_CJK}]", t):
            return i
    for i, t in enumerate(texts):
        if i > 0 and _PINYIN_ROW.fullmatch(t.strip()) and re.search(rf"[{_CJK}]{{2,}}", texts[i - 1]):
            return i - 1
    for i, t in enumerate(texts):
        if len(re.findall(rf"[{_CJK}]站", t)) >= 2:
            return i
    return None


def _first(doc: DocText, pattern: re.Pattern, *, last: bool = False) -> Field | None:
    rows = reversed(doc.rows) if last else doc.rows
    for r in rows:
        m = pattern.search(norm(r.text).replace(" ", ""))
        if m:
            return Field(m.group(1), r.score)
    return None


def _ticket_id(doc: DocText) -> Field | None:
    """The head's red ticket number, checked against (or restored from) the foot's serial."""
    serial = _first(doc, _SERIAL, last=True)
    half = max(1, len(doc.rows) // 2)
    head = None
    for r in doc.rows[:half]:
        t = norm(r.text)
        if serial is not None and serial.value in t.replace(" ", ""):
            continue
        m = _TICKET_ID.search(t.replace(" ", ""))
        if m:
            head = Field(m.group(1), r.score)
            break
    if serial is None:
        return head
    if head is not None and head.value.endswith(serial.value[-7:]):
        return head
    # the head read without its letter (or with it misread): its digits end as the serial does
    digits6 = serial.value[-6:]
    for r in doc.rows[:half]:
        for tok in norm(r.text).split():
            if tok.endswith(digits6) and tok != serial.value:
                return Field(ticket_number_from_serial(tok, serial.value), min(r.score, serial.confidence))
    return Field(ticket_number_from_serial(None, serial.value), serial.confidence) if head is None else head


def train_ticket(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a train ticket (火车票).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.locate import Region
    >>> from ocrframe.engine.ocr import TextLine
    >>> def line(t, y):
    ...     q = np.array([[0, y], [300, y], [300, y + 30], [0, y + 30]], float)
    ...     return TextLine(q, t, 0.99, np.array([1.0, 0.0]))
    >>> rows = ["L008544 检票:17", "天津站 C2008 北京南站", "Tianjin Beijingnan", "2017年10月16日08:02开 02车02D号"]
    >>> region = Region(np.array([[0, 0], [300, 0], [300, 200], [0, 200]], float),
    ...                 [line(t, 40 * i) for i, t in enumerate(rows)], np.array([1.0, 0.0]), "text")
    >>> f, _ = train_ticket(DocText(region))
    >>> f["train_number"].value, f["destination_station"].value, f["check_port"].value
    ('C2008', '北京南', '17')
    """
    f: dict[str, Field] = {}
    _put(f, "ticket_id", _ticket_id(doc))
    _put(f, "check_port", _first(doc, _CHECK_PORT))
    for r in doc.rows:
        t = departure_time(r.text)
        if t:
            strict = _TIME_STRICT.search(norm(r.text).replace(" ", "")) is not None
            f["departure_time"] = Field(t, r.score * (1.0 if strict else LOOSE_TIME_CONF))
            break
    _put(f, "seat_number", _first(doc, _SEAT_NUMBER))
    _put(f, "ticket_price", _first(doc, _PRICE))
    _put(f, "seat_category", _first(doc, re.compile(_SEAT_CAT)))
    _put(f, "sale_location", _first(doc, _SALE, last=True))
    i = _stations_row(doc)
    if i is not None:
        r = doc.rows[i]
        toks = row_tokens(r)
        xs = [x for row in doc.rows for p in row.pieces for x in (p.x0, p.x1)]
        dep, train, dst = split_stations([t.text for t in toks], [(t.x0, t.x1) for t in toks], (min(xs), max(xs)))
        for name, v in (("departure_station", dep), ("train_number", train), ("destination_station", dst)):
            if v:
                f[name] = Field(v, r.score)
    for r in doc.rows:
        t = norm(r.text)
        m = next((m for m in _MASKED_ID.finditer(t.replace(" ", "")) if "*" in m.group(1)), None)
        if m:
            f["id_number"] = Field(m.group(1), r.score)
            rest = t.replace(" ", "").split(m.group(1), 1)[1]
            nm = re.search(rf"[{_CJK}]{{2,4}}", rest)
            if nm:
                f["name"] = Field(nm.group(0), r.score)
            break
    return f, {}
