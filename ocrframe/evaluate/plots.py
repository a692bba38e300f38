"""Figures of an evaluation, as scikit-learn style Display objects.

Each ``*Display`` stores already computed results in ``__init__``; ``from_evaluation``
(and ``from_matches`` / ``from_fields``) compute them; ``plot(*, ax=None, ...)`` draws
onto ``ax`` or a new figure, keeps the artists as ``ax_``, ``figure_`` (and others
with a trailing underscore) and returns ``self``. matplotlib is imported only when
plotting (``pip install 'ocrframe[plot]'``). Chinese labels render with Noto Sans CJK
SC shipped inside the ``mplfonts`` wheel, registered with matplotlib's font manager
from the installed package (nothing is downloaded).

Examples
--------
>>> from ocrframe.evaluate._testing import docs
>>> from ocrframe.evaluate.matching import match_documents
>>> t = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (20, 0, 30, 10))]}, labels=True)
>>> p = docs({"a": [("bankcard", (0, 0, 10, 10)), ("bankcard", (20, 0, 30, 10))]})
>>> disp = ConfusionMatrixDisplay.from_matches(match_documents(p, t))
>>> [t.get_text() for t in disp.ax_.get_xticklabels()]
['银行卡', '护照', '(无)']
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from .._warn import warn_missing_files
from ..types import REGISTRY, DocType
from ..viz import cjk_font, type_label
from ..viz import check_matplotlib as _check_matplotlib
from ..viz import cjk_rc as _cjk_rc
from ..viz import load_rgb as _load_image
from .metrics import type_confusion

__all__ = [
    "cjk_font",
    "type_label",
    "ConfusionMatrixDisplay",
    "AccuracyCoverageDisplay",
    "ReliabilityDisplay",
    "FieldCoverageGridDisplay",
    "IoUHistogramDisplay",
    "ErrorGalleryDisplay",
]


def _field_label(t: Any, field: str, labels: str) -> str:
    if labels == "en":
        return f"{t}.{field}"
    try:
        sch = REGISTRY[DocType(str(t))]
        name = sch.field(field).label_zh or field
        head = field.split(".")[0]
        lst = next((x for x in sch.lists if x.name == head and "." in field), None)
        if lst is not None and lst.label_zh:
            name = f"{lst.label_zh}·{name}"
    except (ValueError, KeyError):
        name = field
    return f"{type_label(t, 'zh')}·{name}"


def _new_ax(ax, figsize):
    plt = _check_matplotlib("plot")
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax, ax.figure


class _FromFrames:
    @classmethod
    def from_frames(cls, pred: pd.DataFrame, truth: pd.DataFrame, *, on: str | Sequence[str] = "path",
                    iou: float = 0.5, by_type: bool = False, **kw):
        """Evaluate ``pred`` against ``truth`` (documents frames) and plot: see ``from_evaluation``."""
        from .core import evaluate

        return cls.from_evaluation(evaluate(pred, truth, on=on, iou=iou, by_type=by_type), **kw)


class ConfusionMatrixDisplay(_FromFrames):
    """Document-type confusion matrix (true rows, predicted columns), incl. ``(none)``.

    Parameters
    ----------
    confusion : DataFrame
        As from :func:`~ocrframe.evaluate.metrics.type_confusion`.
    """

    def __init__(self, confusion: pd.DataFrame):
        self.confusion = confusion

    @classmethod
    def from_matches(cls, matches: pd.DataFrame, *, normalize: str | None = None, ax=None,
                     labels: str = "zh", **kw) -> "ConfusionMatrixDisplay":
        return cls(type_confusion(matches, normalize=normalize)).plot(ax=ax, labels=labels, **kw)

    @classmethod
    def from_evaluation(cls, evaluation, *, normalize: str | None = None, ax=None, labels: str = "zh",
                        **kw) -> "ConfusionMatrixDisplay":
        return cls.from_matches(evaluation.matches, normalize=normalize, ax=ax, labels=labels, **kw)

    def plot(self, *, ax=None, labels: str = "zh", cmap: str = "Blues", values_format: str | None = None,
             im_kw: dict | None = None, text_kw: dict | None = None) -> "ConfusionMatrixDisplay":
        cm = self.confusion
        n = len(cm)
        with _cjk_rc():
            ax, fig = _new_ax(ax, (1.2 + 0.55 * n, 1.0 + 0.5 * n))
            self.im_ = ax.imshow(cm.to_numpy(dtype=float), cmap=cmap, **{"interpolation": "nearest", **(im_kw or {})})
            fmt = values_format or (".2f" if np.issubdtype(cm.to_numpy().dtype, np.floating) else "d")
            vmax = float(np.nanmax(cm.to_numpy(dtype=float))) if n else 0.0
            self.text_ = np.empty(cm.shape, dtype=object)
            for i in range(cm.shape[0]):
                for j in range(cm.shape[1]):
                    v = cm.iat[i, j]
                    color = "white" if vmax and v > vmax / 2 else "black"
                    self.text_[i, j] = ax.text(j, i, format(v, fmt), ha="center", va="center",
                                               **{"color": color, "fontsize": 8, **(text_kw or {})})
            names = [type_label(c, labels) for c in cm.columns]
            ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
            ax.set_yticks(range(len(cm.index)), [type_label(c, labels) for c in cm.index])
            ax.set_xlabel("预测类型 (predicted)" if labels == "zh" else "predicted type")
            ax.set_ylabel("真实类型 (true)" if labels == "zh" else "true type")
            ax.set_title("类型混淆矩阵" if labels == "zh" else "type confusion")
            fig.tight_layout()
        self.ax_, self.figure_ = ax, fig
        return self


class AccuracyCoverageDisplay(_FromFrames):
    """Accuracy (precision of auto-accepted fields) against coverage, one curve per group.

    Parameters
    ----------
    curves : DataFrame
        From :func:`~ocrframe.evaluate.thresholds.coverage_curve`.
    target_precision : float, optional
        Drawn as a horizontal line.
    """

    def __init__(self, curves: pd.DataFrame, *, target_precision: float | None = None):
        self.curves = curves
        self.target_precision = target_precision

    @classmethod
    def from_fields(cls, fields: pd.DataFrame, *, by: str = "type", target_precision: float | None = None,
                    ax=None, **kw) -> "AccuracyCoverageDisplay":
        from .thresholds import coverage_curve

        return cls(coverage_curve(fields, by=by), target_precision=target_precision).plot(ax=ax, **kw)

    @classmethod
    def from_evaluation(cls, evaluation, *, by: str = "type", target_precision: float | None = None,
                        ax=None, **kw) -> "AccuracyCoverageDisplay":
        return cls.from_fields(evaluation.fields, by=by, target_precision=target_precision, ax=ax, **kw)

    def plot(self, *, ax=None, labels: str = "zh", max_curves: int = 12,
             line_kw: dict | None = None) -> "AccuracyCoverageDisplay":
        c = self.curves
        keys = [k for k in ("true_type", "field_group") if k in c.columns]
        with _cjk_rc():
            ax, fig = _new_ax(ax, (6.4, 4.4))
            self.lines_ = []
            if keys:
                sizes = c.groupby(keys, sort=False)["n"].first().sort_values(ascending=False)
                groups = list(sizes.index[:max_curves])
                plt = _check_matplotlib("AccuracyCoverageDisplay.plot")
                palette = plt.get_cmap("tab20" if len(groups) > 10 else "tab10").colors  # no colour twice
                for i, g in enumerate(groups):
                    g = g if isinstance(g, tuple) else (g,)
                    mask = np.ones(len(c), bool)
                    for k, v in zip(keys, g):
                        mask &= c[k].to_numpy() == v
                    x = c[mask]
                    name = type_label(g[0], labels) if len(g) == 1 else _field_label(g[0], g[1], labels)
                    (ln,) = ax.step(x["coverage"], x["precision"], where="post", label=name,
                                    **{"color": palette[i % len(palette)], **(line_kw or {})})
                    self.lines_.append(ln)
            else:
                (ln,) = ax.step(c["coverage"], c["precision"], where="post", label="全部" if labels == "zh" else "all",
                                **(line_kw or {}))
                self.lines_.append(ln)
            if self.target_precision is not None:
                ax.axhline(self.target_precision, color="grey", ls="--", lw=1)
            ax.set_xlim(0, 1.01)
            ax.set_xlabel("覆盖率 / 直通率 (coverage)" if labels == "zh" else "coverage (straight-through)")
            ax.set_ylabel("准确率 (precision)" if labels == "zh" else "precision of accepted")
            ax.set_title("准确率-覆盖率曲线" if labels == "zh" else "accuracy-coverage")
            if self.lines_:
                ax.legend(fontsize=7, loc="lower left")
            ax.grid(alpha=0.3)
            fig.tight_layout()
        self.ax_, self.figure_ = ax, fig
        return self


#: two dark colours after tab10's ten, so 12 small multiples get 12 distinct, legible colours
_EXTRA_COLORS = ("#393b79", "#8c6d31")


class FieldCoverageGridDisplay(_FromFrames):
    """Small multiples: one accuracy-coverage curve per field, for the fields with the most
    errors, each in its own colour and its own panel (shared axes).

    Parameters
    ----------
    curves : DataFrame
        From :func:`~ocrframe.evaluate.thresholds.coverage_curve` with ``by="field"``.
    errors : DataFrame
        One row per field shown, in order: ``true_type``, ``field_group``, ``n``,
        ``errors``.
    target_precision : float, optional
        Drawn as a dashed line in every panel.
    """

    def __init__(self, curves: pd.DataFrame, errors: pd.DataFrame, *, target_precision: float | None = None):
        self.curves = curves
        self.errors = errors
        self.target_precision = target_precision

    @classmethod
    def from_evaluation(cls, evaluation, *, n: int = 12, target_precision: float | None = None, fig=None,
                        **kw) -> "FieldCoverageGridDisplay":
        """The ``n`` fields with the most wrong values (then the most values)."""
        from .thresholds import coverage_curve

        f = evaluation.fields
        keys = ["true_type", "field_group"]
        wrong = ~f[evaluation.correct].to_numpy(dtype=bool)
        per = (f.assign(errors=wrong, true_type=f["true_type"].astype(str))
               .groupby(keys, sort=False, observed=True).agg(n=("errors", "size"), errors=("errors", "sum")))
        per = per[per["errors"] > 0].sort_values(["errors", "n"], ascending=False, kind="stable").head(n)
        curves = coverage_curve(f.assign(true_type=f["true_type"].astype(str)), by="field", correct=evaluation.correct)
        return cls(curves, per.reset_index(), target_precision=target_precision).plot(fig=fig, **kw)

    def plot(self, *, fig=None, ncols: int = 4, labels: str = "zh", panel_size: tuple[float, float] = (2.3, 1.9),
             line_kw: dict | None = None) -> "FieldCoverageGridDisplay":
        plt = _check_matplotlib("FieldCoverageGridDisplay.plot")
        e = self.errors
        n = max(len(e), 1)
        ncols = min(ncols, n)
        nrows = int(np.ceil(n / ncols))
        colors = [*plt.get_cmap("tab10").colors, *_EXTRA_COLORS]
        zh = labels == "zh"
        with _cjk_rc():
            if fig is None:
                fig = plt.figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.5))
            axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
            self.lines_ = []
            c = self.curves
            for k, ax in enumerate(axes.ravel()):
                if k >= len(e):
                    ax.axis("off")
                    continue
                r = e.iloc[k]
                mask = (c["true_type"].astype(str).to_numpy() == r["true_type"]) & (
                    c["field_group"].to_numpy() == r["field_group"])
                x = c[mask]
                color = colors[k % len(colors)]
                (ln,) = ax.step(x["coverage"], x["precision"], where="post", color=color, lw=1.6,
                                **(line_kw or {}))
                self.lines_.append(ln)
                if not len(x):  # never read, so no confidence to sweep
                    ax.text(0.5, 0.5, "未读出 (无置信度)" if zh else "not read: no confidence", ha="center",
                            va="center", transform=ax.transAxes, fontsize=7, color=color)
                if self.target_precision is not None:
                    ax.axhline(self.target_precision, color="grey", ls="--", lw=0.8)
                ax.set_title(f"{_field_label(r['true_type'], r['field_group'], labels)}\n"
                             + (f"错 {int(r['errors'])} / {int(r['n'])}" if zh else
                                f"{int(r['errors'])} wrong of {int(r['n'])}"), fontsize=7, color=color)
                ax.tick_params(labelsize=6)
                ax.grid(alpha=0.3)
                ax.set_xlim(0, 1.02)
            fig.supxlabel("覆盖率 / 直通率 (coverage)" if zh else "coverage (straight-through)", fontsize=8)
            fig.supylabel("准确率 (precision)" if zh else "precision of accepted", fontsize=8)
            fig.tight_layout()
        self.axes_, self.figure_ = axes, fig
        return self


class ReliabilityDisplay(_FromFrames):
    """Reliability diagram: accuracy per confidence bin against the diagonal.

    Parameters
    ----------
    table : DataFrame
        From :func:`~ocrframe.evaluate.calibration.reliability_table` with ``by="all"``
        (or one group of it).
    ece : float, optional
        Shown in the title.
    """

    def __init__(self, table: pd.DataFrame, *, ece: float | None = None):
        self.table = table
        self.ece = ece

    @classmethod
    def from_fields(cls, fields: pd.DataFrame, *, n_bins: int = 10, strategy: str = "uniform", ax=None,
                    **kw) -> "ReliabilityDisplay":
        from .calibration import calibration_errors, reliability_table

        t = reliability_table(fields, n_bins=n_bins, strategy=strategy, by="all")
        e = calibration_errors(fields, n_bins=n_bins, strategy=strategy, by="all")["ece"]
        return cls(t, ece=float(e.iloc[0]) if len(e) else None).plot(ax=ax, **kw)

    @classmethod
    def from_evaluation(cls, evaluation, *, n_bins: int = 10, strategy: str = "uniform", ax=None,
                        **kw) -> "ReliabilityDisplay":
        return cls.from_fields(evaluation.fields, n_bins=n_bins, strategy=strategy, ax=ax, **kw)

    def plot(self, *, ax=None, labels: str = "zh", bar_kw: dict | None = None,
             counts: bool = True) -> "ReliabilityDisplay":
        """Draw; ``counts`` writes each bin's number of fields above its bar (``counts_``)."""
        t = self.table
        with _cjk_rc():
            ax, fig = _new_ax(ax, (4.8, 4.4))
            width = (t["upper"] - t["lower"]).to_numpy()
            self.bars_ = ax.bar(t["lower"], t["accuracy"].fillna(0), width=width, align="edge",
                                **{"edgecolor": "black", "alpha": 0.7, **(bar_kw or {})})
            ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=1)
            # markers at accuracy 1.0 sit on the top edge: drawn whole, not clipped
            ax.plot(t["confidence"], t["accuracy"], "o", color="C3", ms=3, clip_on=False, zorder=3)
            self.counts_ = []
            if counts:
                for lo, w, acc, n in zip(t["lower"], width, t["accuracy"].fillna(0), t["count"]):
                    if n:
                        self.counts_.append(ax.text(lo + w / 2, min(acc, 1.0) + 0.015, f"{int(n)}", ha="center",
                                                    va="bottom", fontsize=6, color="#333"))
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1.08)
            ax.set_yticks(np.linspace(0, 1, 6))
            ax.set_xlabel("置信度 (confidence)" if labels == "zh" else "confidence")
            ax.set_ylabel("准确率 (accuracy)" if labels == "zh" else "accuracy")
            title = "可靠性图" if labels == "zh" else "reliability"
            if self.ece is not None:
                title += f"  ECE={self.ece:.3f}"
            if counts:
                title += "\n(数字 = 该区间字段数)" if labels == "zh" else "\n(numbers: fields per bin)"
            ax.set_title(title)
            fig.tight_layout()
        self.ax_, self.figure_ = ax, fig
        return self


class IoUHistogramDisplay(_FromFrames):
    """Histogram of IoU: of the matches, and best IoU of unmatched detections."""

    def __init__(self, matched: np.ndarray, unmatched: np.ndarray, *, threshold: float | None = None):
        self.matched = np.asarray(matched, dtype=float)
        self.unmatched = np.asarray(unmatched, dtype=float)
        self.threshold = threshold

    @classmethod
    def from_matches(cls, matches: pd.DataFrame, *, threshold: float | None = None, ax=None,
                     **kw) -> "IoUHistogramDisplay":
        o = matches["outcome"].to_numpy()
        iou = matches["iou"].to_numpy(dtype=float)
        un = iou[(o != "TP") & np.isfinite(iou)]
        return cls(iou[o == "TP"], un, threshold=threshold).plot(ax=ax, **kw)

    @classmethod
    def from_evaluation(cls, evaluation, *, ax=None, **kw) -> "IoUHistogramDisplay":
        return cls.from_matches(evaluation.matches, threshold=evaluation.iou, ax=ax, **kw)

    def plot(self, *, ax=None, labels: str = "zh", bins: int = 40, hist_kw: dict | None = None
             ) -> "IoUHistogramDisplay":
        with _cjk_rc():
            ax, fig = _new_ax(ax, (5.6, 3.6))
            edges = np.linspace(0, 1, bins + 1)
            zh = labels == "zh"
            self.hist_ = [ax.hist(self.matched, bins=edges, alpha=0.75, label="匹配 (TP)" if zh else "matched",
                                  **(hist_kw or {})),
                          ax.hist(self.unmatched, bins=edges, alpha=0.6,
                                  label="未匹配的最大IoU (FP/FN)" if zh else "unmatched (best IoU)", **(hist_kw or {}))]
            if self.threshold is not None:
                ax.axvline(self.threshold, color="black", ls="--", lw=1)
            ax.set_xlabel("IoU")
            ax.set_ylabel("文档数 (documents)" if zh else "documents")
            ax.set_title("定位IoU分布" if zh else "IoU distribution")
            ax.legend(fontsize=8)
            fig.tight_layout()
        self.ax_, self.figure_ = ax, fig
        return self


class ErrorGalleryDisplay(_FromFrames):
    """A grid of document crops, warped upright along the document's own corners (so a
    document lying sideways or upside down reads the right way up), with the predicted
    against the true value.

    Parameters
    ----------
    cases : DataFrame
        One row per error to show with ``quad`` (4x2), ``image`` (a path or array, may
        be None), ``title`` and ``pred_value`` / ``true_value``; see
        :meth:`from_evaluation`.
    """

    def __init__(self, cases: pd.DataFrame):
        self.cases = cases

    @classmethod
    def from_evaluation(cls, evaluation, *, n: int = 12, image_col: str | None = None,
                        load: Callable[[Any], Any] | None = None, labels: str = "zh",
                        **kw) -> "ErrorGalleryDisplay":
        """The ``n`` worst field errors (wrong and most confident first).

        ``image_col`` names the column of the truth frame holding image paths (default:
        the evaluation's key when it is a single column); ``load`` maps its values to
        arrays (default: open paths with PIL).
        """
        f = evaluation.worst_fields(n)
        truth = evaluation.truth
        col = image_col or (evaluation.on if isinstance(evaluation.on, str) else None)
        rows = f["truth"].to_numpy(dtype=np.int64)
        quads = truth["location"].to_numpy()[rows]
        imgs = truth[col].to_numpy()[rows] if col in truth.columns else [None] * len(rows)
        titles = [_field_label(t, g, labels) for t, g in zip(f["true_type"].astype(str), f["field_group"])]
        cases = pd.DataFrame({"image": list(imgs), "quad": list(quads), "title": titles,
                              "pred_value": f["pred_value"].to_numpy(), "true_value": f["true_value"].to_numpy(),
                              "confidence": f["confidence"].to_numpy()})
        disp = cls(cases)
        disp._load = load
        return disp.plot(labels=labels, **kw)

    def plot(self, *, fig=None, ncols: int = 3, labels: str = "zh", tile_size: float = 3.2) -> "ErrorGalleryDisplay":
        plt = _check_matplotlib("ErrorGalleryDisplay.plot")
        from ..geometry import rectify

        c = self.cases
        n = max(len(c), 1)
        ncols = min(ncols, n)
        nrows = int(np.ceil(n / ncols))
        load = getattr(self, "_load", None) or _load_image
        zh = labels == "zh"
        with _cjk_rc():
            if fig is None:
                fig = plt.figure(figsize=(tile_size * ncols, tile_size * 0.9 * nrows + 0.3))
            axes = fig.subplots(nrows, ncols, squeeze=False)
            cache: dict = {}
            missing = []
            for k, ax in enumerate(axes.ravel()):
                ax.set_xticks([])
                ax.set_yticks([])
                if k >= len(c):
                    ax.axis("off")
                    continue
                r = c.iloc[k]
                img = r["image"]
                if isinstance(img, np.ndarray) or img is None:
                    arr = img
                else:
                    if img not in cache:
                        cache[img] = load(img)
                        if cache[img] is None:
                            missing.append(img)
                    arr = cache[img]
                crop = None
                if arr is not None and r["quad"] is not None:
                    try:  # the quad lists the document's corners from its own top-left: the crop reads upright
                        crop = rectify(arr, r["quad"], keep_order=True)
                    except Exception:  # noqa: BLE001
                        crop = None
                if crop is not None:
                    ax.imshow(crop)
                else:
                    ax.set_facecolor("#eeeeee")
                    ax.text(0.5, 0.5, "(无图像)" if zh else "(no image)", ha="center", va="center",
                            transform=ax.transAxes, color="grey")
                conf = r.get("confidence")
                ctext = "" if conf is None or not np.isfinite(conf) else f" ({conf:.2f})"
                pv = "∅" if r["pred_value"] is None or (isinstance(r["pred_value"], float)) else r["pred_value"]
                tv = "∅" if r["true_value"] is None or (isinstance(r["true_value"], float)) else r["true_value"]
                ax.set_title(f"{r['title']}\n{'预测' if zh else 'pred'}: {pv}{ctext}\n{'真值' if zh else 'true'}: {tv}",
                             fontsize=8, loc="left")
            fig.tight_layout()
        warn_missing_files(missing, "their crops in the error gallery are left empty")
        self.axes_, self.figure_ = axes, fig
        return self
