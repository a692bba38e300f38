"""The page the assignment works on: a document's label hits and the atoms (pieces of lines
that are no label) around them, the runs of atoms on a printed line, and the value
candidates a field's pattern finds in those runs (see :mod:`~.assign`).

Split from :mod:`ocrframe.engine.extract.assign` (which re-exports every name).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .common import DocText
from .layout import Tok, norm
from .patterns import Match
from .vocab import FieldVocab, LabelHit, Vocabulary, find_labels

__all__ = ["Atom", "Hit", "Page", "Candidate", "Choice", "page", "STAMP_WORDS"]

#: atoms of one printed line at most this many line heights apart join into a run
RUN_GAP = 2.0
#: a line naming a seal is stamp text
STAMP_WORDS = re.compile(r"专用章|财务章|监制章?|公章|(?:发票|财务)专用")
#: characters a value never starts or ends with (separators after a label)
_EDGE = " :;,|.。、"


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
    raw: str = ""  # the value's characters as read (brackets in their printed width)


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
        t, raw, left, right, owner, breaks = "", "", [], [], [], set()
        for k, p in enumerate(row):
            tp = norm(p.text)
            bx = _char_x(tp, p.x0, p.x1)
            if k:
                breaks.add(len(t) + 1)
                t += " "
                raw += " "
                left.append(right[-1])
                right.append(right[-1])
                owner.append(li + k - 1)
            t += tp
            raw += p.text if len(p.text) == len(tp) else tp
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
                atoms.append(Atom(t[a:b], left[a], right[b - 1], p.y, p.h, float(p.score), raw=raw[a:b], line=owner[a],
                                  glued=glued, stamp=stamp))
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
            raw = " ".join(a.raw or a.text for a in ats)[m.start:m.end]
            out.append(Candidate(run, m, cover, junk, fx0, fx1, sum(a.y for a in ats) / len(ats), hs[len(hs) // 2],
                                 min(a.score for a in ats), raw))
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
