"""Flight itineraries (航空运输电子客票行程单): paper forms and the electronic invoice."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche
from .layout import Layout, register

VAL = dict(face="monocjk", fill=(20, 20, 30))


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
