"""What :func:`ocrframe.evaluate` returns: the tables of an evaluation, with its figures and its report.

:class:`Evaluation` is :class:`~ocrframe.evaluation.core.EvaluationTables` plus
``ev.plots`` (the ``*Display`` figures of :mod:`.plots`) and ``ev.report(path)`` (the
HTML or Markdown page of :mod:`.report`). It sits above both, so neither the tables nor
the figures import it: compute modules -> core -> plots / report -> here.

Examples
--------
>>> from ocrframe.testing.frames import docs
>>> truth = docs({"a.jpg": [("bankcard", (0, 0, 80, 50), {"card_number": "6222020012345678"})]}, truth=True)
>>> ev = evaluate(truth.assign(status="AIS.0000"), truth)
>>> ev
<Evaluation: 1 images, 1 true documents; located P=1.000 R=1.000, typed F1=1.000; iou=0.5>
>>> type(ev.plots.confusion()).__name__
'ConfusionMatrixDisplay'
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .core import EvaluationTables
from .plots import (AccuracyCoverageDisplay, ConfusionMatrixDisplay, ErrorGalleryDisplay, FieldCoverageGridDisplay,
                    IoUHistogramDisplay, ReliabilityDisplay)
from .report import write_report

__all__ = ["Evaluation", "evaluate"]


class Evaluation(EvaluationTables):
    __doc__ = EvaluationTables.__doc__.replace(
        "    What :func:`ocrframe.evaluate` returns is its subclass\n"
        "    :class:`~ocrframe.evaluation.result.Evaluation`, which adds the figures and the report.\n",
        "    The figures are ``ev.plots.*()``, the report ``ev.report(path)``.\n")

    @property
    def plots(self) -> "Plots":
        """Figure factories: ``ev.plots.confusion()``, ``coverage()``, ``coverage_grid()``
        (small multiples of the fields with the most errors), ``reliability()``, ``iou()``,
        ``gallery()`` (each returns its ``*Display``)."""
        return Plots(self)

    def report(self, path: str, *, target_precision: float = 0.99, title: str | None = None,
               n_worst: int = 20, gallery: bool = True) -> str:
        """Write a report: self-contained HTML (``.html``, figures embedded) or Markdown
        (``.md``, figures as PNG files in ``<name>_files/``). Returns the path."""
        return write_report(self, path, target_precision=target_precision, title=title, n_worst=n_worst,
                            gallery=gallery)


class Plots:
    """The figures of one evaluation (``ev.plots``); each method returns its ``*Display``."""

    def __init__(self, ev: EvaluationTables):
        self._ev = ev

    def confusion(self, **kw) -> ConfusionMatrixDisplay:
        return ConfusionMatrixDisplay.from_evaluation(self._ev, **kw)

    def coverage(self, **kw) -> AccuracyCoverageDisplay:
        return AccuracyCoverageDisplay.from_evaluation(self._ev, **kw)

    def coverage_grid(self, **kw) -> FieldCoverageGridDisplay:
        return FieldCoverageGridDisplay.from_evaluation(self._ev, **kw)

    def reliability(self, **kw) -> ReliabilityDisplay:
        return ReliabilityDisplay.from_evaluation(self._ev, **kw)

    def iou(self, **kw) -> IoUHistogramDisplay:
        return IoUHistogramDisplay.from_evaluation(self._ev, **kw)

    def gallery(self, **kw) -> ErrorGalleryDisplay:
        return ErrorGalleryDisplay.from_evaluation(self._ev, **kw)


def evaluate(pred: pd.DataFrame, truth: pd.DataFrame, *, on: str | Sequence[str] = "path", iou: float = 0.5,
             by_type: bool = False, correct: str = "normalized", align_lists: bool = True) -> Evaluation:
    """Judge predicted documents against the truth: see :class:`Evaluation`.

    Examples
    --------
    >>> import ocrframe
    >>> images, truth = ocrframe.load_sample()
    >>> ev = ocrframe.evaluate(truth.assign(status="AIS.0000"), truth, on="path")
    >>> float(ev.summary()["detection_f1"])
    1.0
    """
    return Evaluation(pred, truth, on=on, iou=iou, by_type=by_type, correct=correct, align_lists=align_lists)
