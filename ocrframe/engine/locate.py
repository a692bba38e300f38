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
from .quadops import inside, inside_many, area, axis_gap, iou, normal, overlap_frac

__all__ = ["Region", "find_outlines", "locate", "order_quad", "dominant_direction"]

# ----------------------------------------------------------------------------- parameters
# Chosen on generated scenes (``benchmarks/engine_accuracy.py``) unless said otherwise;
# pixel sizes are at the outline analysis scale (``OUTLINE_MAX_SIDE``).

#: lines (or documents) whose reading directions' cosine is at least this read the same
#: way (within about 26 degrees): one document's lines, even in perspective
CO_ORIENTED_COS = 0.9
#: a line votes on the sign of the dominant axis when its direction is within about 45
#: degrees of it
AXIS_VOTE_COS = 0.7

#: outlines are found on the image shrunk to this longest side (and scaled back): document
#: edges survive, the cost stays small
OUTLINE_MAX_SIDE = 640
#: outlines smaller than this share of the image are ignored
MIN_OUTLINE_AREA_FRAC = 0.01
#: ``approxPolyDP`` tolerances (shares of the hull's perimeter), tried until 4 corners remain
QUAD_EPS = (0.02, 0.03, 0.045, 0.06)
#: the Lab image is smoothed with a Gaussian of this kernel side (px) before its gradient
LAB_BLUR_PX = 5
#: the strong edge pass: Lab gradient magnitude above this percentile of the image ...
EDGE_HI_PERCENTILE = 90
#: ... and never below this (a plain image has no edges worth following)
EDGE_HI_MIN = 40.0
#: the weak edge pass: this share of the strong threshold, capped by the
#: ``EDGE_LO_PERCENTILE``th percentile and never below ``EDGE_LO_MIN``
EDGE_LO_RATIO = 0.5
EDGE_LO_PERCENTILE = 80
EDGE_LO_MIN = 18.0
#: the closing that joins broken edge runs into contours (square kernel side, px)
EDGE_CLOSE_PX = 5
#: a point on a quad's side "has an edge" when one lies within this window (square side, px)
EDGE_NEAR_PX = 7
#: a contour fills at least this share of its fitted quad (documents are convex)
MIN_QUAD_FILL = 0.80
#: the weakest side of an outline has an edge under at least this share of its points
MIN_EDGE_SUPPORT = 0.6
#: points sampled along each side for the edge support, over this middle stretch of the side
#: (corners are rounded or cut off)
SIDE_SAMPLES = 40
SIDE_SPAN = (0.1, 0.9)
#: an edge contour covering this share of the image is the frame itself, not a document
MAX_EDGE_OUTLINE_FRAC = 0.97
#: with nested outlines kept: two outlines more alike than this IoU are one
SAME_OUTLINE_IOU = 0.9
#: without: an outline lying this share inside a larger one is dropped
NESTED_OVERLAP = 0.5
#: a document in perspective: corners within this many degrees of ... 180 minus it
MIN_CORNER_DEG = 55.0
#: ... and no side longer than this many times the shortest
MAX_SIDE_RATIO = 8.0

#: the background is read from a border ring this share of the shorter side wide
BORDER_FRAC = 0.03
#: the erosion (px) that cuts the thin neck between touching documents on the foreground mask
NECK_PX = 4
#: a border ring spread wider than this (Lab units, median absolute deviation) is a busy
#: background: left to the edges
MAX_BORDER_SPREAD = 12.0
#: foreground: at least this Lab distance from the background colour ...
FG_MIN_DIST = 22.0
#: ... and this many times the border's spread
FG_SPREAD_MULT = 5.0
#: a foreground covering less or more of the image than this is no set of documents (a
#: scan, a speck)
FG_SHARE = (0.02, 0.9)

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


# ----------------------------------------------------------------------------- outlines

def _quad_from_contour(c: np.ndarray) -> tuple[np.ndarray, float]:
    """A 4-point fit of a contour and how well it fills it (contour area / quad area)."""
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in QUAD_EPS:
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float64)
    qa = abs(cv2.contourArea(quad.astype(np.float32)))
    ca = abs(cv2.contourArea(c))
    return quad, (ca / qa if qa > 0 else 0.0)


def find_outlines(img: np.ndarray, *, max_side: int = OUTLINE_MAX_SIDE, min_area_frac: float = MIN_OUTLINE_AREA_FRAC,
                  keep_nested: bool = False) -> list[np.ndarray]:
    """Quadrilateral outlines of document-like regions from edges and colour regions.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 image.
    max_side : int, default OUTLINE_MAX_SIDE (640)
        The image is analysed at this size (the outlines are scaled back).
    min_area_frac : float, default MIN_OUTLINE_AREA_FRAC (0.01)
        Outlines smaller than this share of the image are ignored.
    keep_nested : bool, default False
        Keep outlines lying inside larger ones (only near-duplicates are removed).

    Returns
    -------
    list of ndarray
        ``(4, 2)`` float quads in image coordinates, largest first, not overlapping much.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.full((400, 600, 3), 90, np.uint8); img[100:300, 150:450] = 240
    >>> [q.round().astype(int).tolist() for q in find_outlines(img)]  # doctest: +SKIP
    [[[150, 100], [449, 100], [449, 299], [150, 299]]]
    """
    h, w = img.shape[:2]
    s = min(1.0, max_side / max(h, w))
    small = cv2.resize(img, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else img
    sh, sw = small.shape[:2]
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    lab = cv2.GaussianBlur(lab, (LAB_BLUR_PX, LAB_BLUR_PX), 0)
    # gradient magnitude over the three Lab channels
    mag = np.zeros((sh, sw), np.float32)
    for ch in range(3):
        gx = cv2.Sobel(lab[:, :, ch], cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(lab[:, :, ch], cv2.CV_32F, 0, 1, ksize=3)
        mag = np.maximum(mag, cv2.magnitude(gx, gy))
    out: list[tuple[float, np.ndarray]] = []
    min_area = min_area_frac * sh * sw
    hi = max(EDGE_HI_MIN, float(np.percentile(mag, EDGE_HI_PERCENTILE)))
    lo = max(EDGE_LO_MIN, min(hi * EDGE_LO_RATIO, float(np.percentile(mag, EDGE_LO_PERCENTILE))))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (EDGE_CLOSE_PX, EDGE_CLOSE_PX))

    def keep(contours, near: np.ndarray, max_area: float = np.inf) -> None:
        """Contours that fit a plausible, well-filled quad with edges along every side."""
        for a, c in contours:
            if a < min_area or a > max_area:
                continue
            quad, fill = _quad_from_contour(c)
            if fill >= MIN_QUAD_FILL and _plausible_quad(quad) and _edge_support(quad, near) >= MIN_EDGE_SUPPORT:
                out.append((a, quad / s))

    for thr in (hi, lo):
        edges = (mag > thr).astype(np.uint8) * 255
        near = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (EDGE_NEAR_PX, EDGE_NEAR_PX)))
        edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel)
        cnts, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        keep(((cv2.contourArea(c), c) for c in cnts), near, MAX_EDGE_OUTLINE_FRAC * sh * sw)
    # foreground parts are checked against the lower threshold's edges (the last pass's)
    keep(_foreground_contours(lab), near)
    out.sort(key=lambda t: -t[0])
    kept: list[np.ndarray] = []
    for _, q in out:
        if keep_nested:
            if all(iou(q, k) < SAME_OUTLINE_IOU for k in kept):
                kept.append(q)
        elif all(overlap_frac(q, k) < NESTED_OVERLAP for k in kept):
            kept.append(q)
    return kept


def _foreground_contours(lab: np.ndarray, *, border: float = BORDER_FRAC, neck: int = NECK_PX) -> list[tuple[float, np.ndarray]]:
    """Contours of what stands out from a plain background, touching documents split.

    The background's colour is taken from the image's border. Documents lying side by
    side close into one outline on the edge map (their edges merge across a narrow gap);
    on the foreground mask the gap is a thin neck, which an erosion by ``neck`` pixels
    cuts. Each part is grown back within the mask. Nothing is returned when the border is
    not plain (a busy background is left to the edges) or when the foreground covers the
    image (a scan).
    """
    h, w = lab.shape[:2]
    b = max(2, int(border * min(h, w)))
    ring = np.concatenate([lab[:b].reshape(-1, 3), lab[-b:].reshape(-1, 3),
                           lab[:, :b].reshape(-1, 3), lab[:, -b:].reshape(-1, 3)]).astype(np.float32)
    bg = np.median(ring, axis=0)
    spread = np.median(np.abs(ring - bg), axis=0).max()
    if spread > MAX_BORDER_SPREAD:
        return []
    dist = np.linalg.norm(lab.astype(np.float32) - bg, axis=2)
    fg = (dist > max(FG_MIN_DIST, FG_SPREAD_MULT * spread)).astype(np.uint8)
    if not FG_SHARE[0] < fg.mean() < FG_SHARE[1]:
        return []
    # fill each region's holes (dark print close to a dark background's colour)
    cnts, _ = cv2.findContours(fg, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(fg)
    cv2.drawContours(filled, cnts, -1, 1, thickness=cv2.FILLED)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * neck + 1, 2 * neck + 1))
    n, labels = cv2.connectedComponents(cv2.erode(filled, k))
    out = []
    for i in range(1, n):
        part = cv2.dilate((labels == i).astype(np.uint8), k) & filled
        cs, _ = cv2.findContours(part, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        if cs:
            c = max(cs, key=cv2.contourArea)
            out.append((float(cv2.contourArea(c)), c))
    return out


def _edge_support(quad: np.ndarray, near: np.ndarray, samples: int = SIDE_SAMPLES) -> float:
    """The weakest side's share of points lying on an edge: a quad fitted around two
    documents has a side that crosses the background and finds no edge there."""
    h, w = near.shape[:2]
    worst = 1.0
    for k in range(4):
        a, b = quad[k], quad[(k + 1) % 4]
        t = np.linspace(*SIDE_SPAN, samples)[:, None]
        pts = np.rint(a + t * (b - a)).astype(int)
        ok = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        hit = np.zeros(samples, bool)
        hit[ok] = near[pts[ok, 1], pts[ok, 0]] > 0
        hit[~ok] = True  # a side along the image border: a cut-off document
        worst = min(worst, float(hit.mean()))
    return worst


def _plausible_quad(q: np.ndarray, min_angle: float = MIN_CORNER_DEG) -> bool:
    """A document seen in perspective: convex, corners between ``min_angle`` and 180 minus
    it, no side longer than ``MAX_SIDE_RATIO`` times the shortest."""
    q = np.asarray(q, float)
    if not cv2.isContourConvex(q.astype(np.float32).reshape(-1, 1, 2)):
        return False
    for k in range(4):
        a, b, c = q[k - 1], q[k], q[(k + 1) % 4]
        u, v = a - b, c - b
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        if nu == 0 or nv == 0:
            return False
        ang = np.degrees(np.arccos(np.clip(u @ v / (nu * nv), -1, 1)))
        if not min_angle <= ang <= 180 - min_angle:
            return False
    sides = [np.linalg.norm(q[k] - q[(k + 1) % 4]) for k in range(4)]
    return min(sides) * MAX_SIDE_RATIO >= max(sides)


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
    n = len(lines)
    if n == 0:
        return []
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in lines]
    for i in range(n):
        xi, yi, wi, hi = rects[i]
        for j in range(i + 1, n):
            if abs(float(lines[i].direction @ lines[j].direction)) < CO_ORIENTED_COS:
                continue
            xj, yj, wj, hj = rects[j]
            hh = max(min(lines[i].height, lines[j].height), MIN_GAP_HEIGHT)
            dx = max(0, max(xi, xj) - min(xi + wi, xj + wj))
            dy = max(0, max(yi, yj) - min(yi + hi, yj + hj))
            if max(dx, dy) < gap * hh:
                parent[find(i)] = find(j)
    groups: dict[int, list[TextLine]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(lines[i])
    return list(groups.values())


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
