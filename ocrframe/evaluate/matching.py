"""Match predicted to true documents per image: optimal one-to-one assignment on quad IoU.

All candidate pairs of all images are formed and their IoU computed at once
(:func:`ocrframe.geometry.pairwise_iou`, grouped by image). Pairs at or above the IoU
threshold are edges; an edge whose two ends have no other edge is a match outright
(the usual case, resolved for all images in one vectorised step), and only images
with competing edges go through :func:`scipy.optimize.linear_sum_assignment`, which
maximises first the number of matches and then their total IoU.

Examples
--------
>>> from ocrframe.evaluate._testing import docs
>>> truth = docs({"a.jpg": [("bankcard", (0, 0, 100, 60)), ("passport", (200, 0, 300, 150))]}, labels=True)
>>> pred = docs({"a.jpg": [("bankcard", (2, 1, 101, 61)), ("passport", (500, 0, 600, 150))]})
>>> m = match_documents(pred, truth, on="path")
>>> m[["path", "outcome", "pred_type", "true_type"]]
    path outcome pred_type true_type
0  a.jpg      TP  bankcard  bankcard
1  a.jpg      FN       NaN  passport
2  a.jpg      FP  passport       NaN
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .. import geometry
from .._warn import warn
from ..types import DOC_TYPE_DTYPE, Status

__all__ = ["match_documents", "OUTCOME_DTYPE", "image_table", "ImageCoverage", "NoCommonImagesError",
           "image_coverage", "unify_paths"]

#: the key column whose values are file paths, normalised before matching
PATH_KEY = "path"
#: how many example images a warning or an error names
N_EXAMPLES = 3
_URL_PREFIXES = ("http://", "https://", "obs://", "s3://", "gs://")


class NoCommonImagesError(ValueError):
    """Predictions and truth share no image: every figure would be NaN or zero."""

OUTCOME_DTYPE = pd.CategoricalDtype(["TP", "FP", "FN"], ordered=False)
_OK = Status.OK.code
_REQUIRED = ("doc", "type", "status", "location")


def _check_frame(df: pd.DataFrame, name: str, on: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name}: expected a documents frame (DataFrame), got {type(df).__name__}")
    missing = [c for c in (*_REQUIRED, *on) if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: not a documents frame with key {list(on)}: missing column(s) {missing}")


def _on_list(on: str | Sequence[str]) -> list[str]:
    return [on] if isinstance(on, str) else list(on)


def _normalize_path(v: Any) -> Any:
    if isinstance(v, os.PathLike):
        v = os.fspath(v)
    if not isinstance(v, str) or not v or v.lower().startswith(_URL_PREFIXES):
        return v
    return os.path.normpath(os.path.abspath(v))


def unify_paths(pred: pd.DataFrame, truth: pd.DataFrame, on: str | Sequence[str]
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spell each file of a ``path`` key one way on both sides: as the truth spells it.

    ``./a.jpg``, ``a.jpg`` and ``/work/a.jpg`` (run from ``/work``) are one file, so
    they must be one image. Paths are compared made absolute and normalised
    (:func:`os.path.abspath`, :func:`os.path.normpath`); every spelling of a file then
    becomes the first one the truth uses (or, for files only predicted, the first one
    the predictions use), so the tables keep the names the user wrote. Only a key
    column named ``path`` is touched; URLs and non-strings stay as they are. A frame
    that needs no rewriting is returned as it is (the same object).

    Examples
    --------
    >>> import os
    >>> truth = pd.DataFrame({"path": ["a.jpg", "b.jpg"]})
    >>> pred = pd.DataFrame({"path": [os.path.abspath("a.jpg"), "./b.jpg", "c.jpg"]})
    >>> p, t = unify_paths(pred, truth, "path")
    >>> p["path"].tolist(), t is truth
    (['a.jpg', 'b.jpg', 'c.jpg'], True)
    """
    cols = _on_list(on)
    if PATH_KEY not in cols or PATH_KEY not in pred.columns or PATH_KEY not in truth.columns:
        return pred, truth
    factorized = [pd.factorize(f[PATH_KEY], use_na_sentinel=True) for f in (truth, pred)]
    spelling: dict[Any, Any] = {}
    for _, uniq in factorized:  # truth first: its spelling wins
        for v in uniq:
            spelling.setdefault(_normalize_path(v), v)
    out = []
    for frame, (codes, uniq) in zip((truth, pred), factorized):
        new = np.array([spelling[_normalize_path(v)] for v in uniq], dtype=object)
        if all(a is b or a == b for a, b in zip(new, uniq)):
            out.append(frame)
            continue
        values = np.where(codes >= 0, new[np.maximum(codes, 0)], frame[PATH_KEY].to_numpy(dtype=object))
        out.append(frame.assign(**{PATH_KEY: pd.Series(values, index=frame.index, dtype=object)}))
    return out[1], out[0]


@dataclass(frozen=True)
class ImageCoverage:
    """Which images the two sides share: counts and a few examples of each mismatch.

    ``truth_only`` images count all their documents as missed; ``pred_only`` images
    are left out of every figure.
    """

    on: tuple[str, ...]
    n_truth: int
    n_pred: int
    n_common: int
    truth_only: tuple  # up to N_EXAMPLES keys
    pred_only: tuple
    n_truth_only: int
    n_pred_only: int
    truth_only_documents: int  # labelled documents on images without a prediction
    same_names: int  # mismatched images whose file name does appear on the other side

    @property
    def n_given(self) -> int:
        """Distinct images on either side."""
        return self.n_truth + self.n_pred - self.n_common

    def _key(self) -> str:
        return repr(self.on[0]) if len(self.on) == 1 else repr(list(self.on))

    def _hint(self) -> str:
        if not self.same_names:
            return ""
        return (f" {self.same_names} of the unmatched images share a file name with an image on the other side: "
                "the same files under another folder? Paths are compared made absolute (os.path.abspath, from "
                "the current folder); make the folders agree, or match on a column of file names.")

    def message(self) -> str:
        """What is wrong, in a sentence or three (empty when both sides have the same images)."""
        parts = []
        if self.n_truth_only:
            parts.append(f"{self.n_truth_only} of {self.n_truth} labelled image(s) have no prediction "
                         f"(e.g. {', '.join(map(repr, self.truth_only))}); their {self.truth_only_documents} "
                         "document(s) count as missed.")
        if self.n_pred_only:
            parts.append(f"{self.n_pred_only} predicted image(s) have no labels in truth and are left out of the "
                         f"evaluation (e.g. {', '.join(map(repr, self.pred_only))}).")
        if not parts:
            return ""
        key = self._key()
        sel = (f"truth[truth[{key}].isin(pred[{key}])]" if len(self.on) == 1
               else f"truth.merge(pred[{key}].drop_duplicates())")
        tail = (f" To score only the images both sides have, pass {sel}." if self.n_truth_only and self.n_common
                else "")
        return f"on={key}: " + " ".join(parts) + tail + self._hint()

    def no_common_message(self) -> str:
        return (f"on={self._key()}: predictions and truth have no image in common, so there is nothing to score "
                f"({self.n_truth} labelled image(s), e.g. {', '.join(map(repr, self.truth_only)) or 'none'}; "
                f"{self.n_pred} predicted, e.g. {', '.join(map(repr, self.pred_only)) or 'none'})."
                + self._hint())


def _example(keys: pd.DataFrame, idx: np.ndarray) -> tuple:
    rows = keys.iloc[idx[:N_EXAMPLES]]
    if keys.shape[1] == 1:
        return tuple(rows.iloc[:, 0].tolist())
    return tuple(map(tuple, rows.itertuples(index=False)))


def image_coverage(pred: pd.DataFrame, truth: pd.DataFrame, on: str | Sequence[str] = "path") -> ImageCoverage:
    """Count the images of each side and those the other side lacks.

    Examples
    --------
    >>> from ocrframe.evaluate._testing import docs
    >>> t = docs({"a": [], "b": [("bankcard", (0, 0, 9, 9))], "c": []}, labels=True)
    >>> c = image_coverage(docs({"a": [], "z": []}), t)
    >>> c.n_common, c.n_given, c.truth_only, c.truth_only_documents, c.pred_only
    (1, 4, ('b', 'c'), 1, ('z',))
    """
    cols = _on_list(on)
    gt, gp, keys = geometry.image_codes(truth, pred, cols)
    n = len(keys)
    in_t = np.zeros(n, bool)
    in_t[gt] = True
    in_p = np.zeros(n, bool)
    in_p[gp] = True
    t_only = np.flatnonzero(in_t & ~in_p)
    p_only = np.flatnonzero(in_p & ~in_t)
    docs_t = truth["doc"].notna().to_numpy()
    t_only_docs = int(np.isin(gt[docs_t], t_only).sum())
    same = 0
    if len(cols) == 1 and len(t_only) and len(p_only):
        def names(idx):
            return {os.path.basename(str(v)) for v in keys.iloc[idx, 0]}
        common_names = names(t_only) & names(p_only)
        same = sum(os.path.basename(str(v)) in common_names for v in keys.iloc[np.r_[t_only, p_only], 0])
    return ImageCoverage(on=tuple(cols), n_truth=int(in_t.sum()), n_pred=int(in_p.sum()),
                         n_common=int((in_t & in_p).sum()), truth_only=_example(keys, t_only),
                         pred_only=_example(keys, p_only), n_truth_only=len(t_only), n_pred_only=len(p_only),
                         truth_only_documents=t_only_docs, same_names=int(same))


def image_table(pred: pd.DataFrame, truth: pd.DataFrame, on: str | Sequence[str] = "path") -> pd.DataFrame:
    """One row per image in ``truth``: document counts and the prediction's request status.

    Columns: the key ``on``, ``n_true``, ``n_pred``, ``pred_status`` (the request-level
    error code when the image failed as a whole, ``AIS.0000`` otherwise, ``None`` when
    the image is absent from ``pred``), ``pred_status_msg``, ``failed`` (bool).
    """
    cols = _on_list(on)
    gt, gp, keys = geometry.image_codes(truth, pred, cols)
    n = len(keys)
    has_doc_t = truth["doc"].notna().to_numpy()
    has_doc_p = pred["doc"].notna().to_numpy()
    n_true = np.bincount(gt[has_doc_t], minlength=n)
    n_pred = np.bincount(gp[has_doc_p], minlength=n)
    in_truth = np.zeros(n, bool)
    in_truth[gt] = True
    in_pred = np.zeros(n, bool)
    in_pred[gp] = True
    status = np.full(n, _OK, dtype=object)
    msg = np.full(n, "", dtype=object)
    err = (~has_doc_p) & (pred["status"].to_numpy() != _OK)
    status[gp[err]] = pred["status"].to_numpy()[err]
    msg[gp[err]] = pred["status_msg"].to_numpy()[err] if "status_msg" in pred else ""
    status[~in_pred] = None
    msg[~in_pred] = "not in predictions"
    out = keys.assign(n_true=n_true, n_pred=n_pred, pred_status=status, pred_status_msg=msg,
                      failed=(status != _OK) & in_pred, in_pred=in_pred)
    return out[in_truth].reset_index(drop=True)


def match_documents(pred: pd.DataFrame, truth: pd.DataFrame, *, on: str | Sequence[str] = "path",
                    iou: float = 0.5, by_type: bool = False, warn_missing: bool = True) -> pd.DataFrame:
    """Match predicted and true documents of each image one to one.

    Parameters
    ----------
    pred, truth : DataFrame
        Documents frames (``df.ocr.classify()`` / ``read_labels``), from any backend.
    on : str or list of str, default "path"
        The column(s) naming the image.
    iou : float, default 0.5
        A pair matches when the IoU of the two quads is at least this.
    by_type : bool, default False
        Only documents of the same type may match (a type error then shows as one FP
        and one FN instead of a TP with ``type_ok`` False).
    warn_missing : bool, default True
        Warn (naming a few) about images on one side only: see :func:`image_coverage`.

    Returns
    -------
    DataFrame
        One row per TP (a matched pair), FP (unmatched prediction) and FN (unmatched
        truth), grouped by image: the key, ``pred`` / ``truth`` (row positions in the
        input frames, Int64 with NA), ``pred_doc`` / ``true_doc``, ``outcome``
        (categorical TP/FP/FN), ``iou`` (of the match; for FP/FN the best IoU with any
        document on the other side, NaN if none touches), ``pred_type``,
        ``true_type``, ``type_ok``, ``pred_status`` (the predicted document's status,
        None for FN) and ``image_status`` (the prediction's request-level status for
        the image: ``AIS.0000``, an error code when the request failed, None when the
        image is missing from ``pred``).

    Notes
    -----
    Truth defines the images evaluated. Predicted images absent from ``truth`` are
    left out; true images absent from ``pred`` and images whose request failed count
    all their documents as FN. Images on one side only are named in a warning.
    """
    cols = _on_list(on)
    _check_frame(pred, "pred", cols)
    _check_frame(truth, "truth", cols)
    if not (isinstance(iou, (int, float)) and 0.0 < iou <= 1.0):
        raise ValueError(f"iou={iou!r}: expected a number in (0, 1]")
    if not isinstance(by_type, (bool, np.bool_)):
        raise ValueError(f"by_type={by_type!r}: expected True or False")

    if warn_missing:
        msg = image_coverage(pred, truth, cols).message()
        if msg:
            warn(msg)
    gt_all, gp_all, keys = geometry.image_codes(truth, pred, cols)
    in_truth = np.zeros(len(keys), bool)
    in_truth[gt_all] = True
    extra = ~in_truth[gp_all]

    qp_all = geometry.quads_from_location(pred["location"].to_numpy())
    qt_all = geometry.quads_from_location(truth["location"].to_numpy())
    pi = np.flatnonzero(pred["doc"].notna().to_numpy() & np.isfinite(qp_all).all(axis=(1, 2)) & ~extra)
    ti = np.flatnonzero(truth["doc"].notna().to_numpy() & np.isfinite(qt_all).all(axis=(1, 2)))
    gp, gt = gp_all[pi], gt_all[ti]
    qp, qt = qp_all[pi], qt_all[ti]
    ptype = pred["type"].to_numpy()[pi]
    ttype = truth["type"].to_numpy()[ti]

    pairs = geometry.pairwise_iou(qp, qt, groups_a=gp, groups_b=gt)
    a, b, v = pairs["i"].to_numpy(), pairs["j"].to_numpy(), pairs["iou"].to_numpy()
    eligible = v >= iou - 1e-12
    if by_type:
        eligible &= pd.Series(ptype[a]).astype(object).to_numpy() == pd.Series(ttype[b]).astype(object).to_numpy()
    ea, eb, ev = a[eligible], b[eligible], v[eligible]
    mp, mt, mv = _assign(ea, eb, ev, gp[ea], len(qp), len(qt))

    # best IoU against anything on the other side, for unmatched rows
    best_p = np.full(len(qp), np.nan)
    best_t = np.full(len(qt), np.nan)
    if len(v):
        np.fmax.at(best_p, a, v)
        np.fmax.at(best_t, b, v)

    matched_p = np.zeros(len(qp), bool)
    matched_p[mp] = True
    matched_t = np.zeros(len(qt), bool)
    matched_t[mt] = True
    fp = np.flatnonzero(~matched_p)
    fn = np.flatnonzero(~matched_t)

    # FN rows of failed / unpredicted images carry the request-level status
    req_status = np.full(len(keys), _OK, dtype=object)
    perr = (~pred["doc"].notna().to_numpy()) & (pred["status"].to_numpy() != _OK)
    req_status[gp_all[perr]] = pred["status"].to_numpy()[perr]
    in_pred = np.zeros(len(keys), bool)
    in_pred[gp_all] = True
    req_status[~in_pred] = None

    n_tp, n_fp, n_fn = len(mp), len(fp), len(fn)
    image = np.concatenate([gp[mp], gp[fp], gt[fn]])
    prow = np.concatenate([pi[mp], pi[fp], np.full(n_fn, -1)])
    trow = np.concatenate([ti[mt], np.full(n_fp, -1), ti[fn]])
    outcome = np.repeat(np.array([0, 1, 2], np.int8), [n_tp, n_fp, n_fn])
    iou_col = np.concatenate([mv, best_p[fp], best_t[fn]])

    pdoc = pred["doc"].to_numpy(dtype="int64", na_value=-1)
    tdoc = truth["doc"].to_numpy(dtype="int64", na_value=-1)
    pcodes = pd.Categorical(pred["type"], dtype=DOC_TYPE_DTYPE).codes
    tcodes = pd.Categorical(truth["type"], dtype=DOC_TYPE_DTYPE).codes
    has_p, has_t = prow >= 0, trow >= 0
    ptc = np.where(has_p, pcodes[np.maximum(prow, 0)], -1)
    ttc = np.where(has_t, tcodes[np.maximum(trow, 0)], -1)
    pstat = np.where(has_p, pred["status"].to_numpy()[np.maximum(prow, 0)], None)
    istat = req_status[image]

    # stable order: image, then truth doc, then pred doc
    td = np.where(has_t, tdoc[np.maximum(trow, 0)], np.iinfo(np.int64).max)
    pd_ = np.where(has_p, pdoc[np.maximum(prow, 0)], -1)
    order = np.lexsort((pd_, td, image))
    image, prow, trow, outcome, iou_col = image[order], prow[order], trow[order], outcome[order], iou_col[order]
    ptc, ttc, pstat, has_p, has_t = ptc[order], ttc[order], pstat[order], has_p[order], has_t[order]
    istat = istat[order]

    out = keys.take(image).reset_index(drop=True)
    out["image"] = image
    out["pred"] = pd.arrays.IntegerArray(np.maximum(prow, 0).astype(np.int64), ~has_p)
    out["truth"] = pd.arrays.IntegerArray(np.maximum(trow, 0).astype(np.int64), ~has_t)
    out["pred_doc"] = pd.arrays.IntegerArray(pdoc[np.maximum(prow, 0)], ~has_p | (pdoc[np.maximum(prow, 0)] < 0))
    out["true_doc"] = pd.arrays.IntegerArray(tdoc[np.maximum(trow, 0)], ~has_t | (tdoc[np.maximum(trow, 0)] < 0))
    out["outcome"] = pd.Categorical.from_codes(outcome, dtype=OUTCOME_DTYPE)
    out["iou"] = iou_col
    out["pred_type"] = pd.Categorical.from_codes(ptc.astype(np.int16), dtype=DOC_TYPE_DTYPE)
    out["true_type"] = pd.Categorical.from_codes(ttc.astype(np.int16), dtype=DOC_TYPE_DTYPE)
    out["type_ok"] = (ptc == ttc) & has_p & has_t
    out["pred_status"] = pstat
    out["image_status"] = istat
    return out


def _assign(a: np.ndarray, b: np.ndarray, v: np.ndarray, group: np.ndarray, n_a: int, n_b: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-cardinality, then maximum-IoU, one-to-one matching of eligible edges."""
    deg_a = np.bincount(a, minlength=n_a)
    deg_b = np.bincount(b, minlength=n_b)
    simple = (deg_a[a] == 1) & (deg_b[b] == 1)
    ra, rb, rv = [a[simple]], [b[simple]], [v[simple]]
    rest = np.flatnonzero(~simple)
    if len(rest):
        from scipy.optimize import linear_sum_assignment

        ca, cb, cv, cg = a[rest], b[rest], v[rest], group[rest]
        order = np.argsort(cg, kind="stable")
        ca, cb, cv, cg = ca[order], cb[order], cv[order], cg[order]
        bounds_ = np.flatnonzero(np.diff(cg)) + 1
        for s, e in zip(np.r_[0, bounds_], np.r_[bounds_, len(cg)]):
            ua, ia = np.unique(ca[s:e], return_inverse=True)
            ub, ib = np.unique(cb[s:e], return_inverse=True)
            w = np.zeros((len(ua), len(ub)))
            w[ia, ib] = 1.0 + cv[s:e]  # 1 + IoU: more matches first, then more overlap
            r, c = linear_sum_assignment(w, maximize=True)
            ok = w[r, c] > 0
            ra.append(ua[r[ok]])
            rb.append(ub[c[ok]])
            rv.append(w[r[ok], c[ok]] - 1.0)
    return (np.concatenate(ra).astype(np.intp), np.concatenate(rb).astype(np.intp), np.concatenate(rv))
