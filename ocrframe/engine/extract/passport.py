"""Passport: the MRZ (parsed and checked, ICAO 9303 TD3) plus the visual zone."""

from __future__ import annotations

import re

from ...types import DocType
from ..validate import FAIL_FACTOR, mrz_td3
from .common import DocText, Field

VIZ_LABELS = {"Type": "passport_type", "类型/Type": "passport_type", "Country Code": "country_code",
              "国家码/Country Code": "country_code", "Passport No.": "passport_number", "Passport No": "passport_number",
              "护照号/Passport No.": "passport_number", "Surname": "surname", "姓/Surname": "surname",
              "Given names": "given_name", "名/Given names": "given_name", "Sex": "sex", "性别/Sex": "sex",
              "Nationality": "nationality", "国籍/Nationality": "nationality",
              "Date of birth": "date_of_birth", "出生日期/Date of birth": "date_of_birth",
              "Place of birth": "place_of_birth", "出生地点/Place of birth": "place_of_birth",
              "Date of issue": "date_of_issue", "签发日期/Date of issue": "date_of_issue",
              "Place of issue": "place_of_issue", "签发地点/Place of issue": "place_of_issue",
              "Date of expiry": "date_of_expiry", "有效期至/Date of expiry": "date_of_expiry",
              "Authority": "issuing_authority", "签发机关/Authority": "issuing_authority"}

_FIX = str.maketrans({"«": "<", "‹": "<", "く": "<", "〈": "<", "(": "<", "{": "<", " ": ""})


def _mrz_lines(doc: DocText) -> tuple[tuple[str, float], tuple[str, float]] | None:
    cands = []
    for r in doc.rows:
        for t, sc in [(r.text, r.score)] + [(p.text, p.score) for p in r.pieces]:
            s = t.translate(_FIX).upper()
            if len(s) >= 30 and re.fullmatch(r"[A-Z0-9<]+", s) and s.count("<") >= 2:
                cands.append((s, sc, r.y))
    if len(cands) < 2:
        return None
    l1 = next((c for c in cands if c[0].startswith("P")), None)
    if l1 is None:
        return None
    rest = [c for c in cands if c is not l1 and c[2] > l1[2]]
    if not rest:
        return None
    l2 = min(rest, key=lambda c: c[2])
    fit = lambda s: (s + "<" * 44)[:44]  # noqa: E731
    return (fit(l1[0]), l1[1]), (fit(l2[0]), l2[1])


def _date(yymmdd: str, future: bool) -> str:
    if not re.fullmatch(r"\d{6}", yymmdd):
        return ""
    yy = int(yymmdd[:2])
    century = 2000 if (future or yy <= 30) else 1900
    return f"{century + yy}-{yymmdd[2:4]}-{yymmdd[4:]}"


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a passport: MRZ values (confidence lowered where a check digit fails), the
    visual zone for what the MRZ lacks (issue date and places, authority) and the MRZ lines
    in ``extra_info``."""
    f = doc.split_labels(VIZ_LABELS)
    for k in list(f):
        f[k] = Field(f[k].value.strip(), f[k].confidence)
    if "sex" in f:
        m = re.search(r"\b([MF])\b|([男女])", f["sex"].value)
        f["sex"] = Field((m.group(1) or {"男": "M", "女": "F"}[m.group(2)]) if m else "", f["sex"].confidence)
    extra: dict = {}
    mz = _mrz_lines(doc)
    if mz:
        (l1, s1), (l2, s2) = mz
        extra["extra_info"] = {"mrz1": l1, "mrz2": l2}
        r = mrz_td3(l1, l2)
        if r:
            fl, ck = r["fields"], r["checks"]
            final = ck.get("final", False)

            def conf(base, key=None):
                c = base
                if key is not None and not ck.get(key, True):
                    c *= FAIL_FACTOR
                if not final:
                    c *= 0.8
                return c

            mrz_vals = {
                "passport_type": (fl["document_type"] or "P", conf(s1)),
                "country_code": (fl["country"], conf(s1)),
                "surname": (fl["surname"], conf(s1)),
                "given_name": (fl["given_name"], conf(s1)),
                "passport_number": (fl["document_number"], conf(s2, "document_number")),
                "nationality": (fl["nationality"], conf(s2)),
                "sex": (fl["sex"] if fl["sex"] in "MF" else "", conf(s2)),
                "date_of_birth": (_date(fl["birth_date"], False), conf(s2, "birth_date")),
                "date_of_expiry": (_date(fl["expiry_date"], True), conf(s2, "expiry_date")),
            }
            for k, (v, c) in mrz_vals.items():
                viz = f.get(k)
                if not v:
                    continue
                if viz is None:
                    f[k] = Field(v, c)
                elif k in ("surname", "given_name") and re.fullmatch(r"[A-Z][A-Z ]*", viz.value.strip()):
                    same = viz.value.strip() == v
                    f[k] = Field(viz.value.strip(), min(1.0, max(c, viz.confidence) + (0.05 if same else -0.15)))
                elif k in ("passport_number", "surname", "given_name", "country_code", "sex"):
                    same = viz.value.replace(" ", "").upper() == v.replace(" ", "")
                    f[k] = Field(v, min(1.0, max(c, viz.confidence) + (0.05 if same else -0.2)))
                elif k.startswith("date_"):
                    digits = re.sub(r"\D", "", viz.value)
                    # keep the printed date when it agrees with the MRZ
                    agree = digits[-6:] == v.replace("-", "")[2:] or digits == v.replace("-", "")
                    f[k] = Field(viz.value if agree else v, max(c, viz.confidence) if agree else 0.6 * c)
    if "nationality" in f and re.search("中国|CHN", f["nationality"].value):
        f["nationality"] = Field("CHN", f["nationality"].confidence)
    return f, extra


EXTRACTORS = {DocType.PASSPORT: extract}
