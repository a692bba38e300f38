"""The engine's quad geometry in one place: point in quad, overlap, IoU, gaps, the document frame.

Localisation (``locate``) and the pipeline's region handling (duplicates, merged parts)
ask the same geometric questions; they ask them here. Areas and intersections come from
:func:`ocrframe.geometry.quad_pair_iou` (exact convex clipping, vectorised), so the engine
and the evaluation measure overlap the same way.

Examples
--------
>>> import numpy as np
>>> a = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], float)
>>> b = a + [5, 0]
>>> round(iou(a, b), 4), round(overlap_frac(a, b), 2)
(0.3333, 0.5)
>>> inside(a, (5, 5)), inside(a, (15, 5))
(True, False)
>>> normal(np.array([1.0, 0.0])).tolist()  # "down" in the document's own frame
[-0.0, 1.0]
"""

from __future__ import annotations

import cv2
import numpy as np

from ..geometry import quad_pair_iou

__all__ = ["inside", "inside_many", "area", "iou", "overlap_frac", "normal", "axis_gap"]


def normal(d: np.ndarray) -> np.ndarray:
    """The document's "down" for the reading direction ``d`` (image coordinates, y down)."""
    return np.array([-d[1], d[0]])


def inside(quad: np.ndarray, pt) -> bool:
    """Whether a point lies in (or on) a quad."""
    return cv2.pointPolygonTest(np.asarray(quad, np.float32), (float(pt[0]), float(pt[1])), False) >= 0


def inside_many(quad: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """:func:`inside` for an ``(n, 2)`` array of points: a boolean ``(n,)`` array.

    Examples
    --------
    >>> sq = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], float)
    >>> inside_many(sq, np.array([[1, 1], [5, 5], [4, 2]])).tolist()
    [True, False, True]
    """
    poly = np.asarray(quad, np.float32)
    return np.array([cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0 for x, y in np.asarray(pts)],
                    bool).reshape(len(pts))


def area(quad: np.ndarray) -> float:
    """The area of a quad (any vertex order that is a simple polygon)."""
    return abs(float(cv2.contourArea(np.asarray(quad, np.float32))))


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """IoU and intersection area of two quads."""
    i, inter = quad_pair_iou(np.asarray(a, float)[None], np.asarray(b, float)[None])
    return float(i[0]), float(inter[0])


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two quads."""
    return _pair(a, b)[0]


def overlap_frac(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection area over the smaller of the two areas (1: one lies inside the other)."""
    m = min(area(a), area(b))
    return _pair(a, b)[1] / m if m > 0 else 0.0


def axis_gap(pa: np.ndarray, pb: np.ndarray, d: np.ndarray) -> float:
    """The gap between two point sets' extents along ``d`` or across it, whichever is larger
    (0 when the extents overlap both ways).

    Examples
    --------
    >>> pa = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], float)
    >>> axis_gap(pa, pa + [14, 1], np.array([1.0, 0.0]))
    4.0
    """
    g = 0.0
    for ax in (d, normal(d)):
        a, b = pa @ ax, pb @ ax
        g = max(g, float(b.min() - a.max()), float(a.min() - b.max()))
    return g
