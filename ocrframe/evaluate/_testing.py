"""Moved to :mod:`ocrframe.testing` (``frames``: docs, quad, synthetic_pair; ``coco``:
coco_inputs, coco_matches); this module re-exports them for the doctests and tests that
still import from here.
"""

from ..testing.coco import coco_inputs, coco_matches
from ..testing.frames import docs, quad, synthetic_pair

__all__ = ["docs", "quad", "synthetic_pair", "coco_inputs", "coco_matches"]
