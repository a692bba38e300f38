"""The bundled sample: about 40 synthetic scenes with their truth, for offline demos and tests.

It lives in the repository's ``datasets/sample/`` (images, ``labels.jsonl``, README with
the generating command). An installed package without the repository regenerates it
once, deterministically, into a cache folder with the same command.

Examples
--------
>>> images, truth = load_sample()  # doctest: +SKIP
>>> images.columns.tolist()  # doctest: +SKIP
['image', 'path']
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..io.labels import read_labels

__all__ = ["load_sample", "sample_dir", "SAMPLE_ARGS"]

#: the arguments of ``ocrframe synth`` that made ``datasets/sample`` (see its README)
SAMPLE_ARGS = ["--n", "40", "--seed", "2022", "--negatives", "0.1", "--hard", "0.2", "--quality", "60,80", "--noise", "2"]


def _repo_sample() -> Path:
    return Path(__file__).resolve().parents[2] / "datasets" / "sample"


def sample_dir(*, generate_if_missing: bool = True) -> Path:
    """The folder of the sample (``$OCRFRAME_SAMPLE_DIR``, the repository's, or a regenerated cache)."""
    env = os.environ.get("OCRFRAME_SAMPLE_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(_repo_sample())
    for c in candidates:
        if (c / "labels.jsonl").is_file():
            return c
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ocrframe" / "sample"
    if (cache / "labels.jsonl").is_file():
        return cache
    if not generate_if_missing:
        raise FileNotFoundError(f"no sample found in {', '.join(map(str, candidates))} or {cache}")
    from .synth import main

    main([*SAMPLE_ARGS, "--out", str(cache)])
    return cache


def load_sample(*, generate_if_missing: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample's images frame and its truth documents frame.

    Returns
    -------
    images : DataFrame
        One row per image: ``image`` (relative path) and ``path`` (absolute), ready for
        ``images.ocr.classify(col="path")``.
    truth : DataFrame
        The documents frame of the labels (:func:`ocrframe.datasets.read_labels`).

    Examples
    --------
    >>> images, truth = load_sample()
    >>> len(images) == truth["image"].nunique()
    True
    >>> sorted(truth["type"].dropna().unique().astype(str))[:2]
    ['bankcard', 'driver_license_back']
    """
    truth = read_labels(sample_dir(generate_if_missing=generate_if_missing) / "labels.jsonl")
    images = truth[["image", "path"]].drop_duplicates("image").reset_index(drop=True)
    return images, truth
