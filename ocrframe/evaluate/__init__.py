"""Evaluation of predicted documents against ground truth.

``ocrframe.evaluate(pred, truth, on="path", iou=0.5)`` returns an :class:`Evaluation`;
the submodules hold the pieces (``matching``, ``metrics``, ``fields``, ``thresholds``,
``calibration``, ``plots``, ``report``).

The package itself is callable, so ``ocrframe.evaluate(...)`` works while
``ocrframe.evaluate.metrics`` stays importable.
"""

from __future__ import annotations

import sys
import types as _types

from .core import Calibration, Evaluation, evaluate
from .matching import ImageCoverage, NoCommonImagesError, match_documents

__all__ = ["evaluate", "Evaluation", "Calibration", "match_documents", "ImageCoverage", "NoCommonImagesError"]


class _CallableModule(_types.ModuleType):
    def __call__(self, *args, **kwargs) -> Evaluation:
        return evaluate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
