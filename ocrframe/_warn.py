"""Warnings that point at the user's line, however deep inside ocrframe they are raised.

``stacklevel=`` counted by hand breaks as soon as a public function gains a wrapper
(``ocrframe.evaluate(...)`` goes through the callable module, then ``evaluate``, then
``Evaluation.__init__``). Like pandas' ``find_stack_level``, :func:`warn` walks the
stack to the first frame outside the ocrframe package.

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

import inspect
import os
import warnings

__all__ = ["warn", "user_stacklevel"]

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
