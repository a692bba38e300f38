"""The VAT invoice's item table: the form's column spans mapped to the document by the
header titles (:class:`XMap`), the column of each token, and the item rows (wrapped names,
units read as one vertical line, missed rates and quantities inferred).

Split from :mod:`ocrframe.engine.extract.vat_invoice` (which re-exports every name).
"""

from __future__ import annotations

import re

import numpy as np

from .common import DocText
from .layout import Tok, all_tokens, cluster_lines, norm, printed, row_tokens, skew

__all__ = ["XMap"]

# the VAT form's item columns: (template x0, x1, header title pattern, field)
_COLS = [(40, 380, r"货物|应税|劳务|服务名称", "name"), (380, 530, r"规格|型号", "specification"),
         (530, 600, r"^单位$", "unit"), (600, 690, r"数量|数", "quantity"), (690, 840, r"单价|单", "unit_price"),
         (840, 1020, r"金额|金", "amount"), (1020, 1090, r"税率|率", "tax_rate"), (1090, 1360, r"税额", "tax")]
_BLOCK_X = 880  # template x where the buyer / seller values end (密码区 and 备注 to the right)
#: a token made of the item columns' titles (or their characters, read apart): no cell of
#: an item (an item name holding one of them, ``*黑色金属*盘螺``, is kept)
_TITLE_WORDS = re.compile(r"(?:规格型号|规格|型号|单位|数量|单价|金额|税率|税额|征收率|[/数单金额税率价量位号型规格])+")


class XMap:
    """Template x <-> document x, fitted on anchor pairs (a straight line)."""

    def __init__(self, pairs: list[tuple[float, float]], fallback: tuple[float, float] = (1.0, 0.0)):
        self.t = self.d = None
        self.standard = True  # the table is the standard form's (its column widths hold)
        #: how far the printed values stand right of their boxes (template x; a needle
        #: printer's layer misregistered against the preprinted form)
        self.offset = 0.0
        #: the document x of each column's printed head, by field (forms other than the standard)
        self.heads: dict[str, float] = {}
        if len(pairs) >= 2 and np.ptp([p[0] for p in pairs]) > 100:
            t, d = np.array(sorted(pairs), float).T
            self.a, self.b = np.polyfit(t, d, 1)
            if len(pairs) >= 3 and np.all(np.diff(d) > 0):
                self.t, self.d = t, d  # piecewise between the anchors, the line outside them
        else:
            self.a, self.b = fallback

    def doc(self, x_tpl: float) -> float:
        if self.t is not None and self.t[0] <= x_tpl <= self.t[-1]:
            return float(np.interp(x_tpl, self.t, self.d))
        if self.t is not None:
            k = 0 if x_tpl < self.t[0] else -1
            return float(self.d[k] + self.a * (x_tpl - self.t[k]))
        return self.a * x_tpl + self.b

    def tpl(self, x_doc: float) -> float:
        if self.t is not None and self.d[0] <= x_doc <= self.d[-1]:
            return float(np.interp(x_doc, self.d, self.t))
        if self.t is not None:
            k = 0 if x_doc < self.d[0] else -1
            return float(self.t[k] + (x_doc - self.d[k]) / self.a)
        return (x_doc - self.b) / self.a if self.a else x_doc


#: the name column's head on the standard VAT form (older paper and electronic invoices)
_STANDARD_HEAD = r"货物|应税|劳务"


def _header_map(doc: DocText, hi: int | None) -> XMap:
    pairs = []
    if hi is not None:
        toks = row_tokens(doc.rows[hi])
        for xa, xb, pat, _ in _COLS:
            for t in toks:
                if re.search(pat, t.text) and not (pat.startswith("数") and "单" in t.text):
                    pairs.append(((xa + xb) / 2, t.xc))
                    break
    # drop pairs whose title matched a wrong token: keep the monotone ones
    pairs = sorted(pairs)
    keep = []
    for p in pairs:
        if not keep or p[1] > keep[-1][1]:
            keep.append(p)
    xs = [p.x0 for r in doc.rows for p in r.pieces] + [p.x1 for r in doc.rows for p in r.pieces]
    if xs:
        a = (max(xs) - min(xs)) / 1320.0
        fb = (a, min(xs) - 40 * a)
    else:
        fb = (1.0, 0.0)
    xm = XMap(keep, fb)
    xm.standard = hi is None or bool(re.search(_STANDARD_HEAD, norm(doc.rows[hi].text).replace(" ", "")))
    if xm.standard and hi is not None:
        xm.offset = _print_offset(doc, hi, xm)
    elif hi is not None:  # the head line may be read as two rows (a skewed photo)
        for t in all_tokens(doc, range(max(0, hi - 1), min(len(doc.rows), hi + 2))):
            name = next((k for k, rx in _HEADS if rx.fullmatch(t.text)), None)
            if name is not None and name not in xm.heads:
                xm.heads[name] = t.xc
    return xm


#: each column's printed head, as a whole word (forms order their columns differently: the
#: passenger-transport form prints 单价 before 数量 and no 规格型号 / 单位)
_HEADS = [("name", re.compile(r"项目名称|项目|(?:货物|应税|劳务|服务).*名称")), ("specification", re.compile(r"规格型号|规格|型号")),
          ("unit", re.compile(r"单位")), ("quantity", re.compile(r"数量|数")), ("unit_price", re.compile(r"单价|价")),
          ("amount", re.compile(r"金额|金")), ("tax_rate", re.compile(r"税率(?:/征收率)?|征收率|率")),
          ("tax", re.compile(r"税额"))]
#: columns placed by their own heads once this many heads are read, the name's and the
#: amount's among them
MIN_HEADS = 3


#: the standard form's money columns' right edges (template x): unit price, amount, tax
_MONEY_EDGES = np.array([840.0, 1020.0, 1360.0])
#: amounts print flush right, up to this far inside their column's edge (template x) ...
FLUSH_MARGIN = 16.0
#: ... and a layer standing this much further off that band is shifted (template x) ...
SHIFT_MIN = 12.0
#: ... a layer shifted further than this off the edges is not the print's (template x)
SHIFT_REACH = 70.0
#: the shift is taken from this many amounts at least, agreeing within SHIFT_SPREAD
SHIFT_MIN_VALUES = 2
SHIFT_SPREAD = 10.0
_AMOUNT = re.compile(r"[￥¥]?-?\d[\d,]*\.\d{2}")


def _print_offset(doc: DocText, hi: int, xm: XMap) -> float:
    """How far the printed values stand off the preprinted form's boxes (template x).

    A needle printer prints the values as one layer, often shifted against the form. The
    amounts of the item table and the 合计 row print flush right in the money columns
    (unit price, amount, tax): their right ends, mapped to the form by the header titles,
    fall a little inside the columns' right edges (within :data:`FLUSH_MARGIN`). Where they
    agree on standing further off, the whole layer is shifted by that much (measured to the
    middle of the flush band). 0 when there are too few amounts or they disagree.
    """
    end = next((i for i in range(hi + 1, len(doc.rows)) if re.search(r"价税|大写|小写", doc.rows[i].text)),
               len(doc.rows))
    res = []
    for t in all_tokens(doc, range(hi + 1, end)):
        if not _AMOUNT.fullmatch(t.text):
            continue
        r = xm.tpl(t.x1) - _MONEY_EDGES
        k = int(np.argmin(np.abs(r)))
        if abs(r[k]) < SHIFT_REACH:
            res.append(float(r[k]))
    if len(res) < SHIFT_MIN_VALUES:
        return 0.0
    med = float(np.median(res))
    if float(np.median(np.abs(np.array(res) - med))) > SHIFT_SPREAD:
        return 0.0
    if -FLUSH_MARGIN - SHIFT_MIN < med < SHIFT_MIN:
        return 0.0  # printed in place
    return med + 0.5 * FLUSH_MARGIN


def _col_of(xm: XMap, t: Tok) -> str | None:
    """The item column a token stands in. On the standard form (its name column headed
    ``货物或应税劳务、服务名称``) the form's own column widths, mapped through the heads
    (amounts are printed flush right in wide columns); on other forms (``项目名称``: the
    fully digital invoice, in whatever order it prints its columns) the column whose
    printed head is nearest. Outside the table's outer edges, none."""
    x = xm.tpl(t.xc) - xm.offset
    if not _COLS[0][0] <= x < _COLS[-1][1]:
        return None
    if xm.standard:
        return next(name for xa, xb, _, name in _COLS if xa <= x < xb)
    if len(xm.heads) >= MIN_HEADS and {"name", "amount"} <= set(xm.heads):
        return min(xm.heads, key=lambda k: abs(t.xc - xm.heads[k]))
    centres = [xm.doc((xa + xb) / 2) for xa, xb, _, _ in _COLS]
    k = int(np.argmin([abs(t.xc - c) for c in centres]))
    return _COLS[k][3]


def _items(doc: DocText, hi, si, ti, xm: XMap) -> tuple[list[dict], list[str]]:
    items: list[dict] = []
    notes: list[str] = []
    if hi is None:
        return items, notes
    head = [t for t in row_tokens(doc.rows[hi]) if any(re.search(p, t.text) for _, _, p, _ in _COLS)]
    slope = skew(head)
    h = float(np.median([t.h for t in head])) if head else 20.0

    def yy(t: Tok) -> float:
        return t.y - slope * t.xc

    y_top = max(yy(t) for t in head) + 0.5 * h if head else -np.inf
    stop = si if si is not None else ti
    if stop is not None:
        ends = [t for t in row_tokens(doc.rows[stop]) if t.text.startswith(("合", "价税"))] or row_tokens(doc.rows[stop])
        y_end = min(yy(t) for t in ends) - 0.5 * h
    else:
        y_end = np.inf
    lo, hi_row = max(0, hi - 1), (stop + 1) if stop is not None else len(doc.rows)
    toks = [t for t in all_tokens(doc, range(lo, hi_row)) if y_top < yy(t) < y_end and _col_of(xm, t)
            and not _TITLE_WORDS.fullmatch(t.text) and "货物或应税" not in t.text
            and not t.text.startswith("￥")]
    # a column of one-character units may be read as one vertical line: set it aside
    vert = [t for t in toks if _col_of(xm, t) == "unit" and re.fullmatch(r"[\u4e00-\u9fff]{2,}", t.text)]
    toks = [t for t in toks if t not in vert]
    lines: list[list[Tok]] = []
    for ln in cluster_lines(toks, slope):
        if lines and not _opens_row(ln, xm) and _continues(ln, lines[-1], xm, slope):
            lines[-1] = lines[-1] + ln  # the name (and model) wrapped onto the next line
        elif lines and _completes(ln, lines[-1], xm, slope):
            lines[-1] = lines[-1] + ln  # a wrapped name's amounts, printed level with a later line
        elif _opens_row(ln, xm) or (any(re.search(r"\d", t.text) for t in ln)
                                    and any(_col_of(xm, t) in ("name",) + _MONEY for t in ln)):
            lines.append(ln)  # a line of a row holds its name or an amount
        # stray rate / unit fragments do not make a row
    for ln in lines:
        cells: dict[str, list[Tok]] = {}
        for t in ln:
            cells.setdefault(_col_of(xm, t), []).append(t)
        row = {name: _name_text(cells.get(name, []), slope) if name in ("name", "specification") else
               "".join(printed(t.text, t.raw) for t in cells.get(name, [])) for _, _, _, name in _COLS}
        items.append(row)
    # single-character units read as one vertical line: one character per row
    if _deal_units(vert, items, [float(np.median([yy(t) for t in ln])) for ln in lines], yy, h):
        notes.append("units read as one vertical line, dealt one per row")
    for i, r in enumerate(items):
        if re.search(r"[“”\"·]", r["name"]) and re.fullmatch(r"[*“”\"·]?[^*“”\"·]+[*“”\"·][^*“”\"·]+", r["name"]):
            r["name"] = re.sub(r"[“”\"·]", "*", r["name"])
            notes.append(f"item_list[{i}].name: quote marks read for the * category marks")
        # the category mark of item names is *类别*名称; a lost leading * is put back
        if re.fullmatch(r"[^*\s]+\*[^*]+", r["name"]):
            r["name"] = "*" + r["name"]
            notes.append(f"item_list[{i}].name: leading * restored")
    for i, row in enumerate(items):
        rate = _infer_rate(row)
        if rate:
            row["tax_rate"] = rate
            notes.append(f"item_list[{i}].tax_rate not read, inferred as tax / amount")
        split = _split_glued_quantity(row)
        if split:
            row["quantity"], row[split[0]] = split[1], split[2]
            notes.append(f"item_list[{i}].quantity read glued to the {split[0]}, split where quantity x unit price"
                         " = amount")
        q = _infer_quantity(row)
        if q:
            row["quantity"] = q
            notes.append(f"item_list[{i}].quantity not read, inferred as amount / unit_price")
        if re.fullmatch(r"\d+", row["tax_rate"]):
            row["tax_rate"] += "%"
    return items, notes


def _deal_units(vert: list[Tok], items: list[dict], row_y: list[float], yy, h: float) -> bool:
    """Single-character units of consecutive rows read as one vertical line (``个次天``):
    its characters go, one each, to the run of as many rows without a unit whose middle
    is level with the line's middle (within half a row). True when any were dealt."""
    dealt = False
    pitch = float(np.median(np.diff(row_y))) if len(row_y) > 1 else 2 * h
    for v in sorted(vert, key=yy):
        k = len(v.text)
        runs = [s for s in range(len(items) - k + 1) if not any(items[i]["unit"] for i in range(s, s + k))]
        if not runs:
            continue
        s = min(runs, key=lambda s: abs(np.mean(row_y[s:s + k]) - yy(v)))
        if abs(np.mean(row_y[s:s + k]) - yy(v)) < max(h, 0.5 * pitch):
            for i, ch in zip(range(s, s + k), v.text):
                items[i]["unit"] = ch
            dealt = True
    return dealt


#: a wrapped name's next line starts at most this many line heights below the row's line
WRAP_GAP = 1.6
#: the money columns: a line with a number in one of them holds a row's amounts
_MONEY = ("unit_price", "amount", "tax")
#: the category mark an item name opens with (``*餐饮服务*餐费``; quote marks are misreadings)
_MARK = re.compile(r"^[*“”\"·]")
#: a gap between two words of one printed line wider than this many line heights is a space
WORD_GAP = 0.3


def _has_money(ln: list[Tok], xm: XMap) -> bool:
    return any(_col_of(xm, t) in _MONEY and re.search(r"\d", t.text) for t in ln)


def _opens_row(ln: list[Tok], xm: XMap) -> bool:
    """A line that starts an item row: it holds amounts, or a name opening with its
    category mark (``*类别*``). Other lines of words in the name column are a longer
    name's wrapped remainder, digits in them (``1小时快充``, ``第3版）``) or not."""
    if _has_money(ln, xm):
        return True
    names = sorted((t for t in ln if _col_of(xm, t) == "name"), key=lambda t: t.x0)
    return bool(names) and bool(_MARK.match(names[0].text))


def _completes(ln: list[Tok], prev: list[Tok], xm: XMap, slope: float) -> bool:
    """A line holding a row's amounts (and perhaps the rest of its name, no new category
    mark), right under a line that opened a row with its name but has no amounts: a long
    name wraps over lines and its amounts print level with a later one of them."""
    if _has_money(prev, xm) or not _has_money(ln, xm):
        return False
    names = sorted((t for t in ln if _col_of(xm, t) == "name"), key=lambda t: t.x0)
    if names and _MARK.match(names[0].text):
        return False
    if not any(_col_of(xm, t) == "name" and _MARK.match(t.text) for t in prev):
        return False
    h = float(np.median([t.h for t in prev]))
    dy = min(t.y - slope * t.xc for t in ln) - max(t.y - slope * t.xc for t in prev)
    return 0 < dy < WRAP_GAP * h


def _name_text(toks: list[Tok], slope: float) -> str:
    """An item name (or model) from its cell's words: the words of one printed line joined
    with a space where the print leaves one (read inside one recognised line, or a gap
    between two wider than :data:`WORD_GAP` line heights: ``华为智选 欧普读写台灯``,
    ``0603 10K``), the lines of a wrapped name joined without one (``G502炫光自适`` /
    ``应游戏鼠标``)."""
    out = ""
    for line in cluster_lines(toks, slope):
        prev = None
        for t in line:
            txt = printed(t.text, t.raw)
            one_read = prev is not None and (t.y, t.h) == (prev.y, prev.h)  # pieces of one recognised line
            if prev is not None and (one_read or t.x0 - prev.x1 > WORD_GAP * min(t.h, prev.h)):
                out += " "
            out += txt
            prev = t
    return out


def _continues(ln: list[Tok], prev: list[Tok], xm: XMap, slope: float) -> bool:
    """A line of words only in the name and model columns, right under a row that has a
    name: the row's name (or model) wrapped onto it, as long names print."""
    cols = {_col_of(xm, t) for t in ln}
    if not cols <= {"name", "specification"} or not any(_col_of(xm, t) == "name" for t in prev):
        return False
    h = float(np.median([t.h for t in prev]))
    dy = min(t.y - slope * t.xc for t in ln) - max(t.y - slope * t.xc for t in prev)
    return 0 < dy < WRAP_GAP * h


_RATES = (13, 9, 6, 3, 1, 5, 16, 17, 10, 11, 0)


def _infer_rate(row: dict) -> str | None:
    """A tax rate the OCR missed: the usual rate whose amount x rate rounds to the printed tax."""
    if row.get("tax_rate") or not row.get("amount") or not row.get("tax"):
        return None
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        a, t = Decimal(row["amount"]), Decimal(row["tax"])
    except InvalidOperation:
        return None
    hits = [r for r in _RATES if (a * r / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) == t]
    return f"{hits[0]}%" if len(hits) == 1 else None


#: a quantity glued to the next cell has at most this many digits
GLUED_DIGITS = 3


def _split_glued_quantity(row: dict) -> tuple[str, str, str] | None:
    """A quantity read glued to the unit price or the amount beside it (``1`` and
    ``72091.74`` read as ``172091.74``): ``(cell, quantity, cell's own value)`` for the one
    split of that cell's leading digits where quantity x unit price rounds to the amount;
    None where the row already agrees or no split (or more than one) does."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    price, amount = row.get("unit_price", ""), row.get("amount", "")
    if row.get("quantity") or not price or not amount:
        return None
    cent = Decimal("0.01")

    def agrees(q: str, p: str, a: str) -> bool:
        try:
            return (Decimal(q) * Decimal(p)).quantize(cent, ROUND_HALF_UP) == Decimal(a).quantize(cent, ROUND_HALF_UP)
        except InvalidOperation:
            return False

    if agrees("1", price, amount) or _infer_quantity(row):
        return None  # a quantity the cells already tell
    hits = []
    for cell in ("unit_price", "amount"):
        v = row[cell]
        for k in range(1, GLUED_DIGITS + 1):
            q, rest = v[:k], v[k:]
            if not (q.isdigit() and q[0] != "0" and re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", rest)):
                continue
            if agrees(q, rest, amount) if cell == "unit_price" else agrees(q, price, rest):
                hits.append((cell, q, rest))
    return hits[0] if len(hits) == 1 else None


def _infer_quantity(row: dict) -> str | None:
    """A quantity the OCR missed (a lone ``1`` is easily lost), when amount / unit price is whole."""
    if row.get("quantity") or not row.get("amount") or not row.get("unit_price"):
        return None
    try:
        from decimal import Decimal

        q = Decimal(row["amount"]) / Decimal(row["unit_price"])
    except Exception:
        return None
    return str(int(q)) if q == q.to_integral_value() and 0 < q < 10000 else None
