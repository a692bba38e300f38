"""Warnings that point at the user's line, however deep inside ocrframe they are raised,
and the deprecations of renamed spellings (kept one release).

``stacklevel=`` counted by hand breaks as soon as a public function gains a wrapper
(``ocrframe.evaluate(...)`` goes through ``evaluate``, then ``Evaluation.__init__``).
Like pandas' ``find_stack_level``, :func:`warn` walks the stack to the first frame
outside the ocrframe package. :func:`deprecated`, :func:`renamed_keywords`,
:func:`moved_names`, :func:`path_second`, :func:`with_renamed_columns` and
:func:`with_renamed_keys` warn with a
``DeprecationWarning`` that names the new spelling.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     warn("look here")
>>> w[0].category.__name__, w[0].filename.startswith("<doctest")
('UserWarning', True)
"""

from __future__ import annotations

import functools
import inspect
import os
import warnings
from typing import Any, Callable, Iterable

import pandas as pd

__all__ = ["warn", "user_stacklevel", "warn_missing_files", "deprecated", "moved_names", "renamed_keywords",
           "path_second", "with_renamed_columns", "with_renamed_keys"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def user_stacklevel() -> int:
    """The ``stacklevel`` of the innermost caller outside the ocrframe package."""
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None:
            fname = os.path.abspath(frame.f_code.co_filename)
            if level > 0 and not fname.startswith(_PACKAGE_DIR + os.sep):
                return level
            frame = frame.f_back
            level += 1
    finally:
        del frame
    return max(level - 1, 1)


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` at the user's line (the first frame outside ocrframe)."""
    # user_stacklevel counts from its own frame (0), so this function is level 1, as for warnings.warn
    warnings.warn(message, category, stacklevel=user_stacklevel())


#: how many missing files a warning names
N_NAMED = 5


def warn_missing_files(paths, consequence: str) -> None:
    """Warn once about image files that could not be read, naming the first few.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_missing_files(["a.jpg", "b.jpg"], "drawn as grey placeholders")
    >>> str(w[0].message)
    "2 image file(s) not found or unreadable, drawn as grey placeholders: 'a.jpg', 'b.jpg'"
    """
    paths = list(dict.fromkeys(str(p) for p in paths))
    if not paths:
        return
    named = ", ".join(repr(p) for p in paths[:N_NAMED])
    more = f" and {len(paths) - N_NAMED} more" if len(paths) > N_NAMED else ""
    warn(f"{len(paths)} image file(s) not found or unreadable, {consequence}: {named}{more}")


# ----------------------------------------------------------------------------- deprecations
#: what every deprecation message ends with
REMOVAL = "the old spelling goes in the next release"


def deprecated(message: str) -> None:
    """A ``DeprecationWarning`` at the user's line; ``message`` names the new spelling.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     deprecated("f(a=) is now f(b=)")
    >>> w[0].category.__name__, str(w[0].message)
    ('DeprecationWarning', 'f(a=) is now f(b=); the old spelling goes in the next release')
    """
    warn(f"{message}; {REMOVAL}", DeprecationWarning)


def moved_names(old: str, new: str, names: Iterable[str], home) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``names`` moved from module ``old`` to ``new``: each still
    reads from ``old`` for one release (taken from the module object ``home``), with a warning.

    Examples
    --------
    >>> import math, warnings
    >>> __getattr__ = moved_names("mylib.util", "math", ["pi"], math)
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     __getattr__("pi") == math.pi
    True
    >>> str(w[0].message).split(";")[0]
    'mylib.util.pi is now math.pi'
    """
    moved = frozenset(names)

    def __getattr__(name: str):
        if name in moved:
            deprecated(f"{old}.{name} is now {new}.{name}")
            return getattr(home, name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    return __getattr__


def renamed_keywords(**renamed: str):
    """Decorator: accept each old keyword (``old="new"``) for one release, with a warning.

    The old keyword is passed on under its new name; giving both is a ``TypeError``.
    The signature shown by ``help()`` is the new one.

    Examples
    --------
    >>> import warnings
    >>> @renamed_keywords(labels="lang")
    ... def label(t, lang="zh"):
    ...     return f"{t}/{lang}"
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     label("x", labels="en")
    'x/en'
    >>> str(w[0].message).split(";")[0]
    'label(labels=...) is now label(lang=...)'
    """
    def wrap(func):
        name = func.__qualname__

        @functools.wraps(func)
        def inner(*args, **kwargs):
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{name}() got both {old}= (the old spelling) and {new}=")
                    deprecated(f"{name}({old}=...) is now {name}({new}=...)")
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return inner

    return wrap


def path_second(func):
    """Decorator for a writer ``f(data, path, ...)``: the old order ``f(path, data)`` still
    works for one release, with a warning (a path is a ``str`` or ``os.PathLike``; the data
    never is).

    Examples
    --------
    >>> import warnings
    >>> @path_second
    ... def write(records, path):
    ...     return f"{len(records)} -> {path}"
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     write("out.jsonl", [1, 2]), write([1, 2], "out.jsonl")
    ('2 -> out.jsonl', '2 -> out.jsonl')
    >>> str(w[0].message).split(";")[0], len(w)
    ('write(path, records) is now write(records, path)', 1)
    """
    data = next(iter(inspect.signature(func).parameters))
    name = func.__qualname__

    def is_path(x) -> bool:
        return isinstance(x, (str, os.PathLike))

    @functools.wraps(func)
    def inner(*args, **kwargs):
        if args and is_path(args[0]) and ((len(args) == 1 and data in kwargs)
                                          or (len(args) >= 2 and not is_path(args[1]))):
            deprecated(f"{name}(path, {data}) is now {name}({data}, path)")
            args = (kwargs.pop(data), args[0]) if len(args) == 1 else (args[1], args[0], *args[2:])
        return func(*args, **kwargs)

    return inner


def _renamed_key(key, renamed: dict[str, str]):
    if isinstance(key, str) and key in renamed:
        new = renamed[key]
        deprecated(f"{key!r} is now {new!r}")
        return new
    if isinstance(key, list) and any(isinstance(k, str) and k in renamed for k in key):
        return [_renamed_key(k, renamed) for k in key]
    return key


class RenamedColumnsFrame(pd.DataFrame):
    """A DataFrame whose old column names still read, with a warning (see :func:`with_renamed_columns`)."""

    _metadata = ["_renamed"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def __getitem__(self, key):
        return super().__getitem__(_renamed_key(key, getattr(self, "_renamed", None) or {}))

    def get(self, key, default=None):
        return super().get(_renamed_key(key, getattr(self, "_renamed", None) or {}), default)

    def groupby(self, by=None, *args, **kwargs):
        return super().groupby(_renamed_key(by, getattr(self, "_renamed", None) or {}), *args, **kwargs)


class RenamedKeysSeries(pd.Series):
    """A Series whose old index labels still read, with a warning (see :func:`with_renamed_keys`)."""

    _metadata = ["_renamed", *pd.Series._metadata]

    @property
    def _constructor(self):
        return pd.Series

    def __getitem__(self, key):
        return super().__getitem__(_renamed_key(key, getattr(self, "_renamed", None) or {}))

    def get(self, key, default=None):
        return super().get(_renamed_key(key, getattr(self, "_renamed", None) or {}), default)


def with_renamed_columns(df: pd.DataFrame, renamed: dict[str, str]) -> pd.DataFrame:
    """``df`` whose columns can still be read by their old names for one release, with a
    ``DeprecationWarning`` naming the new one (``df["old"]``, ``df[["old", ...]]``,
    ``df.get("old")``, ``df.groupby("old")``). Whatever is derived from it is a plain
    DataFrame.

    Examples
    --------
    >>> import warnings
    >>> df = with_renamed_columns(pd.DataFrame({"type": ["a"]}), {"true_type": "type"})
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     df["true_type"].tolist()
    ['a']
    >>> str(w[0].message).split(";")[0]
    "'true_type' is now 'type'"
    """
    out = RenamedColumnsFrame(df)
    out._renamed = {k: v for k, v in renamed.items() if k not in df.columns}
    return out


def with_renamed_keys(s: pd.Series, renamed: dict[str, str]) -> pd.Series:
    """``s`` whose index labels can still be read by their old names for one release
    (``s["old"]``, ``s.get("old")``), with a ``DeprecationWarning`` naming the new one.

    Examples
    --------
    >>> import warnings
    >>> s = with_renamed_keys(pd.Series({"new": 1}), {"old (a b)": "new"})
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     int(s["old (a b)"])
    1
    >>> str(w[0].message).split(";")[0]
    "'old (a b)' is now 'new'"
    """
    out = RenamedKeysSeries(s)
    out._renamed = {k: v for k, v in renamed.items() if k not in s.index}
    return out
