"""VAT invoices (增值税发票): paper special and normal forms, electronic and fully digital invoices.

- ``paper``: the 2016-2023 paper special and normal forms (增值税专用发票 / 增值税普通发票),
  values printed by a needle printer onto the preprinted form, often off their boxes;
- ``electronic``: the electronic normal invoice (增值税电子普通发票) on the same frame,
  a QR code where the paper form prints its code large, printed cleanly from the PDF;
- ``digital``: the fully digital invoice (全电发票, 电子发票（普通发票）/（增值税专用发票）):
  a 20-digit 发票号码 and no 发票代码, 机器编号 or 校验码; buyer and seller side by side with
  名称 and 统一社会信用代码/纳税人识别号 only; items under 项目名称 ... 税率/征收率; money
  printed with ``¥`` (labelled ``￥``, the contract's sign); only the 开票人 signs;
- ``legacy`` (held out): the pre-2016 paper form, 购货单位 / 销货单位, ``No`` and the
  number at the top right, 货物或应税劳务名称; no 校验码.
"""

from __future__ import annotations

import random

from ocrframe.types import DocType

from .draw import Canvas, guilloche, paste_qr
from .formats import digital_invoice_number
from .layout import Layout, register
from .parts import cipher, supervision_seal, vertical
from .printing import Printer

INK = (25, 25, 35)
VAL = dict(face="monocjk", fill=(20, 20, 30))
SPECIAL, NORMAL, E_NORMAL = "增值税专用发票", "增值税普通发票", "增值税电子普通发票"
#: a needle printer on a preprinted A5 form
NEEDLE = Printer(line_h=31, misregister_rate=0.3, misregister=0.45, misregister_x=1.5, dot_matrix_rate=0.35)


def _as_kind(v: dict, kind: str, rng: random.Random) -> dict:
    """``v`` as an invoice of ``kind``: its type, and its code's length and ending."""
    out = dict(v, type=kind)
    core = v["code"][:6] if len(v["code"]) == 10 else v["code"][1:7]  # region and year
    if kind == SPECIAL:
        out["code"] = core + v["number"][:4] if len(v["code"]) == 12 else v["code"]
    else:
        tail = "11" if kind == E_NORMAL else rng.choice(("04", "05", "06"))
        out["code"] = "0" + core + v["number"][-3:] + tail
    return out


# --- paper and electronic (2016-2023) ------------------------------------------------------------

COLS = [(40, 380, "货物或应税劳务、服务名称", "name"), (380, 530, "规格型号", "specification"),
        (530, 600, "单位", "unit"), (600, 690, "数量", "quantity"), (690, 840, "单价", "unit_price"),
        (840, 1020, "金额", "amount"), (1020, 1090, "税率", "tax_rate"), (1090, 1360, "税额", "tax")]


def _paper(c: Canvas, v: dict, style) -> None:
    """The 2016-2023 form: paper (special, normal) or electronic normal, by ``style``."""
    special, variant, electronic = style
    ink = (150, 85, 45) if special or electronic else (40, 100, 120)
    c.value((700, 40), f"{v['_province']}{v['type']}", 44 if not electronic else 40, face="hei", fill=ink,
            anchor="mt", spacing=3 if not electronic else 1, form=True)
    c.line([(440, 100), (960, 100)], fill=ink, width=2)
    c.line([(440, 106), (960, 106)], fill=ink, width=2)
    if not electronic:
        c.text((700, 116), "发 票 联", 24, face="hei", fill=ink, anchor="mt")
        c.value((60, 34), v["code"], 34, face="monob", fill=INK, form=True)
    else:  # electronic invoices carry a QR code where paper ones print the code large
        paste_qr(c, int(v["number"]), (50, 18), 118)
    supervision_seal(c, (700, 72), v["_province"])
    lab = dict(face="hei", fill=ink)
    for i, (label, key) in enumerate([("发票代码:", "code"), ("发票号码:", "number"), ("开票日期:", "issue_date"), ("校 验 码:", "check_code")]):
        c.text((1010, 34 + i * 34), label, 20, **lab)
        c.value((1115, 32 + i * 34), v[key], 22, max_w=240, **VAL)
    c.text((200 if electronic else 60, 148), "机器编号:", 20, **lab)
    c.value((305 if electronic else 165, 146), v["machine_number"], 22, **VAL)
    # the frame
    x0, x1, y0 = 40, 1360, 180
    yb = y0 + 140  # buyer block | items
    yi = yb + 236  # items | 合计 row
    ysum = yi + 40  # 合计 row | 价税合计 row
    ys = ysum + 44  # 价税合计 row | seller block
    yt = ye = ys + 140
    c.rect((x0, y0, x1, ye), outline=ink, width=3)
    c.hlines(x0, x1, [yb, ysum, ys], fill=ink, width=2)
    c.line([(x0, yi), (x1, yi)], fill=ink, width=1)
    # buyer and seller blocks
    rows = [("名        称:", "name"), ("纳税人识别号:", "id"), ("地 址、电 话:", "address"), ("开户行及账号:", "bank")]
    for (ya, yb_), who, side in [((y0, yb), "购买方", "buyer"), ((ys, yt), "销售方", "seller")]:
        c.vlines(ya, yb_, [x0 + 40, 880, 920], fill=ink, width=2)
        vertical(c, x0 + 20, ya + 8, yb_ - 8, who, 20, ink)
        for i, (label, key) in enumerate(rows):
            y = ya + 12 + i * 31
            c.text((x0 + 52, y + 2), label, 19, **lab)
            c.value((x0 + 200, y), v[f"{side}_{key}"], 21, max_w=620, **VAL)
    vertical(c, 900, y0 + 8, yb - 8, "密码区", 20, ink)
    for i, line in enumerate(cipher(int(v["number"]))):
        c.value((935, y0 + 12 + i * 30), line, 22, face="mono", fill=(30, 30, 40))
    # items
    for xa, xb, title, _ in COLS:
        c.text(((xa + xb) / 2, yb + 18), title, 18, face="hei", fill=ink, anchor="mm", max_w=xb - xa - 6)
        if xa > x0:
            c.line([(xa, yb), (xa, yi)], fill=ink, width=1)
    for r, row in enumerate(v["item_list"]):
        y = yb + 56 + r * 36
        for xa, xb, _, key in COLS:
            if key in ("name", "specification", "unit"):
                c.value((xa + 8, y), row[key], 20, anchor="lm", max_w=xb - xa - 12, **VAL)
            else:
                c.value((xb - 8, y), row[key], 20, anchor="rm", max_w=xb - xa - 12, **VAL)
    c.text((x0 + 150, yi + 20), "合        计", 20, anchor="mm", **lab)
    c.value((1012, yi + 20), v["subtotal_amount"], 21, anchor="rm", **VAL)
    c.value((1352, yi + 20), v["subtotal_tax"], 21, anchor="rm", **VAL)
    # 价税合计 row
    ym = ysum + 22
    c.text((x0 + 20, ym), "价税合计(大写)", 20, anchor="lm", **lab)
    c.line([(x0 + 190, ysum), (x0 + 190, ys)], fill=ink, width=1)
    c.text((x0 + 204, ym), "ⓧ", 22, anchor="lm", face="sans", fill=INK)
    c.value((x0 + 236, ym), v["total_in_words"], 22, anchor="lm", **VAL)
    c.text((960, ym), "(小写)", 20, anchor="lm", **lab)
    c.value((1040, ym), v["total"], 22, anchor="lm", **VAL)
    vertical(c, 900, ys + 8, yt - 8, "备注", 20, ink)
    c.wrap((935, ys + 20), v["remarks"], 21, 410, face="monocjk", max_lines=3)
    # footer
    for label, key, x in [("收款人:", "receiver", 60), ("复核:", "reviewer", 380), ("开票人:", "issuer", 660)]:
        c.text((x, ye + 18), label, 20, **lab)
        c.value((x + 80 if len(label) > 3 else x + 60, ye + 16), v[key], 22, **VAL)
    c.text((960, ye + 18), "销售方:(章)", 20, **lab)
    c.seal((1210, ye - 30), 92, ring_text=v["seller_name"], center_text=v["seller_id"], bottom_text="发票专用章",
           oval=1.5, star=False, dyn=True, alpha=150, size=19)
    if not electronic:
        vertical(c, 1380, 240, 640, "第二联发票联购买方记账凭证", 14, ink)


def _paper_bg(s, size):
    return guilloche(size[0], size[1], (250, 249, 244) if s[1] else (246, 248, 246),
                     (210, 190, 170) if s[0] else (170, 200, 200), seed=71 + s[1], strength=0.0 if s[2] else 0.08)


register(DocType.VAT_INVOICE, Layout(
    name="paper", size=lambda s: (1400, 860), weight=1.5,
    adapt=lambda v, rng: _as_kind(v, v["type"] if v["type"] != E_NORMAL else NORMAL, rng),
    style=lambda rng, v: (v["type"] == SPECIAL, rng.randrange(2), False),
    background=_paper_bg, draw=_paper, misprint=6, printer=NEEDLE))
register(DocType.VAT_INVOICE, Layout(
    name="electronic", size=lambda s: (1400, 860), adapt=lambda v, rng: _as_kind(v, E_NORMAL, rng),
    style=lambda rng, v: (False, rng.randrange(2), True), background=_paper_bg, draw=_paper))


# --- fully digital (全电, 2021-) -----------------------------------------------------------------

DIGITAL_TYPES = {SPECIAL: "电子发票（增值税专用发票）", NORMAL: "电子发票（普通发票）", E_NORMAL: "电子发票（普通发票）"}
DIGITAL_COLS = [(50, 400, "项目名称", "name", "la"), (400, 540, "规格型号", "specification", "la"),
                (540, 610, "单位", "unit", "la"), (610, 700, "数量", "quantity", "ra"),
                (700, 860, "单价", "unit_price", "ra"), (860, 1040, "金额", "amount", "ra"),
                (1040, 1170, "税率/征收率", "tax_rate", "ra"), (1170, 1350, "税额", "tax", "ra")]


def _digital_values(v: dict, rng: random.Random) -> dict:
    out = dict(v)
    year = max(2022, int(v["issue_date"][:4]))
    out["issue_date"] = f"{year}{v['issue_date'][4:]}"
    out["type"] = DIGITAL_TYPES[v["type"]]
    out["number"] = digital_invoice_number(rng, year, v["seller_id"][2:8])
    return out


def _yen(s: str) -> str:
    """Money as the fully digital form prints it: ``¥`` (the labels keep the contract's
    ``￥``, as the real set labels these invoices)."""
    return s.replace("￥", "¥")


def _digital(c: Canvas, v: dict, style) -> None:
    ink = (145, 40, 40)
    lab = dict(face="hei", fill=ink)
    paste_qr(c, int(v["number"][-9:]), (46, 22), 112)
    c.value((700, 34), v["type"], 38, face="hei", fill=ink, anchor="mt", form=True)
    c.line([(470, 90), (930, 90)], fill=ink, width=2)
    c.line([(470, 96), (930, 96)], fill=ink, width=2)
    supervision_seal(c, (700, 66), v["_province"], r=56)
    c.text((990, 40), "发票号码：", 20, **lab)
    c.value((1095, 38), v["number"], 22, **VAL)
    c.text((990, 76), "开票日期：", 20, **lab)
    c.value((1095, 74), v["issue_date"], 22, **VAL)
    x0, x1, y0 = 40, 1360, 150
    yb = y0 + 120  # parties | items
    yi = yb + 250  # items | 合计
    ysum = yi + 40  # 合计 | 价税合计
    yr = ysum + 46  # 价税合计 | 备注
    ye = yr + 100
    c.rect((x0, y0, x1, ye), outline=ink, width=2)
    c.hlines(x0, x1, [yb, ysum, yr], fill=ink, width=1)
    c.vlines(y0, yb, [x0 + 40, 700, 740], fill=ink, width=1)
    for x, who, name, uid in ((x0, "购买方信息", "buyer_name", "buyer_id"), (700, "销售方信息", "seller_name", "seller_id")):
        vertical(c, x + 20, y0 + 6, yb - 6, who, 17, ink)
        c.text((x + 54, y0 + 26), "名称：", 19, **lab)
        c.value((x + 112, y0 + 24), v[name], 21, max_w=540, **VAL)
        c.text((x + 54, y0 + 74), "统一社会信用代码/纳税人识别号：", 17, **lab)
        c.value((x + 330, y0 + 72), v[uid], 21, max_w=300, **VAL)
    for xa, xb, title, _, anchor in DIGITAL_COLS:
        c.text(((xa + xb) / 2, yb + 20), title, 18, anchor="mm", max_w=xb - xa - 6, **lab)
    for r, row in enumerate(v["item_list"]):
        y = yb + 56 + r * 34
        for xa, xb, _, key, anchor in DIGITAL_COLS:
            x = xa + 6 if anchor == "la" else xb - 6
            c.value((x, y), row[key], 19, anchor=anchor[0] + "m", max_w=xb - xa - 10, **VAL)
    c.text((x0 + 120, yi + 20), "合        计", 19, anchor="mm", **lab)
    c.value((1036, yi + 20), _yen(v["subtotal_amount"]), 20, anchor="rm", **VAL)
    c.value((1346, yi + 20), _yen(v["subtotal_tax"]), 20, anchor="rm", **VAL)
    ym = ysum + 23
    c.text((x0 + 20, ym), "价税合计（大写）", 19, anchor="lm", **lab)
    c.text((x0 + 210, ym), "ⓧ", 21, anchor="lm", face="sans", fill=INK)
    c.value((x0 + 240, ym), v["total_in_words"], 21, anchor="lm", **VAL)
    c.text((930, ym), "（小写）", 19, anchor="lm", **lab)
    c.value((1010, ym), _yen(v["total"]), 21, anchor="lm", **VAL)
    vertical(c, x0 + 20, yr + 8, ye - 8, "备注", 18, ink)
    c.line([(x0 + 40, yr), (x0 + 40, ye)], fill=ink, width=1)
    c.wrap((x0 + 56, yr + 14), v["remarks"], 20, 1200, face="monocjk", max_lines=3)
    c.text((x0 + 20, ye + 18), "开票人：", 19, **lab)
    c.value((x0 + 100, ye + 16), v["issuer"], 21, **VAL)


register(DocType.VAT_INVOICE, Layout(
    name="digital", size=lambda s: (1400, 770), style=lambda rng, v: (v["type"],), adapt=_digital_values,
    absent=frozenset({"code", "check_code", "machine_number", "buyer_address", "buyer_bank", "seller_address",
                      "seller_bank", "receiver", "reviewer"}),
    background=lambda s, size: guilloche(size[0], size[1], (252, 251, 248), (220, 200, 190), seed=75, strength=0.0),
    draw=_digital))


# --- legacy (before 2016) -------------------------------------------------------------------------

LEGACY_COLS = [(40, 400, "货物或应税劳务名称", "name"), (400, 540, "规格型号", "specification"),
               (540, 610, "单位", "unit"), (610, 700, "数量", "quantity"), (700, 850, "单价", "unit_price"),
               (850, 1030, "金额", "amount"), (1030, 1100, "税率", "tax_rate"), (1100, 1360, "税额", "tax")]


def _legacy_values(v: dict, rng: random.Random) -> dict:
    out = _as_kind(v, v["type"] if v["type"] != E_NORMAL else NORMAL, rng)
    year = rng.randint(2012, 2015)
    out["issue_date"] = f"{year}{v['issue_date'][4:]}"
    return out


def _legacy(c: Canvas, v: dict, style) -> None:
    special, variant = style
    ink = (160, 80, 40) if special else (60, 110, 90)
    lab = dict(face="hei", fill=ink)
    c.value((60, 30), v["code"], 30, face="monob", fill=INK, form=True)
    c.value((700, 30), f"{v['_province']}{v['type']}", 42, face="hei", fill=ink, anchor="mt", spacing=4, form=True)
    c.line([(450, 90), (950, 90)], fill=ink, width=3)
    c.text((700, 100), "发票联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (700, 64), v["_province"])
    c.text((1030, 26), "No", 30, face="latinb", fill=(190, 30, 40))
    c.value((1090, 24), v["number"], 34, face="monob", fill=(190, 30, 40), form=True)
    c.text((1030, 80), "开票日期：", 20, **lab)
    c.value((1135, 78), v["issue_date"], 22, **VAL)
    c.text((60, 140), "机器编号：", 19, **lab)
    c.value((160, 138), v["machine_number"], 21, **VAL)
    x0, x1, y0 = 40, 1360, 176
    yb = y0 + 136
    yi = yb + 230
    ysum = yi + 40
    ys = ysum + 44
    ye = ys + 136
    c.rect((x0, y0, x1, ye), outline=ink, width=3)
    c.hlines(x0, x1, [yb, ysum, ys], fill=ink, width=2)
    c.line([(x0, yi), (x1, yi)], fill=ink, width=1)
    rows = [("名        称", "name"), ("纳税人识别号", "id"), ("地 址、电 话", "address"), ("开户行及账号", "bank")]
    for (ya, yz), who, side in (((y0, yb), "购货单位", "buyer"), ((ys, ye), "销货单位", "seller")):
        c.vlines(ya, yz, [x0 + 40, 860, 900], fill=ink, width=2)
        vertical(c, x0 + 20, ya + 8, yz - 8, who, 19, ink)
        for i, (label, key) in enumerate(rows):
            y = ya + 12 + i * 30
            c.text((x0 + 52, y + 2), label, 18, **lab)
            c.text((x0 + 182, y + 2), "：", 18, **lab)
            c.value((x0 + 206, y), v[f"{side}_{key}"], 20, max_w=600, **VAL)
    vertical(c, 880, y0 + 8, yb - 8, "密码区", 19, ink)
    for i, line in enumerate(cipher(int(v["number"]) + 7, lines=4, width=26)):
        c.value((915, y0 + 14 + i * 29), line, 21, face="mono", fill=(30, 30, 40), record=False)
    vertical(c, 880, ys + 8, ye - 8, "备注", 19, ink)
    c.wrap((915, ys + 20), v["remarks"], 20, 420, face="monocjk", max_lines=3)
    for xa, xb, title, _ in LEGACY_COLS:
        c.text(((xa + xb) / 2, yb + 18), title, 17, anchor="mm", max_w=xb - xa - 6, **lab)
        if xa > x0:
            c.line([(xa, yb), (xa, yi)], fill=ink, width=1)
    for r, row in enumerate(v["item_list"]):
        y = yb + 54 + r * 34
        for xa, xb, _, key in LEGACY_COLS:
            left = key in ("name", "specification", "unit")
            c.value((xa + 8 if left else xb - 8, y), row[key], 19, anchor="lm" if left else "rm",
                    max_w=xb - xa - 12, **VAL)
    c.text((x0 + 150, yi + 20), "合        计", 19, anchor="mm", **lab)
    c.value((1022, yi + 20), v["subtotal_amount"], 20, anchor="rm", **VAL)
    c.value((1352, yi + 20), v["subtotal_tax"], 20, anchor="rm", **VAL)
    ym = ysum + 22
    c.text((x0 + 20, ym), "价税合计（大写）", 19, anchor="lm", **lab)
    c.value((x0 + 230, ym), v["total_in_words"], 21, anchor="lm", **VAL)
    c.text((940, ym), "（小写）", 19, anchor="lm", **lab)
    c.value((1030, ym), v["total"], 21, anchor="lm", **VAL)
    for label, key, x in (("收款人：", "receiver", 60), ("复核：", "reviewer", 360), ("开票人：", "issuer", 640)):
        c.text((x, ye + 18), label, 19, **lab)
        c.value((x + 19 * len(label), ye + 16), v[key], 21, **VAL)
    c.text((940, ye + 18), "销货单位：（章）", 19, **lab)
    c.seal((1200, ye - 40), 88, ring_text=v["seller_name"], center_text=v["seller_id"], bottom_text="发票专用章",
           oval=1.5, star=False, dyn=True, alpha=150, size=18)


register(DocType.VAT_INVOICE, Layout(
    name="legacy", heldout=True, size=lambda s: (1400, 880), adapt=_legacy_values, absent=frozenset({"check_code"}),
    style=lambda rng, v: (v["type"] == SPECIAL, rng.randrange(2)),
    background=lambda s, size: guilloche(size[0], size[1], (249, 248, 242) if s[1] else (245, 247, 245),
                                         (215, 190, 165) if s[0] else (170, 205, 185), seed=77 + s[1], strength=0.1),
    draw=_legacy, misprint=6,
    printer=Printer(line_h=30, misregister_rate=0.5, misregister=0.5, misregister_x=1.5, dot_matrix_rate=0.5)))
