"""Located regions joined into documents: duplicates dropped, pieces joined.

After localisation (:mod:`.locate`) an image's text may be held by more regions than it
has documents: a document and its own inner frame both read, a turned document read
again, a title above a table border left outside the outline, a stamp's ring text typed
as another document, blocks of one form apart. Here:

- :func:`suppress_duplicates` keeps the better classified of two regions covering mostly
  the same area (an untyped one gives the kept document the lines it lacks);
- :func:`drop_inner_fragments` drops a typed line or two inside a much larger document on
  the same paper;
- :func:`merge_parts` joins a text-only region to the neighbouring region of the same
  document (same reading direction, close by, same type or none, same paper).
"""

from __future__ import annotations

import numpy as np

from .classify import classify_text
from .locate import CO_ORIENTED_COS, Region, _text_box, order_quad
from .packed import instance_count
from .paper import PaperMap
from .quadops import axis_gap, inside, normal, overlap_frac
from ..types import DocType

__all__ = ["suppress_duplicates", "drop_inner_fragments", "merge_parts", "other_paper"]

#: two regions overlapping by this share of the smaller one are one document
DUPLICATE_OVERLAP = 0.6
#: two regions of different types are one document when this share of the smaller one's
#: lines lie on the other's lines (read twice)
DUPLICATE_SHARED = 0.5
#: among duplicates the better classified wins; per line this much score breaks ties
DUPLICATE_LINE_BONUS = 0.01
#: a typed region of at most this many lines inside a document holding this many times
#: its lines, on the same paper, is a piece of that document
INNER_FRAGMENT_LINES = 2
INNER_FRAGMENT_RATIO = 4
#: a text-only region joins a co-oriented neighbour within this many of its line heights
MERGE_GAP = 4.0
#: a differently typed fragment joins only when its score is below this share of the
#: neighbour's ...
MERGE_WEAK_SCORE = 0.5
#: ... and it lies within this many line heights
MERGE_WEAK_GAP = 1.5
#: two differently typed neighbours join when together they score this much above either
MERGE_GAIN = 2.0
#: two such blocks join across a gap of up to this many line heights (a form's empty item
#: rows between its header block and its totals and seller block)
MERGE_JOINED_GAP = 8.0
#: regions whose papers (the median Lab colour around their lines) differ by more than
#: this are never joined: print on another surface (a keyboard's key caps beside a
#: passport) is no part of the document; shadows and uneven light change a paper less
MERGE_OTHER_PAPER = 72.0
#: the joined fragment's text box margin (line heights)
MERGE_TEXT_MARGIN = 1.0
#: a region without lines has this line height (px), for the gap tests
DEFAULT_LINE_HEIGHT = 10.0


def suppress_duplicates(found):
    """Of two regions covering mostly the same area (a document and its own inner frame,
    both read; a turned document read again), keep the better classified one. Two
    documents of different types lying over each other are no duplicates, unless they
    hold the same lines. An untyped region dropped inside a typed document gives it the
    lines it does not already hold (a ticket's big train number, boxed by its own
    outline, belongs to the ticket)."""
    order = sorted(range(len(found)),
                   key=lambda i: -(found[i][1].score + DUPLICATE_LINE_BONUS * len(found[i][0].lines)))
    kept = []
    for i in order:
        dup = next((j for j in kept if overlap_frac(found[i][0].quad, found[j][0].quad) > DUPLICATE_OVERLAP
                    and _one_document(found[i], found[j])), None)
        if dup is None:
            kept.append(i)
        elif found[i][1].type is None and found[dup][1].type is not None:
            _absorb(found[dup][0], found[i][0])
    return [found[i] for i in sorted(kept)]


def _absorb(keep: Region, part: Region) -> None:
    """Add to ``keep`` the lines of ``part`` inside its quad that it does not hold yet."""
    keep.lines = keep.lines + [ln for ln in part.lines if inside(keep.quad, ln.center)
                               and not any(inside(o.quad, ln.center) for o in keep.lines)]


def _one_document(a, b) -> bool:
    """Whether two overlapping regions are one document: of one type (or one untyped), or
    reading the same lines."""
    (ra, ca), (rb, cb) = a, b
    if ca.type is None or cb.type is None or ca.type == cb.type:
        return True
    small, big = (ra, rb) if len(ra.lines) <= len(rb.lines) else (rb, ra)
    if not small.lines:
        return True
    shared = sum(any(inside(o.quad, ln.center) for o in big.lines) for ln in small.lines)
    return shared >= DUPLICATE_SHARED * len(small.lines)


def _extent(r: Region) -> np.ndarray:
    """A region's points: its quad's corners and its lines' corners."""
    return np.concatenate([r.quad] + [ln.quad for ln in r.lines])


def _reads_better_joined(ri: Region, ci, rj: Region, cj) -> bool:
    """Whether two differently typed regions read as one document together: the joined
    text scores clearly above either part (an invoice's lower block alone reads as a bank
    card, by its bank account line)."""
    joined = classify_text([ln.text for ln in ri.lines + rj.lines])
    return joined.type in (ci.type, cj.type) and joined.score >= max(ci.score, cj.score) + MERGE_GAIN


def _two_documents(a: Region, b: Region, t: DocType) -> bool:
    """Whether two regions together hold more documents of type ``t`` than either alone
    (two whole receipts side by side, not two parts of one)."""
    def count(lines):
        return instance_count([ln.text for ln in lines], t)[0]

    new = [ln for ln in a.lines if not any(inside(o.quad, ln.center) for o in b.lines)]
    return count(b.lines + new) > max(count(a.lines), count(b.lines))


def other_paper(paper: PaperMap | None, a: Region, b: Region) -> bool:
    """Whether two regions are printed on papers of clearly different colours."""
    if paper is None or not a.lines or not b.lines:
        return False
    ca, cb = (np.median(paper.colours(r.lines), axis=0) for r in (a, b))
    return float(np.linalg.norm(ca - cb)) > MERGE_OTHER_PAPER


def drop_inner_fragments(found, paper: PaperMap | None = None):
    """Drop typed regions of a line or two lying inside a document of many more lines on
    the same paper: a piece of it (a stamp's ring text or a logo that reads like another
    type's title), not a document of its own. A card lying on an invoice is on paper of
    its own colour and holds more lines."""
    def inner(i: int) -> bool:
        r, c = found[i]
        if c.type is None or not 0 < len(r.lines) <= INNER_FRAGMENT_LINES:
            return False
        return any(j != i and oc.type is not None and len(o.lines) >= INNER_FRAGMENT_RATIO * len(r.lines)
                   and overlap_frac(r.quad, o.quad) > DUPLICATE_OVERLAP and not other_paper(paper, r, o)
                   for j, (o, oc) in enumerate(found))

    return [f for i, f in enumerate(found) if not inner(i)]


def merge_parts(found, paper: PaperMap | None = None):
    """Join a text-only region to a neighbouring region of the same document: same reading
    direction, close by, the same type (or no type of its own) and, with ``paper``, on
    paper of about the same colour. A document whose outline missed part of its text (a
    title above a table border), or whose text fell apart into blocks, becomes one region
    again."""
    found = list(found)
    changed = True
    while changed:
        changed = False
        for i, (ri, ci) in enumerate(found):
            if ri.source not in ("text", "kind"):
                continue
            hi = float(np.median([ln.height for ln in ri.lines])) if ri.lines else DEFAULT_LINE_HEIGHT
            best = None
            for j, (rj, cj) in enumerate(found):
                if i == j or float(ri.direction @ rj.direction) < CO_ORIENTED_COS:
                    continue
                g = axis_gap(_extent(rj), _extent(ri), rj.direction)
                if g < MERGE_JOINED_GAP * hi and other_paper(paper, ri, rj):
                    continue
                typed_apart = ci.type is not None and cj.type is not None and ci.type != cj.type
                if g >= (MERGE_JOINED_GAP if typed_apart else MERGE_GAP) * hi:
                    continue
                rank = 0
                if typed_apart:
                    # two blocks of one document that read as it only together, or (second
                    # choice) a weakly typed fragment right next to a strongly typed document
                    if not _reads_better_joined(ri, ci, rj, cj):
                        if ri.source == "kind" or not (ci.score < MERGE_WEAK_SCORE * cj.score
                                                       and g < MERGE_WEAK_GAP * hi):
                            continue
                        rank = 1
                elif cj.type is not None and _two_documents(ri, rj, cj.type):
                    continue
                if best is None or (rank, g) < best[0]:
                    best = ((rank, g), j)
            if best is None:
                continue
            j = best[1]
            rj, cj = found[j]
            d = rj.direction
            pts = np.concatenate([rj.quad, _text_box(ri.lines, d, MERGE_TEXT_MARGIN)])
            n = normal(d)
            u, v = pts @ d, pts @ n
            box = np.array([a * d + b * n for a, b in
                            [(u.min(), v.min()), (u.max(), v.min()), (u.max(), v.max()), (u.min(), v.max())]])
            extra = [ln for ln in ri.lines if not any(inside(o.quad, ln.center) for o in rj.lines)]
            merged = Region(order_quad(box, d), rj.lines + extra, d, rj.source if rj.source in ("text", "kind") else "merged")
            cls = classify_text([ln.text for ln in merged.lines])
            found[j] = (merged, cls)
            del found[i]
            changed = True
            break
    return found
