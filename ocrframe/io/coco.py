"""COCO: documents as instance annotations (one polygon per document), and back.

:func:`to_coco` writes the COCO object-detection JSON: ``images`` (file name relative
to ``image_root``, width and height from the file), ``categories`` (every document
type, in the registry's order, so ids are the same in every file) and
``annotations`` (the quad as a segmentation polygon, its ``bbox`` and ``area``, and a
``score`` -- the mean field confidence -- where the frame has confidences). Whatever
COCO has no key for (the document's fields, status, position) goes into an
``"ocrframe"`` object on each annotation and image, which COCO tools ignore and
:func:`read_coco` reads back, so a documents frame survives the trip.

Examples
--------
>>> import os, tempfile, warnings
>>> from ocrframe.evaluate._testing import docs
>>> folder = tempfile.mkdtemp()
>>> d = docs({os.path.join(folder, "a.jpg"): [("bankcard", (10, 10, 110, 70), {"card_number": "6222"})],
...           os.path.join(folder, "b.jpg"): "AIS.0103"}, labels=True)
>>> out = os.path.join(folder, "docs.coco.json")
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # the two image files do not exist here
...     _ = to_coco(d, out)
>>> back = read_coco(out)
>>> back[["image", "doc", "type", "status"]]
   image   doc      type    status
0  a.jpg     0  bankcard  AIS.0000
1  b.jpg  <NA>       NaN  AIS.0103
>>> back["content"].iloc[0], back["location"].iloc[0]
({'card_number': '6222'}, [[10, 10], [110, 10], [110, 70], [10, 70]])
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .. import geometry
from .._warn import warn, warn_missing_files
from ..errors import ApiError
from ..frames import documents_frame, flatten_content, require_documents_frame
from ..response import parse_response
from ..types import DocType, Status, schema
from ._images import image_size

__all__ = ["to_coco", "read_coco", "coco_categories", "EXTRA_KEY"]

#: the key of ocrframe's own data on COCO images and annotations
EXTRA_KEY = "ocrframe"
_URL_PREFIXES = ("http://", "https://")
_OK = Status.OK.code


def coco_categories() -> list[dict]:
    """One COCO category per document type: id = position in the registry + 1.

    Examples
    --------
    >>> coco_categories()[7]
    {'id': 8, 'name': 'bankcard', 'supercategory': 'document', 'name_zh': '银行卡'}
    """
    return [{"id": i + 1, "name": t.value, "supercategory": "document", "name_zh": schema(t).name_zh}
            for i, t in enumerate(DocType)]


def _file_name(value: Any, root: str) -> str:
    s = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if s.lower().startswith(_URL_PREFIXES):
        return s
    return os.path.relpath(os.path.abspath(s), root).replace(os.sep, "/")


def _score(content: dict) -> float | None:
    conf = [c for _, _, c in flatten_content(content) if c is not None]
    return float(np.mean(conf)) if conf else None


def _num(v: Any) -> int | float:
    return int(v) if isinstance(v, (int, np.integer)) else float(v)


def to_coco(frame: pd.DataFrame, path: str | os.PathLike, *, col: str = "path",
            image_root: str | os.PathLike | None = None) -> str:
    """Write a documents frame (predictions or truth) as COCO JSON; returns the path.

    Parameters
    ----------
    frame : DataFrame
        A documents frame (``df.ocr.classify()``, ``read_labels``, ``read_coco``).
    path : str or path-like
        The JSON file to write.
    col : str, default "path"
        The column of image paths (or URLs).
    image_root : str or path-like, optional
        File names are written relative to this folder (default: the JSON file's).

    Returns
    -------
    str

    Warns
    -----
    UserWarning
        Naming image files that cannot be read: their width and height are then the
        extent of their documents' quads.
    """
    require_documents_frame(frame, "to_coco")
    if col not in frame.columns:
        raise KeyError(f"to_coco: column {col!r} not in the frame; pass col= naming the image path column")
    path = os.fspath(path)
    root = os.path.abspath(os.fspath(image_root) if image_root is not None else os.path.dirname(os.path.abspath(path)))
    cats = {c["name"]: c["id"] for c in coco_categories()}
    images: dict[Any, dict] = {}
    extent: dict[Any, list[float]] = {}
    annotations = []
    missing = []
    quads = geometry.quads_from_location(frame["location"].to_numpy())
    areas = geometry.area(quads)
    for i, (key, doc, t, status, msg, loc, content, seal) in enumerate(zip(
            frame[col], frame["doc"], frame["type"], frame["status"], frame["status_msg"], frame["location"],
            frame["content"], frame["seal_mark"] if "seal_mark" in frame else [None] * len(frame))):
        img = images.get(key)
        if img is None:
            img = images[key] = {"id": len(images) + 1, "file_name": _file_name(key, root)}
            size = image_size(key)
            if size is None:
                missing.append(key)
            else:
                img["width"], img["height"] = size
            extent[key] = [1.0, 1.0]
        if pd.isna(doc):
            if status != _OK:
                img[EXTRA_KEY] = {"status": status, "status_msg": msg}
            continue
        if loc is None:
            continue
        flat = [_num(c) for pt in loc for c in pt]
        xs, ys = flat[0::2], flat[1::2]
        extent[key] = [max(extent[key][0], max(xs)), max(extent[key][1], max(ys))]
        extra = {"doc": int(doc), "status": status, "status_msg": msg, "content": content or {}}
        if seal is not None and not pd.isna(seal):
            extra["seal_mark"] = bool(seal)
        ann = {"id": len(annotations) + 1, "image_id": img["id"], "category_id": cats[str(t)],
               "segmentation": [flat], "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
               "area": float(areas[i]), "iscrowd": 0}
        score = _score(content or {})
        if score is not None:
            ann["score"] = score
        ann[EXTRA_KEY] = extra
        annotations.append(ann)
    for key, img in images.items():
        if "width" not in img:
            img["width"], img["height"] = (int(math.ceil(v)) for v in extent[key])
    warn_missing_files(missing, "their width and height in the COCO file are the extent of their documents")
    from .._version import __version__

    out = {"info": {"description": "documents exported by ocrframe", "version": __version__,
                    "date_created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")},
           "images": list(images.values()), "annotations": annotations, "categories": coco_categories()}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    return path


def _quad_of(ann: dict, where: str) -> list:
    seg = ann.get("segmentation")
    if isinstance(seg, list) and seg and isinstance(seg[0], list) and len(seg[0]) >= 6:
        flat = seg[0]
        if len(flat) == 8:
            return [[flat[k], flat[k + 1]] for k in range(0, 8, 2)]
        import shapely

        poly = shapely.Polygon(np.asarray(flat, float).reshape(-1, 2))
        env = np.asarray(shapely.oriented_envelope(poly).exterior.coords)[:4]
        warn(f"{where}: a polygon of {len(flat) // 2} points became its smallest enclosing rectangle")
        return env.round(2).tolist()
    bbox = ann.get("bbox")
    if not (isinstance(bbox, list) and len(bbox) == 4):
        raise ValueError(f"{where}: no polygon segmentation and no bbox")
    x, y, w, h = bbox
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def read_coco(path: str | os.PathLike, *, image_root: str | os.PathLike | None = None,
              category_map: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read COCO JSON into a documents frame (of truth, or of predictions if written so).

    Parameters
    ----------
    path : str or path-like
        A COCO object-detection file (``images``, ``annotations``, ``categories``).
    image_root : str or path-like, optional
        The folder file names are relative to (default: the JSON file's).
    category_map : mapping, optional
        Category name -> document type, for files whose categories are not the
        document types' wire names.

    Returns
    -------
    DataFrame
        Columns ``image`` (the file name as written), ``path`` (resolved) and the
        documents columns; one row per annotation (in ``ocrframe.doc`` order, else
        annotation id), one row with ``doc`` NA per image without any. A polygon of
        more than 4 points becomes its smallest enclosing rectangle (with a warning);
        an annotation without a polygon, its ``bbox``. Contents, statuses and seal
        marks come from the ``ocrframe`` object when the file has it.
    """
    path = os.fspath(path)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for key in ("images", "annotations", "categories"):
        if not isinstance(data.get(key), list):
            raise ValueError(f"{os.path.basename(path)}: not a COCO file (no {key!r} list)")
    root = os.path.abspath(os.fspath(image_root) if image_root is not None else os.path.dirname(os.path.abspath(path)))
    known = {t.value for t in DocType}
    names = {}
    for c in data["categories"]:
        name = (category_map or {}).get(c["name"], c["name"])
        if name not in known:
            raise ValueError(f"{os.path.basename(path)}: category {c['name']!r} is not a document type; pass "
                             f"category_map={{{c['name']!r}: <type>}} (types: {', '.join(sorted(known))})")
        names[c["id"]] = name
    by_image: dict[Any, list] = {}
    for ann in data["annotations"]:
        by_image.setdefault(ann["image_id"], []).append(ann)
    images, paths, answers = [], [], []
    for img in data["images"]:
        file_name = img["file_name"]
        images.append(file_name)
        paths.append(file_name if str(file_name).lower().startswith(_URL_PREFIXES)
                     else os.path.normpath(os.path.join(root, file_name)))
        extra = img.get(EXTRA_KEY) or {}
        anns = by_image.get(img["id"], [])
        if not anns and extra.get("status", _OK) != _OK:
            answers.append(ApiError(extra["status"], extra.get("status_msg") or None))
            continue
        anns = sorted(anns, key=lambda a: ((a.get(EXTRA_KEY) or {}).get("doc", math.inf), a["id"]))
        result = []
        for ann in anns:
            where = f"{os.path.basename(path)}: annotation {ann['id']}"
            ex = ann.get(EXTRA_KEY) or {}
            d = {"type": names[ann["category_id"]], "location": _quad_of(ann, where),
                 "content": ex.get("content") or {},
                 "status": {"error_code": ex.get("status", _OK), "error_msg": ex.get("status_msg", Status.OK.message)}}
            if "seal_mark" in ex:
                d["seal_mark"] = ex["seal_mark"]
            result.append(d)
        answers.append(parse_response({"result": result}, path=f"{os.path.basename(path)}: image {img['id']}",
                                      labels=True))
    inputs = pd.DataFrame({"image": pd.Series(images, dtype=object), "path": pd.Series(paths, dtype=object)})
    out = documents_frame(inputs, answers, ignore_index=True)
    out.attrs["ocrframe"] = {"source": os.path.abspath(path), "format": "coco"}
    return out
