"""Motor-vehicle licence (行驶证): front (main page) and back (副页)."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import adjust, vin_ok
from .common import DocText, Field

FRONT_LABELS = {"号牌号码": "number", "车辆类型": "vehicle_type", "所有人": "name", "住址": "address",
                "使用性质": "use_character", "品牌型号": "model", "车辆识别代号": "vin", "发动机号码": "engine_no",
                "注册日期": "register_date", "发证日期": "issue_date", "发证机关": "issuing_authority"}
BACK_LABELS = {"号牌号码": "number", "档案编号": "file_no", "核定载人数": "approved_passengers", "总质量": "gross_mass",
               "整备质量": "unladen_mass", "核定载质量": "approved_load", "外廓尺寸": "dimension",
               "准牵引总质量": "traction_mass", "备注": "remarks", "检验记录": "inspection_record"}

_DATE = r"\d{4}[-.年/]\d{1,2}[-.月/]\d{1,2}日?"


def extract_front(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a vehicle licence's main page; the VIN's check digit is validated."""
    f = doc.split_labels(FRONT_LABELS)
    if "address" in f:
        f["address"] = doc.continuation(f["address"], "住址", FRONT_LABELS)
    if "vin" in f:
        v = re.sub(r"[^A-Z0-9]", "", f["vin"].value.upper()).replace("O", "0").replace("I", "1").replace("Q", "0")
        f["vin"] = Field(v, adjust(f["vin"].confidence, vin_ok(v) if len(v) == 17 else False))
    if "engine_no" in f:
        f["engine_no"] = Field(f["engine_no"].value.replace(" ", ""), f["engine_no"].confidence)
    if "number" in f:
        f["number"] = Field(f["number"].value.replace(" ", ""), f["number"].confidence)
    for k in ("register_date", "issue_date"):
        if k in f:
            m = re.search(_DATE, f[k].value.replace(" ", ""))
            if m:
                f[k] = Field(m.group(0), f[k].confidence)
    if "issuing_authority" not in f:
        for r in doc.rows:
            m = re.search(r"(\S*公安局\S*(?:交通管理局|交通警察支队|车辆管理所|交警支队))", r.text.replace(" ", ""))
            if m:
                f["issuing_authority"] = Field(m.group(1), 0.9 * r.score)
                break
    return f, {}


def extract_back(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a vehicle licence's back page."""
    f = doc.split_labels(BACK_LABELS)
    for k in ("number", "file_no"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    if "inspection_record" in f:
        f["inspection_record"] = doc.continuation(f["inspection_record"], "检验记录", BACK_LABELS)
    return f, {}


EXTRACTORS = {DocType.VEHICLE_LICENSE_FRONT: extract_front, DocType.VEHICLE_LICENSE_BACK: extract_back}
