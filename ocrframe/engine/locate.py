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

__all__ = ["Region", "find_outlines", "locate", "order_quad", "dominant_direction"]


@dataclass
class Region:
    """A located document: its quad (clockwise from its own top-left), lines and evidence."""

    quad: np.ndarray  # (4, 2) float
    lines: list[TextLine] = field(default_factory=list)
    direction: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0]))
    source: str = "outline"  # "outline" (image evidence) or "text" (text cluster only)
    #: text read from red stamps on the document (see ``engine.stamps``), not part of ``lines``
    stamp_lines: list[TextLine] = field(default_factory=list)

    def to_doc(self, p: np.ndarray) -> np.ndarray:
        """Points in the document's own frame: x along its reading direction, y down it."""
        d = self.direction
        n = np.array([-d[1], d[0]])
        q = np.asarray(p, float) - self.quad[0]
        return np.stack([q @ d, q @ n], axis=-1)


# ----------------------------------------------------------------------------- outlines

def _quad_from_contour(c: np.ndarray) -> tuple[np.ndarray, float]:
    """A 4-point fit of a contour and how well it fills it (contour area / quad area)."""
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.02, 0.03, 0.045, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float64)
    qa = abs(cv2.contourArea(quad.astype(np.float32)))
    ca = abs(cv2.contourArea(c))
    return quad, (ca / qa if qa > 0 else 0.0)


def find_outlines(img: np.ndarray, *, max_side: int = 640, min_area_frac: float = 0.01,
                  keep_nested: bool = False) -> list[np.ndarray]:
    """Quadrilateral outlines of document-like regions from edges and colour regions.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 image.
    max_side : int, default 640
        The image is analysed at this size (the outlines are scaled back).
    min_area_frac : float, default 0.01
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
    lab = cv2.GaussianBlur(lab, (5, 5), 0)
    # gradient magnitude over the three Lab channels
    mag = np.zeros((sh, sw), np.float32)
    for ch in range(3):
        gx = cv2.Sobel(lab[:, :, ch], cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(lab[:, :, ch], cv2.CV_32F, 0, 1, ksize=3)
        mag = np.maximum(mag, cv2.magnitude(gx, gy))
    out: list[tuple[float, np.ndarray]] = []
    min_area = min_area_frac * sh * sw
    hi = max(40.0, float(np.percentile(mag, 90)))
    lo = max(18.0, min(hi * 0.5, float(np.percentile(mag, 80))))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))

    def keep(contours, near: np.ndarray, max_area: float = np.inf) -> None:
        """Contours that fit a plausible, well-filled quad with edges along every side."""
        for a, c in contours:
            if a < min_area or a > max_area:
                continue
            quad, fill = _quad_from_contour(c)
            if fill >= 0.80 and _plausible_quad(quad) and _edge_support(quad, near) >= 0.6:
                out.append((a, quad / s))

    for thr in (hi, lo):
        edges = (mag > thr).astype(np.uint8) * 255
        near = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
        edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel)
        cnts, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        keep(((cv2.contourArea(c), c) for c in cnts), near, 0.97 * sh * sw)
    # foreground parts are checked against the lower threshold's edges (the last pass's)
    keep(_foreground_contours(lab), near)
    out.sort(key=lambda t: -t[0])
    kept: list[np.ndarray] = []
    for _, q in out:
        if keep_nested:
            if all(_iou_quads(q, k) < 0.9 for k in kept):
                kept.append(q)
        elif all(_overlap_frac(q, k) < 0.5 for k in kept):
            kept.append(q)
    return kept


def _foreground_contours(lab: np.ndarray, *, border: float = 0.03, neck: int = 4) -> list[tuple[float, np.ndarray]]:
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
    if spread > 12:
        return []
    dist = np.linalg.norm(lab.astype(np.float32) - bg, axis=2)
    fg = (dist > max(22.0, 5.0 * spread)).astype(np.uint8)
    if not 0.02 < fg.mean() < 0.9:
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


def _edge_support(quad: np.ndarray, near: np.ndarray, samples: int = 40) -> float:
    """The weakest side's share of points lying on an edge: a quad fitted around two
    documents has a side that crosses the background and finds no edge there."""
    h, w = near.shape[:2]
    worst = 1.0
    for k in range(4):
        a, b = quad[k], quad[(k + 1) % 4]
        t = np.linspace(0.1, 0.9, samples)[:, None]
        pts = np.rint(a + t * (b - a)).astype(int)
        ok = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        hit = np.zeros(samples, bool)
        hit[ok] = near[pts[ok, 1], pts[ok, 0]] > 0
        hit[~ok] = True  # a side along the image border: a cut-off document
        worst = min(worst, float(hit.mean()))
    return worst


def _plausible_quad(q: np.ndarray, min_angle: float = 55.0) -> bool:
    """A document seen in perspective: convex, corners between 55 and 125 degrees,
    sides not thinner than 1:8."""
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
    return min(sides) * 8 >= max(sides)


def _iou_quads(a: np.ndarray, b: np.ndarray) -> float:
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    ua = abs(cv2.contourArea(a.astype(np.float32))) + abs(cv2.contourArea(b.astype(np.float32))) - inter
    return float(inter / ua) if ua > 0 else 0.0


def _coherent(quad: np.ndarray, lines: list[TextLine], min_share: float = 0.7) -> bool:
    """Whether an outline holds the text of one document: its lines (by length) mostly
    share one reading direction. An outline around several documents turned differently,
    or a blob of a document plus its neighbours, fails."""
    inside = [ln for ln in lines if _inside(quad, ln.center)]
    if not inside:
        return True
    d = dominant_direction(inside)
    w = np.array([max(ln.width, 1.0) for ln in inside])
    ok = np.array([abs(float(ln.direction @ d)) > 0.9 for ln in inside])
    return bool(w[ok].sum() >= min_share * w.sum())


def _overlap_frac(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection area over the smaller area of two convex quads."""
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    sa = abs(cv2.contourArea(a.astype(np.float32)))
    sb = abs(cv2.contourArea(b.astype(np.float32)))
    m = min(sa, sb)
    return float(inter / m) if m > 0 else 0.0


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
    along = np.abs(dots) > 0.7
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
    n = np.array([-d[1], d[0]])  # "down" in the document frame
    score = (q - c) @ d + (q - c) @ n  # top-left minimises x + y in the doc frame
    k = int(np.argmin(score))
    return np.roll(q, -k, axis=0)


def _inside(quad: np.ndarray, pt: np.ndarray) -> bool:
    return cv2.pointPolygonTest(quad.astype(np.float32), (float(pt[0]), float(pt[1])), False) >= 0


def _text_box(lines: list[TextLine], d: np.ndarray, margin: tuple[float, float, float, float] | float = 0.0) -> np.ndarray:
    """Oriented bounding box of lines in direction ``d``, grown by margins (in line heights)."""
    n = np.array([-d[1], d[0]])
    pts = np.concatenate([ln.quad for ln in lines])
    u, v = pts @ d, pts @ n
    hgt = float(np.median([ln.height for ln in lines]))
    if np.isscalar(margin):
        margin = (margin,) * 4
    l, t, r, b = (m * hgt for m in margin)
    u0, u1, v0, v1 = u.min() - l, u.max() + r, v.min() - t, v.max() + b
    corners = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
    return np.array([a * d + b_ * n for a, b_ in corners])


def _cluster(lines: list[TextLine], gap: float = 2.5) -> list[list[TextLine]]:
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
            if abs(float(lines[i].direction @ lines[j].direction)) < 0.8:
                continue
            xj, yj, wj, hj = rects[j]
            hh = max(min(lines[i].height, lines[j].height), 8.0)
            dx = max(0, max(xi, xj) - min(xi + wi, xj + wj))
            dy = max(0, max(yi, yj) - min(yi + hi, yj + hj))
            if max(dx, dy) < gap * hh:
                parent[find(i)] = find(j)
    groups: dict[int, list[TextLine]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(lines[i])
    return list(groups.values())


def _merge_fragments(groups: list[list[TextLine]], reach: float = 6.0) -> list[list[TextLine]]:
    """Attach small groups (one or two lines, e.g. a logo line far from a card's number) to
    the nearest larger co-oriented group within ``reach`` line heights."""
    big = [g for g in groups if len(g) > 2]
    small = [g for g in groups if len(g) <= 2]
    if not big:
        return groups
    dirs = [dominant_direction(g) for g in big]
    keep = []
    for g in small:
        dg = dominant_direction(g)
        hg = float(np.median([ln.height for ln in g]))
        best, best_d = None, np.inf
        for k, (b, db) in enumerate(zip(big, dirs)):
            if float(dg @ db) < 0.9:
                continue
            n = np.array([-db[1], db[0]])
            pb = np.concatenate([ln.quad for ln in b])
            pg = np.concatenate([ln.quad for ln in g])
            gap = 0.0
            for axis in (db, n):
                a0, a1 = (pb @ axis).min(), (pb @ axis).max()
                b0, b1 = (pg @ axis).min(), (pg @ axis).max()
                gap = max(gap, b0 - a1, a0 - b1)
            if gap < best_d:
                best, best_d = k, gap
        if best is not None and best_d < reach * hg:
            big[best] = big[best] + g
        else:
            keep.append(g)
    return big + keep


# ----------------------------------------------------------------------------- locate

def _drop_unions(outlines: list[np.ndarray], lines: list[TextLine], *, covered: float = 0.85) -> list[np.ndarray]:
    """Drop outlines that only enclose other documents.

    Documents lying near each other can close into one large quad around them all (their
    edges and a shadow line up). Such an outline holds two or more outlines of its own,
    each with text, and hardly any text outside them, while a real document's text lies
    inside its one outline (an inner frame — a photo, a table — is found inside the
    document only when its outer edge is lost).
    """
    if len(outlines) < 3:
        return outlines
    area = [abs(cv2.contourArea(q.astype(np.float32))) for q in outlines]
    centers = np.array([ln.center for ln in lines]) if lines else np.zeros((0, 2))

    def holds(q):
        return np.array([_inside(q, c) for c in centers], bool) if len(centers) else np.zeros(0, bool)

    inside = [holds(q) for q in outlines]
    drop = set()
    for i in sorted(range(len(outlines)), key=lambda k: -area[k]):
        inner = [j for j in range(len(outlines)) if j != i and j not in drop and area[j] < 0.8 * area[i]
                 and _overlap_frac(outlines[j], outlines[i]) > 0.9]
        # the outermost of them: separate documents, not frames inside frames
        inner = [j for j in inner if not any(k != j and area[k] > area[j] and _overlap_frac(outlines[j], outlines[k]) > 0.9
                                             for k in inner)]
        inner = [j for j in inner if (inside[j] & inside[i]).sum() >= 3]
        if len(inner) < 2 or not inside[i].any():
            continue
        in_inner = np.logical_or.reduce([inside[j] for j in inner]) & inside[i]
        if in_inner.sum() >= covered * inside[i].sum():
            drop.add(i)
    return [q for k, q in enumerate(outlines) if k not in drop]


def locate(img: np.ndarray, lines: list[TextLine], *, text_margin: float = 1.5) -> list[Region]:
    """Find the documents of an image from its outlines and its text lines.

    Parameters
    ----------
    img : ndarray
        The image (``H, W, 3`` uint8).
    lines : list of TextLine
        The image's recognised lines (:func:`ocrframe.engine.ocr.run_ocr`).
    text_margin : float, default 1.5
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
    order = sorted(range(len(outlines)), key=lambda i: -abs(cv2.contourArea(outlines[i].astype(np.float32))))
    assigned: dict[int, list[TextLine]] = {i: [] for i in range(len(outlines))}
    free: list[TextLine] = []
    for ln in lines:
        for i in order:
            if _inside(outlines[i], ln.center):
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
        if len(grp) == 1 and len(grp[0].text) < 4:
            continue  # stray short text on the background
        d = dominant_direction(grp)
        regions.append(Region(order_quad(_text_box(grp, d, text_margin), d), grp, d, "text"))
    return regions
