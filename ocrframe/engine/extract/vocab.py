"""Label vocabularies: the words a document prints in front of (or above) its values.

A type's :class:`Vocabulary` lists, per field, a :class:`FieldVocab`: every label the
field is printed under (Chinese, English, abbreviations, common misreadings, the
fragments of a label the form wraps over several lines) and the
:class:`~.patterns.Pattern` its value has. It also lists *barriers*: printed words that
label no field of interest (table heads, captions) but stop a value search, so a value
is never taken across another caption.

:func:`find_labels` finds labels in one recognised line by local alignment (Smith-
Waterman over characters), so that a label is found

* with a misread character (``发票代玛``) -- identity at least :data:`MIN_IDENTITY`;
* partly hidden by a stamp or the frame (``票代码`` for ``发票代码``) -- at least
  :data:`MIN_VISIBLE` characters and :data:`MIN_VISIBLE_SHARE` of the label, cut at
  the line's edge or where the value begins;
* glued to its value (``发票代码131011693051``, ``及身份证号码/赵思``);
* spaced out (``金 额``).

Short labels (two characters: ``车号``, ``日期``) must match exactly and stand where labels
stand (at the start of a word or at the end of one, as in ``乘车日期：``), so ``入口``
inside a station name ``西入口站`` is not a label; a one-character label (``备`` of a
caption printed vertically) only as a recognised line of its own.

Examples
--------
>>> v = Vocabulary((FieldVocab("code", ("发票代码", "Invoice Code"), None),), barriers=("收费员",))
>>> [(h.field, h.label, round(h.quality, 2)) for h in find_labels("发票代玛131011693051", v)]
[('code', '发票代码', 0.75)]
>>> [(h.field, h.start, h.end) for h in find_labels("票代码：131011693051", v)]
[('code', 0, 3)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field as _field
from typing import Callable

from .patterns import CJK, Pattern

__all__ = ["FieldVocab", "Vocabulary", "LabelHit", "find_labels", "label_key", "MIN_IDENTITY", "MIN_VISIBLE",
           "MIN_VISIBLE_SHARE", "BARRIER"]

#: a label read with misread characters still counts when this share of it matches
MIN_IDENTITY = 0.6
#: a label partly hidden (stamp, frame, cut photo) counts from this many visible characters ...
MIN_VISIBLE = 3
#: ... and this share of the label
MIN_VISIBLE_SHARE = 0.5
#: hits of two fields' labels on the same characters whose qualities differ by less than
#: this are both kept (the value's form decides which field it is)
AMBIGUOUS_DELTA = 0.05
#: a one- or two-character label (``日期``) says less than a longer one (``开票日期``)
SHORT_QUALITY = 0.9
#: a label is looked for this many times in one line (printed once per column)
MAX_REPEATS = 3
#: labels less alike a line than this (rapidfuzz partial ratio) are not aligned at all
PREFILTER = 65
#: ... and one with a character misread, followed by a colon (its value's form decides)
SHORT_MISREAD_QUALITY = 0.5
#: the field name of a barrier hit
BARRIER = "_barrier"

# local alignment scores
_MATCH, _MISMATCH, _GAP = 2.0, -1.0, -1.5


@dataclass(frozen=True)
class FieldVocab:
    """What one field is printed under and what its value looks like.

    Parameters
    ----------
    name : str
        The field (a name starting with ``_`` is read but not reported: a value printed
        twice, read for the consistency checks).
    labels : tuple of str
        Printed labels, longest and most specific first is not required.
    pattern : Pattern
        The value's form.
    fallback : bool
        The form is distinctive enough to take a value with no label found (a lone
        20-digit number, a 12-digit code near the top), at a lower confidence.
    zone : tuple of float, optional
        ``(top, bottom)`` share of the document's text height where a pattern-only value
        is expected (``(0, 0.35)``: the header).
    seal : bool
        The field may take text read from a red stamp (an issuing authority, a seal).
    fmt : callable, optional
        Shapes the value once chosen (e.g. ``￥`` in front of an amount printed without).
    below : bool
        The value may stand under its label (a column head) as well as after it.
    near : tuple of str
        Fields printed on the same line as this one: when no label of this field is
        read, their values stand in for it (a name printed left of its ID number).
    section : tuple of str
        Words naming the part of the document the field is printed in (``购买方`` for
        the buyer's ``名称``): of several labels alike, the one nearer them is the
        field's. A one-character word counts only as a line of its own (a caption
        printed vertically, one character a line).
    """

    name: str
    labels: tuple[str, ...]
    pattern: Pattern | None
    fallback: bool = False
    zone: tuple[float, float] | None = None
    seal: bool = False
    fmt: Callable[[str], str] | None = None
    below: bool = True
    near: tuple[str, ...] = ()
    section: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A document type's fields, barriers and titles (the words naming the type: where
    a field's label is printed twice, as when two documents were read as one, the label
    nearer the title is the document's)."""

    fields: tuple[FieldVocab, ...]
    barriers: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    _keys: dict = _field(default_factory=dict, compare=False, repr=False)

    def entries(self) -> list[tuple[str, str, str]]:
        """``(field or BARRIER, printed label, key)`` for every label, computed once."""
        if not self._keys:
            out = [(f.name, lab, label_key(lab)) for f in self.fields for lab in f.labels]
            out += [(BARRIER, lab, label_key(lab)) for lab in self.barriers]
            self._keys["all"] = [e for e in out if e[2]]
            index: dict[str, set[int]] = {}
            for i, e in enumerate(self._keys["all"]):
                for c in set(e[2]):
                    index.setdefault(c, set()).add(i)
            self._keys["index"] = index
        return self._keys["all"]

    def sharing(self, key: str) -> list[tuple[str, str, str]]:
        """The entries sharing enough characters with a line's key to be in it (two, or
        all of a label with fewer distinct characters)."""
        entries = self.entries()
        count: dict[int, int] = {}
        for c in set(key):
            for i in self._keys["index"].get(c, ()):
                count[i] = count.get(i, 0) + 1
        return [entries[i] for i, n in sorted(count.items()) if n >= min(len(set(entries[i][2])), 2)]

    def __getitem__(self, name: str) -> FieldVocab:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class LabelHit:
    """A label found in a line: ``text[start:end]`` (indices into the line's text)."""

    field: str
    label: str
    start: int
    end: int
    quality: float
    ambiguous: bool = False
    unit: str = ""  # the unit printed in brackets after the label (``金额(元)``: ``元``)


_FOLD = str.maketrans({"：": ":", "（": "(", "）": ")", "，": ",", "、": ","})


def label_key(s: str) -> str:
    """The form labels are compared in: width folded, upper case, no spaces or colons.

    Examples
    --------
    >>> label_key("票价 FARE："), label_key("E-TICKET NO.")
    ('票价FARE', 'E-TICKETNO.')
    """
    s = unicodedata.normalize("NFKC", s or "").translate(_FOLD).upper()
    return re.sub(r"[\s:]", "", s)


def _key_map(text: str) -> tuple[str, list[int]]:
    """The key of ``text`` and, per key character, its index in ``text``."""
    out, idx = [], []
    for i, ch in enumerate(text):
        k = label_key(ch)
        for c in k:
            out.append(c)
            idx.append(i)
    return "".join(out), idx


def _align(lab: str, s: str) -> tuple[int, int, int, int, int] | None:
    """Best local alignment of ``lab`` inside ``s``: ``(matches, l0, l1, s0, s1)``."""
    n, m = len(lab), len(s)
    best = (0.0, 0, 0)
    H = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        a = lab[i - 1]
        Hi, Hp = H[i], H[i - 1]
        for j in range(1, m + 1):
            v = max(0.0, Hp[j - 1] + (_MATCH if a == s[j - 1] else _MISMATCH), Hp[j] + _GAP, Hi[j - 1] + _GAP)
            Hi[j] = v
            if v > best[0]:
                best = (v, i, j)
    if best[0] <= 0:
        return None
    i, j = best[1], best[2]
    matches = 0
    while i > 0 and j > 0 and H[i][j] > 0:
        v = H[i][j]
        if v == H[i - 1][j - 1] + (_MATCH if lab[i - 1] == s[j - 1] else _MISMATCH):
            matches += lab[i - 1] == s[j - 1]
            i, j = i - 1, j - 1
        elif v == H[i - 1][j] + _GAP:
            i -= 1
        else:
            j -= 1
    l0, l1, s0, s1 = i, best[1], j, best[2]
    # one misread character at an end of the label (glyph for glyph): the label is whole
    if l1 == n - 1 and l0 == 0 and s1 < m and _is_cjk(s[s1]) == _is_cjk(lab[-1]):
        l1, s1 = n, s1 + 1
    elif l0 == 1 and l1 == n and s0 > 0 and _is_cjk(s[s0 - 1]) == _is_cjk(lab[0]):
        l0, s0 = 0, s0 - 1
    return matches, l0, l1, s0, s1


def _is_cjk(c: str) -> bool:
    return bool(re.match(f"[{CJK}]", c))


def _quality(key: str, al: tuple[int, int, int, int, int], s: str) -> float | None:
    """How surely an alignment is the label; None when it is not one."""
    matches, l0, l1, s0, s1 = al
    n = len(key)
    span = max(l1 - l0, s1 - s0)
    ident = matches / max(1, span)
    full = l0 == 0 and l1 == n
    if key.isascii():
        # English captions: whole words, at most one misread letter in five
        if matches < min(n, 2) or ident < 0.8 or (not full and (l1 - l0) < 0.8 * n):
            return None
        return ident * (l1 - l0) / n
    if n <= 2:
        return SHORT_QUALITY if (full and matches == n) else None
    if full:
        return ident if ident >= MIN_IDENTITY and matches >= 2 else None
    # part of the label is hidden: enough of it shows, in one piece, at the line's edge or
    # before a value
    vis = l1 - l0
    if matches < MIN_VISIBLE or vis < MIN_VISIBLE_SHARE * n or ident < MIN_IDENTITY or vis != s1 - s0:
        return None
    if l0 > 0 and s0 > 0 and _is_cjk(s[s0 - 1]):
        return None  # its start is hidden, yet a character stands right before it
    if l1 < n and s1 < len(s) and _is_cjk(s[s1]):
        return None  # its end is hidden, yet words go on (a word of a title, not a label)
    return ident * (0.5 + 0.5 * vis / n)


def _short_ok(text: str, start: int, end: int, ascii_: bool) -> bool:
    """A one- or two-character label stands at the start of a word or ends one (an
    English abbreviation: a word of its own)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if ascii_:
        return not re.match("[A-Za-z]", before) and not re.match("[A-Za-z]", after)
    return not _is_cjk(before) or not _is_cjk(after)


def find_labels(text: str, vocab: Vocabulary, breaks: frozenset[int] = frozenset()) -> list[LabelHit]:
    """The labels of ``vocab`` in one line of text, left to right, not overlapping
    (except two fields' labels on the same characters, marked ambiguous).

    Parameters
    ----------
    text : str
        A recognised line (its spaces kept: indices refer to it).
    vocab : Vocabulary
        The document type's labels.
    breaks : set of int
        Where one recognised line ends and the next begins in ``text`` (a row's lines
        joined): a label read across lines (a spaced-out label read as several) must be
        read exactly, so a value between two labels is never taken for a misread.

    Examples
    --------
    >>> v = Vocabulary((FieldVocab("entry", ("入口",), None), FieldVocab("vt", ("车型",), None)))
    >>> [(h.field, h.start) for h in find_labels("入口：京港澳高速西入口站 车型：一型车", v)]
    [('entry', 0), ('vt', 13)]
    """
    from rapidfuzz import fuzz

    key, idx = _key_map(text)
    if not key:
        return []
    # the key's pieces from one recognised line each
    cuts = [0] + [next((j for j, i in enumerate(idx) if i >= b), len(key)) for b in sorted(breaks)] + [len(key)]
    segments = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    found = []
    for name, lab, k in vocab.sharing(key):
        if len(k) == 1:  # one character: a recognised line of its own (a caption printed vertically)
            found += [(1, SHORT_QUALITY, name, lab, idx[a], idx[a] + 1) for a, b in segments if key[a:b] == k]
            continue
        if len(k) == 2:
            for m in re.finditer(re.escape(k), key):
                s0, s1 = idx[m.start()], idx[m.end() - 1] + 1
                if _short_ok(text, s0, s1, k.isascii()) or any(s0 < b < s1 for b in breaks):
                    found.append((len(k), SHORT_QUALITY, name, lab, s0, s1))
            continue
        # exactly, anywhere (also across lines: a spaced-out label read as several)
        pos = key.find(k)
        while pos >= 0:
            s0, s1 = idx[pos], idx[pos + len(k) - 1] + 1
            if not k.isascii() or _short_ok(text, s0, s1, True):
                found.append((len(k), 1.0, name, lab, s0, s1))
            pos = key.find(k, pos + len(k))
        # misread or partly hidden: within one recognised line
        for a, b in segments:
            rest = key[a:b]
            if fuzz.partial_ratio(k, rest, score_cutoff=PREFILTER) == 0:
                continue
            for _ in range(MAX_REPEATS):  # a label printed more than once on a line
                al = _align(k, rest)
                if al is None:
                    break
                rest = rest[:al[3]] + "\0" * (al[4] - al[3]) + rest[al[4]:]
                if al[0] == len(k) == al[4] - al[3]:
                    continue  # exact: found above
                q = _quality(k, al, key[a:b])
                if q is None:
                    break  # the best alignment is no label: a weaker one is none either
                s0, s1 = idx[a + al[3]], idx[a + al[4] - 1] + 1
                if k.isascii() and not _short_ok(text, s0, s1, True):
                    continue  # an English caption is a word of its own
                if not _short_ok(text, s0, s1, False):
                    continue  # a misread label inside a run of words is another word (销售有 of a name)
                found.append((al[0], q, name, lab, s0, s1))
    # a two-character label with one character misread, standing as a label stands: a word
    # of its own followed by a colon (限程： for 里程：)
    for m in re.finditer(rf"(?<![{CJK}])([{CJK}])([{CJK}])\s*:", text):
        for name, lab, k in vocab.entries():
            if len(k) == 2 and not k.isascii() and (k[0] == m.group(1)) != (k[1] == m.group(2)):
                found.append((1, SHORT_MISREAD_QUALITY, name, lab, m.start(1), m.end(2)))
    # most matched characters first, then the surest: greedy, without overlaps
    found.sort(key=lambda f: (-f[0], -f[1], f[4]))
    kept: list[LabelHit] = []
    for n, q, name, lab, s0, s1 in found:
        clash = [h for h in kept if h.start < s1 and s0 < h.end]
        if not clash:
            kept.append(LabelHit(name, lab, s0, s1, q))
            continue
        twin = [h for h in clash if (h.start, h.end) == (s0, s1) and h.field != name and name != BARRIER
                and h.field != BARRIER and h.quality - q < AMBIGUOUS_DELTA]
        if twin and len(twin) == len(clash) and all(h.field != name for h in kept if (h.start, h.end) == (s0, s1)):
            kept.append(LabelHit(name, lab, s0, s1, q, ambiguous=True))
            for h in twin:
                kept[kept.index(h)] = LabelHit(h.field, h.label, h.start, h.end, h.quality, ambiguous=True)
    return _with_units(text, sorted(kept, key=lambda h: (h.start, h.field)))


#: a unit printed in brackets right after a label: the values under it are printed bare
_UNIT = re.compile(r"\s*[(（]\s*([^()（）\s]{1,6}?)\s*[)）]")
#: what such a bracket holds: a money or measure unit (``元``, ``元/公里``, ``km``, ``分钟``)
_UNIT_WORD = re.compile(r"元|圆|公里|千米|km|KM|Km|米|分钟|小时|吨|kg|KG|升")


def _with_units(text: str, hits: list[LabelHit]) -> list[LabelHit]:
    """Hits followed by a bracketed unit (``单价(元/公里)``, ``实收(元)``) take it in: the
    unit is no value, and says how the value is printed (bare, without ``￥`` or ``km``).

    Examples
    --------
    >>> v = Vocabulary((FieldVocab("amount", ("通行费",), None),))
    >>> [(h.label, h.unit, text[h.start:h.end]) for text in ["通行费(元)：35.00"] for h in find_labels(text, v)]
    [('通行费', '元', '通行费(元)')]
    >>> v = Vocabulary((FieldVocab("price", ("单价",), None), FieldVocab("distance", ("公里",), None)))
    >>> [(h.field, h.unit) for h in find_labels("单价(元/公里)：2.30", v)]
    [('price', '元/公里')]
    """
    out, inside = [], set()
    for h in hits:
        if id(h) in inside:
            continue
        m, unit = _unit_after(text, h)
        if h.field == BARRIER or m is None or not _UNIT_WORD.search(unit):
            out.append(h)
            continue
        # a label word inside the brackets is the unit (``公里`` of ``单价(元/公里)``), not a label
        within = [g for g in hits if g.start > h.start and g.start < m.end()]
        if any(g.end > m.end() for g in within):
            out.append(h)
            continue
        inside.update(id(g) for g in within)
        out.append(LabelHit(h.field, h.label, h.start, m.end(), h.quality, h.ambiguous, unit))
    return [h for h in out if id(h) not in inside]


_UNIT_REST = re.compile(r"[^()（）\s]{0,6}?\s*[)）]")


def _unit_after(text: str, h: LabelHit) -> tuple[re.Match | None, str]:
    """The bracketed unit after a label hit (or the rest of one the hit stops inside of,
    a label of the vocabulary with another unit aligned to it: ``单价(元)`` on
    ``单价(元/公里)``), and the unit."""
    span = text[h.start:h.end]
    opened = max(span.rfind("("), span.rfind("（"))
    if opened >= 0 and not re.search(r"[)）]", span[opened:]):
        m = _UNIT_REST.match(text, h.end)
        return (m, re.sub(r"[\s)）]", "", text[h.start + opened + 1:m.end()])) if m else (None, "")
    if h.label[-1] in ")）":
        return None, ""
    m = _UNIT.match(text, h.end)
    return (m, m.group(1)) if m else (None, "")
