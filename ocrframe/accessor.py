"""The ``ocr`` DataFrame accessor: thin and stateless, every method delegates.

``import ocrframe`` registers it, so any DataFrame has ``df.ocr``.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from . import frames, geometry, persist
from .backends import RequestOptions, resolve_backend
from .batch import run_backend

__all__ = ["OcrAccessor"]


@pd.api.extensions.register_dataframe_accessor("ocr")
class OcrAccessor:
    """OCR over a frame of images (``classify``), and views of the documents frame it
    returns (``fields``, geometry, pictures, saving).

    Every method but ``classify`` and ``to_parquet`` needs a documents frame and says so
    (:class:`ocrframe.frames.NotADocumentsFrameError`, a ``ValueError``) on another frame."""

    def __init__(self, pandas_obj: pd.DataFrame):
        self._obj = pandas_obj

    def classify(self, *, col: str = "path", backend: Any = None, type_list=None, detect_seal: bool | None = None,
                 pdf_page_number: int | None = None, store=None, workers: int | None = None,
                 progress: bool | None = None, ignore_index: bool = False, errors: str = "row") -> pd.DataFrame:
        """Recognise every image of column ``col``: one row per detected document.

        Parameters
        ----------
        col : str, default "path"
            The column holding image paths, ``Path`` objects, URLs or bytes.
        backend : backend or str, optional
            ``None`` for the offline :class:`~ocrframe.LocalEngine`; a spec string
            (``"replay:saved.jsonl"``, ``"http://127.0.0.1:8000"``, ``"huawei"``); or a
            backend object (:class:`~ocrframe.Replay`, ...).
        type_list : list of str, optional
            Only these document types are recognised (the API's ``type_list``).
        detect_seal : bool, optional
            Ask for ``seal_mark`` per document.
        pdf_page_number : int, optional
            The page of a PDF input to read.
        store : str, Path or ResponseStore, optional
            SQLite response store: answers already there are not asked again, new ones
            are saved as they arrive (resumable runs).
        workers : int, optional
            Images in flight at once; default: the backend's own default.
        progress : bool, optional
            tqdm progress bar: always (True), never (False); default: shown once the
            run has taken more than 2 seconds, whatever the number of images.
        ignore_index : bool, default False
            Number the result 0..n-1 instead of repeating the input's index labels.
        errors : {"row", "raise"}, default "row"
            A failed image becomes an error row (status = its code), or raises.

        Returns
        -------
        DataFrame
            The documents frame: the input's columns and index repeated per document,
            plus ``doc, type, status, status_msg, location, content, seal_mark``. An
            image with no document, or whose request failed, keeps exactly one row.
            ``attrs["ocrframe"]`` holds the run's statistics (requests, cached answers,
            failures, billable documents).

        Examples
        --------
        >>> import json, tempfile, os
        >>> import pandas as pd, ocrframe
        >>> d = tempfile.mkdtemp()
        >>> saved = os.path.join(d, "saved.jsonl")
        >>> doc = {"status": {"error_code": "AIS.0000", "error_msg": "Succeeded."}, "type": "quota_invoice",
        ...        "location": [[0, 0], [9, 0], [9, 9], [0, 9]], "content": {"amount": "￥50.00"}}
        >>> with open(saved, "w") as f:
        ...     _ = f.write(json.dumps({"image": "a.jpg", "response": {"result": [doc, doc]}}) + "\\n")
        >>> with open(os.path.join(d, "a.jpg"), "wb") as f:
        ...     _ = f.write(b"image bytes")
        >>> df = pd.DataFrame({"path": [os.path.join(d, "a.jpg"), "missing.jpg"]}, index=["x", "y"])
        >>> docs = df.ocr.classify(col="path", backend=ocrframe.Replay(saved))
        >>> docs[["doc", "type", "status"]]
            doc           type         status
        x     0  quota_invoice       AIS.0000
        x     1  quota_invoice       AIS.0000
        y  <NA>            NaN  OCRFRAME.0001
        """
        if col not in self._obj.columns:
            raise KeyError(f"column {col!r} not in the frame; its columns are {list(self._obj.columns)}")
        be = resolve_backend(backend)
        options = RequestOptions(type_list=type_list, detect_seal=detect_seal, pdf_page_number=pdf_page_number)
        answers, stats = run_backend(self._obj[col].tolist(), be, options, store=store, workers=workers,
                                     progress=progress, errors=errors)
        docs = frames.documents_frame(self._obj, answers, ignore_index=ignore_index)
        docs.attrs["ocrframe"] = stats.to_dict()
        return docs

    def fields(self) -> pd.DataFrame:
        """The fields frame: one row per (document, field) with ``field, value, confidence``.

        Nested lists flatten to dotted keys such as ``item_list.0.amount``.
        See :func:`ocrframe.frames.fields_frame`.
        """
        return frames.fields_frame(self._obj)  # checks the frame itself

    def to_parquet(self, path: str | os.PathLike, **kwargs) -> None:
        """Save losslessly (quads, contents, categories); read back with :func:`ocrframe.read_parquet`."""
        persist.to_parquet(self._obj, path, **kwargs)

    # ------------------------------------------------------------- geometry (see ocrframe.geometry)
    def polygons(self) -> pd.Series:
        """Each document's quad as a shapely polygon (vertices ordered), indexed like the frame."""
        frames.require_documents_frame(self._obj, "docs.ocr.polygons()")
        return geometry.polygons(self._obj)

    def to_geodataframe(self, *, geometry_name: str = "geometry"):
        """A ``geopandas.GeoDataFrame`` with one polygon per document in pixel coordinates, same index
        (:func:`ocrframe.geometry.to_geodataframe`); ``.to_parquet()`` on it writes GeoParquet."""
        frames.require_documents_frame(self._obj, "docs.ocr.to_geodataframe()")
        return geometry.to_geodataframe(self._obj, geometry_name=geometry_name)

    def area(self) -> pd.Series:
        """Area of each document's quad in square pixels (NaN without a location)."""
        frames.require_documents_frame(self._obj, "docs.ocr.area()")
        return geometry.areas(self._obj)

    def iou(self, other: pd.DataFrame, *, on: str | list[str] | None = None, min_iou: float = 0.0):
        """IoU with another documents frame: row by row (``on=None``, same length), or every
        overlapping pair of documents of the same image (``on="path"``) as a long frame."""
        frames.require_documents_frame(self._obj, "docs.ocr.iou()")
        frames.require_documents_frame(other, "docs.ocr.iou(other)")
        return geometry.frame_iou(self._obj, other, on=on, min_iou=min_iou)

    def overlaps(self, *, on: str | list[str] = "path", min_iou: float = 0.0) -> pd.DataFrame:
        """Overlapping pairs of documents within each image: possible duplicates, containment."""
        frames.require_documents_frame(self._obj, "docs.ocr.overlaps()")
        return geometry.overlaps(self._obj, on=on, min_iou=min_iou)

    # ------------------------------------------------------------- pictures (see ocrframe.viz)
    def plot(self, *, col: str = "path", truth: pd.DataFrame | None = None, max_images: int = 12,
             labels: str = "zh", axes=None, **kwargs):
        """Draw each image with its documents' quads, types and statuses (truth dashed, if given).

        Returns a :class:`ocrframe.viz.DocumentsDisplay` (``.figure_``, ``.axes_``).

        Examples
        --------
        >>> from ocrframe.datasets import load_sample
        >>> images, truth = load_sample()
        >>> truth.head(3).ocr.plot(max_images=2).figure_  # doctest: +ELLIPSIS
        <Figure size ...>
        """
        from .viz import DocumentsDisplay

        frames.require_documents_frame(self._obj, "docs.ocr.plot()")
        if truth is not None:
            frames.require_documents_frame(truth, "docs.ocr.plot(truth=...)")
        return DocumentsDisplay.from_frame(self._obj, col=col, truth=truth, max_images=max_images).plot(
            axes=axes, labels=labels, **kwargs)

    def thumbnails(self, *, col: str = "path", max_docs: int = 24, height: int = 110, n_fields: int = 3,
                   labels: str = "zh"):
        """Each document cropped and straightened with its type, status and first fields;
        a notebook shows it as HTML cards (:class:`ocrframe.viz.Thumbnails`)."""
        from .viz import Thumbnails

        frames.require_documents_frame(self._obj, "docs.ocr.thumbnails()")
        return Thumbnails.from_frame(self._obj, col=col, max_docs=max_docs, height=height, n_fields=n_fields,
                                     labels=labels)
