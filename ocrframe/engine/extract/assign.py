"""Joint geometric assignment of printed values to their labels.

The recognised lines of each row of a document, joined, are searched for the labels of
its type's :class:`~.vocab.Vocabulary` (:func:`~.vocab.find_labels`; a label printed
spaced out and read as several lines is found too); what is not label is cut into
*atoms* (whitespace-separated pieces; a piece that follows a label in the same line with
only a colon between is *glued* to it). Runs of up to a pattern's ``max_tokens`` atoms on
one printed line are the value candidates a field's :class:`~.patterns.Pattern` is
searched in. All positions are in the document's own frame (``DocText``: x along the
reading direction, y down it), measured in line heights.

The cost of giving a candidate to a field is the cheapest way one of the field's label
hits reaches it:

* **glued** to the label: no cost;
* **on the label's line, to its right**, the value shifted up to :data:`SHIFT_MAX` line
  heights up or down (dot-matrix print misregistered against the preprinted form):
  a little per line height of gap, quadratically more with the shift;
* **under the label** (next line, or a column head's value): a fixed cost, more per
  extra line and per line height the value starts away from the label's column;

plus a strong :data:`BARRIER_COST` for every other label between the two, a penalty
when another label (another field's, or a caption of none) reaches the candidate more
cheaply, the label's own doubt (misread, partly hidden, shared with another field), the
pattern's misfit and the candidate's characters outside the value. Where a label is
printed more than once, the one nearer the type's title (two documents read as one) and
nearer the words naming the field's section (``购买方`` / ``销售方``) is preferred.

A field whose form is distinctive may instead take a value by its form alone
(:data:`FALLBACK_COST`, more outside its zone), and a field whose label was not read
may take a value on the line of a related field's value (``near``: a name beside its
ID number), at a cost between the two.

All fields and candidates of a document are assigned at once with
``scipy.optimize.linear_sum_assignment``: a value is never given to two fields (nor two
overlapping candidates), and the nearest *compatible* value wins, not the first read.
Leaving a field empty costs :data:`MISS_COST`. A field's confidence is the recognition
score of its characters times ``exp(-cost / QUALITY_SCALE)``.

Text read from red stamps (``DocText.stamp``) and printed lines naming a seal (``专用章``)
only ever fill fields declared ``seal=True``.

Examples
--------
>>> from ocrframe.engine.extract.patterns import digits, date
>>> from ocrframe.engine.extract.vocab import FieldVocab, Vocabulary
>>> from ocrframe.testing.doctext import doc_from_rows
>>> v = Vocabulary((FieldVocab("code", ("票据代码", "发票代码"), digits(12)),
...                 FieldVocab("date", ("日期",), date())))
>>> d = doc_from_rows([[("票据代码：", 10), ("144031900111", 120, -10)],
...                    [("日期", 10), ("2019-03-15", 120, -10)]])  # values half a line above their labels
>>> {k: f.value for k, f in assign(d, v).items()}
{'code': '144031900111', 'date': '2019-03-15'}
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .common import DocText, Field
from .layout import Tok, norm
from .patterns import Match
from .vocab import BARRIER, FieldVocab, LabelHit, Vocabulary, find_labels

__all__ = ["Atom", "Hit", "Page", "Choice", "page", "assign", "solve", "SHIFT_MAX", "BELOW_MAX", "BARRIER_COST",
           "MISS_COST", "FALLBACK_COST", "QUALITY_SCALE", "STAMP_WORDS"]

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
#: atoms of one printed line at most this many line heights apart join into a run
RUN_GAP = 2.0
#: a line naming a seal is stamp text
STAMP_WORDS = re.compile(r"专用章|财务章|监制章?|公章|(?:发票|财务)专用")
#: characters a value never starts or ends with (separators after a label)
_EDGE = " :;,|.。、"
_BIG = 1e6


@dataclass
class Atom(Tok):
    """A piece of a line that is not a label; ``glued``: the label hits it directly
    follows (two when two fields' labels read the same)."""

    line: int = -1
    glued: tuple[int, ...] = ()
    stamp: bool = False


@dataclass
class Hit:
    """A label hit placed in the document: ``LabelHit`` plus its box."""

    hit: LabelHit
    x0: float
    x1: float
    y: float
    h: float
    line: int
    title_dist: float = 0.0
    section_dist: float = 0.0

    @property
    def field(self) -> str:
        return self.hit.field


@dataclass
class Page:
    """A document's labels and atoms (see :func:`page`)."""

    hits: list[Hit]
    atoms: list[Atom]
    runs: list[tuple[int, ...]]
    y_range: tuple[float, float]
    stamp: list[tuple[str, float]]
    geometry: dict = field(default_factory=dict)
    boxes: np.ndarray | None = None
    texts: list | None = None


@dataclass(frozen=True)
class Candidate:
    atoms: tuple[int, ...]
    match: Match
    cover: frozenset
    junk: int
    x0: float
    x1: float
    y: float
    h: float
    score: float


@dataclass(frozen=True)
class Choice:
    """The value chosen for a field and how it was reached."""

    field: str
    value: str
    confidence: float
    cost: float
    how: str
    label: str = ""
    candidate: Candidate | None = None


def _width(c: str) -> float:
    if c.isspace():
        return 0.35
    return 1.0 if ord(c) > 0x2e80 else 0.55


def _char_x(text: str, x0: float, x1: float) -> list[float]:
    """x of every character boundary of a line (CJK characters twice as wide as digits)."""
    w = [_width(c) for c in text]
    total = sum(w) or 1.0
    out, acc = [x0], 0.0
    for v in w:
        acc += v
        out.append(x0 + (x1 - x0) * acc / total)
    return out


def _rows(doc: DocText):
    """The document's recognised lines by row, left to right; a line read twice (alone
    and inside a longer line at the same place) once."""
    ps = [p for r in doc.rows for p in r.pieces if p.text.strip()]
    keys = [re.sub(r"\s", "", norm(p.text)) for p in ps]
    dup = set()
    for i, p in enumerate(ps):
        k = keys[i]
        if any(len(keys[j]) > len(k) and k in keys[j] and abs(q.y - p.y) < 0.5 * p.h
               and min(p.x1, q.x1) - max(p.x0, q.x0) > 0.5 * (p.x1 - p.x0) for j, q in enumerate(ps)):
            dup.add(id(p))
    rows = [[p for p in r.pieces if p.text.strip() and id(p) not in dup] for r in doc.rows]
    return [r for r in rows if r]


def page(doc: DocText, vocab: Vocabulary) -> Page:
    """Labels and atoms of a document (see the module docstring).

    Labels are searched in each row's lines joined, so a label printed spaced out and
    read as several lines (``入`` ``口``) is still found."""
    hits: list[Hit] = []
    atoms: list[Atom] = []
    rows = _rows(doc)
    pieces = [p for r in rows for p in r]
    li = 0
    for row in rows:
        # the row's text, and per character its box and line
        t, left, right, owner, breaks = "", [], [], [], set()
        for k, p in enumerate(row):
            tp = norm(p.text)
            bx = _char_x(tp, p.x0, p.x1)
            if k:
                breaks.add(len(t) + 1)
                t += " "
                left.append(right[-1])
                right.append(right[-1])
                owner.append(li + k - 1)
            t += tp
            left += bx[:-1]
            right += bx[1:]
            owner += [li + k] * len(tp)
        found = find_labels(t, vocab, frozenset(breaks))
        first = len(hits)
        for h in found:
            ps = [row[owner[i] - li] for i in range(h.start, h.end)]
            hits.append(Hit(h, left[h.start], right[h.end - 1], sum(q.y for q in ps) / len(ps), max(q.h for q in ps),
                            owner[h.start]))
        is_label = np.zeros(len(t), bool)
        for h in found:
            is_label[h.start:h.end] = True
        i = 0
        while i < len(t):
            if is_label[i] or t[i].isspace():
                i += 1
                continue
            j = i
            while j < len(t) and not is_label[j] and not t[j].isspace():
                j += 1
            a, b = i, j
            while a < b and t[a] in _EDGE:
                a += 1
            while b > a and t[b - 1] in _EDGE:
                b -= 1
            if a < b:
                # glued: the nearest label before it, with only separators between
                ends = [h.end for h in found if h.end <= a and not t[h.end:a].strip(_EDGE)]
                glued = tuple(first + k for k, h in enumerate(found) if ends and h.end == max(ends))
                p = row[owner[a] - li]
                stamp = bool(STAMP_WORDS.search(re.sub(r"\s", "", p.text)))
                atoms.append(Atom(t[a:b], left[a], right[b - 1], p.y, p.h, float(p.score), owner[a], glued, stamp))
            i = j
        li += len(row)
    ys = [a.y for a in atoms] + [h.y for h in hits]
    y_range = (min(ys), max(ys)) if ys else (0.0, 1.0)
    tops = [(p.x0, p.x1, p.y) for p in pieces if any(t in re.sub(r"\s", "", p.text) for t in vocab.titles)]
    for h in hits:
        if tops:
            h.title_dist = _distance(h, tops)
    for fv in vocab.fields:
        if fv.section:
            marks = _section_marks(pieces, fv.section)
            for h in hits:
                if h.field == fv.name and marks:
                    h.section_dist = _distance(h, marks)
    return Page(hits, atoms, _runs(atoms, hits), y_range, list(doc.stamp))


def _distance(h: Hit, boxes: list[tuple[float, float, float]]) -> float:
    """Line heights from a label hit to the nearest of some ``(x0, x1, y)`` boxes."""
    return min(math.hypot(max(0.0, a - h.x1, h.x0 - b), h.y - y) for a, b, y in boxes) / h.h


def _section_marks(pieces, words: tuple[str, ...]) -> list[tuple[float, float, float]]:
    """Where a section's naming words are printed: ``(x0, x1, y)`` of each."""
    out = []
    for p in pieces:
        t = norm(p.text)
        key = re.sub(r"\s", "", t)
        for w in words:
            if len(w) == 1:
                if key == w:
                    out.append((p.x0, p.x1, p.y))
                continue
            k = t.find(w)
            if k >= 0:
                xs = _char_x(t, p.x0, p.x1)
                out.append((xs[k], xs[k + len(w)], p.y))
    return out


def _runs(atoms: list[Atom], hits: list[Hit]) -> list[tuple[int, ...]]:
    """Consecutive atoms of one printed line (up to 5), not crossing a label."""
    order = sorted(range(len(atoms)), key=lambda i: (atoms[i].y, atoms[i].x0))
    lines: list[list[int]] = []
    for i in order:
        a = atoms[i]
        for ln in lines:
            b = atoms[ln[-1]]
            if abs(a.y - b.y) < 0.4 * min(a.h, b.h):
                ln.append(i)
                break
        else:
            lines.append([i])
    out = []
    for ln in lines:
        ln.sort(key=lambda i: atoms[i].x0)
        for s in range(len(ln)):
            out.append((ln[s],))
            for e in range(s + 1, min(len(ln), s + 5)):
                a, b = atoms[ln[e - 1]], atoms[ln[e]]
                h = max(a.h, b.h)
                if b.x0 - a.x1 > RUN_GAP * h or any(
                        a.x1 - 0.1 * h <= x.x0 and x.x1 <= b.x0 + 0.1 * h and abs(x.y - a.y) < 0.5 * h for x in hits):
                    break
                out.append(tuple(ln[s:e + 1]))
    return out


def _run_texts(pg: Page) -> list[tuple[str, list[int]]]:
    """Per run: its atoms' texts joined by spaces and where each atom starts in it."""
    if pg.texts is None:
        pg.texts = []
        for run in pg.runs:
            starts, pos = [], 0
            for i in run:
                starts.append(pos)
                pos += len(pg.atoms[i].text) + 1
            pg.texts.append((" ".join(pg.atoms[i].text for i in run), starts))
    return pg.texts


def _candidates(pg: Page, fv: FieldVocab) -> list[Candidate]:
    pat = fv.pattern
    out = []
    for run, (joined, starts) in zip(pg.runs, _run_texts(pg)):
        if len(run) > pat.max_tokens:
            continue
        ats = [pg.atoms[i] for i in run]
        if not fv.seal and any(a.stamp for a in ats):
            continue
        n0, last = len(ats[0].text), starts[-1]
        for m in pat.find(joined):
            if m.start >= n0 or m.end <= last:
                continue  # a shorter run holds this value
            cover = frozenset((run[k], c) for k, a in enumerate(ats)
                              for c in range(max(m.start - starts[k], 0), min(m.end - starts[k], len(a.text))))
            junk = sum(1 for c in joined[:m.start] + joined[m.end:] if not c.isspace() and c not in _EDGE)
            a0, a1 = ats[0], ats[-1]
            fx0 = a0.x0 + (a0.x1 - a0.x0) * m.start / max(1, n0)
            fx1 = a1.x0 + (a1.x1 - a1.x0) * (m.end - last) / max(1, len(a1.text))
            hs = sorted(a.h for a in ats)
            out.append(Candidate(run, m, cover, junk, fx0, fx1, sum(a.y for a in ats) / len(ats), hs[len(hs) // 2],
                                 min(a.score for a in ats)))
    return _maximal(out)


def _maximal(cands: list[Candidate]) -> list[Candidate]:
    """Drop a candidate that is part of a longer one of the same form (``1230.00`` of
    ``CNY 1230.00``): a value is taken whole."""
    by_atom: dict[int, list[int]] = {}
    for k, c in enumerate(cands):
        for a in c.atoms:
            by_atom.setdefault(a, []).append(k)
    keep = []
    for k, c in enumerate(cands):
        others = {j for a in c.atoms for j in by_atom[a] if j != k}
        if not any(c.cover < cands[j].cover for j in others):
            keep.append(c)
    return keep


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


def _options(pg: Page, fv: FieldVocab, anchors: dict[str, Candidate] | None = None
             ) -> list[tuple[float, Candidate, str, str]]:
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
    for c, geo in zip(cands, geos):
        best = None
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
                best = (cost, how, h.hit.label, g)
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


def solve(options: dict[str, list[tuple[float, Candidate, str, str]]]) -> dict[str, Choice]:
    """Assign candidates to fields at least total cost, never one character to two fields.

    Parameters
    ----------
    options : dict
        Per field, its ``(cost, candidate, how, label)`` options.

    Returns
    -------
    dict
        ``{field: Choice}`` for the fields given a value.
    """
    from scipy.optimize import linear_sum_assignment

    names = [n for n in options if options[n]]
    covers: dict[frozenset, int] = {}
    for n in names:
        for _, c, _, _ in options[n]:
            covers.setdefault(c.cover, len(covers))
    nf, nc = len(names), len(covers)
    if not nf:
        return {}
    m = np.full((nf, nc + nf), _BIG)
    m[np.arange(nf), nc + np.arange(nf)] = MISS_COST
    pick: dict[tuple[int, int], tuple] = {}
    for r, n in enumerate(names):
        for opt in options[n]:
            col = covers[opt[1].cover]
            if opt[0] < m[r, col]:
                m[r, col] = opt[0]
                pick[(r, col)] = opt
    for _ in range(4 * nf + 4):
        rows, cols = linear_sum_assignment(m)
        chosen = [(r, c) for r, c in zip(rows, cols) if c < nc and m[r, c] < _BIG / 2]
        clash = None
        for i, (r1, c1) in enumerate(chosen):
            for r2, c2 in chosen[i + 1:]:
                if pick[(r1, c1)][1].cover & pick[(r2, c2)][1].cover:
                    clash = (r1, c1) if m[r1, c1] >= m[r2, c2] else (r2, c2)
                    break
            if clash:
                break
        if clash is None:
            break
        m[clash] = _BIG
    out = {}
    for r, c in chosen:
        cost, cand, how, label = pick[(r, c)]
        conf = cand.score * math.exp(-cost / QUALITY_SCALE)
        out[names[r]] = Choice(names[r], cand.match.value, conf, cost, how, label, cand)
    return out


def assign(doc: DocText, vocab: Vocabulary) -> dict[str, Field]:
    """The fields of a document by joint label-value assignment (see the module docstring).

    Parameters
    ----------
    doc : DocText
        The located document's text.
    vocab : Vocabulary
        Its type's labels and value patterns.

    Returns
    -------
    dict
        ``{field: Field}`` for every field given a value (names starting with ``_`` too:
        values printed twice, for the checks), shaped by the field's ``fmt``.
    """
    return {k: Field(vocab[k].fmt(c.value) if vocab[k].fmt else c.value, c.confidence)
            for k, c in choose(doc, vocab).items()}


def choose(doc: DocText, vocab: Vocabulary) -> dict[str, Choice]:
    """:func:`assign` with how each value was reached (for tests and debugging).

    Fields with ``near`` anchors left empty are tried again, with the chosen values of
    their anchors standing in for their unread labels (everything re-assigned jointly).
    """
    pg = page(doc, vocab)
    fields = [fv for fv in vocab.fields if fv.pattern is not None]
    options = {fv.name: _options(pg, fv) for fv in fields}
    got = solve(options)
    again = [fv for fv in fields if fv.near and fv.name not in got and any(a in got for a in fv.near)]
    if again:
        anchors = {k: c.candidate for k, c in got.items() if c.candidate is not None and c.candidate.atoms}
        for fv in again:
            options[fv.name] = _options(pg, fv, anchors)
        got = solve(options)
    return got
