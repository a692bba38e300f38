"""Replay: answers from a JSONL file of saved responses, for analysis without re-calling.

The file is the contract's saved-answers format (:func:`ocrframe.contract.read_saved_answers`):
one line per image, ``{"image": "<path or name>", "response": {...}}`` or
``{"image": ..., "error": {"error_code": ..., "error_msg": ...}}``; an optional
``"sha256"`` (written by :meth:`ResponseStore.export_jsonl`) matches by content, so
renamed or moved files still find their answer.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..contract import ImageInput, RequestOptions, SavedAnswer, read_saved_answers
from ..errors import ApiError
from ..types import Status

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
        self._by_hash: dict[str, SavedAnswer] = {}
        self._by_name: dict[str, SavedAnswer] = {}
        for saved in read_saved_answers(self.path):
            if saved.sha256:
                self._by_hash[saved.sha256] = saved
            self._by_name[_norm(saved.image)] = saved
        self.identity = f"replay:{self.path.resolve()}"

    def __len__(self) -> int:
        return len(self._by_name)

    def _find(self, image: ImageInput) -> SavedAnswer | None:
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
        body = entry.body
        if entry.is_error:
            raise ApiError(body["error_code"], body.get("error_msg") or None)
        if options.type_list is not None:
            wanted = {t.value for t in options.type_list}
            body = {**body, "result": [d for d in body["result"] if d.get("type") in wanted]}
        return body

    def __repr__(self) -> str:
        return f"Replay({str(self.path)!r}, {len(self)} images)"
