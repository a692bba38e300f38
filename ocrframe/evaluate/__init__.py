"""Deprecated: the evaluation package is :mod:`ocrframe.evaluation` now (as ``sklearn.metrics``
is), and ``ocrframe.evaluate(...)`` the plain function :func:`ocrframe.evaluation.evaluate`.

The old import paths (``ocrframe.evaluate.metrics``, ``from ocrframe.evaluate import
fields``, ``ocrframe.evaluate.core.Evaluation`` ...) work for one more release and warn
when imported; each old module is the new one itself (same objects). Python binds
``ocrframe.evaluate`` to this package once an old path is imported, so this package
stays callable for that release: ``ocrframe.evaluate(...)`` keeps working in a program
that still imports an old path.
"""

from __future__ import annotations

import sys
import types
import warnings

from ..evaluation import (Calibration, Evaluation, EvaluationTables, ImageCoverage, NoCommonImagesError, calibration,
                          evaluate, fields, findings, match_documents, matching, metrics, plots, report, thresholds)

__all__ = ["evaluate", "Evaluation", "Calibration", "match_documents", "ImageCoverage", "NoCommonImagesError"]

#: the old submodules that are the new ones, unchanged (``core`` and ``cli`` are modules here)
MOVED = {"calibration": calibration, "fields": fields, "findings": findings, "matching": matching,
         "metrics": metrics, "plots": plots, "report": report, "thresholds": thresholds}
for _name, _module in MOVED.items():
    sys.modules[f"{__name__}.{_name}"] = _module

from . import core  # noqa: E402  (after the aliases: ocrframe.evaluate.core was imported here before, too)


class _CallablePackage(types.ModuleType):
    """The old package, callable as before, for this one release."""

    def __call__(self, *args, **kwargs) -> Evaluation:
        return evaluate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

# stacklevel 2: the line importing this module (the warnings module skips importlib's frames)
warnings.warn("ocrframe.evaluate is now the package ocrframe.evaluation (ocrframe.evaluate(...) is a plain function); "
              "import from ocrframe.evaluation: the old import paths go in the next release",
              DeprecationWarning, stacklevel=2)
