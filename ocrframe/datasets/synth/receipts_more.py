"""More tune layouts of the receipts and the itinerary, modelled on the real forms' variety.

Real taxi, quota and toll receipts differ by city, province and era; an itinerary differs
by who prints it. These variants (all *tune*: development may look at them) add kinds of
variety the other tune layouts lack:

- ``taxi_invoice/units``: a thermal slip whose labels carry the units (``单价(元/公里)：``,
  ``里程(公里)：``, ``实收金额(元)：``), so the values are printed bare (``2.60``, ``18.00``);
  code and number as header lines under short labels (``代码：`` / ``号码：``), the driver's
  certificate as ``资格证号：``, colons half- or full-width;
- ``taxi_invoice/pairs``: two label-value pairs on each line (``上车 10:05  下车 10:30``),
  code and number in the footer;
- ``quota_invoice/national``: the post-2018 portrait form ``国家税务总局深圳市税务局通用定额发票``
  (title in two lines), the amount as ``50.00元`` after ``金额：`` under its words;
- ``quota_invoice/bureau``: the older ``深圳市地方税务局通用定额发票``, code and number as
  header lines with the number after ``No.``, the amount in words and ``¥50.00`` on one line;
- ``toll_invoice/slip``: a thermal slip printed whole, ``入口站：`` / ``出口站：``,
  ``通行费(元)：35.00``, date and time on one line after ``出口时间：``;
- ``toll_invoice/columns``: column heads with their values under them, code and number
  after ``票据代码`` / ``票据号码`` in the footer;
- ``flight_itinerary/table``: a travel agency's print of the itinerary, every group of
  values under its bilingual column head, money codes without a space (``CNY1230.00``),
  the agent code with its city's airport code (``CAN36908312345``).
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche
from .formats import plain_money, province_of
from .layout import Layout, register
from .parts import MONO, dashed, paper, supervision_seal
from .printing import Printer

RED = (180, 30, 40)
DARK = (30, 30, 30)
__all__: list[str] = []


def _colon(style) -> str:
    """The colon a form prints: full-width (style 0) or ASCII (style 1)."""
    return "：" if style[0] == 0 else ":"


# --- taxi: labels with units, bare values ----------------------------------------------------------

def _taxi_units_values(v: dict, rng) -> dict:
    out = dict(v)
    out["unit_price"] = plain_money(v["unit_price"])
    out["distance"] = v["distance"].replace("km", "")
    out["total"] = plain_money(v["total"])
    return out


def _taxi_units(c: Canvas, v: dict, style) -> None:
    col, size, x = _colon(style), 21, 28
    c.value((c.w / 2, 18), f"{v['_province']}市出租汽车发票", 26, face="hei", fill=(170, 40, 50), anchor="mt", form=True)
    for i, (label, key) in enumerate((("代码", "code"), ("号码", "number"))):
        y = 60 + i * 32
        c.printed((x, y), label + col, size, **MONO)
        c.value((x + size * 3 + 4, y), v[key], size, **MONO)
    dashed(c, 130, 16, c.w - 16, fill=(90, 90, 100), dyn=True)
    rows = [("监督电话", "phone_number"), ("车牌号", "taxi_number"), ("资格证号", "certificate_number"),
            ("乘车日期", "date"), ("上车时间", "boarding_time"), ("下车时间", "alighting_time"),
            ("单价(元/公里)", "unit_price"), ("里程(公里)", "distance"), ("等候时间", "waiting_time"),
            ("实收金额(元)", "total")]
    for i, (label, key) in enumerate(rows):
        y = 148 + i * 36
        text = label + col
        c.printed((x, y), text, size, **MONO)
        c.value((x + 12 + size * (len(text) - 0.4 * text.count("(") * 2), y), v[key], size, **MONO)
    c.printed((c.w / 2, c.h - 34), "谢谢乘坐 欢迎再次乘坐", 17, anchor="mt", **MONO)


register(DocType.TAXI_INVOICE, Layout(
    name="units", size=lambda s: (420, 560), style=lambda rng, v: (rng.randrange(2),), adapt=_taxi_units_values,
    background=paper((250, 250, 248)), draw=_taxi_units,
    printer=Printer(line_h=36, fade_rate=0.4)))


# --- taxi: two pairs a line, code and number in the footer ---------------------------------------------

def _taxi_pairs(c: Canvas, v: dict, style) -> None:
    ink = (40, 70, 150) if style[0] else (190, 40, 50)
    c.value((c.w / 2, 22), f"{v['_province']}市出租车统一发票", 28, face="hei", fill=ink, anchor="mt", form=True)
    c.text((c.w / 2, 62), "发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 80, 70), v["_province"], r=38)
    pairs = [(("车号", "taxi_number"), ("证号", "certificate_number")), (("日期", "date"), ("电话", "phone_number")),
             (("上车", "boarding_time"), ("下车", "alighting_time")), (("单价", "unit_price"), ("里程", "distance")),
             (("等候", "waiting_time"), ("金额", "total"))]
    c.rect((16, 110, c.w - 16, 110 + 46 * len(pairs) + 14), outline=ink, width=2)
    for i, pair in enumerate(pairs):
        y = 126 + i * 46
        for j, (label, key) in enumerate(pair):
            x = 30 + j * (c.w - 40) / 2
            c.text((x, y), label, 22, face="hei", fill=ink)
            c.value((x + 56, y), v[key], 22, max_w=(c.w - 40) / 2 - 66, **MONO)
    y = 110 + 46 * len(pairs) + 34
    for i, (label, key) in enumerate((("发票代码", "code"), ("发票号码", "number"))):
        c.text((30, y + i * 32), label, 19, face="hei", fill=ink)
        c.value((30 + 19 * 4 + 14, y + i * 32 - 2), v[key], 22, face="monob", fill=RED if key == "number" else DARK,
                form=True)


register(DocType.TAXI_INVOICE, Layout(
    name="pairs", size=lambda s: (560, 430), style=lambda rng, v: (rng.randrange(2),),
    background=paper((249, 247, 242)), draw=_taxi_pairs,
    printer=Printer(line_h=46, misregister_rate=0.3, misregister=0.4, dot_matrix_rate=0.4)))


# --- quota: the national tax administration's form ---------------------------------------------------

def _quota_national_values(v: dict, rng) -> dict:
    out = dict(v)
    if rng.random() < 0.5:  # a province's bureau issues it, not the city's
        out["location"] = province_of(v["location"]).rstrip("省市")
    place = out["location"] + ("省" if province_of(v["location"]).endswith("省") and out["location"] != v["location"]
                               else "市")
    out["_title"] = (f"国家税务总局{place}税务局", "通用定额发票")
    out["amount"] = plain_money(v["amount"]) + "元"
    return out


def _quota_national(c: Canvas, v: dict, style) -> None:
    ink = (190, 40, 50) if style[0] == 0 else (40, 100, 70)
    for i, line in enumerate(v["_title"]):
        c.value((c.w / 2, 18 + i * 36), line, 27, face="hei", fill=ink, anchor="mt", max_w=c.w - 30, form=True)
    c.text((c.w / 2, 92), "发 票 联", 19, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w / 2, 160), v["location"], r=44)
    for i, (label, key) in enumerate((("发票代码：", "code"), ("发票号码：", "number"))):
        y = 220 + i * 32
        c.text((26, y), label, 19, face="hei", fill=ink)
        c.value((26 + 19 * 5 + 2, y - 2), v[key], 22, face="monob", fill=RED if key == "number" else DARK, form=True)
    c.rect((20, 300, c.w - 20, c.h - 60), outline=ink, width=2)
    c.value((c.w / 2, 330), v["_words"], 52, face="hei", fill=ink, anchor="mt", spacing=6, form=True)
    c.text((44, 420), "金额：", 24, face="hei", fill=ink)
    c.value((44 + 24 * 3 + 6, 416), v["amount"], 30, face="monob", fill=ink, form=True)
    c.text((c.w / 2, c.h - 44), "手写无效 涂改无效", 16, face="hei", fill=ink, anchor="mt")


register(DocType.QUOTA_INVOICE, Layout(
    name="national", size=lambda s: (380, 560), style=lambda rng, v: (rng.randrange(2),),
    adapt=_quota_national_values,
    background=lambda s, size: guilloche(size[0], size[1], (250, 246, 240), (225, 190, 180), seed=131 + s[0],
                                         strength=0.2),
    draw=_quota_national))


# --- quota: the older city bureau's form -------------------------------------------------------------

def _quota_bureau(c: Canvas, v: dict, style) -> None:
    ink = (30, 80, 150) if style[0] else (150, 60, 40)
    c.value((c.w / 2, 20), f"{v['location']}市地方税务局通用定额发票", 30, face="hei", fill=ink, anchor="mt",
            max_w=c.w - 40, form=True)
    c.text((40, 74), "发票代码", 19, face="hei", fill=ink)
    c.value((40 + 19 * 4 + 10, 72), v["code"], 22, face="monob", fill=DARK, form=True)
    c.text((c.w - 260, 74), "No.", 22, face="latin", fill=ink)
    c.value((c.w - 214, 70), v["number"], 26, face="monob", fill=RED, form=True)
    supervision_seal(c, (c.w / 2, 150), v["location"], r=46)
    c.rect((24, 210, c.w - 24, c.h - 24), outline=ink, width=2)
    c.text((50, 246), "人民币", 26, face="hei", fill=ink)
    c.value((50 + 26 * 3 + 20, 236), v["_words"] + "整", 44, face="hei", fill=ink, form=True)
    c.value((c.w - 60, 244), v["amount"], 32, face="monob", fill=ink, anchor="ra", form=True)
    c.text((c.w / 2, c.h - 60), "(限额使用 手写无效)", 18, face="hei", fill=ink, anchor="mt")


register(DocType.QUOTA_INVOICE, Layout(
    name="bureau", size=lambda s: (700, 380), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (244, 247, 250), (180, 195, 225), seed=141 + s[0],
                                         strength=0.2, rosette=False),
    draw=_quota_bureau))


# --- toll: a thermal slip printed whole ---------------------------------------------------------------

def _toll_slip_values(v: dict, rng) -> dict:
    out = dict(v)
    out["amount"] = plain_money(v["amount"])
    return out


def _toll_slip(c: Canvas, v: dict, style) -> None:
    col, size, x = _colon(style), 20, 24
    c.printed((c.w / 2, 16), f"{v['_province']}高速公路车辆通行费", 22, anchor="mt", **MONO)
    lines = [("发票代码", "code"), ("发票号码", "number"), (None, None), ("入口站", "entry"), ("出口站", "exit"),
             ("车型", "vehicle_type"), ("通行费(元)", "amount"), ("出口时间", None), ("收费员", None)]
    y = 56
    for label, key in lines:
        if label is None:
            dashed(c, y + 8, 14, c.w - 14, dyn=True)
            y += 22
            continue
        text = label + col
        c.printed((x, y), text, size, **MONO)
        vx = x + size * len(text) - (size // 2 * 2 if "(" in text else 0) + 6
        if label == "出口时间":
            c.value((vx, y), v["date"], size, **MONO)
            c.value((vx + size * 5.8, y), v["time"], size, **MONO)
        elif label == "收费员":
            c.printed((vx, y), str(int(v["number"]) % 9000 + 1000), size, **MONO)
        else:
            c.value((vx, y), v[key], size, max_w=c.w - vx - 12, **MONO)
        y += 34
    c.printed((c.w / 2, y + 10), "祝您一路平安", 18, anchor="mt", **MONO)


register(DocType.TOLL_INVOICE, Layout(
    name="slip", size=lambda s: (420, 420), style=lambda rng, v: (rng.randrange(2),), adapt=_toll_slip_values,
    background=paper((252, 252, 250)), draw=_toll_slip,
    printer=Printer(line_h=34, fade_rate=0.5)))


# --- toll: column heads with their values under them ---------------------------------------------------

def _toll_columns(c: Canvas, v: dict, style) -> None:
    ink = (40, 90, 60) if style[0] else (40, 70, 150)
    c.value((c.w / 2, 18), f"{v['_province']}省高速公路车辆通行费统一票据" if v["_province"] not in
            ("北京", "上海", "天津", "重庆") else f"{v['_province']}市高速公路车辆通行费统一票据", 26, face="hei", fill=ink,
            anchor="mt", form=True)
    supervision_seal(c, (70, 90), v["_province"], r=36)
    x0, x1 = 20, c.w - 20
    heads = [("入口", "entry", 20), ("出口", "exit", 230), ("车型", "vehicle_type", 440), ("金额", "amount", 540)]
    heads2 = [("日期", "date", 20), ("时间", "time", 230), ("收费员", None, 440)]
    for y0, row in ((130, heads), (220, heads2)):
        c.rect((x0, y0, x1, y0 + 84), outline=ink, width=2)
        c.line([(x0, y0 + 36), (x1, y0 + 36)], fill=ink)
        for label, key, x in row:
            c.text((x + 12, y0 + 8), label, 19, face="hei", fill=ink)
            if key is not None:
                c.value((x + 12, y0 + 48), v[key], 21, max_w=200, **MONO)
            else:
                c.value((x + 12, y0 + 48), str(int(v["number"]) % 90000 + 10000), 21, record=False, **MONO)
            if x > x0:
                c.line([(x, y0), (x, y0 + 84)], fill=ink)
    for i, (label, key) in enumerate((("票据代码", "code"), ("票据号码", "number"))):
        x = 40 + i * 330
        c.text((x, 326), label, 19, face="hei", fill=ink)
        c.value((x + 19 * 4 + 12, 324), v[key], 22, face="monob", fill=RED if key == "number" else DARK, form=True)


register(DocType.TOLL_INVOICE, Layout(
    name="columns", size=lambda s: (700, 370), style=lambda rng, v: (rng.randrange(2),),
    background=paper((248, 248, 243)), draw=_toll_columns,
    printer=Printer(line_h=40, misregister_rate=0.4, misregister=0.4, dot_matrix_rate=0.5)))


# --- itinerary: an agency's print, values under their column heads -----------------------------------------

def _itinerary_table_values(v: dict, rng) -> dict:
    out = dict(v)
    for key in ("fare", "caac_development_fund", "fuel_surcharge", "total"):
        out[key] = v[key].replace(" ", "")
    port = v["itinerary_list"][0]["_codes"][0]
    out["agent_code"] = port + str(rng.randint(100, 999)) + "083" + str(rng.randint(10000, 99999))
    return out


def _itinerary_table(c: Canvas, v: dict, style) -> None:
    ink = (30, 90, 70)
    val = dict(face="monocjk", fill=(20, 20, 30))
    c.text((c.w / 2, 22), "航空运输电子客票行程单", 36, face="hei", fill=ink, anchor="mt", spacing=3)
    c.text((c.w / 2, 66), "ITINERARY/RECEIPT OF E-TICKET FOR AIR TRANSPORT", 16, face="latin", fill=ink, anchor="mt")
    c.text((40, 100), "印刷序号 SERIAL NUMBER：", 18, face="hei", fill=ink)
    c.value((300, 96), v["serial_number"], 24, face="monob", fill=RED, form=True)

    def block(y, cols, values):
        for (x, zh, en), value in zip(cols, values):
            c.text((x, y), zh, 17, face="hei", fill=ink)
            c.text((x, y + 20), en, 12, face="latin", fill=ink)
            if value is not None:
                c.value((x, y + 44), value, 21, max_w=250, **val)
        c.line([(30, y + 76), (c.w - 30, y + 76)], fill=ink)

    block(134, [(40, "旅客姓名", "NAME OF PASSENGER"), (300, "有效身份证件号码", "ID.NO."),
                (620, "电子客票号码", "E-TICKET NO."), (900, "验证码", "CK."), (1060, "填开日期", "DATE OF ISSUE")],
          [v["passenger_name"], v["id_number"], v["e_ticket_number"], v["check_code"], v["issue_date"]])
    heads = [(40, "自", "FROM"), (200, "至", "TO"), (360, "承运人", "CARRIER"), (480, "航班号", "FLIGHT"),
             (620, "座位等级", "CLASS"), (740, "日期", "DATE"), (860, "时间", "TIME")]
    y = 226
    for x, zh, en in heads:
        c.text((x, y), zh, 17, face="hei", fill=ink)
        c.text((x, y + 20), en, 12, face="latin", fill=ink)
    for r, row in enumerate(v["itinerary_list"]):
        yy = y + 48 + r * 36
        for (x, _, _), key in zip(heads, ("departure_station", "destination_station", "carrier", "flight",
                                          "cabin_class", "date", "time")):
            c.value((x, yy), row[key], 21, **val)
    c.line([(30, y + 130), (c.w - 30, y + 130)], fill=ink)
    block(366, [(40, "票价", "FARE"), (260, "民航发展基金", "CAAC DEVELOPMENT FUND"), (520, "燃油附加费", "FUEL SURCHARGE"),
                (760, "其他税费", "OTHER TAXES"), (980, "合计", "TOTAL")],
          [v["fare"], v["caac_development_fund"], v["fuel_surcharge"], v["other_taxes"], v["total"]])
    block(458, [(40, "销售单位代号", "AGENT CODE"), (360, "填开单位", "ISSUED BY")],
          [v["agent_code"], v["issue_organization"]])
    c.text((40, 560), "验真网址: www.travelsky.com", 15, face="hei", fill=ink)


register(DocType.FLIGHT_ITINERARY, Layout(
    name="table", size=lambda s: (1300, 600), style=lambda rng, v: (0,), adapt=_itinerary_table_values,
    background=lambda s, size: guilloche(size[0], size[1], (238, 246, 240), (160, 205, 175), seed=97, strength=0.12),
    draw=_itinerary_table, printer=Printer(line_h=36, misregister_rate=0.3, misregister=0.3)))
