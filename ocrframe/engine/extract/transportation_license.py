"""Road transport certificate (道路运输证)."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import plate
from .common import DocText, Field

LABELS = {"业户名称": "owner_name", "地址": "owner_address", "车辆号牌": "vehicle_number", "车辆类型": "vehicle_type",
          "道路运输证号": "license_number", "经营许可证": "business_certificate", "经营许可证号": "business_certificate",
          "经济类型": "economic_type", "核发机关": "issuing_authority",
          "吨(座)位": "maximum_capacity", "吨（座）位": "maximum_capacity", "吨位": "maximum_capacity",
          "车辆尺寸": "vehicle_size", "经营范围": "business_scope", "发证机关": "issuing_authority",
          "发证日期": "issue_date"}
_DATE = r"\d{4}[-.年/]\d{1,2}[-.月/]\d{1,2}日?"


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a road transport certificate (a date after the issuing office is its issue date)."""
    f = doc.split_labels(LABELS)
    auth = f.get("issuing_authority")
    if auth is not None:
        m = re.search(_DATE, auth.value.replace(" ", ""))
        if m:
            f.setdefault("issue_date", Field(m.group(0), auth.confidence))
            f["issuing_authority"] = Field(auth.value[:auth.value.find(m.group(0)[:4])].strip(), auth.confidence)
    if "license_number" in f:
        m = re.search(r"\d{8,14}", f["license_number"].value.replace(" ", ""))
        f["license_number"] = Field(m.group(0), f["license_number"].confidence) if m else f["license_number"]
    for k in ("vehicle_number", "business_certificate", "vehicle_size"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    if "vehicle_number" in f:
        f["vehicle_number"] = Field(plate(f["vehicle_number"].value), f["vehicle_number"].confidence)
    return f, {}


EXTRACTORS = {DocType.TRANSPORTATION_LICENSE: extract}
