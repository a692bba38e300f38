"""Motor-vehicle licence (行驶证): front (main page) and back (副页)."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import adjust, plate
from .authority import fill_authority
from .common import DocText, Field
from .numbers import find_vin

FRONT_LABELS = {"号牌号码": "number", "车辆类型": "vehicle_type", "所有人": "name", "住址": "address",
                "使用性质": "use_character", "品牌型号": "model", "车辆识别代号": "vin", "发动机号码": "engine_no",
                "注册日期": "register_date", "发证日期": "issue_date", "发证机关": "issuing_authority",
                # the printed English subtitles name the same fields
                "Plate No.": "number", "Vehicle Type": "vehicle_type", "Owner": "name", "Address": "address",
                "Use Character": "use_character", "Model": "model", "VIN": "vin", "Engine No.": "engine_no",
                "Register Date": "register_date", "Issue Date": "issue_date",
                # distinctive parts of labels a stamp often covers partly
                "动机号": "engine_no", "机号码": "engine_no", "识别代号": "vin", "注册日": "register_date"}
BACK_LABELS = {"号牌号码": "number", "档案编号": "file_no", "核定载人数": "approved_passengers", "总质量": "gross_mass",
               "整备质量": "unladen_mass", "核定载质量": "approved_load", "外廓尺寸": "dimension",
               "准牵引总质量": "traction_mass", "备注": "remarks", "检验记录": "inspection_record",
               "Plate No.": "number", "File No.": "file_no", "Approved Passengers": "approved_passengers",
               "Gross Mass": "gross_mass", "Unladen Mass": "unladen_mass", "Approved Load": "approved_load",
               "Overall Dimension": "dimension", "Traction Mass": "traction_mass", "Remarks": "remarks",
               "Inspection Record": "inspection_record"}

_DATE = r"\d{4}[-.年/]\d{1,2}[-.月/]\d{1,2}日?"
_MASS = r"\d+(?:\.\d+)?kg"


def extract_front(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a vehicle licence's main page; the VIN's check digit is validated."""
    f = doc.split_labels(FRONT_LABELS)
    if "address" in f:
        a = doc.continuation(f["address"], "住址", FRONT_LABELS)
        # the spaced label "住    址" read apart leaves its second character in front;
        # an English subtitle read into the value's end
        v = re.sub(r"^址\s*", "", a.value)
        v = re.sub(r"(?<=[\u4e00-\u9fff\d])(?:Add?r[a-z]*s+)$", "", v)
        f["address"] = Field(v, a.confidence)
    vin = find_vin(doc, f.get("vin"))
    if vin is not None:
        f["vin"] = vin
    elif "vin" in f:  # not 17 characters: kept as read, its check failed
        v = re.sub(r"[^A-Z0-9]", "", f["vin"].value.upper()).replace("O", "0").replace("I", "1").replace("Q", "0")
        f["vin"] = Field(v, adjust(f["vin"].confidence, False))
    if "engine_no" in f:
        v = f["engine_no"].value.replace(" ", "").upper()
        v = _strip_subtitle(v, "ENGINENO")  # the subtitle "Engine No." read into it
        m = re.findall(r"[A-Z0-9]{5,}", v)
        f["engine_no"] = Field(m[-1], f["engine_no"].confidence) if m else Field("", 0.0)
    if "number" in f:
        f["number"] = Field(plate(f["number"].value), f["number"].confidence)
    for k in ("register_date", "issue_date"):
        if k in f:
            m = re.search(_DATE, f[k].value.replace(" ", ""))
            if m:
                f[k] = Field(m.group(0), f[k].confidence)
            else:
                del f[k]  # a partial date (half under the stamp) is no date
    _dates_by_elimination(doc, f)
    fill_authority(doc, f)
    return f, {}


#: the confidence factor of a date placed by elimination (its label unread)
ELIMINATION_FACTOR = 0.8


def _dates_by_elimination(doc: DocText, f: dict[str, Field]) -> None:
    """The main page prints two dates, the register date before the issue date (on one
    row, or the register date above); when one label was not read (a stamp lies over
    ``注册日期``), of exactly two dates printed the other one is the missing field."""
    have = [k for k in ("register_date", "issue_date") if k in f]
    if len(have) != 1:
        return
    dates = [(m.group(0), p.score) for r in doc.rows for p in sorted(r.pieces, key=lambda p: p.x0)
             for m in re.finditer(_DATE, p.text.replace(" ", ""))]
    if len(dates) != 2:
        return
    value, score = dates[0] if have[0] == "issue_date" else dates[1]
    missing = "register_date" if have[0] == "issue_date" else "issue_date"
    f[missing] = Field(value, ELIMINATION_FACTOR * score)


#: the least rapidfuzz ratio at which a Latin value is its label's English subtitle misread
SUBTITLE_SCORE = 55
#: ... and at which the front of a value is (a value keeps at least 5 characters)
SUBTITLE_PREFIX_SCORE = 75


def _strip_subtitle(v: str, subtitle: str) -> str:
    """A value without its label's English subtitle read into its front, however
    misread (``ERIGINIENOGGLUH8H6`` for ``Engine No.``): the front that is most like the
    subtitle (the longest of equals), when it is like enough.

    Examples
    --------
    >>> _strip_subtitle("ERIGINIENOGGLUH8H6", "ENGINENO"), _strip_subtitle("ENGINENO.HYM4HFB", "ENGINENO")
    ('GGLUH8H6', 'HYM4HFB')
    >>> _strip_subtitle("EN4G15B2001", "ENGINENO")
    'EN4G15B2001'

    """
    from rapidfuzz import fuzz

    n = len(subtitle)
    fronts = [(fuzz.ratio(v[:k].replace(".", ""), subtitle), k) for k in range(n - 2, n + 4) if len(v) - k >= 5]
    if not fronts:
        return v
    score, k = max(fronts)
    return v[k:].lstrip(".") if score >= SUBTITLE_PREFIX_SCORE else v


def _subtitle(value: str, subtitle: str) -> bool:
    """Whether a value is only its label's English subtitle, misread (``lemario`` for
    ``Remarks``): the page's value under it was too thin to read (a dash).

    Examples
    --------
    >>> _subtitle("lemario", "Remarks"), _subtitle("车身颜色：白色", "Remarks")
    (True, False)
    """
    from rapidfuzz import fuzz

    v = value.strip()
    return bool(re.fullmatch(r"[A-Za-z .]+", v)) and fuzz.ratio(v.lower(), subtitle.lower()) >= SUBTITLE_SCORE


def extract_back(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a vehicle licence's back page."""
    f = doc.split_labels(BACK_LABELS)
    for k in ("file_no", "dimension", "gross_mass", "unladen_mass", "approved_passengers"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    if "number" in f:  # plate() drops the spaces too
        f["number"] = Field(plate(f["number"].value), f["number"].confidence)
    # an English subtitle read into the value ("FileNo418251983337", "UnledenMass1385kg")
    for k, pat in (("file_no", r"\d{8,}"), ("gross_mass", _MASS), ("unladen_mass", _MASS),
                   ("approved_passengers", r"\d+人")):
        if k in f:
            m = re.search(pat, f[k].value)
            if m and m.group(0) != f[k].value:
                f[k] = Field(m.group(0), 0.9 * f[k].confidence)
    for k in ("approved_load", "traction_mass"):
        # masses print as "1650kg" or "--"; a dash is often too thin for the recogniser;
        # an English subtitle may be read in front ("ApprovedLoad9605kg")
        v = f[k].value.replace(" ", "") if k in f else ""
        m = re.search(_MASS, v)
        v = m.group(0) if m else v
        # the gross or unladen mass of the row above, taken for an unread dash: a load or
        # a traction mass never equals either
        borrowed = any(o in f and f[o].value == v for o in ("gross_mass", "unladen_mass"))
        if borrowed or not re.fullmatch(_MASS, v):
            f[k] = Field("--", f[k].confidence if re.fullmatch(r"[-—_一~]+", v) else 0.5)
        else:
            f[k] = Field(v, f[k].confidence)
    if "remarks" in f and (re.fullmatch(r"[-—_一~]+", f["remarks"].value.replace(" ", ""))
                           or _subtitle(f["remarks"].value, "Remarks")):
        f["remarks"] = Field("--", f["remarks"].confidence)
    elif "remarks" not in f:
        f["remarks"] = Field("--", 0.5)  # nothing read after the label: the thin dash of "no remarks"
    if "inspection_record" in f:
        r = doc.continuation(f["inspection_record"], "检验记录", BACK_LABELS)
        # the subtitle "Inspection Record", misread, at the value's end ("...鄂APopection Recond")
        v = re.sub(r"\s*[A-Z]?[a-z]{3,}(?:\s+[A-Za-z]+)*$", "", r.value)
        f["inspection_record"] = Field(v, r.confidence) if v else r
    return f, {}


EXTRACTORS = {DocType.VEHICLE_LICENSE_FRONT: extract_front, DocType.VEHICLE_LICENSE_BACK: extract_back}
#: the authority stamp (front) and the inspection seal (back) lie over printed rows
STAMPED = (DocType.VEHICLE_LICENSE_FRONT, DocType.VEHICLE_LICENSE_BACK)
