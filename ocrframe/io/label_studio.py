"""Label Studio: the engine's documents as pre-annotated tasks, and an export back to labels.

The way to make truth without writing JSONL by hand: run the engine, write its
documents as Label Studio tasks (:func:`to_label_studio`), let people correct the
outlines, types and field values in Label Studio, export the project as JSON and read
it back (:func:`read_label_studio`) into a documents frame of truth, then
``ocrframe.write_labels`` it.

The labelling interface (:func:`label_studio_config`, shipped as
``label_studio_config.xml`` beside this module) has

* ``image``: the image (``$image`` in the task data);
* ``type``: ``PolygonLabels`` with one label per document type (its Chinese name as
  the hint): a document is a 4-point polygon;
* one per-region ``TextArea`` per field of each type, named ``<type>-<field>``, shown
  when a region of that type is selected; a nested list (``item_list``) has one
  ``TextArea`` whose entries are its rows as JSON objects;
* ``other``: a per-region ``TextArea`` for fields outside the schema, one JSON object
  ``{"key": value}`` per entry.

Tasks follow Label Studio's documented JSON: ``{"data": {...}, "predictions": [{"model_version",
"score", "result": [...]}]}``; a document is a ``polygonlabels`` result (points in
percent of the image) and each field a ``textarea`` result with the same region ``id``,
as Label Studio's OCR pre-annotations do. Image URLs are ``url_prefix`` + the path
relative to ``image_root``: with Label Studio's local file serving
(``LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true``,
``LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=<image_root>``) the default prefix
``/data/local-files/?d=`` serves them; ``url_prefix="http://host:8081/"`` suits any
static file server.

Examples
--------
>>> import json, os, tempfile
>>> from PIL import Image
>>> from ocrframe.evaluate._testing import docs
>>> d = tempfile.mkdtemp()
>>> Image.new("RGB", (200, 100)).save(os.path.join(d, "a.jpg"))
>>> pred = docs({os.path.join(d, "a.jpg"): [("quota_invoice", (20, 10, 120, 60),
...              {"amount": "￥50.00", "confidence": {"amount": 0.9}})]})
>>> tasks = to_label_studio(pred, os.path.join(d, "tasks.json"), image_root=d)
>>> task = json.load(open(tasks, encoding="utf-8"))[0]
>>> task["data"]["image"], [r["type"] for r in task["predictions"][0]["result"]]
('/data/local-files/?d=a.jpg', ['polygonlabels', 'textarea'])
>>> task["predictions"][0]["result"][0]["value"]["points"][0]
[10.0, 10.0]
>>> # an annotator accepts the prediction and corrects the amount; Label Studio exports the project
>>> task["annotations"] = [{"result": task["predictions"][0]["result"], "was_cancelled": False}]
>>> task["annotations"][0]["result"][1]["value"]["text"] = ["￥60.00"]
>>> _ = json.dump([task], open(os.path.join(d, "export.json"), "w", encoding="utf-8"))
>>> truth = read_label_studio(os.path.join(d, "export.json"))
>>> truth[["image", "type"]].values.tolist(), truth["content"].iloc[0], truth["location"].iloc[0]
([['a.jpg', 'quota_invoice']], {'amount': '￥60.00'}, [[20, 10], [120, 10], [120, 60], [20, 60]])
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from .._warn import warn, warn_missing_files
from ..frames import documents_frame, flatten_content, require_documents_frame
from ..response import parse_response
from ..types import REGISTRY, DocType, Status
from ._images import image_size

__all__ = ["to_label_studio", "read_label_studio", "label_studio_config", "CONFIG_PATH", "LOCAL_FILES_PREFIX"]

#: the labelling interface shipped with the package (same text as label_studio_config())
CONFIG_PATH = Path(__file__).with_name("label_studio_config.xml")
#: Label Studio's URL for files under LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT
LOCAL_FILES_PREFIX = "/data/local-files/?d="
#: tag names in the labelling interface
IMAGE_TAG, TYPE_TAG, OTHER_TAG = "image", "type", "other"
#: separates the type from the field in a TextArea's name (types and fields use only [a-z0-9_])
SEP = "-"
#: task data keys ocrframe adds beside the image URL
DATA_PATH, DATA_IMAGE, DATA_SIZE = "ocrframe_path", "ocrframe_image", "ocrframe_size"
#: one colour per type (matplotlib's tab20), in registry order
_COLORS = ("#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd",
           "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d",
           "#17becf", "#9edae5")
_PERCENT = 100.0


def _name(t: str, field: str) -> str:
    return f"{t}{SEP}{field}"


def label_studio_config() -> str:
    """The labelling interface (Label Studio XML) for every document type and its fields.

    Examples
    --------
    >>> xml = label_studio_config()
    >>> '<Label value="bankcard" hint="银行卡"' in xml, 'name="bankcard-card_number"' in xml
    (True, True)
    """
    lines = ["<View>",
             '  <Header value="Outline each document (4 points), pick its type, then correct its fields"/>',
             f'  <Image name="{IMAGE_TAG}" value="${IMAGE_TAG}" zoom="true" zoomControl="true" rotateControl="true"/>',
             f'  <PolygonLabels name="{TYPE_TAG}" toName="{IMAGE_TAG}" strokeWidth="2" pointSize="small" '
             'opacity="0.2">']
    for i, t in enumerate(DocType):
        lines.append(f'    <Label value="{t.value}" hint={quoteattr(REGISTRY[t].name_zh)} '
                     f'background="{_COLORS[i % len(_COLORS)]}"/>')
    lines.append("  </PolygonLabels>")
    for t in DocType:
        sch = REGISTRY[t]
        lines.append(f'  <View visibleWhen="region-selected" whenLabelValue="{t.value}">')
        lines.append(f"    <Header value={quoteattr(f'{sch.name_zh} {t.value}')}/>")
        for f in sch.fields:
            hint = f"{f.name} {f.label_zh}".strip()
            lines.append(f'    <TextArea name="{_name(t.value, f.name)}" toName="{IMAGE_TAG}" perRegion="true" '
                         f'editable="true" maxSubmissions="1" rows="1" placeholder={quoteattr(hint)}/>')
        for lst in sch.lists:
            keys = ", ".join(f'"{k}": ...' for k in lst.field_names)
            hint = f"{lst.name} {lst.label_zh}: one row per entry, as JSON {{{keys}}}"
            lines.append(f'    <TextArea name="{_name(t.value, lst.name)}" toName="{IMAGE_TAG}" perRegion="true" '
                         f'editable="true" rows="2" placeholder={quoteattr(hint)}/>')
        lines.append("  </View>")
    lines += ['  <View visibleWhen="region-selected">',
              f'    <TextArea name="{OTHER_TAG}" toName="{IMAGE_TAG}" perRegion="true" editable="true" rows="1" '
              'placeholder=\'other fields: one JSON object per entry, {"key": "value"}\'/>',
              "  </View>", "</View>", ""]
    return "\n".join(lines)


def _url(path: str, root: str, prefix: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    return prefix + quote(rel, safe="/")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _field_results(t: str, content: dict) -> list[tuple[str, list[str]]]:
    """(TextArea name, its entries) for every field of one document."""
    sch = REGISTRY[DocType(t)]
    lists = set(sch.list_names)
    known = set(sch.field_names) | lists
    out, other = [], []
    for key, value in content.items():
        if key == "confidence":
            continue
        if key in lists and isinstance(value, list):
            out.append((_name(t, key), [json.dumps(row, ensure_ascii=False) for row in value]))
        elif key in known and not isinstance(value, (list, dict)):
            out.append((_name(t, key), [_text(value)]))
        else:
            other.append(json.dumps({key: value}, ensure_ascii=False))
    if other:
        out.append((OTHER_TAG, other))
    return out


def to_label_studio(frame: pd.DataFrame, path: str | os.PathLike, *, image_root: str | os.PathLike,
                    col: str = "path", url_prefix: str = LOCAL_FILES_PREFIX, model_version: str | None = None) -> str:
    """Write Label Studio tasks, one per image, with the documents as pre-annotations.

    Parameters
    ----------
    frame : DataFrame
        A documents frame (the engine's predictions, or truth to review).
    path : str or path-like
        The JSON file to import into Label Studio.
    image_root : str or path-like
        The folder Label Studio serves the images from; URLs are ``url_prefix`` + the
        image path relative to it.
    col : str, default "path"
        The column of image paths.
    url_prefix : str, default "/data/local-files/?d="
        Label Studio's local-files URL, or a static server's address.
    model_version : str, optional
        Shown in Label Studio (default: the backend of ``frame.attrs``, else "ocrframe").

    Returns
    -------
    str

    Notes
    -----
    Each prediction's ``score`` is the mean field confidence of the image (Label
    Studio sorts tasks by it). An image with no document gets an empty prediction; one
    whose request failed, none. Images that cannot be read are left out with a warning
    (their size is needed to place the polygons). The image's path and size are kept in
    the task data (``ocrframe_path``, ``ocrframe_image``, ``ocrframe_size``) for
    :func:`read_label_studio`. See :func:`label_studio_config` for the interface.
    """
    require_documents_frame(frame, "to_label_studio")
    if col not in frame.columns:
        raise KeyError(f"to_label_studio: column {col!r} not in the frame; pass col= naming the image path column")
    root = os.path.abspath(os.fspath(image_root))
    version = model_version or (frame.attrs.get("ocrframe") or {}).get("backend") or "ocrframe"
    tasks, missing = [], []
    for key, rows in frame.groupby(col, sort=False):
        size = image_size(key)
        if size is None:
            missing.append(key)
            continue
        w, h = size
        t_no = len(tasks)
        result, confs = [], []
        ok = rows["doc"].notna().to_numpy()
        for (doc, t, loc, content) in zip(rows["doc"][ok], rows["type"][ok], rows["location"][ok],
                                          rows["content"][ok]):
            if loc is None:
                continue
            rid = f"t{t_no}d{int(doc)}"
            points = [[float(x) * _PERCENT / w, float(y) * _PERCENT / h] for x, y in loc]
            common = {"id": rid, "to_name": IMAGE_TAG, "original_width": w, "original_height": h,
                      "image_rotation": 0}
            result.append({**common, "from_name": TYPE_TAG, "type": "polygonlabels",
                           "value": {"points": points, "closed": True, "polygonlabels": [str(t)]}})
            for name, entries in _field_results(str(t), content or {}):
                result.append({**common, "from_name": name, "type": "textarea",
                               "value": {"points": points, "text": entries}})
            confs += [c for _, _, c in flatten_content(content or {}) if c is not None]
        task = {"data": {IMAGE_TAG: _url(key, root, url_prefix), DATA_PATH: os.path.abspath(key),
                         DATA_IMAGE: os.path.relpath(os.path.abspath(key), root).replace(os.sep, "/"),
                         DATA_SIZE: [w, h]}}
        failed = (~ok).all() and (rows["status"] != Status.OK.code).all()
        if not failed:
            pred = {"model_version": version, "result": result}
            if confs:
                pred["score"] = float(np.mean(confs))
            task["predictions"] = [pred]
        tasks.append(task)
    warn_missing_files(missing, "left out of the Label Studio tasks (their size places the polygons)")
    path = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(tasks, fh, ensure_ascii=False, indent=1)
    return path


# ----------------------------------------------------------------------------- reading an export


def _pick_annotation(task: dict) -> dict | None:
    """The last annotation that was not cancelled (Label Studio lists them oldest first)."""
    anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not anns:
        return None
    return max(enumerate(anns), key=lambda ia: (str(ia[1].get("updated_at") or ia[1].get("created_at") or ""),
                                                ia[0]))[1]


def _to_pixels(r: dict, size: tuple[float, float], where: str) -> list:
    w = r.get("original_width") or size[0]
    h = r.get("original_height") or size[1]
    v = r["value"]
    if "points" in v:
        pts = np.asarray(v["points"], float) * [w / _PERCENT, h / _PERCENT]
        if len(pts) != 4:
            import shapely

            env = shapely.oriented_envelope(shapely.Polygon(pts))
            warn(f"{where}: a polygon of {len(pts)} points became its smallest enclosing rectangle")
            pts = np.asarray(env.exterior.coords)[:4]
    else:  # a rectangle: x, y, width, height in percent, rotated (degrees) about its top-left corner
        x, y, rw, rh = (v[k] for k in ("x", "y", "width", "height"))
        a = math.radians(v.get("rotation") or 0.0)
        corners = np.array([[0, 0], [rw * w, 0], [rw * w, rh * h], [0, rh * h]]) / _PERCENT
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        pts = corners @ rot.T + [x * w / _PERCENT, y * h / _PERCENT]
    return [[int(round(px)), int(round(py))] for px, py in pts]


def _value_of(t: str, field: str, texts: list[str], where: str) -> Any:
    sch = REGISTRY[DocType(t)]
    if field in sch.list_names:
        rows = []
        for k, s in enumerate(texts):
            try:
                rows.append(json.loads(s))
            except json.JSONDecodeError:
                raise ValueError(f"{where}: {t}{SEP}{field} entry {k + 1} is not a JSON row: {s!r}") from None
        return rows
    return "\n".join(texts)


def _documents(result: list[dict], size: tuple[float, float], where: str) -> list[dict]:
    regions: dict[str, dict] = {}
    texts: dict[str, list[tuple[str, list[str]]]] = {}
    for r in result:
        rid, kind = r.get("id"), r.get("type")
        if kind in ("polygonlabels", "rectanglelabels"):
            labels = r["value"].get(kind) or []
            if len(labels) != 1:
                raise ValueError(f"{where}: region {rid} has {len(labels)} type labels; give it exactly one")
            regions[rid] = {"type": labels[0], "location": _to_pixels(r, size, f"{where}: region {rid}"),
                            "content": {}}
        elif kind == "textarea":
            texts.setdefault(rid, []).append((r.get("from_name", ""), list(r["value"].get("text") or [])))
    for rid, entries in texts.items():
        reg = regions.get(rid)
        if reg is None:
            warn(f"{where}: text for region {rid}, which has no outline and type, is ignored")
            continue
        t = reg["type"]
        for name, ts in entries:
            if name == OTHER_TAG:
                for s in ts:
                    try:
                        reg["content"].update(json.loads(s))
                    except (json.JSONDecodeError, AttributeError, TypeError):
                        raise ValueError(f"{where}: region {rid}: '{OTHER_TAG}' entry is not a JSON object: "
                                         f"{s!r}") from None
            elif name.startswith(t + SEP):
                reg["content"][name[len(t) + len(SEP):]] = _value_of(t, name[len(t) + len(SEP):], ts, where)
            else:
                warn(f"{where}: region {rid} is a {t} but has text for {name!r} (its type was changed?): ignored")
    return list(regions.values())


def read_label_studio(path: str | os.PathLike, *, image_root: str | os.PathLike | None = None,
                      url_prefix: str = LOCAL_FILES_PREFIX) -> pd.DataFrame:
    """Read a Label Studio JSON export (tasks with annotations) into a documents frame of truth.

    Parameters
    ----------
    path : str or path-like
        The project's export ("JSON" format): a list of tasks.
    image_root : str or path-like, optional
        For tasks not written by :func:`to_label_studio`: the folder the image URLs
        (``url_prefix`` + relative path) point into.
    url_prefix : str, default "/data/local-files/?d="

    Returns
    -------
    DataFrame
        Columns ``image`` (path relative to the image root), ``path`` (absolute) and the
        documents columns: one row per region of the last annotation that was not
        cancelled (a polygon of 4 points, or a rotated rectangle; another polygon
        becomes its smallest enclosing rectangle, with a warning), coordinates rounded
        to whole pixels; one row with ``doc`` NA for an image annotated with no
        document. Tasks without an annotation are left out, with a warning naming them.
        Write it as labels with :func:`ocrframe.write_labels`.
    """
    path = os.fspath(path)
    with open(path, encoding="utf-8") as fh:
        tasks = json.load(fh)
    if isinstance(tasks, dict):
        tasks = [tasks]
    base = os.path.basename(path)
    images, paths, answers, unlabelled = [], [], [], []
    for k, task in enumerate(tasks):
        data = task.get("data") or {}
        where = f"{base}: task {task.get('id', k + 1)}"
        url = data.get(IMAGE_TAG, "")
        if DATA_PATH in data:
            full = data[DATA_PATH]
            image = data.get(DATA_IMAGE) or os.path.basename(full)
        elif image_root is not None and isinstance(url, str) and url.startswith(url_prefix):
            image = unquote(url[len(url_prefix):])
            full = os.path.normpath(os.path.join(os.path.abspath(os.fspath(image_root)), image))
        else:
            raise ValueError(f"{where}: cannot tell the image file from {url!r}; pass image_root= (and url_prefix=)")
        ann = _pick_annotation(task)
        if ann is None:
            unlabelled.append(image)
            continue
        size = tuple(data.get(DATA_SIZE) or (0, 0))
        docs = _documents(ann.get("result") or [], size, where)
        images.append(image)
        paths.append(full)
        answers.append(parse_response({"result": docs}, path=where, labels=True))
    if unlabelled:
        named = ", ".join(map(repr, unlabelled[:5])) + (f" and {len(unlabelled) - 5} more" if len(unlabelled) > 5
                                                         else "")
        warn(f"{base}: {len(unlabelled)} task(s) have no annotation and are left out: {named}")
    inputs = pd.DataFrame({"image": pd.Series(images, dtype=object), "path": pd.Series(paths, dtype=object)})
    out = documents_frame(inputs, answers, ignore_index=True)
    out.attrs["ocrframe"] = {"source": os.path.abspath(path), "format": "label-studio"}
    return out


if __name__ == "__main__":  # pragma: no cover - regenerate the shipped interface
    CONFIG_PATH.write_text(label_studio_config(), encoding="utf-8")
    print(f"wrote {CONFIG_PATH}")
