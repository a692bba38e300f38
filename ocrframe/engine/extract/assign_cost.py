"""The cost model of the assignment: what it costs to give a candidate to a field (a label's
geometry to the value, labels between, marks, a value by its form alone or beside a
related field's value, stamps), as :func:`_options` per field (see :mod:`~.assign`).

Split from :mod:`ocrframe.engine.extract.assign` (which re-exports every name).
"""

from __future__ import annotations

import numpy as np

from .assign_page import Candidate, Hit, Page, _candidates
from .layout import norm
from .vocab import FieldVocab, Vocabulary

__all__ = ["SHIFT_MAX", "BELOW_MAX", "BARRIER_COST", "MISS_COST", "FALLBACK_COST", "MARK_COST", "QUALITY_SCALE", "marks"]

#: a value up to this many line heights above or below its label's line is on that line
SHIFT_MAX = 0.85
#: a value under its label is at most this many line heights lower
BELOW_MAX = 3.0
#: cost per line height of gap between a label and the value to its right
RIGHT_GAP_COST = 0.04
#: cost x (shift / line height)^2 of a value printed off its label's line
SHIFT_COST = 0.8
#: cost of a value under its label rather than after it
BELOW_COST = 0.35
#: ... per line height further down than the next line
BELOW_STEP_COST = 0.3
#: ... per line height the value starts away from the label's column
BELOW_X_COST = 0.05
#: cost of every other label standing between a label and the value
BARRIER_COST = 2.0
#: a label claims a value it reaches at a lower cost than this (values far off belong to none)
OWNER_REACH = 1.0
#: a label on a line between a label and the value under it stops it this far (line
#: heights) beside the two (a row of column heads between a caption and a table cell)
BETWEEN_REACH = 2.0
#: cost of a value another label (another field's, or a caption of no field) reaches
#: more cheaply than the field's own label does
OWNED_COST = 0.9
#: cost x (1 - label quality): misread or partly hidden labels
LABEL_COST = 1.0
#: cost of a label whose characters another field's label also matches
AMBIGUOUS_COST = 0.2
#: cost x (1 - pattern fit)
FIT_COST = 1.2
#: cost per character of a candidate outside its value (at most JUNK_MAX counted)
JUNK_COST = 0.15
JUNK_MAX = 6
#: cost of leaving a field empty: a dearer pairing is never made
MISS_COST = 2.5
#: cost of a value taken by its form alone (no label)
FALLBACK_COST = 1.3
#: ... only for a value that fits its form at least this well
FALLBACK_MIN_FIT = 0.85
#: ... and outside the part of the document it is expected in
ZONE_COST = 1.0
#: cost of a value printed with a mark only its field is printed with (``YQ 20.00``)
MARK_COST = 0.4
#: cost of a value on the same line as a related field's value (no label of its own read)
NEAR_COST = 0.9
#: cost per line height a label stands further from the document's title than the
#: field's label nearest to it (a label printed twice: two documents read as one)
TITLE_COST = 0.05
#: cost per line height a label stands from the words naming its field's section
#: (``购买方`` for the buyer's fields), at most SECTION_MAX
SECTION_COST = 0.1
SECTION_MAX = 2.0
#: cost of a value read from a red stamp (no geometry)
SEAL_COST = 0.3
#: confidence = recognition score x exp(-cost / QUALITY_SCALE)
QUALITY_SCALE = 4.0
_BIG = 1e6


def _between(pg: Page, h: Hit, c: Candidate, field: str, below: bool) -> int:
    """Other labels standing between a label and a candidate."""
    n = 0
    hh = max(h.h, c.h)
    for o in pg.hits:
        if o is h or o.field == field:
            continue
        if not below:
            if o.x0 >= h.x1 - 0.2 * hh and o.x1 <= c.x0 + 0.2 * hh and \
                    min(abs(o.y - h.y), abs(o.y - c.y)) < 0.6 * hh:
                n += 1
        elif h.y + 0.4 * hh < o.y < c.y - 0.4 * hh and o.x0 < max(h.x1, c.x1) + BETWEEN_REACH * hh \
                and o.x1 > min(h.x0, c.x0) - BETWEEN_REACH * hh:
            n += 1
    return min(n, 2)


def _geometry(pg: Page, hi: int, c: Candidate, below: bool) -> tuple[float, str]:
    """The cheapest way label hit ``hi`` reaches a candidate: ``(cost, how)``."""
    h = pg.hits[hi]
    hh = max(h.h, c.h)
    dy = (c.y - h.y) / hh
    if c.x1 < h.x0 - hh or not -SHIFT_MAX <= dy <= BELOW_MAX:
        return _BIG, ""
    if c.atoms and hi in pg.atoms[c.atoms[0]].glued and c.match.start == 0:
        return 0.0, "glued"
    best = (_BIG, "")
    if c.x0 >= h.x1 - 0.5 * hh and abs(dy) <= SHIFT_MAX:
        gap = max(0.0, (c.x0 - h.x1) / hh)
        best = (RIGHT_GAP_COST * gap + SHIFT_COST * dy * dy, "right")
    if below and 0.6 <= dy and c.x0 <= h.x1 + hh and c.x1 >= h.x0 - hh:
        cost = BELOW_COST + BELOW_STEP_COST * max(0.0, dy - 1.2) + BELOW_X_COST * abs(c.x0 - h.x0) / hh
        if cost < best[0]:
            best = (cost, "below")
    if best[0] < MISS_COST:
        best = (best[0] + BARRIER_COST * _between(pg, h, c, h.field, best[1] == "below"), best[1])
    return best


def _reachable(pg: Page, c: Candidate) -> np.ndarray:
    """Indices of the label hits near enough a candidate to label it (a quick filter)."""
    if pg.boxes is None:
        pg.boxes = np.array([[h.x0, h.x1, h.y, h.h] for h in pg.hits], float).reshape(-1, 4)
    b = pg.boxes
    hh = np.maximum(b[:, 3], c.h)
    dy = (c.y - b[:, 2]) / hh
    return np.flatnonzero((c.x1 >= b[:, 0] - hh) & (dy >= -SHIFT_MAX) & (dy <= BELOW_MAX))


def _near(pg: Page, anchor: Candidate, c: Candidate) -> float:
    """Cost of a value on the same printed line as a related field's value (either side)."""
    hh = max(anchor.h, c.h)
    dy = (c.y - anchor.y) / hh
    if abs(dy) > SHIFT_MAX or c.cover & anchor.cover:
        return _BIG
    gap = max(0.0, c.x0 - anchor.x1, anchor.x0 - c.x1) / hh
    return NEAR_COST + RIGHT_GAP_COST * gap + SHIFT_COST * dy * dy


def marks(vocab: Vocabulary) -> dict[str, frozenset]:
    """Per mark a value may be printed with (a currency or tax code), the fields whose
    pattern names it.

    Examples
    --------
    >>> from ocrframe.engine.extract.patterns import money
    >>> v = Vocabulary((FieldVocab("fare", ("票价",), money(codes=("CNY", None))),
    ...                 FieldVocab("fuel", ("燃油",), money(codes=("YQ", None)))))
    >>> sorted((k, sorted(f)) for k, f in marks(v).items())
    [('CNY', ['fare']), ('YQ', ['fuel'])]
    """
    out: dict[str, set] = {}
    for fv in vocab.fields:
        for t in (fv.pattern.tags if fv.pattern is not None else ()):
            out.setdefault(t, set()).add(fv.name)
    return {k: frozenset(v) for k, v in out.items()}


def _options(pg: Page, fv: FieldVocab, anchors: dict[str, Candidate] | None = None,
             owners: dict[str, frozenset] | None = None) -> list[tuple[float, Candidate, str, str]]:
    """Every (cost, candidate, how, label) a field could take."""
    out = []
    lo, hi_y = pg.y_range
    cache = pg.geometry
    cands = _candidates(pg, fv)
    geos = []
    for c in cands:
        key = (c.atoms, c.match.start, c.match.end)
        if key not in cache:
            cache[key] = [(int(i), *_geometry(pg, int(i), c, True)) for i in _reachable(pg, c)]
        geos.append(cache[key])
    # the field's label nearest the title among those that reach a value of its form
    near_title = min((pg.hits[i].title_dist for geo in geos for i, g, _ in geo
                      if pg.hits[i].field == fv.name and g < MISS_COST), default=0.0)
    owners = owners or {}
    for c, geo in zip(cands, geos):
        best = None
        mark = owners.get(c.match.tag, frozenset()) if c.match.tag else frozenset()
        if mark and fv.pattern.tags and fv.name not in mark:
            continue  # printed with another field's mark
        if mark == {fv.name}:
            best = (MARK_COST, "mark", c.match.tag, 0.0)
        owner = _BIG  # the cheapest reach of any other label
        for i, g, how in geo:
            h = pg.hits[i]
            if h.field != fv.name:
                owner = min(owner, g if (fv.below or how != "below") else _BIG)
                continue
            if how == "below" and not fv.below:
                g, how = _geometry(pg, i, c, False)
            cost = (g + LABEL_COST * (1.0 - h.hit.quality) + (AMBIGUOUS_COST if h.hit.ambiguous else 0.0)
                    + TITLE_COST * (h.title_dist - near_title) + min(SECTION_COST * h.section_dist, SECTION_MAX))
            if best is None or cost < best[0]:
                best = (cost, how, h.hit.label + (f"({h.hit.unit})" if h.hit.unit else ""), g)
        if fv.fallback and c.match.fit >= FALLBACK_MIN_FIT:  # by its form alone: only a good fit
            rel = (c.y - lo) / max(1e-6, hi_y - lo)
            z = 0.0 if fv.zone is None or fv.zone[0] <= rel <= fv.zone[1] else ZONE_COST
            if best is None or FALLBACK_COST + z < best[0]:
                best = (FALLBACK_COST + z, "pattern", "", MISS_COST)
        for a in (fv.near if anchors else ()):
            if a in anchors:
                g = _near(pg, anchors[a], c)
                if best is None or g < best[0]:
                    best = (g, "near", a, MISS_COST)
        if best is None:
            continue
        cost = best[0] + FIT_COST * (1.0 - c.match.fit) + JUNK_COST * min(c.junk, JUNK_MAX)
        if owner < min(best[3], OWNER_REACH):
            cost += OWNED_COST
        if cost < MISS_COST:
            out.append((cost, c, best[1], best[2]))
    if fv.seal:
        for k, (s, sc) in enumerate(pg.stamp):
            for m in fv.pattern.find(norm(s)):
                c = Candidate((), m, frozenset({("stamp", k, i) for i in range(m.start, m.end)}), 0, 0, 0, 0, 1, sc)
                out.append((SEAL_COST + FIT_COST * (1 - m.fit), c, "stamp", ""))
    return out
