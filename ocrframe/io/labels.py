"""Ground-truth labels: JSONL, one line per image, in the response's own shape.

(Also importable from :mod:`ocrframe.datasets` and :mod:`ocrframe.datasets.labels`.)

Each line is ``{"image": "<path relative to the labels file>", "result": [{"type",
"location", "content"}, ...]}``: the API's 200 body without statuses or confidences, so
one parser (:func:`ocrframe.response.parse_response`) serves truth and predictions.

A labelled document may also say which layout variant it shows, ``"layout":
"taxi_invoice/shanghai"`` (the synthetic generator writes it), so accuracy can be
reported per variant. It is optional and not part of the API's answer:
:func:`read_labels` gives it as a ``layout`` column (when any document has one) and
:func:`write_labels` keeps it.

Examples
--------
>>> import json, os, tempfile
>>> d = tempfile.mkdtemp()
>>> open(os.path.join(d, "a.jpg"), "wb").close()
>>> doc = {"type": "quota_invoice", "location": [[0, 0], [9, 0], [9, 5], [0, 5]],
...        "content": {"code": "131001", "number": "1", "amount": "￥50.00", "location": "上海"}}
>>> path = write_labels(os.path.join(d, "labels.jsonl"), [{"image": "a.jpg", "result": [doc]}])
>>> truth = read_labels(path)
>>> truth[["image", "doc", "type"]]
   image  doc           type
0  a.jpg    0  quota_invoice
>>> truth.loc[0, "content"]["amount"]
'￥50.00'
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable

import pandas as pd

from ocrframe.errors import ResponseValidationError
from ocrframe.frames import documents_frame
from ocrframe.response import Response, parse_response

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError"]


class LabelsError(ResponseValidationError):
    """A labels file breaks the format; the message names the file, line and key."""


def _where(file: str, line: int, key: str) -> str:
    return f"{os.path.basename(file)} line {line}: {key}" if key else f"{os.path.basename(file)} line {line}"


def _layouts(result: Any, where) -> list:
    """The optional ``layout`` of each labelled document (``None`` where absent), validated."""
    out = []
    for i, d in enumerate(result if isinstance(result, list) else []):
        name = d.get("layout") if isinstance(d, dict) else None
        if name is not None and (not isinstance(name, str) or not name):
            raise LabelsError(where(f"result[{i}].layout"), f"expected a variant name string, got {name!r}")
        out.append(name)
    return out


def iter_labels(path: str | os.PathLike, *, check_images: bool = True):
    """Yield ``(line_number, image, Response)`` for each line of a labels file, validating it.

    Raises
    ------
    LabelsError
        Invalid JSON, a missing or non-string ``image``, a missing ``result``, an unknown
        type, a quad that is not 4 points, a duplicated image or (``check_images``) a
        missing image file; the message starts with ``<file> line <n>: <key>``.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "labels.jsonl")
    >>> _ = open(p, "w").write('{"image": "a.jpg", "result": []}\\n\\n{"image": "b.jpg", "result": []}\\n')
    >>> [(n, image, len(r)) for n, image, r in iter_labels(p, check_images=False)]
    [(1, 'a.jpg', 0), (3, 'b.jpg', 0)]
    """
    for n, image, response, _ in _iter_records(path, check_images):
        yield n, image, response


def _iter_records(path, check_images: bool):
    """:func:`iter_labels`, plus each document's optional layout variant."""
    path = os.fspath(path)
    root = os.path.dirname(os.path.abspath(path))
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise LabelsError(_where(path, n, ""), f"invalid JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(obj, dict):
                raise LabelsError(_where(path, n, ""), f"expected an object with 'image' and 'result', got {type(obj).__name__}")
            image = obj.get("image")
            if image is None:
                raise LabelsError(_where(path, n, "image"), "missing")
            if not isinstance(image, str) or not image:
                raise LabelsError(_where(path, n, "image"), f"expected a relative path string, got {image!r}")
            if image in seen:
                raise LabelsError(_where(path, n, "image"), f"{image!r} is already labelled on line {seen[image]}")
            seen[image] = n
            if check_images and not os.path.isfile(os.path.join(root, image)):
                raise LabelsError(_where(path, n, "image"), f"file not found: {image!r} (relative to {root})")
            try:
                response = parse_response(obj, labels=True)
            except ResponseValidationError as exc:
                raise LabelsError(_where(path, n, exc.path), exc.problem) from None
            yield n, image, response, _layouts(obj["result"], lambda key: _where(path, n, key))


def read_labels(path: str | os.PathLike, *, check_images: bool = True) -> pd.DataFrame:
    """Read a JSONL labels file into a documents frame of truth.

    Parameters
    ----------
    path : str or path-like
        The labels file; image paths in it are relative to its folder.
    check_images : bool, default True
        Fail when a labelled image file does not exist.

    Returns
    -------
    DataFrame
        The documents frame (see :func:`ocrframe.frames.documents_frame`) with input
        columns ``image`` (as written in the file) and ``path`` (resolved); one row per
        labelled document, and one row with ``doc`` NA for an image labelled with none.
        When any document names its layout variant, a ``layout`` column holds it (None
        elsewhere); e.g. ``ev.fields["truth"]`` indexes it to report accuracy per variant.
        ``attrs["ocrframe"]["source"]`` is the labels file (a report's provenance).

    Raises
    ------
    LabelsError
        Naming the file, line and key of the first problem, e.g.
        ``labels.jsonl line 3: result[0].location: expected 4 points, got 3``.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "labels.jsonl")
    >>> _ = open(p, "w").write('{"image": "x.jpg", "result": [{"type": "passport", "location": [[0, 0], [1, 0]]}]}\\n')
    >>> read_labels(p, check_images=False)
    Traceback (most recent call last):
    ...
    ocrframe.io.labels.LabelsError: labels.jsonl line 1: result[0].location: expected 4 points, got 2
    """
    root = os.path.dirname(os.path.abspath(os.fspath(path)))
    images, paths, answers, layouts = [], [], [], []
    for _, image, response, names in _iter_records(path, check_images):
        images.append(image)
        paths.append(os.path.normpath(os.path.join(root, image)))
        answers.append(response)
        layouts += names or [None]  # an image without documents keeps one row
    inputs = pd.DataFrame({"image": pd.Series(images, dtype=object), "path": pd.Series(paths, dtype=object)})
    out = documents_frame(inputs, answers, ignore_index=True)
    if any(name is not None for name in layouts):
        out["layout"] = pd.Series(layouts, index=out.index, dtype=object)
    out.attrs["ocrframe"] = {"source": os.path.abspath(os.fspath(path)), "format": "labels-jsonl"}
    return out


def _records_from_frame(frame: pd.DataFrame, root: str) -> list[dict]:
    if "image" in frame.columns:
        keys = frame["image"].astype(str)
    elif "path" in frame.columns:
        keys = frame["path"].map(lambda p: os.path.relpath(os.path.abspath(str(p)), root).replace(os.sep, "/"))
    else:
        raise KeyError("write_labels needs an 'image' (relative path) or 'path' column; the frame has: "
                       + ", ".join(map(str, frame.columns)))
    missing = [c for c in ("type", "location", "content") if c not in frame.columns]
    if missing:
        raise KeyError(f"write_labels needs the documents frame's columns; missing: {', '.join(missing)}")
    records: dict[str, list] = {}
    layouts = frame["layout"] if "layout" in frame.columns else [None] * len(frame)
    for image, t, loc, content, name in zip(keys, frame["type"], frame["location"], frame["content"], layouts):
        docs = records.setdefault(image, [])
        if t is None or (isinstance(t, float) and pd.isna(t)) or pd.isna(t):
            continue
        content = {k: v for k, v in (content or {}).items() if k != "confidence"}
        doc = {"type": str(t), "location": [[int(x), int(y)] for x, y in loc], "content": content}
        if isinstance(name, str) and name:
            doc["layout"] = name
        docs.append(doc)
    return [{"image": k, "result": v} for k, v in records.items()]


def write_labels(path: str | os.PathLike, labels: pd.DataFrame | Iterable[dict[str, Any]]) -> str:
    """Write labels as JSONL (UTF-8, one image per line); returns the path.

    Parameters
    ----------
    path : str or path-like
        The file to write; image paths are stored relative to its folder.
    labels : DataFrame or iterable of dict
        A documents frame (with an ``image`` or ``path`` column, e.g. from
        :func:`read_labels`), or records ``{"image": ..., "result": [...]}``.
        Every record is validated before anything is written.

    Returns
    -------
    str
    """
    path = os.fspath(path)
    root = os.path.dirname(os.path.abspath(path))
    records = _records_from_frame(labels, root) if isinstance(labels, pd.DataFrame) else list(labels)
    lines = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not isinstance(rec.get("image"), str):
            raise LabelsError(f"record {i}: image", "expected a dict with an 'image' path string")
        try:
            response: Response = parse_response(rec, labels=True)
        except ResponseValidationError as exc:
            raise LabelsError(f"record {i}: {exc.path}", exc.problem) from None
        result = response.to_json(labels=True)["result"]
        for doc, name in zip(result, _layouts(rec["result"], lambda key: f"record {i}: {key}")):
            if name is not None:
                doc["layout"] = name
        line = {"image": rec["image"], "result": result}
        lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
    os.makedirs(root, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + ("\n" if lines else ""))
    return path
