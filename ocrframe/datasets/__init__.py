"""Labelled data: labels IO, the synthetic scene generator, the bundled sample, the real set.

Examples
--------
>>> from ocrframe.datasets import load_sample
>>> images, truth = load_sample()
>>> list(images.columns)
['image', 'path']
"""

from .labels import LabelsError, iter_labels, read_labels, write_labels
from .real import load_real, real_dir
from .sample import load_sample, sample_dir

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError", "load_sample", "sample_dir", "load_real", "real_dir"]
