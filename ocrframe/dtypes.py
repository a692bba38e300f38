"""pandas extension dtypes for the nested columns: ``content`` (dicts) and ``location`` (quads).

The documents frame keeps each document's fields as a dict and its corners as 4
``[x, y]`` lists. In a plain object column, ``DataFrame.to_parquet`` lets pyarrow
guess a struct type holding the union of every type's keys, so ``pd.read_parquet``
gives back dicts padded with dozens of ``None`` keys and quads as numpy arrays. These
dtypes tell Arrow what the values are, as geopandas' geometry dtype does:

* ``content`` (:class:`ContentDtype`, ``"ocrframe.content"``) is stored as Arrow's
  canonical JSON extension type (``arrow.json``): the exact dict, readable as JSON by
  DuckDB, Polars or Spark;
* ``location`` (:class:`QuadDtype`, ``"ocrframe.quad"``) is stored as a fixed-size list
  of 4 fixed-size lists of 2 numbers (``int64`` when every coordinate is an integer,
  else ``double``), readable as ``DOUBLE[2][4]`` / ``BIGINT[2][4]`` elsewhere.

pyarrow records the pandas dtype's name in the file's pandas metadata, and
``import ocrframe`` registers both names, so ``pd.read_parquet`` restores the same
dicts and lists. (Without ocrframe imported, pandas refuses such a file with
"data type 'ocrframe.content' not understood" rather than guess:
``pyarrow.parquet.read_table(p).to_pandas(ignore_metadata=True)`` then gives JSON text
and nested arrays.)

In memory the arrays behave like object columns: elements are the dicts and lists
themselves, ``to_numpy()`` is an object array, ``map`` keeps the dtype when the
results still fit.

Examples
--------
>>> import io
>>> import pandas as pd
>>> df = pd.DataFrame({
...     "content": pd.array([{"amount": "￥50.00"}, {"card_number": "6222"}], dtype="ocrframe.content"),
...     "location": pd.array([[[0, 0], [9, 0], [9, 9], [0, 9]], None], dtype="ocrframe.quad")})
>>> buf = io.BytesIO()
>>> df.to_parquet(buf)
>>> back = pd.read_parquet(buf)
>>> back["content"].tolist(), back["location"].tolist()
([{'amount': '￥50.00'}, {'card_number': '6222'}], [[[0, 0], [9, 0], [9, 9], [0, 9]], None])
>>> back.dtypes.astype(str).tolist()
['ocrframe.content', 'ocrframe.quad']
"""

from __future__ import annotations

import json
import math
import numbers
from typing import Any, ClassVar, Sequence

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype, take

__all__ = ["ContentDtype", "ContentArray", "QuadDtype", "QuadArray", "CONTENT_DTYPE", "QUAD_DTYPE",
           "as_content", "as_quads", "with_nested_dtypes"]

_QUAD_SHAPE = (4, 2)


def _is_na(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _dumps(v: Any, *, canonical: bool = False) -> str:
    """JSON text of a value: keys in their order (stored), or sorted (a hashing key)."""
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=canonical, default=_json_default)


def _json_default(v: Any):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    raise TypeError(f"{type(v).__name__} is not JSON serialisable")


def _obj(values: Sequence) -> np.ndarray:
    """A 1-D object array of the given elements (lists stay elements, never broadcast)."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


class _NestedDtype(ExtensionDtype):
    kind = "O"
    na_value = None
    _metadata: ClassVar[tuple] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __from_arrow__(self, array):
        """pyarrow -> pandas: the array of this dtype from a (chunked) Arrow array."""
        import pyarrow as pa

        out: list = []
        for ch in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
            out.extend(self._values_from_arrow(ch.storage if isinstance(ch, pa.ExtensionArray) else ch))
        return self.construct_array_type()(_obj(out))

    def _values_from_arrow(self, chunk) -> list:
        raise NotImplementedError


class _NestedArray(ExtensionArray):
    """An object array of nested values behind a pandas extension dtype."""

    _dtype: ClassVar[_NestedDtype]

    def __init__(self, values: np.ndarray, copy: bool = False):
        if not (isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1):
            raise TypeError(f"{type(self).__name__} wraps a 1-D object ndarray; use pd.array(values, "
                            f"dtype={self._dtype.name!r}) to build one from a list")
        self._data = values.copy() if copy else values

    # -- what one element may be --------------------------------------------------------
    @classmethod
    def _is_element(cls, v: Any) -> bool:
        raise NotImplementedError

    @classmethod
    def _coerce(cls, v: Any) -> Any:
        if _is_na(v):
            return None
        if not cls._is_element(v):
            raise TypeError(f"{cls._dtype.name}: {v!r} is not {cls._what}")
        return v

    # -- construction -------------------------------------------------------------------
    @classmethod
    def _from_sequence(cls, scalars, *, dtype=None, copy: bool = False):
        if isinstance(scalars, cls):
            return scalars.copy() if copy else scalars
        if isinstance(scalars, (pd.Series, pd.Index)):
            scalars = scalars.to_numpy(dtype=object)
        return cls(_obj([cls._coerce(v) for v in scalars]))

    @classmethod
    def _from_factorized(cls, values, original):
        return cls(_obj([None if v is None else json.loads(v) for v in values]))

    @classmethod
    def _concat_same_type(cls, to_concat):
        return cls(np.concatenate([a._data for a in to_concat]) if to_concat else np.empty(0, object))

    # -- the array protocol -------------------------------------------------------------
    @property
    def dtype(self) -> _NestedDtype:
        return self._dtype

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self):
        return iter(self._data)

    def __getitem__(self, item):
        if isinstance(item, (int, np.integer)):
            return self._data[item]
        if isinstance(item, tuple) and len(item) == 1:
            item = item[0]
        if not isinstance(item, slice):
            item = pd.api.indexers.check_array_indexer(self, item)
        return type(self)(self._data[item])

    def __setitem__(self, key, value) -> None:
        if isinstance(key, (int, np.integer)):
            self._data[key] = self._coerce(value)
            return
        if not isinstance(key, slice):
            key = pd.api.indexers.check_array_indexer(self, key)
        positions = np.arange(len(self._data))[key]
        if _is_na(value) or self._is_element(value):
            v = self._coerce(value)
            for i in positions:
                self._data[i] = v
            return
        values = list(value)
        if len(values) != len(positions):
            raise ValueError(f"cannot set {len(values)} values into {len(positions)} positions")
        for i, v in zip(positions, values):
            self._data[i] = self._coerce(v)

    def __array__(self, dtype=None, copy=None):
        if dtype is None or np.dtype(dtype) == object:
            return self._data.copy() if copy else self._data
        return self._data.astype(dtype)

    def isna(self) -> np.ndarray:
        return np.fromiter((v is None for v in self._data), dtype=bool, count=len(self._data))

    def take(self, indices, *, allow_fill: bool = False, fill_value=None):
        out = take(self._data, indices, allow_fill=allow_fill)
        if allow_fill:  # pandas fills an object array with NaN; ours holds None (or the given value)
            fill = None if _is_na(fill_value) else self._coerce(fill_value)
            for i in np.flatnonzero(np.asarray(indices) == -1):
                out[i] = fill
        return type(self)(out)

    def copy(self):
        return type(self)(self._data.copy())

    def astype(self, dtype, copy: bool = True):
        dtype = pd.api.types.pandas_dtype(dtype)
        if dtype == self._dtype:
            return self.copy() if copy else self
        if isinstance(dtype, np.dtype) and dtype == object:
            return self._data.copy() if copy else self._data
        return super().astype(dtype, copy=copy)

    def __eq__(self, other):
        if isinstance(other, (pd.Series, pd.Index, pd.DataFrame)):
            return NotImplemented
        if _is_na(other) or self._is_element(other):
            return np.fromiter((v is not None and v == other for v in self._data), bool, len(self._data))
        other = list(other)
        if len(other) != len(self._data):
            raise ValueError(f"lengths must match to compare: {len(self._data)} and {len(other)}")
        return np.fromiter((a is not None and b is not None and a == b for a, b in zip(self._data, other)),
                           bool, len(self._data))

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else ~eq

    # -- hashing, sorting, mapping ------------------------------------------------------
    def _keys(self) -> np.ndarray:
        return _obj([None if v is None else _dumps(v, canonical=True) for v in self._data])

    def _values_for_factorize(self):
        return self._keys(), None

    def _values_for_argsort(self) -> np.ndarray:
        return np.array(["" if k is None else k for k in self._keys()], dtype=object)

    def unique(self):
        return self.factorize()[1]

    def value_counts(self, dropna: bool = True) -> pd.Series:
        codes, uniq = self.factorize(use_na_sentinel=dropna)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
        if not dropna and (codes < 0).any():
            uniq = type(self)._concat_same_type([uniq, type(self)(_obj([None]))])
            counts = np.append(counts, (codes < 0).sum())
        return pd.Series(counts, index=pd.Index(uniq), name="count").sort_values(ascending=False, kind="stable")

    def map(self, mapper, na_action=None):
        from pandas.core.algorithms import map_array

        out = map_array(self._data, mapper, na_action=na_action)
        if isinstance(out, np.ndarray) and out.dtype == object and all(
                _is_na(v) or self._is_element(v) for v in out):
            return type(self)(_obj([None if _is_na(v) else v for v in out]))
        return out

    def _explode(self):
        """``Series.explode``: a list element becomes one row per item (as in an object column)."""
        counts = np.array([len(v) if isinstance(v, list) and v else 1 for v in self._data], dtype=np.int64)
        flat: list = []
        for v in self._data:
            if isinstance(v, list) and v:
                flat.extend(v)
            else:
                flat.append(None if isinstance(v, list) else v)
        return _obj(flat), counts

    # -- Arrow ----------------------------------------------------------------------------
    def __arrow_array__(self, type=None):  # noqa: A002 - the protocol's name
        raise NotImplementedError


@register_extension_dtype
class ContentDtype(_NestedDtype):
    """The dtype of ``content``: one dict of fields per document, stored as Arrow JSON."""

    name = "ocrframe.content"
    type = dict

    @classmethod
    def construct_array_type(cls):
        return ContentArray

    def _values_from_arrow(self, ch) -> list:
        import pyarrow as pa

        if not (pa.types.is_string(ch.type) or pa.types.is_large_string(ch.type)):
            raise TypeError(f"{self.name}: expected JSON text, got Arrow type {ch.type}; read the file with "
                            "ocrframe.read_parquet, which can repair columns pandas saved as structs")
        return [None if s is None else json.loads(s) for s in ch.to_pylist()]


class ContentArray(_NestedArray):
    """Dicts of fields (the ``content`` column)."""

    _dtype = ContentDtype()
    _what = "a dict of fields"

    @classmethod
    def _is_element(cls, v: Any) -> bool:
        return isinstance(v, dict)

    def __arrow_array__(self, type=None):  # noqa: A002
        import pyarrow as pa

        storage = pa.array([None if v is None else _dumps(v) for v in self._data], type=pa.string())
        return pa.ExtensionArray.from_storage(pa.json_(pa.string()), storage)


@register_extension_dtype
class QuadDtype(_NestedDtype):
    """The dtype of ``location``: 4 ``[x, y]`` corners per document (None without one)."""

    name = "ocrframe.quad"
    type = list

    @classmethod
    def construct_array_type(cls):
        return QuadArray

    def _values_from_arrow(self, ch) -> list:
        n = len(ch)
        if not n:
            return []
        valid = ~np.asarray(ch.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        # the child arrays include the null rows' slots (flatten() would skip them)
        points = ch.values.slice(ch.offset * 4, n * 4)
        flat = points.values.slice(points.offset * 2, n * 8)
        if len(flat) != 8 * n:
            raise ValueError(f"{self.name}: expected 4 [x, y] points per row, got {len(flat)} numbers for {n} rows")
        if flat.null_count:  # parquet reads a null row's slots back as nulls
            flat = flat.fill_null(0)
        coords = flat.to_numpy(zero_copy_only=False).reshape(n, *_QUAD_SHAPE).tolist()
        return [q if ok else None for q, ok in zip(coords, valid)]


class QuadArray(_NestedArray):
    """Quads: 4 ``[x, y]`` points each (the ``location`` column)."""

    _dtype = QuadDtype()
    _what = "4 [x, y] points"

    @classmethod
    def _is_element(cls, v: Any) -> bool:
        if not isinstance(v, (list, tuple, np.ndarray)) or len(v) != 4:
            return False
        for p in v:
            if not isinstance(p, (list, tuple, np.ndarray)) or len(p) != 2:
                return False
            if not all(isinstance(c, numbers.Real) and not isinstance(c, bool) for c in p):
                return False
        return True

    @classmethod
    def _coerce(cls, v: Any) -> Any:
        v = super()._coerce(v)
        if isinstance(v, (tuple, np.ndarray)) or (v is not None and any(not isinstance(p, list) for p in v)):
            v = np.asarray(v).tolist()
        return v

    def __arrow_array__(self, type=None):  # noqa: A002
        import pyarrow as pa

        valid = ~self.isna()
        n = len(self._data)
        filled = [v if ok else [[0, 0]] * 4 for v, ok in zip(self._data, valid)]
        coords = np.asarray(filled).reshape(n, *_QUAD_SHAPE) if n else np.zeros((0, *_QUAD_SHAPE), np.int64)
        coords = coords.astype(np.int64 if coords.dtype.kind in "iu" else np.float64)
        points = pa.FixedSizeListArray.from_arrays(pa.array(coords.reshape(-1)), 2)
        return pa.FixedSizeListArray.from_arrays(points, 4, mask=pa.array(~valid))


#: the dtypes of the documents frame's nested columns
CONTENT_DTYPE = ContentDtype()
QUAD_DTYPE = QuadDtype()


def as_content(values: Any) -> ContentArray:
    """A :class:`ContentArray` of dicts (``None`` for a missing one)."""
    return ContentArray._from_sequence(values)


def as_quads(values: Any) -> QuadArray:
    """A :class:`QuadArray` of 4-point quads (``None`` for a missing one)."""
    return QuadArray._from_sequence(values)


def with_nested_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with object ``content`` / ``location`` columns turned into these dtypes.

    A frame whose columns already have them, or has neither column, comes back as it is.

    Examples
    --------
    >>> df = pd.DataFrame({"content": [{"a": "1"}], "location": [None]})
    >>> with_nested_dtypes(df).dtypes.astype(str).tolist()
    ['ocrframe.content', 'ocrframe.quad']
    """
    new = {}
    for col, dtype in (("content", CONTENT_DTYPE), ("location", QUAD_DTYPE)):
        if col in df.columns and df[col].dtype != dtype:
            new[col] = pd.Series(dtype.construct_array_type()._from_sequence(df[col].to_numpy(dtype=object)),
                                 index=df.index, copy=False)
    return df.assign(**new) if new else df
