"""Per-type field extraction: ``EXTRACTORS[doc_type](DocText) -> (fields, extra content)``."""

from __future__ import annotations

from . import bankcard, driver_license, id_card, invoices, passport, transportation_license, vehicle_license
from .common import DocText, Field, fields_to_content

__all__ = ["EXTRACTORS", "CARD_TYPES", "STAMPED_TYPES", "DocText", "Field", "fields_to_content"]

_MODULES = (id_card, vehicle_license, driver_license, passport, bankcard, transportation_license, invoices)
EXTRACTORS = {}
for _m in _MODULES:
    EXTRACTORS.update(_m.EXTRACTORS)

#: the nine card and licence types with full extraction
CARD_TYPES = tuple(t for t in EXTRACTORS if t not in invoices.INVOICE_TYPES)

#: types whose red stamps cover print (read apart by ``engine.stamps`` before extraction)
STAMPED_TYPES = frozenset().union(*(getattr(_m, "STAMPED", ()) for _m in _MODULES))
