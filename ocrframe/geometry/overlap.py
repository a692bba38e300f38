"""IoU of quads: exact convex clipping for pairs, shapely otherwise, candidate pairs by bounds,
all pairs of groups, overlap pairs with cover fractions."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
import numpy as np
import pandas as pd

from .quads import area, bounds, order_vertices, require_shapely, signed_area, to_polygons

__all__ = ["iou", "iou_matrix", "candidate_pairs", "pair_iou", "quad_pair_iou", "is_convex", "pairwise_iou",
           "overlap_pairs"]


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
    shapely = require_shapely()
    return _parallel(lambda x, y: shapely.area(shapely.intersection(x, y)), a, b)


def pair_iou(a: np.ndarray, b: np.ndarray, area_a: np.ndarray | None = None,
             area_b: np.ndarray | None = None, *, return_intersection: bool = False):
    """IoU of aligned polygon arrays (elementwise). NaN where either is missing."""
    shapely = require_shapely()
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
    return (cross >= -1e-12 * scale[:, None]).all(axis=1) & (signed_area(q) > 0)


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
        shapely = require_shapely()
        part[~conv] = shapely.area(shapely.intersection(to_polygons(oa[~conv]), to_polygons(ob[~conv])))
    inter[have] = part
    aa, ab = np.abs(signed_area(oa_full)), np.abs(signed_area(ob_full))
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
        shapely = require_shapely()
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
