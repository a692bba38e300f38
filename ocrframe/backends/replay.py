"""Replay: answers from a JSONL file of saved responses, for analysis without re-calling.

One line per image: ``{"image": "<path or name>", "response": {...}}`` or
``{"image": ..., "error": {"error_code": ..., "error_msg": ...}}``; an optional
``"sha256"`` (written by :meth:`ResponseStore.export_jsonl`) matches by content, so
renamed or moved files still find their answer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from ..errors import ResponseValidationError
from ..response import parse_answer
from ..types import Status
from ..errors import ApiError
from .base import ImageInput, RequestOptions

__all__ = ["Replay"]


def _norm(name: str) -> str:
    return PurePosixPath(str(name).replace("\\", "/")).as_posix()


class Replay:
    """A backend that answers from saved responses.

    Parameters
    ----------
    path : str or Path
        The JSONL file.

    Notes
    -----
    An image is matched by content hash (when the file has ``sha256``), then by its
    name as given, then by the longest saved name its path ends with (``data/a.jpg``
    matches a saved ``a.jpg``). An image with no saved answer becomes an error row
    ``OCRFRAME.0008``. ``type_list`` filters the saved documents as the service would.

    Examples
    --------
    >>> import json, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "saved.jsonl")
    >>> with open(p, "w") as f:
    ...     _ = f.write(json.dumps({"image": "a.jpg", "response": {"result": []}}) + "\\n")
    >>> Replay(p).recognize(ImageInput("scans/a.jpg", data=b"..."), RequestOptions())
    {'result': []}
    """

    parallelism = "thread"
    default_workers = 1

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"replay file {self.path} does not exist; write one with "
                                    "ResponseStore.export_jsonl() or `ocrframe store export`")
        self._by_hash: dict[str, dict] = {}
        self._by_name: dict[str, dict] = {}
        with open(self.path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                self._load_line(line, lineno)
        self.identity = f"replay:{self.path.resolve()}"

    def _load_line(self, line: str, lineno: int) -> None:
        where = f"{self.path.name} line {lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise ResponseValidationError(where, f"malformed JSON at column {e.colno}: {e.msg}") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("image"), str):
            raise ResponseValidationError(f"{where}.image", "expected the image's name as a string")
        if ("response" in rec) == ("error" in rec):
            raise ResponseValidationError(where, "expected exactly one of 'response' or 'error'")
        body = rec.get("response", rec.get("error"))
        answer = parse_answer(body, path=f"{where}.{'response' if 'response' in rec else 'error'}")
        entry = {"body": body, "is_error": isinstance(answer, ApiError)}
        if isinstance(rec.get("sha256"), str):
            self._by_hash[rec["sha256"]] = entry
        self._by_name[_norm(rec["image"])] = entry

    def __len__(self) -> int:
        return len(self._by_name)

    def _find(self, image: ImageInput) -> dict | None:
        if self._by_hash:
            hit = self._by_hash.get(image.content_hash())
            if hit is not None:
                return hit
        name = _norm(image.name)
        hit = self._by_name.get(name)
        if hit is not None:
            return hit
        best = None
        for saved, entry in self._by_name.items():
            if name.endswith("/" + saved) and (best is None or len(saved) > len(best[0])):
                best = (saved, entry)
        return best[1] if best else None

    def recognize(self, image: ImageInput, options: RequestOptions) -> dict:
        """The saved answer for ``image``; raises the saved error as :class:`ApiError`."""
        entry = self._find(image)
        if entry is None:
            raise ApiError.of(Status.NOT_IN_REPLAY, f"No saved response for {image.name} in {self.path}.")
        body = entry["body"]
        if entry["is_error"]:
            raise ApiError(body["error_code"], body.get("error_msg") or None)
        if options.type_list is not None:
            wanted = {t.value for t in options.type_list}
            body = {**body, "result": [d for d in body["result"] if d.get("type") in wanted]}
        return body

    def __repr__(self) -> str:
        return f"Replay({str(self.path)!r}, {len(self)} images)"
