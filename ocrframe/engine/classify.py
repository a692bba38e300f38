"""Document-type classification from titles, field labels and printed patterns.

Each type has a small table of cues — titles (strong), field labels (medium) and
regular expressions for numbers printed on it (an MRZ, a card number, a train code).
Labels are matched fuzzily with rapidfuzz (``partial_ratio`` against the document's
text), so one misread character does not lose a cue. The type with the highest total
wins if it clears a minimum; otherwise the document is of an unsupported kind and is
not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import DocType

__all__ = ["classify_text", "Classification", "CUES", "line_cues", "titles", "TITLE_WEIGHT"]

T = DocType

#: per type: (cue, weight); a cue starting with "re:" is a regular expression
CUES: dict[DocType, tuple[tuple[str, float], ...]] = {
    T.ID_CARD_PORTRAIT_SIDE: (("公民身份号码", 4), ("民族", 2), ("姓名", 1), ("性别", 1), ("出生", 1), ("住址", 1),
                              ("re:\\d{17}[\\dXx]", 1)),
    T.ID_CARD_EMBLEM_SIDE: (("居民身份证", 4), ("签发机关", 3), ("有效期限", 1.5), ("中华人民共和国", 0.5)),
    T.VEHICLE_LICENSE_FRONT: (("机动车行驶证", 5), ("行驶证", 1), ("Vehicle License", 3), ("车辆识别代号", 2), ("品牌型号", 2), ("使用性质", 2),
                              ("发动机号码", 2), ("所有人", 1), ("注册日期", 1.5), ("号牌号码", 1)),
    T.VEHICLE_LICENSE_BACK: (("核定载人数", 2), ("整备质量", 2), ("外廓尺寸", 2), ("准牵引总质量", 2), ("检验记录", 2),
                             ("核定载质量", 2), ("总质量", 1), ("档案编号", 0.5), ("号牌号码", 1)),
    T.DRIVER_LICENSE_FRONT: (("机动车驾驶证", 4), ("Driving License", 3), ("准驾车型", 2.5), ("初次领证日期", 2.5),
                             ("国籍", 1), ("证号", 1), ("有效期限", 0.5), ("出生日期", 0.5), ("License No", 1),
                             ("Valid Period", 1)),
    T.DRIVER_LICENSE_BACK: (("驾驶证副页", 6), ("机动车驾驶证", 1), ("记录", 2), ("档案编号", 1.5), ("证号", 1),
                            ("实习期", 1)),
    # the MRZ (its "<" often read as 0, O or K): line 1, and line 2's number, dates and check digits
    T.PASSPORT: (("护照", 3), ("PASSPORT", 3), ("re:P[<KC0O][A-Z<]{3}[A-Z0O<]*<<", 3),
                 ("re:[A-Z0-9<]{9}\\d[A-Z<]{3}\\d{7}[MF<]\\d{7}", 4), ("re:\\b\\d{2} [A-Z]{3} \\d{4}\\b", 1),
                 ("Surname", 1), ("Given names", 1), ("Date of birth", 1), ("Passport No", 1), ("Date of expiry", 1)),
    T.BANKCARD: (("银联", 2.5), ("UnionPay", 2.5), ("银行", 2), ("VALID THRU", 2), ("re:(?<!\\d)(?:\\d[ ]?){15,18}\\d(?!\\d)", 2),
                 ("借记卡", 1.5), ("信用卡", 1.5), ("DEBIT", 1), ("CREDIT", 1)),
    T.TRANSPORTATION_LICENSE: (("道路运输证", 6), ("业户名称", 2), ("经营范围", 2), ("经济类型", 2), ("经营许可证", 1.5),
                               ("车辆号牌", 1)),
    T.VAT_INVOICE: (("增值税专用发票", 5), ("增值税普通发票", 4), ("增值税电子普通发票", 4), ("购买方", 1.5), ("销售方", 1.5),
                    ("价税合计", 2), ("纳税人识别号", 1), ("税额", 1), ("开户行及账号", 1), ("货物或应税劳务", 1.5)),
    T.VAT_ROLL_INVOICE: (("卷票", 6), ("收款员", 3), ("机打号码", 2), ("合计金额", 1.5), ("增值税普通发票", 2),
                         ("购买方名称", 1), ("销售方名称", 1), ("校验码", 1), ("机器编号", 0.5)),
    T.MVS_INVOICE: (("机动车销售统一发票", 7), ("厂牌型号", 2), ("合格证号", 2), ("车架号码", 2), ("销货单位名称", 2),
                    ("主管税务机关", 1)),
    T.TAXI_INVOICE: (("出租", 3), ("上车", 2), ("下车", 2), ("里程", 1.5), ("等候", 1.5), ("车号", 1), ("监督电话", 1),
                     ("单价", 0.5)),
    T.TRAIN_TICKET: (("检票", 2), ("仅供报销使用", 2), ("二等座", 2), ("一等座", 2), ("硬座", 2), ("硬卧", 2), ("二等",0.5),
                     ("中国铁路", 2), ("re:[GDCZTK]\\d{1,4}", 0.5), ("re:\\d+车\\d+[A-F]?号", 2), ("re:站", 0.5), ("开", 0.3),
                     ("限乘当日当次车", 3), ("旅途愉快", 2), ("12306", 2), ("买票请到", 1.5)),
    T.QUOTA_INVOICE: (("定额发票", 7), ("发票联", 0.5), ("发票代码", 0.5), ("发票号码", 0.5)),
    T.TOLL_INVOICE: (("通行费", 5), ("入口", 2), ("出口", 2), ("车型", 1), ("收费站", 1.5)),
    # a province's bus ticket (公路汽车客票, 道路汽车客票) or ship ticket (水路旅客运输客票): its
    # table heads and the destination label; 检票口 and 车次 it shares with train tickets
    T.BUS_SHIP_TICKET: (("汽车客票", 6), ("车船票", 5), ("运输客票", 5), ("船票", 4), ("到站", 2), ("开车时间", 2),
                        ("发车时间", 2), ("乘车日期", 1.5), ("座号", 1), ("票价", 0.5)),
    T.FLIGHT_ITINERARY: (("行程单", 4), ("电子客票", 3), ("旅客姓名", 2), ("承运人", 2), ("航班号", 2), ("民航发展基金", 2),
                         ("燃油附加费", 2), ("座位等级", 1)),
}

_MIN_SCORE = 3.0

#: cues of at least this weight are a type's titles (they say where the document is)
TITLE_WEIGHT = 3.0


def titles(t: DocType) -> tuple[str, ...]:
    """The printed words that name a type (its strong, literal cues).

    Examples
    --------
    >>> titles(DocType.QUOTA_INVOICE)
    ('定额发票',)
    """
    return tuple(c for c, w in CUES.get(t, ()) if w >= TITLE_WEIGHT and not c.startswith("re:"))


@dataclass(frozen=True)
class Classification:
    """The winning type (None when nothing clears the minimum), its score and the runner-up's."""

    type: DocType | None
    score: float
    runner_up: float
    scores: dict

    @property
    def confidence(self) -> float:
        """A [0, 1] margin-based confidence of the decision."""
        if self.type is None or self.score <= 0:
            return 0.0
        return float(min(1.0, (self.score - self.runner_up) / self.score + 0.2))


def _cue_hit(cue: str, text: str, text_nospace: str) -> float:
    from rapidfuzz import fuzz

    if cue.startswith("re:"):
        return 1.0 if re.search(cue[3:], text) else 0.0
    c = cue.replace(" ", "")
    if c in text_nospace:
        return 1.0
    if len(c) < 3 or len(text_nospace) < len(c) - 1:
        # two-character labels must match exactly; and partial_ratio aligns the shorter
        # string inside the longer, so a text shorter than the cue ("O") would "contain" it
        return 0.0
    r = fuzz.partial_ratio(c, text_nospace, score_cutoff=80)
    # partial credit falls fast with the distance: "机动车驾驶证" is one character from
    # "机动车行驶证" (83) and must not count as most of it
    return (r - 60.0) / 40.0 if r >= 80 else 0.0


def line_cues(lines: list[str], t: DocType) -> list[tuple[str, float, list[bool]]]:
    """Which lines hold each of a type's cues: ``(cue, weight, hit per line)``.

    A document's title and labels are printed once (a few labels twice); a region whose
    lines hold every cue several times holds several documents (see ``engine.packed``).

    Examples
    --------
    >>> hits = dict((c, h) for c, _, h in line_cues(["上车 10:01", "出租汽车专用发票", "上车 11:20"], T.TAXI_INVOICE))
    >>> hits["上车"], hits["出租"]
    ([True, False, True], [False, True, False])
    """
    nospace = [re.sub(r"\s+", "", ln) for ln in lines]
    return [(c, w, [_line_hit(c, ln, ns) for ln, ns in zip(lines, nospace)]) for c, w in CUES.get(t, ())]


#: a cue of at least this many characters is found on a line with one character misread ...
LINE_FUZZY_MIN_LEN = 5
#: ... when some stretch of the line as long as the cue is this similar (rapidfuzz ratio)
LINE_FUZZY_RATIO = 80.0


def _line_hit(cue: str, text: str, nospace: str) -> bool:
    """Whether one line prints a cue: stricter than the document-level match, which lets
    a short line match a longer cue ("发票联" would count as "定额发票")."""
    from rapidfuzz import fuzz

    if cue.startswith("re:"):
        return re.search(cue[3:], text) is not None
    c = cue.replace(" ", "")
    if c in nospace:
        return True
    n = len(c)
    if n < LINE_FUZZY_MIN_LEN or len(nospace) < n:
        return False
    return any(fuzz.ratio(c, nospace[i:i + n]) >= LINE_FUZZY_RATIO for i in range(len(nospace) - n + 1))


def classify_text(lines: list[str], allowed: tuple[DocType, ...] | None = None) -> Classification:
    """Classify a document from its text lines.

    Parameters
    ----------
    lines : list of str
        The document's recognised lines.
    allowed : tuple of DocType, optional
        Only these types are considered (default: every type with cues).

    Returns
    -------
    Classification

    Examples
    --------
    >>> classify_text(["姓名 张三", "性别 男 民族 汉", "公民身份号码 11010519900101123X"]).type
    <DocType.ID_CARD_PORTRAIT_SIDE: 'id_card_portrait_side'>
    >>> classify_text(["上海市定额发票", "金额 ￥50.00"]).type
    <DocType.QUOTA_INVOICE: 'quota_invoice'>
    >>> classify_text(["hello world"]).type is None
    True
    """
    text = "\n".join(lines)
    nospace = re.sub(r"\s+", "", text)
    types = allowed if allowed is not None else tuple(CUES)
    scores = {}
    for t in types:
        cues = CUES.get(t)
        if not cues:
            continue
        scores[t] = sum(w * _cue_hit(c, text, nospace) for c, w in cues)
    # disambiguation: a driving licence's back page title also contains the front's
    if scores.get(T.DRIVER_LICENSE_BACK, 0) and "副页" in nospace and T.DRIVER_LICENSE_FRONT in scores:
        scores[T.DRIVER_LICENSE_FRONT] -= 4
    if not scores:
        return Classification(None, 0.0, 0.0, {})
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, s = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if s < _MIN_SCORE:
        return Classification(None, s, second, scores)
    return Classification(best, s, second, scores)
