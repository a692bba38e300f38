"""Motor-vehicle driving licence: front (main page) and back (副页)."""

from __future__ import annotations

import re

from ...types import DocType
from .authority import fill_authority
from .common import DocText, Field
from .numbers import find_id_number, fold_digits

FRONT_LABELS = {"证号": "number", "姓名": "name", "性别": "sex", "国籍": "nationality", "住址": "address",
                "出生日期": "birth", "初次领证日期": "issue_date", "准驾车型": "class", "有效期限": "validity",
                "有效起始日期": "valid_from", "有效期至": "valid_to", "发证机关": "issuing_authority",
                "License No.": "number", "Name": "name", "Sex": "sex", "Nationality": "nationality",
                "Address": "address", "Date of Birth": "birth", "Issue Date": "issue_date", "Class": "class",
                "Valid Period": "validity",
                # distinctive parts of labels a stamp often covers partly
                "初次领证": "issue_date", "领证日期": "issue_date", "准驾": "class", "驾车型": "class"}
BACK_LABELS = {"证号": "number", "姓名": "name", "档案编号": "file_number", "记录": "record",
               "License No.": "number", "Name": "name", "File No.": "file_number", "Record": "record"}

_DATE = r"\d{4}[-.年/]\d{1,2}[-.月/]\d{1,2}日?"
_AUTH = r"(\S*(?:公安局|公安厅)\S*(?:交通管理局|交通警察支队|交通警察大队|车辆管理所|交警支队|交警大队)?)"


def _number(doc: DocText, f: dict) -> None:
    """The licence number: the holder's ID number (found by its pattern and check
    character, see :func:`~.numbers.find_id_number`), else the 12-15 digits an older
    or foreign holder's licence prints after its label."""
    v = f.get("number")
    num = find_id_number(doc, v)
    if num is None and v is not None:
        m = re.search(r"(?<!\d)(\d{12,15})(?!\d)", fold_digits(v.value))
        num = Field(m.group(1), v.confidence) if m else None
    if num is not None:
        f["number"] = num
    else:
        f.pop("number", None)


def extract_front(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a driving licence's main page (``有效期限`` splits at 至)."""
    f = doc.split_labels(FRONT_LABELS)
    _number(doc, f)
    if "address" in f:
        f["address"] = doc.continuation(f["address"], "住址", FRONT_LABELS)
    if "sex" in f:
        m = re.search("[男女]", f["sex"].value)
        f["sex"] = Field(m.group(0) if m else "", f["sex"].confidence if m else 0.0)
    for k in ("birth", "issue_date", "valid_from", "valid_to"):
        if k in f:
            m = re.search(_DATE, f[k].value.replace(" ", ""))
            if m:
                f[k] = Field(m.group(0), f[k].confidence)
            else:
                del f[k]  # no date (an English subtitle read under its label) is no value
    _CLASS = r"(?:A[1-3]|B[12]|C[1-6]|[DEFMNP])(?:A[1-3]|B[12]|C[1-6]|[DEFMNP])*"
    if "class" in f:
        m = re.fullmatch(r"\s*(" + _CLASS + r")\s*", f["class"].value.upper())
        if m:
            f["class"] = Field(m.group(1), f["class"].confidence)
        else:
            del f["class"]
    if "class" not in f:
        for r in doc.rows:
            p = next((p for p in r.pieces if re.fullmatch(_CLASS, p.text.strip().upper())), None)
            if p is not None:
                f["class"] = Field(p.text.strip().upper(), 0.8 * p.score)
                break
    v = f.pop("validity", None)
    if v is not None:
        parts = re.findall(_DATE + r"|长期", v.value.replace(" ", ""))
        if parts:
            f.setdefault("valid_from", Field(parts[0], v.confidence))
        if len(parts) > 1:
            f.setdefault("valid_to", Field(parts[1], v.confidence))
    fill_authority(doc, f)
    return f, {}


def extract_back(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a driving licence's back page (副页)."""
    f = doc.split_labels(BACK_LABELS)
    _number(doc, f)
    if "record" in f:
        f["record"] = doc.continuation(f["record"], "记录", BACK_LABELS)
    else:
        hit = doc.search(r"((?:请于|实习期|累积记分|审验)\S*)")
        if hit is not None:
            f["record"] = Field(hit.value, 0.9 * hit.confidence)
    if "file_number" in f:
        m = re.search(r"\d{10,14}", f["file_number"].value.replace(" ", ""))
        if m:
            f["file_number"] = Field(m.group(0), f["file_number"].confidence)
    return f, {}


EXTRACTORS = {DocType.DRIVER_LICENSE_FRONT: extract_front, DocType.DRIVER_LICENSE_BACK: extract_back}
#: the authority stamp lies over the lower rows
STAMPED = (DocType.DRIVER_LICENSE_FRONT,)
