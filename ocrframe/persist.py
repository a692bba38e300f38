"""Saving documents frames: parquet (lossless, structured), CSV and JSONL.

``content`` and ``location`` have their own pandas dtypes (:mod:`ocrframe.dtypes`), so
parquet holds them as structure other tools read: ``content`` as Arrow's JSON type,
``location`` as 4 fixed-size ``[x, y]`` lists. Plain ``docs.to_parquet(p)`` /
``pd.read_parquet(p)`` round-trip too (after ``import ocrframe``); :func:`to_parquet`
adds the frame's ``attrs`` (e.g. the run's backend and statistics) and turns object
columns of dicts into those dtypes first. :func:`read_parquet` also reads this
module's earlier files (JSON text columns), and refuses, or with ``repair=True``
repairs, a file that plain pandas wrote from object columns before these dtypes
existed (every document's content padded with every other type's keys).

Examples
--------
>>> import tempfile, os
>>> import pandas as pd
>>> from ocrframe.frames import documents_frame
>>> from ocrframe.response import parse_response
>>> docs = documents_frame(pd.DataFrame({"path": ["a.jpg"]}), [parse_response({"result": [
...     {"type": "quota_invoice", "location": [[0, 0], [9, 0], [9, 9], [0, 9]],
...      "content": {"amount": "￥50.00"}}]}, labels=True)])
>>> p = os.path.join(tempfile.mkdtemp(), "docs.parquet")
>>> to_parquet(docs, p)
>>> back = read_parquet(p)
>>> back.equals(docs), back["content"].iloc[0]
(True, {'amount': '￥50.00'})
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ._warn import warn
from .dtypes import with_nested_dtypes

__all__ = ["to_parquet", "read_parquet", "save_frame", "JSON_COLUMNS", "FORMAT_VERSION"]

#: columns stored as JSON text in CSV files (and in parquet files of format version 1)
JSON_COLUMNS = ("location", "content")
#: 1: nested columns as JSON text; 2: as Arrow structure (JSON type, fixed-size lists)
FORMAT_VERSION = 2
_META_KEY = b"ocrframe"
_ATTRS_KEY = b"PANDAS_ATTRS"  # where pandas itself keeps DataFrame.attrs in a parquet file


def _dumps(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _encode(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    cols = [c for c in JSON_COLUMNS if c in df.columns]
    return df.assign(**{c: df[c].astype(object).map(_dumps).astype(object) for c in cols}), cols


def to_parquet(df: pd.DataFrame, path: str | os.PathLike, **kwargs) -> None:
    """Write a documents (or fields) frame to parquet, losslessly, with its ``attrs``.

    Extra keyword arguments go to :func:`pyarrow.parquet.write_table`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    enc = with_nested_dtypes(df)
    table = pa.Table.from_pandas(enc, preserve_index=True)
    meta = dict(table.schema.metadata or {})
    meta[_META_KEY] = json.dumps({"version": FORMAT_VERSION}).encode()
    if df.attrs:
        meta[_ATTRS_KEY] = json.dumps(df.attrs, default=str).encode()
    pq.write_table(table.replace_schema_metadata(meta), path, **kwargs)


def _prune(v: Any) -> Any:
    """Drop the ``None`` keys pyarrow's struct inference added, at every depth (arrays back to lists)."""
    import numpy as np

    if isinstance(v, dict):
        return {k: _prune(x) for k, x in v.items() if x is not None}
    if isinstance(v, (list, np.ndarray)):
        return [_prune(x) for x in v]
    return v


def _confidence_last(content: dict) -> dict:
    """The struct kept the union's key order; the contract puts ``confidence`` last."""
    if "confidence" in content:
        content = {**{k: v for k, v in content.items() if k != "confidence"}, "confidence": content["confidence"]}
    return content


def _as_lists(v: Any) -> Any:
    import numpy as np

    if isinstance(v, np.ndarray):
        return [_as_lists(x) for x in v.tolist()]
    if isinstance(v, list):
        return [_as_lists(x) for x in v]
    return v


def read_parquet(path: str | os.PathLike, *, repair: bool = False, **kwargs) -> pd.DataFrame:
    """Read a frame written by :func:`to_parquet` (or by ``docs.to_parquet``).

    Parameters
    ----------
    path : str or path-like
        A parquet file, or a folder of parts (as :func:`ocrframe.dask.to_parquet`
        writes), read part by part in order.
    repair : bool, default False
        For a file plain pandas wrote from object columns (``content`` saved as a
        struct of every key of every document type): drop the keys that are null and
        turn the quads back into lists, with a warning (the keys' order is the
        struct's, ``confidence`` last). Without it such a file is refused with a
        ``ValueError`` that says what happened.
    **kwargs
        Passed to :func:`pyarrow.parquet.read_table`.

    Returns
    -------
    DataFrame
        ``content`` / ``location`` with their dtypes, ``attrs`` as saved. A parquet
        file from elsewhere is read as :func:`pandas.read_parquet` would.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if Path(path).is_dir():
        parts = sorted(Path(path).glob("*.parquet"))
        if not parts:
            raise FileNotFoundError(f"no .parquet files in the folder {path}")
        return pd.concat([read_parquet(p, repair=repair, **kwargs) for p in parts])

    table = pq.read_table(path, **kwargs)
    meta = table.schema.metadata or {}
    info = json.loads(meta.get(_META_KEY, b"{}"))
    padded = "content" in table.column_names and pa.types.is_struct(table.schema.field("content").type)
    if padded and not repair:
        n_keys = table.schema.field("content").type.num_fields
        raise ValueError(
            f"{path}: its 'content' column was saved by plain pandas from an object column (before "
            f"`import ocrframe` gave it a dtype), as a struct of all {n_keys} keys of every document type: read as "
            "it is, each document would carry the other types' keys set to None (more fields, lower accuracy). "
            "Pass repair=True to drop the null keys (a field that was genuinely null is dropped too), then save "
            "it again with docs.to_parquet(...)")
    df = table.to_pandas()
    for c in info.get("json_columns", []):  # format version 1
        if c in df.columns:
            df[c] = df[c].map(lambda s: json.loads(s) if isinstance(s, str) else None).astype(object)
            if c == "content":
                df[c] = df[c].map(lambda v: {} if v is None else v).astype(object)
    if padded:
        df["content"] = df["content"].map(lambda v: {} if v is None else _confidence_last(_prune(v))).astype(object)
        if "location" in df.columns:
            df["location"] = df["location"].map(lambda v: None if v is None else _as_lists(v)).astype(object)
        warn(f"{path}: repaired the 'content' column plain pandas had padded with every type's keys (null keys "
             "dropped) and the quads it had turned into arrays; save it again with docs.to_parquet(...)")
    if info or padded:
        df = with_nested_dtypes(df)
    if _ATTRS_KEY in meta:
        df.attrs = json.loads(meta[_ATTRS_KEY])
    return df


def save_frame(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Save by extension: ``.parquet`` (lossless), ``.csv`` (nested as JSON text), ``.jsonl``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        to_parquet(df, path)
    elif suffix == ".csv":
        _encode(df)[0].to_csv(path, index=True)
    elif suffix in (".jsonl", ".json"):
        df.reset_index().to_json(path, orient="records", lines=True, force_ascii=False, default_handler=str)
    else:
        raise ValueError(f"cannot save to {path.name!r}: use a .parquet, .csv or .jsonl file name")
    return path
