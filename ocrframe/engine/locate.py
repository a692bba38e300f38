"""Document localisation: every document of an image as a quad, with its text lines.

Two kinds of evidence are combined:

* **image evidence** — the outlines of document-sized regions (edges of a card against its
  background, closed into external contours and fitted with a quadrilateral);
* **text evidence** — the recognised lines, grouped by proximity and reading direction.

Every line is assigned to the outline that contains it; lines outside every outline are
clustered, and each cluster becomes a document whose quad is its lines' oriented box
grown by a margin. A document's orientation is the dominant reading direction of its
lines, and its quad is ordered clockwise from the document's own top-left corner, as the
contract wants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .ocr import TextLine
from .quadops import inside, inside_many, area, axis_gap, normal, overlap_frac
from .ties import linked_groups, rect_gap
# the outlines from the image alone live in their own module; their names stay importable from here
from .outlines import (BORDER_FRAC, EDGE_CLOSE_PX, EDGE_HI_MIN, EDGE_HI_PERCENTILE,  # noqa: F401
                       EDGE_LO_MIN, EDGE_LO_PERCENTILE, EDGE_LO_RATIO, EDGE_NEAR_PX, FG_MIN_DIST, FG_SHARE,
                       FG_SPREAD_MULT, LAB_BLUR_PX, MAX_BORDER_SPREAD, MAX_EDGE_OUTLINE_FRAC, MAX_SIDE_RATIO,
                       MIN_CORNER_DEG, MIN_EDGE_SUPPORT, MIN_OUTLINE_AREA_FRAC, MIN_QUAD_FILL, NECK_PX,
                       NESTED_OVERLAP, OUTLINE_MAX_SIDE, QUAD_EPS, SAME_OUTLINE_IOU, SIDE_SAMPLES, SIDE_SPAN,
                       _edge_support, _foreground_contours, _plausible_quad, _quad_from_contour,
                       find_outlines)

__all__ = ["Region", "find_outlines", "locate", "order_quad", "dominant_direction"]

# ----------------------------------------------------------------------------- parameters
# Chosen on generated scenes (``benchmarks/engine_accuracy.py``) unless said otherwise;
# the outline finder's own are in ``engine.outlines``.

#: lines (or documents) whose reading directions' cosine is at least this read the same
#: way (within about 26 degrees): one document's lines, even in perspective
CO_ORIENTED_COS = 0.9
#: a line votes on the sign of the dominant axis when its direction is within about 45
#: degrees of it
AXIS_VOTE_COS = 0.7

#: an outline holds one document when this share of its text (by length) reads one way
COHERENT_SHARE = 0.7
#: text lines closer than this many line heights (either way) are one cluster
CLUSTER_GAP = 2.5
#: the line height used for gaps is at least this many pixels (tiny print, noise lines)
MIN_GAP_HEIGHT = 8.0
#: groups of at most this many lines are fragments (a logo line, a lone number) ...
FRAGMENT_LINES = 2
#: ... joined to the nearest larger co-oriented group within this many of their line heights
FRAGMENT_REACH = 6.0
#: an outline holding other outlines is a union of documents when they cover this share of
#: its lines
UNION_COVERED = 0.85
#: an inner outline is smaller than this share of the outer one's area ...
UNION_INNER_AREA = 0.8
#: ... lies at least this share inside it ...
UNION_INSIDE = 0.9
#: ... and holds at least this many lines
UNION_MIN_LINES = 3
#: a lone text line shorter than this (characters) outside every document is stray text
STRAY_TEXT_CHARS = 4
#: for documents seen only through their text: margin around it, in line heights
TEXT_MARGIN = 1.5


@dataclass
class Region:
    """A located document: its quad (clockwise from its own top-left), lines and evidence."""

    quad: np.ndarray  # (4, 2) float
    lines: list[TextLine] = field(default_factory=list)
    direction: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0]))
    #: "outline" (image evidence), "text" (a text cluster only), "kind" (one kind's text of a
    #: region holding several), "split" (one of packed documents of a kind), "merged"
    #: (an outline joined by text), "paper" (quad from the paper around the text)
    source: str = "outline"
    #: text read from red stamps on the document (see ``engine.stamps``), not part of ``lines``
    stamp_lines: list[TextLine] = field(default_factory=list)

    def to_doc(self, p: np.ndarray) -> np.ndarray:
        """Points in the document's own frame: x along its reading direction, y down it."""
        d = self.direction
        n = normal(d)
        q = np.asarray(p, float) - self.quad[0]
        return np.stack([q @ d, q @ n], axis=-1)


def _coherent(quad: np.ndarray, lines: list[TextLine], min_share: float = COHERENT_SHARE) -> bool:
    """Whether an outline holds the text of one document: its lines (by length) mostly
    share one reading direction. An outline around several documents turned differently,
    or a blob of a document plus its neighbours, fails."""
    held = [ln for ln in lines if inside(quad, ln.center)]
    if not held:
        return True
    d = dominant_direction(held)
    w = np.array([max(ln.width, 1.0) for ln in held])
    ok = np.array([abs(float(ln.direction @ d)) > CO_ORIENTED_COS for ln in held])
    return bool(w[ok].sum() >= min_share * w.sum())


# ----------------------------------------------------------------------------- geometry

def dominant_direction(lines: list[TextLine]) -> np.ndarray:
    """The reading direction most of the text agrees on (weighted by line length).

    Directions are snapped to the nearest of the four quarter turns relative to the
    length-weighted mean of doubled angles, so a few misread (flipped) lines do not
    tip the result.
    """
    if not lines:
        return np.array([1.0, 0.0])
    ws = np.array([max(ln.width, 1.0) * ln.score for ln in lines])
    ang = np.array([np.arctan2(ln.direction[1], ln.direction[0]) for ln in lines])
    # axis (mod 180) from doubled angles; then the sign by vote
    c, s = (ws * np.cos(2 * ang)).sum(), (ws * np.sin(2 * ang)).sum()
    axis = 0.5 * np.arctan2(s, c)
    a = np.array([np.cos(axis), np.sin(axis)])
    dots = np.array([ln.direction @ a for ln in lines])
    along = np.abs(dots) > AXIS_VOTE_COS
    vote = (ws * np.sign(dots) * along).sum()
    return a if vote >= 0 else -a


def order_quad(quad: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Order 4 corners clockwise (in image terms, y down) starting from the document's top-left.

    ``direction`` is the document's reading direction; the top-left corner is the one
    that is most "up-left" in the document's own frame.

    Examples
    --------
    >>> import numpy as np
    >>> q = np.array([[10, 0], [10, 5], [0, 5], [0, 0]], float)
    >>> order_quad(q, np.array([1.0, 0.0])).tolist()
    [[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [0.0, 5.0]]
    >>> order_quad(q, np.array([-1.0, 0.0])).tolist()  # upside down: starts bottom-right
    [[10.0, 5.0], [0.0, 5.0], [0.0, 0.0], [10.0, 0.0]]
    """
    q = np.asarray(quad, float)
    c = q.mean(axis=0)
    ang = np.arctan2(q[:, 1] - c[1], q[:, 0] - c[0])
    q = q[np.argsort(ang)]  # clockwise on screen (y down) = increasing atan2
    d = direction / (np.linalg.norm(direction) or 1.0)
    n = normal(d)  # "down" in the document frame
    score = (q - c) @ d + (q - c) @ n  # top-left minimises x + y in the doc frame
    k = int(np.argmin(score))
    return np.roll(q, -k, axis=0)


def _text_box(lines: list[TextLine], d: np.ndarray, margin: tuple[float, float, float, float] | float = 0.0) -> np.ndarray:
    """Oriented bounding box of lines in direction ``d``, grown by margins (in line heights)."""
    n = normal(d)
    pts = np.concatenate([ln.quad for ln in lines])
    u, v = pts @ d, pts @ n
    hgt = float(np.median([ln.height for ln in lines]))
    if np.isscalar(margin):
        margin = (margin,) * 4
    l, t, r, b = (m * hgt for m in margin)
    u0, u1, v0, v1 = u.min() - l, u.max() + r, v.min() - t, v.max() + b
    corners = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
    return np.array([a * d + b_ * n for a, b_ in corners])


def _cluster(lines: list[TextLine], gap: float = CLUSTER_GAP) -> list[list[TextLine]]:
    """Single-linkage groups of lines: near each other (in line heights) and co-oriented."""
    rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in lines]

    def near(i: int, j: int) -> bool:
        if abs(float(lines[i].direction @ lines[j].direction)) < CO_ORIENTED_COS:
            return False
        hh = max(min(lines[i].height, lines[j].height), MIN_GAP_HEIGHT)
        return rect_gap(rects[i], rects[j]) < gap * hh

    return [[lines[i] for i in g] for g in linked_groups(len(lines), near)]


def _merge_fragments(groups: list[list[TextLine]], reach: float = FRAGMENT_REACH) -> list[list[TextLine]]:
    """Attach small groups (one or two lines, e.g. a logo line far from a card's number) to
    the nearest larger co-oriented group within ``reach`` line heights."""
    big = [g for g in groups if len(g) > FRAGMENT_LINES]
    small = [g for g in groups if len(g) <= FRAGMENT_LINES]
    if not big:
        return groups
    dirs = [dominant_direction(g) for g in big]
    keep = []
    for g in small:
        dg = dominant_direction(g)
        hg = float(np.median([ln.height for ln in g]))
        best, best_d = None, np.inf
        for k, (b, db) in enumerate(zip(big, dirs)):
            if float(dg @ db) < CO_ORIENTED_COS:
                continue
            gap = axis_gap(np.concatenate([ln.quad for ln in b]), np.concatenate([ln.quad for ln in g]), db)
            if gap < best_d:
                best, best_d = k, gap
        if best is not None and best_d < reach * hg:
            big[best] = big[best] + g
        else:
            keep.append(g)
    return big + keep


# ----------------------------------------------------------------------------- locate

def _drop_unions(outlines: list[np.ndarray], lines: list[TextLine], *, covered: float = UNION_COVERED) -> list[np.ndarray]:
    """Drop outlines that only enclose other documents.

    Documents lying near each other can close into one large quad around them all (their
    edges and a shadow line up). Such an outline holds two or more outlines of its own,
    each with text, and hardly any text outside them, while a real document's text lies
    inside its one outline (an inner frame — a photo, a table — is found inside the
    document only when its outer edge is lost).
    """
    if len(outlines) < 3:
        return outlines
    areas = [area(q) for q in outlines]
    centers = np.array([ln.center for ln in lines]) if lines else np.zeros((0, 2))
    held = [inside_many(q, centers) for q in outlines]
    drop = set()
    for i in sorted(range(len(outlines)), key=lambda k: -areas[k]):
        inner = [j for j in range(len(outlines)) if j != i and j not in drop and areas[j] < UNION_INNER_AREA * areas[i]
                 and overlap_frac(outlines[j], outlines[i]) > UNION_INSIDE]
        # the outermost of them: separate documents, not frames inside frames
        inner = [j for j in inner if not any(k != j and areas[k] > areas[j]
                                             and overlap_frac(outlines[j], outlines[k]) > UNION_INSIDE for k in inner)]
        inner = [j for j in inner if (held[j] & held[i]).sum() >= UNION_MIN_LINES]
        if len(inner) < 2 or not held[i].any():
            continue
        in_inner = np.logical_or.reduce([held[j] for j in inner]) & held[i]
        if in_inner.sum() >= covered * held[i].sum():
            drop.add(i)
    return [q for k, q in enumerate(outlines) if k not in drop]


def locate(img: np.ndarray, lines: list[TextLine], *, text_margin: float = TEXT_MARGIN) -> list[Region]:
    """Find the documents of an image from its outlines and its text lines.

    Parameters
    ----------
    img : ndarray
        The image (``H, W, 3`` uint8).
    lines : list of TextLine
        The image's recognised lines (:func:`ocrframe.engine.ocr.run_ocr`).
    text_margin : float, default TEXT_MARGIN (1.5)
        For documents seen only through their text: the margin around the text, in
        line heights (refined per type after classification).

    Returns
    -------
    list of Region
        One per document that holds text; quads ordered from the document's top-left.
    """
    outlines = _drop_unions([q for q in find_outlines(img, keep_nested=True) if _coherent(q, lines)], lines)
    # a line belongs to the largest coherent outline that contains it (a photo frame or a
    # table border inside a document loses to the document's own edge)
    order = sorted(range(len(outlines)), key=lambda i: -area(outlines[i]))
    assigned: dict[int, list[TextLine]] = {i: [] for i in range(len(outlines))}
    free: list[TextLine] = []
    for ln in lines:
        for i in order:
            if inside(outlines[i], ln.center):
                assigned[i].append(ln)
                break
        else:
            free.append(ln)
    regions: list[Region] = []
    for i, lns in assigned.items():
        if not lns:
            continue
        d = dominant_direction(lns)
        regions.append(Region(order_quad(outlines[i], d), lns, d, "outline"))
    for grp in _merge_fragments(_cluster(free)):
        if len(grp) == 1 and len(grp[0].text) < STRAY_TEXT_CHARS:
            continue  # stray short text on the background
        d = dominant_direction(grp)
        regions.append(Region(order_quad(_text_box(grp, d, text_margin), d), grp, d, "text"))
    return regions
