"""The frame-level functions: a documents frame's polygons, areas, IoU with another frame and
overlaps within one, image codes, a GeoDataFrame; each rewraps results with the frame's index."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .._warn import deprecated
from .overlap import iou, overlap_pairs, pairwise_iou
from .quads import area, quads_from_location, to_polygons

__all__ = ["polygons", "areas", "frame_iou", "overlaps", "image_codes", "to_geodataframe", "ON_NOT_GIVEN"]


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
    >>> from ocrframe.testing.frames import docs
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


class _OnNotGiven:
    """``on`` left out: row by row for one more release (deprecated; then ``on="path"``)."""

    def __repr__(self) -> str:
        return "<row by row; deprecated: pass on=None, or on='path' as overlaps() does>"


#: the default of :func:`frame_iou`'s ``on`` this release: row by row, with a DeprecationWarning
ON_NOT_GIVEN = _OnNotGiven()


def frame_iou(left: pd.DataFrame, right: pd.DataFrame, *, on: str | Sequence[str] | None | _OnNotGiven = ON_NOT_GIVEN,
              min_iou: float = 0.0) -> pd.Series | pd.DataFrame:
    """IoU between the documents of two frames.

    With ``on=None`` the frames are aligned row by row (same length, else ``ValueError``)
    and a Series of elementwise IoU is returned with ``left``'s index. With ``on`` (the
    image key column(s)), every overlapping pair of documents of the same image is
    returned as a long frame: the key, ``left`` / ``right`` (row positions), ``doc_left``,
    ``doc_right``, ``iou``.

    Leaving ``on`` out pairs row by row this release, with a ``DeprecationWarning``: the
    default becomes ``on="path"`` in the next, as for :func:`overlaps`.
    """
    if isinstance(on, _OnNotGiven):
        deprecated("iou(other) without on= pairs rows by position: write on=None for that (on='path' pairs the "
                   "documents of each image, as overlaps() does, and becomes the default)")
        on = None
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
