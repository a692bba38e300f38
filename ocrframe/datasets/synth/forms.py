"""Large printed forms: VAT invoice, motor-vehicle sales invoice, flight itinerary."""

from __future__ import annotations

import random

from ocrframe.types import DocType

from .draw import Canvas, guilloche, paste_qr, table
from .render import Layout, register

RED = (200, 35, 35)
INK = (25, 25, 35)
VAL = dict(face="monocjk", fill=(20, 20, 30))


def cipher(seed: int, lines: int = 4, width: int = 28) -> list[str]:
    """The 密码区 block: deterministic noise in the invoice cipher alphabet."""
    rng = random.Random(seed)
    return ["".join(rng.choice("0123456789+-*/<>") for _ in range(width)) for _ in range(lines)]


def supervision_seal(c: Canvas, center, province: str, *, dyn: bool = True, r: int = 62) -> None:
    """The oval 全国统一发票监制章 at the top of Chinese invoices."""
    c.seal(center, r, ring_text="全国统一发票监制章", center_text="", bottom_text=f"{province}税务局",
           oval=1.45, star=False, dyn=dyn, alpha=120, size=15)


def vertical(c: Canvas, x, y0, y1, s: str, size: int, fill) -> None:
    """Characters stacked top to bottom, spread over [y0, y1]."""
    n = len(s)
    for i, ch in enumerate(s):
        c.text((x, y0 + (y1 - y0) * (i + 0.5) / n), ch, size, face="hei", fill=fill, anchor="mm")


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


# --- motor-vehicle sales invoice -------------------------------------------------------------

def _mvs(c: Canvas, v: dict, style) -> None:
    ink = (40, 60, 120)
    c.text((700, 30), "机动车销售统一发票", 44, face="hei", fill=ink, anchor="mt", spacing=6)
    c.line([(480, 88), (920, 88)], fill=ink, width=2)
    c.line([(480, 94), (920, 94)], fill=ink, width=2)
    c.text((700, 104), "发 票 联", 24, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (700, 62), v["_province"])
    lab = dict(face="hei", fill=ink)
    c.text((1010, 36), "发票代码", 20, **lab)
    c.value((1110, 34), v["code"], 22, **VAL)
    c.text((1010, 70), "发票号码", 20, **lab)
    c.value((1110, 68), v["number"], 22, **VAL)
    c.text((60, 150), "开票日期", 20, **lab)
    c.value((160, 148), v["issue_date"], 22, **VAL)
    rows = [
        [("机打代码", "", "code", 0.35, 1, 140), ("税控码", "", lambda v: " ".join(cipher(len(v["number"]) + int(v["number"][:4]), 1, 30)), 0.65, 1, 120)],
        [("机打号码", "", "number", 0.35, 1, 140), ("机器编号", "", "machine_number", 0.65, 1, 120)],
        [("购买方名称", "", "buyer_name", 0.35, 1, 140), ("身份证号码/组织机构代码", "", "buyer_id", 0.65, 1, 260)],
        [("车辆类型", "", "vehicle_type", 0.3, 1, 140), ("厂牌型号", "", "brand_model", 0.45, 1, 120), ("产地", "", "manufacturing_location", 0.25, 1, 80)],
        [("合格证号", "", "quality_certificate", 0.45, 1, 140), ("进口证明书号", "", lambda v: "--", 0.3, 1, 150), ("商检单号", "", lambda v: "--", 0.25, 1, 110)],
        [("发动机号码", "", "engine_number", 0.4, 1, 140), ("车辆识别代号/车架号码", "", "vehicle_identification_number", 0.6, 1, 250)],
        [("价税合计", "", "total_chinese", 0.62, 1, 140), ("小写", "", "total", 0.38, 1, 80)],
        [("销货单位名称", "", "seller_name", 0.6, 1, 160), ("电话", "", "seller_phone", 0.4, 1, 80)],
        [("纳税人识别号", "", "seller_id", 0.5, 1, 160), ("账号", "", "seller_account", 0.5, 1, 80)],
        [("地址", "", "seller_address", 0.55, 1, 160), ("开户银行", "", "seller_bank", 0.45, 1, 110)],
        [("增值税税率或征收率", "", "tax_rate", 0.25, 1, 190), ("增值税税额", "", "tax", 0.25, 1, 130), ("主管税务机关及代码", "", lambda v: f"{v['tax_authority']} {v['tax_authority_code']}", 0.5, 1, 200)],
        [("不含税价", "", "tax_exclusive_price", 0.3, 1, 140), ("完税凭证号码", "", lambda v: "--", 0.3, 1, 150), ("吨位", "", lambda v: "--", 0.2, 1, 70), ("限乘人数", "", lambda v: "5", 0.2, 1, 100)],
    ]
    table(c, v, (40, 180), 1320, rows, row_h=46, label_w=140, label_size=19, value_size=21,
          value_face="monocjk", line=ink, label_fill=ink)
    c.text((60, 750), "销货单位盖章", 20, **lab)
    c.text((700, 750), "开票人", 20, **lab)
    c.value((780, 748), "管理员", 22, **VAL)
    c.text((1000, 750), "备注:一车一票", 20, **lab)
    c.seal((300, 770), 84, ring_text=v["seller_name"], center_text=v["seller_id"], bottom_text="发票专用章",
           oval=1.5, star=False, dyn=True, alpha=140, size=18)


register(DocType.MVS_INVOICE, Layout(
    size=lambda s: (1400, 840), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (248, 248, 250), (170, 180, 210), seed=81 + s[0], strength=0.08),
    draw=_mvs, misprint=8))


# --- flight itinerary ------------------------------------------------------------------------

def _flight(c: Canvas, v: dict, style) -> None:
    ink = (30, 90, 70)
    lab = dict(face="hei", fill=ink)
    c.text((700, 26), "航空运输电子客票行程单", 40, face="hei", fill=ink, anchor="mt", spacing=4)
    c.text((700, 78), "ITINERARY/RECEIPT OF E-TICKET FOR AIR TRANSPORT", 17, face="latin", fill=ink, anchor="mt")
    c.text((1000, 30), "印刷序号:", 20, **lab)
    c.value((1100, 26), v["serial_number"], 28, face="monob", fill=(190, 30, 40))
    c.seal((330, 60), 52, ring_text="全国统一发票监制章", bottom_text="国家税务总局", oval=1.45, star=False, alpha=150, size=13)
    x0, x1 = 40, 1360
    y = 120
    c.rect((x0, y, x1, y + 56 + 50 + 150 + 100 + 60 + 60), outline=ink, width=2)
    small = 13

    def head(x, y, zh, en):
        c.text((x, y), zh, 17, **lab)
        c.text((x, y + 20), en, small, face="latin", fill=ink)

    head(50, y + 8, "旅客姓名", "NAME OF PASSENGER")
    c.value((230, y + 14), v["passenger_name"], 24, **VAL)
    head(450, y + 8, "有效身份证件号码", "ID.NO.")
    c.value((640, y + 14), v["id_number"], 24, **VAL)
    head(960, y + 8, "签注", "ENDORSEMENTS/RESTRICTIONS")
    c.value((1190, y + 14), "不得签转", 20, **VAL)
    y += 56
    c.line([(x0, y), (x1, y)], fill=ink)
    cols = [(60, "", ""), (240, "", ""), (420, "承运人", "CARRIER"), (540, "航班号", "FLIGHT"), (680, "座位等级", "CLASS"),
            (790, "日期", "DATE"), (900, "时间", "TIME"), (1010, "客票级别/类别", "FARE BASIS"), (1190, "免费行李", "ALLOW")]
    for x, zh, en in cols[2:]:
        head(x, y + 6, zh, en)
    head(60, y + 6, "自", "FROM")
    head(240, y + 6, "至", "TO")
    y += 50
    c.line([(x0, y), (x1, y)], fill=ink)
    for r, row in enumerate(v["itinerary_list"]):
        yy = y + 14 + r * 46
        c.value((60, yy), row["departure_station"], 22, **VAL)
        c.value((240, yy), row["destination_station"], 22, **VAL)
        c.value((420, yy), row["carrier"], 22, **VAL)
        c.value((540, yy), row["flight"], 22, **VAL)
        c.value((680, yy), row["cabin_class"], 22, **VAL)
        c.value((790, yy), row["date"], 22, **VAL)
        c.value((900, yy), row["time"], 22, **VAL)
        c.value((1010, yy), row["cabin_class"] + "SR", 22, **VAL)
        c.value((1190, yy), "20K", 22, **VAL)
    c.value((60, y + 14 + len(v["itinerary_list"]) * 46), "VOID", 22, **VAL)
    y += 150
    c.line([(x0, y), (x1, y)], fill=ink)
    money = [(60, "票价", "FARE", "fare"), (300, "民航发展基金", "CAAC DEVELOPMENT FUND", "caac_development_fund"),
             (580, "燃油附加费", "FUEL SURCHARGE", "fuel_surcharge"), (830, "其他税费", "OTHER TAXES", "other_taxes"),
             (1060, "合计", "TOTAL", "total")]
    for x, zh, en, key in money:
        head(x, y + 8, zh, en)
        c.value((x, y + 58), v[key], 24, **VAL)
    y += 100
    c.line([(x0, y), (x1, y)], fill=ink)
    head(60, y + 8, "电子客票号码", "E-TICKET NO.")
    c.value((240, y + 14), v["e_ticket_number"], 24, **VAL)
    head(560, y + 8, "验证码", "CK.")
    c.value((660, y + 14), v["check_code"], 24, **VAL)
    head(800, y + 8, "提示信息", "INFORMATION")
    head(1060, y + 8, "保险费", "INSURANCE")
    c.value((1180, y + 14), "XXX", 22, **VAL)
    y += 60
    c.line([(x0, y), (x1, y)], fill=ink)
    head(60, y + 8, "销售单位代号", "AGENT CODE")
    c.value((240, y + 14), v["agent_code"], 24, **VAL)
    head(440, y + 8, "填开单位", "ISSUED BY")
    c.value((560, y + 14), v["issue_organization"], 22, max_w=420, **VAL)
    head(1010, y + 8, "填开日期", "DATE OF ISSUE")
    c.value((1160, y + 14), v["issue_date"], 24, **VAL)
    c.seal((800, y + 10), 66, ring_text=v["issue_organization"], center_text=v["agent_code"], bottom_text="业务专用章",
           oval=1.45, star=False, dyn=True, alpha=120, size=15)
    c.text((60, 640), "验真网址: www.travelsky.com  服务热线: 400-815-8888", 15, face="hei", fill=ink)


register(DocType.FLIGHT_ITINERARY, Layout(
    size=lambda s: (1400, 680), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (236, 246, 238), (150, 200, 170), seed=91 + s[0], strength=0.14),
    draw=_flight))
