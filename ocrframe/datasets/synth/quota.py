"""Quota invoices (定额发票): the forms of several provinces."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche
from .layout import Layout, register
from .parts import supervision_seal


# --- quota invoice ---------------------------------------------------------------------------

def _quota(c: Canvas, v: dict, style) -> None:
    ink = (190, 40, 50) if style[0] == 0 else (30, 80, 150)
    c.value((c.w / 2, 22), f"{v['location']}市通用定额发票", 34, face="hei", fill=ink, anchor="mt", spacing=3)
    c.text((c.w / 2, 70), "发 票 联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (110, 120), v["location"], r=54)
    c.text((430, 110), "发票代码", 20, face="hei", fill=ink)
    c.value((530, 108), v["code"], 24, face="monob", fill=(30, 30, 30))
    c.text((430, 144), "发票号码", 20, face="hei", fill=ink)
    c.value((530, 142), v["number"], 24, face="monob", fill=(180, 30, 40))
    c.rect((24, 190, c.w - 24, c.h - 24), outline=ink, width=3)
    c.value((c.w / 2, 215), v["_words"], 76, face="hei", fill=ink, anchor="mt", spacing=8)
    c.value((c.w / 2, 318), v["amount"], 34, face="monob", fill=ink, anchor="mt")


register(DocType.QUOTA_INVOICE, Layout(
    size=lambda s: (720, 400), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (248, 244, 236) if s[0] == 0 else (240, 245, 250),
                                         (230, 180, 170) if s[0] == 0 else (170, 190, 225), seed=111 + s[0], strength=0.25),
    draw=_quota))
