"""Invoice types: a simple label-based pass over the registry's printed labels.

Full invoice extraction (tables, item lists) is a later issue; this pass fills the
fields whose label is printed next to the value (code, number, dates, amounts).
"""

from __future__ import annotations

import re

from ...types import DocType, FieldKind, schema
from .common import DocText, Field

INVOICE_TYPES = (DocType.VAT_INVOICE, DocType.VAT_ROLL_INVOICE, DocType.MVS_INVOICE, DocType.TAXI_INVOICE,
                 DocType.TRAIN_TICKET, DocType.QUOTA_INVOICE, DocType.TOLL_INVOICE, DocType.FLIGHT_ITINERARY)


def _labels(t: DocType) -> dict[str, str]:
    out = {}
    for fs in schema(t).fields:
        if fs.label_zh and len(fs.label_zh) >= 2:
            out.setdefault(fs.label_zh, fs.name)
    return out


def make(t: DocType):
    labels = _labels(t)
    kinds = {fs.name: fs.kind for fs in schema(t).fields}

    def extract(doc: DocText) -> tuple[dict[str, Field], dict]:
        f = doc.split_labels(labels)
        for k, v in list(f.items()):
            if kinds.get(k) == FieldKind.CODE:
                m = re.search(r"[0-9A-Z]{6,}", v.value.replace(" ", ""))
                f[k] = Field(m.group(0), v.confidence) if m else v
        if t == DocType.QUOTA_INVOICE:
            m = doc.search(r"([\u4e00-\u9fff]{2,8}?)(?:市|省)?(?:通用)?定额发票")
            if m:
                f.setdefault("location", Field(m.value, m.confidence))
            if "amount" not in f:
                m = doc.search(r"([￥¥]\s*\d+(?:\.\d{2})?)")
                if m:
                    f["amount"] = Field(m.value.replace(" ", "").replace("¥", "￥"), m.confidence)
        return f, {}

    extract.__doc__ = f"Label-based fields of a {t.value} (first pass)."
    return extract


EXTRACTORS = {t: make(t) for t in INVOICE_TYPES}
