"""The real development set: public photos and scans of real documents, hand-labelled.

It lives in the repository's ``datasets/real/`` (see its README: where every image comes
from, the privacy rule, how the split was drawn). Two splits:

- ``dev``: looked at and tuned on;
- ``test``: only measured (``benchmarks/real_accuracy.py --split test``), never looked at.

Unlike the bundled sample it cannot be regenerated: an installed package without the
repository has no real set.

Examples
--------
>>> images, truth = load_real("dev")  # doctest: +SKIP
>>> images.columns.tolist()  # doctest: +SKIP
['image', 'path']
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .labels import read_labels

__all__ = ["load_real", "real_dir", "SPLITS"]

#: the real set's splits
SPLITS = ("dev", "test")


def real_dir() -> Path:
    """The folder of the real set (``$OCRFRAME_REAL_DIR`` or the repository's ``datasets/real``).

    Raises
    ------
    FileNotFoundError
        When neither holds a ``dev/labels.jsonl`` (an installed package without the repository).

    Examples
    --------
    >>> (real_dir() / "manifest.jsonl").is_file()  # doctest: +SKIP
    True
    """
    env = os.environ.get("OCRFRAME_REAL_DIR")
    folder = Path(env) if env else Path(__file__).resolve().parents[2] / "datasets" / "real"
    if not (folder / "dev" / "labels.jsonl").is_file():
        raise FileNotFoundError(f"no real set at {folder}: it ships with the repository (datasets/real), "
                                "not with the package; clone the repository or set OCRFRAME_REAL_DIR")
    return folder


def load_real(split: str = "dev") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A split's images frame and its truth documents frame.

    Parameters
    ----------
    split : {"dev", "test"}, default "dev"
        ``test`` is for measuring only: do not look at its images or tune on them.

    Returns
    -------
    images : DataFrame
        ``image`` (relative path) and ``path`` (absolute), for ``images.ocr.classify(col="path")``.
    truth : DataFrame
        The documents frame of the split's labels.

    Examples
    --------
    >>> load_real("train")
    Traceback (most recent call last):
    ...
    ValueError: split='train'; the real set has 'dev' and 'test'
    """
    if split not in SPLITS:
        raise ValueError(f"split={split!r}; the real set has 'dev' and 'test'")
    truth = read_labels(real_dir() / split / "labels.jsonl")
    images = truth[["image", "path"]].drop_duplicates("image").reset_index(drop=True)
    return images, truth
