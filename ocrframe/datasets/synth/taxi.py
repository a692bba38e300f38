"""Taxi receipts (出租汽车发票): the layouts of several cities.

- ``classic``: code and number under the title, then a framed block of labels with the
  meter's values beside them (no colons);
- ``beijing``: code and number as the first lines, ``发票代码：111001681007``; the meter
  prints the body, label and value on one line with a colon, and card lines after the fare;
- ``shanghai`` (held out): a thermal slip; the form's Chinese labels in a column, the
  meter's English labels (TAXI NO., DATE, TIME, UNIT, DIST., WAIT, TOTAL) with the values,
  boarding and alighting time on one line (``10:05-10:30``);
- ``boxed`` (held out): a preprinted grid whose labels carry the units (``单价(元/公里)``),
  values printed without them by a dot-matrix printer that often misses the boxes.
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, text_width
from .formats import in_city, plain_money
from .layout import Layout, register
from .parts import MONO, code_and_number, dashed, paper, supervision_seal
from .printing import Printer

RED = (180, 30, 40)


# --- classic -----------------------------------------------------------------------------------

def _classic(c: Canvas, v: dict, style) -> None:
    ink = (190, 40, 50) if style[0] else (40, 70, 150)
    c.value((c.w / 2, 24), f"{v['_province']}市出租汽车专用发票", 28, face="hei", fill=ink, anchor="mt", max_w=c.w - 30,
            form=True)
    c.text((c.w / 2, 64), "发 票 联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w / 2, 128), v["_province"], r=44)
    code_and_number(c, v, (24, 170), ink=ink, step=34, value_dx=106, code_fill=RED)
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
    name="classic", size=lambda s: (420, 760), style=lambda rng, v: (rng.randrange(2),),
    background=paper((248, 246, 240)), draw=_classic, misprint=6,
    printer=Printer(line_h=44, misregister_rate=0.2, dot_matrix_rate=0.3, fade_rate=0.15)))


# --- Beijing: code and number as header lines, "label：value" lines ------------------------------

def _beijing(c: Canvas, v: dict, style) -> None:
    ink = (200, 45, 55)
    size = 22
    for i, (label, key) in enumerate((("发票代码：", "code"), ("发票号码：", "number"))):
        y = 18 + i * 32
        c.text((26, y), label, size, face="hei", fill=ink)
        c.value((26 + size * 5 + 2, y - 1), v[key], size + 2, face="monob", fill=RED, form=True)
    c.value((c.w / 2, 92), f"{v['_province']}市出租汽车专用发票", 27, face="hei", fill=ink, anchor="mt",
            max_w=c.w - 30, form=True)
    c.text((c.w / 2, 128), "发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 70, 176), v["_province"], r=40)
    lines = [("电话：", "phone_number"), ("车号：", "taxi_number"), ("证号：", "certificate_number"),
             ("日期：", "date"), ("上车：", "boarding_time"), ("下车：", "alighting_time"), ("单价：", "unit_price"),
             ("里程：", "distance"), ("等候：", "waiting_time"), ("状态：", None), ("金额：", "total"),
             ("卡号：", None), ("原额：", None), ("余额：", None)]
    x, y0, step = 34, 232, 38
    for i, (label, key) in enumerate(lines):
        y = y0 + i * step
        c.printed((x, y), label, size, **MONO)
        if key is not None:
            c.value((x + size * 3, y), v[key], size, **MONO)
        elif label == "状态：":
            c.printed((x + size * 3, y), "载客", size, **MONO)
        else:
            c.printed((x + size * 3, y), "--", size, **MONO)
    dashed(c, c.h - 56, 20, c.w - 20, fill=ink)
    c.text((c.w / 2, c.h - 40), "乘车请索取发票  本发票手写无效", 16, face="hei", fill=ink, anchor="mt")


register(DocType.TAXI_INVOICE, Layout(
    name="beijing", size=lambda s: (400, 820), style=lambda rng, v: (0,),
    background=paper((251, 250, 247)), draw=_beijing, adapt=lambda v, rng: in_city(v, "北京市", plate="taxi_number"),
    printer=Printer(line_h=38, misregister_rate=0.2, dot_matrix_rate=0.4, fade_rate=0.3)))


# --- Shanghai: thermal slip, English labels printed with the values -----------------------------

def _shanghai(c: Canvas, v: dict, style) -> None:
    ink = (40, 70, 150)
    surcharge = style[0]
    c.value((c.w / 2, 20), f"{v['_province']}市出租汽车统一发票", 26, face="hei", fill=ink, anchor="mt",
            max_w=c.w - 24, form=True)
    c.text((c.w / 2, 54), "发票联  INVOICE", 18, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (62, 116), v["_province"], r=38)
    code_and_number(c, v, (128, 94), ink=ink, step=30, value_dx=86, label_size=18, value_size=20)
    c.line([(16, 164), (c.w - 16, 164)], fill=ink, width=2)
    rows = [("电话", "TEL.", ("phone_number",)), ("车号", "TAXI NO.", ("taxi_number",)),
            ("证号", "CERT. NO.", ("certificate_number",)), ("日期", "DATE", ("date",)),
            ("时间", "TIME", ("boarding_time", "alighting_time")), ("单价", "UNIT", ("unit_price",)),
            ("里程", "DIST.", ("distance",)), ("等候", "WAIT", ("waiting_time",))]
    if surcharge:
        rows.append(("附加", "SURCH.", None))
    rows.append(("金额", "TOTAL", ("total",)))
    y0, step = 184, 40
    for i, (zh, en, keys) in enumerate(rows):
        y = y0 + i * step
        c.text((24, y + 2), zh, 18, face="hei", fill=ink)
        c.printed((78, y), en, 20, face="mono", fill=(30, 30, 30))
        x = 212
        if keys is None:
            c.printed((x, y), "1.00元", 22, **MONO)
            continue
        for j, key in enumerate(keys):
            if j:
                c.printed((x, y), "-", 22, **MONO)
                x += text_width("-", 22, MONO["face"])
            c.value((x, y), v[key], 22, **MONO)
            x += text_width(v[key], 22, MONO["face"]) + 2
    y = y0 + len(rows) * step + 10
    c.line([(16, y), (c.w - 16, y)], fill=ink, width=2)
    c.text((c.w / 2, y + 14), "投诉电话 COMPLAINTS 12345", 16, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, y + 40), "谢谢乘坐  THANK YOU", 16, face="hei", fill=ink, anchor="mt")


register(DocType.TAXI_INVOICE, Layout(
    name="shanghai", heldout=True, size=lambda s: (400, 640 + 40 * s[0]), style=lambda rng, v: (rng.random() < 0.4,),
    background=paper((246, 246, 243)), draw=_shanghai, adapt=lambda v, rng: in_city(v, "上海市", plate="taxi_number"),
    printer=Printer(line_h=40, misregister_rate=0.2, misregister=0.35, fade_rate=0.6, fade=(0.3, 0.75))))


# --- boxed: a grid whose labels carry the units ---------------------------------------------------

def _boxed_values(v: dict, rng) -> dict:
    out = dict(v)
    for key in ("unit_price", "total"):
        out[key] = plain_money(v[key])
    out["distance"] = v["distance"].removesuffix("km")
    return out


BOXED_ROWS = [("监督电话", "phone_number"), ("车    号", "taxi_number"), ("证    号", "certificate_number"),
              ("日    期", "date"), ("上车时间", "boarding_time"), ("下车时间", "alighting_time"),
              ("单价(元/公里)", "unit_price"), ("里程(公里)", "distance"), ("等候时间", "waiting_time"),
              ("金额(元)", "total")]


def _boxed(c: Canvas, v: dict, style) -> None:
    ink = (30, 110, 80) if style[0] else (150, 60, 40)
    c.value((c.w / 2, 22), f"{v['_province']}市出租汽车统一发票", 28, face="hei", fill=ink, anchor="mt",
            max_w=c.w - 30, form=True)
    c.text((c.w / 2, 60), "发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (70, 126), v["_province"], r=42)
    c.text((150, 102), "发票代码", 18, face="hei", fill=ink)
    c.value((236, 100), v["code"], 20, face="monob", fill=(30, 30, 30), form=True)
    c.text((150, 136), "No", 20, face="latinb", fill=RED)
    c.value((190, 132), v["number"], 24, face="monob", fill=RED, form=True)
    x0, x1, xm, y0, row = 18, c.w - 18, 178, 178, 46
    for i, (label, key) in enumerate(BOXED_ROWS):
        y = y0 + i * row
        c.text(((x0 + xm) / 2, y + row / 2), label, 19, face="hei", fill=ink, anchor="mm", max_w=xm - x0 - 10)
        c.value((xm + 16, y + row / 2), v[key], 23, anchor="lm", **MONO)
    y1 = y0 + len(BOXED_ROWS) * row
    c.rect((x0, y0, x1, y1), outline=ink, width=2)
    c.hlines(x0, x1, [y0 + i * row for i in range(1, len(BOXED_ROWS))], fill=ink, width=1)
    c.vlines(y0, y1, [xm], fill=ink, width=1)
    c.text((c.w / 2, y1 + 16), "本发票手写无效  发票号码与车号不符无效", 15, face="hei", fill=ink, anchor="mt")


register(DocType.TAXI_INVOICE, Layout(
    name="boxed", heldout=True, size=lambda s: (440, 700), style=lambda rng, v: (rng.randrange(2),),
    background=paper((247, 247, 242)), draw=_boxed, adapt=_boxed_values,
    printer=Printer(line_h=46, misregister_rate=0.6, misregister=0.5, dot_matrix_rate=0.7, fade_rate=0.1)))
