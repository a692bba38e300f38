"""Small-format invoices: VAT roll invoice, taxi, quota and toll invoices.

Each value is read after its printed label on the same row (or just under it), and must
have its field's form (dates, 8-digit numbers, ``￥`` amounts); the roll invoice's items are
read as a table under its ``项目 数量 单价 金额`` header.
"""

from __future__ import annotations

import re

from .common import DocText, Field
from .layout import find, label_value, norm, row_tokens

__all__ = ["roll_invoice", "taxi_invoice", "quota_invoice", "toll_invoice", "yuan", "row_index"]

CODE = r"[^\d\s:]?\d{10,12}"
NUMBER = r"[^\d\s:]?\d{8}"
DATE = r"\d{4}-\d{1,2}-\d{1,2}"
USCC = r"[0-9A-Z]{15,20}"
MONEY = r"[￥]?\s?\d[\d,]*\.\d{2}"


def yuan(v: str) -> str:
    """An amount printed with the yuan sign: ``￥`` in front, no spaces (``¥ 44.00`` -> ``￥44.00``)."""
    v = norm(v).replace(" ", "").replace(",", "")
    return v if v.startswith("￥") else "￥" + v


def row_index(doc: DocText, pattern: str, start: int = 0) -> int | None:
    """The first row (from ``start``) whose text (spaces removed) matches ``pattern``."""
    for i in range(start, len(doc.rows)):
        if re.search(pattern, norm(doc.rows[i].text).replace(" ", "")):
            return i
    return None


def digits(s: str) -> str:
    """Only the digits (a stray character read in front of a code or number dropped)."""
    return re.sub(r"\D", "", s)


def _put(f: dict, name: str, v: Field | None, fix=None) -> None:
    if fix is None and name in ("code", "number"):
        fix = digits
    if v is not None and v.value:
        f[name] = Field(fix(v.value) if fix else v.value, v.confidence)


# --- VAT roll invoice --------------------------------------------------------------------------

_ROLL_LABELS = r"(发票代码|发票号码|机打号码|机器编号|销售方名称|纳税人识别号|开票日期|收款员|购买方名称|项目|合计金额|校验码)"


def _name_block(doc: DocText, i: int, label: str) -> Field | None:
    """A company name after its label, continued on the next row when wrapped."""
    v = label_value(doc, label, r"[^:]{2,}", rows=range(i, i + 1))
    if v is None:
        return None
    val, sc = v.value.replace(" ", ""), v.confidence
    if i + 1 < len(doc.rows):
        nxt = norm(doc.rows[i + 1].text).replace(" ", "")
        lab_x = doc.rows[i].pieces[0].x0
        aligned = doc.rows[i + 1].pieces[0].x0 > lab_x + 2 * doc.rows[i].pieces[0].h
        if aligned and nxt and not re.search(_ROLL_LABELS + "|开票人", nxt) and ":" not in nxt \
                and re.search(r"[\u4e00-\u9fff]", nxt):
            val += nxt
            sc = min(sc, doc.rows[i + 1].score)
    return Field(val, sc)


def roll_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``item_list`` of a VAT roll invoice (增值税普通发票(卷票))."""
    f: dict[str, Field] = {}
    _put(f, "code", label_value(doc, "发票代码", CODE))
    _put(f, "number", label_value(doc, "发票号码", NUMBER) or label_value(doc, "机打号码", NUMBER))
    _put(f, "machine_number", label_value(doc, "机器编号", r"\d{12}"))
    _put(f, "issue_date", label_value(doc, "开票日期", DATE))
    _put(f, "check_code", label_value(doc, "校验码", r"\d{20}"))
    si = row_index(doc, "销售方名称")
    bi = row_index(doc, "购买方名称")
    if si is not None:
        _put(f, "seller_name", _name_block(doc, si, "销售方名称"))
        _put(f, "seller_id", label_value(doc, "纳税人识别号", USCC, rows=range(si, bi if bi is not None else len(doc.rows))))
    if bi is not None:
        _put(f, "buyer_name", _name_block(doc, bi, "购买方名称"))
        _put(f, "buyer_id", label_value(doc, "纳税人识别号", USCC, rows=range(bi, len(doc.rows))))
    _put(f, "total", label_value(doc, r"合计金额\(?小写\)?", MONEY), yuan)
    words = label_value(doc, r"合计金额\(?大写\)?", r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整]{2,}")
    _put(f, "total_in_words", words, lambda s: s.replace(" ", ""))
    items = []
    hi = row_index(doc, r"项目.*数量.*单价.*金额")
    if hi is not None:
        head = row_tokens(doc.rows[hi])
        cols = {}
        for name, pat in (("name", "项目"), ("quantity", "数量"), ("unit_price", "单价"), ("amount", "金额")):
            t = next((t for t in head if pat in t.text), None)
            if t is not None:
                cols[name] = t
        centres = {k: (t.x0 if k == "name" else t.x1) for k, t in cols.items()}
        for j in range(hi + 1, len(doc.rows)):
            txt = norm(doc.rows[j].text).replace(" ", "")
            if re.search("合计|大写|小写", txt):
                break
            toks = row_tokens(doc.rows[j])
            # right-aligned numeric columns: match on the right edge; the name on the left edge
            got: dict[str, list] = {k: [] for k in centres}
            for t in toks:
                k = min(centres, key=lambda c: abs(centres[c] - (t.x0 if c == "name" else t.x1)))
                got[k].append(t)
            row = {k: "".join(t.text for t in v) for k, v in got.items()}
            if not any(row.values()):
                continue
            row = {k: row.get(k, "") for k in ("name", "quantity", "unit_price", "amount")}
            items.append(row)
    notes = []
    for i, row in enumerate(items):
        q = infer_quantity(row)
        if q:
            row["quantity"] = q
            notes.append(f"item_list[{i}].quantity not read, inferred as amount / unit_price")
    extra: dict = {"item_list": items}
    if notes:
        extra["extra_info"] = {"inferred": "; ".join(notes)}
    return f, extra


def infer_quantity(row: dict) -> str | None:
    """A quantity the OCR missed (a lone digit is easily lost), when amount / unit price is whole."""
    from decimal import Decimal, InvalidOperation

    if row.get("quantity") or not row.get("amount") or not row.get("unit_price"):
        return None
    try:
        q = Decimal(row["amount"].replace(",", "")) / Decimal(row["unit_price"].replace(",", ""))
    except (InvalidOperation, ArithmeticError):
        return None
    return str(int(q)) if q == q.to_integral_value() and 0 < q < 10000 else None


# --- taxi invoice ------------------------------------------------------------------------------

def taxi_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a taxi invoice (出租汽车专用发票)."""
    f: dict[str, Field] = {}
    _put(f, "code", label_value(doc, "发票代码", CODE))
    _put(f, "number", label_value(doc, "发票号码", NUMBER))
    _put(f, "phone_number", label_value(doc, "电话", r"\d{5,11}"))
    _put(f, "taxi_number", label_value(doc, "车号", r"[\u4e00-\u9fff][A-Z]-?[A-Z0-9]{5,6}"))
    _put(f, "certificate_number", label_value(doc, "证号", r"\d{4,8}"))
    _put(f, "date", label_value(doc, "日期", DATE))
    _put(f, "boarding_time", label_value(doc, "上车", r"\d{1,2}:\d{2}"))
    _put(f, "alighting_time", label_value(doc, "下车", r"\d{1,2}:\d{2}"))
    _put(f, "unit_price", label_value(doc, "单价", r"\d+\.\d{2}\s?元"), lambda s: s.replace(" ", ""))
    _put(f, "distance", label_value(doc, "里程", r"\d+(?:\.\d)?\s?(?:km|KM|Km|公里)"), lambda s: s.replace(" ", "").lower())
    _put(f, "waiting_time", label_value(doc, "等候", r"\d{1,2}:\d{2}:\d{2}"))
    _put(f, "total", label_value(doc, "金额", r"\d+\.\d{2}\s?元"), lambda s: s.replace(" ", ""))
    # a label the OCR missed: its value is the unlabelled row in its place in the fixed order
    bare = [(i, norm(r.text).replace(" ", ""), r.score) for i, r in enumerate(doc.rows)]
    bare = [(i, t, sc) for i, t, sc in bare if not re.search(r"[\u4e00-\u9fff]{2}", t) or re.fullmatch(r"[\u4e00-\u9fff][A-Z]-?[A-Z0-9]{5,6}", t)]
    if "certificate_number" not in f:
        m = next((Field(t, 0.7 * sc) for i, t, sc in bare if re.fullmatch(r"\d{6}", t)), None)
        _put(f, "certificate_number", m)
    times = [(t, sc) for i, t, sc in bare if re.fullmatch(r"\d{1,2}:\d{2}", t)]
    if "boarding_time" not in f and "alighting_time" not in f and len(times) == 2:
        f["boarding_time"] = Field(times[0][0], 0.7 * times[0][1])
        f["alighting_time"] = Field(times[1][0], 0.7 * times[1][1])
    elif len(times) == 1 and ("boarding_time" in f) != ("alighting_time" in f):
        k = "alighting_time" if "boarding_time" in f else "boarding_time"
        if times[0][0] != (f.get("boarding_time") or f.get("alighting_time")).value:
            f[k] = Field(times[0][0], 0.7 * times[0][1])
    return f, {}


# --- quota invoice -----------------------------------------------------------------------------

def quota_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a quota invoice (通用定额发票): the city comes from the title."""
    f: dict[str, Field] = {}
    _put(f, "code", label_value(doc, "发票代码", CODE))
    _put(f, "number", label_value(doc, "发票号码", NUMBER))
    loc = find(doc, r"([\u4e00-\u9fff]{2,4}?)市?通用定额发票")
    if loc is None:
        loc = find(doc, r"([\u4e00-\u9fff]{2,4}?)市?通用", conf=0.8)
    _put(f, "location", loc)
    amt = find(doc, r"[￥]\s?(\d+\.\d{2})") or find(doc, r"(?<![\d.])(\d{1,3}\.00)(?![\d.])", conf=0.8)
    _put(f, "amount", amt, yuan)
    return f, {}


# --- toll invoice ------------------------------------------------------------------------------

def toll_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a toll-road invoice (车辆通行费专用发票)."""
    f: dict[str, Field] = {}
    _put(f, "code", label_value(doc, "发票代码", CODE))
    _put(f, "number", label_value(doc, "发票号码", NUMBER))
    station = r"[^:\s]{2,}?站"
    _put(f, "entry", label_value(doc, "入口", station))
    _put(f, "exit", label_value(doc, "出口", station))
    _put(f, "vehicle_type", label_value(doc, "车型", r"[^:\s]{2,4}"))
    _put(f, "amount", label_value(doc, "金额", MONEY), yuan)
    _put(f, "date", label_value(doc, "日期", DATE))
    _put(f, "time", label_value(doc, "时间", r"\d{1,2}:\d{2}:\d{2}"))
    return f, {}
