"""Documents in and out of other tools: labels JSONL, COCO, Label Studio.

* :func:`read_labels` / :func:`write_labels`: this project's truth, one JSON line per
  image in the response's own shape (:mod:`ocrframe.io.labels`);
* :func:`to_coco` / :func:`read_coco`: COCO instance annotations, one polygon per
  document, fields kept alongside (:mod:`ocrframe.io.coco`);
* :func:`to_label_studio` / :func:`read_label_studio`: pre-annotated Label Studio
  tasks, and an export back to truth; :func:`label_studio_config` is the labelling
  interface (:mod:`ocrframe.io.label_studio`);
* :func:`read_documents`: a documents frame from a saved frame (``.parquet``), saved
  answers or labels (``.jsonl``), as ``ocrframe evaluate`` reads them
  (:mod:`ocrframe.io.documents`);
* :func:`expand_inputs`: the image files of a run, folders expanded
  (:mod:`ocrframe.io.inputs`).

Parquet lives in :mod:`ocrframe.persist` (``ocrframe.read_parquet``), GeoParquet
behind ``docs.ocr.to_geodataframe()``.

Examples
--------
>>> import ocrframe.io as oio
>>> sorted(n for n in oio.__all__ if n.startswith(("read", "to_", "write")))
['read_answers_jsonl', 'read_coco', 'read_documents', 'read_label_studio', 'read_labels', 'to_coco', 'to_label_studio', 'write_labels']
"""

from .coco import read_coco, to_coco
from .documents import read_answers_jsonl, read_documents
from .inputs import IMAGE_SUFFIXES, expand_inputs
from .label_studio import label_studio_config, read_label_studio, to_label_studio
from .labels import LabelsError, iter_labels, read_labels, write_labels

__all__ = ["read_labels", "write_labels", "iter_labels", "LabelsError", "to_coco", "read_coco",
           "to_label_studio", "read_label_studio", "label_studio_config", "read_documents", "read_answers_jsonl",
           "expand_inputs", "IMAGE_SUFFIXES"]
