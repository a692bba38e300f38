"""Passport: the MRZ (parsed and checked, ICAO 9303 TD3) plus the visual zone."""

from __future__ import annotations

import re

import numpy as np

from ...types import DocType
from ..validate import FAIL_FACTOR, mrz_alpha, mrz_td3
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

_FIX = str.maketrans({"«": "<", "‹": "<", "く": "<", "〈": "<", "(": "<", "{": "<", ">": "<", "›": "<", "»": "<", " ": ""})


_LINE2 = re.compile(r"[A-Z0-9<]{9}\d[A-Z<]{3}\d{7}[MF<]\d{7}")


def _mrz_lines(doc: DocText) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """The two MRZ lines, each padded to 44 characters, with their scores. A lost line 1
    (names only, no check digits) is stood in for by fillers with line 2's nationality,
    so the checked line 2 still counts."""
    cands = []
    for r in doc.rows:
        for t, sc in [(r.text, r.score)] + [(p.text, p.score) for p in r.pieces]:
            s = t.translate(_FIX).upper()
            if len(s) >= 30 and re.fullmatch(r"[A-Z0-9<]+", s):  # line 2 may hold no filler
                cands.append((s, sc, r.y))
    fit = lambda s: (s + "<" * 44)[:44]  # noqa: E731
    l1 = next((c for c in cands if c[0].startswith("P") and "<<" in c[0]), None)
    if l1 is None:
        l2 = next((c for c in cands if _LINE2.match(c[0])), None)
        if l2 is None:
            return None
        return (fit("P<" + l2[0][10:13]), 0.0), (fit(l2[0]), l2[1])
    rest = [c for c in cands if c is not l1 and c[2] > l1[2]]
    if not rest:
        return None
    l2 = min(rest, key=lambda c: c[2])
    return (mrz_alpha(fit(l1[0])), l1[1]), (fit(l2[0]), l2[1])


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _date(yymmdd: str, future: bool) -> str:
    """An MRZ date (YYMMDD) as a passport prints it: ``07 APR 2008``."""
    if not re.fullmatch(r"\d{6}", yymmdd) or not 1 <= int(yymmdd[2:4]) <= 12:
        return ""
    yy = int(yymmdd[:2])
    century = 2000 if (future or yy <= 30) else 1900
    return f"{yymmdd[4:]} {_MONTHS[int(yymmdd[2:4]) - 1]} {century + yy}"


def _latin(v: str) -> str:
    """The Latin part of a bilingual value (``浙江/ZHEJIANG`` -> ``ZHEJIANG``, ``刘 LIU`` -> ``LIU``)."""
    parts = [p.strip() for p in re.split(r"[/|]", v)]
    lat = [p for p in parts if re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", p)]
    if lat:
        return lat[-1].upper()
    m = re.findall(r"[A-Z][A-Z .'-]*[A-Z]|[A-Z]", v.upper().replace("/", " ")) if not re.search(r"[a-z]", v) else []
    return m[-1].strip() if m else v.strip()


def _viz_date(v: str) -> str:
    """A visual-zone date as ``DD MON YYYY``; a bilingual month (``09 4月/APR 2024``) gives
    its English part.

    Examples
    --------
    >>> _viz_date("09 4月/APR 2024"), _viz_date("27 DEC 2020")
    ('09 APR 2024', '27 DEC 2020')
    """
    m = re.search(r"(\d{1,2})\s*(?:[^\s/]{1,4}/)?\s*([A-Za-z]{3})[A-Za-z]*\s*(\d{4})", v)
    if m:
        return f"{int(m.group(1)):02d} {m.group(2).upper()} {m.group(3)}"
    return v.strip()


#: a passport's three dates, in the order of time
_DATE_FIELDS = ("date_of_birth", "date_of_issue", "date_of_expiry")


def _dates_in_order(doc: DocText, f: dict[str, Field]) -> None:
    """Visual-zone dates whose labels were not read, placed by time: a passport prints
    three dates, and its holder was born before it was issued, and it was issued before
    it expires. Only when exactly three distinct dates are printed, and only the fields
    still missing are filled."""
    if all(k in f for k in _DATE_FIELDS):
        return
    seen: dict[str, float] = {}
    for r in doc.rows:
        for p in r.pieces:
            v = _viz_date(p.text)
            if re.fullmatch(r"\d{2} [A-Z]{3} \d{4}", v) and v[3:6] in _MONTHS:
                seen.setdefault(v, p.score)
    if len(seen) != 3:
        return
    order = sorted(seen, key=lambda v: (v[7:], _MONTHS.index(v[3:6]), v[:2]))
    for k, v in zip(_DATE_FIELDS, order):
        if k not in f:
            f[k] = Field(v, 0.8 * seen[v])


def _mrz_digits(viz: str) -> str:
    """A printed date as the MRZ's YYMMDD (for comparison)."""
    m = re.search(r"(\d{2}) ([A-Z]{3}) \d{2}(\d{2})", viz)
    if m and m.group(2) in _MONTHS:
        return f"{m.group(3)}{_MONTHS.index(m.group(2)) + 1:02d}{m.group(1)}"
    return ""


#: the English part of each printed label (the Chinese part comes first: ``类型/Type``)
_LABEL_WORDS = {"type": "passport_type", "countrycode": "country_code", "passportno": "passport_number",
                "surname": "surname", "givennames": "given_name", "sex": "sex", "nationality": "nationality",
                "dateofbirth": "date_of_birth", "placeofbirth": "place_of_birth", "dateofissue": "date_of_issue",
                "placeofissue": "place_of_issue", "dateofexpiry": "date_of_expiry", "authority": "issuing_authority",
                "signature": ""}
#: the two authorities a Chinese passport names, by their Chinese print
_AUTHORITIES = {"公安部出入境管理局": "MPS Exit & Entry Administration", "国家移民管理局": "National Immigration Administration"}


def _label_of(text: str) -> str | None:
    """The field a printed label piece names (``""`` for labels of no field), or None
    when the piece is not a label. Labels are bilingual (``出生日期/Date of birth``);
    their English part is matched fuzzily, so ``Date ofegiry`` still names the expiry."""
    from rapidfuzz import fuzz, process

    latin = re.sub(r"[^a-z]", "", text.lower())
    if len(latin) < 3 or (len(latin) < 5 and "/" not in text and latin not in ("sex", "type")):
        return None
    hit = process.extractOne(latin, list(_LABEL_WORDS), scorer=fuzz.ratio, score_cutoff=75)
    return _LABEL_WORDS[hit[0]] if hit else None


def _by_column(doc: DocText) -> dict[str, Field]:
    """Visual-zone values read by column: a passport prints each value under its label,
    left-aligned with it, in two columns, so rows of labels and of values interleave too
    tightly for row splitting. ``issuing_authority`` keeps both printed lines (Chinese,
    then English)."""
    pieces = [p for r in doc.rows for p in r.pieces]
    kind = [_label_of(p.text) for p in pieces]
    labels = [(p, k) for p, k in zip(pieces, kind) if k is not None]
    values = [p for p, k in zip(pieces, kind) if k is None]
    out: dict[str, Field] = {}
    for lab, name in labels:
        if not name or name in out:
            continue
        h = lab.h
        right = [o.x0 for o, _ in labels if o is not lab and abs(o.y - lab.y) < 0.8 * h and o.x0 > lab.x0 + h]
        x_stop = min(right, default=np.inf) - 0.5 * h
        below = sorted((q for q in values if 0.3 * h < q.y - lab.y < 3.6 * h and abs(q.x0 - lab.x0) < 2.0 * h),
                       key=lambda q: q.y)
        if not below:
            continue
        first = below[0]
        rows = [[q for q in values if abs(q.y - first.y) < 0.5 * first.h and lab.x0 - 2.0 * h < q.x0 < x_stop]]
        if name == "issuing_authority":
            nxt = [q for q in below if q.y - first.y > 0.6 * first.h]
            if nxt:
                rows.append([q for q in values if abs(q.y - nxt[0].y) < 0.5 * nxt[0].h
                             and lab.x0 - 2.0 * h < q.x0 < x_stop])
        texts = [" ".join(q.text for q in sorted(r, key=lambda q: q.x0)) for r in rows if r]
        score = min(q.score for r in rows for q in r)
        out[name] = Field(" / ".join(texts), score)
    return out


def _authority(v: str) -> str:
    """The English name of the issuing authority from its printed line(s); the two names
    a Chinese passport prints are recognised through OCR noise (``EntryAdministration``)."""
    from rapidfuzz import fuzz, process

    english = list(_AUTHORITIES.values())
    for part in (p.strip() for p in v.split(" / ")):
        if re.search(r"[A-Za-z]{3}", part) and not re.search(r"[\u4e00-\u9fff]", part):
            hit = process.extractOne(part.replace(" ", "").lower(), [e.replace(" ", "").lower() for e in english],
                                     scorer=fuzz.ratio, score_cutoff=85)
            return english[hit[2]] if hit else re.sub(r"\s+", " ", part)
    hit = process.extractOne(v.replace(" ", ""), list(_AUTHORITIES), scorer=fuzz.partial_ratio, score_cutoff=70)
    return _AUTHORITIES[hit[0]] if hit else ""


def _find_authority(doc: DocText) -> Field | None:
    """The issuing authority printed anywhere (its label unread): an English or Chinese
    authority name, or a ministry / bureau."""
    for r in doc.rows:
        for p in r.pieces:
            if re.search(r"Immigration|Administration|Ministry|Bureau|出入境管理局|移民管理局", p.text, re.IGNORECASE):
                name = _authority(p.text)
                if name:
                    return Field(name, p.score)
    return None


def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a passport: the visual zone's values (Latin parts of bilingual ones),
    checked against and completed from the MRZ (a failed MRZ check digit lowers the
    field's confidence), and the MRZ lines in ``extra_info``."""
    f = _by_column(doc)
    for k, v in doc.split_labels(VIZ_LABELS, beside=False).items():
        f.setdefault(k, v)
    raw = dict(f)  # the bilingual values as printed, for extra_info.local_language
    if "issuing_authority" in f:
        f["issuing_authority"] = Field(_authority(f["issuing_authority"].value), f["issuing_authority"].confidence)
    for r in doc.rows:  # a value whose label was not read
        for p in r.pieces:
            m = re.fullmatch(r"\s*([男女])\s*/\s*([MF])\s*", p.text)
            if m and "sex" not in f:
                f["sex"] = Field(m.group(2), p.score)
            if re.fullmatch(r"\s*中国\s*/\s*CHINESE\s*", p.text) and "nationality" not in f:
                f["nationality"] = Field("CHINESE", p.score)
    for k in list(f):
        v = f[k].value
        if k in ("surname", "given_name", "sex", "nationality", "place_of_birth", "place_of_issue"):
            v = _latin(v)
        elif k.startswith("date_"):
            v = _viz_date(v)
        elif k == "passport_number":
            v = v.replace(" ", "").upper()
        elif k in ("passport_type", "country_code"):
            v = v.replace(" ", "").upper()[:3]
        if (k.startswith("date_") and not re.fullmatch(r"\d{2} [A-Z]{3} \d{4}", v)) or (
                k in ("surname", "given_name") and not re.fullmatch(r"[A-Z][A-Z ]*", v)) or (
                k == "country_code" and not re.fullmatch(r"[A-Z]{3}", v)) or (
                k == "passport_type" and not re.fullmatch(r"P[A-Z]?", v)) or (
                k in ("nationality", "place_of_birth", "place_of_issue") and not re.fullmatch(r"[A-Z][A-Z .'-]*", v)):
            del f[k]  # not what the visual zone prints there: leave it to the MRZ
            continue
        f[k] = Field(v, f[k].confidence)
    if "sex" in f:
        m = re.search(r"\b([MF])\b|([男女])", f["sex"].value)
        f["sex"] = Field((m.group(1) or {"男": "M", "女": "F"}[m.group(2)]) if m else "", f["sex"].confidence)
    if not f.get("issuing_authority", Field("", 0)).value:
        a = _find_authority(doc)
        if a is not None:
            f["issuing_authority"] = a
    _dates_in_order(doc, f)
    extra: dict = {}
    mz = _mrz_lines(doc)
    if mz:
        (l1, s1), (l2, s2) = mz
        stood_in = s1 == 0.0  # line 1 was lost; fillers stand in for it (see _mrz_lines)
        extra["extra_info"] = {"machine_code1": "" if stood_in else l1, "machine_code2": l2}
        if stood_in:
            s1 = 0.5 * s2  # its type and country are guesses; its names are empty
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
                "passport_type": (fl["document_type"][:1] or "P", conf(s1)),
                "country_code": (fl["country"], conf(s1)),
                "surname": (fl["surname"], conf(s1)),
                "given_name": (fl["given_name"], conf(s1)),
                "passport_number": (fl["document_number"], conf(s2, "document_number")),
                "sex": (fl["sex"] if fl["sex"] in "MF" else "", conf(s2)),
                "date_of_birth": (_date(fl["birth_date"], False), conf(s2, "birth_date")),
                "date_of_expiry": (_date(fl["expiry_date"], True), conf(s2, "expiry_date")),
            }
            for k, (v, c) in mrz_vals.items():
                viz = f.get(k)
                if not v:
                    continue
                if viz is None or not viz.value:
                    f[k] = Field(v, 0.9 * c)
                    continue
                if k.startswith("date_"):
                    agree = _mrz_digits(viz.value) == (fl["birth_date"] if k == "date_of_birth" else fl["expiry_date"])
                else:
                    agree = viz.value.replace(" ", "") == v.replace(" ", "")
                if agree:
                    f[k] = Field(viz.value, min(1.0, max(c, viz.confidence)))
                elif ck.get("document_number" if k == "passport_number" else "x", True) and final and k in (
                        "passport_number", "date_of_birth", "date_of_expiry"):
                    f[k] = Field(v, 0.8 * c)  # the MRZ passed its checks: trust it over the visual zone
                elif k in ("surname", "given_name") and _other_word(viz.value, v):
                    # a visual-zone value of another label (a nationality taken for a
                    # name): the MRZ's name; a near miss (MRZ "0IANG" for "QIANG") keeps the print
                    f[k] = Field(v, 0.7 * c)
                else:
                    f[k] = Field(viz.value, 0.7 * viz.confidence)
    if "nationality" in f and re.search("中国", f["nationality"].value):
        f["nationality"] = Field("CHINESE", f["nationality"].confidence)
    _unlabelled(doc, f)
    local = _local_language(doc, raw, f.get("issuing_authority"))
    if local:
        extra.setdefault("extra_info", {})["local_language"] = local
    return f, extra


#: the fields a passport prints in Chinese too (``extra_info.local_language``)
LOCAL_FIELDS = ("surname", "given_name", "sex", "place_of_birth", "place_of_issue", "issuing_authority")


def _local_language(doc: DocText | None, raw: dict[str, Field], authority: Field | None) -> dict[str, str]:
    """The Chinese print of the bilingual visual-zone values (``马 MA``, ``女/F``,
    ``天津/TIANJIN``) as read (``raw``), and the authority's Chinese name for its English
    one: every one of :data:`LOCAL_FIELDS` (empty when not read), or ``{}`` when none was.

    Examples
    --------
    >>> raw = {"surname": Field("马 MA", 0.9), "sex": Field("女/F", 0.9)}
    >>> local = _local_language(None, raw, Field("National Immigration Administration", 0.9))
    >>> local["surname"], local["sex"], local["issuing_authority"], local["place_of_birth"]
    ('马', '女', '国家移民管理局', '')
    """
    out = {}
    for k in LOCAL_FIELDS[:-1]:
        m = re.search(r"[\u4e00-\u9fff]+", raw[k].value if k in raw else "")
        out[k] = m.group(0) if m else ""
    if not out["sex"] and doc is not None:  # its label unread: the piece that prints it
        m = next((m for r in doc.rows for p in r.pieces if (m := re.fullmatch(r"\s*([男女])\s*/\s*[MF]\s*", p.text))),
                 None)
        out["sex"] = m.group(1) if m else ""
    chinese = {e: c for c, e in _AUTHORITIES.items()}
    out["issuing_authority"] = chinese.get(authority.value, "") if authority is not None else ""
    return out if any(out.values()) else {}


def _other_word(a: str, b: str) -> bool:
    """Whether two readings are different words, not one word misread."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) < 60


def _unlabelled(doc: DocText, f: dict[str, Field]) -> None:
    """Values whose labels were not read (a small passport's labels are the first to go),
    placed by what is left: of the three printed dates, the one that is neither the birth
    nor the expiry date is the issue date; of the bilingual places, the upper is the place
    of birth, the lower the place of issue."""
    pieces = sorted((p for r in doc.rows for p in r.pieces), key=lambda p: p.y)
    if "date_of_issue" not in f:
        known = {f[k].value for k in ("date_of_birth", "date_of_expiry") if k in f}
        dates = {_viz_date(p.text): p.score for p in pieces if re.fullmatch(r"\s*\d{2} [A-Z]{3} \d{4}\s*", p.text)}
        rest = [d for d in dates if d not in known]
        if len(known) == 2 and len(rest) == 1:
            f["date_of_issue"] = Field(rest[0], 0.8 * dates[rest[0]])
    places = [(p, _latin(p.text)) for p in pieces
              if re.fullmatch(r"\s*[\u4e00-\u9fff]{2,3}\s*/\s*[A-Z]{3,}\s*", p.text) and "中国" not in p.text]
    if len(places) == 2:
        for (p, v), k in zip(places, ("place_of_birth", "place_of_issue")):
            if k not in f:
                f[k] = Field(v, 0.8 * p.score)


EXTRACTORS = {DocType.PASSPORT: extract}
