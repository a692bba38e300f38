"""Explode answers into the documents frame; flatten contents into the fields frame.

The documents frame repeats each input row (columns and index label) once per document,
like :meth:`pandas.DataFrame.explode`, and adds :data:`DOC_COLUMNS`. An image with no
document, or whose request failed, keeps exactly one row.

Examples
--------
>>> import pandas as pd
>>> from ocrframe.response import parse_response
>>> from ocrframe.errors import ApiError
>>> ok = parse_response({"result": [
...     {"status": {"error_code": "AIS.0000", "error_msg": "Succeeded."}, "type": "bankcard",
...      "location": [[0, 0], [10, 0], [10, 5], [0, 5]],
...      "content": {"card_number": "6222", "confidence": {"card_number": 0.9}}}]})
>>> images = pd.DataFrame({"path": ["a.jpg", "b.jpg", "c.jpg"]}, index=[10, 11, 12])
>>> docs = documents_frame(images, [ok, parse_response({"result": []}), ApiError("AIS.0103")])
>>> docs[["path", "doc", "type", "status"]]
     path   doc      type    status
10  a.jpg     0  bankcard  AIS.0000
11  b.jpg  <NA>       NaN  AIS.0000
12  c.jpg  <NA>       NaN  AIS.0103
>>> fields_frame(docs)[["path", "field", "value", "confidence"]]
     path        field value  confidence
10  a.jpg  card_number  6222         0.9
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from .dtypes import ContentArray, QuadArray
from .errors import ApiError
from .response import Answer, Response
from .types import DOC_TYPE_DTYPE, DocType, Status

__all__ = [
    "DOC_COLUMNS",
    "NotADocumentsFrameError",
    "require_documents_frame",
    "FIELD_COLUMNS",
    "documents_frame",
    "fields_frame",
    "flatten_content",
    "empty_documents_frame",
]

#: the columns ``classify`` adds to the input's
DOC_COLUMNS = ("doc", "type", "status", "status_msg", "location", "content", "seal_mark")
#: the columns ``fields`` adds to the document's identifying columns
FIELD_COLUMNS = ("field", "value", "confidence")
#: document columns that ``fields()`` keeps to identify the document of a field
_FIELD_ID_COLUMNS = ("doc", "type", "status")

_CATEGORY_CODES = {t.value: i for i, t in enumerate(DocType)}
_OK_CODE = Status.OK.code
_OK_MSG = Status.OK.message


#: the columns every documents-frame method relies on
_CORE_COLUMNS = ("doc", "type", "status", "location", "content")


class NotADocumentsFrameError(ValueError):
    """A method of the documents frame was called on another frame."""


def require_documents_frame(df: Any, caller: str) -> None:
    """Raise :class:`NotADocumentsFrameError` naming what is missing and what to do.

    Examples
    --------
    >>> require_documents_frame(pd.DataFrame({"path": ["a.jpg"]}), "docs.ocr.plot()")
    Traceback (most recent call last):
    ...
    ocrframe.frames.NotADocumentsFrameError: docs.ocr.plot() needs a documents frame (from df.ocr.classify(), ocrframe.read_labels() or ocrframe.read_parquet()); this frame has no 'doc', 'type', 'status', 'location', 'content' column. It looks like a frame of images: recognise them first, docs = df.ocr.classify(col='path').
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{caller} needs a documents frame (a DataFrame), got {type(df).__name__}")
    missing = [c for c in _CORE_COLUMNS if c not in df.columns]
    if not missing:
        return
    cols = set(df.columns)
    if set(FIELD_COLUMNS) <= cols:
        hint = " It looks like a fields frame (docs.ocr.fields()): call this on the documents frame it came from."
    elif len(missing) == len(_CORE_COLUMNS):
        paths = [c for c in df.columns if str(c) in ("path", "image", "url", "file")]
        hint = (" It looks like a frame of images: recognise them first, "
                f"docs = df.ocr.classify(col={str(paths[0]) if paths else 'path'!r}).")
    else:
        hint = f" Its columns are {[str(c) for c in df.columns][:12]}."
    raise NotADocumentsFrameError(
        f"{caller} needs a documents frame (from df.ocr.classify(), ocrframe.read_labels() or "
        f"ocrframe.read_parquet()); this frame has no {', '.join(map(repr, missing))} column.{hint}")


def _check_no_clash(columns: pd.Index, new: Sequence[str], what: str) -> None:
    clash = [c for c in new if c in columns]
    if clash:
        raise ValueError(
            f"the input already has column(s) {clash} that {what} adds; rename them first, "
            f"e.g. df.rename(columns={{{clash[0]!r}: {clash[0] + '_in'!r}}})"
        )


def documents_frame(inputs: pd.DataFrame, answers: Sequence[Answer], *, ignore_index: bool = False) -> pd.DataFrame:
    """One row per document: the input rows repeated, plus :data:`DOC_COLUMNS`.

    Parameters
    ----------
    inputs : DataFrame
        One row per image, aligned with ``answers``.
    answers : sequence of Response or ApiError
        One answer per input row.
    ignore_index : bool, default False
        Number the result 0..n-1 instead of repeating the input's index labels.

    Returns
    -------
    DataFrame
        ``doc`` (Int64, NA for an image without documents), ``type`` (categorical over
        all supported types), ``status`` / ``status_msg`` (the document's, or the
        request-level code of a failed image), ``location`` (4 [x, y] points or None;
        dtype ``ocrframe.quad``), ``content`` (dict, ``{}`` when empty; dtype
        ``ocrframe.content``), ``seal_mark`` (boolean, NA unless asked). The two nested
        dtypes (:mod:`ocrframe.dtypes`) make ``DataFrame.to_parquet`` /
        ``pd.read_parquet`` give back the same dicts and quads.
    """
    if len(inputs) != len(answers):
        raise ValueError(f"inputs has {len(inputs)} rows but {len(answers)} answers were given")
    _check_no_clash(inputs.columns, DOC_COLUMNS, "the documents frame")
    counts = np.empty(len(answers), dtype=np.intp)
    doc_no: list[int] = []
    type_codes: list[int] = []
    status: list[str] = []
    status_msg: list[str] = []
    location: list[Any] = []
    content: list[dict] = []
    seal: list[Any] = []
    codes = _CATEGORY_CODES
    for i, a in enumerate(answers):
        if isinstance(a, Response) and a.documents:
            counts[i] = len(a.documents)
            for j, d in enumerate(a.documents):
                doc_no.append(j)
                type_codes.append(codes[d.type.value])
                status.append(d.status_code)
                status_msg.append(d.status_msg)
                location.append(d.location)
                content.append(d.content)
                seal.append(d.seal_mark)
        else:
            counts[i] = 1
            doc_no.append(-1)
            type_codes.append(-1)
            location.append(None)
            content.append({})
            seal.append(None)
            if isinstance(a, Response):
                status.append(_OK_CODE)
                status_msg.append("No document found.")
            elif isinstance(a, ApiError):
                status.append(a.code)
                status_msg.append(a.message)
            else:
                raise TypeError(f"answers[{i}]: expected a Response or ApiError, got {type(a).__name__}")
    positions = np.repeat(np.arange(len(answers)), counts)
    out = inputs.take(positions)
    if ignore_index:
        out = out.reset_index(drop=True)
    doc_arr = np.asarray(doc_no, dtype=np.int64)
    n = len(doc_arr)
    new = {
        "doc": pd.arrays.IntegerArray(doc_arr, doc_arr < 0),
        "type": pd.Categorical.from_codes(np.asarray(type_codes, dtype=np.int16), dtype=DOC_TYPE_DTYPE),
        "status": np.asarray(status, dtype=object),
        "status_msg": np.asarray(status_msg, dtype=object),
        "location": QuadArray(_object_array(location, n)),
        "content": ContentArray(_object_array(content, n)),
        "seal_mark": pd.array(seal, dtype="boolean"),
    }
    return out.assign(**{k: pd.Series(v, index=out.index, copy=False) for k, v in new.items()})


def _object_array(values: list, n: int) -> np.ndarray:
    """A 1-D object array holding the given lists/dicts as elements (not broadcast)."""
    arr = np.empty(n, dtype=object)
    arr[:] = values if n else []
    return arr


def empty_documents_frame(input_columns: Sequence[str] = ()) -> pd.DataFrame:
    """An empty documents frame with the right columns and dtypes."""
    return documents_frame(pd.DataFrame({c: pd.Series(dtype=object) for c in input_columns}), [])


def flatten_content(content: dict) -> Iterator[tuple[str, Any, float | None]]:
    """Yield ``(field, value, confidence)`` for every field of a content dict.

    Nested lists become dotted keys with the row number (``item_list.0.amount``);
    nested objects dotted keys (``extra_info.mrz1``). The confidence of a nested value is
    looked up in the same shape inside ``content["confidence"]``.

    Examples
    --------
    >>> c = {"total": "￥3.00", "item_list": [{"name": "笔", "amount": "3.00"}],
    ...      "confidence": {"total": 0.9, "item_list": [{"name": 0.8, "amount": 0.7}]}}
    >>> list(flatten_content(c))
    [('total', '￥3.00', 0.9), ('item_list.0.name', '笔', 0.8), ('item_list.0.amount', '3.00', 0.7)]
    """
    conf = content.get("confidence")
    if not isinstance(conf, dict):
        conf = {}
    for key, value in content.items():
        if key == "confidence":
            continue
        c = conf.get(key)
        if isinstance(value, list):
            for i, row in enumerate(value):
                crow = c[i] if isinstance(c, list) and i < len(c) else None
                if isinstance(row, dict):
                    if not isinstance(crow, dict):
                        crow = {}
                    for k, v in row.items():
                        yield f"{key}.{i}.{k}", v, _conf(crow.get(k))
                else:
                    yield f"{key}.{i}", row, _conf(crow)
        elif isinstance(value, dict):
            cd = c if isinstance(c, dict) else {}
            for k, v in value.items():
                yield f"{key}.{k}", v, _conf(cd.get(k))
        else:
            yield key, value, _conf(c)


def _conf(c: Any) -> float | None:
    return float(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else None


def fields_frame(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per (document, field): the document's identifying columns plus
    ``field``, ``value``, ``confidence``.

    Identifying columns are the input's own columns and index labels plus ``doc``,
    ``type`` and ``status``. Documents without content add no rows.

    Parameters
    ----------
    docs : DataFrame
        A documents frame (from ``classify`` or ``read_labels``).

    Returns
    -------
    DataFrame
        ``confidence`` is float (NaN where the answer gave none, as in labels).
    """
    require_documents_frame(docs, "docs.ocr.fields()")
    id_cols = [c for c in docs.columns if c not in DOC_COLUMNS or c in _FIELD_ID_COLUMNS]
    _check_no_clash(pd.Index(id_cols), FIELD_COLUMNS, "the fields frame")
    positions: list[int] = []
    names: list[str] = []
    values: list[Any] = []
    confs: list[float] = []
    nan = float("nan")
    for pos, content in enumerate(docs["content"].to_numpy()):
        if not content:
            continue
        for name, value, c in flatten_content(content):
            positions.append(pos)
            names.append(name)
            values.append(value)
            confs.append(nan if c is None else c)
    out = docs[id_cols].take(np.asarray(positions, dtype=np.intp))
    return out.assign(
        field=pd.Series(np.asarray(names, dtype=object), index=out.index, copy=False),
        value=pd.Series(_object_array(values, len(values)), index=out.index, copy=False),
        confidence=pd.Series(np.asarray(confs, dtype=np.float64), index=out.index, copy=False),
    )
