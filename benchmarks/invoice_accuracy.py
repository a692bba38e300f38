"""Accuracy of the local engine on the 8 invoice, ticket and itinerary types.

The same harness as ``benchmarks/engine_accuracy.py`` (generated scenes written as JPEG
files, read through ``df.ocr.classify``, judged by ``ocrframe.evaluate``), with scenes
holding only vat_invoice, vat_roll_invoice, mvs_invoice, taxi_invoice, train_ticket,
quota_invoice, toll_invoice and flight_itinerary. Nested lists (``item_list``,
``itinerary_list``) are compared row by row after evaluate's row alignment.

Usage::

    PYTHONPATH=. python benchmarks/invoice_accuracy.py --n 120 --seed 5150000 --workers 2

Use a seed never used in development.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_accuracy import main as _main  # noqa: E402


def main(argv=None):
    return _main(argv, default_types="invoices", default_seed=5150000)


if __name__ == "__main__":
    main()
