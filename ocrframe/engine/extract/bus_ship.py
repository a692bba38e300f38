"""Bus and ship tickets (车船票: 公路汽车客票, 水路旅客运输客票), by label and form.

Provinces print these on many forms: codes in the header like any invoice, the stations
as ``到站`` / ``到达站`` / ``终点站`` with the name after the label or the departure station
alone, the date and departure time in a table under ``乘车日期`` / ``开车时间`` heads or
after ``日期:`` / ``时间:``, the fare after ``票价`` (often with a fuel surcharge beside it,
which is no fare). The values are assigned to their labels jointly by
:func:`~.assign.assign`.
"""

from __future__ import annotations

import re

from ...types import DocType
from ..classify import titles
from .assign import assign
from .common import DocText, Field
from .invoice_fields import code_field, number_field, yuan
from .patterns import clock, cjk, date, money
from .vocab import FieldVocab, Vocabulary

__all__ = ["bus_ship_ticket", "BUS_SHIP_VOCAB"]

#: a station's name: a few Chinese characters (a place, a district, a pier), never a label
_STATION = cjk(2, 16, extra="0-9()（）", exclude=r"客票|发票|车票|船票|票价|日期|时间|车次|座号|检票|乘车|开车|燃油|保险")

BUS_SHIP_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    FieldVocab("departure_station", ("出发站", "发站", "起点站", "始发站", "乘车站", "起站", "上车站", "FROM"), _STATION),
    FieldVocab("destination_station", ("到站", "到达站", "终点站", "到达", "目的站", "下车站", "TO"), _STATION),
    FieldVocab("date", ("乘车日期", "日期", "发车日期", "开船日期", "乘船日期", "DATE"), date(), fallback=True, below=True),
    FieldVocab("time", ("开车时间", "发车时间", "时间", "开船时间", "TIME"), clock(), below=True),
    FieldVocab("amount", ("票价", "全价", "金额", "实收", "票款", "PRICE"), money(codes=False, decimals=False), fmt=yuan),
    FieldVocab("name", ("姓名", "乘客", "旅客姓名", "NAME"), cjk(2, 4)),
), barriers=("燃油费", "燃油附加费", "保险费", "发票联", "车次", "座号", "检票口"), titles=titles(DocType.BUS_SHIP_TICKET))


#: a row of two stations with no labels: ``天津 → 上海``, ``天津—上海``, ``天津 至 上海`` (the
#: arrow often read as a dash or dropped between two pieces)
_ROUTE = re.compile(r"^([\u4e00-\u9fff()（）]{2,16})\s*(?:→|->|—>|=>|＞|>|—|-|一|至|到|\s)\s*([\u4e00-\u9fff()（）]{2,16})$")
#: stations read from a route row alone are less sure than after their labels
ROUTE_CONF = 0.8


def _route(doc: DocText) -> tuple[Field, Field] | None:
    """The departure and destination stations printed as a route row, the first such row."""
    for row in doc.rows:
        m = _ROUTE.match(" ".join(p.text.strip() for p in row.pieces).strip())
        if m and not any(_STATION_LABEL.search(g) for g in m.groups()):
            return Field(m.group(1), ROUTE_CONF * row.score), Field(m.group(2), ROUTE_CONF * row.score)
    return None


_STATION_LABEL = re.compile(r"客票|发票|车票|船票|票价|日期|时间|车次|座号|检票|乘车|开车|燃油|保险|姓名|到站|发站")


def bus_ship_ticket(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a bus or ship ticket (车船票), by label and form; the stations, when no
    label names them, from a route row (``天津 → 上海``)."""
    f = assign(doc, BUS_SHIP_VOCAB)
    if "departure_station" not in f or "destination_station" not in f:
        # the route row names both: one station found alone by its form may be a piece of it
        route = _route(doc)
        if route is not None:
            f["departure_station"], f["destination_station"] = route
    return f, {}
