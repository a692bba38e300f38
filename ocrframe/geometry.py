"""Document quads as arrays: ordering, polygons, area, IoU, overlaps, rectification.

Everything here works on an ``(n, 4, 2)`` float array of quads (``NaN`` rows for
documents without a location) or on the matching 1-D object array of shapely 2
polygons (``None`` for missing). Each operation is one vectorised numpy or shapely
call over the whole array -- there is no Python loop per document or per pair.
The frame-level functions at the bottom (``polygons``, ``area``, ``iou``,
``overlaps``) take a documents frame and rewrap the results with its index; the
``df.ocr`` accessor only delegates to them.

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

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Sequence

import numpy as np
import pandas as pd

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


def _shapely():
    try:
        import shapely
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError("ocrframe.geometry needs shapely>=2: pip install 'ocrframe[geo]'") from None
    return shapely


# --------------------------------------------------------------------------- quads


def quads_from_location(locations: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Validate locations (4 ``[x, y]`` points each, or None) into an ``(n, 4, 2)`` array.

    Parameters
    ----------
    locations : sequence of 4x2 lists, None, or an (n, 4, 2) array
        A documents frame's ``location`` column, for instance.

    Returns
    -------
    ndarray of float64, shape (n, 4, 2)
        Rows of ``NaN`` where the location is missing.

    Raises
    ------
    ValueError
        Naming the first offending row when a location is not 4 finite points.

    Examples
    --------
    >>> quads_from_location([[[0, 0], [2, 0], [2, 1], [0, 1]], None])[:, 0]
    array([[ 0.,  0.],
           [nan, nan]])
    >>> quads_from_location([[[0, 0], [1, 1]]])
    Traceback (most recent call last):
    ...
    ValueError: location[0]: expected 4 [x, y] points, got [[0, 0], [1, 1]]
    """
    if isinstance(locations, np.ndarray) and locations.dtype != object:
        arr = np.asarray(locations, dtype=np.float64)
        if arr.ndim != 3 or arr.shape[1:] != (4, 2):
            raise ValueError(f"quads: expected shape (n, 4, 2), got {arr.shape}")
        return arr
    locs = list(locations)
    n = len(locs)
    out = np.full((n, 4, 2), np.nan)
    present = [i for i, v in enumerate(locs) if v is not None and not (isinstance(v, float) and np.isnan(v))]
    if not present:
        return out
    sub = [locs[i] for i in present] if len(present) < n else locs
    block = _fast_block(sub)
    if block is None:  # find the culprit for the message (slow path, errors only)
        for i in present:
            try:
                a = np.asarray(locs[i], dtype=np.float64)
            except (ValueError, TypeError):
                a = None
            if a is None or a.shape != (4, 2):
                raise ValueError(f"location[{i}]: expected 4 [x, y] points, got {locs[i]!r}")
        block = np.asarray(sub, dtype=np.float64)
    bad = ~np.isfinite(block).all(axis=(1, 2))
    if bad.any():
        i = present[int(np.flatnonzero(bad)[0])]
        raise ValueError(f"location[{i}]: expected finite numbers, got {locs[i]!r}")
    out[np.asarray(present)] = block
    return out


def _fast_block(locs: list) -> np.ndarray | None:
    """``(n, 4, 2)`` from nested lists without numpy's slow nested-sequence path; None
    when the shapes or values are off."""
    from itertools import chain

    try:
        if set(map(len, locs)) != {4}:
            return None
        pts = list(chain.from_iterable(locs))
        if set(map(len, pts)) != {2}:
            return None
        return np.fromiter(chain.from_iterable(pts), dtype=np.float64, count=8 * len(locs)).reshape(-1, 4, 2)
    except (TypeError, ValueError):
        return None


def order_vertices(quads: np.ndarray) -> np.ndarray:
    """Reorder each quad clockwise (on screen, y down) starting from its top-left vertex.

    Vertices are sorted by angle around the centroid, which also untangles a
    self-intersecting ("bow-tie") vertex order of a convex quad; the start is the
    vertex with the smallest ``x + y`` (ties: the earlier one clockwise). The result does
    not depend on the order the vertices came in.

    Examples
    --------
    >>> order_vertices(np.array([[[10, 10], [0, 0], [0, 10], [10, 0]]], float))[0].tolist()
    [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]
    """
    q = np.asarray(quads, dtype=np.float64)
    c = q.mean(axis=1, keepdims=True)
    d = q - c
    ang = np.arctan2(d[..., 1], d[..., 0])  # y down: increasing angle is clockwise on screen
    # break exact angle ties (duplicate points) by distance so the order is a function of the set
    order = np.lexsort((np.hypot(d[..., 0], d[..., 1]), ang), axis=-1)
    s = np.take_along_axis(q, order[..., None], axis=1)
    key = np.round(s[..., 0] + s[..., 1], 9)
    start = np.argmin(np.where(np.isnan(key), np.inf, key), axis=1)
    idx = (start[:, None] + np.arange(4)) % 4
    return np.take_along_axis(s, idx[..., None], axis=1)


def _shoelace(q: np.ndarray) -> np.ndarray:
    q = q - q.mean(axis=-2, keepdims=True)  # centred: no cancellation far from the origin
    x, y = q[..., 0], q[..., 1]
    return 0.5 * (x * np.roll(y, -1, axis=-1) - np.roll(x, -1, axis=-1) * y).sum(axis=-1)


def is_simple(quads: np.ndarray) -> np.ndarray:
    """Whether each quad, in the given vertex order, is a simple polygon of non-zero area.

    A bow-tie order (edges crossing) or collinear points give False; NaN rows give False.

    Examples
    --------
    >>> is_simple(np.array([[[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [1, 1], [1, 0], [0, 1]]], float))
    array([ True, False])
    """
    q = np.asarray(quads, dtype=np.float64)

    def cross(o, a, b):
        return (a[..., 0] - o[..., 0]) * (b[..., 1] - o[..., 1]) - (a[..., 1] - o[..., 1]) * (b[..., 0] - o[..., 0])

    p0, p1, p2, p3 = q[:, 0], q[:, 1], q[:, 2], q[:, 3]

    def crosses(a, b, c, d):  # proper crossing of segments ab and cd
        return (np.sign(cross(a, b, c)) * np.sign(cross(a, b, d)) < 0) & (np.sign(cross(c, d, a)) * np.sign(cross(c, d, b)) < 0)

    tangled = crosses(p0, p1, p2, p3) | crosses(p1, p2, p3, p0)
    a = _shoelace(q)
    return np.isfinite(a) & (np.abs(a) > 0) & ~tangled


def to_polygons(quads: np.ndarray, *, repair: bool = True) -> np.ndarray:
    """Shapely polygons for quads (``None`` for NaN rows).

    Parameters
    ----------
    quads : ndarray, shape (n, 4, 2)
    repair : bool, default True
        Reorder vertices with :func:`order_vertices` (fixes bow-tie orders) and run
        ``shapely.make_valid`` on what is still invalid (degenerate quads become
        lines or points, whose area is 0). Without repair, invalid quads stay
        invalid and set operations on them may raise.

    Returns
    -------
    ndarray of object (shapely geometries or None)
    """
    shapely = _shapely()
    q = np.asarray(quads, dtype=np.float64)
    out = np.full(len(q), None, dtype=object)
    have = np.isfinite(q).all(axis=(1, 2))
    if not have.any():
        return out
    qq = order_vertices(q[have]) if repair else q[have]
    polys = shapely.polygons(qq)
    if repair:
        # after ordering, only degenerate quads (zero area, repeated points) can be invalid
        bad = np.abs(_shoelace(qq)) <= 1e-12 * np.maximum(1.0, np.abs(qq).max(axis=(1, 2)) ** 2)
        if bad.any():
            polys[bad] = shapely.make_valid(polys[bad])
    out[have] = polys
    return out


def quads_from_polygons(geoms: np.ndarray) -> np.ndarray:
    """Quads for shapely geometries: their minimum rotated rectangle, ordered.

    Examples
    --------
    >>> import shapely
    >>> quads_from_polygons(np.array([shapely.box(0, 0, 2, 1)]))[0].tolist()
    [[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]]
    """
    shapely = _shapely()
    g = np.asarray(geoms, dtype=object)
    out = np.full((len(g), 4, 2), np.nan)
    have = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    if have.any():
        env = shapely.oriented_envelope(g[have])
        coords, index = shapely.get_coordinates(shapely.get_exterior_ring(env), return_index=True)
        counts = np.bincount(index, minlength=int(have.sum()))
        if (counts == 5).all():
            out[have] = order_vertices(coords.reshape(-1, 5, 2)[:, :4])
        else:  # degenerate envelopes (lines, points): use the bounds
            b = shapely.bounds(g[have])
            out[have] = np.stack([b[:, [0, 1]], b[:, [2, 1]], b[:, [2, 3]], b[:, [0, 3]]], axis=1)
    return out


def area(quads: np.ndarray) -> np.ndarray:
    """Area of each quad (shoelace on the ordered vertices; exact for rotated rectangles).

    Examples
    --------
    >>> area(np.array([[[0, 0], [3, 0], [3, 2], [0, 2]]], float))
    array([6.])
    """
    return np.abs(_shoelace(order_vertices(quads)))


def bounds(quads: np.ndarray) -> np.ndarray:
    """``(n, 4)`` axis-aligned bounds ``xmin, ymin, xmax, ymax``."""
    q = np.asarray(quads, dtype=np.float64)
    return np.concatenate([q.min(axis=1), q.max(axis=1)], axis=1)


def rotation_angle(quads: np.ndarray) -> np.ndarray:
    """Angle in degrees of each quad's top edge (ordered top-left -> top-right), in (-45, 45]
    for a document within 45 degrees of upright; positive is clockwise on screen.

    Examples
    --------
    >>> import math
    >>> c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    >>> r = np.array([[[0, 0], [4 * c, 4 * s], [4 * c - 2 * s, 4 * s + 2 * c], [-2 * s, 2 * c]]])
    >>> np.round(rotation_angle(r), 6)
    array([30.])
    """
    q = order_vertices(quads)
    e = q[:, 1] - q[:, 0]
    return np.degrees(np.arctan2(e[:, 1], e[:, 0]))


# --------------------------------------------------------------------------- IoU


def _as_polygons(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype == object:
        return x
    return to_polygons(x)


def _parallel(func, *arrays: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Apply a GIL-releasing shapely function over aligned arrays in threads."""
    n = len(arrays[0])
    workers = min(os.cpu_count() or 1, 8)
    if n < 2 * chunk or workers < 2:
        return func(*arrays)
    parts = np.array_split(np.arange(n), min(workers * 2, max(1, n // chunk)))
    with ThreadPoolExecutor(workers) as ex:
        res = list(ex.map(lambda idx: func(*(a[idx] for a in arrays)), parts))
    return np.concatenate(res)


def _intersection_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    shapely = _shapely()
    return _parallel(lambda x, y: shapely.area(shapely.intersection(x, y)), a, b)


def pair_iou(a: np.ndarray, b: np.ndarray, area_a: np.ndarray | None = None,
             area_b: np.ndarray | None = None, *, return_intersection: bool = False):
    """IoU of aligned polygon arrays (elementwise). NaN where either is missing."""
    shapely = _shapely()
    if len(a) != len(b):
        raise ValueError(f"IoU of aligned arrays: lengths differ ({len(a)} and {len(b)})")
    aa = shapely.area(a) if area_a is None else area_a
    ab = shapely.area(b) if area_b is None else area_b
    inter = _intersection_area(a, b)
    union = aa + ab - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(union > 0, inter / union, 0.0)
    out = np.clip(out, 0.0, 1.0)
    missing = shapely.is_missing(a) | shapely.is_missing(b)
    out[missing] = np.nan
    if return_intersection:
        return out, inter
    return out


def is_convex(quads: np.ndarray) -> np.ndarray:
    """Whether each quad's ordered vertices form a convex polygon of positive area."""
    return _is_convex_ordered(order_vertices(quads))


def _is_convex_ordered(q: np.ndarray) -> np.ndarray:
    e = np.roll(q, -1, axis=1) - q
    f = np.roll(e, -1, axis=1)
    cross = e[..., 0] * f[..., 1] - e[..., 1] * f[..., 0]
    scale = np.abs(e).max(axis=(1, 2)) ** 2 + 1e-300
    return (cross >= -1e-12 * scale[:, None]).all(axis=1) & (_shoelace(q) > 0)


def _clip_area(a: np.ndarray, b: np.ndarray, K: int = 8) -> np.ndarray:
    """Area of the intersection of aligned convex quads, ordered with positive signed area.

    Sutherland-Hodgman clipping of ``a`` by the four edges of ``b``, vectorised over all
    pairs at once (at most 8 vertices survive 4 clips of a convex quad, in exact arithmetic).
    """
    n = len(a)
    overflow = np.zeros(n, bool)  # rounding on near-collinear edges can add vertices: redo wider
    P = np.zeros((n, K, 2))
    P[:, :4] = a
    cnt = np.full(n, 4)
    slots = np.arange(K)[None, :]
    rows = np.arange(n)[:, None]
    scale = (b.max(axis=1) - b.min(axis=1)).max(axis=1) + 1e-300
    for e in range(4):
        o = b[:, e][:, None, :]
        d = (b[:, (e + 1) % 4] - b[:, e])[:, None, :]
        valid = slots < cnt[:, None]
        side = d[..., 0] * (P[..., 1] - o[..., 1]) - d[..., 1] * (P[..., 0] - o[..., 0])
        # a (near) zero-length edge (repeated vertex) clips nothing
        short = np.abs(d[:, 0]).max(axis=1) <= 1e-9 * scale
        side[short] = 1.0
        inside = side >= 0
        nxt = np.where(slots + 1 < cnt[:, None], slots + 1, 0)
        Pn = P[rows, nxt]
        sn = side[rows, nxt]
        inn = inside[rows, nxt]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(inside != inn, side / (side - sn), 0.0)
        X = P + t[..., None] * (Pn - P)
        cand = np.stack([X, Pn], axis=2).reshape(n, 2 * K, 2)
        mask = np.stack([valid & (inside != inn), valid & inn], axis=2).reshape(n, 2 * K)
        order = np.argsort(~mask, axis=1, kind="stable")[:, :K]
        P = np.take_along_axis(cand, order[..., None], axis=1)
        total = mask.sum(axis=1)
        overflow |= total > K
        cnt = np.minimum(total, K)
    valid = slots < cnt[:, None]
    nxt = np.where(slots + 1 < cnt[:, None], slots + 1, 0)
    Pn = P[rows, nxt]
    c = P.mean(axis=1, keepdims=True)  # any point: centring only limits cancellation
    x, y, xn, yn = P[..., 0] - c[..., 0], P[..., 1] - c[..., 1], Pn[..., 0] - c[..., 0], Pn[..., 1] - c[..., 1]
    area = 0.5 * np.where(valid, x * yn - xn * y, 0.0).sum(axis=1)
    area = np.where(cnt >= 3, np.maximum(area, 0.0), 0.0)
    if overflow.any() and K < 64:
        area[overflow] = _clip_area(a[overflow], b[overflow], 2 * K)
    return area


def _clip_area_chunked(a: np.ndarray, b: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """:func:`_clip_area` over cache-sized chunks, two threads (numpy releases the GIL)."""
    n = len(a)
    if n <= chunk:
        return _clip_area(a, b)
    starts = range(0, n, chunk)
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2:
        return np.concatenate([_clip_area(a[i:i + chunk], b[i:i + chunk]) for i in starts])
    with ThreadPoolExecutor(workers) as ex:
        return np.concatenate(list(ex.map(lambda i: _clip_area(a[i:i + chunk], b[i:i + chunk]), starts)))


def quad_pair_iou(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IoU and intersection area of aligned quads ``(n, 4, 2)``, elementwise.

    Convex quads (nearly all document quads) are intersected by vectorised polygon
    clipping in numpy; the rest go through ``shapely.intersection`` in one call.
    NaN where either quad is missing.
    """
    qa, qb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if qa.shape != qb.shape:
        raise ValueError(f"IoU of aligned arrays: lengths differ ({len(qa)} and {len(qb)})")
    n = len(qa)
    inter = np.full(n, np.nan)
    have = np.isfinite(qa).all(axis=(1, 2)) & np.isfinite(qb).all(axis=(1, 2))
    oa_full, ob_full = order_vertices(qa), order_vertices(qb)
    oa, ob = oa_full[have], ob_full[have]
    conv = _is_convex_ordered(oa) & _is_convex_ordered(ob)
    part = np.zeros(len(oa))
    if conv.any():
        part[conv] = _clip_area_chunked(oa[conv], ob[conv])
    if (~conv).any():
        shapely = _shapely()
        part[~conv] = shapely.area(shapely.intersection(to_polygons(oa[~conv]), to_polygons(ob[~conv])))
    inter[have] = part
    aa, ab = np.abs(_shoelace(oa_full)), np.abs(_shoelace(ob_full))
    union = aa + ab - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(union > 0, inter / union, 0.0)
    out = np.clip(out, 0.0, 1.0)
    out[~have] = np.nan
    return out, inter


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise IoU of two aligned arrays of quads ``(n, 4, 2)`` (or polygons).

    Raises ``ValueError`` naming both lengths when they differ.

    Examples
    --------
    >>> sq = np.array([[[0, 0], [2, 0], [2, 2], [0, 2]]], float)
    >>> iou(sq, sq + 1)
    array([0.14285714])
    """
    if np.asarray(a).dtype == object or np.asarray(b).dtype == object:
        return pair_iou(_as_polygons(a), _as_polygons(b))
    qa, qb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if len(qa) != len(qb):
        raise ValueError(f"IoU of aligned arrays: lengths differ ({len(qa)} and {len(qb)})")
    return quad_pair_iou(qa, qb)[0]


def candidate_pairs(bounds_a: np.ndarray, bounds_b: np.ndarray,
                    groups_a: np.ndarray | None = None, groups_b: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)`` whose bounding boxes intersect (and whose groups agree).

    Without groups this is one ``shapely.STRtree.query`` over boxes. With groups
    (image codes, e.g. from :func:`image_codes`), pairs are only formed inside a group:
    all pairs of each group are generated at once with numpy (sort by group, repeat,
    offset) and filtered by box overlap in one vectorised test -- no spatial index
    spans images, whose coordinates all share the same origin.

    Returns
    -------
    (i, j) : two int arrays, sorted by ``i`` then ``j``
    """
    ba = np.asarray(bounds_a, dtype=np.float64).reshape(-1, 4)
    bb = np.asarray(bounds_b, dtype=np.float64).reshape(-1, 4)
    if groups_a is None and groups_b is None:
        shapely = _shapely()
        oka, okb = np.isfinite(ba).all(1), np.isfinite(bb).all(1)
        tree = shapely.STRtree(shapely.box(*bb[okb].T))
        ia, ib = tree.query(shapely.box(*ba[oka].T))
        i, j = np.flatnonzero(oka)[ia], np.flatnonzero(okb)[ib]
    else:
        if groups_a is None or groups_b is None:
            raise ValueError("candidate_pairs: pass groups for both sides or for neither")
        ga, gb = np.asarray(groups_a, dtype=np.int64), np.asarray(groups_b, dtype=np.int64)
        if len(ga) != len(ba) or len(gb) != len(bb):
            raise ValueError(f"candidate_pairs: {len(ga)} groups for {len(ba)} boxes, {len(gb)} for {len(bb)}")
        i, j = _group_product(ga, gb)
        b1, b2 = ba[i], bb[j]
        keep = ((b1[:, 0] <= b2[:, 2]) & (b2[:, 0] <= b1[:, 2])
                & (b1[:, 1] <= b2[:, 3]) & (b2[:, 1] <= b1[:, 3]))
        i, j = i[keep], j[keep]
    order = np.lexsort((j, i))
    return i[order], j[order]


def _group_product(ga: np.ndarray, gb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with ga[i] == gb[j], vectorised."""
    if len(ga) == 0 or len(gb) == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    ob = np.argsort(gb, kind="stable")
    gbs = gb[ob]
    lo = np.searchsorted(gbs, ga, side="left")
    hi = np.searchsorted(gbs, ga, side="right")
    cnt = hi - lo
    i = np.repeat(np.arange(len(ga)), cnt)
    # position inside each i's run: arange(total) - start of the run
    starts = np.repeat(np.cumsum(cnt) - cnt, cnt)
    k = np.arange(len(i)) - starts + np.repeat(lo, cnt)
    return i, ob[k]


def pairwise_iou(a: np.ndarray, b: np.ndarray | None = None, *, groups_a: np.ndarray | None = None,
                 groups_b: np.ndarray | None = None, min_iou: float = 0.0) -> pd.DataFrame:
    """IoU of every pair of quads whose boxes intersect, within groups if given.

    Parameters
    ----------
    a, b : ndarray, shape (n, 4, 2) / (m, 4, 2)
        Quads; ``b`` defaults to ``a`` (then the diagonal is included).
    groups_a, groups_b : int arrays, optional
        Image codes; pairs only form inside an image.
    min_iou : float, default 0
        Keep pairs with IoU strictly above ``min_iou`` (0 keeps every touching pair with
        positive overlap).

    Returns
    -------
    DataFrame
        ``i``, ``j`` (positions in ``a`` and ``b``), ``iou``, ``intersection``.

    Examples
    --------
    >>> sq = np.array([[[0, 0], [2, 0], [2, 2], [0, 2]], [[1, 0], [3, 0], [3, 2], [1, 2]]], float)
    >>> pairwise_iou(sq, sq, groups_a=[0, 0], groups_b=[0, 1])
       i  j       iou  intersection
    0  0  0  1.000000           4.0
    1  1  0  0.333333           2.0
    """
    b_is_a = b is None
    qa = np.asarray(a, dtype=np.float64)
    qb = qa if b_is_a else np.asarray(b, dtype=np.float64)
    if b_is_a and groups_b is None:
        groups_b = groups_a
    i, j = candidate_pairs(bounds(qa), bounds(qb), groups_a, groups_b)
    v, inter = quad_pair_iou(qa[i], qb[j])
    keep = v > min_iou
    return pd.DataFrame({"i": i[keep], "j": j[keep], "iou": v[keep], "intersection": inter[keep]})


def iou_matrix(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """Dense ``(n, m)`` IoU matrix of two sets of quads (``b`` defaults to ``a``).

    Candidates come from an STRtree on the bounding boxes; only those pairs are
    intersected. Missing quads give rows/columns of NaN.

    Examples
    --------
    >>> sq = np.array([[[0, 0], [2, 0], [2, 2], [0, 2]]], float)
    >>> iou_matrix(sq, np.concatenate([sq, sq + 1, sq + 5]))
    array([[1.        , 0.14285714, 0.        ]])
    """
    qa = np.asarray(a, dtype=np.float64)
    qb = qa if b is None else np.asarray(b, dtype=np.float64)
    out = np.zeros((len(qa), len(qb)))
    p = pairwise_iou(qa, None if b is None else qb)
    out[p["i"].to_numpy(), p["j"].to_numpy()] = p["iou"].to_numpy()
    out[~np.isfinite(qa).all(axis=(1, 2)), :] = np.nan
    out[:, ~np.isfinite(qb).all(axis=(1, 2))] = np.nan
    return out


def overlap_pairs(quads: np.ndarray, groups: np.ndarray | None = None, *, min_iou: float = 0.0) -> pd.DataFrame:
    """Overlapping pairs ``i < j`` of quads within the same group: duplicates and containment.

    Returns
    -------
    DataFrame
        ``i``, ``j``, ``iou``, ``intersection``, ``cover_i`` (share of quad i inside j),
        ``cover_j``, ``contains`` (``"i_in_j"``, ``"j_in_i"``, ``"equal"`` or ``""``,
        using a 0.99 coverage tolerance).

    Examples
    --------
    >>> q = np.array([[[0, 0], [4, 0], [4, 4], [0, 4]], [[1, 1], [2, 1], [2, 2], [1, 2]]], float)
    >>> overlap_pairs(q)[["i", "j", "iou", "contains"]]
       i  j     iou contains
    0  0  1  0.0625   j_in_i
    """
    q = np.asarray(quads, dtype=np.float64)
    g = np.zeros(len(q), np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    p = pairwise_iou(q, groups_a=g, groups_b=g, min_iou=min_iou)
    p = p[p["i"] < p["j"]].reset_index(drop=True)
    ar = area(q)
    with np.errstate(invalid="ignore", divide="ignore"):
        ci = p["intersection"].to_numpy() / ar[p["i"].to_numpy()]
        cj = p["intersection"].to_numpy() / ar[p["j"].to_numpy()]
    tol = 0.99
    contains = np.where((ci >= tol) & (cj >= tol), "equal",
                        np.where(ci >= tol, "i_in_j", np.where(cj >= tol, "j_in_i", "")))
    return p.assign(cover_i=ci, cover_j=cj, contains=contains)


# --------------------------------------------------------------------------- rectification


def _perspective_coeffs(dst: np.ndarray, src: np.ndarray) -> np.ndarray:
    """The 8 coefficients mapping output pixel (dst) to input pixel (src), as PIL wants."""
    A = []
    for (x, y), (u, v) in zip(dst, src):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return np.linalg.solve(np.asarray(A, float), np.asarray(src, float).reshape(8))


def rectify(image: Any, quad: Sequence[Sequence[float]], size: tuple[int, int] | None = None, *,
            keep_order: bool = False) -> np.ndarray:
    """Warp the quad's region of an image to an upright rectangle (for display).

    Parameters
    ----------
    image : ndarray (H, W[, C]) or PIL.Image
    quad : 4 [x, y] points
    size : (width, height), optional
        Output size; defaults to the quad's mean edge lengths.
    keep_order : bool, default False
        False: the vertices in any order, the crop upright in image terms (its top
        edge the quad's upper one). True: the quad lists the document's own corners
        from its top-left, as the API and the labels do, so a document lying sideways
        or upside down comes out readable (a mirrored, counter-clockwise order is
        read clockwise from the same first corner; a self-crossing one falls back to
        False).

    Returns
    -------
    ndarray (h, w[, C]) uint8

    Uses OpenCV's ``warpPerspective`` when installed, else PIL's perspective transform.

    Examples
    --------
    >>> img = np.arange(100, dtype=np.uint8).reshape(10, 10)
    >>> rectify(img, [[2, 2], [6, 2], [6, 5], [2, 5]]).shape
    (3, 4)
    >>> rectify(img, [[2, 5], [2, 2], [6, 2], [6, 5]], keep_order=True).shape  # turned a quarter: first corner bottom-left
    (4, 3)
    """
    q = np.asarray(quad, dtype=np.float64).reshape(1, 4, 2)
    if keep_order and is_simple(q)[0]:
        q = q[0]
        if _shoelace(q[None])[0] < 0:  # counter-clockwise on screen (y down): same first corner, clockwise
            q = q[[0, 3, 2, 1]]
    else:
        q = order_vertices(q)[0]
    if size is None:
        w = 0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3]))
        h = 0.5 * (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1]))
        size = (max(1, int(round(w))), max(1, int(round(h))))
    w, h = int(size[0]), int(size[1])
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    arr = np.asarray(image)
    try:
        import cv2
    except ImportError:
        cv2 = None
    if cv2 is not None:
        m = cv2.getPerspectiveTransform(q.astype(np.float32), dst.astype(np.float32))
        return cv2.warpPerspective(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    from PIL import Image

    pil = image if isinstance(image, Image.Image) else Image.fromarray(arr)
    coeffs = _perspective_coeffs(dst, q)
    return np.asarray(pil.transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BILINEAR))


# --------------------------------------------------------------------------- frames


def _check_docs(docs: pd.DataFrame, what: str = "docs") -> None:
    if "location" not in docs.columns:
        raise ValueError(f"{what}: not a documents frame (no 'location' column); make one with df.ocr.classify()")


def image_codes(left: pd.DataFrame, right: pd.DataFrame | None, on: str | Sequence[str]
                ) -> tuple[np.ndarray, np.ndarray | None, pd.DataFrame]:
    """Integer codes of the image key ``on`` shared by two frames, plus the key table.

    Returns ``(codes_left, codes_right, keys)`` where ``keys`` has one row per distinct
    image (columns ``on``) in order of code.
    """
    cols = [on] if isinstance(on, str) else list(on)
    for name, f in (("left", left), ("right", right)):
        if f is None:
            continue
        missing = [c for c in cols if c not in f.columns]
        if missing:
            raise KeyError(f"on={on!r}: {name} frame has no column(s) {missing}; columns: {list(f.columns)}")
    frames = [left] if right is None else [left, right]
    both = pd.concat([f[cols] for f in frames], ignore_index=True)
    if len(cols) == 1:
        codes, uniq = pd.factorize(both[cols[0]], sort=False)
        keys = pd.DataFrame({cols[0]: uniq})
    else:
        codes, uniq = pd.factorize(pd.MultiIndex.from_frame(both), sort=False)
        keys = pd.DataFrame(list(uniq), columns=cols)
    if (codes < 0).any():
        raise ValueError(f"on={on!r}: the image key has missing values")
    n = len(left)
    return codes[:n], (None if right is None else codes[n:]), keys


def polygons(docs: pd.DataFrame) -> pd.Series:
    """The documents' quads as shapely polygons (vertices ordered), indexed like ``docs``."""
    _check_docs(docs)
    return pd.Series(to_polygons(quads_from_location(docs["location"].to_numpy())), index=docs.index,
                     name="polygon", dtype=object)


def to_geodataframe(docs: pd.DataFrame, *, geometry_name: str = "geometry"):
    """The documents frame as a ``geopandas.GeoDataFrame``: one polygon per document.

    Parameters
    ----------
    docs : DataFrame
        A documents frame.
    geometry_name : str, default "geometry"
        The name of the geometry column added.

    Returns
    -------
    geopandas.GeoDataFrame
        Every column of ``docs`` (same index) plus the quads as polygons (vertices
        ordered clockwise on screen), in pixel coordinates: x right, y down, no CRS. A
        document without a location has a missing geometry. ``gdf.to_parquet(p)``
        writes GeoParquet, which GIS tools, DuckDB's spatial extension and
        ``geopandas.read_parquet`` read as geometry (with ocrframe imported, the
        ``content`` and ``location`` columns come back as they were).

    Examples
    --------
    >>> from ocrframe.evaluate._testing import docs
    >>> d = docs({"a.jpg": [("bankcard", (0, 0, 100, 60))], "b.jpg": "AIS.0103"})
    >>> gdf = to_geodataframe(d)
    >>> gdf.geometry.area.tolist()[0], gdf.geometry.isna().tolist(), gdf.crs is None
    (6000.0, [False, True], True)
    """
    try:
        import geopandas as gpd
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError("to_geodataframe needs geopandas: pip install 'ocrframe[geo]'") from None
    _check_docs(docs)
    if geometry_name in docs.columns:
        raise ValueError(f"the frame already has a column {geometry_name!r}; pass geometry_name= another name")
    geoms = to_polygons(quads_from_location(docs["location"].to_numpy()))
    col = gpd.GeoSeries(geoms, index=docs.index, crs=None)
    return gpd.GeoDataFrame(docs.assign(**{geometry_name: col}), geometry=geometry_name, crs=None)


def areas(docs: pd.DataFrame) -> pd.Series:
    """Area of each document's quad in square pixels (NaN without a location)."""
    _check_docs(docs)
    return pd.Series(area(quads_from_location(docs["location"].to_numpy())), index=docs.index, name="area")


def frame_iou(left: pd.DataFrame, right: pd.DataFrame, *, on: str | Sequence[str] | None = None,
              min_iou: float = 0.0) -> pd.Series | pd.DataFrame:
    """IoU between the documents of two frames.

    With ``on=None`` the frames are aligned row by row (same length, else ``ValueError``)
    and a Series of elementwise IoU is returned with ``left``'s index. With ``on`` (the
    image key column(s)), every overlapping pair of documents of the same image is
    returned as a long frame: the key, ``left`` / ``right`` (row positions), ``doc_left``,
    ``doc_right``, ``iou``.
    """
    _check_docs(left, "left")
    _check_docs(right, "right")
    if on is None:
        if len(left) != len(right):
            raise ValueError(f"iou: frames differ in length ({len(left)} and {len(right)}); "
                             "pass on='path' to pair documents of the same image instead")
        return pd.Series(iou(quads_from_location(left["location"].to_numpy()),
                             quads_from_location(right["location"].to_numpy())),
                         index=left.index, name="iou")
    ga, gb, keys = image_codes(left, right, on)
    p = pairwise_iou(quads_from_location(left["location"].to_numpy()),
                     quads_from_location(right["location"].to_numpy()),
                     groups_a=ga, groups_b=gb, min_iou=min_iou)
    i, j = p["i"].to_numpy(), p["j"].to_numpy()
    out = keys.take(ga[i]).reset_index(drop=True)
    return out.assign(left=i, right=j, doc_left=left["doc"].to_numpy()[i] if "doc" in left else pd.NA,
                      doc_right=right["doc"].to_numpy()[j] if "doc" in right else pd.NA, iou=p["iou"].to_numpy())


def overlaps(docs: pd.DataFrame, *, on: str | Sequence[str] = "path", min_iou: float = 0.0) -> pd.DataFrame:
    """Overlapping pairs of documents within each image (possible duplicates, containment).

    Returns a long frame: the key ``on``, ``left`` / ``right`` row positions (left <
    right), ``doc_left``, ``doc_right``, ``type_left``, ``type_right``, ``iou``,
    ``cover_left`` / ``cover_right`` (share of each quad inside the other) and
    ``contains``.
    """
    _check_docs(docs)
    g, _, keys = image_codes(docs, None, on)
    p = overlap_pairs(quads_from_location(docs["location"].to_numpy()), g, min_iou=min_iou)
    i, j = p["i"].to_numpy(), p["j"].to_numpy()
    out = keys.take(g[i]).reset_index(drop=True)
    typ = docs["type"].to_numpy() if "type" in docs else np.full(len(docs), None)
    doc = docs["doc"].to_numpy() if "doc" in docs else np.full(len(docs), None)
    contains = p["contains"].map({"i_in_j": "left_in_right", "j_in_i": "right_in_left", "equal": "equal", "": ""})
    return out.assign(left=i, right=j, doc_left=doc[i], doc_right=doc[j], type_left=typ[i], type_right=typ[j],
                      iou=p["iou"].to_numpy(), cover_left=p["cover_i"].to_numpy(),
                      cover_right=p["cover_j"].to_numpy(), contains=contains.to_numpy())
