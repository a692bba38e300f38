"""Document outlines from the image alone: quadrilaterals fitted to the edges of
document-sized regions (Lab gradient, two edge thresholds) and to what stands out from a
plain background (touching documents split at their neck), each checked for a plausible
shape, a good fill and edges along every side.

Split from :mod:`ocrframe.engine.locate` (which re-exports these names); locate assigns the
text lines to the outlines found here.
"""

from __future__ import annotations

import cv2
import numpy as np

from .quadops import iou, overlap_frac

__all__ = ["find_outlines", "OUTLINE_MAX_SIDE", "MIN_OUTLINE_AREA_FRAC"]

# ----------------------------------------------------------------------------- parameters
# Chosen on generated scenes (``benchmarks/engine_accuracy.py``) unless said otherwise;
# pixel sizes are at the outline analysis scale (``OUTLINE_MAX_SIDE``).

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
