"""The contract's JSON <-> typed records, with validation that names the offending path.

One parser serves predictions (backend answers) and truth (labels), which share the
response's shape; labels carry no ``status`` or ``confidence``.

Examples
--------
>>> body = {"result": [{"status": {"error_code": "AIS.0000", "error_msg": "Succeeded."},
...   "type": "quota_invoice", "location": [[65, 1006], [1388, 1006], [1388, 1863], [65, 1863]],
...   "content": {"code": "131001", "amount": "￥50.00", "confidence": {"code": 0.92, "amount": 0.98}}}]}
>>> r = parse_response(body)
>>> r.documents[0].type, r.documents[0].ok, r.documents[0].content["amount"]
(<DocType.QUOTA_INVOICE: 'quota_invoice'>, True, '￥50.00')
>>> parse_response({"result": [{"type": "passport", "location": [[0, 0], [1, 0]]}]}, truth=True)
Traceback (most recent call last):
...
ocrframe.errors.ResponseValidationError: result[0].location: expected 4 points, got 2
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Union

from ._warn import renamed_keywords
from .errors import ApiError, ResponseValidationError
from .types import DocType, Status

__all__ = [
    "Document",
    "Response",
    "Answer",
    "parse_response",
    "parse_error",
    "parse_answer",
    "loads_answer",
]

_TYPES = {t.value: t for t in DocType}
_OK = Status.OK


@dataclass(slots=True)
class Document:
    """One document of a response: its type, status, quad and fields.

    (Not frozen: a frozen dataclass's ``__init__`` costs twice as much, and parsing
    hundreds of thousands of saved documents is a hot path. Treat it as read-only.)"""

    type: DocType
    location: list
    content: dict = field(default_factory=dict)
    status_code: str = _OK.code
    status_msg: str = _OK.message
    seal_mark: bool | None = None

    @property
    def ok(self) -> bool:
        return self.status_code == _OK.code

    @renamed_keywords(labels="truth")
    def to_json(self, *, truth: bool = False) -> dict[str, Any]:
        """The contract's dict for this document (truth: a label, without status and confidence)."""
        if truth:
            content = {k: v for k, v in self.content.items() if k != "confidence"}
            return {"type": self.type.value, "location": self.location, "content": content}
        out: dict[str, Any] = {
            "status": {"error_code": self.status_code, "error_msg": self.status_msg},
            "type": self.type.value,
            "location": self.location,
            "content": self.content,
        }
        if self.seal_mark is not None:
            out["seal_mark"] = self.seal_mark
        return out


@dataclass(frozen=True, slots=True)
class Response:
    """A successful (200) answer: the documents found in one image, maybe none."""

    documents: tuple[Document, ...] = ()

    @classmethod
    def empty(cls) -> "Response":
        return cls(())

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def billable(self) -> int:
        """Documents the cloud bills: the successfully recognised ones."""
        return sum(1 for d in self.documents if d.ok)

    @renamed_keywords(labels="truth")
    def to_json(self, *, truth: bool = False) -> dict[str, Any]:
        return {"result": [d.to_json(truth=truth) for d in self.documents]}


#: what a backend gives for one image: a response, or a request-level error
Answer = Union[Response, ApiError]


def _fail(path: str, problem: str):
    raise ResponseValidationError(path, problem)


def _tname(v: Any) -> str:
    return type(v).__name__


def _fast_location_ok(loc: Any) -> bool:
    """The common case, checked without building messages: a list of 4 [int|float, int|float] lists."""
    if type(loc) is not list or len(loc) != 4:
        return False
    for p in loc:
        if type(p) is not list or len(p) != 2:
            return False
        x, y = p
        tx, ty = type(x), type(y)
        if (tx is not int and (tx is not float or x - x != 0.0)) or (
                ty is not int and (ty is not float or y - y != 0.0)):
            return False
    return True


def _check_location(loc: Any, path: str) -> list:
    if _fast_location_ok(loc):
        return loc
    if not isinstance(loc, (list, tuple)):
        _fail(path, f"expected a list of 4 [x, y] points, got {_tname(loc)}")
    if len(loc) != 4:
        _fail(path, f"expected 4 points, got {len(loc)}")
    for i, pt in enumerate(loc):
        if not isinstance(pt, (list, tuple)) or len(pt) != 2:
            _fail(f"{path}[{i}]", f"expected an [x, y] pair, got {pt!r}")
        for v in pt:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or (
                    isinstance(v, float) and not math.isfinite(v)):
                _fail(f"{path}[{i}]", f"expected finite numbers, got {pt!r}")
    return [list(p) for p in loc]


def _check_conf_value(v: Any, path: str) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        if isinstance(v, list):
            for i, row in enumerate(v):
                if isinstance(row, dict):
                    for k, c in row.items():
                        _check_conf_value(c, f"{path}[{i}].{k}")
                else:
                    _check_conf_value(row, f"{path}[{i}]")
            return
        if isinstance(v, dict):
            for k, c in v.items():
                _check_conf_value(c, f"{path}.{k}")
            return
        _fail(path, f"expected a confidence in [0, 1], got {v!r}")
    elif not 0.0 <= v <= 1.0:  # NaN fails this too
        _fail(path, f"expected a confidence in [0, 1], got {v!r}")


def _check_content(content: Any, path: str, truth: bool) -> dict:
    if content is None:
        return {}
    if not isinstance(content, dict):
        _fail(path, f"expected an object of fields, got {_tname(content)}")
    for key, value in content.items():
        if type(value) is str:
            continue
        if key == "confidence":
            if truth:
                continue
            if not isinstance(value, dict):
                _fail(f"{path}.confidence", f"expected an object keyed by field name, got {_tname(value)}")
            for ck, cv in value.items():
                if type(cv) is not float or not 0.0 <= cv <= 1.0:
                    _check_conf_value(cv, f"{path}.confidence.{ck}")
        elif isinstance(value, list):
            for i, row in enumerate(value):
                if not isinstance(row, (dict, str, int, float)) or isinstance(row, bool):
                    _fail(f"{path}.{key}[{i}]", f"expected an object or a string, got {_tname(row)}")
    return content


def _parse_document(d: Any, path: str, truth: bool) -> Document:
    if not isinstance(d, dict):
        _fail(path, f"expected an object, got {_tname(d)}")
    t = d.get("type")
    doc_type = _TYPES.get(t) if isinstance(t, str) else None
    if doc_type is None:
        if "type" not in d:
            _fail(f"{path}.type", "missing")
        _fail(f"{path}.type", f"unknown document type {t!r}; supported: {', '.join(_TYPES)}")
    if "location" not in d:
        _fail(f"{path}.location", "missing")
    loc = _check_location(d["location"], f"{path}.location")
    status = d.get("status")
    if status is None:
        if not truth:
            _fail(f"{path}.status", "missing")
        code, msg = _OK.code, _OK.message
    else:
        if not isinstance(status, dict):
            _fail(f"{path}.status", f"expected {{error_code, error_msg}}, got {_tname(status)}")
        code, msg = status.get("error_code"), status.get("error_msg", "")
        if not isinstance(code, str) or not code:
            _fail(f"{path}.status.error_code", f"expected a code string, got {code!r}")
        if not isinstance(msg, str):
            _fail(f"{path}.status.error_msg", f"expected a string, got {_tname(msg)}")
    content = _check_content(d.get("content"), f"{path}.content", truth)
    seal = d.get("seal_mark")
    if seal is not None and not isinstance(seal, bool):
        _fail(f"{path}.seal_mark", f"expected true/false, got {seal!r}")
    return Document(doc_type, loc, content, code, msg, seal)


@renamed_keywords(labels="truth")
def parse_response(obj: Any, *, path: str = "", truth: bool = False) -> Response:
    """Validate a 200 body ``{"result": [...]}`` into a :class:`Response`.

    Parameters
    ----------
    obj : dict
        The decoded JSON body.
    path : str, default ""
        Prefix for error paths (e.g. ``"line 12"``).
    truth : bool, default False
        Ground truth (labels): ``status`` may be absent (taken as ``AIS.0000``) and
        ``confidence`` is not required or checked.

    Returns
    -------
    Response

    Raises
    ------
    ResponseValidationError
        Naming the offending path, e.g. ``result[2].location: expected 4 points, got 3``.

    Examples
    --------
    >>> parse_response({"result": []}).documents
    ()
    >>> parse_response({"result": {}})
    Traceback (most recent call last):
    ...
    ocrframe.errors.ResponseValidationError: result: expected a list of documents, got dict
    """
    pre = f"{path}." if path else ""
    if not isinstance(obj, dict):
        _fail(path, f"expected a JSON object with 'result', got {_tname(obj)}")
    if "result" not in obj:
        _fail(f"{pre}result", "missing (an error body has error_code/error_msg instead)")
    result = obj["result"]
    if not isinstance(result, list):
        _fail(f"{pre}result", f"expected a list of documents, got {_tname(result)}")
    return Response(tuple(_parse_document(d, f"{pre}result[{i}]", truth) for i, d in enumerate(result)))


def parse_error(obj: Any, *, http_status: int | None = None, path: str = "") -> ApiError:
    """Turn an error body ``{"error_code", "error_msg"}`` into an :class:`ApiError`.

    Examples
    --------
    >>> parse_error({"error_code": "AIS.0103", "error_msg": "The image size does not meet the requirements."}).code
    'AIS.0103'
    """
    pre = f"{path}." if path else ""
    if not isinstance(obj, dict):
        _fail(path, f"expected an error object, got {_tname(obj)}")
    code = obj.get("error_code")
    if not isinstance(code, str) or not code:
        _fail(f"{pre}error_code", f"expected a code string, got {code!r}")
    msg = obj.get("error_msg", "")
    if not isinstance(msg, str):
        _fail(f"{pre}error_msg", f"expected a string, got {_tname(msg)}")
    return ApiError(code, msg or None, http_status=http_status)


@renamed_keywords(labels="truth")
def parse_answer(obj: Any, *, http_status: int | None = None, path: str = "", truth: bool = False) -> Answer:
    """A 200 body becomes a :class:`Response`; an error body an :class:`ApiError`."""
    if isinstance(obj, dict) and "result" not in obj and "error_code" in obj:
        return parse_error(obj, http_status=http_status, path=path)
    return parse_response(obj, path=path, truth=truth)


def loads_answer(text: str | bytes, *, http_status: int | None = None, path: str = "") -> Answer:
    """Decode and validate a JSON text; malformed JSON raises with the position."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ResponseValidationError(path, f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    return parse_answer(obj, http_status=http_status, path=path)
