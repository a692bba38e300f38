"""Quads as ``(n, 4, 2)`` arrays: from locations, vertex order, simplicity, shapely polygons and
back, area, bounds, rotation."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np


__all__ = ["quads_from_location", "order_vertices", "is_simple", "to_polygons", "quads_from_polygons", "area",
           "bounds", "rotation_angle", "signed_area", "require_shapely"]


def require_shapely():
    """The ``shapely`` module (2.x), or an ``ImportError`` naming the extra to install."""
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


def signed_area(q: np.ndarray) -> np.ndarray:
    """Shoelace area of each quad, signed: positive when clockwise on screen (image
    coordinates, y down)."""
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
    a = signed_area(q)
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
    shapely = require_shapely()
    q = np.asarray(quads, dtype=np.float64)
    out = np.full(len(q), None, dtype=object)
    have = np.isfinite(q).all(axis=(1, 2))
    if not have.any():
        return out
    qq = order_vertices(q[have]) if repair else q[have]
    polys = shapely.polygons(qq)
    if repair:
        # after ordering, only degenerate quads (zero area, repeated points) can be invalid
        bad = np.abs(signed_area(qq)) <= 1e-12 * np.maximum(1.0, np.abs(qq).max(axis=(1, 2)) ** 2)
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
    shapely = require_shapely()
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
    return np.abs(signed_area(order_vertices(quads)))


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
