"""Evaluation of predicted documents against ground truth (as ``sklearn.metrics`` is a package
and ``ocrframe.evaluate`` its function).

``ocrframe.evaluate(pred, truth, on="path", iou=0.5)`` returns an :class:`Evaluation`.
The modules, in the order they depend on each other (each imports only those before it):

1. the compute modules: :mod:`.groups` (the ``by=`` / ``correct=`` options),
   :mod:`.matching`, :mod:`.metrics`, :mod:`.fields`, :mod:`.thresholds`,
   :mod:`.calibration`, :mod:`.findings`;
2. :mod:`.core`: :class:`~.core.EvaluationTables`, every table of one evaluation;
3. :mod:`.plots` (the ``*Display`` figures) and :mod:`.report` (HTML or Markdown);
4. :mod:`.result`: :class:`Evaluation` (the tables with ``.plots`` and ``.report()``)
   and :func:`evaluate`.

Display names and the CJK font come from the leaf :mod:`ocrframe.lang`.
``ocrframe.evaluate`` was this package's name until this release; its old import
paths (``ocrframe.evaluate.metrics`` ...) still work for one release, with a
``DeprecationWarning``.

Examples
--------
>>> import ocrframe
>>> images, truth = ocrframe.load_sample()
>>> ev = ocrframe.evaluate(truth.assign(status="AIS.0000"), truth)
>>> type(ev).__name__, float(ev.summary()["typed_f1"])
('Evaluation', 1.0)
"""

from __future__ import annotations

from .core import Calibration, EvaluationTables
from .matching import ImageCoverage, NoCommonImagesError, match_documents
from .result import Evaluation, evaluate

__all__ = ["evaluate", "Evaluation", "EvaluationTables", "Calibration", "match_documents", "ImageCoverage",
           "NoCommonImagesError"]
