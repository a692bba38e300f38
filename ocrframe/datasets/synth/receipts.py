"""Narrow and small documents: the roll VAT invoice (also drawn as the machine-printed invoice) and the train ticket."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche, paste_qr
from .layout import Layout, register
from .parts import MONO, dashed, paper, supervision_seal


# --- VAT roll invoice ------------------------------------------------------------------------

def roll_invoice(c: Canvas, v: dict, style) -> None:
    """The roll invoice (卷票); the machine-printed invoice uses it too (its ``_title`` names it)."""
    ink = (40, 80, 150)
    c.value((c.w / 2, 26), v.get("_title") or f"{v['_province']}增值税普通发票", 28, face="hei", fill=ink,
            anchor="mt", max_w=c.w - 40)
    c.value((c.w / 2, 66), "" if v.get("_title") else "(卷票)", 22, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 100), "发 票 联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w / 2, 76), v["_province"], r=48)
    x, y, step = 24, 140, 34
    lines = [("发票代码:", "code"), ("发票号码:", "number"), ("机打号码:", "number"), ("机器编号:", "machine_number"),
             ("销售方名称:", "seller_name"), None, ("纳税人识别号:", "seller_id"), ("开票日期:", "issue_date"),
             ("收款员:", "_cashier"), ("购买方名称:", "buyer_name"), None, ("纳税人识别号:", "buyer_id")]
    for item in lines:
        if item is None:
            y += step
            continue
        label, key = item
        c.text((x, y), label, 20, **MONO)
        lw = 20 * len(label) + 6
        if key in ("seller_name", "buyer_name"):
            c.wrap((x + lw, y), v[key], 20, c.w - x - lw - 16, face="monocjk", max_lines=2, line_h=1.7)
        else:
            c.value((x + lw, y), v[key], 20, max_w=c.w - x - lw - 16, **MONO)
        y += step
    dashed(c, y + 4, x, c.w - x)
    y += 16
    cols = [(x, "项目", "name", "la"), (230, "数量", "quantity", "ra"), (340, "单价", "unit_price", "ra"), (c.w - 24, "金额", "amount", "ra")]
    for cx, title, _, anc in cols:
        c.text((cx, y), title, 20, anchor=anc, **MONO)
    y += step
    for row in v["item_list"]:
        for cx, _, key, anc in cols:
            c.value((cx, y), row[key], 20, anchor=anc, **MONO)
        y += step
    dashed(c, y + 4, x, c.w - x)
    y += 18
    c.text((x, y), "合计金额(小写):", 20, **MONO)
    c.value((x + 306, y), v["total"], 20, **MONO)
    y += step
    c.text((x, y), "合计金额(大写):", 20, **MONO)
    c.value((x, y + step), v["total_in_words"], 20, **MONO)
    y += 2 * step
    c.text((x, y), "校验码:", 20, **MONO)
    c.value((x + 80, y), v["check_code"], 20, **MONO)


register(DocType.VAT_ROLL_INVOICE, Layout(
    size=lambda s: (480, 760 + 34 * s[0]), style=lambda rng, v: (len(v["item_list"]),),
    background=paper(), draw=roll_invoice))


# --- train ticket ----------------------------------------------------------------------------

def _train(c: Canvas, v: dict, style) -> None:
    blue = style[0] == 0
    c.value((46, 26), v["ticket_id"], 32, face="monob", fill=(200, 30, 40))
    c.value((610, 30), f"检票:{v['check_port']}", 28, face="hei", fill=(30, 30, 30))
    dep_py, dst_py = v["_py"]
    for x, name, py in [(60, v["departure_station"], dep_py), (560, v["destination_station"], dst_py)]:
        c.value((x, 82), name, 46, face="hei", fill=(20, 20, 20))
        c.value((x + 48 * len(name) + 6, 94), "站", 32, face="hei", fill=(20, 20, 20))
        c.value((x, 146), py, 22, face="latin", fill=(40, 40, 40))
    c.value((435, 86), v["train_number"], 40, face="monob", fill=(20, 20, 20), anchor="mt")
    c.line([(370, 148), (500, 148)], fill=(30, 30, 30), width=3)
    c.line([(486, 140), (500, 148)], fill=(30, 30, 30), width=3)
    c.value((46, 200), v["departure_time"], 31, face="hei")
    c.value((560, 200), v["seat_number"], 31, face="hei")
    c.value((46, 258), v["ticket_price"], 31, face="hei")
    c.value((560, 258), v["seat_category"], 31, face="hei")
    c.text((46, 316), "限乘当日当次车", 24, face="hei", fill=(30, 30, 30))
    c.value((46, 370), v["id_number"], 30, face="monob")
    c.value((420, 368), v["name"], 31, face="hei")
    c.rect((46, 418, 560, 478), outline=(60, 60, 80), width=2)
    c.text((303, 430), "买票请到12306  发货请到95306", 20, face="hei", fill=(40, 40, 40), anchor="mt")
    c.text((303, 454), "中国铁路祝您旅途愉快", 18, face="hei", fill=(40, 40, 40), anchor="mt")
    c.value((46, 494), v["_serial"], 24, face="mono", fill=(40, 40, 40))
    c.value((440, 492), v["sale_location"], 26, face="hei")
    paste_qr(c, int(v["_serial"][-6:]), (680, 330), 145)
    if not blue:
        c.text((800, 500), "CR", 22, face="latinb", fill=(200, 120, 140))


def _train_bg(style, size):
    blue = style[0] == 0
    base, ink = ((206, 226, 240), (120, 165, 205)) if blue else ((245, 212, 220), (210, 130, 160))
    g = guilloche(size[0], size[1], base, ink, seed=101 + style[0], strength=0.35, density=1.3, rosette=False)
    return g


register(DocType.TRAIN_TICKET, Layout(
    size=lambda s: (870, 540), style=lambda rng, v: (rng.choice((0, 0, 1)),),
    background=_train_bg, draw=_train, radius=0.03))
