"""Saving documents frames: parquet (lossless round trip), CSV and JSONL.

Contents are nested dicts whose keys differ from document to document, which parquet's
struct columns cannot hold without inventing keys. So ``location`` and ``content`` are
stored as JSON text, and the file's metadata says so; :func:`read_parquet` restores
them (and the categorical ``type``), so a round trip loses nothing.

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

import pandas as pd

__all__ = ["to_parquet", "read_parquet", "save_frame", "JSON_COLUMNS"]

#: columns stored as JSON text in files
JSON_COLUMNS = ("location", "content")
_META_KEY = b"ocrframe"


def _dumps(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _encode(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    cols = [c for c in JSON_COLUMNS if c in df.columns]
    return df.assign(**{c: df[c].map(_dumps).astype(object) for c in cols}), cols


def to_parquet(df: pd.DataFrame, path: str | os.PathLike, **kwargs) -> None:
    """Write a documents (or fields) frame to parquet, losslessly.

    Extra keyword arguments go to :func:`pyarrow.parquet.write_table`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    enc, cols = _encode(df)
    table = pa.Table.from_pandas(enc, preserve_index=True)
    meta = dict(table.schema.metadata or {})
    meta[_META_KEY] = json.dumps({"json_columns": cols, "version": 1}).encode()
    pq.write_table(table.replace_schema_metadata(meta), path, **kwargs)


def read_parquet(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """Read a frame written by :func:`to_parquet`, restoring nested columns.

    A parquet file from elsewhere is read as :func:`pandas.read_parquet` would. A folder
    of parts (as :func:`ocrframe.dask.to_parquet` writes) is read part by part, in order.
    """
    import pyarrow.parquet as pq

    if Path(path).is_dir():
        parts = sorted(Path(path).glob("*.parquet"))
        if not parts:
            raise FileNotFoundError(f"no .parquet files in the folder {path}")
        return pd.concat([read_parquet(p, **kwargs) for p in parts])

    table = pq.read_table(path, **kwargs)
    info = json.loads((table.schema.metadata or {}).get(_META_KEY, b"{}"))
    df = table.to_pandas()
    for c in info.get("json_columns", []):
        if c in df.columns:
            df[c] = df[c].map(lambda s: json.loads(s) if isinstance(s, str) else None).astype(object)
            if c == "content":
                df[c] = df[c].map(lambda v: {} if v is None else v).astype(object)
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
