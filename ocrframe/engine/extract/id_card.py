"""Resident ID card: portrait side (name ... number) and emblem side (issuing office, validity)."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import adjust, id_number_ok
from .common import DocText, Field, clean
from .numbers import find_id_number

PORTRAIT_LABELS = {"姓名": "name", "性别": "sex", "民族": "ethnicity", "出生": "birth", "住址": "address",
                   "公民身份号码": "number", "公民身份证号码": "number"}
EMBLEM_LABELS = {"签发机关": "issue", "有效期限": "validity"}
#: a name is looked for at most this many line heights above the sex / ethnicity row
NAME_REACH = 3.0
#: a name as printed: Chinese characters, with a middle dot between the parts of a
#: transliterated name (买买提·吐尔逊)
_NAME = re.compile(r"[\u4e00-\u9fff]+(?:[·•.][\u4e00-\u9fff]+)*")
#: what is left of the small ``姓名`` label in front of a name read with it
_NAME_LABEL = re.compile(r"^(?:姓\s*名|[姓名])\s*")


def _name_above(doc: DocText) -> Field | None:
    """The name when its label was not read: the nearest row above the sex / ethnicity row
    that reads as a name (the small ``姓名`` label in front of it, wholly or partly read,
    is dropped). The card prints the name there, large, on its own row."""
    below = next((r for r in doc.rows if re.search("性别|民族", r.text.replace(" ", ""))), None)
    if below is None:
        return None
    h = max(p.h for p in below.pieces)
    for r in sorted((r for r in doc.rows if 0 < below.y - r.y <= NAME_REACH * h), key=lambda r: below.y - r.y):
        t = _NAME_LABEL.sub("", r.text.replace(" ", ""))
        if _NAME.fullmatch(t):
            return Field(t.replace("•", "·").replace(".", "·"), r.score)
    return None


def extract_portrait(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of an ID card's portrait side.

    The number's check digit and the birth date inside it are validated; a birth date
    that disagrees with the number lowers both confidences.
    """
    f = doc.split_labels(PORTRAIT_LABELS)
    if "name" not in f:
        name = _name_above(doc)
        if name is not None:
            f["name"] = name
    if "address" in f:
        a = doc.continuation(f["address"], "住址", PORTRAIT_LABELS)
        # the other script's line under a minority-language card's address, read as Latin
        f["address"] = Field(re.sub(r"(?<=[\u4e00-\u9fff\d])[A-Za-z]{3,}$", "", a.value), a.confidence)
    num = find_id_number(doc, f.get("number"))
    if num is not None:
        f["number"] = num
    else:
        f.pop("number", None)
    if "sex" in f:
        m = re.search("[男女]", f["sex"].value)
        f["sex"] = Field(m.group(0), f["sex"].confidence) if m else Field("", 0.0)
    if "ethnicity" in f:
        f["ethnicity"] = Field(clean(f["ethnicity"].value.split()[0]), f["ethnicity"].confidence)
    if "birth" in f:
        b = f["birth"].value.replace(" ", "")
        m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", b)
        if m:
            b = f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
            if num is not None and id_number_ok(num.value):
                if num.value[6:14] != f"{m.group(1)}{int(m.group(2)):02d}{int(m.group(3)):02d}":
                    f["number"] = Field(num.value, adjust(num.confidence, False))
                    f["birth"] = Field(b, adjust(f["birth"].confidence, False))
                    return f, {}
        f["birth"] = Field(b, f["birth"].confidence)
    elif num is not None and id_number_ok(num.value):
        d = num.value[6:14]
        f["birth"] = Field(f"{d[:4]}年{int(d[4:6])}月{int(d[6:])}日", 0.5 * num.confidence)
    if "sex" not in f and num is not None and id_number_ok(num.value):
        f["sex"] = Field("男" if int(num.value[16]) % 2 else "女", 0.5 * num.confidence)
    return f, {}


#: a date as the emblem side prints it (``2015.05.14``) and a validity period
_DAY = r"\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}"
_PERIOD = re.compile(rf"({_DAY})?[^\d长]{{0,2}}?[-–—~至]+({_DAY}|长期)")


def extract_emblem(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of an ID card's emblem side; the validity period (``有效期限``, or the
    period's pattern anywhere) splits into valid_from / valid_to. A period whose start
    is hidden (a thumb over it) still gives its end."""
    f = doc.split_labels(EMBLEM_LABELS)
    v = f.pop("validity", None)
    cands = ([(v.value, v.confidence)] if v is not None else []) + [(r.text, r.score) for r in doc.rows]
    for text, score in cands:
        m = _PERIOD.search(text.replace(" ", ""))
        if m:
            if m.group(1):
                f["valid_from"] = Field(m.group(1), score)
            f["valid_to"] = Field(m.group(2), score)
            break
    else:
        if v is not None:
            m = re.search(_DAY, v.value.replace(" ", ""))
            if m:
                f["valid_from"] = Field(m.group(0), 0.5 * v.confidence)
    return f, {}


EXTRACTORS = {DocType.ID_CARD_PORTRAIT_SIDE: extract_portrait, DocType.ID_CARD_EMBLEM_SIDE: extract_emblem}
