"""Invoice, ticket and itinerary types: label- and pattern-driven extraction plus cross-field checks.

The extractors live in :mod:`.vat_invoice` (VAT and motor-vehicle sales invoices),
:mod:`.receipts` (roll, taxi, quota and toll invoices), :mod:`.train_ticket` (train
tickets), :mod:`.tickets` (flight itineraries) and :mod:`.bus_ship` (bus and ship tickets).
Their fields are read by one machinery that does not depend on one layout: per type a
:class:`~.vocab.Vocabulary` of labels (Chinese, English, misreadings,
partly hidden) and value :mod:`.patterns`, paired by the joint geometric assignment of
:mod:`.assign`; tables (``item_list``, ``itinerary_list``) are read by their printed
heads and rows (:mod:`.layout`). Every extractor's result then goes through
:func:`.invoice_checks.check`, which lowers the confidence of fields a failed consistency
check involves (totals, tax, capital amount, code lengths, dates) and records what failed
under ``content["extra_info"]["checks"]``; it never changes a value.
"""

from __future__ import annotations

from ...types import DocType
from . import bus_ship, receipts, tickets, train_ticket, vat_invoice
from .common import DocText, Field
from .invoice_checks import check

INVOICE_TYPES = (DocType.VAT_INVOICE, DocType.VAT_ROLL_INVOICE, DocType.MVS_INVOICE, DocType.TAXI_INVOICE,
                 DocType.TRAIN_TICKET, DocType.QUOTA_INVOICE, DocType.TOLL_INVOICE, DocType.FLIGHT_ITINERARY,
                 DocType.BUS_SHIP_TICKET)

_RAW = {
    DocType.VAT_INVOICE: vat_invoice.vat_invoice,
    DocType.VAT_ROLL_INVOICE: receipts.roll_invoice,
    DocType.MVS_INVOICE: vat_invoice.mvs_invoice,
    DocType.TAXI_INVOICE: receipts.taxi_invoice,
    DocType.TRAIN_TICKET: train_ticket.train_ticket,
    DocType.QUOTA_INVOICE: receipts.quota_invoice,
    DocType.TOLL_INVOICE: receipts.toll_invoice,
    DocType.FLIGHT_ITINERARY: tickets.flight_itinerary,
    DocType.BUS_SHIP_TICKET: bus_ship.bus_ship_ticket,
}


def make(t: DocType):
    raw = _RAW[t]

    def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
        fields, extra = raw(doc)
        return check(t, fields, extra)

    extract.__doc__ = f"Fields of a {t.value}, checked for consistency. " + (raw.__doc__ or "")
    extract.__name__ = f"extract_{t.value}"
    return extract


EXTRACTORS = {t: make(t) for t in INVOICE_TYPES}
