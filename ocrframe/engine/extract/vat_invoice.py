"""VAT invoices (special / normal / electronic) and motor-vehicle sales invoices.

The VAT invoice is read by blocks: the header (code, number, date, check code at the top
right), the buyer block (above the item table), the item table (its header row fixes the
columns: every later token goes to the column whose span holds its centre, one
``item_list`` entry per printed row), the 合计 and 价税合计 rows, the seller block with the
remarks cell to its right, and the footer (收款人 / 复核 / 开票人).

Column spans are those of the printed form, mapped to the photographed document by a
straight-line fit of the header titles' positions (so the 密码区 cipher and the remarks,
printed right of the buyer and seller values, are cut off by x, not guessed by content).

The motor-vehicle invoice is a grid of label cells; values are the text between a label
and the next label of its row (``DocText.split_labels``), then checked for form.
"""

from __future__ import annotations

import re

import numpy as np

from ...types import DocType
from ..classify import titles
from .assign import assign
from .common import DocText, Field
from .invoice_fields import code_field, header, number_field
from .patterns import address, any_of, bank_account, cjk, date, digits, id_number, money, text, uscc
from .layout import Tok, all_tokens, cluster_lines, find, norm, row_tokens, skew
from .receipts import _put, row_index, yuan
from .vocab import FieldVocab, Vocabulary

__all__ = ["vat_invoice", "mvs_invoice", "XMap"]

# the VAT form's item columns: (template x0, x1, header title pattern, field)
_COLS = [(40, 380, r"货物|应税|劳务|服务名称", "name"), (380, 530, r"规格|型号", "specification"),
         (530, 600, r"^单位$", "unit"), (600, 690, r"数量|数", "quantity"), (690, 840, r"单价|单", "unit_price"),
         (840, 1020, r"金额|金", "amount"), (1020, 1090, r"税率|率", "tax_rate"), (1090, 1360, r"税额", "tax")]
_BLOCK_X = 880  # template x where the buyer / seller values end (密码区 and 备注 to the right)


class XMap:
    """Template x <-> document x, fitted on anchor pairs (a straight line)."""

    def __init__(self, pairs: list[tuple[float, float]], fallback: tuple[float, float] = (1.0, 0.0)):
        self.t = self.d = None
        self.standard = True  # the table is the standard form's (its column widths hold)
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
    return xm


def _col_of(xm: XMap, t: Tok) -> str | None:
    """The item column a token stands in. On the standard form (its name column headed
    ``货物或应税劳务、服务名称``) the form's own column widths, mapped through the heads
    (amounts are printed flush right in wide columns); on other forms (``项目名称``: the
    fully digital invoice) the column whose printed head is nearest. Outside the table's
    outer edges, none."""
    x = xm.tpl(t.xc)
    if not _COLS[0][0] <= x < _COLS[-1][1]:
        return None
    if xm.standard:
        return next(name for xa, xb, _, name in _COLS if xa <= x < xb)
    centres = [xm.doc((xa + xb) / 2) for xa, xb, _, _ in _COLS]
    k = int(np.argmin([abs(t.xc - c) for c in centres]))
    return _COLS[k][3]


_CIPHER = re.compile(r"^(?=.*[<>+\-*/].*[<>+\-*/])[0-9<>+\-*/]{8,}$")
_VERTICAL = {"密码区", "密码", "密", "码", "区", "备", "注", "备注", "购", "买", "方", "购买方", "买方", "销", "售",
             "销售方", "售方", "销售"}


def _block_value(doc: DocText, rows: range, label: str, xm: XMap, tail: str) -> Field | None:
    """The value after a buyer / seller block label, cut at the block's right edge.

    The label is found by the last characters it prints (``tail``, e.g. ``称`` of ``名 称``,
    whose two characters are often read apart); the value is the label token's remainder
    plus the tokens right of it on the nearest text line (rows of the block can be read
    merged, so the line is chosen by y, not by row).
    """
    x_end = xm.doc(_BLOCK_X - 20)
    toks = [t for i in rows for t in row_tokens(doc.rows[i])
            if t.x0 < x_end and not _CIPHER.match(t.text) and t.text not in _VERTICAL]
    lab = re.compile(tail + r":?")
    for k, t in enumerate(toks):
        m = lab.search(t.text)
        if not m or re.search(r"劳务|服务名称|货物", t.text):
            continue
        if not re.search(label, "".join(u.text for u in toks[max(0, k - 2):k + 1] if abs(u.y - t.y) < t.h)):
            continue
        rest = t.text[m.end():].lstrip(":")
        after = [u for u in toks if u is not t and u.x0 > t.x1 - 0.3 * t.h and abs(u.y - t.y) < 0.75 * t.h
                 and not re.search(r"(称|识别号|电话|账号):?$", u.text)]
        if after:
            best = min(abs(u.y - t.y) for u in after)
            line = sorted((u for u in after if abs(u.y - t.y) - best < 0.15 * t.h), key=lambda u: u.x0)
            # pieces of the same printed line further right (their y estimates scatter a little)
            for u in sorted(after, key=lambda u: u.x0):
                if u not in line and u.x1 > line[-1].x1 + 0.5 * u.h and u.x0 - line[-1].x1 < 2 * u.h \
                        and abs(u.y - line[-1].y) < 0.45 * u.h:
                    line.append(u)
            after = line
        parts = ([rest] if rest else []) + [u.text for u in after]
        if parts:
            sc = min([t.score] + [u.score for u in after])
            return Field(" ".join(parts).strip(), sc)
    return None


_FORMS = {"id": r"[0-9A-Z]{15,20}", "address": r".{6,}?\s?0\d{2,3}-\d{7,8}",
          "bank": r".*(?:银行|信用社|支行).*?\s?\d{12,19}",
          "name": r"[\u4e00-\u9fff()]{4,}(?:公司|厂|店|中心|院|所|部|社)"}


def _block_by_form(doc: DocText, rows: range, xm: XMap) -> dict[str, Field]:
    """Block values told by their form, for labels the OCR missed: the block's printed
    lines (label tokens dropped) matched to a taxpayer id, an address ending in a phone
    number, a bank and account, a company name."""
    x_end = xm.doc(_BLOCK_X - 20)
    toks = [t for i in rows for t in row_tokens(doc.rows[i])
            if t.x0 < x_end and not _CIPHER.match(t.text) and t.text not in _VERTICAL
            and not re.search(r"(称|识别号|电话|账号|名):?$", t.text)]
    out: dict[str, Field] = {}
    for line in cluster_lines(toks, gap=0.45):
        text = " ".join(t.text for t in line)
        flat = text.replace(" ", "")
        for k, pat in _FORMS.items():
            if k in out:
                continue
            if re.fullmatch(pat, flat) or (k in ("address", "bank") and re.fullmatch(pat, text)):
                v = flat if k in ("id", "name") else re.sub(r"\s*(\d{12,19}|0\d{2,3}-\d{7,8})$", r" \1", text)
                out[k] = Field(v, 0.8 * min(t.score for t in line))
                break
    return out


def _footer_names(doc: DocText, start: int) -> dict[str, Field]:
    out = {}
    labels = (("收款人", "receiver"), ("复核", "reviewer"), ("开票人", "issuer"))
    for i in range(start, len(doc.rows)):
        t = norm(doc.rows[i].text).replace(" ", "")
        if not re.search("收款人|复核|开票人", t):
            continue
        for lab, name in labels:
            m = re.search(lab + r":?(?!收款人|复核|开票人|销售方)([\u4e00-\u9fff·]{2,4}?)(?=收款人|复核|开票人|销售方|$|[^\u4e00-\u9fff·])", t)
            if m and name not in out:
                out[name] = Field(m.group(1), doc.rows[i].score)
    return out


#: the printed captions of the VAT form that label no field read by label (they stop a value search)
VAT_CAPTIONS = ("密码区", "购买方", "销售方", "货物或应税劳务、服务名称", "项目名称", "规格型号", "单位", "数量", "单价",
                "金额", "税率", "税率/征收率", "税额", "合计", "大写", "(大写)", "收款人", "复核", "开票人",
                "发票联", "抵扣联", "记账联", "购买方信息", "销售方信息")

#: the words naming the buyer's and the seller's block (printed across, or one character a
#: line), and the captions printed beside each block (the cipher beside the buyer's; the
#: remarks and the signatures by the seller's)
_SECTIONS = {"buyer": ("购买方", "购货单位", "购买方信息", "购", "买", "密码区"),
             "seller": ("销售方", "销货单位", "销售方信息", "销", "售", "备注", "收款人", "复核", "开票人")}
_PARTY_NAME = cjk(2, 40, extra="()·", exclude=r"名称|识别号|地址|电话|开户|账号|密码区|^(?:购买方|销售方)信息$")


def _space_before(tail: str):
    """Shape a cell printed as text and a number: one space before the number."""
    return lambda s: re.sub(rf"\s*({tail})$", r" \1", s)


def _party(who: str) -> tuple[FieldVocab, ...]:
    """The four fields of the buyer's or the seller's block."""
    sec = _SECTIONS[who]
    return (
        FieldVocab(f"{who}_name", ("名称", "名 称"), _PARTY_NAME, section=sec),
        FieldVocab(f"{who}_id", ("纳税人识别号", "统一社会信用代码/纳税人识别号", "识别号", "税号"), uscc(), section=sec),
        FieldVocab(f"{who}_address", ("地址、电话", "地址电话", "地址,电话", "地址及电话"), address(), section=sec,
                   fmt=_space_before(r"0\d{2,3}-\d{7,8}|1\d{10}")),
        FieldVocab(f"{who}_bank", ("开户行及账号", "开户银行及账号", "开户行及帐号"), bank_account(), section=sec,
                   fmt=_space_before(r"\d{8,25}")),
    )


VAT_VOCAB = Vocabulary(header(number=(8, 20)) + (
    FieldVocab("total", ("(小写)", "小写", "价税合计(小写)", "价税合计"), money(codes=False), fmt=yuan),
    FieldVocab("remarks", ("备注", "备"), text(), below=False, fmt=lambda s: s.replace(":", "：")),
) + _party("buyer") + _party("seller"), barriers=VAT_CAPTIONS, titles=titles(DocType.VAT_INVOICE))

#: the printed titles of the VAT forms (the ``type`` field, as printed)
_TITLE = re.compile(r"电子发票[(（](?:增值税)?(?:专用|普通)发票[)）]|增值税(?:电子)?(?:专用|普通)发票")


def vat_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``item_list`` of a VAT invoice (增值税专用 / 普通 / 电子普通发票)."""
    f: dict[str, Field] = {}
    for r in doc.rows:
        m = _TITLE.search(r.text.replace(" ", ""))
        if m:
            f["type"] = Field(m.group(0), r.score)
            break
    f.update(assign(doc, VAT_VOCAB))

    hi = row_index(doc, r"规格型号|货物或应税|数量.*单价|税率.*税额")
    si = next((i for i in range(hi + 1 if hi is not None else 0, len(doc.rows))
               if re.match(r"合", norm(doc.rows[i].text).replace(" ", ""))
               and not re.search(r"价税|大写|小写", doc.rows[i].text)), None)
    ti = row_index(doc, r"价税合计") or row_index(doc, r"大写")
    xm = _header_map(doc, hi)
    # buyer block: rows from the first 名称 down to the item header
    lim = hi if hi is not None else len(doc.rows)
    top = next((i for i in range(lim) if re.search(r"^名|称:", norm(doc.rows[i].text).replace(" ", ""))), None)
    if top is None:  # the 名称 label not read: the block starts under the header fields
        heads = [i for i in range(lim) if re.search(r"机器编号|校验码|开票日期", doc.rows[i].text.replace(" ", ""))]
        top = heads[-1] + 1 if heads else 0
    buyer_rows = range(top, hi + 1 if hi is not None else min(len(doc.rows), top + 4))
    seller_start = (ti + 1) if ti is not None else (si + 2 if si is not None else len(doc.rows))
    seller_rows = range(seller_start, len(doc.rows))
    for rows, who in ((buyer_rows, "buyer"), (seller_rows, "seller")):
        # what the labels and forms left empty: the block's cells on the paper form's columns
        if all(f"{who}_{k}" in f for k in ("name", "id", "address", "bank")):
            continue
        got: dict[str, Field] = {}
        _put(got, f"{who}_name", _block_value(doc, rows, r"名.*称", xm, "称"), lambda s: s.replace(" ", ""))
        _put(got, f"{who}_id", _block_value(doc, rows, r"识别号", xm, "识别号"),
             lambda s: max(re.findall(r"[0-9A-Z]{15,20}", s.replace(" ", "")) or [s.replace(" ", "")], key=len))
        _put(got, f"{who}_address", _block_value(doc, rows, r"地.*电话", xm, "电话"),
             lambda s: re.sub(r"\s*(0\d{2,3}-\d{7,8})$", r" \1", s))
        _put(got, f"{who}_bank", _block_value(doc, rows, r"开户行.*账号|及账号", xm, "账号"),
             lambda s: re.sub(r"\s*(\d{12,19})$", r" \1", s))
        for k, v in got.items():
            f.setdefault(k, v)
    for rows, who in ((buyer_rows, "buyer"), (seller_rows, "seller")):
        if all(f"{who}_{k}" in f for k in ("name", "id", "address", "bank")):
            continue
        for k, v in _block_by_form(doc, rows, xm).items():
            f.setdefault(f"{who}_{k}", v)
    for k in ("buyer_id", "seller_id"):
        if k in f and not re.fullmatch(r"[0-9A-Z]{15,20}", f[k].value):
            f[k] = Field(f[k].value, 0.5 * f[k].confidence)

    # item table: tokens between the header and the 合计 row, grouped into printed lines by y
    items, notes = _items(doc, hi, si, ti, xm)
    # 合计 row: the amounts printed with ￥ between the items and the 价税合计 row
    y_lo = doc.rows[hi].y if hi is not None else -np.inf
    y_hi = doc.rows[ti].y if ti is not None else np.inf
    for t in sorted(all_tokens(doc), key=lambda t: t.y):
        if y_lo < t.y < y_hi - 0.3 * t.h and re.fullmatch(r"￥\d[\d,]*\.\d{2}", t.text):
            c = _col_of(xm, t)
            if c not in ("amount", "tax_rate", "tax"):
                continue
            f.setdefault("subtotal_amount" if c == "amount" else "subtotal_tax", Field(yuan(t.text), t.score))
    # 价税合计: the capital amount and, after (小写), the total
    after_items = all_tokens(doc, range(hi + 1 if hi is not None else 0, len(doc.rows)))
    cap = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整"
    # (one misread character allowed: the checks may repair it against the total, and say so)
    words = [t for t in after_items if re.fullmatch(rf"[ⓧ⊗⑧]?[{cap}]+[^{cap}\d.]?[{cap}]+", t.text)
             and re.search(r"[角分整圆元]$", t.text)]
    if words and ti is not None:
        words.sort(key=lambda t: abs(t.y - doc.rows[ti].y))
    if words:
        f["total_in_words"] = Field(re.sub(r"^[ⓧ⊗⑧]", "", words[0].text), words[0].score)
    # remarks: the text starting at the remark cell's left edge (x 935 on the form); the
    # seller's stamp overlaps the cell further right, so only tokens chained to it count
    x_lo, x_hi = xm.doc(890), xm.doc(990)
    rem = f.pop("remarks", None)  # by its label (备注, or 备 printed vertically)
    for i in (seller_rows if rem is None else ()):
        toks = [t for t in row_tokens(doc.rows[i]) if t.text not in _VERTICAL]
        starts = [t for t in toks if x_lo <= t.x0 <= x_hi]
        if not starts:
            continue
        chain = [starts[0]]
        for t in sorted(toks, key=lambda u: u.x0):
            if t.x0 > chain[-1].x0 and t.x0 - chain[-1].x1 < 1.0 * t.h and abs(t.y - chain[-1].y) < 0.5 * t.h:
                chain.append(t)
        txt = "".join(t.text for t in chain)
        if re.search(r"发票专用章|\(章\)", txt):
            continue
        rem = Field(txt.replace(":", "："), min(t.score for t in chain))
        break
    if rem is not None:
        f["remarks"] = rem
    f.update({k: v for k, v in _footer_names(doc, si or 0).items()})
    if "type" not in f and "code" in f:
        # title not read: the code tells the kind (10 digits: special; 12 ending 11: electronic)
        c = f["code"].value
        kind = "增值税专用发票" if len(c) == 10 else ("增值税电子普通发票" if c.endswith("11") else "增值税普通发票")
        f["type"] = Field(kind, 0.6 * f["code"].confidence)
        notes.append("type: title not read, told from the code")
    extra: dict = {"item_list": items}
    # paper invoices print the code twice (large, top left): the second reading, for the checks
    big = [t for t in all_tokens(doc, range(0, min(3, len(doc.rows)))) if re.fullmatch(r"\d{10,12}", t.text)
           and t.x1 < xm.doc(420)]
    if big and "code" in f:
        extra["_twice"] = {"code": big[0].text}
    if notes:
        extra["extra_info"] = {"inferred": "; ".join(notes)}
    return f, extra


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
            and not any(re.search(p, t.text) for _, _, p, _ in _COLS[1:]) and "货物或应税" not in t.text
            and not t.text.startswith("￥")]
    # a column of one-character units may be read as one vertical line: set it aside
    vert = [t for t in toks if _col_of(xm, t) == "unit" and re.fullmatch(r"[\u4e00-\u9fff]{2,}", t.text)]
    toks = [t for t in toks if t not in vert]
    lines = [ln for ln in cluster_lines(toks, slope) if any(re.search(r"\d", t.text) for t in ln)
             # a line of a row holds its name or an amount; stray rate / unit fragments do not make a row
             and any(_col_of(xm, t) in ("name", "unit_price", "amount", "tax") for t in ln)]
    for ln in lines:
        cells: dict[str, list[Tok]] = {}
        for t in ln:
            cells.setdefault(_col_of(xm, t), []).append(t)
        row = {name: (" " if name == "specification" else "").join(t.text for t in cells.get(name, []))
               for _, _, _, name in _COLS}
        items.append(row)
    # single-character units read as one vertical line: one character per row
    if len(vert) == 1 and len(vert[0].text) == len(items) and not any(r["unit"] for r in items):
        for r, ch in zip(items, vert[0].text):
            r["unit"] = ch
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
        q = _infer_quantity(row)
        if q:
            row["quantity"] = q
            notes.append(f"item_list[{i}].quantity not read, inferred as amount / unit_price")
        if re.fullmatch(r"\d+", row["tax_rate"]):
            row["tax_rate"] += "%"
    return items, notes


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


# --- motor-vehicle sales invoice ---------------------------------------------------------------

_MVS_LABELS = {
    "发票代码": "code", "机打代码": "_code2", "发票号码": "number", "机打号码": "_number2", "开票日期": "issue_date",
    "税控码": "_cipher", "机器编号": "machine_number", "购买方名称": "buyer_name",
    "身份证号码/组织机构代码": "buyer_id", "车辆类型": "vehicle_type", "厂牌型号": "brand_model",
    "产地": "manufacturing_location", "合格证号": "quality_certificate", "进口证明书号": "_import",
    "商检单号": "_inspect", "发动机号码": "engine_number", "车辆识别代号/车架号码": "vehicle_identification_number",
    "价税合计": "total_chinese", "小写": "total", "销货单位名称": "seller_name", "电话": "seller_phone",
    "纳税人识别号": "seller_id", "账号": "seller_account", "地址": "seller_address", "开户银行": "seller_bank",
    "增值税税率或征收率": "tax_rate", "增值税税额": "tax", "主管税务机关及代码": "_authority",
    "不含税价": "tax_exclusive_price", "完税凭证号码": "_paid", "吨位": "_tons", "限乘人数": "_seats",
    "销货单位盖章": "_stamp", "开票人": "_issuer", "备注": "_remarks",
}

_MVS_FORMS = {
    "code": r"\d{10,12}", "number": r"\d{8}", "issue_date": r"\d{4}-\d{2}-\d{2}", "machine_number": r"\d{12}",
    "buyer_id": r"[\dX]{15,18}|[0-9A-Z]{18}", "vehicle_identification_number": r"[A-HJ-NPR-Z0-9]{17}",
    "seller_id": r"[0-9A-Z]{15,20}", "seller_account": r"\d{12,19}", "seller_phone": r"\d{3,4}-\d{7,8}",
    "tax_rate": r"\d{1,2}%", "total": r"[￥]?\d+\.\d{2}", "tax": r"[￥]?\d+\.\d{2}",
    "tax_exclusive_price": r"[￥]?\d+\.\d{2}",
}


#: the buyer's label of newer forms names both values (and wraps over lines as printed)
_BUYER_BOTH = ("购买方名称及身份证号码/组织机构代码", "购买方名称及身份证号码/", "及身份证号码/组织机构代码",
               "及身份证号码/")
_BUYER_NAME = cjk(2, 40, extra="()·", exclude=r"名称|号码|代码|身份证|纳税人|车辆|类型|单位")

MVS_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    FieldVocab("issue_date", ("开票日期", "日期"), date(), fallback=True),
    FieldVocab("machine_number", ("机器编号", "机器编码"), digits(12)),
    FieldVocab("_code2", ("机打代码",), digits(10, 12)),
    number_field(name="_number2", labels=("机打号码",)),
    FieldVocab("buyer_name", ("购买方名称", "购货单位(人)", "购货单位", "购买方") + _BUYER_BOTH, _BUYER_NAME),
    FieldVocab("buyer_id", ("身份证号码/组织机构代码", "纳税人识别号/统一社会信用代码/身份证明号码", "身份证明号码",
                            "组织机构代码", "身份证号码") + _BUYER_BOTH, any_of(id_number(), uscc())),
), barriers=tuple(k for k, v in _MVS_LABELS.items() if v not in (
    "code", "number", "issue_date", "machine_number", "_code2", "_number2", "buyer_name", "buyer_id")), titles=titles(DocType.MVS_INVOICE))

#: the fields read by label and form (:data:`MVS_VOCAB`) rather than by splitting rows at labels
_ASSIGNED = tuple(fv.name for fv in MVS_VOCAB.fields)


def mvs_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a motor-vehicle sales invoice (机动车销售统一发票)."""
    raw = {k: v for k, v in doc.split_labels(_MVS_LABELS).items() if k not in _ASSIGNED}
    raw.update(assign(doc, MVS_VOCAB))
    f: dict[str, Field] = {}
    for k, v in raw.items():
        val = norm(v.value).strip()
        if k in _MVS_FORMS and k not in _ASSIGNED:
            m = re.search(_MVS_FORMS[k], val.replace(" ", ""))
            if not m:
                continue
            val = m.group(0)
        f[k] = Field(val, v.confidence)
    for alt, k in (("_code2", "code"), ("_number2", "number")):
        if k not in f and alt in raw:
            m = re.search(_MVS_FORMS[k], raw[alt].value.replace(" ", ""))
            if m:
                f[k] = Field(m.group(0), raw[alt].confidence)
    for k in ("total", "tax", "tax_exclusive_price"):
        if k in f:
            f[k] = Field(yuan(f[k].value), f[k].confidence)
    for k in ("buyer_name", "seller_name", "seller_bank", "seller_address", "brand_model", "vehicle_type",
              "manufacturing_location", "total_chinese"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    for k in ("engine_number", "quality_certificate"):
        if k in f:
            f[k] = Field(f[k].value.replace(" ", ""), f[k].confidence)
    if "manufacturing_location" not in f and "brand_model" in f:
        # the 产地 label not read: the origin is the Chinese word printed right of the model
        for r in doc.rows:
            ps = [p for p in r.pieces if p.text]
            k = next((k for k, p in enumerate(ps) if "厂牌型号" in norm(p.text).replace(" ", "")), None)
            if k is None:
                continue
            rest = ps[k + 1:]
            if len(rest) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]{2,6}", rest[-1].text.strip()):
                f["manufacturing_location"] = Field(rest[-1].text.strip(), 0.8 * rest[-1].score)
                bm = f["brand_model"].value
                if bm.endswith(rest[-1].text.strip()):
                    f["brand_model"] = Field(bm[: -len(rest[-1].text.strip())], f["brand_model"].confidence)
            break
    if "_authority" in raw:
        a = norm(raw["_authority"].value).replace(" ", "")
        m = re.match(r"([\u4e00-\u9fff]+)(\d{6,})", a)
        if m:
            f["tax_authority"] = Field(m.group(1), raw["_authority"].confidence)
            f["tax_authority_code"] = Field(m.group(2), raw["_authority"].confidence)
        elif re.search(r"[\u4e00-\u9fff]", a):
            f["tax_authority"] = Field(a, 0.7 * raw["_authority"].confidence)
    # code and number are printed twice (header and 机打 cells): the second reading, for the checks
    twice = {}
    for alt, k in (("_code2", "code"), ("_number2", "number")):
        if alt in raw:
            m = re.search(_MVS_FORMS[k], raw[alt].value.replace(" ", ""))
            if m:
                twice[k] = m.group(0)
    return {k: v for k, v in f.items() if not k.startswith("_")}, ({"_twice": twice} if twice else {})
