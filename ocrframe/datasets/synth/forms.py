"""The motor-vehicle sales invoice (机动车销售统一发票)."""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche, table
from .layout import Layout, register
from .parts import cipher, supervision_seal

INK = (25, 25, 35)
VAL = dict(face="monocjk", fill=(20, 20, 30))


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
