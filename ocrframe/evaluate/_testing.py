"""Deprecated: moved to :mod:`ocrframe.testing` (``frames``: docs, quad, synthetic_pair;
``coco``: coco_inputs, coco_matches); re-exported here for one more release (importing
it warns, as every old ``ocrframe.evaluate`` path does).
"""

from ..testing.coco import coco_inputs, coco_matches
from ..testing.frames import docs, quad, synthetic_pair

__all__ = ["docs", "quad", "synthetic_pair", "coco_inputs", "coco_matches"]
