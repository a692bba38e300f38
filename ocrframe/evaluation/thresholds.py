"""Confidence thresholds for auto-acceptance, from the field table (see :mod:`.fields`).

A field is *auto-accepted* when it has a predicted value whose confidence is at least
the threshold; everything else (lower confidence, no value, no confidence) goes to a
person. For a group of fields (one field of one type, a whole type, or everything):

* the accuracy-coverage curve: for every distinct confidence ``t``, the share of the
  group's fields accepted at ``t`` (coverage, the straight-through rate) and the share
  of accepted fields that are correct (precision);
* the operating point: the lowest ``t`` whose accepted fields reach the target
  precision -- the largest coverage that meets it (the curve is not monotone, so
  a higher threshold can still fall short).

At document level a document is accepted only if every one of its fields is.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"true_type": "bankcard", "field_group": "card_number", "truth": [0, 1, 2, 3],
...                   "presence": "both", "confidence": [0.99, 0.95, 0.9, 0.5],
...                   "normalized": [True, True, False, True], "exact": True})
>>> t = threshold_table(f, target_precision=0.9)
>>> t[["threshold", "coverage", "precision", "n_accepted"]]
                      threshold  coverage  precision  n_accepted
type     field                                                  
bankcard card_number       0.95       0.5        1.0           2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._warn import with_renamed_columns
from .groups import GROUP_NAMES, RENAMED_GROUP_COLUMNS, SCOPE, check_correct, group_columns, output_names

__all__ = ["coverage_curve", "threshold_table", "document_acceptance", "document_curve"]

def _check(fields: pd.DataFrame, by: str, correct: str, target: float | None = None) -> list[str]:
    keys = group_columns(by)
    check_correct(correct)
    if target is not None and not (isinstance(target, (int, float)) and 0.0 < target <= 1.0):
        raise ValueError(f"target_precision={target!r}: expected a number in (0, 1]")
    need = {"confidence", "presence", correct, *keys}
    missing = need - set(fields.columns)
    if missing:
        raise ValueError(f"fields: missing column(s) {sorted(missing)}; make it with Evaluation.field_table")
    return keys


def _prepare(fields: pd.DataFrame, by: str, correct: str) -> tuple[pd.DataFrame, list[str]]:
    keys = _check(fields, by, correct)
    # spurious fields have nothing to be right about: scored as wrong when accepted
    g = pd.DataFrame({k: fields[k].astype(str).to_numpy() for k in keys})
    conf = fields["confidence"].to_numpy(dtype=float)
    scored = np.isfinite(conf) & (fields["presence"].to_numpy() != "missing")
    g["conf"] = np.where(scored, conf, -np.inf)
    g["correct"] = fields[correct].to_numpy(dtype=bool) & scored
    g["raw_correct"] = fields[correct].to_numpy(dtype=bool)
    g["_all"] = 0
    return g, keys or ["_all"]


def coverage_curve(fields: pd.DataFrame, *, by: str = "field", correct: str = "normalized") -> pd.DataFrame:
    """The accuracy-coverage curve of each group: one row per distinct confidence.

    Parameters
    ----------
    fields : DataFrame
        The field table.
    by : {"field", "type", "all"}, default "field"
        Groups: (true type, field), true type, or all fields pooled.
    correct : {"normalized", "exact"}, default "normalized"
        Which match counts as correct.

    Returns
    -------
    DataFrame
        Group columns (``type``, ``field``: named as in :func:`threshold_table`; the
        old names ``true_type`` and ``field_group`` still read this release, with a
        ``DeprecationWarning``), ``threshold``, ``n_accepted``, ``n_correct``, ``n`` (the
        group's fields), ``coverage``, ``precision``; sorted by group and descending
        threshold.
    """
    return with_renamed_columns(_curve(fields, by, correct), RENAMED_GROUP_COLUMNS)


def _curve(fields: pd.DataFrame, by: str, correct: str) -> pd.DataFrame:
    """:func:`coverage_curve` (its group columns named as :data:`~.groups.GROUP_NAMES` says)."""
    g, keys = _prepare(fields, by, correct)
    g = g[np.isfinite(g["conf"].to_numpy())]
    n_group = _prepare(fields, by, correct)[0].groupby(keys, sort=False).size().rename("n")
    g = g.sort_values([*keys, "conf"], ascending=[True] * len(keys) + [False], kind="stable")
    grp = g.groupby(keys, sort=False)
    g = g.assign(n_accepted=grp.cumcount() + 1, n_correct=grp["correct"].cumsum())
    # ties: keep the last row of each (group, confidence) block
    last = ~g.duplicated([*keys, "conf"], keep="last")
    c = g[last].join(n_group, on=keys)
    out = pd.DataFrame({GROUP_NAMES[k]: c[k].to_numpy() for k in keys if k != "_all"})
    out["threshold"] = c["conf"].to_numpy()
    out["n_accepted"] = c["n_accepted"].to_numpy()
    out["n_correct"] = c["n_correct"].to_numpy()
    out["n"] = c["n"].to_numpy()
    out["coverage"] = out["n_accepted"] / out["n"]
    out["precision"] = out["n_correct"] / out["n_accepted"]
    return out.reset_index(drop=True)


def threshold_table(fields: pd.DataFrame, *, target_precision: float = 0.99, by: str = "field",
                    correct: str = "normalized") -> pd.DataFrame:
    """Per group: the lowest confidence threshold reaching ``target_precision``.

    Returns
    -------
    DataFrame
        Indexed by group (``type``, ``field``); ``n`` (fields), ``accuracy`` (share
        correct with no threshold, missing values counted wrong), ``threshold`` (NaN
        when no threshold reaches the target: accept nothing), ``coverage`` (the
        straight-through rate at it), ``precision`` (of the accepted fields),
        ``n_accepted``.
    """
    keys = output_names(_check(fields, by, correct, target_precision))
    curve = _curve(fields, by, correct)
    g, gkeys = _prepare(fields, by, correct)
    base = g.groupby(gkeys, sort=True).agg(n=("correct", "size"), accuracy=("raw_correct", "mean"))
    base.index = base.index.set_names(output_names(gkeys))
    ok = curve[curve["precision"].to_numpy() >= target_precision - 1e-12]
    if keys:
        best = ok.loc[ok.groupby(keys, sort=False)["n_accepted"].idxmax()] if len(ok) else ok
        best = best.set_index(keys)[["threshold", "coverage", "precision", "n_accepted"]]
    else:
        best = ok.loc[[ok["n_accepted"].idxmax()]] if len(ok) else ok
        best = best.assign(_all=0).set_index("_all")[["threshold", "coverage", "precision", "n_accepted"]]
    out = base.join(best, how="left")
    out["coverage"] = out["coverage"].fillna(0.0)
    out["n_accepted"] = out["n_accepted"].fillna(0).astype(np.int64)
    out["target_precision"] = target_precision
    if not keys:
        out.index = pd.Index(["all"], name=SCOPE)[: len(out)]
    return out


def document_acceptance(fields: pd.DataFrame, *, target_precision: float = 0.99,
                        correct: str = "normalized") -> pd.DataFrame:
    """Document-level view of per-field thresholds: auto-accept a document only if all pass.

    Every field gets its (type, field) threshold from :func:`threshold_table`; a
    document (a matched pair, identified by its ``truth`` row) is accepted when each of
    its fields has a value with confidence at or above its threshold (a field with no
    reachable threshold never passes), and it is correct when every field is.

    Returns
    -------
    DataFrame
        One row per true type plus ``all``: ``documents``, ``accepted``,
        ``straight_through`` (share accepted), ``precision`` (share of accepted
        documents with every field correct), ``all_correct`` (share of all documents
        with every field correct).
    """
    _check(fields, "field", correct, target_precision)
    thr = threshold_table(fields, target_precision=target_precision, by="field", correct=correct)["threshold"]
    t = pd.Series(thr.to_numpy(), index=pd.MultiIndex.from_tuples(thr.index, names=["true_type", "field_group"]))
    key = pd.MultiIndex.from_arrays([fields["true_type"].astype(str), fields["field_group"].astype(str)])
    th = t.reindex(key).to_numpy(dtype=float)
    conf = fields["confidence"].to_numpy(dtype=float)
    present = fields["presence"].to_numpy() != "missing"
    with np.errstate(invalid="ignore"):
        passes = present & np.isfinite(conf) & np.isfinite(th) & (conf >= th)
    d = pd.DataFrame({"doc": fields["truth"].to_numpy(), "type": fields["true_type"].astype(str).to_numpy(),
                      "passes": passes, "correct": fields[correct].to_numpy(dtype=bool)})
    per_doc = d.groupby(["type", "doc"], sort=True).agg(accepted=("passes", "all"), correct=("correct", "all"))
    per_doc["accepted_correct"] = per_doc["accepted"] & per_doc["correct"]

    def summarise(x: pd.DataFrame) -> pd.Series:
        n, acc = len(x), int(x["accepted"].sum())
        return pd.Series({"documents": n, "accepted": acc, "straight_through": acc / n if n else np.nan,
                          "precision": x["accepted_correct"].sum() / acc if acc else np.nan,
                          "all_correct": x["correct"].mean() if n else np.nan})

    rows = {t_: summarise(x) for t_, x in per_doc.groupby(level="type", sort=True)}
    rows["all"] = summarise(per_doc)
    out = pd.DataFrame(rows).T
    out.index.name = "type"
    out[["documents", "accepted"]] = out[["documents", "accepted"]].astype(np.int64)
    return out


def document_curve(fields: pd.DataFrame, *, correct: str = "normalized") -> pd.DataFrame:
    """One global threshold for all fields: a document passes when its least confident
    field does. The curve over that threshold: ``threshold``, ``coverage`` (documents
    accepted), ``precision`` (accepted documents entirely correct)."""
    _check(fields, "all", correct)
    conf = fields["confidence"].to_numpy(dtype=float)
    present = fields["presence"].to_numpy() != "missing"
    conf = np.where(present & np.isfinite(conf), conf, -np.inf)
    d = pd.DataFrame({"doc": fields["truth"].to_numpy(), "conf": conf,
                      "correct": fields[correct].to_numpy(dtype=bool)})
    per_doc = d.groupby("doc").agg(conf=("conf", "min"), correct=("correct", "all"))
    per_doc = per_doc[np.isfinite(per_doc["conf"].to_numpy())].sort_values("conf", ascending=False)
    n = int(d["doc"].nunique())
    acc = np.arange(1, len(per_doc) + 1)
    cor = per_doc["correct"].cumsum().to_numpy()
    out = pd.DataFrame({"threshold": per_doc["conf"].to_numpy(), "n_accepted": acc, "n_correct": cor})
    out = out[~out.duplicated("threshold", keep="last")]
    return out.assign(coverage=out["n_accepted"] / max(n, 1), precision=out["n_correct"] / out["n_accepted"]
                      ).reset_index(drop=True)
