"""Kept for imports written before :mod:`ocrframe.contract`: the format sniffing lives there.

Examples
--------
>>> sniff_format(b"%PDF-1.7"), base64_length(3)
('pdf', 4)
"""

from __future__ import annotations

from .contract import base64_length, sniff_format

__all__ = ["sniff_format", "base64_length"]
