"""The newer API's three types: bus/ship ticket, ride-hailing itinerary, machine-printed invoice.

Not among the 17 original types, so scenes draw them only when asked
(``types=[...]`` or ``--types``).
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche
from .layout import Layout, register
from .parts import MONO, paper, supervision_seal
from .receipts import roll_invoice


def _bus_ship(c: Canvas, v: dict, style) -> None:
    ink = (30, 90, 150) if v["_kind"] == "汽车票" else (20, 110, 110)
    title = f"{v['_province']}公路汽车客票" if v["_kind"] == "汽车票" else f"{v['_province']}水路旅客运输客票"
    c.value((c.w / 2, 20), title, 30, face="hei", fill=ink, anchor="mt", max_w=c.w - 60)
    supervision_seal(c, (90, 110), v["_province"], r=46)
    c.text((360, 80), "发票代码", 20, face="hei", fill=ink)
    c.value((460, 78), v["code"], 22, face="monob", fill=(30, 30, 30))
    c.text((360, 112), "发票号码", 20, face="hei", fill=ink)
    c.value((460, 110), v["number"], 22, face="monob", fill=(180, 30, 40))
    c.rect((20, 150, c.w - 20, c.h - 20), outline=ink, width=2)
    c.value((50, 178), v["departure_station"], 30, face="hei", max_w=250)
    c.text((c.w / 2, 190), "→", 30, face="hei", fill=(30, 30, 30), anchor="mt")
    c.value((c.w - 50, 178), v["destination_station"], 30, face="hei", anchor="ra", max_w=250)
    rows = [("日期:", "date", 50, 250), ("时间:", "time", 400, 250), ("票价:", "amount", 50, 310), ("姓名:", "name", 400, 310)]
    for label, key, x, y in rows:
        c.text((x, y), label, 24, **MONO)
        c.value((x + 80, y), v[key], 26, **MONO)


def _ride(c: Canvas, v: dict, style) -> None:
    ink = (40, 40, 50)
    c.value((60, 40), f"{v['service_provider']}-行程单", 40, face="hei", fill=(240, 120, 30))
    c.text((c.w - 60, 52), "TRIP TABLE", 26, face="latinb", fill=(150, 150, 160), anchor="ra")
    c.text((60, 120), "申请日期:", 22, face="hei", fill=ink)
    c.value((170, 118), v["application_date"], 24, face="hei")
    c.text((60, 160), "行程时间:", 22, face="hei", fill=ink)
    c.value((170, 158), v["trip_start_date"], 24, face="hei")
    c.text((310, 160), "至", 22, face="hei", fill=ink)
    c.value((345, 158), v["trip_end_date"], 24, face="hei")
    c.text((60, 200), "行程人手机号:", 22, face="hei", fill=ink)
    c.value((215, 198), v["phone_number"], 24, face="hei")
    c.value((60, 240), f"共{len(v['itinerary_list'])}笔行程,合计", 22, face="hei", fill=ink)
    c.value((300, 236), v["total"], 28, face="hei")
    c.value((300 + 16 * len(v["total"]) + 8, 240), "元", 22, face="hei", fill=ink)
    cols = [(60, "序号", None), (130, "车型", "car_type"), (250, "上车时间", "pick_up_time"), (430, "城市", "city"),
            (520, "起点", "start_place"), (770, "终点", "end_place"), (1020, "里程[公里]", "distance"), (1140, "金额[元]", "amount")]
    y = 300
    c.rect((50, y - 10, c.w - 50, y + 30), fill=(245, 245, 248))
    for x, title, _ in cols:
        c.text((x, y), title, 20, face="hei", fill=ink)
    for r, row in enumerate(v["itinerary_list"]):
        yy = y + 56 + r * 50
        c.line([(50, yy - 14), (c.w - 50, yy - 14)], fill=(220, 220, 225), dyn=True)
        c.value((60, yy), str(r + 1), 20, face="hei")
        for x, _, key in cols[1:]:
            c.value((x, yy), row[key], 20, face="hei", max_w=240)
    c.text((60, c.h - 60), "说明:每笔行程的金额以实际支付金额为准。", 18, face="hei", fill=(120, 120, 130))


register(DocType.BUS_SHIP_TICKET, Layout(
    size=lambda s: (760, 380), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (244, 246, 250), (170, 190, 220), seed=131 + s[0], strength=0.2),
    draw=_bus_ship, misprint=6))
register(DocType.RIDE_HAILING_ITINERARY, Layout(
    size=lambda s: (1300, 560 + 50 * s[0]), style=lambda rng, v: (len(v["itinerary_list"]),),
    background=paper((252, 252, 252)), draw=_ride))
register(DocType.MACHINE_PRINTED_INVOICE, Layout(
    size=lambda s: (480, 760 + 34 * s[0]), style=lambda rng, v: (len(v["item_list"]),),
    background=paper(), draw=roll_invoice))
