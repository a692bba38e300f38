"""Fields of the motor-vehicle sales invoice (机动车销售统一发票): a grid of label cells;
values are the text between a label and the next label of its row
(``DocText.split_labels``), checked for form, with the header numbers and the buyer read by
label and form (:data:`MVS_VOCAB`).

Split from :mod:`ocrframe.engine.extract.vat_invoice` (which re-exports every name).
"""

from __future__ import annotations

import re

from ...types import DocType
from ..classify import titles
from .assign import assign
from .common import DocText, Field
from .invoice_fields import code_field, number_field
from .layout import norm
from .patterns import any_of, cjk, date, digits, id_number, uscc
from .receipts import yuan
from .vocab import FieldVocab, Vocabulary

__all__ = ["mvs_invoice", "MVS_VOCAB"]


_MVS_LABELS = {
    "发票代码": "code", "机打代码": "_code2", "发票号码": "number", "机打号码": "_number2", "开票日期": "issue_date",
    "税控码": "_cipher", "机器编号": "machine_number", "购买方名称": "buyer_name",
    "身份证号码/组织机构代码": "buyer_id", "车辆类型": "vehicle_type", "厂牌型号": "brand_model",
    "产地": "manufacturing_location", "合格证号": "quality_certificate", "进口证明书号": "_import",
    "商检单号": "_inspect", "发动机号码": "engine_number", "车辆识别代号/车架号码": "vehicle_identification_number",
    "价税合计": "total_chinese", "小写": "total", "销货单位名称": "seller_name", "电话": "seller_phone",
    "纳税人识别号": "seller_id", "账号": "seller_account", "地址": "seller_address", "开户银行": "seller_bank",
    "增值税税率或征收率": "tax_rate", "增值税税额": "tax", "主管税务机关及代码": "_authority",
    "不含税价": "tax_exclusive_price", "完税凭证号码": "_paid", "吨位": "_tons", "限乘人数": "_seats",
    "销货单位盖章": "_stamp", "开票人": "_issuer", "备注": "_remarks",
}

_MVS_FORMS = {
    "code": r"\d{10,12}", "number": r"\d{8}", "issue_date": r"\d{4}-\d{2}-\d{2}", "machine_number": r"\d{12}",
    "buyer_id": r"[\dX]{15,18}|[0-9A-Z]{18}", "vehicle_identification_number": r"[A-HJ-NPR-Z0-9]{17}",
    "seller_id": r"[0-9A-Z]{15,20}", "seller_account": r"\d{12,19}", "seller_phone": r"\d{3,4}-\d{7,8}",
    "tax_rate": r"\d{1,2}%", "total": r"[￥]?\d+\.\d{2}", "tax": r"[￥]?\d+\.\d{2}",
    "tax_exclusive_price": r"[￥]?\d+\.\d{2}",
}


#: the buyer's label of newer forms names both values (and wraps over lines as printed)
_BUYER_BOTH = ("购买方名称及身份证号码/组织机构代码", "购买方名称及身份证号码/", "及身份证号码/组织机构代码",
               "及身份证号码/")
_BUYER_NAME = cjk(2, 40, extra="()·", exclude=r"名称|号码|代码|身份证|纳税人|车辆|类型|单位")

MVS_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    FieldVocab("issue_date", ("开票日期", "日期"), date(), fallback=True),
    FieldVocab("machine_number", ("机器编号", "机器编码"), digits(12)),
    FieldVocab("_code2", ("机打代码",), digits(10, 12)),
    number_field(name="_number2", labels=("机打号码",)),
    FieldVocab("buyer_name", ("购买方名称", "购货单位(人)", "购货单位", "购买方") + _BUYER_BOTH, _BUYER_NAME),
    FieldVocab("buyer_id", ("身份证号码/组织机构代码", "纳税人识别号/统一社会信用代码/身份证明号码", "身份证明号码",
                            "组织机构代码", "身份证号码") + _BUYER_BOTH, any_of(id_number(), uscc())),
), barriers=tuple(k for k, v in _MVS_LABELS.items() if v not in (
    "code", "number", "issue_date", "machine_number", "_code2", "_number2", "buyer_name", "buyer_id")), titles=titles(DocType.MVS_INVOICE))

#: the fields read by label and form (:data:`MVS_VOCAB`) rather than by splitting rows at labels
_ASSIGNED = tuple(fv.name for fv in MVS_VOCAB.fields)


#: a vehicle class (it ends in 车) run into the brand and model printed after it (``福特牌CAF6451A61``)
_CLASS_THEN_BRAND = re.compile(r"([\u4e00-\u9fff]*车)([\u4e00-\u9fff]{1,8}牌[0-9A-Za-z\-/]+)")


def _split_vehicle(f: dict[str, Field]) -> None:
    """The brand and model read as part of the vehicle class (the 厂牌型号 label between
    them not read): split where the class ends, at its 车.

    Examples
    --------
    >>> f = {"vehicle_type": Field("多用途乘用车福特牌CAF6451A61", 0.9)}
    >>> _split_vehicle(f); f["vehicle_type"].value, f["brand_model"].value
    ('多用途乘用车', '福特牌CAF6451A61')
    """
    v = f.get("vehicle_type")
    m = _CLASS_THEN_BRAND.fullmatch(v.value) if v is not None and "brand_model" not in f else None
    if m:
        f["vehicle_type"] = Field(m.group(1), v.confidence)
        f["brand_model"] = Field(m.group(2), 0.9 * v.confidence)


def mvs_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a motor-vehicle sales invoice (机动车销售统一发票)."""
    raw = {k: v for k, v in doc.split_labels(_MVS_LABELS).items() if k not in _ASSIGNED}
    raw.update(assign(doc, MVS_VOCAB))
    f: dict[str, Field] = {}
    for k, v in raw.items():
        val = norm(v.value).strip()
        if k in _MVS_FORMS and k not in _ASSIGNED:
            m = re.search(_MVS_FORMS[k], val.replace(" ", ""))
            if not m:
                continue
            val = m.group(0)
        f[k] = Field(val, v.confidence)
    for alt, k in (("_code2", "code"), ("_number2", "number")):
        if k not in f and alt in raw:
            m = re.search(_MVS_FORMS[k], raw[alt].value.replace(" ", ""))
            if m:
                f[k] = Field(m.group(0), raw[alt].confidence)
    for k in ("total", "tax", "tax_exclusive_price"):
        if k in f:
            f[k] = Field(yuan(f[k].value), f[k].confidence)
    for k in ("buyer_name", "seller_name", "seller_bank", "seller_address", "brand_model", "vehicle_type",
              "manufacturing_location", "total_chinese"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    for k in ("engine_number", "quality_certificate"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    _split_vehicle(f)
    if "manufacturing_location" not in f and "brand_model" in f:
        # the 产地 label not read: the origin is the Chinese word printed right of the model
        for r in doc.rows:
            ps = [p for p in r.pieces if p.text]
            k = next((k for k, p in enumerate(ps) if "厂牌型号" in norm(p.text).replace(" ", "")), None)
            if k is None:
                continue
            rest = ps[k + 1:]
            if len(rest) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]{2,6}", rest[-1].text.strip()):
                f["manufacturing_location"] = Field(rest[-1].text.strip(), 0.8 * rest[-1].score)
                bm = f["brand_model"].value
                if bm.endswith(rest[-1].text.strip()):
                    f["brand_model"] = Field(bm[: -len(rest[-1].text.strip())], f["brand_model"].confidence)
            break
    if "_authority" in raw:
        a = norm(raw["_authority"].value).replace(" ", "")
        m = re.match(r"([\u4e00-\u9fff]+)(\d{6,})", a)
        if m:
            f["tax_authority"] = Field(m.group(1), raw["_authority"].confidence)
            f["tax_authority_code"] = Field(m.group(2), raw["_authority"].confidence)
        elif re.search(r"[\u4e00-\u9fff]", a):
            f["tax_authority"] = Field(a, 0.7 * raw["_authority"].confidence)
    # code and number are printed twice (header and 机打 cells): the second reading, for the checks
    twice = {}
    for alt, k in (("_code2", "code"), ("_number2", "number")):
        if alt in raw:
            m = re.search(_MVS_FORMS[k], raw[alt].value.replace(" ", ""))
            if m:
                twice[k] = m.group(0)
    return {k: v for k, v in f.items() if not k.startswith("_")}, ({"_twice": twice} if twice else {})
