"""Every layout the generator draws: importing this module registers them all.

The layout modules register their variants into :mod:`.layout` when imported; this
module imports each of them once, so that the registry is complete wherever it is read
(:mod:`.render`, :func:`~ocrframe.datasets.synth.generate`).

Examples
--------
>>> from ocrframe.datasets.synth.catalog import variants
>>> len(variants("taxi_invoice")) >= 3
True
"""

from __future__ import annotations

# they register on import, in this order: the registry's order is split_types' order, which
# picks the default types of layouts="tune" / "heldout" scenes (so the same seed draws the same)
from . import cards, receipts  # noqa: F401
from . import extras, flight, forms, licenses, quota, taxi, toll, vat  # noqa: F401
from . import receipts_more  # noqa: F401  (after the others: their variants keep their places)
from .layout import LAYOUT_SPLITS, Layout, check_split, choose, layout_named, split_types, variants

__all__ = ["LAYOUT_SPLITS", "Layout", "check_split", "choose", "layout_named", "split_types", "variants"]
