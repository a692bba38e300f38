"""Road transport certificate (道路运输证): values found from their labels, each checked
against the form its field prints.

Every field is taken from the text after (or under) its label, printed label variants
included, and kept only when it has its field's form (:data:`FORMS`): a licence number is
digits, a plate a plate, a size three lengths. A value of the wrong form is no value:
the certificate's red seal (``道路运输证专用章``) read as the label ``道路运输证号`` leaves
``专用章`` behind, which is no licence number. The seal itself is read apart from the
print (``STAMPED``, :mod:`ocrframe.engine.stamps`); its text may only name the issuing
authority, and only when the print does not.
"""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import plate
from .common import DocText, Field
from .numbers import fold_digits

LABELS = {"业户名称": "owner_name", "地址": "owner_address", "住址": "owner_address",
          "车辆号牌": "vehicle_number", "车牌号码": "vehicle_number", "车辆类型": "vehicle_type",
          "道路运输证号": "license_number", "运输证号": "license_number",
          "经营许可证": "business_certificate", "经营许可证号": "business_certificate",
          "经济类型": "economic_type", "吨(座)位": "maximum_capacity", "吨（座）位": "maximum_capacity",
          "吨位": "maximum_capacity", "座位": "maximum_capacity", "车辆尺寸": "vehicle_size",
          "经营范围": "business_scope", "核发机关": "issuing_authority", "发证机关": "issuing_authority",
          "发证日期": "issue_date", "核发日期": "issue_date"}

_CJK = r"\u4e00-\u9fff"
_DATE = r"\d{4}\s*[-.年/]\s*\d{1,2}\s*[-.月/]\s*\d{1,2}\s*日?"
#: the form of each field's value: a pattern its value must contain (the match is the
#: value); fields not named here take their text as read
FORMS = {
    "license_number": r"(?<!\d)\d{8,14}(?!\d)",
    "vehicle_number": rf"[{_CJK}][A-Z][·.\s]?[0-9A-Z]{{5,6}}",
    "vehicle_size": r"\d{3,5}\s*[xX×*]\s*\d{3,5}\s*[xX×*]\s*\d{3,5}\s*(?:mm|MM|毫米)?",
    "maximum_capacity": r"\d+(?:\.\d+)?\s*(?:吨|座|人|t)",
    "issue_date": _DATE,
    "business_certificate": rf"[{_CJK}]*\d{{6,}}[{_CJK}]?",
    "issuing_authority": rf"[{_CJK}]{{2,}}(?:局|处|所|站|委员会|中心|厅)",
    "vehicle_type": rf"[{_CJK}]{{2,}}",
}
#: fields whose value the seal's own text may give when the print does not
AUTHORITY_FIELDS = ("issuing_authority",)
#: the confidence factor of a value taken from the seal's text
STAMP_FACTOR = 0.7
#: ... and of a licence number found without its label
UNLABELLED_FACTOR = 0.8


def _formed(name: str, f: Field) -> Field | None:
    """A value cut to its field's form, or None when it has none of it."""
    form = FORMS.get(name)
    text = f.value
    if name == "license_number":
        text = fold_digits(text)
    if form is None:
        return f if text.strip() else None
    m = re.search(form, text)
    return Field(re.sub(r"\s+", "", m.group(0)), f.confidence) if m else None


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a road transport certificate.

    A date read into the issuing authority's value (the two share a row) is its issue
    date; values that do not have their field's form are dropped; the authority comes
    from the seal's text only when the print gives none.
    """
    raw = doc.split_labels(LABELS)
    auth = raw.get("issuing_authority")
    if auth is not None:
        m = re.search(_DATE, auth.value)
        if m:
            raw.setdefault("issue_date", Field(m.group(0), auth.confidence))
            raw["issuing_authority"] = Field(auth.value[:m.start()].strip(), auth.confidence)
    f = {}
    for name, v in raw.items():
        formed = _formed(name, v)
        if formed is not None:
            f[name] = formed
    if "vehicle_number" in f:
        f["vehicle_number"] = Field(plate(f["vehicle_number"].value), f["vehicle_number"].confidence)
    if "license_number" not in f:
        f.update(_unlabelled_number(doc, f))
    for name in AUTHORITY_FIELDS:
        if name not in f and doc.stamp:
            v = _formed(name, Field("".join(t for t, _ in doc.stamp), min(s for _, s in doc.stamp)))
            if v is not None:
                f[name] = Field(v.value, STAMP_FACTOR * v.confidence)
    return f, {}


def _unlabelled_number(doc: DocText, f: dict[str, Field]) -> dict[str, Field]:
    """The licence number when its label was not read: the one row that holds a lone
    run of 8-14 digits that no other field's value holds."""
    taken = " ".join(v.value for v in f.values())
    found = []
    for r in doc.rows:
        for p in r.pieces:
            t = fold_digits(re.sub(r"^\s*(?:No|NO|№)\.?", "", p.text))
            if re.fullmatch(r"\d{8,14}", t) and t not in taken:
                found.append(Field(t, UNLABELLED_FACTOR * p.score))
    return {"license_number": found[0]} if len(found) == 1 else {}


EXTRACTORS = {DocType.TRANSPORTATION_LICENSE: extract}
#: the certificate's red seal lies over the issuing office's row
STAMPED = (DocType.TRANSPORTATION_LICENSE,)
