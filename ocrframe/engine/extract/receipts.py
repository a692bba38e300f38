"""Small-format invoices: VAT roll invoice, taxi, quota and toll invoices.

Each type declares a :class:`~.vocab.Vocabulary`: the labels its fields are printed under on
the forms of different cities, provinces and eras (``发票代码`` / ``票据代码``, ``入口`` /
``入口站``, ``金额`` / ``实收金额``, English captions) and the form of each value; the values
are assigned to their labels jointly by :func:`~.assign.assign` (glued, beside, under or
half a line off). The roll invoice's buyer and seller blocks are read by rows, its items
as a table under its ``项目 数量 单价 金额`` header; the quota invoice's city comes from its
title.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...types import DocType
from ..classify import titles
from .assign import assign, choose
from .common import DocText, Field
from .invoice_fields import code_field, header, number_field, yuan
from .layout import find, label_value, norm, printed, row_tokens
from .patterns import alnum, any_of, capital_amount, clock, cjk, date, money, phone, plate, quantity
from .vocab import FieldVocab, Vocabulary

__all__ = ["roll_invoice", "taxi_invoice", "quota_invoice", "toll_invoice", "yuan", "row_index", "shaped", "TAXI_VOCAB",
           "TOLL_VOCAB", "QUOTA_VOCAB"]

USCC = r"[0-9A-Z]{15,20}"
#: a table's rows end where the next printed row is more than this many line heights lower
TABLE_GAP = 2.5


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


ROLL_VOCAB = Vocabulary(header(check_grouped=True) + (
    number_field(name="_number2", labels=("机打号码", "机打票号")),
    FieldVocab("total", ("合计金额(小写)", "(小写)", "小写", "合计(小写)"), money(codes=False), fmt=yuan),
    FieldVocab("total_in_words", ("合计金额(大写)", "(大写)", "大写", "合计(大写)"), capital_amount()),
), barriers=("销售方名称", "购买方名称", "纳税人识别号", "收款员", "项目", "数量", "单价", "金额", "发票联"), titles=titles(DocType.VAT_ROLL_INVOICE))


def roll_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields and ``item_list`` of a VAT roll invoice (增值税普通发票(卷票))."""
    f = assign(doc, ROLL_VOCAB)
    second = f.pop("_number2", None)
    if "number" not in f and second is not None:
        f["number"] = second
    si = row_index(doc, "销售方名称")
    bi = row_index(doc, "购买方名称")
    if si is not None:
        _put(f, "seller_name", _name_block(doc, si, "销售方名称"))
        _put(f, "seller_id", label_value(doc, "纳税人识别号", USCC, rows=range(si, bi if bi is not None else len(doc.rows))))
    if bi is not None:
        _put(f, "buyer_name", _name_block(doc, bi, "购买方名称"))
        _put(f, "buyer_id", label_value(doc, "纳税人识别号", USCC, rows=range(bi, len(doc.rows))))
    items = []
    # the items' header: 项目 first, then 数量 / 单价 / 金额 in the order the form prints them
    hi = row_index(doc, r"项目(?=.*金额)(?=.*(?:数量|单价))")
    if hi is not None:
        head = row_tokens(doc.rows[hi])
        cols = {}
        for name, pat in (("name", "项目"), ("quantity", "数量"), ("unit_price", "单价"), ("amount", "金额")):
            t = next((t for t in head if pat in t.text), None)
            if t is not None:
                cols[name] = t
        centres = {k: (t.x0 if k == "name" else t.x1) for k, t in cols.items()}
        last_y = doc.rows[hi].y
        for j in range(hi + 1, len(doc.rows)):
            txt = norm(doc.rows[j].text).replace(" ", "")
            line_h = max(p.h for p in doc.rows[j].pieces)
            if re.search("合计|大写|小写", txt) or doc.rows[j].y - last_y > TABLE_GAP * line_h:
                break  # the table ends at the totals, or where its rows stop
            last_y = doc.rows[j].y
            toks = row_tokens(doc.rows[j])
            if items and "name" in centres and not re.search(r"\d{1,}\.\d", txt) and all(
                    min(centres, key=lambda c: abs(centres[c] - (t.x0 if c == "name" else t.x1))) == "name"
                    for t in toks):
                items[-1]["name"] += "".join(printed(t.text, t.raw) for t in toks)  # a long name wrapped
                continue
            # right-aligned numeric columns: match on the right edge; the name on the left edge
            got: dict[str, list] = {k: [] for k in centres}
            for t in toks:
                k = min(centres, key=lambda c: abs(centres[c] - (t.x0 if c == "name" else t.x1)))
                got[k].append(t)
            row = {k: "".join(printed(t.text, t.raw) for t in v) for k, v in got.items()}
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

_MONEY = money(codes=False)

#: ``km`` as dot-matrix print is often read (``hn``, ``leh``, ``krn``): two or three small letters
_KM_MISREAD = r"[a-z]{2,3}(?![A-Za-z])"


def _km(s: str) -> str:
    """A distance as printed: ``21.7km``; a misread unit read back as ``km``.

    Examples
    --------
    >>> _km("21.7 KM"), _km("21.7hn"), _km("9.9公里"), _km("9.9")
    ('21.7km', '21.7km', '9.9公里', '9.9')
    """
    s = s.replace(" ", "")
    return re.sub(r"[A-Za-z]+$", "km", s)


TAXI_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    FieldVocab("phone_number", ("监督电话", "服务电话", "投诉电话", "电话", "TEL"), phone()),
    FieldVocab("taxi_number", ("车号", "车牌号", "车牌号码", "车牌", "车号码", "CAR NO.", "TAXI NO.", "TAXI NO", "PLATE NO."), plate(province=False),
               fallback=True),
    FieldVocab("certificate_number", ("证号", "资格证号", "从业资格证号", "资格证", "驾驶员证号", "司机证号", "驾驶员号",
                                      "司机号", "司机代码", "服务证号", "服务卡号", "监督卡号", "工号", "DRIVER NO.", "DRIVER ID",
                                      "LICENSE NO.", "LICENCE NO.", "CERT NO."),
               alnum(4, 18)),
    FieldVocab("date", ("日期", "乘车日期", "DATE"), date(), fallback=True),
    FieldVocab("boarding_time", ("上车", "上车时间", "起始时间", "上车时刻", "起时", "TIME ON", "BOARDING"), clock(), fallback=True),
    FieldVocab("alighting_time", ("下车", "下车时间", "到达时间", "下车时刻", "止时", "TIME OFF", "ALIGHTING"), clock(), fallback=True),
    FieldVocab("unit_price", ("单价", "单价(元)", "价格", "运价", "PRICE", "UNIT PRICE", "UNIT"), quantity(r"(?:元|π)(?:/(?:公里|km|KM))?"),
               fmt=lambda s: s.replace(" ", "").replace("π", "元")),  # 元 read as π
    FieldVocab("distance", ("里程", "里程(公里)", "总里程", "行驶里程", "计程", "公里", "DIST", "DIST.", "DISTANCE", "MILEAGE"), quantity(r"km|KM|Km|公里|" + _KM_MISREAD),
               fmt=_km),
    FieldVocab("waiting_time", ("等候", "等候时间", "低速等候", "等时", "等候计时", "等候时长", "WAIT", "WAITING", "WAITING TIME"), clock()),
    FieldVocab("total", ("金额", "实收金额", "总金额", "应收金额", "应付金额", "实付金额", "合计", "车费", "实收", "金额(元)", "TOTAL", "AMOUNT", "FARE"), _MONEY),
), barriers=("发票联", "本发票手写无效", "附加费", "燃油附加", "卡号", "原额", "余额", "交易前余额", "交易后余额"), titles=titles(DocType.TAXI_INVOICE))


def taxi_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a taxi invoice (出租汽车专用发票), by label and form."""
    got = choose(doc, TAXI_VOCAB)
    f = shaped(got, TAXI_VOCAB)
    ride = ("boarding_time", "alighting_time")
    if not all(k in got and got[k].how != "pattern" for k in ride):
        _time_range(doc, f)
    if not all(got[k].how != "pattern" for k in ride if k in got):
        _reading_order(f, *ride)
    return f, {}


#: boarding and alighting printed as one range (``10:05-10:30``), as many meters print them
_RANGE = re.compile(r"(?<![\d:])(\d{1,2}:\d{2})\s*[-－—–~～至]\s*(\d{1,2}:\d{2})(?![\d:])")
#: a range on a line naming these is opening hours, not a ride
_NOT_RIDE = re.compile(r"服务|热线|电话|营业|TEL|HOTLINE")


def _time_range(doc: DocText, f: dict[str, Field]) -> None:
    """Boarding and alighting time from a printed range, when their own labels were not
    both read (a range is one value under one label: ``时间 10:05-10:30``)."""
    for r in doc.rows:
        t = norm(r.text)
        m = _RANGE.search(t)
        if m and not _NOT_RIDE.search(t.upper()):
            sc = float(r.score)
            f["boarding_time"], f["alighting_time"] = Field(m.group(1), sc), Field(m.group(2), sc)
            return


def _reading_order(f: dict[str, Field], first: str, second: str) -> None:
    """Two values of one form told apart by their form alone follow the form's order
    (boarding before alighting); values both reached from their labels keep them (a
    misread digit must not swap them)."""
    a, b = f.get(first), f.get(second)
    if a is None or b is None or a.value == b.value:
        return
    from ...normalize import normalize_time

    if normalize_time(a.value) > normalize_time(b.value):
        f[first], f[second] = Field(b.value, min(a.confidence, b.confidence)), Field(a.value, min(a.confidence,
                                                                                                   b.confidence))


# --- quota invoice -----------------------------------------------------------------------------

#: a quota invoice's face value in words fits less well than in figures (printed with both, the figures)
WORDS_FIT = 0.9

QUOTA_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    # a quota invoice's face value: in figures (￥50.00) or, as some print it, only in words (伍拾元整)
    FieldVocab("amount", ("金额", "面额", "面值", "票面金额", "小写", "人民币", "金额(小写)", "AMOUNT"),
               any_of(money(codes=False, decimals=False), capital_amount(fit=WORDS_FIT)), fallback=True, fmt=yuan),
), barriers=("发票联", "大写", "金额(大写)"), titles=titles(DocType.QUOTA_INVOICE))


def quota_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a quota invoice (通用定额发票): the city comes from the title."""
    f = shaped(choose(doc, QUOTA_VOCAB), QUOTA_VOCAB)
    # the place names its tax bureau (国家税务总局广东省税务局, since 2018), or opens the title
    # (北京市国家税务局通用定额发票), else stands right before 通用
    loc = find(doc, r"国家税务总局([\u4e00-\u9fff]{2,3}?)[市省]?(?:税务局|$)") \
        or find(doc, r"^([\u4e00-\u9fff]{2,3}?)[市省](?=.*定额发票)") \
        or find(doc, r"([\u4e00-\u9fff]{2,4}?)[市省]?通用定额发票") \
        or find(doc, r"^([\u4e00-\u9fff]{2,3}?)[市省](?:地方|国家)?税务局")  # a title wrapped after its bureau
    if loc is None:
        loc = find(doc, r"([\u4e00-\u9fff]{2,4}?)[市省]?通用", conf=0.8)
    if loc is None:  # no title read: the supervision seal names the bureau (深圳税务局)
        loc = find(doc, r"^([\u4e00-\u9fff]{2,3}?)[市省]?(?:地方|国家)?税务局$", conf=0.7)
    _put(f, "location", loc)
    _figures_for_words(doc, f)
    return f, {}


def _figures_for_words(doc: DocText, f: dict[str, Field]) -> None:
    """A face value taken in words (``壹元整``) while the same value is printed in figures
    (``¥1.00``, ``1.00元``): the figures are the field's printed form."""
    from ...normalize import words_to_money

    a = f.get("amount")
    if a is None:
        return
    value = words_to_money(a.value) if not re.search(r"\d", a.value) else None
    if value is None:
        # figures taken: when the face value is printed in words too, the figures must spell it
        spelt = {words_to_money(m.value) for r in doc.rows for m in _WORDS.find(norm(r.text).replace(" ", ""))}
        spelt.discard(None)
        if len(spelt) != 1 or _amount(a.value) in spelt:
            return
        value = spelt.pop()
    for r in doc.rows:
        for m in _FIGURES.find(norm(r.text)):
            if _amount(m.value) == value:
                f["amount"] = Field(yuan(m.value), min(a.confidence, float(r.score)))
                return


_FIGURES = money(codes=False, decimals=False)
_WORDS = capital_amount()


def _amount(s: str) -> Decimal | None:
    """The amount of printed figures (``￥50.00``, ``5元``), None if there is none."""
    digits = re.sub(r"[^\d.]", "", s)
    try:
        return Decimal(digits) if digits.strip(".") else None
    except ArithmeticError:
        return None


# --- toll invoice ------------------------------------------------------------------------------

_STATION = cjk(2, 24, end="站", extra="0-9A-Z", exclude=r"通行费|发票|税务|收费员|专用")

TOLL_VOCAB = Vocabulary((
    code_field(),
    number_field(),
    # a station name ending in 站 is distinctive: found with no label read, the first printed is the entry
    FieldVocab("entry", ("入口", "入口站", "入站", "入口收费站", "入口站名", "起点", "起点站", "ENTRY", "ENTRANCE"), _STATION, fallback=True),
    FieldVocab("exit", ("出口", "出口站", "出站", "出口收费站", "出口站名", "终点", "终点站", "EXIT"), _STATION, fallback=True),
    FieldVocab("vehicle_type", ("车型", "车类", "车种", "车辆类型", "车辆类别", "车型车种", "收费车型", "VEHICLE TYPE", "VEHICLE CLASS", "VEHICLE", "CLASS"),
               cjk(2, 6, must=r"型|类|客|货|车", extra="0-9")),
    FieldVocab("amount", ("金额", "通行费", "通行费额", "实收", "实收金额", "实收费额", "收费金额", "收费额", "应收金额", "应交金额", "交费金额", "通行费金额",
                          "金额(元)", "TOLL", "TOLL FEE", "FEE", "AMOUNT"),
               money(codes=False, decimals=False), fmt=yuan),
    FieldVocab("date", ("日期", "通行日期", "出口日期", "交易日期", "开票日期", "DATE"), date(), fallback=True),
    FieldVocab("time", ("时间", "通行时间", "出口时间", "出站时间", "交易时间", "收费时间", "TIME"), clock(), fallback=True),
), barriers=("收费员", "工号", "车牌", "车牌号", "轴数", "总重", "限载", "发票联", "祝您一路平安", "一路平安"), titles=titles(DocType.TOLL_INVOICE))


def toll_invoice(doc: DocText) -> tuple[dict[str, Field], dict]:
    """Fields of a toll-road invoice (车辆通行费专用发票), by label and form. Two stations
    taken by their form alone (their labels not read) follow the form's order: the
    entry is printed first."""
    got = choose(doc, TOLL_VOCAB)
    a, b = got.get("entry"), got.get("exit")
    if a is not None and b is not None and a.how == b.how == "pattern" and a.candidate and b.candidate \
            and (b.candidate.y, b.candidate.x0) < (a.candidate.y, a.candidate.x0):
        got["entry"], got["exit"] = b, a
    return shaped(got, TOLL_VOCAB), {}


def shaped(got: dict, vocab: Vocabulary) -> dict[str, Field]:
    """The chosen values shaped by their fields' ``fmt``; an amount under a label that
    names its unit (``通行费(元)``, ``金额(元)``) is printed bare, so no sign is put back.

    Examples
    --------
    >>> from ocrframe.engine.extract.assign import Choice
    >>> got = {"amount": Choice("amount", "35.00", 0.9, 0.0, "right", "通行费(元)"),
    ...        "total": Choice("total", "35.00", 0.9, 0.0, "right", "金额")}
    >>> v = Vocabulary((FieldVocab("amount", (), None, fmt=yuan), FieldVocab("total", (), None, fmt=yuan)))
    >>> {k: f.value for k, f in shaped(got, v).items()}
    {'amount': '35.00', 'total': '￥35.00'}
    """
    out = {}
    for k, c in got.items():
        fmt = vocab[k].fmt
        if fmt is yuan and re.search(r"[(（][^)）]*元", c.label):
            fmt = None
        out[k] = Field(fmt(c.value) if fmt else c.value, c.confidence)
    return out
