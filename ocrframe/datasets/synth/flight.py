"""Flight itineraries (航空运输电子客票行程单): the paper form and the electronic invoice.

- ``classic``: the national paper form (印刷序号 in red), the airline's printer on its
  columns; money with its code, ``CNY 1230.00``, ``CN 50.00``, ``YQ 20.00``;
- ``agent`` (held out): the same form printed by an agent's template whose columns sit
  off the form's (money under the next head), money codes without a space
  (``CNY1230.00``), the agent code with its city (``PEK12345678123``);
- ``electronic``: the 2024 electronic invoice 电子发票（航空运输电子客票行程单）: a
  20-digit 发票号码 (labelled ``number``, the SDK's key) and no 印刷序号, money as plain
  numbers (``1230.00``) in a row with the VAT rate and tax, flight dates ``2024-05-12``
  and times ``14:05``; buyer name and tax number printed (not labelled).
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche, paste_qr
from .formats import cn_date, digital_invoice_number, plain_money
from .layout import Layout, register
from .printing import Printer

VAL = dict(face="monocjk", fill=(20, 20, 30))


# --- the paper form (2008-2024), printed by an airline or an agent ---------------------------------

#: where an agent's printer template puts each group of values, off the form's columns (dx, dy)
AGENT_SHIFTS = (
    {"head": (30, 4), "rows": (36, 2), "money": (120, 6), "ticket": (40, 0), "agent": (20, 4)},
    {"head": (-10, -6), "rows": (60, -8), "money": (-40, -14), "ticket": (90, -4), "agent": (60, -6)},
    {"head": (70, 8), "rows": (-20, 6), "money": (160, 2), "ticket": (-20, 6), "agent": (-30, 8)},
)
NO_SHIFT = dict.fromkeys(("head", "rows", "money", "ticket", "agent"), (0, 0))


def _paper(c: Canvas, v: dict, style) -> None:
    """The national paper form; ``style[1]``: the printer template (0: on the columns)."""
    ink = (30, 90, 70)
    shift = AGENT_SHIFTS[style[1] - 1] if style[1] else NO_SHIFT

    def at(group, x, y):
        dx, dy = shift[group]
        return x + dx, y + dy
    lab = dict(face="hei", fill=ink)
    c.text((700, 26), "航空运输电子客票行程单", 40, face="hei", fill=ink, anchor="mt", spacing=4)
    c.text((700, 78), "ITINERARY/RECEIPT OF E-TICKET FOR AIR TRANSPORT", 17, face="latin", fill=ink, anchor="mt")
    c.text((1000, 30), "印刷序号:", 20, **lab)
    c.value((1100, 26), v["serial_number"], 28, face="monob", fill=(190, 30, 40), form=True)
    c.seal((330, 60), 52, ring_text="全国统一发票监制章", bottom_text="国家税务总局", oval=1.45, star=False, alpha=150, size=13)
    x0, x1 = 40, 1360
    y = 120
    c.rect((x0, y, x1, y + 56 + 50 + 150 + 100 + 60 + 60), outline=ink, width=2)
    small = 13

    def head(x, y, zh, en):
        c.text((x, y), zh, 17, **lab)
        c.text((x, y + 20), en, small, face="latin", fill=ink)

    head(50, y + 8, "旅客姓名", "NAME OF PASSENGER")
    c.value(at("head", 230, y + 14), v["passenger_name"], 24, **VAL)
    head(450, y + 8, "有效身份证件号码", "ID.NO.")
    c.value(at("head", 640, y + 14), v["id_number"], 24, **VAL)
    head(960, y + 8, "签注", "ENDORSEMENTS/RESTRICTIONS")
    c.value(at("head", 1190, y + 14), "不得签转", 20, record=False, **VAL)
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
        for x, key in ((60, "departure_station"), (240, "destination_station"), (420, "carrier"), (540, "flight"),
                       (680, "cabin_class"), (790, "date"), (900, "time")):
            c.value(at("rows", x, yy), row[key], 22, **VAL)
        c.value(at("rows", 1010, yy), row["cabin_class"] + "SR", 22, record=False, **VAL)
        c.value(at("rows", 1190, yy), "20K", 22, record=False, **VAL)
    c.value(at("rows", 60, y + 14 + len(v["itinerary_list"]) * 46), "VOID", 22, record=False, **VAL)
    y += 150
    c.line([(x0, y), (x1, y)], fill=ink)
    money = [(60, "票价", "FARE", "fare"), (300, "民航发展基金", "CAAC DEVELOPMENT FUND", "caac_development_fund"),
             (580, "燃油附加费", "FUEL SURCHARGE", "fuel_surcharge"), (830, "其他税费", "OTHER TAXES", "other_taxes"),
             (1060, "合计", "TOTAL", "total")]
    for x, zh, en, key in money:
        head(x, y + 8, zh, en)
        c.value(at("money", x, y + 58), v[key], 24, **VAL)
    y += 100
    c.line([(x0, y), (x1, y)], fill=ink)
    head(60, y + 8, "电子客票号码", "E-TICKET NO.")
    c.value(at("ticket", 240, y + 14), v["e_ticket_number"], 24, **VAL)
    head(560, y + 8, "验证码", "CK.")
    c.value(at("ticket", 660, y + 14), v["check_code"], 24, **VAL)
    head(800, y + 8, "提示信息", "INFORMATION")
    head(1060, y + 8, "保险费", "INSURANCE")
    c.value(at("ticket", 1180, y + 14), "XXX", 22, record=False, **VAL)
    y += 60
    c.line([(x0, y), (x1, y)], fill=ink)
    head(60, y + 8, "销售单位代号", "AGENT CODE")
    c.value(at("agent", 240, y + 14), v["agent_code"], 24, **VAL)
    head(440, y + 8, "填开单位", "ISSUED BY")
    c.value(at("agent", 560, y + 14), v["issue_organization"], 22, max_w=420, **VAL)
    head(1010, y + 8, "填开日期", "DATE OF ISSUE")
    c.value(at("agent", 1160, y + 14), v["issue_date"], 24, **VAL)
    c.seal((800, y + 10), 66, ring_text=v["issue_organization"], center_text=v["agent_code"], bottom_text="业务专用章",
           oval=1.45, star=False, dyn=True, alpha=120, size=15)
    c.text((60, 640), "验真网址: www.travelsky.com  服务热线: 400-815-8888", 15, face="hei", fill=ink)


def _paper_bg(s, size):
    return guilloche(size[0], size[1], (236, 246, 238), (150, 200, 170), seed=91 + s[0], strength=0.14)


def _agent_values(v: dict, rng) -> dict:
    """An agent's printer sets money without the space after the code, and its own agent code."""
    out = dict(v)
    for key in ("fare", "caac_development_fund", "fuel_surcharge", "total"):
        out[key] = v[key].replace(" ", "")
    out["agent_code"] = v["itinerary_list"][0]["_codes"][0] + v["agent_code"] + str(rng.randint(100, 999))
    return out


register(DocType.FLIGHT_ITINERARY, Layout(
    name="classic", size=lambda s: (1400, 680), style=lambda rng, v: (rng.randrange(2), 0), background=_paper_bg,
    draw=_paper, printer=Printer(line_h=46, misregister_rate=0.25, misregister=0.4, dot_matrix_rate=0.3)))
register(DocType.FLIGHT_ITINERARY, Layout(
    name="agent", heldout=True, size=lambda s: (1400, 680), adapt=_agent_values,
    style=lambda rng, v: (rng.randrange(2), rng.randint(1, len(AGENT_SHIFTS))), background=_paper_bg, draw=_paper,
    printer=Printer(line_h=46, misregister_rate=0.5, misregister=0.45, dot_matrix_rate=0.6)))


# --- the electronic invoice (2024-): 电子发票（航空运输电子客票行程单） --------------------------------

E_COLS = [(50, "自", "departure_station"), (180, "至", "destination_station"), (310, "承运人", "carrier"),
          (400, "航班号", "flight"), (510, "座位等级", "cabin_class"), (610, "日期", "date"), (750, "时间", "time"),
          (840, "客票级别/客票类别", None), (1010, "客票生效日期", None), (1140, "有效截止日期", None),
          (1270, "免费行李", None)]
E_MONEY = [(50, "票价", "fare"), (230, "燃油附加费", "fuel_surcharge"), (410, "增值税税率", "_tax_rate"),
           (570, "增值税税额", "_tax"), (750, "民航发展基金", "caac_development_fund"), (950, "其他税费", "other_taxes"),
           (1130, "合计", "total")]
MONTH_NO = {m: i + 1 for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                             "NOV", "DEC"))}


def _electronic_values(v: dict, rng) -> dict:
    from decimal import Decimal

    out = dict(v)
    year = max(2024, int(v["issue_date"][:4]))
    out["issue_date"] = f"{year}{v['issue_date'][4:]}"
    out["number"] = digital_invoice_number(rng, year, v["agent_code"][:2] + "0000")
    for key in ("fare", "caac_development_fund", "fuel_surcharge", "other_taxes", "total"):
        out[key] = plain_money(v[key])
    base = Decimal(out["fare"]) + Decimal(out["fuel_surcharge"])
    out["_tax_rate"], out["_tax"] = "9%", f"{(base * 9 / 109).quantize(Decimal('0.01'))}"
    rows = []
    issued = out["issue_date"].split("-")
    for row in v["itinerary_list"]:
        month, day = MONTH_NO[row["date"][2:]], int(row["date"][:2])
        y = year + ((month, day) < (int(issued[1]), int(issued[2])))
        rows.append(dict(row, date=f"{y}-{month:02d}-{day:02d}", time=f"{row['time'][:2]}:{row['time'][2:]}"))
    out["itinerary_list"] = rows
    out["_buyer"] = v["issue_organization"].replace("航空服务", "科技").replace("国际旅行社", "商贸").replace("票务代理", "信息技术")
    return out


def _electronic(c: Canvas, v: dict, style) -> None:
    ink = (145, 40, 40)
    lab = dict(face="hei", fill=ink)
    paste_qr(c, int(v["number"][-9:]), (44, 20), 108)
    c.text((680, 30), "电子发票（航空运输电子客票行程单）", 34, face="hei", fill=ink, anchor="mt")
    c.line([(400, 78), (960, 78)], fill=ink, width=2)
    c.line([(400, 84), (960, 84)], fill=ink, width=2)
    c.text((1010, 30), "发票号码：", 19, **lab)
    c.value((1110, 28), v["number"], 21, **VAL)
    c.text((1010, 64), "开票日期：", 19, **lab)
    c.value((1110, 62), cn_date(v["issue_date"]), 21, record=False, **VAL)
    c.text((180, 100), "国内国际标识：国内", 17, **lab)
    x0, x1, y = 40, 1360, 140
    c.rect((x0, y, x1, y + 470), outline=ink, width=2)
    for x, label, key, value in ((50, "旅客姓名", "passenger_name", None), (420, "有效身份证件号码", "id_number", None),
                                 (960, "签注", None, "不得签转")):
        c.text((x, y + 14), label, 18, **lab)
        c.value((x + 18 * len(label) + 14, y + 12), v[key] if key else value, 21, record=key is not None, **VAL)
    y += 48
    c.line([(x0, y), (x1, y)], fill=ink)
    for (x, title, _), nxt in zip(E_COLS, [col[0] for col in E_COLS[1:]] + [x1]):
        c.text((x, y + 12), title, 16, max_w=nxt - x - 8, **lab)
    y += 40
    for r, row in enumerate(v["itinerary_list"]):
        yy = y + 8 + r * 36
        for x, _, key in E_COLS:
            if key:
                c.value((x, yy), row[key], 20, max_w=125, **VAL)
        c.value((840, yy), row["cabin_class"], 20, record=False, **VAL)
        c.value((1270, yy), "20KG", 20, record=False, **VAL)
    y += 110
    c.line([(x0, y), (x1, y)], fill=ink)
    for x, label, key in E_MONEY:
        c.text((x, y + 12), label, 18, **lab)
        c.value((x, y + 46), v[key], 21, record=not key.startswith("_"), **VAL)
    y += 86
    c.line([(x0, y), (x1, y)], fill=ink)
    for x, label, key, value in ((50, "电子客票号码", "e_ticket_number", None), (480, "验证码", "check_code", None),
                                 (720, "提示信息", None, "--"), (1060, "保险费", None, "--")):
        c.text((x, y + 14), label, 18, **lab)
        c.value((x + 18 * len(label) + 14, y + 12), v[key] if key else value, 21, record=key is not None, **VAL)
    y += 48
    c.line([(x0, y), (x1, y)], fill=ink)
    for x, label, key in ((50, "销售网点代号", "agent_code"), (380, "填开单位", "issue_organization"),
                          (1020, "填开日期", "issue_date")):
        c.text((x, y + 14), label, 18, **lab)
        c.value((x + 18 * len(label) + 14, y + 12), v[key], 21, max_w=450, **VAL)
    y += 48
    c.line([(x0, y), (x1, y)], fill=ink)
    c.text((50, y + 14), "购买方名称：", 18, **lab)
    c.value((50 + 18 * 6 + 8, y + 12), v["_buyer"], 21, record=False, **VAL)
    c.text((720, y + 14), "统一社会信用代码/纳税人识别号：", 18, **lab)
    c.value((720 + 18 * 15 + 10, y + 12), "91" + v["e_ticket_number"][:16].ljust(16, "0"), 21, record=False, **VAL)


register(DocType.FLIGHT_ITINERARY, Layout(
    name="electronic", size=lambda s: (1400, 640), style=lambda rng, v: (0,), adapt=_electronic_values,
    absent=frozenset({"serial_number"}),
    background=lambda s, size: guilloche(size[0], size[1], (252, 251, 248), (220, 200, 190), seed=95, strength=0.0),
    draw=_electronic))
