"""Row, column and table-cell geometry over a document's text lines, for invoice extraction.

A document's recognised lines (``DocText.rows``, in the document's own frame) are split
into whitespace-separated *tokens* (:class:`Tok`), each keeping the x range it covers
(interpolated inside its line) and the line's recognition score. On top of that:

- :func:`cluster_lines` / :func:`skew` group tokens into printed lines by their y (a
  table's rows, also when the document is not quite squared up);
- :func:`find` and :func:`label_value` are the plain row searches the table and block
  readers use; fields printed under a label are read by :mod:`.assign` (label
  vocabularies, value patterns and joint geometric assignment).

Examples
--------
>>> norm("金额：¥44.00（含税）")
'金额:￥44.00(含税)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import DocText, Field

__all__ = ["Tok", "norm", "tokens", "row_tokens", "label_value", "find", "doc_width", "all_tokens", "skew",
           "cluster_lines"]

_FOLD = str.maketrans({"：": ":", "¥": "￥", "（": "(", "）": ")", "，": ",", "；": ";", "　": " ", "Ｙ": "￥"})


def norm(s: str) -> str:
    """Fold the punctuation OCR reads in either width (colons, brackets, the yuan sign)."""
    return (s or "").translate(_FOLD)


@dataclass
class Tok:
    """A whitespace-separated piece of a recognised line, with the x range it covers."""

    text: str
    x0: float
    x1: float
    y: float
    h: float
    score: float

    @property
    def xc(self) -> float:
        return 0.5 * (self.x0 + self.x1)


def row_tokens(row) -> list[Tok]:
    """The tokens of one row, left to right."""
    out = []
    for p in row.pieces:
        t = norm(p.text)
        n = max(1, len(t))
        for m in re.finditer(r"\S+", t):
            a = p.x0 + (p.x1 - p.x0) * m.start() / n
            b = p.x0 + (p.x1 - p.x0) * m.end() / n
            out.append(Tok(m.group(0), a, b, p.y, p.h, float(p.score)))
    out.sort(key=lambda k: k.x0)
    # a line read twice (once alone, once inside a longer line over the same place): keep the longer
    keep = []
    for t in out:
        dup = any(u is not t and len(u.text) > len(t.text) and t.text in u.text
                  and min(t.x1, u.x1) - max(t.x0, u.x0) > 0.5 * (t.x1 - t.x0) for u in out)
        if not dup:
            keep.append(t)
    return keep


def tokens(doc: DocText) -> list[list[Tok]]:
    """Tokens of every row of a document."""
    return [row_tokens(r) for r in doc.rows]


def doc_width(doc: DocText) -> float:
    """The span of the document's text along its reading direction."""
    xs = [p.x0 for r in doc.rows for p in r.pieces] + [p.x1 for r in doc.rows for p in r.pieces]
    return (max(xs) - min(xs)) if xs else 1.0


def _row_text(row) -> str:
    return norm(" ".join(p.text for p in row.pieces))


def find(doc: DocText, pattern: str, *, rows: range | None = None, nospace: bool = True,
         conf: float = 1.0) -> Field | None:
    """The first match of ``pattern`` in a row's text (group 1 if any), with the row's score."""
    idx = rows if rows is not None else range(len(doc.rows))
    for i in idx:
        r = doc.rows[i]
        t = _row_text(r)
        m = re.search(pattern, t)
        if m is None and nospace:
            m = re.search(pattern, t.replace(" ", ""))
        if m:
            return Field(m.group(1 if m.lastindex else 0), conf * r.score)
    return None


def label_value(doc: DocText, label: str, value: str, *, rows: range | None = None, below: bool = True,
                x_max: float | None = None, conf: float = 1.0) -> Field | None:
    """A value printed after its label (same row), else just below the label.

    Parameters
    ----------
    label : str
        Regular expression of the printed label (a colon after it is optional).
    value : str
        Regular expression the value must match (anchored at the value's start).
    rows : range, optional
        Only look at these rows (a block of the form).
    below : bool
        Accept a value on one of the next two rows, starting near the label's column.
    x_max : float, optional
        Ignore tokens starting right of this x (another column of the form).
    """
    idx = list(rows if rows is not None else range(len(doc.rows)))
    lab = re.compile(label)
    val = re.compile(r"[\s:]*(" + value + ")")
    for i in idx:
        toks = row_tokens(doc.rows[i])
        if x_max is not None:
            toks = [t for t in toks if t.x0 < x_max]
        text = " ".join(t.text for t in toks)
        for variant in (text, text.replace(" ", "")):
            m = lab.search(variant)
            if not m:
                continue
            v = val.match(variant, m.end())
            if v and v.group(1).strip():
                return Field(v.group(1).strip(), conf * doc.rows[i].score)
            if not below:
                break
            # nothing (usable) after the label: the rows just under it
            lab_x = _x_of(toks, m.start(), variant is text)
            r0 = doc.rows[i]
            h = min(p.h for p in r0.pieces)
            for j in range(i + 1, min(i + 3, len(doc.rows))):
                rj = doc.rows[j]
                if rj.y - r0.y > 2.8 * h:
                    break
                below_toks = [t for t in row_tokens(rj) if t.x1 > lab_x - 0.5 * h
                              and (x_max is None or t.x0 < x_max)]
                bt = " ".join(t.text for t in below_toks)
                vv = re.match(r"[\s:]*(" + value + ")", bt) or re.match(r"[\s:]*(" + value + ")", bt.replace(" ", ""))
                if vv and vv.group(1).strip():
                    return Field(vv.group(1).strip(), 0.9 * conf * rj.score)
            break
    return None


def _x_of(toks: list[Tok], pos: int, spaced: bool) -> float:
    """The x where character ``pos`` of the joined token text lies."""
    off = 0
    for t in toks:
        n = len(t.text)
        if pos <= off + n:
            return t.x0 + (t.x1 - t.x0) * (pos - off) / max(1, n)
        off += n + (1 if spaced else 0)
    return toks[-1].x1 if toks else 0.0


def all_tokens(doc: DocText, rows: range | None = None) -> list[Tok]:
    """Every token of the document (or of some rows), regardless of row grouping."""
    idx = rows if rows is not None else range(len(doc.rows))
    return [t for i in idx for t in row_tokens(doc.rows[i])]


def skew(toks: list[Tok]) -> float:
    """The slope dy/dx of tokens printed on one line (a document not quite squared up);
    0 for fewer than three tokens."""
    if len(toks) < 3:
        return 0.0
    import numpy as np

    x = np.array([t.xc for t in toks])
    y = np.array([t.y for t in toks])
    if np.ptp(x) <= 0:
        return 0.0
    s = float(np.polyfit(x, y, 1)[0])
    return s if abs(s) < 0.15 else 0.0


def cluster_lines(toks: list[Tok], slope: float = 0.0, gap: float = 0.5) -> list[list[Tok]]:
    """Tokens grouped into printed lines by their y (corrected for ``slope``): a new line
    starts where the next y is more than ``gap`` x the token height below the last one."""
    def yy(t: Tok) -> float:
        return t.y - slope * t.xc

    out: list[list[Tok]] = []
    for t in sorted(toks, key=yy):
        if out and yy(t) - yy(out[-1][-1]) < gap * min(t.h, out[-1][-1].h):
            out[-1].append(t)
        else:
            out.append([t])
    return [sorted(line, key=lambda t: t.x0) for line in out]
