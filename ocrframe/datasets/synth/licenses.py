"""Licences: vehicle licence (行驶证) and driving licence (驾驶证) pages, road-transport certificate."""

from __future__ import annotations

from ocrframe.types import DocType

from .cards import portrait
from .draw import Canvas, guilloche, table
from .layout import Layout, register

TITLE = (25, 45, 110)
SEAL = (210, 40, 40)


def _title(c: Canvas, zh: str, en: str, w: int, color=TITLE, y: int = 22) -> None:
    c.text((w / 2, y), zh, 36, face="hei", fill=color, anchor="mt", spacing=4, bold=True)
    c.text((w / 2, y + 48), en, 16, face="latin", fill=color, anchor="mt")


def _authority_stamp(c: Canvas, v: dict, box, key: str = "issuing_authority") -> None:
    text = v[key]
    n = 1 if len(text) <= 8 else 2 if len(text) <= 16 else 3
    step = -(-len(text) // n)
    lines = [text[i:i + step] for i in range(0, len(text), step)]
    c.stamp_box(box, lines, size=26, dyn=True, color=SEAL)


def _paper(base, ink, seed):
    return lambda s, size: guilloche(size[0], size[1], base, ink, seed=seed + s[0], strength=0.18, density=0.8)


# --- vehicle licence -------------------------------------------------------------------------

def _vehicle_front(c: Canvas, v: dict, style) -> None:
    _title(c, "中华人民共和国机动车行驶证", "Vehicle License of the People's Republic of China", c.w)
    rows = [
        [("号牌号码", "Plate No.", "number", 0.5), ("车辆类型", "Vehicle Type", "vehicle_type", 0.5)],
        [("所 有 人", "Owner", "name", 1.0)],
        [("住    址", "Address", "address", 1.0)],
        [("使用性质", "Use Character", "use_character", 0.42), ("品牌型号", "Model", "model", 0.58)],
        [("车辆识别代号", "VIN", "vin", 1.0)],
        [("发动机号码", "Engine No.", "engine_no", 1.0)],
        [("注册日期", "Register Date", "register_date", 0.5), ("发证日期", "Issue Date", "issue_date", 0.5)],
    ]
    table(c, v, (30, 100), c.w - 60, rows, row_h=66, label_w=150, value_size=26)
    _authority_stamp(c, v, (40, 420, 250, 560))


def _vehicle_back(c: Canvas, v: dict, style) -> None:
    _title(c, "中华人民共和国机动车行驶证副页", "Vehicle License (Duplicate)", c.w)
    rows = [
        [("号牌号码", "Plate No.", "number", 0.5), ("档案编号", "File No.", "file_no", 0.5)],
        [("核定载人数", "Approved Passengers", "approved_passengers", 0.5), ("总质量", "Gross Mass", "gross_mass", 0.5)],
        [("整备质量", "Unladen Mass", "unladen_mass", 0.5), ("核定载质量", "Approved Load", "approved_load", 0.5)],
        [("外廓尺寸", "Overall Dimension", "dimension", 1.0)],
        [("准牵引总质量", "Traction Mass", "traction_mass", 0.5), ("备注", "Remarks", "remarks", 0.5)],
        [("检验记录", "Inspection Record", "inspection_record", 1.0, 2)],
    ]
    table(c, v, (30, 100), c.w - 60, rows, row_h=66, label_w=160, value_size=26)
    c.seal((720, 520), 52, ring_text="检验合格", star=True, dyn=False, size=16)


# --- driving licence -------------------------------------------------------------------------

def _driver_front(c: Canvas, v: dict, style) -> None:
    _title(c, "中华人民共和国机动车驾驶证", "Driving License of the People's Republic of China", c.w)
    rows = [
        [("证号", "License No.", "number", 1.0)],
        [("姓名", "Name", "name", 0.42), ("性别", "Sex", "sex", 0.25), ("国籍", "Nationality", "nationality", 0.33)],
        [("住址", "Address", "address", 1.0, 2)],
    ]
    table(c, v, (30, 100), c.w - 60, rows, row_h=62, label_w=120, value_size=26)
    rows2 = [
        [("出生日期", "Date of Birth", "birth", 1.0)],
        [("初次领证日期", "Issue Date", "issue_date", 1.0)],
        [("准驾车型", "Class", "class", 1.0)],
    ]
    table(c, v, (30, 348), 560, rows2, row_h=62, label_w=170, value_size=26)
    portrait(c, (610, 352, 842, 520), bg=(230, 236, 240))
    c.rect((590, 348, c.w - 30, 534), outline=(60, 60, 60), width=2)
    c.text((40, 560), "有效期限", 20, face="hei", fill=(30, 30, 30), anchor="lm")
    c.text((40, 580), "Valid Period", 11, face="latin", fill=(30, 30, 30), anchor="lm")
    c.value((160, 566), f"{v['valid_from']} 至 {v['valid_to']}", 26, face="hei", anchor="lm")
    _authority_stamp(c, v, (40, 396, 250, 530))


def _driver_back(c: Canvas, v: dict, style) -> None:
    _title(c, "中华人民共和国机动车驾驶证副页", "Driving License (Duplicate)", c.w)
    rows = [
        [("证号", "License No.", "number", 1.0)],
        [("姓名", "Name", "name", 0.5), ("档案编号", "File No.", "file_number", 0.5)],
        [("记录", "Record", "record", 1.0, 4)],
    ]
    table(c, v, (30, 100), c.w - 60, rows, row_h=70, label_w=120, value_size=26)


def _style(rng, v):
    return (rng.randrange(3),)


for _t, _draw in [(DocType.VEHICLE_LICENSE_FRONT, _vehicle_front), (DocType.VEHICLE_LICENSE_BACK, _vehicle_back)]:
    register(_t, Layout(size=lambda s: (880, 600), style=_style, draw=_draw, radius=0.015,
                        background=_paper((246, 243, 240), (200, 170, 170), 41)))
for _t, _draw in [(DocType.DRIVER_LICENSE_FRONT, _driver_front), (DocType.DRIVER_LICENSE_BACK, _driver_back)]:
    register(_t, Layout(size=lambda s: (880, 600), style=_style, draw=_draw, radius=0.015,
                        background=_paper((244, 246, 247), (160, 185, 205), 51)))


# --- road transport certificate --------------------------------------------------------------

def _transport(c: Canvas, v: dict, style) -> None:
    green = (20, 95, 60)
    _title(c, "中华人民共和国道路运输证", "Road Transport Certificate of the People's Republic of China", c.w, color=green)
    c.text((40, 96), "道路运输证号", 22, face="hei", fill=green, anchor="lm")
    c.value((200, 96), v["license_number"], 28, face="monob", anchor="lm", fill=(150, 20, 30))
    rows = [
        [("业户名称", "", "owner_name", 1.0)],
        [("地    址", "", "owner_address", 1.0)],
        [("车辆号牌", "", "vehicle_number", 0.45), ("经济类型", "", "economic_type", 0.55)],
        [("经营许可证", "", "business_certificate", 1.0)],
        [("车辆类型", "", "vehicle_type", 0.45), ("吨(座)位", "", "maximum_capacity", 0.55)],
        [("车辆尺寸", "", "vehicle_size", 1.0)],
        [("经营范围", "", "business_scope", 1.0)],
        [("核发机关", "", "issuing_authority", 0.6), ("发证日期", "", "issue_date", 0.4)],
    ]
    table(c, v, (30, 122), c.w - 60, rows, row_h=56, label_w=130, value_size=24, line=green, label_fill=green)
    c.seal((200, 520), 56, ring_text=v["issuing_authority"][:12], dyn=True, alpha=150, size=15)


register(DocType.TRANSPORTATION_LICENSE, Layout(
    size=lambda s: (960, 600), style=_style, draw=_transport, radius=0.015,
    background=_paper((232, 242, 232), (130, 180, 140), 61)))
