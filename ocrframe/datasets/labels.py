"""Ground-truth labels JSONL: moved to :mod:`ocrframe.io.labels`, beside the other formats.

Kept so ``from ocrframe.datasets.labels import read_labels`` (and the rest) go on working.

Examples
--------
>>> from ocrframe.datasets.labels import read_labels
>>> from ocrframe.io import labels
>>> read_labels is labels.read_labels
True
"""

from ..io.labels import LabelsError, iter_labels, read_labels, write_labels

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError"]
