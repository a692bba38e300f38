"""The :class:`Evaluation` object: everything about one (predictions, truth) pair, lazily.

Examples
--------
>>> from ocrframe.evaluate._testing import docs
>>> truth = docs({"a.jpg": [("quota_invoice", (0, 0, 100, 60), {"code": "131001", "amount": "￥50.00"})],
...               "b.jpg": [("bankcard", (0, 0, 80, 50), {"card_number": "6222020012345678"})]}, labels=True)
>>> pred = docs({"a.jpg": [("quota_invoice", (1, 1, 99, 61), {"code": "131001", "amount": "50.00",
...                          "confidence": {"code": 0.98, "amount": 0.91}})],
...              "b.jpg": "AIS.0103"})
>>> ev = evaluate(pred, truth, on="path", iou=0.5)
>>> ev.detection.set_index("view")[["tp", "fp", "fn"]].loc["located"].tolist()
[1, 0, 1]
>>> ev.failed_images[["path", "pred_status", "n_true"]]
    path pred_status  n_true
0  b.jpg    AIS.0103       1
>>> ev.fields[["field", "exact", "normalized"]]
    field  exact  normalized
0    code   True        True
1  amount  False        True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import pandas as pd

from .._warn import warn
from . import calibration as _cal
from . import fields as _fields
from . import matching as _match
from . import metrics as _metrics
from . import thresholds as _thr

__all__ = ["Evaluation", "evaluate", "Calibration"]


@dataclass(frozen=True)
class Calibration:
    """Reliability table (per group and bin) and calibration errors (per group)."""

    table: pd.DataFrame
    errors: pd.DataFrame

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return self.errors._repr_html_()


class Evaluation:
    """Predictions judged against truth; every table is computed on first access.

    Parameters
    ----------
    pred, truth : DataFrame
        Documents frames (from ``df.ocr.classify()``, any backend, and ``read_labels``).
    on : str or list of str, default "path"
        The image key column(s) shared by both frames.
    iou : float, default 0.5
        IoU threshold for a document match.
    by_type : bool, default False
        Match only documents of the same type.
    correct : {"normalized", "exact"}, default "normalized"
        Which field comparison counts as correct for thresholds and calibration.
    align_lists : bool, default True
        Align nested list rows by similarity before comparing fields.

    Attributes
    ----------
    coverage : ImageCoverage
        The images of each side and those the other lacks
        (:func:`~ocrframe.evaluate.matching.image_coverage`).
    matches : DataFrame
        TP / FP / FN rows (:func:`~ocrframe.evaluate.matching.match_documents`).
    images : DataFrame
        One row per true image with counts and the prediction's request status.
    failed_images : DataFrame
        Images whose request failed or that are missing from the predictions.
    detection : DataFrame
        Located and typed precision / recall / F1.
    per_type : DataFrame
        Per-type precision / recall / F1 (scikit-learn).
    fields : DataFrame
        Field correctness of matched documents.

    Raises
    ------
    NoCommonImagesError
        (a ``ValueError``) when the two sides share no image.

    Warns
    -----
    UserWarning
        When some images are on one side only: their counts, three examples of each
        and the ``on=`` key (labelled images without a prediction count as missed,
        predicted images without labels are left out).

    Notes
    -----
    Paths of a key column named ``path`` are compared made absolute and normalised, in
    Python as on the command line, so ``a.jpg`` and ``/data/a.jpg`` name one file when
    run from ``/data``; the tables spell each file as the truth does
    (:func:`~ocrframe.evaluate.matching.unify_paths`).
    """

    def __init__(self, pred: pd.DataFrame, truth: pd.DataFrame, *, on: str | Sequence[str] = "path",
                 iou: float = 0.5, by_type: bool = False, correct: str = "normalized", align_lists: bool = True):
        if correct not in {"normalized", "exact"}:
            raise ValueError(f"correct={correct!r}; allowed: 'normalized', 'exact'")
        self.on = on
        self.iou = iou
        self.by_type = by_type
        self.correct = correct
        self.align_lists = align_lists
        # validate now (cheaply): a wrong key or threshold should fail at the call, not later
        cols = [on] if isinstance(on, str) else list(on)
        _match._check_frame(pred, "pred", cols)
        _match._check_frame(truth, "truth", cols)
        if not (isinstance(iou, (int, float)) and 0.0 < iou <= 1.0):
            raise ValueError(f"iou={iou!r}: expected a number in (0, 1]")
        self.pred, self.truth = _match.unify_paths(pred, truth, cols)
        self.coverage = _match.image_coverage(self.pred, self.truth, cols)
        if not self.coverage.n_common:
            raise _match.NoCommonImagesError(self.coverage.no_common_message())
        msg = self.coverage.message()
        if msg:
            warn(msg)

    def __repr__(self) -> str:
        d = self.detection.set_index("view")
        c = self.coverage
        scope = f"{c.n_truth} images" if c.n_given == c.n_truth else f"{c.n_truth} of {c.n_given} images scored"
        if c.n_truth_only:
            scope += f" ({c.n_truth_only} without prediction: missed)"
        return (f"<Evaluation: {scope}, {int(d.loc['located', 'tp'] + d.loc['located', 'fn'])} "
                f"true documents; located P={d.loc['located', 'precision']:.3f} R={d.loc['located', 'recall']:.3f}, "
                f"typed F1={d.loc['typed', 'f1']:.3f}; iou={self.iou}>")

    def _repr_html_(self) -> str:
        """A notebook's view: the headline, detection, per-type scores and field accuracy."""
        import html as _html

        def table(df: pd.DataFrame) -> str:
            return df.to_html(float_format=lambda x: f"{x:.3f}", border=0)

        try:
            from .report import _with_zh

            parts = [f"<p><b>Evaluation</b> &mdash; {_html.escape(repr(self)[13:-1])}</p>",
                     "<details open><summary>Detection (IoU &ge; "
                     f"{self.iou}; <i>typed</i> also needs the right type)</summary>"
                     + table(self.detection.set_index("view")) + "</details>"]
            if len(self.per_type):
                parts.append("<details open><summary>Per type</summary>" + table(_with_zh(self.per_type)) + "</details>")
            fs = self.field_summary(by="type")
            if len(fs):
                parts.append("<details><summary>Field accuracy by type</summary>" + table(_with_zh(fs)) + "</details>")
            if len(self.failed_images):
                parts.append(f"<p>{len(self.failed_images)} image(s) failed or missing: see "
                             "<code>.failed_images</code></p>")
            parts.append("<p style='color:#666'>More: <code>.summary()</code>, <code>.fields</code>, "
                         "<code>.thresholds()</code>, <code>.plots.confusion()</code>, "
                         "<code>.report('report.html')</code></p>")
            return "<div>" + "".join(parts) + "</div>"
        except Exception as e:  # noqa: BLE001 - a display must not raise
            return f"<pre>{_html.escape(object.__repr__(self))}: {_html.escape(str(e))}</pre>"

    # ---------------------------------------------------------------- documents
    @cached_property
    def matches(self) -> pd.DataFrame:
        return _match.match_documents(self.pred, self.truth, on=self.on, iou=self.iou, by_type=self.by_type,
                                      warn_missing=False)  # the constructor warned

    @cached_property
    def images(self) -> pd.DataFrame:
        return _match.image_table(self.pred, self.truth, self.on)

    @property
    def failed_images(self) -> pd.DataFrame:
        im = self.images
        return im[im["failed"].to_numpy() | ~im["in_pred"].to_numpy()].reset_index(drop=True)

    @cached_property
    def detection(self) -> pd.DataFrame:
        return _metrics.detection_scores(self.matches)

    @cached_property
    def per_type(self) -> pd.DataFrame:
        return _metrics.per_type_scores(self.matches)

    def classification_report(self) -> pd.DataFrame:
        """Per-type precision / recall / F1 / support with micro, macro and weighted averages
        (:func:`~ocrframe.evaluate.metrics.classification_report`, scikit-learn's layout)."""
        return _metrics.classification_report(self.matches)

    def findings(self, *, target_precision: float = 0.99) -> list[str]:
        """Three to five plain-language key findings (:func:`~ocrframe.evaluate.findings.key_findings`)."""
        from .findings import key_findings

        return key_findings(self, target_precision=target_precision)

    def provenance(self) -> list[tuple[str, str]]:
        """Backend and version, inputs, date, counts (:func:`~ocrframe.evaluate.findings.provenance`)."""
        from .findings import provenance

        return provenance(self)

    def confusion(self, *, normalize: str | None = None, include_none: bool = True) -> pd.DataFrame:
        """Type confusion matrix (see :func:`~ocrframe.evaluate.metrics.type_confusion`)."""
        return _metrics.type_confusion(self.matches, normalize=normalize, include_none=include_none)

    # ---------------------------------------------------------------- fields
    @cached_property
    def fields(self) -> pd.DataFrame:
        return _fields.field_table(self.matches, self.pred, self.truth, on=self.on, align_lists=self.align_lists)

    def field_summary(self, *, by: str = "field") -> pd.DataFrame:
        """Field accuracy per (type, field), per type or overall."""
        return _fields.field_summary(self.fields, by=by)

    def thresholds(self, *, target_precision: float = 0.99, by: str = "field") -> pd.DataFrame:
        """Lowest confidence threshold per group reaching ``target_precision`` and its
        straight-through rate (see :func:`~ocrframe.evaluate.thresholds.threshold_table`)."""
        return _thr.threshold_table(self.fields, target_precision=target_precision, by=by, correct=self.correct)

    def coverage_curve(self, *, by: str = "field") -> pd.DataFrame:
        """The full accuracy-coverage curve per group."""
        return _thr.coverage_curve(self.fields, by=by, correct=self.correct)

    def document_acceptance(self, *, target_precision: float = 0.99) -> pd.DataFrame:
        """Auto-accept a document only if all its fields pass their thresholds."""
        return _thr.document_acceptance(self.fields, target_precision=target_precision, correct=self.correct)

    def calibration(self, *, n_bins: int = 10, strategy: str = "uniform", by: str = "field") -> Calibration:
        """Reliability table and ECE per group."""
        kw = dict(n_bins=n_bins, strategy=strategy, by=by, correct=self.correct)
        return Calibration(_cal.reliability_table(self.fields, **kw), _cal.calibration_errors(self.fields, **kw))

    def worst_fields(self, n: int = 20) -> pd.DataFrame:
        """Wrong fields, the most confidently wrong first (then by character error rate)."""
        f = self.fields
        wrong = f[~f[self.correct].to_numpy(dtype=bool)]
        key = wrong["confidence"].fillna(-1.0)
        order = np.lexsort((-wrong["cer"].fillna(1.0).to_numpy(), -key.to_numpy()))
        return wrong.iloc[order[:n]].reset_index(drop=True)

    def worst_images(self, n: int = 20) -> pd.DataFrame:
        """Images with the most errors: missed and false documents, wrong types, wrong fields.

        Only images with at least one error are listed (so fewer than ``n`` may come back)."""
        cols = [self.on] if isinstance(self.on, str) else list(self.on)
        m = self.matches
        o = m["outcome"].to_numpy()
        per = pd.DataFrame({c: m[c].to_numpy() for c in cols}).assign(
            fn=o == "FN", fp=o == "FP", wrong_type=(o == "TP") & ~m["type_ok"].to_numpy(dtype=bool))
        agg = per.groupby(cols, sort=False)[["fn", "fp", "wrong_type"]].sum()
        f = self.fields
        if len(f):
            bad = f.assign(wrong_fields=~f[self.correct].to_numpy(dtype=bool)).groupby(cols, sort=False)["wrong_fields"].sum()
            agg = agg.join(bad, how="left")
        else:
            agg["wrong_fields"] = 0
        agg = agg.fillna(0).astype(np.int64)
        agg["errors"] = agg.sum(axis=1)
        im = self.images.set_index(cols)[["pred_status"]]
        agg = agg.join(im, how="left")
        agg = agg[agg["errors"].to_numpy() > 0]
        return agg.sort_values("errors", ascending=False, kind="stable").head(n).reset_index()

    # ---------------------------------------------------------------- summary, plots, report
    def summary(self, *, target_precision: float = 0.99) -> pd.Series:
        """Headline numbers as a Series, starting with the scope: images scored (the
        labelled ones) out of images given (on either side), those without a prediction
        (counted as missed) and those without labels (left out)."""
        d = self.detection.set_index("view")
        fs = self.field_summary(by="all")
        thr = self.thresholds(target_precision=target_precision, by="all")
        docs = self.document_acceptance(target_precision=target_precision)
        cal = self.calibration(by="all").errors
        im = self.images

        def first(df, col):
            return float(df[col].iloc[0]) if len(df) else float("nan")

        c = self.coverage
        return pd.Series({
            "images_scored": len(im),  # the labelled images: every figure below is over these
            "images_given": c.n_given,  # distinct images in predictions and truth together
            "images_without_prediction": c.n_truth_only,  # scored: their documents count as missed
            "images_without_labels": c.n_pred_only,  # left out of every figure
            "failed_images": int(im["failed"].sum()),
            "true_documents": int(d.loc["located", "tp"] + d.loc["located", "fn"]),
            "predicted_documents": int(d.loc["located", "tp"] + d.loc["located", "fp"]),
            "iou_threshold": self.iou,
            "detection_precision": d.loc["located", "precision"],
            "detection_recall": d.loc["located", "recall"],
            "detection_f1": d.loc["located", "f1"],
            "typed_f1": d.loc["typed", "f1"],
            "mean_iou": d.loc["located", "mean_iou"],
            "fields": int(first(fs, "n")) if len(fs) else 0,
            "field_exact_accuracy": first(fs, "exact"),
            "field_normalized_accuracy": first(fs, "normalized"),
            "field_mean_cer": first(fs, "mean_cer"),
            "target_precision": target_precision,
            "field_straight_through (per-field thresholds)": self._per_field_stp(target_precision),
            "global_threshold": first(thr, "threshold"),
            "global_straight_through": first(thr, "coverage"),
            "document_straight_through": float(docs.loc["all", "straight_through"]) if "all" in docs.index else np.nan,
            "document_precision": float(docs.loc["all", "precision"]) if "all" in docs.index else np.nan,
            "ece": first(cal, "ece"),
        }, name="value", dtype=object)

    def _per_field_stp(self, target: float) -> float:
        t = self.thresholds(target_precision=target, by="field")
        n = t["n"].sum()
        return float(t["n_accepted"].sum() / n) if n else float("nan")

    @property
    def plots(self) -> "_Plots":
        """Figure factories: ``ev.plots.confusion()``, ``coverage()``, ``coverage_grid()``
        (small multiples of the fields with the most errors), ``reliability()``, ``iou()``,
        ``gallery()`` (each returns its ``*Display``)."""
        return _Plots(self)

    def report(self, path: str, *, target_precision: float = 0.99, title: str | None = None,
               n_worst: int = 20, gallery: bool = True) -> str:
        """Write a report: self-contained HTML (``.html``, figures embedded) or Markdown
        (``.md``, figures as PNG files in ``<name>_files/``). Returns the path."""
        from .report import write_report

        return write_report(self, path, target_precision=target_precision, title=title, n_worst=n_worst,
                            gallery=gallery)


class _Plots:
    def __init__(self, ev: Evaluation):
        self._ev = ev

    def confusion(self, **kw):
        from .plots import ConfusionMatrixDisplay

        return ConfusionMatrixDisplay.from_evaluation(self._ev, **kw)

    def coverage(self, **kw):
        from .plots import AccuracyCoverageDisplay

        return AccuracyCoverageDisplay.from_evaluation(self._ev, **kw)

    def coverage_grid(self, **kw):
        from .plots import FieldCoverageGridDisplay

        return FieldCoverageGridDisplay.from_evaluation(self._ev, **kw)

    def reliability(self, **kw):
        from .plots import ReliabilityDisplay

        return ReliabilityDisplay.from_evaluation(self._ev, **kw)

    def iou(self, **kw):
        from .plots import IoUHistogramDisplay

        return IoUHistogramDisplay.from_evaluation(self._ev, **kw)

    def gallery(self, **kw):
        from .plots import ErrorGalleryDisplay

        return ErrorGalleryDisplay.from_evaluation(self._ev, **kw)


def evaluate(pred: pd.DataFrame, truth: pd.DataFrame, *, on: str | Sequence[str] = "path", iou: float = 0.5,
             by_type: bool = False, correct: str = "normalized", align_lists: bool = True) -> Evaluation:
    """Judge predicted documents against the truth: see :class:`Evaluation`."""
    return Evaluation(pred, truth, on=on, iou=iou, by_type=by_type, correct=correct, align_lists=align_lists)
