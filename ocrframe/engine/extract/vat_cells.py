"""VAT invoice cells the labels and the form's columns miss, read by what the forms print
around them: the remarks cell by its vertical caption, the buyer's and the seller's
values of side-by-side blocks, the form's kind where its title is not read whole, the
合计 row's amounts on a skewed photo.

Split from :mod:`ocrframe.engine.extract.vat_invoice` (which uses every name here).
"""

from __future__ import annotations

import re

import numpy as np

from .common import DocText, Field
from .layout import all_tokens, cluster_lines, norm, printed, row_tokens
from .vat_table import WRAP_GAP

#: one-character (or short) captions printed down a block's edge, never a value
_VERTICAL = {"密码区", "密码", "密", "码", "区", "备", "注", "备注", "购", "买", "方", "购买方", "买方", "销", "售",
             "销售方", "售方", "销售"}
#: the title is printed in this many rows from the top
TITLE_ROWS = 3

#: words of the 价税合计 row, printed above the remarks cell: never a remark
_TOTAL_ROW = re.compile(r"小写|大写|价税合计")
#: a caption printed one character a line is at most this many line heights wide
CAPTION_WIDTH = 2.0
#: a cell's text starts within this many line heights right of its vertical caption ...
CELL_INDENT = 4.0
#: ... and its first line up to this many line heights above the caption's first character
#: (the caption is centred in the cell, the text printed from its top)
CELL_ABOVE = 2.5
#: printed words that are no remark (the signatures and the seller's stamp caption)
_NOT_REMARK = re.compile(r"收款人|复核|开票人|销售方|销货单位|\(章\)|专用章")


def _remarks_by_caption(doc: DocText, start: int) -> Field | None:
    """The remarks cell's text found from its caption printed down the cell's left edge
    (``备`` over ``注``, or ``备注`` read as one narrow line): the lines starting just right
    of the caption, from up to :data:`CELL_ABOVE` line heights above it down to its last
    character, joined (a remark wraps within its cell).

    Examples
    --------
    >>> from ocrframe.testing.doctext import doc_from_pieces
    >>> d = doc_from_pieces([("订单号：293575837940", 39, 709, 24), ("备", 12, 739, 24), ("注", 10, 767, 24),
    ...                      ("开票人：栗晓静", 89, 852, 24)], size=(1200, 900))
    >>> _remarks_by_caption(d, 0).value  # colons folded (put back as read by _colons_as_read)
    '订单号:293575837940'
    """
    pieces = [p for r in doc.rows[start:] for p in r.pieces]
    cap = next((p for p in pieces if p.text.replace(" ", "").rstrip(":：") in ("备", "备注")
                and p.x1 - p.x0 < CAPTION_WIDTH * p.h), None)
    if cap is None:
        return None
    low = next((p for p in pieces if p.text.strip() == "注" and abs(p.x0 - cap.x0) < cap.h
                and 0 < p.y - cap.y < 4 * cap.h), cap)
    toks = [t for t in all_tokens(doc, range(start, len(doc.rows)))
            if cap.y - CELL_ABOVE * cap.h < t.y < low.y + 0.5 * low.h and cap.x1 - 0.2 * cap.h < t.x0
            and t.text not in _VERTICAL and not _NOT_REMARK.search(t.text)]
    lines = cluster_lines(toks)
    if not lines or lines[0][0].x0 - cap.x1 > CELL_INDENT * cap.h:
        return None
    keep = [lines[0]]
    for ln in lines[1:]:
        if abs(ln[0].x0 - keep[0][0].x0) < 2 * ln[0].h and ln[0].y - keep[-1][0].y < WRAP_GAP * ln[0].h:
            keep.append(ln)
    text = "".join(t.text for ln in keep for t in ln)
    return Field(text, 0.8 * min(t.score for ln in keep for t in ln)) if text else None


def _colons_as_read(value: str, doc: DocText) -> str:
    """A remark's colons in the width the OCR read them (``订单号:`` from an e-commerce
    system, ``合同号：`` typed in full width), where the remark is one recognised line;
    else full width.

    Examples
    --------
    >>> from ocrframe.testing.doctext import doc_from_rows
    >>> _colons_as_read("订单号：103497458312", doc_from_rows([[("备", 10), ("订单号:103497458312", 60)]]))
    '订单号:103497458312'
    >>> _colons_as_read("项目:系统维护", doc_from_rows([[("项目：系统维护", 60)]]))
    '项目：系统维护'
    """
    key = norm(value)
    for r in doc.rows:
        for p in r.pieces:
            i = norm(p.text).find(key)
            if i >= 0:
                raw = p.text[i:i + len(key)]
                return "".join(c if k == ":" else v for v, k, c in zip(value, key, raw))
    return value.replace(":", "：")


#: the labels the fully digital form prints twice on a line, the buyer's left of the seller's
_TWIN_LABELS = {"name": re.compile(r"^名称:?"), "id": re.compile(r"^(?:统一社会信用代码/?)?纳税人识别号:?|^统一社会信用代码:?")}
#: a block's caption printed between the blocks (vertically: read as one line or apart)
_CAPTION = re.compile(r"(?:购买方|销售方|购|买|销|售|方)(?:信息|信|息)?")
_TWIN_FORMS = {"name": re.compile(r"[\u4e00-\u9fff()·A-Za-z0-9]{2,40}"), "id": re.compile(r"[0-9A-Z]{15,20}")}


def _side_by_side(doc: DocText, rows: range) -> dict[str, Field]:
    """The buyer's and the seller's values where their blocks stand side by side (the
    fully digital form): a line printing a label twice holds the buyer's value after the
    left one and the seller's after the right one, whether or not the blocks' captions
    (购买方信息 / 销售方信息, printed vertically) were read.

    Examples
    --------
    >>> from ocrframe.testing.doctext import doc_from_rows
    >>> d = doc_from_rows([[("名称：上海金鼎物流有限公司", 70), ("销售方信息", 540), ("名称：上海鼎盛科技股份有限公司", 563)]])
    >>> {k: v.value for k, v in _side_by_side(d, range(1)).items()}
    {'buyer_name': '上海金鼎物流有限公司', 'seller_name': '上海鼎盛科技股份有限公司'}
    """
    out: dict[str, Field] = {}
    for i in rows:
        toks = [t for t in row_tokens(doc.rows[i]) if t.text not in _VERTICAL and not _CAPTION.fullmatch(t.text)]
        for key, lab in _TWIN_LABELS.items():
            at = [k for k, t in enumerate(toks) if lab.match(t.text)]
            if len(at) != 2:
                continue
            for who, a, b in (("buyer", at[0], at[1]), ("seller", at[1], len(toks))):
                seg = toks[a:b]
                cut = lab.match(seg[0].text).end()
                v = seg[0].text[cut:] + "".join(t.text for t in seg[1:])
                raw = seg[0].raw[cut:] + "".join(t.raw for t in seg[1:])
                if _TWIN_FORMS[key].fullmatch(v):
                    out[f"{who}_{key}"] = Field(printed(v, raw), min(t.score for t in seg))
    return out


#: the 12-digit code's last two digits of the electronic normal invoice (增值税电子普通发票)
E_NORMAL_CODE_END = "11"
#: a fully digital invoice (全电) prints a 20-digit number and no code
DIGITAL_NUMBER = re.compile(r"\d{20}")


def _type_from_form(f: dict[str, Field], doc: DocText, whole: bool, notes: list[str]) -> None:
    """The form's kind where its title was not read whole (the seal covers it, or it
    printed too large to read), from what the form prints elsewhere:

    - the code (10 digits: special; 12 ending ``11``: electronic normal): it names the
      kind, also where a pieced-together title (``深圳增值…普通发票``) lost ``电子``;
    - no code and a 20-digit number: a fully digital invoice (全电), special where
      ``专用`` is printed in its top rows, else normal (the kind most are issued as),
      at a lower confidence.
    """
    code = f.get("code")
    if code is not None and not whole:
        c = code.value
        kind = "增值税专用发票" if len(c) == 10 else \
            ("增值税电子普通发票" if c.endswith(E_NORMAL_CODE_END) else "增值税普通发票")
        got = f.get("type")
        if got is None or (got.value != kind and ("专用" in got.value) == ("专用" in kind)
                           and "（" not in got.value):
            f["type"] = Field(kind, 0.6 * code.confidence)
            notes.append("type: title not read whole, told from the code")
    elif code is None and "type" not in f and DIGITAL_NUMBER.fullmatch(f.get("number", Field("", 0)).value):
        top = "".join(r.text for r in doc.rows[:TITLE_ROWS]).replace(" ", "")
        kind = "电子发票（增值税专用发票）" if "专用" in top else "电子发票（普通发票）"
        f["type"] = Field(kind, 0.5 * f["number"].confidence)
        notes.append("type: title not read, a fully digital invoice (20-digit number, no code)")


def _in_sum_row(doc: DocText, t, si: int | None, ti: int | None, slope: float) -> bool:
    """A token printed in the 合计 row (above the 价税合计 row): nearer the 合计 row's line
    than the 价税合计 row's (each placed by its printed words), their heights compared
    along the document's skew (a photo not squared up puts the row's far end lower)."""
    def yy(u) -> float:
        return u.y - slope * u.xc

    if ti is None:
        return True
    labels = [u for u in row_tokens(doc.rows[ti]) if re.search(r"价税|大写|小写", u.text)] or row_tokens(doc.rows[ti])
    y_tot = float(np.median([yy(u) for u in labels]))
    if si is None or si >= ti:
        return yy(t) < y_tot - 0.3 * t.h
    heads = [u for u in row_tokens(doc.rows[si]) if u.text.startswith(("合", "计"))] or row_tokens(doc.rows[si])
    y_sum = float(np.median([yy(u) for u in heads]))
    return abs(yy(t) - y_sum) < abs(yy(t) - y_tot)
