"""Toll receipts (车辆通行费发票): dot-matrix forms and thermal slips.

- ``classic``: a narrow slip, code and number under the title, ``入口:`` ... lines;
- ``dotmatrix``: the old preprinted form with boxes, ``票据代码：``, values printed by a
  dot-matrix printer that often sits half a line off (values above or across their labels);
  stations without the road, the amount as ``35.00元``;
- ``thermal`` (held out): a thermal slip printed whole (code and number too), ``入口站：``,
  the amount as ``35.00`` after ``实收(元)：``, date and time on one line (``通行时间：``);
- ``provincial`` (held out): a landscape form with bilingual column heads and the values
  *under* their labels, exit time ``2019/05/12 10:22``, code and number in the footer.
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas
from .formats import plain_money, ymd
from .layout import Layout, register
from .parts import MONO, code_and_number, dashed, paper, supervision_seal
from .printing import Printer

RED = (180, 30, 40)
DARK = (30, 30, 30)


def _collector(v: dict) -> str:
    """The toll collector's number, printed on every form (not a labelled field)."""
    return str(int(v["number"]) % 90000 + 10000)


# --- classic -----------------------------------------------------------------------------------

def _classic(c: Canvas, v: dict, style) -> None:
    ink = (40, 90, 60) if style[0] == 0 else (40, 70, 150)
    c.value((c.w / 2, 22), f"{v['_province']}高速公路", 30, face="hei", fill=ink, anchor="mt", form=True)
    c.text((c.w / 2, 62), "车辆通行费专用发票", 30, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 102), "发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 80, 160), v["_province"], r=46)
    code_and_number(c, v, (24, 146), ink=ink, step=34, value_dx=106)
    dashed(c, 222, 20, c.w - 20, fill=ink)
    rows = [("入口:", "entry"), ("出口:", "exit"), ("车型:", "vehicle_type"), ("金额:", "amount"),
            ("日期:", "date"), ("时间:", "time")]
    for i, (label, key) in enumerate(rows):
        y = 244 + i * 44
        c.text((30, y), label, 24, **MONO)
        c.value((110, y), v[key], 24, max_w=c.w - 130, **MONO)
    c.text((30, 244 + 6 * 44), "收费员:", 22, **MONO)
    c.value((130, 244 + 6 * 44), _collector(v), 22, record=False, **MONO)
    dashed(c, 560, 20, c.w - 20, fill=ink)
    c.text((c.w / 2, 576), "祝您一路平安", 22, face="hei", fill=ink, anchor="mt")


register(DocType.TOLL_INVOICE, Layout(
    name="classic", size=lambda s: (500, 640), style=lambda rng, v: (rng.randrange(2),),
    background=paper((250, 250, 246)), draw=_classic,
    printer=Printer(line_h=44, misregister_rate=0.25, dot_matrix_rate=0.3, fade_rate=0.2)))


# --- dotmatrix: the old preprinted form with boxes ------------------------------------------------

def _station(name: str) -> str:
    """``京港澳高速杜家坎站`` -> ``杜家坎站`` (the old forms print the station only)."""
    for road_end in ("高速", "京港澳", "绕城"):
        if road_end in name:
            return name[name.index(road_end) + len(road_end):] or name
    return name


def _dotmatrix_values(v: dict, rng) -> dict:
    out = dict(v)
    out["entry"], out["exit"] = _station(v["entry"]), _station(v["exit"])
    out["amount"] = plain_money(v["amount"]) + "元"
    return out


def _dotmatrix(c: Canvas, v: dict, style) -> None:
    ink = (30, 60, 130) if style[0] else (120, 40, 60)
    c.value((c.w / 2, 18), f"{v['_province']}省高速公路" if v["_province"] not in ("北京", "上海", "天津", "重庆")
            else f"{v['_province']}市高速公路", 26, face="hei", fill=ink, anchor="mt", form=True)
    c.text((c.w / 2, 52), "车辆通行费专用票据", 28, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (72, 118), v["_province"], r=40)
    c.text((150, 100), "票据代码：", 19, face="hei", fill=ink)
    c.value((150 + 19 * 5, 98), v["code"], 21, face="mono", fill=DARK, form=True)
    c.text((150, 132), "票据号码：", 19, face="hei", fill=ink)
    c.value((150 + 19 * 5, 128), v["number"], 23, face="monob", fill=RED, form=True)
    x0, xm, x1, y0, row = 20, 150, c.w - 20, 176, 48
    cells = [("入  口", "entry"), ("出  口", "exit"), ("车  型", "vehicle_type"), ("金  额", "amount"),
             ("日  期", "date"), ("时  间", "time"), ("收费员", None)]
    for i, (label, key) in enumerate(cells):
        y = y0 + i * row
        c.text(((x0 + xm) / 2, y + row / 2), label, 21, face="hei", fill=ink, anchor="mm")
        if key is None:
            c.value((xm + 14, y + row / 2), _collector(v), 23, anchor="lm", record=False, **MONO)
        else:
            c.value((xm + 14, y + row / 2), v[key], 23, anchor="lm", max_w=x1 - xm - 24, **MONO)
    y1 = y0 + len(cells) * row
    c.rect((x0, y0, x1, y1), outline=ink, width=2)
    c.hlines(x0, x1, [y0 + i * row for i in range(1, len(cells))], fill=ink)
    c.vlines(y0, y1, [xm], fill=ink)
    c.text((c.w / 2, y1 + 14), "本票据手写无效  遗失不补", 16, face="hei", fill=ink, anchor="mt")


register(DocType.TOLL_INVOICE, Layout(
    name="dotmatrix", size=lambda s: (480, 560), style=lambda rng, v: (rng.randrange(2),), adapt=_dotmatrix_values,
    background=paper((249, 247, 240)), draw=_dotmatrix,
    printer=Printer(line_h=48, misregister_rate=0.7, misregister=0.55, dot_matrix_rate=0.8, fade_rate=0.05)))


# --- thermal: a slip printed whole -------------------------------------------------------------------

def _thermal_values(v: dict, rng) -> dict:
    out = dict(v)
    out["amount"] = plain_money(v["amount"])
    out["_plate"] = rng.choice("京沪粤浙苏川鄂陕渝鲁津豫湘") + rng.choice("ABCDE") + "".join(
        rng.choice("0123456789ABCDEFGHJK") for _ in range(5))
    return out


def _thermal(c: Canvas, v: dict, style) -> None:
    ink = (40, 40, 40)
    c.value((c.w / 2, 18), f"{v['_province']}高速公路通行费", 24, face="hei", fill=(50, 90, 60), anchor="mt",
            form=True)
    c.text((c.w / 2, 50), "发 票 联", 18, face="hei", fill=(50, 90, 60), anchor="mt")
    x, size, step = 26, 20, 34
    lines = [("发票代码：", "code"), ("发票号码：", "number"), None, ("入口站：", "entry"), ("出口站：", "exit"),
             ("车型：", "vehicle_type"), ("车牌：", "_plate"), ("实收(元)：", "amount"), ("通行时间：", ("date", "time")),
             ("收费员：", "_collector"), None]
    y = 86
    for item in lines:
        if item is None:
            dashed(c, y + 8, 16, c.w - 16, fill=(120, 120, 120), dash=6, dyn=True)
            y += 22
            continue
        label, key = item
        c.printed((x, y), label, size, **MONO)
        vx = x + size * len(label) - (size // 2 if "(" in label else 0)
        if key == "_collector":
            c.printed((vx, y), _collector(v), size, **MONO)
        elif isinstance(key, tuple):
            c.value((vx, y), v["date"], size, **MONO)
            c.value((vx + size * 5 + 6, y), v["time"], size, **MONO)
        else:
            c.value((vx, y), v[key], size, max_w=c.w - vx - 12, record=not key.startswith("_"), **MONO)
        y += step
    c.printed((c.w / 2, y + 6), "祝您一路平安 欢迎再来", 18, anchor="mt", face="hei", fill=ink)


register(DocType.TOLL_INVOICE, Layout(
    name="thermal", heldout=True, size=lambda s: (440, 520), style=lambda rng, v: (0,), adapt=_thermal_values,
    background=paper((250, 250, 250)), draw=_thermal,
    printer=Printer(line_h=34, fade_rate=0.65, fade=(0.3, 0.8))))


# --- provincial: landscape, values under bilingual column heads ------------------------------------

def _provincial_values(v: dict, rng) -> dict:
    out = dict(v)
    out["date"] = ymd(v["date"], "/")
    out["time"] = v["time"][:5]
    return out


def _provincial(c: Canvas, v: dict, style) -> None:
    ink = (30, 100, 150)
    c.value((c.w / 2, 20), f"{v['_province']}高速公路车辆通行费发票", 30, face="hei", fill=ink, anchor="mt",
            form=True)
    c.text((c.w / 2, 60), "TOLL RECEIPT  发票联", 17, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (90, 60), v["_province"], r=42)
    x0, x1, y0 = 20, c.w - 20, 110
    cols = [(x0, "入口站", "ENTRANCE", "entry", 0.27), (None, "出口站", "EXIT", "exit", 0.27),
            (None, "车型", "CLASS", "vehicle_type", 0.12), (None, "金额", "AMOUNT", "amount", 0.14),
            (None, "出口时间", "EXIT TIME", ("date", "time"), 0.2)]
    x = x0
    for _, zh, en, key, share in cols:
        w = (x1 - x0) * share
        c.text((x + w / 2, y0 + 14), zh, 19, face="hei", fill=ink, anchor="mt")
        c.text((x + w / 2, y0 + 38), en, 12, face="latin", fill=ink, anchor="mt")
        if isinstance(key, tuple):
            c.value((x + 8, y0 + 76), v["date"], 19, max_w=w - 12, **MONO)
            c.value((x + 8, y0 + 102), v["time"], 19, **MONO)
        else:
            c.value((x + w / 2, y0 + 88), v[key], 20, anchor="mm", max_w=w - 10, **MONO)
        if x > x0:
            c.line([(x, y0), (x, y0 + 130)], fill=ink)
        x += w
    c.rect((x0, y0, x1, y0 + 130), outline=ink, width=2)
    c.line([(x0, y0 + 58), (x1, y0 + 58)], fill=ink)
    y = y0 + 150
    c.text((x0 + 10, y), "发票代码", 17, face="hei", fill=ink)
    c.value((x0 + 90, y - 2), v["code"], 20, face="mono", fill=DARK, form=True)
    c.text((x0 + 300, y), "发票号码", 17, face="hei", fill=ink)
    c.value((x0 + 380, y - 2), v["number"], 20, face="monob", fill=RED, form=True)
    c.text((x1 - 10, y), "收费员", 17, face="hei", fill=ink, anchor="ra")


register(DocType.TOLL_INVOICE, Layout(
    name="provincial", heldout=True, size=lambda s: (720, 310), style=lambda rng, v: (0,), adapt=_provincial_values,
    background=paper((246, 249, 251)), draw=_provincial,
    printer=Printer(line_h=30, misregister_rate=0.5, misregister=0.5, dot_matrix_rate=0.5, fade_rate=0.1)))
