"""Documents in and out of other tools: labels JSONL, COCO, Label Studio.

* :func:`read_labels` / :func:`write_labels`: this project's truth, one JSON line per
  image in the response's own shape (:mod:`ocrframe.io.labels`);
* :func:`to_coco` / :func:`read_coco`: COCO instance annotations, one polygon per
  document, fields kept alongside (:mod:`ocrframe.io.coco`);
* :func:`to_label_studio` / :func:`read_label_studio`: pre-annotated Label Studio
  tasks, and an export back to truth; :func:`label_studio_config` is the labelling
  interface (:mod:`ocrframe.io.label_studio`).

Parquet lives in :mod:`ocrframe.persist` (``ocrframe.read_parquet``), GeoParquet
behind ``docs.ocr.to_geodataframe()``.

Examples
--------
>>> import ocrframe.io as oio
>>> sorted(n for n in oio.__all__ if n.startswith(("read", "to_", "write")))
['read_coco', 'read_label_studio', 'read_labels', 'to_coco', 'to_label_studio', 'write_labels']
"""

from .coco import read_coco, to_coco
from .label_studio import label_studio_config, read_label_studio, to_label_studio
from .labels import LabelsError, iter_labels, read_labels, write_labels

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError", "to_coco", "read_coco",
           "to_label_studio", "read_label_studio", "label_studio_config"]
