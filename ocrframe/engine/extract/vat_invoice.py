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

The item table lives in :mod:`~.vat_table`, the motor-vehicle invoice in
:mod:`~.mvs_invoice`; every name stays importable from here.
"""

from __future__ import annotations

import re

import numpy as np

from ...types import DocType
from ..classify import titles
from .assign import assign
from .common import DocText, Field
from .invoice_fields import header
from .patterns import address, bank_account, cjk, money, text, uscc
from .layout import all_tokens, cluster_lines, norm, row_tokens, skew
from .receipts import _put, row_index, yuan
from .vocab import FieldVocab, Vocabulary, find_labels
# the item table and the motor-vehicle invoice live in their own modules; their names stay
# importable from here
from .mvs_invoice import (_ASSIGNED, _BUYER_BOTH, _BUYER_NAME, _CLASS_THEN_BRAND, _MVS_FORMS,  # noqa: F401
                          _MVS_LABELS, MVS_VOCAB, _split_vehicle, mvs_invoice)
from .vat_cells import (_VERTICAL, TITLE_ROWS, _colons_as_read, _in_sum_row, _remarks_by_caption,  # noqa: F401
                        _side_by_side, _TOTAL_ROW, _type_from_form)
from .vat_table import (_BLOCK_X, _COLS, _RATES, _STANDARD_HEAD, WRAP_GAP, XMap, _col_of, _continues,  # noqa: F401
                        _header_map, _infer_quantity, _infer_rate, _items)

__all__ = ["vat_invoice", "mvs_invoice", "XMap"]


_CIPHER = re.compile(r"^(?=.*[<>+\-*/].*[<>+\-*/])[0-9<>+\-*/]{8,}$")


def _block_value(doc: DocText, rows: range, label: str, xm: XMap, tail: str) -> Field | None:
    """The value after a buyer / seller block label, cut at the block's right edge.

    The label is found by the last characters it prints (``tail``, e.g. ``称`` of ``名 称``,
    whose two characters are often read apart); the value is the label token's remainder
    plus the tokens right of it on the nearest text line (rows of the block can be read
    merged, so the line is chosen by y, not by row).
    """
    x_end = xm.doc(_BLOCK_X - 20 + xm.offset)
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


#: a bank account: 12 to 25 digits (the longest accounts print 20 and more)
_ACCOUNT = r"(?<!\d)\d{12,25}"
#: a phone: a landline with its area code, or a mobile number
_PHONE = r"(?:0\d{2,3}-\d{7,8}|(?<!\d)1[3-9]\d{9})"
_FORMS = {"id": r"[0-9A-Z]{15,20}", "address": r".{6,}?\s?" + _PHONE,
          "bank": r".*(?:银行|信用社|支行).*?\s?" + _ACCOUNT,
          "name": r"[\u4e00-\u9fff()]{4,}(?:公司|厂|店|中心|院|所|部|社|馆|吧|行|站|场|坊)"}


def _block_by_form(doc: DocText, rows: range, xm: XMap) -> dict[str, Field]:
    """Block values told by their form, for labels the OCR missed: the block's printed
    lines (label tokens dropped) matched to a taxpayer id, an address ending in a phone
    number, a bank and account, a company name."""
    x_end = xm.doc(_BLOCK_X - 20 + xm.offset)
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
                v = flat if k in ("id", "name") else re.sub(rf"\s*({_ACCOUNT}|{_PHONE})$", r" \1", text)
                out[k] = Field(v, 0.8 * min(t.score for t in line))
                break
    return out


#: the footer's signatures: a person's name after (or, misregistered, beside) its label
_PERSON = cjk(2, 4, extra="·", exclude=r"收款|复核|开票|销售|发票|专用|盖章|章")
FOOTER_VOCAB = Vocabulary((
    FieldVocab("receiver", ("收款人",), _PERSON, below=False),
    FieldVocab("reviewer", ("复核", "复核人"), _PERSON, below=False),
    FieldVocab("issuer", ("开票人",), _PERSON, below=False),
), barriers=("销售方", "销售方:(章)", "销货单位", "销货单位:(章)", "(章)", "备注"))


def _footer_names(doc: DocText, start: int) -> dict[str, Field]:
    """收款人 / 复核 / 开票人: read from the footer's row text, and where that finds no name
    (a name printed off its label's row, or in a line of its own), by label and place."""
    out = _footer_by_row(doc, start)
    if len(out) < len(FOOTER_VOCAB.fields):
        for k, v in assign(doc, FOOTER_VOCAB).items():
            out.setdefault(k, v)
    return out


#: what follows a signature's name in the footer's row: the next signature's label, or the
#: seller's stamp caption (销售方 on today's form, 销货单位 on the old one)
_FOOTER_NEXT = "收款人|复核|开票人|销售方|销货单位"


def _footer_by_row(doc: DocText, start: int) -> dict[str, Field]:
    out = {}
    labels = (("收款人", "receiver"), ("复核", "reviewer"), ("开票人", "issuer"))
    for i in range(start, len(doc.rows)):
        t = norm(doc.rows[i].text).replace(" ", "")
        if not re.search("收款人|复核|开票人", t):
            continue
        for lab, name in labels:
            m = re.search(lab + rf":?(?!{_FOOTER_NEXT})([\u4e00-\u9fff·]{{2,4}}?)(?={_FOOTER_NEXT}|$|[^\u4e00-\u9fff·])", t)
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


#: the VAT forms' titles as printed (full-width brackets), to read one partly hidden
VAT_TITLES = ("电子发票（普通发票）", "电子发票（增值税专用发票）", "增值税专用发票", "增值税普通发票", "增值税电子普通发票",
              "增值税电子专用发票")
_TITLE_VOCAB = Vocabulary(tuple(FieldVocab(t, (t,), None) for t in VAT_TITLES))


def _hidden_title(doc: DocText) -> Field | None:
    """A title the tax office's round seal covers in part (``电子发 要（普通发票)``): the
    printed title its visible characters align with, of the kind they name (专用 or 普通).

    Examples
    --------
    >>> from ocrframe.testing.doctext import doc_from_rows
    >>> _hidden_title(doc_from_rows([[("电子发票", 100), ("专用发票）", 300), ("发票号码：25922000000077229939", 600)]])).value
    '电子发票（增值税专用发票）'
    """
    best = None
    for r in doc.rows[:TITLE_ROWS]:
        t = r.text
        kind = "专用" if "专用" in t else "普通" if "普通" in t else None
        if kind is None:
            continue
        for h in find_labels(t, _TITLE_VOCAB):
            if kind in h.field and (best is None or (h.quality, len(h.field)) > best[:2]):
                best = (h.quality, len(h.field), h.field, r.score)
    return Field(best[2], best[3] * best[0]) if best else None


def vat_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``item_list`` of a VAT invoice (增值税专用 / 普通 / 电子普通发票)."""
    f: dict[str, Field] = {}
    whole = False  # the title read whole (not pieced together)
    for r in doc.rows:
        m = _TITLE.search(r.text.replace(" ", ""))
        if m:  # the fully digital form prints its brackets full-width, however OCR reads them
            f["type"] = Field(m.group(0).replace("(", "（").replace(")", "）"), r.score)
            whole = True
            break
    else:
        _put(f, "type", _hidden_title(doc))
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
             lambda s: re.sub(rf"\s*({_ACCOUNT})$", r" \1", s))
        for k, v in got.items():
            f.setdefault(k, v)
    for rows, who in ((buyer_rows, "buyer"), (seller_rows, "seller")):
        if all(f"{who}_{k}" in f for k in ("name", "id", "address", "bank")):
            continue
        for k, v in _block_by_form(doc, rows, xm).items():
            f.setdefault(f"{who}_{k}", v)
    f.update(_side_by_side(doc, range(0, hi if hi is not None else len(doc.rows))))
    for k in ("buyer_id", "seller_id"):
        if k in f and not re.fullmatch(r"[0-9A-Z]{15,20}", f[k].value):
            f[k] = Field(f[k].value, 0.5 * f[k].confidence)

    # item table: tokens between the header and the 合计 row, grouped into printed lines by y
    items, notes = _items(doc, hi, si, ti, xm)
    # 合计 row: the amounts printed with ￥ between the items and the 价税合计 row
    y_lo = doc.rows[hi].y if hi is not None else -np.inf
    slope = skew(row_tokens(doc.rows[hi])) if hi is not None else 0.0
    for t in sorted(all_tokens(doc), key=lambda t: t.y):
        if y_lo < t.y and _in_sum_row(doc, t, si, ti, slope) and re.fullmatch(r"￥\d[\d,]*\.\d{2}", t.text):
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
    x_lo, x_hi = xm.doc(890 + xm.offset), xm.doc(990 + xm.offset)
    rem = f.pop("remarks", None)  # by its label (备注, or 备 printed vertically)
    if rem is not None and _TOTAL_ROW.search(rem.value):
        rem = None  # the 价税合计 row's words, taken across the cell's edge
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
    if rem is None or _TOTAL_ROW.search(rem.value):
        rem = _remarks_by_caption(doc, seller_start if ti is not None else 0)
    if rem is not None and not _TOTAL_ROW.search(rem.value):
        f["remarks"] = Field(_colons_as_read(rem.value, doc), rem.confidence)
    f.update({k: v for k, v in _footer_names(doc, si or 0).items()})
    _type_from_form(f, doc, whole, notes)
    extra: dict = {"item_list": items}
    # paper invoices print the code twice (large, top left): the second reading, for the checks
    big = [t for t in all_tokens(doc, range(0, min(3, len(doc.rows)))) if re.fullmatch(r"\d{10,12}", t.text)
           and t.x1 < xm.doc(420)]
    if big and "code" in f:
        extra["_twice"] = {"code": big[0].text}
    if notes:
        extra["extra_info"] = {"inferred": "; ".join(notes)}
    return f, extra

