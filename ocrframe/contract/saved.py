"""Saved answers: the one JSONL shape of stored backend answers (``ocrframe store export``,
a Replay file, ``ocrframe evaluate`` predictions), read and written."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

from .._warn import path_second
from ..errors import ApiError, ResponseValidationError


@dataclass(frozen=True)
class SavedAnswer:
    """One line of a saved-answers JSONL file (``ocrframe store export``, a Replay file,
    ``ocrframe evaluate`` predictions): the image, its content hash when known, and the raw
    body, a 200 answer or an error body."""

    image: str
    body: dict
    is_error: bool
    sha256: str | None = None
    options: dict | None = None

    def to_line(self) -> str:
        return saved_answer_line(self.image, self.body, is_error=self.is_error, sha256=self.sha256,
                                 options=self.options)


def saved_answer_line(image: str, body: Mapping, *, is_error: bool, sha256: str | None = None,
                      options: Mapping | None = None) -> str:
    """The one written shape: ``{"image", "sha256"?, "response": {...}}`` or ``{..., "error":
    {"error_code", "error_msg"}}``, plus ``"options"`` when any were set (no newline).

    Examples
    --------
    >>> saved_answer_line("a.jpg", {"error_code": "AIS.0103", "error_msg": "x"}, is_error=True)
    '{"image": "a.jpg", "error": {"error_code": "AIS.0103", "error_msg": "x"}}'
    """
    line: dict[str, Any] = {"image": image}
    if sha256:
        line["sha256"] = sha256
    line["error" if is_error else "response"] = dict(body)
    if options:
        line["options"] = dict(options)
    return json.dumps(line, ensure_ascii=False)


def parse_saved_answer(rec: Any, where: str = "") -> SavedAnswer:
    """One decoded line as a :class:`SavedAnswer`, validated (ResponseValidationError naming
    ``where``).

    The written shape (see :func:`saved_answer_line`) and two older ones are read: a flat
    200 body ``{"image", "result": [...]}`` and a flat error ``{"image", "error_code",
    "error_msg"}``.

    Examples
    --------
    >>> parse_saved_answer({"image": "a.jpg", "error_code": "AIS.0103"}).is_error
    True
    """
    from ..response import parse_answer

    if not isinstance(rec, dict) or not isinstance(rec.get("image"), str):
        raise ResponseValidationError(f"{where}.image" if where else "image", "expected the image's name as a string")
    shapes = [k for k in ("response", "error") if k in rec]
    if len(shapes) > 1:
        raise ResponseValidationError(where, "expected exactly one of 'response' or 'error'")
    if shapes:
        body, path = rec[shapes[0]], f"{where}.{shapes[0]}" if where else shapes[0]
    elif "result" in rec or "error_code" in rec:
        body = {k: v for k, v in rec.items() if k not in ("image", "sha256", "options")}
        path = where
    else:
        raise ResponseValidationError(where, "expected 'response', 'error', 'result' or 'error_code'")
    if shapes == ["error"] and isinstance(body, dict) and "error_code" not in body:
        raise ResponseValidationError(f"{path}.error_code", "missing")
    answer = parse_answer(body, path=path)
    sha = rec.get("sha256")
    options = rec.get("options")
    return SavedAnswer(rec["image"], body, isinstance(answer, ApiError), sha if isinstance(sha, str) else None,
                       options if isinstance(options, dict) else None)


def iter_jsonl(path: str | os.PathLike, malformed: Callable[[int, json.JSONDecodeError], Exception]
               ) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a UTF-8 JSONL file, decoded, with its line number (from 1); a
    line that is not JSON raises ``malformed(line_number, error)`` (each reader names its file
    and line its own way).

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "a.jsonl")
    >>> _ = open(p, "w").write('{"a": 1}\\n\\n[2]\\n{oops\\n')
    >>> lines = iter_jsonl(p, lambda n, e: ValueError(f"line {n}: {e.msg}"))
    >>> next(lines), next(lines)
    ((1, {'a': 1}), (3, [2]))
    >>> next(lines)
    Traceback (most recent call last):
    ...
    ValueError: line 4: Expecting property name enclosed in double quotes
    """
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise malformed(lineno, e) from None
            yield lineno, obj


def read_saved_answers(path: str | os.PathLike) -> Iterator[SavedAnswer]:
    """Every saved answer of a JSONL file, in order; blank lines skipped; a bad line raises
    :class:`~ocrframe.errors.ResponseValidationError` naming the file and line."""
    name = os.path.basename(os.fspath(path))
    for lineno, rec in iter_jsonl(path, lambda n, e: ResponseValidationError(
            f"{name} line {n}", f"malformed JSON at column {e.colno}: {e.msg}")):
        yield parse_saved_answer(rec, f"{name} line {lineno}")


@path_second
def write_saved_answers(answers: Iterable[SavedAnswer], path: str | os.PathLike) -> int:
    """Write saved answers as JSONL (the one shape); returns the number of lines. (The data
    comes first, as for every writer; the old order ``(path, answers)`` warns this release.)"""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for a in answers:
            f.write(a.to_line() + "\n")
            n += 1
    return n
