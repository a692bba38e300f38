"""Toll receipts (车辆通行费发票): dot-matrix forms and thermal slips."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas
from .layout import Layout, register
from .parts import MONO, dashed, paper, supervision_seal


# --- toll invoice ----------------------------------------------------------------------------

def _toll(c: Canvas, v: dict, style) -> None:
    ink = (40, 90, 60) if style[0] == 0 else (40, 70, 150)
    c.value((c.w / 2, 22), f"{v['_province']}高速公路", 30, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 62), "车辆通行费专用发票", 30, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 102), "发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 80, 160), v["_province"], r=46)
    c.text((24, 146), "发票代码", 20, face="hei", fill=ink)
    c.value((130, 144), v["code"], 22, face="monob", fill=(30, 30, 30))
    c.text((24, 180), "发票号码", 20, face="hei", fill=ink)
    c.value((130, 178), v["number"], 22, face="monob", fill=(180, 30, 40))
    dashed(c, 222, 20, c.w - 20, fill=ink)
    rows = [("入口:", "entry"), ("出口:", "exit"), ("车型:", "vehicle_type"), ("金额:", "amount"),
            ("日期:", "date"), ("时间:", "time")]
    for i, (label, key) in enumerate(rows):
        y = 244 + i * 44
        c.text((30, y), label, 24, **MONO)
        c.value((110, y), v[key], 24, max_w=c.w - 130, **MONO)
    c.text((30, 244 + 6 * 44), "收费员:", 22, **MONO)
    c.value((130, 244 + 6 * 44), str(int(v["number"]) % 90000 + 10000), 22, **MONO)
    dashed(c, 560, 20, c.w - 20, fill=ink)
    c.text((c.w / 2, 576), "祝您一路平安", 22, face="hei", fill=ink, anchor="mt")


register(DocType.TOLL_INVOICE, Layout(
    size=lambda s: (500, 640), style=lambda rng, v: (rng.randrange(2),),
    background=paper((250, 250, 246)), draw=_toll))
