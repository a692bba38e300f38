"""Documents frames from files: a saved frame (``.parquet``), saved answers or labels (``.jsonl``).

What ``ocrframe evaluate PRED TRUTH`` reads on each side: :func:`read_documents` takes a
documents frame saved by ``ocrframe classify --out`` / ``df.ocr.to_parquet``, or JSONL,
one image per line: the contract's saved answers
(:func:`ocrframe.contract.parse_saved_answer`: ``ocrframe store export`` and Replay files,
``{"image": ..., "response"|"error": {...}}``, or a flat ``result`` / ``error_code``
line), or, with ``truth=True``, labels (:func:`ocrframe.io.read_labels`, image paths
relative to the labels file). ``image`` becomes the ``path`` column.

Examples
--------
>>> import json, os, tempfile
>>> p = os.path.join(tempfile.mkdtemp(), "answers.jsonl")
>>> with open(p, "w") as fh:
...     _ = fh.write(json.dumps({"image": "a.jpg", "response": {"result": []}}) + "\\n")
...     _ = fh.write(json.dumps({"image": "b.jpg", "error_code": "AIS.0103", "error_msg": "x"}) + "\\n")
>>> read_documents(p)[["path", "doc", "status"]]
    path   doc    status
0  a.jpg  <NA>  AIS.0000
1  b.jpg  <NA>  AIS.0103
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._warn import renamed_keywords
from ..contract import iter_jsonl, parse_saved_answer
from ..frames import documents_frame
from ..persist import read_parquet
from ..response import parse_answer
from .labels import read_labels

__all__ = ["read_documents", "read_answers_jsonl"]


@renamed_keywords(labels="truth")
def read_answers_jsonl(path: str | Path, *, truth: bool = False, key: str = "path") -> pd.DataFrame:
    """A documents frame from JSONL answers, or labels (``truth=True``), one image per line.

    Raises ``ValueError`` naming the line of a malformed record.
    """
    images, answers = [], []
    for n, rec in iter_jsonl(path, lambda n, e: ValueError(f"{path} line {n}: malformed JSON ({e.msg})")):
        if truth:
            if not isinstance(rec, dict) or "image" not in rec:
                raise ValueError(f"{path} line {n}: expected an object with 'image'")
            body = {k: v for k, v in rec.get("response", rec).items() if k != "image"}
            images.append(rec["image"])
            answers.append(parse_answer(body, path=f"line {n}", truth=True))
            continue
        saved = parse_saved_answer(rec, f"line {n}")  # the contract's saved-answers shapes
        images.append(saved.image)
        answers.append(parse_answer(saved.body, path=f"line {n}"))
    return documents_frame(pd.DataFrame({key: images}), answers, ignore_index=True)


@renamed_keywords(labels="truth")
def read_documents(path: str | Path, *, truth: bool = False) -> pd.DataFrame:
    """A documents frame from ``.parquet`` (as saved by ocrframe) or ``.jsonl`` (saved
    answers, or labels with ``truth=True``)."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if p.suffix.lower() == ".parquet" or p.is_dir():
        return read_parquet(p).reset_index(drop=True)
    if p.suffix.lower() in (".jsonl", ".json"):
        if truth:  # image paths resolved against the labels file's folder
            return read_labels(p, check_images=False)
        return read_answers_jsonl(p)
    raise ValueError(f"{path}: expected a .parquet documents frame or a .jsonl file")
