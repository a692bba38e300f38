"""Several documents of one kind in one region, split apart by their repeated titles and labels.

An expense claim glues receipts of one kind side by side on a sheet: white paper on white,
touching or a few pixels apart, some turned by 90 degrees. Their edges are too faint to
close outlines, so their text ends up in one region (one outline around them all, or one
text cluster) that reads as one document of the kind. But a document prints its title and
its labels once: a region that holds each of its type's cues on ``k`` lines holds ``k``
documents (:func:`instance_count`).

Such a region is cut apart where its text allows (:func:`split_lines`): between reading
directions (turned members), or along an empty strip across the whole region (a
recursive XY-cut in the region's reading frame). A cut is only taken when every repeated
cue falls the same way on both sides, so each side holds whole documents; a document's own
blocks (a title above a table) never hold a cue twice and are never cut apart.

Each part's quad is its text box grown to the paper's edge where a faint edge is found
(:func:`ocrframe.engine.edges.find_edge`), else by the type's usual margin, and never into a
neighbour's text.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import DocType
from .classify import classify_text, line_cues
from .edges import find_edge
from .locate import CO_ORIENTED_COS, Region, dominant_direction, order_quad, _text_box
from .ocr import TextLine
from .quadops import iou, normal
from .ties import cheapest_seed, linked_groups, rect_gap, tie_graph

__all__ = ["instance_count", "split_lines", "part_quads", "regroup"]

#: a region holds several documents only when at least this many different cues (a title
#: and a label, two labels) are each found on the same number of lines
MIN_REPEATED_CUES = 2
#: a cut is taken when the repeated cues agreeing on how many documents lie on each side
#: carry at least this share of the repeated cues' weight (one misread label may disagree)
CUT_AGREEMENT = 0.7
#: a line is clearly oriented when it is at least this many times longer than high
ORIENTED_ASPECT = 1.5
#: strips narrower than this many median line heights do not separate documents
MIN_CUT_GAP = 0.15
#: documents of one kind hold about as many lines each: a cut leaving one side with more
#: than this many times the other's lines per document splits a document (its labels from
#: its values), not two documents
MAX_LINES_RATIO = 2.0
#: title lines this many line heights apart or closer are one document's title
ANCHOR_JOIN = 1.5
#: a cut placing the next document's title more than this many line heights off where the
#: first document has it counts as no better than any such cut
MAX_MISPLACED = 10
#: regions of one type (and untyped fragments) this many line heights apart or closer are
#: pooled before counting documents: one receipt's title may have fallen into its
#: neighbour's region
POOL_GAP = 4.0
#: a part that an outline holds whole (this share of its lines, and nothing else) keeps
#: the outline's quad when it agrees with the paper's edges (at least this IoU)
OUTLINE_HOLDS = 0.9
OUTLINE_AGREES = 0.7
#: a part's paper edge is searched from this many line heights off its text ...
EDGE_SEARCH_FROM = 0.25
#: ... out to this many times the type's usual margin (and at least ``EDGE_SEARCH_MIN``
#: line heights), never past a neighbour's text
EDGE_SEARCH_REACH = 3.0
EDGE_SEARCH_MIN = 8.0


def instance_count(texts: list[str], t: DocType) -> tuple[int, list[tuple[float, np.ndarray, float]]]:
    """How many documents of type ``t`` these lines hold, and the cues that repeat.

    The count is the weighted median of the number of lines per cue. A single document
    holds each cue about once (a few labels twice); ``k`` documents hold each ``k`` times
    (fewer where a label is misread or a layout does not print it).

    Returns
    -------
    k : int
        At least 1 (also when nothing is found).
    repeated : list of (weight, hits, rate)
        The cues found on at least half of ``k`` lines (and twice): their weight, a
        boolean hit per line, and how many times a document prints them (1, or 2 for a
        label printed twice).

    Examples
    --------
    >>> from ocrframe.types import DocType
    >>> one = ["北京市出租汽车专用发票", "上车 10:01", "下车 10:30", "里程 5.2km"]
    >>> instance_count(one, DocType.TAXI_INVOICE)[0]
    1
    >>> instance_count(one * 3, DocType.TAXI_INVOICE)[0]
    3
    """
    cues = [(w, np.array(h, bool)) for _, w, h in line_cues(texts, t)]
    found = sorted((int(h.sum()), w) for w, h in cues if h.any())
    if not found:
        return 1, []
    # the weighted median of the counts: layouts of one kind print some labels and not
    # others, and labels get misread, but most cue weight agrees on about k
    half, acc, k = sum(w for _, w in found) / 2, 0.0, 1
    for n, w in found:
        acc += w
        if acc >= half:
            k = n
            break
    if k >= 2 and sum(n >= 2 for n, _ in found) < MIN_REPEATED_CUES:
        k = 1
    least = max(2, -(-k // 2))
    return k, [(w, h, max(1, round(h.sum() / k))) for w, h in cues if h.sum() >= least]


def _side_count(mask: np.ndarray, repeated: list[tuple[float, np.ndarray, float]]) -> tuple[int, float]:
    """The number of documents on one side of a cut, and how well the cues agree with it.

    The number is the count most repeated-cue weight votes for. A misread label only
    counts too few; a cut through a document counts too many of something on one side
    (its title lands with another document's: two titles, one set of labels). The
    agreement is the share of weight that does not count more than the number.
    """
    votes: dict[int, float] = {}
    counts = []
    for w, h, rate in repeated:
        m = int(round((h & mask).sum() / rate))
        votes[m] = votes.get(m, 0.0) + w
        counts.append((w, m))
    total = sum(votes.values())
    if not total:
        return 0, 0.0
    m = max(votes, key=lambda c: (votes[c], -c))
    return m, sum(w for w, c in counts if c <= m) / total


def _gaps(lines: list[TextLine], idx: np.ndarray, axis: np.ndarray, min_gap: float):
    """Empty strips across the lines ``idx`` along ``axis``: ``(width, position)``."""
    lo = np.array([float((lines[i].quad @ axis).min()) for i in idx])
    hi = np.array([float((lines[i].quad @ axis).max()) for i in idx])
    order = np.argsort(lo)
    reach = hi[order[0]]
    for k in order[1:]:
        if lo[k] - reach > min_gap:
            yield lo[k] - reach, (lo[k] + reach) / 2
        reach = max(reach, hi[k])


def _quarter(lines: list[TextLine], idx: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Each line's reading direction relative to ``d`` in quarter turns, modulo 2 (0:
    along ``d`` or against it, 1: across), and -1 for lines too short to tell (a single
    character of a turned label reads as a square box)."""
    n = normal(d)
    ang = np.array([np.arctan2(lines[i].direction @ n, lines[i].direction @ d) for i in idx])
    q = np.rint(ang / (np.pi / 2)).astype(int) % 2
    short = np.array([lines[i].width < ORIENTED_ASPECT * lines[i].height for i in idx])
    q[short] = -1
    return q


def _orientation_cut(lines: list[TextLine], idx: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lines reading along and across, the short ones given to the side whose nearest
    clearly oriented line is nearest."""
    centers = np.array([lines[i].center for i in idx])
    known = q >= 0
    side = q.copy()
    for k in np.flatnonzero(~known):
        dist = np.linalg.norm(centers[known] - centers[k], axis=1)
        side[k] = q[known][int(np.argmin(dist))]
    return idx[side == 0], idx[side == 1]


def split_lines(lines: list[TextLine], t: DocType, colours: np.ndarray | None = None) -> list[list[int]]:
    """Indices of the lines of each document, for a region holding several of type ``t``.

    The region is cut along reading directions and empty strips first. Where documents
    are staggered or tilted so that no strip runs through, each title seeds a document
    and every other line goes to the title it is most cheaply tied to over neighbouring
    lines (as :func:`ocrframe.engine.overlap.split_kinds` does for different kinds);
    ``colours``, each line's paper colour, makes that tie cost more across papers.

    Returns one group (all lines) when the region holds one document.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.ocr import TextLine
    >>> from ocrframe.types import DocType
    >>> def line(x, y, s):
    ...     q = np.array([[x, y], [x + 150, y], [x + 150, y + 20], [x, y + 20]], float)
    ...     return TextLine(q, s, 0.99, np.array([1.0, 0.0]))
    >>> receipt = ["上海市出租汽车专用发票", "上车 10:01", "下车 10:30", "里程 5.2km"]
    >>> lines = [line(x, 30 * i, s) for x in (0, 170) for i, s in enumerate(receipt)]
    >>> split_lines(lines, DocType.TAXI_INVOICE)
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    k, repeated = instance_count([ln.text for ln in lines], t)
    everything = np.arange(len(lines))
    if k < 2:
        return [everything.tolist()]
    height = float(np.median([ln.height for ln in lines]))
    # the anchor: the weightiest cue printed once per document (the title, mostly)
    once = [(w, h) for w, h, rate in repeated if rate == 1] or [(w, h) for w, h, _ in repeated]
    anchor = max(once, key=lambda c: c[0])[1] if once else np.zeros(len(lines), bool)
    parts: list[list[int]] = []

    def cut(idx: np.ndarray, k: int) -> None:
        if k < 2 or len(idx) < 2:
            # a part that still prints two titles holds two documents (its labels misread)
            parts.extend(_by_anchor(lines, idx, anchor, colours))
            return
        d = dominant_direction([lines[i] for i in idx])
        candidates = []  # (preference, left, right)
        q = _quarter(lines, idx, d)
        if (q == 0).any() and (q == 1).any():
            candidates.append((np.inf, *_orientation_cut(lines, idx, q), 0))
        for axis in (d, normal(d)):
            start = {i: float((lines[i].quad @ axis).min()) for i in idx}
            first = min(start.values())
            marks = [start[i] for i in idx if anchor[i]]
            offset = min(marks) - first if marks else 0.0
            for width, pos in _gaps(lines, idx, axis, MIN_CUT_GAP * height):
                side = np.array([float(lines[i].center @ axis) < pos for i in idx])
                # documents of one kind print their title at the same place: the part after
                # the cut starts as far before its first title as the first part does
                after = [start[i] for i in idx[~side] if anchor[i]]
                misplaced = abs(min(after) - pos - offset) / height if after else MAX_MISPLACED
                candidates.append((width, idx[side], idx[~side], min(round(misplaced), MAX_MISPLACED)))
        valid = []
        for width, left, right, misplaced in candidates:
            ml, al = _side_count(np.isin(everything, left), repeated)
            mr, ar = _side_count(np.isin(everything, right), repeated)
            if width == np.inf:
                # text reading across the rest is a document of its own when it reads as one
                # (turned labels are often misread; a title is not), never a vertical label
                if not all(classify_text([lines[i].text for i in side], (t,)).type is t for side in (left, right)):
                    continue
                ml, mr, al, ar = max(ml, 1), max(mr, 1), 1.0, 1.0
            if not (ml >= 1 and mr >= 1 and min(al, ar) >= CUT_AGREEMENT):
                continue
            per_l, per_r = len(left) / ml, len(right) / mr
            if max(per_l, per_r) <= MAX_LINES_RATIO * min(per_l, per_r):
                valid.append(((round(min(al, ar), 2), -misplaced, width), left, right, ml, mr))
        if not valid:
            parts.extend(_by_anchor(lines, idx, anchor, colours))
            return
        # the cut that most cues agree on (a title moved to the wrong side disagrees), then
        # the one that leaves the titles where the first document has its title, then the widest
        _, left, right, ml, mr = max(valid, key=lambda c: c[0])
        cut(left, ml)
        cut(right, mr)

    cut(everything, k)
    return sorted(parts)


def _by_anchor(lines: list[TextLine], idx: np.ndarray, anchor: np.ndarray,
               colours: np.ndarray | None) -> list[list[int]]:
    """The lines ``idx`` split around their titles: one document per title (title lines
    close together are one title), each other line with the title it is most cheaply
    tied to."""
    sub = [lines[i] for i in idx]
    rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in sub]
    marks = [k for k, i in enumerate(idx) if anchor[i]]
    titles: list[list[int]] = []
    for k in marks:
        near = [g for g in titles if any(rect_gap(rects[k], rects[j]) < ANCHOR_JOIN * min(sub[k].height, sub[j].height)
                                         for j in g)]
        titles = [g for g in titles if g not in near] + [[k] + [j for g in near for j in g]]
    if len(titles) < 2:
        return [sorted(idx.tolist())]
    paper = colours[idx] if colours is not None else np.zeros((len(idx), 3))
    labels = cheapest_seed(tie_graph(sub, paper), {n: set(g) for n, g in enumerate(titles)})
    groups: dict[int, list[int]] = {}
    for k, lab in enumerate(labels):
        if lab is None:  # cut off from every title: with the nearest line's document
            near = min((j for j, b in enumerate(labels) if b is not None), key=lambda j: rect_gap(rects[k], rects[j]))
            lab = labels[near]
        groups.setdefault(lab, []).append(int(idx[k]))
    return [sorted(g) for g in groups.values()]


def _reach(text_box: np.ndarray, side: int, others: list[np.ndarray], limit: float) -> float:
    """How far side ``side`` of a text box may move out before it meets another part's text."""
    a, b = text_box[side], text_box[(side + 1) % 4]
    e = b - a
    length = float(np.linalg.norm(e))
    if length == 0:
        return limit
    e = e / length
    nrm = np.array([e[1], -e[0]])  # outward for a clockwise box (y down)
    best = limit
    for pts in others:
        along = (pts - a) @ e
        out = (pts - a) @ nrm
        ahead = (along > -0.1 * length) & (along < 1.1 * length) & (out > 0)
        if ahead.any():
            best = min(best, float(out[ahead].min()))
    return best


def part_quads(img: np.ndarray, parts: list[list[TextLine]], margins: tuple[float, float, float, float],
               bound: np.ndarray | None = None) -> list[np.ndarray]:
    """Quads of the documents of a split region: text box to paper edge or usual margin.

    ``margins`` are the type's usual margins (left, top, right, bottom) in line heights;
    ``bound`` the region's own outline, which no part crosses.
    """
    boxes, frames = [], []
    for lns in parts:
        d = dominant_direction(lns)
        boxes.append(_text_box(lns, d, 0.0))
        frames.append((d, float(np.median([ln.height for ln in lns]))))
    out = []
    h_img, w_img = img.shape[:2]
    frame_pts = np.array([[0, 0], [w_img - 1, 0], [w_img - 1, h_img - 1], [0, h_img - 1]], float)
    for k, (box, (d, hgt)) in enumerate(zip(boxes, frames)):
        others = [np.concatenate([ln.quad for ln in parts[j]]) for j in range(len(parts)) if j != k]
        grow = []
        # box sides in order: top (0->1), right (1->2), bottom (2->3), left (3->0); margins are l, t, r, b
        for side, m in zip(range(4), (margins[1], margins[2], margins[3], margins[0])):
            a, b = box[side], box[(side + 1) % 4]
            e = (b - a) / (np.linalg.norm(b - a) or 1.0)
            nrm = np.array([e[1], -e[0]])
            usual = m * hgt
            limit = max(EDGE_SEARCH_REACH * usual, EDGE_SEARCH_MIN * hgt)
            limit = _reach(box, side, others, limit)
            limit = min(limit, _ray_exit(a, b, nrm, frame_pts))
            if bound is not None:
                limit = min(limit, _ray_exit(a, b, nrm, bound))
            found = find_edge(img, a, b, nrm, EDGE_SEARCH_FROM * hgt, limit)
            if found is not None:
                grow.append(found)
            else:
                # no edge seen: the usual margin, but never past half-way to a neighbour
                neighbour = _reach(box, side, others, np.inf)
                grow.append(max(0.0, min(usual, neighbour / 2, limit)))
        n = normal(d)
        u, v = box @ d, box @ n
        top, right, bottom, left = grow
        u0, u1, v0, v1 = u.min() - left, u.max() + right, v.min() - top, v.max() + bottom
        quad = np.array([a_ * d + b_ * n for a_, b_ in [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]])
        out.append(order_quad(quad, d))
    return out


def _ray_exit(a: np.ndarray, b: np.ndarray, nrm: np.ndarray, poly: np.ndarray) -> float:
    """How far the side ``a``-``b`` may move along ``nrm`` before its middle leaves ``poly``
    (infinite when it starts outside)."""
    import cv2

    mid = (a + b) / 2
    P = np.asarray(poly, np.float32)
    if cv2.pointPolygonTest(P, (float(mid[0]), float(mid[1])), False) < 0:
        return np.inf
    best = np.inf
    for k in range(len(poly)):
        p, q = np.asarray(poly[k], float), np.asarray(poly[(k + 1) % len(poly)], float)
        e = q - p
        den = nrm[0] * (-e[1]) + nrm[1] * e[0]
        if abs(den) < 1e-9:
            continue
        r = mid - p
        # mid + s * nrm = p + u * e
        s = (r[0] * e[1] - e[0] * r[1]) / den
        u = (r[0] * nrm[1] - nrm[0] * r[1]) / den
        if s >= 0 and -1e-9 <= u <= 1 + 1e-9:
            best = min(best, float(s))
    return best


def _pools(found: list) -> list[list[int]]:
    """Groups of nearby regions of one type and reading direction, with the untyped
    fragments next to them (a receipt's inner frame, its title line). Regions read
    different ways are never pooled: a receipt turned against its neighbour is another
    receipt, and its own region already tells it apart."""
    from .quadops import axis_gap

    pts = [np.concatenate([r.quad] + [ln.quad for ln in r.lines]) for r, _ in found]
    hgt = [float(np.median([ln.height for ln in r.lines])) if r.lines else 0.0 for r, _ in found]

    def gap(i: int, j: int) -> float:
        return axis_gap(pts[i], pts[j], found[j][0].direction) / max(hgt[i], hgt[j], 1e-6)

    def pooled(i: int, j: int) -> bool:
        ti, tj = found[i][1].type, found[j][1].type
        if (ti is None and tj is None) or (ti is not None and tj is not None and ti != tj):
            return False
        if float(found[i][0].direction @ found[j][0].direction) < CO_ORIENTED_COS:
            return False  # read another way (turned, or upside down): another document
        return gap(i, j) < POOL_GAP

    groups = linked_groups(len(found), pooled)
    # an untyped fragment linking regions of two types goes with its nearest typed region
    pools = []
    for g in groups:
        kinds = {found[i][1].type for i in g} - {None}
        if len(kinds) <= 1:
            pools.append(g)
            continue
        for t in kinds:
            own = [i for i in g if found[i][1].type == t]
            pools.append(own + [i for i in g if found[i][1].type is None
                                and found[min((j for j in g if found[j][1].type is not None),
                                              key=lambda j: gap(i, j))][1].type == t])
    return pools


def regroup(img: np.ndarray, found: list, margins_for, paper_map=None) -> list[Region]:
    """The documents of located regions, with packed documents of one kind split apart.

    Parameters
    ----------
    img : ndarray
        The image.
    found : list of (Region, Classification)
        The located regions, each classified.
    margins_for : callable
        ``margins_for(doc_type)``: the type's usual margins around its text (left, top,
        right, bottom), in line heights.
    paper_map : PaperMap, optional
        For the paper colour around each line (documents of one kind on different paper
        are told apart by it).

    Returns
    -------
    list of Region
        The regions unchanged (in their order) where every pool of nearby same-type
        regions holds one document; otherwise that pool's lines re-cut into one region per
        document (source ``"split"``, in the pool's place), each with the quad of the
        outline that holds it whole, or else its text box grown to its paper's edge.
    """
    replaced: dict[int, list[Region]] = {}
    for pool in _pools(found):
        types = {found[i][1].type for i in pool} - {None}
        if len(types) != 1:
            continue
        t = types.pop()
        regions = [found[i][0] for i in pool]
        lines = [ln for r in regions for ln in r.lines]
        colours = paper_map.colours(lines) if paper_map is not None else None
        groups = split_lines(lines, t, colours)
        if len(groups) < 2:
            continue
        out = replaced[min(pool)] = []
        for i in pool:
            replaced.setdefault(i, [])
        parts = [[lines[i] for i in g] for g in groups]
        quads = part_quads(img, parts, margins_for(t))
        for q, lns in zip(quads, parts):
            ids = {id(ln) for ln in lns}
            for r in regions:
                held = sum(id(ln) in ids for ln in r.lines)
                if (r.source == "outline" and held >= OUTLINE_HOLDS * len(lns) and held == len(r.lines)
                        and iou(r.quad, q) >= OUTLINE_AGREES):
                    q = r.quad
                    break
            d = dominant_direction(lns)
            out.append(Region(order_quad(q, d), lns, d, "split"))
    return [r for i, (region, _) in enumerate(found) for r in replaced.get(i, [region])]
