"""Dask: the same classification, per partition, on a ``distributed`` cluster.

Each partition runs :func:`ocrframe.batch.run_backend` on a worker. A backend given as
an object or a spec string is set up once per worker process and reused by every task
there (the local engine loads its models once per process). A response store path is
shared by all workers (SQLite with a WAL journal and a busy timeout tolerates concurrent
writers on one machine's file system), so a re-run or a run resumed after a failure asks
no backend twice for an image.

Examples
--------
>>> import dask.dataframe as dd, pandas as pd
>>> import ocrframe.dask as ocd
>>> ddf = dd.from_pandas(pd.DataFrame({"path": ["a.jpg", "b.jpg"]}), npartitions=2)
>>> list(ocd.documents_meta(ddf).columns)
['path', 'doc', 'type', 'status', 'status_msg', 'location', 'content', 'seal_mark']
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pandas as pd

from .backends import RequestOptions, resolve_backend
from .batch import run_backend
from .frames import documents_frame, fields_frame
from . import persist

try:
    import dask
    import dask.dataframe as dd
    from dask.dataframe.extensions import make_array_nonempty, register_dataframe_accessor
except ImportError as e:  # pragma: no cover
    raise ImportError(f"ocrframe.dask needs the dask extra: pip install 'ocrframe[dask]' ({e})") from None

from .dtypes import ContentDtype, QuadDtype, as_content, as_quads


@make_array_nonempty.register(ContentDtype)
def _nonempty_content(dtype):
    return as_content([{}, {}])


@make_array_nonempty.register(QuadDtype)
def _nonempty_quads(dtype):
    return as_quads([[[0, 0], [1, 0], [1, 1], [0, 1]], None])


__all__ = ["classify", "fields", "documents_meta", "to_parquet", "read_parquet", "worker_backend"]

# one backend per worker process, keyed by its identity (or spec string)
_WORKER_BACKENDS: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def worker_backend(backend: Any) -> Any:
    """The backend to use in this process: the first one set up for the same identity.

    A task receives its backend unpickled from the graph; reusing one instance per
    process (per identity) means models, sessions and parsed replay files are built
    once per worker, not once per task.
    """
    key = backend if backend is None or isinstance(backend, str) else getattr(backend, "identity", None)
    if key is None:
        return resolve_backend(backend)
    with _WORKER_LOCK:
        found = _WORKER_BACKENDS.get(key)
        if found is None:
            found = _WORKER_BACKENDS[key] = resolve_backend(backend)
        return found


def documents_meta(ddf: dd.DataFrame) -> pd.DataFrame:
    """The empty documents frame ``classify`` returns for ``ddf`` (schema only)."""
    return documents_frame(ddf._meta, [])


def _classify_partition(part: pd.DataFrame, col: str, backend: Any, options: RequestOptions,
                        store: str | None, workers: int | None, ignore_index: bool) -> pd.DataFrame:
    be = worker_backend(backend)
    answers, _ = run_backend(part[col].tolist(), be, options, store=store, workers=workers, progress=False)
    return documents_frame(part, answers, ignore_index=ignore_index)


def classify(ddf: dd.DataFrame, *, col: str = "path", backend: Any = None, type_list=None,
             detect_seal: bool | None = None, pdf_page_number: int | None = None,
             store: str | os.PathLike | None = None, workers: int | None = 1) -> dd.DataFrame:
    """Classify every image of a Dask DataFrame; a lazy Dask documents frame.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per image; ``col`` holds paths (readable from every worker), URLs or bytes.
    col, backend, type_list, detect_seal, pdf_page_number
        As for ``df.ocr.classify``. The backend is set up once per worker process.
    store : str or Path, optional
        One SQLite response store file shared by all workers.
    workers : int, default 1
        Concurrency inside each task (Dask already runs partitions in parallel).

    Returns
    -------
    dask.dataframe.DataFrame
        Partitions aligned with ``ddf``'s, with the documents frame's schema. Input
        index labels repeat per document, as in pandas.

    Examples
    --------
    >>> import json, os, tempfile
    >>> import dask.dataframe as dd, pandas as pd
    >>> import ocrframe, ocrframe.dask as ocd
    >>> d = tempfile.mkdtemp()
    >>> with open(os.path.join(d, "a.jpg"), "wb") as f:
    ...     _ = f.write(b"bytes of a")
    >>> with open(os.path.join(d, "saved.jsonl"), "w") as f:
    ...     _ = f.write(json.dumps({"image": "a.jpg", "response": {"result": []}}) + "\\n")
    >>> ddf = dd.from_pandas(pd.DataFrame({"path": [os.path.join(d, "a.jpg"), "missing.jpg"]}), npartitions=2)
    >>> docs = ocd.classify(ddf, backend=ocrframe.Replay(os.path.join(d, "saved.jsonl")))
    >>> docs.compute(scheduler="sync")["status"].tolist()
    ['AIS.0000', 'OCRFRAME.0001']
    """
    if col not in ddf.columns:
        raise KeyError(f"column {col!r} not in the frame; its columns are {list(ddf.columns)}")
    options = RequestOptions(type_list=type_list, detect_seal=detect_seal, pdf_page_number=pdf_page_number)
    if backend is not None and not isinstance(backend, (str, os.PathLike)):
        resolve_backend(backend)  # fail now, not on a worker, if it is no backend
    store = os.fspath(store) if store is not None else None
    return ddf.map_partitions(_classify_partition, col, backend, options, store, workers, False,
                              meta=documents_meta(ddf), align_dataframes=False)


def fields(docs: dd.DataFrame) -> dd.DataFrame:
    """The fields frame of a Dask documents frame, partition by partition."""
    return docs.map_partitions(fields_frame, meta=fields_frame(docs._meta))


def _write_part(part: pd.DataFrame, path: str) -> int:
    persist.to_parquet(part, path)
    return len(part)


def to_parquet(docs: dd.DataFrame, path: str | os.PathLike, *, compute: bool = True):
    """Write one lossless parquet file per partition into the folder ``path``.

    Read back with :func:`read_parquet` (Dask) or :func:`ocrframe.read_parquet` (pandas,
    which reads a folder of parts too). Returns the number of rows written (or the
    delayed count when ``compute=False``).
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    parts = docs.to_delayed()
    writes = [dask.delayed(_write_part)(p, str(folder / f"part-{i:05d}.parquet")) for i, p in enumerate(parts)]
    total = dask.delayed(sum)(writes)
    return total.compute() if compute else total


def read_parquet(path: str | os.PathLike) -> dd.DataFrame:
    """A Dask documents (or fields) frame from a folder written by :func:`to_parquet`."""
    files = sorted(Path(path).glob("part-*.parquet"))
    if not files:
        raise FileNotFoundError(f"no part-*.parquet files in {path}; write them with ocrframe.dask.to_parquet")
    meta = persist.read_parquet(files[0]).iloc[:0]
    with dask.config.set({"dataframe.convert-string": False}):  # keep the dtypes as written
        return dd.from_map(persist.read_parquet, [str(f) for f in files], meta=meta)


@register_dataframe_accessor("ocr")
class DaskOcrAccessor:
    """``ddf.ocr.classify(...)`` / ``docs.ocr.fields()`` / ``docs.ocr.to_parquet(path)`` on Dask frames."""

    def __init__(self, ddf: dd.DataFrame):
        self._obj = ddf

    def classify(self, **kwargs) -> dd.DataFrame:
        """See :func:`ocrframe.dask.classify`."""
        return classify(self._obj, **kwargs)

    def fields(self) -> dd.DataFrame:
        """See :func:`ocrframe.dask.fields`."""
        return fields(self._obj)

    def to_parquet(self, path: str | os.PathLike, **kwargs):
        """See :func:`ocrframe.dask.to_parquet`."""
        return to_parquet(self._obj, path, **kwargs)
