"""A document's quad from the paper its text is printed on.

Print sits on paper of one colour. Grown from the text outwards, the pixels of that
colour (the print filled in) make up the document: a card on a dark, textured table
stays a card however many straight streaks the table has, a card lying on an invoice is
the red or blue area around its own text, and an invoice partly under that card is the
white area around its text, whose convex hull completes the hidden corner. The result is
trusted only when the paper stands apart from its surroundings: a white receipt on a
white sheet runs on into the sheet, and then there is no paper quad (see
:mod:`ocrframe.engine.edges` for faint edges).

Examples
--------
>>> import numpy as np
>>> from ocrframe.engine.ocr import TextLine
>>> img = np.full((600, 800, 3), 45, np.uint8)           # a dark table
>>> img[150:450, 200:640] = (214, 226, 238)              # a light blue card
>>> img[::40, :] = 120                                   # the table's grain, across the card too
>>> def line(x, y, w):
...     img[y + 4:y + 16, x:x + w] = 30
...     return TextLine(np.array([[x, y], [x + w, y], [x + w, y + 20], [x, y + 20]], float), "x", 0.9,
...                     np.array([1.0, 0.0]))
>>> lines = [line(240, 190 + 50 * i, 300) for i in range(4)]
>>> q = PaperMap(img).quad(lines)
>>> np.round(q).astype(int).min(0).tolist(), np.round(q).astype(int).max(0).tolist()
([200, 150], [639, 449])
"""

from __future__ import annotations

import cv2
import numpy as np

from .locate import _text_box, dominant_direction
from .ocr import TextLine
from .outlines import _plausible_quad, _quad_from_contour
from .quadops import area, inside_many

__all__ = ["PaperMap"]

#: the paper is looked for on the image shrunk to this longest side
PAPER_MAX_SIDE = 800
#: around the text box, this share of its size (and at least ``WINDOW_MIN_LINES`` line
#: heights) is searched on every side; paper reaching the window's edge runs on into its
#: surroundings and gives no quad
WINDOW_GROW = 0.6
WINDOW_MIN_LINES = 6.0
#: paper cut off by the image's edge on this many sides is no document's paper
MAX_CUT_SIDES = 3
#: the paper's colour is sampled this many line heights outside each line's box
RING = 0.45
RING_SAMPLES = 16
#: a pixel is paper within this Lab distance of the paper's colour (at least), or this
#: many times the spread of the samples
PAPER_TOL = 14.0
PAPER_TOL_SPREAD = 3.0
#: print is filled in (and thin bridges to neighbouring print cut) by a closing (and an
#: opening) this many line heights wide
FILL_LINES = 1.0
#: the paper fills at least this share of its fitted quad (less where another document
#: covers part of it) ...
MIN_PAPER_FILL = 0.7
#: ... which holds at least this share of the text box
MIN_TEXT_HELD = 0.9


class PaperMap:
    """The image, prepared once for finding the paper around several documents' text."""

    def __init__(self, img: np.ndarray):
        h, w = img.shape[:2]
        self.scale = min(1.0, PAPER_MAX_SIDE / max(h, w))
        small = cv2.resize(img, (max(1, round(w * self.scale)), max(1, round(h * self.scale))),
                           interpolation=cv2.INTER_AREA) if self.scale < 1 else img
        self.lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)

    def _ring(self, lines: list[TextLine]) -> np.ndarray:
        """Lab colours sampled around each line's box: ``(len(lines), RING_SAMPLES, 3)``."""
        pts = []
        for ln in lines:
            q = ln.quad * self.scale
            c = q.mean(axis=0)
            grow = RING * ln.height * self.scale
            for k in range(4):
                a, b = q[k], q[(k + 1) % 4]
                for s in np.linspace(0, 1, RING_SAMPLES // 4, endpoint=False):
                    p = a + s * (b - a)
                    v = p - c
                    n = np.linalg.norm(v)
                    pts.append(p + v / n * grow if n > 0 else p)
        pts = np.asarray(pts, np.float32)
        vals = cv2.remap(self.lab, pts[:, 0].reshape(1, -1), pts[:, 1].reshape(1, -1), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
        return vals.reshape(len(lines), -1, 3)

    def colours(self, lines: list[TextLine]) -> np.ndarray:
        """Each line's paper colour (Lab): the median around its box, ``(len(lines), 3)``."""
        return np.median(self._ring(lines), axis=1)

    def region(self, lines: list[TextLine]) -> tuple[np.ndarray, tuple[int, int]] | None:
        """The paper these lines are printed on, as a mask (print filled in) of a window
        around their text and the window's top-left corner (at the working scale), or None
        when the paper runs on into its surroundings.

        The paper's colour is the one most lines agree on, so a few lines of another
        document lying next to these do not change it.
        """
        if not lines:
            return None
        s = self.scale
        d = dominant_direction(lines)
        box = _text_box(lines, d, 0.0) * s
        hgt = float(np.median([ln.height for ln in lines])) * s
        H, W = self.lab.shape[:2]
        span = box.max(0) - box.min(0)
        grow = np.maximum(WINDOW_GROW * span, WINDOW_MIN_LINES * hgt)
        lo = np.floor(box.min(0) - grow).astype(int)
        hi = np.ceil(box.max(0) + grow).astype(int)
        x0, y0 = max(0, lo[0]), max(0, lo[1])
        x1, y1 = min(W, hi[0]), min(H, hi[1])
        if x1 - x0 < 8 or y1 - y0 < 8:
            return None
        ring = self._ring(lines)
        per_line = np.median(ring, axis=1)
        near = np.linalg.norm(per_line[:, None] - per_line[None], axis=2) < PAPER_TOL
        agree = near[int(np.argmax(near.sum(axis=1)))]
        samples = ring[agree].reshape(-1, 3)
        paper = np.median(samples, axis=0)
        spread = float(np.median(np.linalg.norm(samples - paper, axis=1)))
        tol = max(PAPER_TOL, PAPER_TOL_SPREAD * spread)
        win = self.lab[y0:y1, x0:x1]
        mask = (np.linalg.norm(win - paper, axis=2) < tol).astype(np.uint8)
        k = max(3, int(round(FILL_LINES * hgt)) | 1)
        disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
        # print filled in; then thin bridges cut (anti-aliased print of a neighbour can
        # match a pale paper's colour along a line of text)
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, disk)
        mask = cv2.morphologyEx(closed, cv2.MORPH_OPEN, disk)
        n, labels = cv2.connectedComponents(mask, connectivity=4)
        core = np.zeros_like(mask)
        for ln in (ln for ln, a in zip(lines, agree) if a):
            cv2.fillConvexPoly(core, np.round(ln.quad * s - [x0, y0]).astype(np.int32), 1)
        core = cv2.dilate(core, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        hit = np.bincount(labels[core > 0].ravel(), minlength=n)
        hit[0] = 0
        if hit.max() == 0:
            return None
        keep = hit >= 0.2 * hit.max()
        # the opening rounded the corners: they come back from the closed mask
        region = closed & cv2.dilate(keep[labels].astype(np.uint8), disk)
        ys, xs = np.nonzero(region)
        # paper reaching into the window's edge runs on into its surroundings: no quad;
        # where the window ends at the image's edge, a document may be cut off there, but
        # not on three sides (that is the background, or a scan: no edge to find)
        touches = [xs.min() == 0, ys.min() == 0, xs.max() == x1 - x0 - 1, ys.max() == y1 - y0 - 1]
        at_image = [x0 == 0, y0 == 0, x1 == W, y1 == H]
        if any(t and not e for t, e in zip(touches, at_image)) or sum(touches) >= MAX_CUT_SIDES:
            return None
        return region, (x0, y0)

    def on(self, lines: list[TextLine], region: tuple[np.ndarray, tuple[int, int]]) -> np.ndarray:
        """The share of each line's surroundings that lies on the paper ``region``."""
        mask, (x0, y0) = region
        ring = []
        for ln in lines:
            q = ln.quad * self.scale
            c = q.mean(axis=0)
            grow = RING * ln.height * self.scale
            pts = [a + (a - c) / (np.linalg.norm(a - c) or 1.0) * grow for a in q]
            pts += [(q[k] + q[(k + 1) % 4]) / 2 for k in range(4)]
            ring.append(pts)
        pts = np.round(np.asarray(ring) - [x0, y0]).astype(int)
        h, w = mask.shape
        ok = (pts[..., 0] >= 0) & (pts[..., 0] < w) & (pts[..., 1] >= 0) & (pts[..., 1] < h)
        vals = np.zeros(pts.shape[:2], bool)
        vals[ok] = mask[pts[ok][:, 1], pts[ok][:, 0]] > 0
        return vals.mean(axis=1)

    def quad(self, lines: list[TextLine]) -> np.ndarray | None:
        """The quad of the paper these lines are printed on (image coordinates), or None
        when that paper does not stand apart from its surroundings.

        The quad is the convex hull of the paper's area (print filled in) fitted with four
        corners, so a corner hidden under another document is completed.
        """
        found = self.region(lines)
        if found is None:
            return None
        region, (x0, y0) = found
        cnts, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(np.concatenate(cnts))
        quad, _ = _quad_from_contour(hull)
        if not _plausible_quad(quad):
            return None
        if float(region.sum()) < MIN_PAPER_FILL * area(quad):
            return None
        quad = (quad + [x0, y0]) / self.scale
        text = _text_box(lines, dominant_direction(lines), 0.0)
        if inside_many(quad, text).sum() < 4 and not _holds(quad, text):
            return None
        return quad


def _holds(quad: np.ndarray, box: np.ndarray) -> bool:
    """Whether ``quad`` holds at least ``MIN_TEXT_HELD`` of the box's area."""
    from .quadops import overlap_frac

    return area(box) > 0 and overlap_frac(box, quad) * min(area(box), area(quad)) >= MIN_TEXT_HELD * area(box)
