"""Detection and type metrics from a matches frame (see :mod:`.matching`).

Two views of detection are reported side by side: *located* counts a match as
correct whatever the predicted type; *typed* also requires the type to be right (a
located match with the wrong type is then one FP for the predicted type and one FN for
the true type). Per-type precision / recall / F1 use the typed view and agree with
scikit-learn's ``precision_recall_fscore_support`` over labels in which an unmatched
document is paired with the background label :data:`NONE`.

Examples
--------
>>> from ocrframe.evaluate._testing import docs
>>> from ocrframe.evaluate.matching import match_documents
>>> truth = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (20, 0, 30, 10))],
...               "b": [("bankcard", (0, 0, 10, 10))]}, labels=True)
>>> pred = docs({"a": [("bankcard", (0, 0, 10, 10)), ("bankcard", (20, 0, 30, 10))], "b": []})
>>> m = match_documents(pred, truth)
>>> detection_scores(m)[["view", "tp", "fp", "fn", "precision", "recall"]]
      view  tp  fp  fn  precision    recall
0  located   2   0   1        1.0  0.666667
1    typed   1   1   2        0.5  0.333333
>>> type_confusion(m).loc["passport", "bankcard"]
np.int64(1)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..viz import NONE  # how "no document" is shown, shared with the figures

__all__ = ["NONE", "detection_scores", "per_type_scores", "type_confusion", "type_labels", "DetectionAccumulator",
           "classification_report", "AVERAGES"]

#: the summary rows of :func:`classification_report`, in scikit-learn's order
AVERAGES = ("micro avg", "macro avg", "weighted avg")

_NORMALIZE = {None, "true", "pred", "all"}


def _check_matches(m: pd.DataFrame) -> None:
    need = {"outcome", "pred_type", "true_type", "iou"}
    missing = need - set(m.columns)
    if missing:
        raise ValueError(f"matches: missing column(s) {sorted(missing)}; make it with match_documents()")


def _prf(tp, fp, fn):
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        r = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f = np.where((p + r) > 0, 2 * p * r / (p + r), 0.0)
    f = np.where(np.isnan(p) | np.isnan(r), np.nan, f)
    return p, r, f


def detection_scores(matches: pd.DataFrame) -> pd.DataFrame:
    """Overall detection precision / recall / F1, in the located and the typed view.

    Returns
    -------
    DataFrame
        Rows ``located`` and ``typed``; columns ``tp``, ``fp``, ``fn``, ``precision``,
        ``recall``, ``f1``, ``mean_iou`` (over the matches).
    """
    _check_matches(matches)
    o = matches["outcome"].to_numpy()
    tp = int((o == "TP").sum())
    fp = int((o == "FP").sum())
    fn = int((o == "FN").sum())
    wrong = int(((o == "TP") & ~matches["type_ok"].to_numpy(dtype=bool)).sum())
    rows = {"view": ["located", "typed"], "tp": [tp, tp - wrong], "fp": [fp, fp + wrong], "fn": [fn, fn + wrong]}
    p, r, f = _prf(rows["tp"], rows["fp"], rows["fn"])
    iou = matches.loc[o == "TP", "iou"].mean() if tp else np.nan
    return pd.DataFrame(rows).assign(precision=p, recall=r, f1=f, mean_iou=iou)


def type_labels(matches: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(y_true, y_pred)`` per matches row, with :data:`NONE` for the missing side."""
    _check_matches(matches)
    yt = matches["true_type"].astype(object).where(matches["true_type"].notna(), NONE).to_numpy()
    yp = matches["pred_type"].astype(object).where(matches["pred_type"].notna(), NONE).to_numpy()
    return yt.astype(str), yp.astype(str)


def per_type_scores(matches: pd.DataFrame) -> pd.DataFrame:
    """Typed detection scores per document type (scikit-learn's per-label P/R/F1).

    Returns
    -------
    DataFrame
        Index: the types seen in truth or predictions. Columns ``support`` (true
        documents), ``predicted``, ``tp``, ``fp``, ``fn``, ``precision``, ``recall``,
        ``f1``, ``mean_iou`` (over typed matches), ``located_recall`` (matched by
        position whatever the predicted type).
    """
    from sklearn.metrics import multilabel_confusion_matrix, precision_recall_fscore_support

    _check_matches(matches)
    # integer codes (fast in scikit-learn); -1 is the background label
    tc = pd.Categorical(matches["true_type"]).codes.astype(np.int64)
    pc = pd.Categorical(matches["pred_type"], categories=matches["true_type"].cat.categories).codes.astype(np.int64) \
        if isinstance(matches["true_type"].dtype, pd.CategoricalDtype) else None
    cats = np.asarray(pd.Categorical(matches["true_type"]).categories, dtype=object)
    if pc is None:
        yt, yp = type_labels(matches)
        cats = np.array(sorted((set(yt) | set(yp)) - {NONE}), dtype=object)
        lut = {c: i for i, c in enumerate(cats)}
        tc = np.array([lut.get(v, -1) for v in yt], dtype=np.int64)
        pc = np.array([lut.get(v, -1) for v in yp], dtype=np.int64)
    present = np.union1d(np.unique(tc[tc >= 0]), np.unique(pc[pc >= 0]))
    labels = [str(cats[i]) for i in present]
    cols = ["support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1", "mean_iou", "located_recall"]
    if not labels:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="type"))
    p, r, f, support = precision_recall_fscore_support(tc, pc, labels=present, zero_division=np.nan)
    mcm = multilabel_confusion_matrix(tc, pc, labels=present)
    tp, fp, fn = mcm[:, 1, 1], mcm[:, 0, 1], mcm[:, 1, 0]
    o = matches["outcome"].to_numpy()
    typed = (o == "TP") & matches["type_ok"].to_numpy(dtype=bool)
    n_lab = len(cats)
    iou = matches["iou"].to_numpy(dtype=float)
    cnt = np.bincount(tc[typed], minlength=n_lab)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_iou = (np.bincount(tc[typed], weights=iou[typed], minlength=n_lab) / cnt)[present]
        has_t = tc >= 0
        located = (np.bincount(tc[has_t], weights=(o == "TP")[has_t].astype(float), minlength=n_lab)
                   / np.bincount(tc[has_t], minlength=n_lab))[present]
    return pd.DataFrame({"support": support, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                         "precision": p, "recall": r, "f1": f, "mean_iou": mean_iou, "located_recall": located},
                        index=pd.Index(labels, name="type"))


def classification_report(matches: pd.DataFrame) -> pd.DataFrame:
    """Per-type precision, recall, F1 and support, then micro, macro and weighted averages,
    laid out as scikit-learn's ``classification_report(..., output_dict=True)``.

    *micro avg* pools every document (it equals the typed detection scores), *macro avg*
    is the plain mean over types (a rare type counts as much as a common one), *weighted
    avg* the mean weighted by support. A type with no prediction (precision undefined)
    or no true document (recall undefined) is left out of that column's macro and
    weighted average, as scikit-learn does with ``zero_division=np.nan``.

    Examples
    --------
    >>> from ocrframe.evaluate._testing import docs
    >>> from ocrframe.evaluate.matching import match_documents
    >>> t = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (20, 0, 30, 10))],
    ...           "b": [("bankcard", (0, 0, 10, 10))]}, labels=True)
    >>> p = docs({"a": [("bankcard", (0, 0, 10, 10)), ("bankcard", (20, 0, 30, 10))], "b": []})
    >>> classification_report(match_documents(p, t)).round(3)  # doctest: +NORMALIZE_WHITESPACE
                  precision  recall     f1  support
    type
    passport            NaN   0.000  0.000        1
    bankcard            0.5   0.500  0.500        2
    micro avg           0.5   0.333  0.400        3
    macro avg           0.5   0.250  0.250        3
    weighted avg        0.5   0.333  0.333        3
    """
    per = per_type_scores(matches)
    cols = ["precision", "recall", "f1"]
    body = per[cols].astype(float).assign(support=per["support"].astype(np.int64))
    total = int(body["support"].sum())
    typed = detection_scores(matches).set_index("view").loc["typed"]
    rows = {"micro avg": [typed["precision"], typed["recall"], typed["f1"]]}
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["macro avg"] = [float(np.nanmean(body[c])) if body[c].notna().any() else np.nan for c in cols]
        w = body["support"].to_numpy(float)
        rows["weighted avg"] = []
        for c in cols:
            v = body[c].to_numpy(float)
            ok = np.isfinite(v) & (w > 0)
            rows["weighted avg"].append(float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else np.nan)
    avg = pd.DataFrame([[*rows[k], total] for k in AVERAGES], columns=[*cols, "support"],
                       index=pd.Index(list(AVERAGES), name="type"))
    return pd.concat([body, avg]).rename_axis("type")


def type_confusion(matches: pd.DataFrame, *, normalize: str | None = None,
                   include_none: bool = True) -> pd.DataFrame:
    """Confusion of true (rows) against predicted (columns) types, via scikit-learn.

    Parameters
    ----------
    normalize : {"true", "pred", "all"} or None, default None
        As in :func:`sklearn.metrics.confusion_matrix`.
    include_none : bool, default True
        Keep the :data:`NONE` row (false alarms) and column (misses).
    """
    from sklearn.metrics import confusion_matrix

    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize={normalize!r}; allowed: 'true', 'pred', 'all' or None")
    yt, yp = type_labels(matches)
    labels = sorted((set(yt) | set(yp)) - {NONE})
    if include_none:
        labels = labels + [NONE]
    else:
        keep = (yt != NONE) & (yp != NONE)
        yt, yp = yt[keep], yp[keep]
    if not labels or not len(yt):
        return pd.DataFrame(np.zeros((len(labels), len(labels)), dtype=np.int64),
                            index=pd.Index(labels, name="true"), columns=pd.Index(labels, name="pred"))
    cm = confusion_matrix(yt, yp, labels=labels, normalize=normalize)
    return pd.DataFrame(cm, index=pd.Index(labels, name="true"), columns=pd.Index(labels, name="pred"))


class DetectionAccumulator:
    """Streaming detection counts: ``update(matches)`` per batch, then ``compute()``.

    For evaluations too large for one frame (e.g. read from a response store in
    chunks). ``update`` returns ``self`` so calls chain.

    Examples
    --------
    >>> from ocrframe.evaluate._testing import docs
    >>> from ocrframe.evaluate.matching import match_documents
    >>> t = docs({"a": [("bankcard", (0, 0, 10, 10))]}, labels=True)
    >>> acc = DetectionAccumulator().update(match_documents(t.assign(status="AIS.0000"), t))
    >>> acc.compute()[["tp", "fp", "fn"]].iloc[0].tolist()
    [1, 0, 0]
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> "DetectionAccumulator":
        self._counts = np.zeros(4, dtype=np.int64)  # tp, fp, fn, wrong-type tp
        self._iou_sum = 0.0
        return self

    def update(self, matches: pd.DataFrame) -> "DetectionAccumulator":
        _check_matches(matches)
        o = matches["outcome"].to_numpy()
        tp = o == "TP"
        self._counts += [tp.sum(), (o == "FP").sum(), (o == "FN").sum(),
                         (tp & ~matches["type_ok"].to_numpy(dtype=bool)).sum()]
        self._iou_sum += float(matches.loc[tp, "iou"].sum())
        return self

    def compute(self) -> pd.DataFrame:
        tp, fp, fn, wrong = (int(x) for x in self._counts)
        rows = {"view": ["located", "typed"], "tp": [tp, tp - wrong], "fp": [fp, fp + wrong],
                "fn": [fn, fn + wrong]}
        p, r, f = _prf(rows["tp"], rows["fp"], rows["fn"])
        return pd.DataFrame(rows).assign(precision=p, recall=r, f1=f,
                                         mean_iou=self._iou_sum / tp if tp else np.nan)
