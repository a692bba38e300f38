"""Labelled data: labels IO, the synthetic scene generator, the bundled sample.

Examples
--------
>>> from ocrframe.datasets import read_labels, write_labels, load_sample  # doctest: +SKIP
"""

from .labels import LabelsError, read_labels, write_labels

__all__ = ["read_labels", "write_labels", "LabelsError", "load_sample", "sample_dir"]


def __getattr__(name):  # the sample pulls in the generator's dependencies only when asked
    if name in ("load_sample", "sample_dir"):
        from . import sample

        return getattr(sample, name)
    raise AttributeError(name)
