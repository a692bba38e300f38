"""Labelled data: the synthetic scene generator, the bundled sample, the real set (and,
re-exported from :mod:`ocrframe.io`, the labels JSONL reader and writer).

Examples
--------
>>> from ocrframe.datasets import load_sample
>>> images, truth = load_sample()
>>> list(images.columns)
['image', 'path']
"""

from ..io.labels import LabelsError, iter_labels, read_labels, write_labels
from .real import load_real, real_dir
from .sample import load_sample, sample_dir

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError", "load_sample", "sample_dir", "load_real", "real_dir"]
