"""Document quads as arrays: ordering, polygons, area, IoU, overlaps, rectification.

Everything here works on an ``(n, 4, 2)`` float array of quads (``NaN`` rows for
documents without a location) or on the matching 1-D object array of shapely 2
polygons (``None`` for missing). Each operation is one vectorised numpy or shapely
call over the whole array -- there is no Python loop per document or per pair.
The frame-level functions (``polygons``, ``areas``, ``frame_iou``, ``overlaps``) take a
documents frame and rewrap the results with its index; the ``df.ocr`` accessor only
delegates to them.

A module per job: :mod:`.quads` (arrays of quads: order, polygons, area), :mod:`.overlap`
(IoU and overlaps), :mod:`.warp` (rectification), :mod:`.documents` (the frame-level
functions). Import from ``ocrframe.geometry``: every public name is here.

Examples
--------
>>> import numpy as np
>>> q = quads_from_location([[[0, 0], [10, 0], [10, 10], [0, 10]],
...                          [[5, 0], [15, 0], [15, 10], [5, 10]], None])
>>> q.shape
(3, 4, 2)
>>> area(q)
array([100., 100.,  nan])
>>> np.round(iou(q[:1], q[1:2]), 4)
array([0.3333])
>>> iou_matrix(q[:2])
array([[1.        , 0.33333333],
       [0.33333333, 1.        ]])
"""

from __future__ import annotations

from .documents import ON_NOT_GIVEN, areas, frame_iou, image_codes, overlaps, polygons, to_geodataframe  # noqa: F401
from .overlap import (candidate_pairs, iou, iou_matrix, is_convex, overlap_pairs, pair_iou, pairwise_iou,
                      quad_pair_iou)
from .quads import (area, bounds, is_simple, order_vertices, quads_from_location, quads_from_polygons, rotation_angle,
                    to_polygons)
from .warp import rectify

__all__ = [
    "quads_from_location",
    "order_vertices",
    "is_simple",
    "to_polygons",
    "quads_from_polygons",
    "area",
    "bounds",
    "rotation_angle",
    "iou",
    "iou_matrix",
    "candidate_pairs",
    "pair_iou",
    "quad_pair_iou",
    "is_convex",
    "pairwise_iou",
    "overlap_pairs",
    "rectify",
    "polygons",
    "areas",
    "frame_iou",
    "overlaps",
    "image_codes",
    "to_geodataframe",
]
