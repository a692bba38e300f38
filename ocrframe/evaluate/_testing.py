"""Small builders of documents frames for doctests, tests and benchmarks.

They go through the real parser (:func:`ocrframe.response.parse_response`) and frame
builder (:func:`ocrframe.frames.documents_frame`), so frames look exactly like a
backend's or ``read_labels``'.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd

from ..errors import ApiError
from ..frames import documents_frame
from ..response import parse_response

__all__ = ["docs", "quad"]


def quad(box: Sequence[float]) -> list[list[float]]:
    """``(x0, y0, x1, y1)`` -> 4 points clockwise from top-left; a 4x2 quad passes through."""
    if len(box) == 4 and not isinstance(box[0], (list, tuple)):
        x0, y0, x1, y1 = box
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    return [list(p) for p in box]


def docs(spec: Mapping[str, Any], *, labels: bool = False, key: str = "path") -> pd.DataFrame:
    """A documents frame from ``{image: [(type, box, content?, status?), ...] | "AIS.0103"}``.

    ``content`` is the response's content dict (with ``confidence`` for predictions);
    a string instead of a list makes the image a failed request with that error code.
    """
    answers = []
    for _image, entries in spec.items():
        if isinstance(entries, str):
            answers.append(ApiError(entries))
            continue
        result = []
        for e in entries:
            t, box = e[0], e[1]
            content = e[2] if len(e) > 2 else {}
            status = e[3] if len(e) > 3 else "AIS.0000"
            d = {"type": t, "location": quad(box), "content": content}
            if not labels:
                d["status"] = {"error_code": status, "error_msg": "Succeeded." if status == "AIS.0000" else "failed"}
            result.append(d)
        answers.append(parse_response({"result": result}, labels=labels))
    return documents_frame(pd.DataFrame({key: list(spec)}), answers, ignore_index=True)
