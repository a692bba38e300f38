"""Taxi receipts (出租汽车发票): the layouts of several cities."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas
from .layout import Layout, register
from .parts import MONO, paper, supervision_seal


# --- taxi invoice ----------------------------------------------------------------------------

def _taxi(c: Canvas, v: dict, style) -> None:
    ink = (190, 40, 50) if style[0] else (40, 70, 150)
    c.value((c.w / 2, 24), f"{v['_province']}市出租汽车专用发票", 28, face="hei", fill=ink, anchor="mt", max_w=c.w - 30)
    c.text((c.w / 2, 64), "发 票 联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w / 2, 128), v["_province"], r=44)
    c.text((24, 170), "发票代码", 20, face="hei", fill=ink)
    c.value((130, 168), v["code"], 22, face="monob", fill=(180, 30, 40))
    c.text((24, 204), "发票号码", 20, face="hei", fill=ink)
    c.value((130, 202), v["number"], 22, face="monob", fill=(180, 30, 40))
    c.rect((16, 240, c.w - 16, c.h - 50), outline=ink, width=2)
    rows = [("电话", "phone_number"), ("车号", "taxi_number"), ("证号", "certificate_number"), ("日期", "date"),
            ("上车", "boarding_time"), ("下车", "alighting_time"), ("单价", "unit_price"), ("里程", "distance"),
            ("等候", "waiting_time"), ("金额", "total")]
    for i, (label, key) in enumerate(rows):
        y = 262 + i * 44
        c.text((44, y), label, 24, **MONO)
        c.value((140, y), v[key], 24, **MONO)
    c.text((c.w / 2, c.h - 36), "本发票手写无效", 18, face="hei", fill=ink, anchor="mt")


register(DocType.TAXI_INVOICE, Layout(
    size=lambda s: (420, 760), style=lambda rng, v: (rng.randrange(2),),
    background=paper((248, 246, 240)), draw=_taxi, misprint=6))
