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

from .common import DocText, Field
from .layout import Tok, find, norm, row_tokens
from .receipts import _put, row_index, yuan

__all__ = ["vat_invoice", "mvs_invoice", "XMap"]

# the VAT form's item columns: (template x0, x1, header title pattern, field)
_COLS = [(40, 380, r"货物|应税|劳务|服务名称", "name"), (380, 530, r"规格|型号", "specification"),
         (530, 600, r"^单位$", "unit"), (600, 690, r"数量|数", "quantity"), (690, 840, r"单价|单", "unit_price"),
         (840, 1020, r"金额|金", "amount"), (1020, 1090, r"税率|率", "tax_rate"), (1090, 1360, r"税额", "tax")]
_BLOCK_X = 880  # template x where the buyer / seller values end (密码区 and 备注 to the right)


class XMap:
    """Template x <-> document x, fitted on anchor pairs (a straight line)."""

    def __init__(self, pairs: list[tuple[float, float]], fallback: tuple[float, float] = (1.0, 0.0)):
        if len(pairs) >= 2 and np.ptp([p[0] for p in pairs]) > 100:
            t, d = np.array(pairs, float).T
            self.a, self.b = np.polyfit(t, d, 1)
        else:
            self.a, self.b = fallback

    def doc(self, x_tpl: float) -> float:
        return self.a * x_tpl + self.b

    def tpl(self, x_doc: float) -> float:
        return (x_doc - self.b) / self.a if self.a else x_doc


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
    return XMap(keep, fb)


def _col_of(xm: XMap, t: Tok) -> str | None:
    x = xm.tpl(t.xc)
    for xa, xb, _, name in _COLS:
        if xa <= x < xb:
            return name
    return None


_CIPHER = re.compile(r"^[0-9<>+\-*/]{8,}$")


def _block_value(doc: DocText, rows: range, label: str, xm: XMap) -> Field | None:
    """The value after ``label`` within a buyer / seller block row, cut at the block's right edge."""
    x_end = xm.doc(_BLOCK_X)
    for i in rows:
        toks = [t for t in row_tokens(doc.rows[i]) if t.x0 < x_end and not _CIPHER.match(t.text)]
        text = " ".join(t.text for t in toks)
        m = re.search(label + r"[\s:]*", text)
        if m is None:
            m = re.search(label + r"[\s:]*", text.replace(" ", ""))
            if m is None:
                continue
            text = text.replace(" ", "")
        v = text[m.end():].strip()
        if v:
            return Field(v, doc.rows[i].score)
    return None


def _footer_names(doc: DocText, start: int) -> dict[str, Field]:
    out = {}
    labels = (("收款人", "receiver"), ("复核", "reviewer"), ("开票人", "issuer"))
    for i in range(start, len(doc.rows)):
        t = norm(doc.rows[i].text).replace(" ", "")
        if not re.search("收款人|复核|开票人", t):
            continue
        for lab, name in labels:
            m = re.search(lab + r":?([\u4e00-\u9fff·]{2,4}?)(?=收款人|复核|开票人|销售方|$|[^\u4e00-\u9fff·])", t)
            if m and name not in out:
                out[name] = Field(m.group(1), doc.rows[i].score)
    return out


def vat_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``item_list`` of a VAT invoice (增值税专用 / 普通 / 电子普通发票)."""
    f: dict[str, Field] = {}
    _put(f, "type", find(doc, r"(增值税(?:电子)?(?:专用|普通)发票)"))
    _put(f, "code", find(doc, r"发票代码:?(\d{10,12})") or find(doc, r"^(\d{10,12})$", conf=0.9))
    _put(f, "number", find(doc, r"发票号码:?(\d{8})"))
    _put(f, "issue_date", find(doc, r"开票日期:?(\d{4}年\d{1,2}月\d{1,2}日)"))
    cc = find(doc, r"校验码:?(\d{20})")
    if cc is not None:
        d = cc.value
        f["check_code"] = Field(" ".join(d[i:i + 5] for i in range(0, 20, 5)), cc.confidence)
    _put(f, "machine_number", find(doc, r"机器编号:?(\d{12})"))

    hi = row_index(doc, r"规格型号|货物或应税|数量.*单价|税率.*税额")
    si = row_index(doc, r"合计", hi + 1 if hi is not None else 0)
    ti = row_index(doc, r"价税合计|大写|小写")
    xm = _header_map(doc, hi)
    # buyer block: rows from the first 名称 down to the item header
    top = row_index(doc, r"名\s*称") or 0
    buyer_rows = range(top, hi if hi is not None else min(len(doc.rows), top + 4))
    seller_start = (ti + 1) if ti is not None else (si + 2 if si is not None else len(doc.rows))
    seller_rows = range(seller_start, len(doc.rows))
    for rows, who in ((buyer_rows, "buyer"), (seller_rows, "seller")):
        _put(f, f"{who}_name", _block_value(doc, rows, r"名\s*称", xm), lambda s: s.replace(" ", ""))
        _put(f, f"{who}_id", _block_value(doc, rows, r"纳\s*税\s*人\s*识\s*别\s*号", xm),
             lambda s: s.replace(" ", ""))
        _put(f, f"{who}_address", _block_value(doc, rows, r"地\s*址\s*[、,.]?\s*电\s*话", xm),
             lambda s: re.sub(r"\s*(0\d{2,3}-\d{7,8})$", r" \1", s))
        _put(f, f"{who}_bank", _block_value(doc, rows, r"开\s*户\s*行\s*及\s*账\s*号", xm),
             lambda s: re.sub(r"\s*(\d{12,19})$", r" \1", s))
    for k in ("buyer_id", "seller_id"):
        if k in f and not re.fullmatch(r"[0-9A-Z]{15,20}", f[k].value):
            f[k] = Field(f[k].value, 0.5 * f[k].confidence)

    # item table
    items = []
    if hi is not None:
        stop = si if si is not None else (ti if ti is not None else len(doc.rows))
        for j in range(hi + 1, stop):
            cells: dict[str, list[Tok]] = {}
            for t in row_tokens(doc.rows[j]):
                c = _col_of(xm, t)
                if c:
                    cells.setdefault(c, []).append(t)
            if not cells or not any(re.search(r"\d", t.text) for v in cells.values() for t in v):
                continue
            row = {}
            for _, _, _, name in _COLS:
                ts = cells.get(name, [])
                row[name] = (" " if name == "specification" else "").join(t.text for t in ts)
            if re.fullmatch(r"\d+", row["tax_rate"]):
                row["tax_rate"] += "%"
            items.append(row)
    # 合计 row: subtotal amount (amount column) and tax (tax column)
    if si is not None:
        for t in row_tokens(doc.rows[si]):
            if re.search(r"\d+\.\d{2}", t.text):
                c = _col_of(xm, t)
                name = "subtotal_tax" if c == "tax" or (c is None and xm.tpl(t.xc) > 1060) else "subtotal_amount"
                f.setdefault(name, Field(yuan(re.sub(r"[^\d.￥]", "", t.text)), doc.rows[si].score))
    if ti is not None:
        t = norm(doc.rows[ti].text).replace(" ", "")
        m = re.search(r"([零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整]{2,})", t.replace("ⓧ", ""))
        if m:
            f["total_in_words"] = Field(m.group(1), doc.rows[ti].score)
        m = re.search(r"小写\)?:?([￥]?\d[\d,]*\.\d{2})", t) or re.search(r"([￥]\d[\d,]*\.\d{2})", t)
        if m:
            f["total"] = Field(yuan(m.group(1)), doc.rows[ti].score)
    # remarks: right of the seller block
    x_rem = xm.doc(920)
    rem = []
    sc = 1.0
    for i in seller_rows:
        toks = [t for t in row_tokens(doc.rows[i]) if t.x0 >= x_rem]
        txt = "".join(t.text for t in toks)
        if re.search(r"销售方|\(章\)|收款人|复核|开票人", txt) or not txt:
            continue
        txt = re.sub(r"^[备注]+$", "", txt)
        if len(txt) >= 2:
            rem.append(txt)
            sc = min(sc, doc.rows[i].score)
    if rem:
        f["remarks"] = Field("".join(rem).replace(":", "："), sc)
    f.update({k: v for k, v in _footer_names(doc, si or 0).items()})
    return f, {"item_list": items}


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


def mvs_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a motor-vehicle sales invoice (机动车销售统一发票)."""
    raw = doc.split_labels(_MVS_LABELS)
    f: dict[str, Field] = {}
    for k, v in raw.items():
        val = norm(v.value).strip()
        if k in _MVS_FORMS:
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
    if "_authority" in raw:
        a = norm(raw["_authority"].value).replace(" ", "")
        m = re.match(r"([\u4e00-\u9fff]+)(\d{6,})", a)
        if m:
            f["tax_authority"] = Field(m.group(1), raw["_authority"].confidence)
            f["tax_authority_code"] = Field(m.group(2), raw["_authority"].confidence)
        elif re.search(r"[\u4e00-\u9fff]", a):
            f["tax_authority"] = Field(a, 0.7 * raw["_authority"].confidence)
    return {k: v for k, v in f.items() if not k.startswith("_")}, {}
