"""VAT invoices (增值税发票): paper special and normal forms, electronic and fully digital invoices."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche, paste_qr
from .layout import Layout, register
from .parts import cipher, supervision_seal, vertical

INK = (25, 25, 35)
VAL = dict(face="monocjk", fill=(20, 20, 30))


# --- VAT invoice -----------------------------------------------------------------------------

COLS = [(40, 380, "货物或应税劳务、服务名称", "name"), (380, 530, "规格型号", "specification"),
        (530, 600, "单位", "unit"), (600, 690, "数量", "quantity"), (690, 840, "单价", "unit_price"),
        (840, 1020, "金额", "amount"), (1020, 1090, "税率", "tax_rate"), (1090, 1360, "税额", "tax")]


def _vat(c: Canvas, v: dict, style) -> None:
    special, variant, electronic = style
    ink = (150, 85, 45) if special or electronic else (40, 100, 120)
    c.value((700, 40), f"{v['_province']}{v['type']}", 44 if not electronic else 40, face="hei", fill=ink,
            anchor="mt", spacing=3 if not electronic else 1)
    c.line([(440, 100), (960, 100)], fill=ink, width=2)
    c.line([(440, 106), (960, 106)], fill=ink, width=2)
    if not electronic:
        c.text((700, 116), "发 票 联", 24, face="hei", fill=ink, anchor="mt")
        c.value((60, 34), v["code"], 34, face="monob", fill=INK)
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
    # buyer block
    for (ya, yb_) , who in [((y0, yb), "购买方"), ((ys, yt), "销售方")]:
        c.vlines(ya, yb_, [x0 + 40, 880, 920], fill=ink, width=2)
        vertical(c, x0 + 20, ya + 8, yb_ - 8, who, 20, ink)
    for i, (label, key) in enumerate([("名        称:", "buyer_name"), ("纳税人识别号:", "buyer_id"),
                                      ("地 址、电 话:", "buyer_address"), ("开户行及账号:", "buyer_bank")]):
        y = y0 + 12 + i * 31
        c.text((x0 + 52, y + 2), label, 19, **lab)
        c.value((x0 + 200, y), v[key], 21, max_w=620, **VAL)
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
    # seller block
    for i, (label, key) in enumerate([("名        称:", "seller_name"), ("纳税人识别号:", "seller_id"),
                                      ("地 址、电 话:", "seller_address"), ("开户行及账号:", "seller_bank")]):
        y = ys + 12 + i * 31
        c.text((x0 + 52, y + 2), label, 19, **lab)
        c.value((x0 + 200, y), v[key], 21, max_w=620, **VAL)
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


register(DocType.VAT_INVOICE, Layout(
    size=lambda s: (1400, 860),
    style=lambda rng, v: (v["type"] == "增值税专用发票", rng.randrange(2), v["type"] == "增值税电子普通发票"),
    background=lambda s, size: guilloche(size[0], size[1], (250, 249, 244) if s[1] else (246, 248, 246),
                                         (210, 190, 170) if s[0] else (170, 200, 200), seed=71 + s[1],
                                         strength=0.0 if s[2] else 0.08),
    draw=_vat, misprint=10))
