"""Deprecated: :mod:`ocrframe.evaluation.core` (``EvaluationTables``, ``Calibration``) and
:mod:`ocrframe.evaluation.result` (``Evaluation``, ``evaluate``); removed in the next release."""

from ..evaluation.core import Calibration, EvaluationTables
from ..evaluation.result import Evaluation, Plots, evaluate

__all__ = ["Evaluation", "evaluate", "Calibration", "EvaluationTables", "Plots"]
