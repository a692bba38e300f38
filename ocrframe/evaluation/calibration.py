"""Calibration of field confidences: reliability tables and expected calibration error.

Only fields with a predicted value and a confidence are scored; correctness is the
normalised match by default. ECE is the count-weighted mean absolute gap between mean
confidence and accuracy over the bins; MCE the largest gap; Brier the mean squared
error of confidence against correctness.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"true_type": "bankcard", "field_group": "card_number", "presence": "both",
...                   "confidence": [0.95, 0.95, 0.55, 0.55], "normalized": [True, True, True, False]})
>>> reliability_table(f, n_bins=2, by="all")[["bin", "count", "confidence", "accuracy"]]
   bin  count  confidence  accuracy
0    0      0         NaN       NaN
1    1      4        0.75      0.75
>>> reliability_table(f, n_bins=10, by="all").dropna()[["bin", "count", "confidence", "accuracy"]]
   bin  count  confidence  accuracy
5    5      2        0.55       0.5
9    9      2        0.95       1.0
>>> round(float(calibration_errors(f, n_bins=10, by="all")["ece"].iloc[0]), 3)
0.05
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._warn import with_renamed_columns
from .groups import RENAMED_GROUP_COLUMNS, SCOPE, check_correct, group_columns, output_names

__all__ = ["reliability_table", "calibration_errors"]

_STRATEGY = {"uniform", "quantile"}


def _scored(fields: pd.DataFrame, by: str, correct: str) -> tuple[pd.DataFrame, list[str]]:
    """The scored fields: group columns (named as a summary names them), confidence, correct."""
    columns = group_columns(by)
    check_correct(correct)
    conf = fields["confidence"].to_numpy(dtype=float)
    keep = np.isfinite(conf) & (fields["presence"].to_numpy() != "missing")
    keys = output_names(columns)
    d = pd.DataFrame({k: fields[c].astype(str).to_numpy()[keep] for k, c in zip(keys, columns)})
    d["confidence"] = np.clip(conf[keep], 0.0, 1.0)
    d["correct"] = fields[correct].to_numpy(dtype=bool)[keep].astype(float)
    if not keys:
        d[SCOPE] = "all"
        keys = [SCOPE]
    return d, keys


def _edges(conf: np.ndarray, n_bins: int, strategy: str) -> np.ndarray:
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, n_bins + 1)
    e = np.quantile(conf, np.linspace(0, 1, n_bins + 1)) if len(conf) else np.linspace(0, 1, n_bins + 1)
    e[0], e[-1] = 0.0, 1.0
    return np.maximum.accumulate(e)


def reliability_table(fields: pd.DataFrame, *, n_bins: int = 10, strategy: str = "uniform", by: str = "field",
                      correct: str = "normalized") -> pd.DataFrame:
    """Per group and confidence bin: count, mean confidence, accuracy, gap.

    Parameters
    ----------
    n_bins : int, default 10
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width bins over [0, 1], or bins with equal counts (per group).
    by : {"field", "type", "all"}, default "field"
    correct : {"normalized", "exact"}, default "normalized"

    Returns
    -------
    DataFrame
        Group columns (``type``, ``field``; the old names ``true_type`` and
        ``field_group`` still read this release, with a ``DeprecationWarning``), ``bin``,
        ``lower``, ``upper``, ``count``, ``confidence``, ``accuracy``, ``gap`` (accuracy -
        confidence). Empty bins have NaN means.
    """
    return with_renamed_columns(_reliability(fields, n_bins, strategy, by, correct), RENAMED_GROUP_COLUMNS)


def _reliability(fields: pd.DataFrame, n_bins: int, strategy: str, by: str, correct: str) -> pd.DataFrame:
    if strategy not in _STRATEGY:
        raise ValueError(f"strategy={strategy!r}; allowed: 'uniform', 'quantile'")
    if not (isinstance(n_bins, (int, np.integer)) and n_bins >= 1):
        raise ValueError(f"n_bins={n_bins!r}: expected a positive integer")
    d, keys = _scored(fields, by, correct)
    parts = []
    for gkey, x in d.groupby(keys, sort=True):
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        conf = x["confidence"].to_numpy()
        edges = _edges(conf, n_bins, strategy)
        b = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, n_bins - 1)
        cnt = np.bincount(b, minlength=n_bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            mc = np.bincount(b, weights=conf, minlength=n_bins) / cnt
            acc = np.bincount(b, weights=x["correct"].to_numpy(), minlength=n_bins) / cnt
        t = pd.DataFrame({k: v for k, v in zip(keys, gkey)}, index=range(n_bins))
        t = t.assign(bin=np.arange(n_bins), lower=edges[:-1], upper=edges[1:], count=cnt, confidence=mc,
                     accuracy=acc, gap=acc - mc)
        parts.append(t)
    cols = [*keys, "bin", "lower", "upper", "count", "confidence", "accuracy", "gap"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    return out.drop(columns=[SCOPE]) if keys == [SCOPE] else out


def calibration_errors(fields: pd.DataFrame, *, n_bins: int = 10, strategy: str = "uniform", by: str = "field",
                       correct: str = "normalized") -> pd.DataFrame:
    """Per group: ``n``, ``accuracy``, ``mean_confidence``, ``ece``, ``mce``, ``brier``."""
    rel = _reliability(fields, n_bins, strategy, by, correct)
    d, keys = _scored(fields, by, correct)
    rel_keys = [k for k in keys if k != SCOPE]
    w = rel["count"].to_numpy(dtype=float)
    absgap = np.abs(rel["gap"].to_numpy(dtype=float))
    rel = rel.assign(_wg=np.where(w > 0, w * absgap, 0.0), _g=np.where(w > 0, absgap, 0.0))
    rel_g = rel.groupby(rel_keys, sort=True) if rel_keys else rel.groupby(np.zeros(len(rel), int))
    ece = rel_g["_wg"].sum() / rel_g["count"].sum()
    mce = rel_g["_g"].max()
    dg = d.groupby(keys, sort=True)
    sq = (d["confidence"] - d["correct"]) ** 2
    out = pd.DataFrame({"n": dg.size().to_numpy(), "accuracy": dg["correct"].mean().to_numpy(),
                        "mean_confidence": dg["confidence"].mean().to_numpy(), "ece": ece.to_numpy(),
                        "mce": mce.to_numpy(), "brier": sq.groupby([d[k] for k in keys], sort=True).mean().to_numpy()},
                       index=dg.size().index)
    return out
