"""Issuing authorities of licences: a police traffic authority's name read through OCR noise.

The authority that issues a vehicle or driving licence signs it with a red stamp of a
fixed grammar: a **place**, the **police organ** (``公安局``, a province's ``公安厅``) and a
**traffic unit**::

    北京市           公安局  公安交通管理局       (a municipality)
    上海市           公安局  交通警察总队
    浙江省杭州市      公安局  交通警察支队         (a province and its prefecture)
    广东省           公安厅  交通警察总队         (a province)
    杭州市西湖区      公安局  交通警察大队         (a prefecture and its county)

A stamp read from a JPEG photo often has one or two glyphs wrong (``河南省动州市公局交通警察
支队``). Each part is matched on its own against its vocabulary: places from the
administrative division codes python-stdnum ships for ID numbers (``stdnum.cn.loc``),
units from :data:`UNITS`. A part whose nearest name is not clearly nearer than the next
one is left unresolved, and so is the whole name.
"""

from __future__ import annotations

import functools
import re

from .common import DocText, Field

__all__ = ["UNITS", "COUNTY_UNITS", "ORGANS", "places", "provinces", "resolve_authority", "find_authority",
           "fill_authority"]

#: the police organs an authority's name holds, the usual one first
ORGANS = ("公安局", "公安厅")
#: the traffic units that issue licences, as their stamps name them
UNITS = ("公安交通管理局", "交通管理局", "交通警察局", "交通警察总队", "交通警察支队", "交通警察大队",
         "交通巡逻警察总队", "交通警察支队车辆管理所", "车辆管理所")
#: the units of a county (the others are a municipality's, a prefecture's or a province's)
COUNTY_UNITS = ("交通警察大队",)
#: the least rapidfuzz ratio (0-100) a read place or unit needs to its nearest name
MIN_PART_SCORE = 60
#: ... and by how much the nearest must beat the next nearest (a tie is no reading)
MIN_PART_MARGIN = 1
#: how many of an organ's three characters must be read right to find it
MIN_ORGAN_CHARS = 2
#: the division names that are groupings, not places (``市辖区``: a city's districts)
_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}
#: the confidence factor of an authority's name found in the print rather than a stamp
PRINTED_FACTOR = 0.85
#: ... and of a stamp's reading of the authority's shape whose place or unit is unclear
UNRESOLVED_FACTOR = 0.4
_NON_CJK = re.compile(r"[^\u4e00-\u9fff]")
#: an authority's name printed in full among other text
_PRINTED = re.compile(r"([\u4e00-\u9fff]{2,}?(?:" + "|".join(ORGANS) + r")[\u4e00-\u9fff]*?(?:"
                      + "|".join(sorted(UNITS, key=len, reverse=True)) + r"|交警支队|交警大队))")


@functools.lru_cache(maxsize=2)
def places(county: bool = False) -> tuple[str, ...]:
    """The places an authority's name may start with, from python-stdnum's table of
    administrative division codes (current and former names): municipalities,
    provinces, province + prefecture and prefectures; or, with ``county``, counties and
    prefecture + county (the seats of ``交通警察大队``).

    Examples
    --------
    >>> "北京市" in places(), "浙江省杭州市" in places(), "杭州市西湖区" in places(county=True)
    (True, True, True)
    >>> "西湖区" in places()
    False
    """
    from stdnum import numdb

    def name(props: dict, key: str) -> str:
        return re.sub(r"^\[[^\]]*\]", "", props.get(key, ""))

    upper: set[str] = set()
    lower: set[str] = set()
    for _, _, _, props, children in numdb.get("cn/loc").prefixes:
        prov = name(props, "province")
        if not prov:
            continue
        upper.add(prov)
        named = [(low, name(cprops, "county")) for _, low, _, cprops, _ in children]
        named = [(low, n) for low, n in named if n and n not in _NOT_PLACES and n != prov]
        prefectures = {low[:2]: n for low, n in named if low.endswith("00")}
        for low, n in named:
            if low.endswith("00"):
                upper.update((n, prov + n))
            else:
                lower.add(n)
                if low[:2] in prefectures:
                    lower.add(prefectures[low[:2]] + n)
    return tuple(sorted(lower if county else upper))


@functools.lru_cache(maxsize=1)
def provinces() -> tuple[str, ...]:
    """The provinces, autonomous regions and municipalities (a ``公安厅`` is a province's).

    Examples
    --------
    >>> "广东省" in provinces(), "杭州市" in provinces()
    (True, False)
    """
    from stdnum import numdb

    return tuple(sorted(p[3]["province"] for p in numdb.get("cn/loc").prefixes if p[3].get("province")))


def _nearest(text: str, names) -> tuple[str, float] | None:
    """The name nearest a reading, when it is clearly the nearest: ``(name, ratio)``."""
    from rapidfuzz import fuzz, process

    best = process.extract(text, names, scorer=fuzz.ratio, limit=2, score_cutoff=MIN_PART_SCORE)
    if not best:
        return None
    if len(best) > 1 and best[0][1] - best[1][1] < MIN_PART_MARGIN:
        return None
    return best[0][0], best[0][1]


def resolve_authority(text: str) -> tuple[str, float] | None:
    """A police traffic authority's name from a reading of it: ``(name, quality)``.

    The quality is 1 for a reading that is a name of the grammar as it stands, lower the
    more glyphs had to be replaced. None when no organ is found or a part is unclear.

    Examples
    --------
    >>> resolve_authority("河南省动州市公局交通警察支队")[0]
    '河南省郑州市公安局交通警察支队'
    >>> resolve_authority("上海座公安属公交通管理局")[0]
    '上海市公安局公安交通管理局'
    >>> resolve_authority("天京市公安局公交通管理局") is None  # 北京市 or 天津市?
    True
    >>> resolve_authority("上海市公安局交通警察总队")
    ('上海市公安局交通警察总队', 1.0)
    >>> resolve_authority("湖南省长沙市会委局交通警察支队")[0]
    '湖南省长沙市公安局交通警察支队'
    >>> resolve_authority("中华人民共和国机动车行驶证") is None
    True
    """
    t = _NON_CJK.sub("", text or "")
    cut = _organ(t)
    cuts = [cut] if cut is not None else _organ_guesses(t)
    best = None
    for start, end, organ in cuts:
        hit = _parts(t, start, end, organ)
        if hit is not None and (best is None or hit[1] > best[1]):
            best = hit
    return best


def _parts(t: str, start: int, end: int, organ: str) -> tuple[str, float] | None:
    """The name read as place ``t[:start]``, organ, unit ``t[end:]``, when both parts are clear."""
    unit = _nearest(t[end:], UNITS)
    if unit is None:
        return None
    if organ != ORGANS[0]:
        place = _nearest(t[:start], provinces())
    else:
        place = _nearest(t[:start], places(county=unit[0] in COUNTY_UNITS))
    if place is None:
        return None
    name = place[0] + organ + unit[0]
    organ_read = sum(a == b for a, b in zip(t[start:end], organ)) / len(organ) if end - start == 3 else 2 / 3
    quality = 1.0 if name == t else place[1] / 100 * unit[1] / 100 * (0.5 + 0.5 * organ_read)
    return name, round(quality, 4)


def _organ_guesses(t: str) -> list[tuple[int, int, str]]:
    """Every three characters that may be a badly read organ (one of its characters in
    its place), for readings where :func:`_organ` finds none."""
    return [(i, i + 3, organ) for i in range(2, len(t) - 4) for organ in ORGANS
            if any(a == b for a, b in zip(t[i:i + 3], organ))]


def _organ(t: str) -> tuple[int, int, str] | None:
    """Where the police organ is in a reading: ``(start, end, organ)``. The first exact
    one wins; else the first three characters with ``MIN_ORGAN_CHARS`` right, or two
    characters that read an organ with its middle one lost (``公局``)."""
    for organ in ORGANS:
        i = t.find(organ)
        if i > 0:
            return i, i + len(organ), organ
    for i in range(1, len(t) - 2):
        for organ in ORGANS:
            if sum(a == b for a, b in zip(t[i:i + 3], organ)) >= MIN_ORGAN_CHARS and t[i] == organ[0]:
                return i, i + 3, organ
    for i in range(1, len(t) - 1):
        for organ in ORGANS:
            if t[i:i + 2] == organ[0] + organ[2]:
                return i, i + 2, organ
    return None


def find_authority(doc: DocText) -> Field | None:
    """A licence's issuing authority: the text of its red stamp when it resolves to an
    authority's name (:func:`resolve_authority`), else such a name printed anywhere (a
    stamp read with the print under it may be split over consecutive rows: rows are
    also tried in pairs).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.locate import Region
    >>> from ocrframe.engine.ocr import TextLine
    >>> def line(text, y):
    ...     q = np.array([[10., y], [200., y], [200., y + 20], [10., y + 20]])
    ...     return TextLine(q, text, 0.9, np.array([1.0, 0.0]))
    >>> doc = Region(np.array([[0., 0.], [300., 0.], [300., 200.], [0., 200.]]), [line("注册日期 2020-01-02", 10)])
    >>> doc.stamp_lines = [line("浙江省杭州市公安", 100), line("局交通警察支队", 130)]
    >>> find_authority(DocText(doc))
    Field(value='浙江省杭州市公安局交通警察支队', confidence=0.9)
    """
    if doc.stamp:
        text, score = "".join(s for s, _ in doc.stamp), min(sc for _, sc in doc.stamp)
        hit = resolve_authority(text)
        if hit is not None:
            return Field(hit[0], hit[1] * score)
        m = _PRINTED.search(_NON_CJK.sub("", text))
        if m:  # an authority's shape, its place or unit unclear: as read, hardly trusted
            return Field(m.group(1), UNRESOLVED_FACTOR * score)
    texts = [(r.text.replace(" ", ""), r.score) for r in doc.rows]
    for t, sc in texts + [(a[0] + b[0], min(a[1], b[1])) for a, b in zip(texts, texts[1:])]:
        m = _PRINTED.search(t)
        if m:
            return Field(_exact_tail(m.group(1)), PRINTED_FACTOR * sc)
    return None


def _exact_tail(t: str) -> str:
    """The longest end of a text that is an authority's name as it stands (a label read
    into its front: ``发证机关北京市...``), else the text."""
    for k in range(len(t) - 1):
        hit = resolve_authority(t[k:])
        if hit is not None and hit[1] >= 1.0:
            return hit[0]
    return t


def fill_authority(doc: DocText, fields: dict[str, Field]) -> None:
    """Fill a licence's missing ``issuing_authority`` with :func:`find_authority`'s reading."""
    if "issuing_authority" not in fields:
        a = find_authority(doc)
        if a is not None:
            fields["issuing_authority"] = a
