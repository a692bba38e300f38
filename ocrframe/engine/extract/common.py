"""Shared helpers of the field extractors: a document's text as rows, label/value splitting.

A document's lines are put in reading order in the document's own frame (x along its
reading direction, y down it) and grouped into rows. Each row is split at the known
labels of the type ("姓名", "性别", ...), matched exactly or fuzzily; the text between a
label and the next label is that label's value. Each value keeps the recognition scores
of the lines it came from, which become the field's confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..locate import Region

__all__ = ["Piece", "Row", "DocText", "Field", "fields_to_content", "clean"]


@dataclass
class Piece:
    text: str
    score: float
    x0: float
    x1: float
    y: float
    h: float


@dataclass
class Row:
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def score(self) -> float:
        return float(min(p.score for p in self.pieces)) if self.pieces else 0.0

    @property
    def y(self) -> float:
        return float(np.mean([p.y for p in self.pieces]))

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)


@dataclass
class Field:
    """An extracted value with its confidence in [0, 1]."""

    value: str
    confidence: float


def clean(s: str) -> str:
    """Strip separators a label leaves behind (colons, spaces) around a value.

    Examples
    --------
    >>> clean("：  张三 ")
    '张三'
    """
    s = re.sub(r"^[\s:：;；,，.。|/]+|[\s:：;；,，|]+$", "", s or "")
    s = s.translate(_ASCII_PUNCT)
    # an English subtitle read in front of a Chinese value ("Model 别克牌...")
    return re.sub(r"^[A-Za-z][A-Za-z .']*\s+(?=[\u4e00-\u9fff])", "", s)


_ASCII_PUNCT = str.maketrans({"，": ",", "（": "(", "）": ")", "；": ";"})


class DocText:
    """A located document's text in reading order, grouped into rows.

    Parameters
    ----------
    region : Region
        The located document (its lines and orientation).
    """

    def __init__(self, region: Region):
        self.region = region
        pieces = []
        for ln in region.lines:
            q = region.to_doc(ln.quad)
            pieces.append(Piece(ln.text, ln.score, float(q[:, 0].min()), float(q[:, 0].max()),
                                float(q[:, 1].mean()), max(ln.height, 1.0)))
        pieces.sort(key=lambda p: p.y)
        rows: list[list[Piece]] = []
        for p in pieces:
            if rows:
                last = rows[-1]
                ly = np.mean([q.y for q in last])
                lh = np.median([q.h for q in last])
                if abs(p.y - ly) < 0.5 * min(lh, p.h) + 0.15 * max(lh, p.h):
                    last.append(p)
                    continue
            rows.append([p])
        self.rows = [Row(sorted(r, key=lambda p: p.x0)) for r in rows]
        self.lines = [ln.text for ln in region.lines]
        stamp = region.stamp_lines
        order = np.argsort([region.to_doc(ln.center[None])[0, 1] for ln in stamp], kind="stable")
        #: text read from the document's red stamps, top to bottom: ``[(text, score)]``
        self.stamp = [(stamp[i].text, stamp[i].score) for i in order]

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.rows)

    @property
    def mean_score(self) -> float:
        s = [ln.score for ln in self.region.lines]
        return float(np.mean(s)) if s else 0.0

    # ------------------------------------------------------------------ label splitting
    def _piece_at(self, row: Row, pos: int) -> tuple[Piece, float]:
        """The piece of a row holding character ``pos`` of ``row.text`` and the x there."""
        off = 0
        for p in row.pieces:
            n = len(p.text)
            if pos <= off + n:
                frac = (pos - off) / max(1, n)
                return p, p.x0 + frac * (p.x1 - p.x0)
            off += n + 1
        p = row.pieces[-1]
        return p, p.x1

    def split_labels(self, labels: dict[str, str], *, fuzzy: bool = True, below: bool = True,
                     beside: bool = True) -> dict[str, Field]:
        """Values by field name, from rows split at the given labels.

        Parameters
        ----------
        labels : dict
            ``{printed label: field name}``; longer labels are tried first, so
            ``出生日期`` wins over ``出生``. Spaces inside printed labels (``姓 名``) are
            tolerated. Several labels may name the same field (a Chinese label and its
            English subtitle); the first non-empty value wins.
        fuzzy : bool, default True
            Also accept a label with one misread character (labels of 4+ characters).
        below : bool, default True
            A label with nothing after it on its row takes the text printed under it (the
            pieces of the next rows that start in the label's column).
        beside : bool, default True
            Before looking below, look to the right of the label on slightly shifted rows
            (values centred on a label, English subtitles under the label).

        Returns
        -------
        dict
            ``{field name: Field}`` for labels found with a non-empty value.
        """
        order = sorted(labels, key=lambda lab: len(lab.replace(" ", "")), reverse=True)
        found: dict[str, Field] = {}
        row_hits = [self._find_labels(r.text, order, fuzzy) for r in self.rows]
        pending = []
        for i, (row, hits) in enumerate(zip(self.rows, row_hits)):
            text = row.text
            for k, (start, end, lab) in enumerate(hits):
                stop = hits[k + 1][0] if k + 1 < len(hits) else len(text)
                val = clean(text[end:stop])
                name = labels[lab]
                if val:
                    if name not in found:
                        found[name] = Field(val, row.score)
                elif below:
                    pending.append((i, k, start, name))
        for i, k, start, name in pending:
            if name in found:
                continue
            v = self._beside(i, row_hits, k, labels) if beside else None
            if v is None:
                v = self._below(i, row_hits, start, k, labels)
            if v is not None:
                found[name] = v
        return found

    def _beside(self, i: int, row_hits, k: int, labels) -> Field | None:
        """The value printed to the right of a label but on a slightly shifted row (a
        two-line value centred on its label, or a label with an English subtitle)."""
        row = self.rows[i]
        hits = row_hits[i]
        start, end, _ = hits[k]
        p, x_end = self._piece_at(row, end)
        x_next = self._piece_at(row, hits[k + 1][0])[1] if k + 1 < len(hits) else np.inf
        h = p.h
        order = sorted(labels, key=len, reverse=True)
        best = None
        for j in range(max(0, i - 3), min(len(self.rows), i + 4)):
            if j == i:
                continue
            other = self.rows[j]
            dy = abs(other.y - row.y)
            if dy > 2.0 * h:
                continue
            pieces = [q for q in other.pieces if x_end - 0.5 * h <= q.x0 < x_next - 0.3 * h]
            pieces = [q for q in pieces if not self._find_labels(q.text, order, False)]
            if not pieces:
                continue
            if best is None or dy < best[0]:
                best = (dy, pieces)
        if best is None:
            return None
        txt = clean(" ".join(q.text for q in best[1]))
        return Field(txt, float(min(q.score for q in best[1]))) if txt else None

    def _below(self, i: int, row_hits, start: int, k: int, labels) -> Field | None:
        row = self.rows[i]
        p, x = self._piece_at(row, start)
        hits = row_hits[i]
        x_next = self._piece_at(row, hits[k + 1][0])[1] if k + 1 < len(hits) else np.inf
        h = p.h
        for j in range(i + 1, min(i + 4, len(self.rows))):
            nxt = self.rows[j]
            if nxt.y - row.y > 2.6 * h:
                break
            pieces = [q for q in nxt.pieces if x - 1.2 * h <= q.x0 < x_next - 0.3 * h]
            if not pieces:
                continue
            txt = " ".join(q.text for q in pieces)
            if self._find_labels(txt, sorted(labels, key=len, reverse=True), False):
                # the next row starts with another label: it is a label row, not a value
                hit0 = self._find_labels(txt, sorted(labels, key=len, reverse=True), False)[0]
                if hit0[0] == 0:
                    continue
                txt = txt[:hit0[0]]
            txt = clean(txt)
            if txt:
                return Field(txt, float(min(q.score for q in pieces)))
        return None

    @staticmethod
    def _find_labels(text: str, order: list[str], fuzzy: bool) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        taken = np.zeros(len(text) + 1, bool)
        missing = []
        for lab in order:  # exact matches first (spaces inside tolerated), longest label first
            pat = r"\s*".join(re.escape(c) for c in lab.replace(" ", ""))
            if lab.isascii():  # an English label starts a word ("Sex" is not in "MPS Ext")
                pat = r"(?<![A-Za-z])" + pat
            for m in re.finditer(pat, text, flags=re.IGNORECASE if lab.isascii() else 0):
                if not taken[m.start():m.end()].any():
                    hits.append((m.start(), m.end(), lab))
                    taken[m.start():m.end()] = True
                    break
            else:
                missing.append(lab)
        if fuzzy and len(text) >= 3:
            from rapidfuzz import fuzz

            for lab in missing:
                if len(lab.replace(" ", "")) < 4 or lab.isascii():
                    continue
                al = fuzz.partial_ratio_alignment(lab, text, score_cutoff=74)
                if al is not None and al.score >= 74 and not taken[al.dest_start:al.dest_end].any():
                    hits.append((al.dest_start, al.dest_end, lab))
                    taken[al.dest_start:al.dest_end] = True
        hits.sort()
        return hits

    def continuation(self, name_value: Field, label: str, labels: dict[str, str]) -> Field:
        """Extend a value with the following label-free rows (a multi-line address)."""
        order = sorted(labels, key=len, reverse=True)
        pat = r"\s*".join(re.escape(c) for c in label.replace(" ", ""))
        for i, r in enumerate(self.rows):
            if re.search(pat, r.text) and i + 1 < len(self.rows):
                out, sc = name_value.value, name_value.confidence
                for nxt in self.rows[i + 1:i + 3]:
                    if nxt.y - r.y > 4 * r.pieces[0].h:
                        break
                    if self._find_labels(nxt.text, order, False):
                        break
                    if re.fullmatch(r"[\dXx ]{15,}", nxt.text):
                        break
                    out += clean(nxt.text)
                    sc = min(sc, nxt.score)
                    r = nxt
                return Field(out, sc)
        return name_value

    def search(self, pattern: str, *, flags: int = 0) -> Field | None:
        """The first match of a regular expression in a row (spaces removed), with its row's score."""
        for r in self.rows:
            t = r.text
            m = re.search(pattern, t, flags) or re.search(pattern, t.replace(" ", ""), flags)
            if m:
                return Field(m.group(m.lastindex or 0), r.score)
        return None


def fields_to_content(fields: dict[str, Field], names: tuple[str, ...], extra: dict | None = None) -> dict:
    """The contract's ``content``: every core field (empty string when not found) and ``confidence``.

    Examples
    --------
    >>> fields_to_content({"name": Field("张三", 0.98)}, ("name", "sex"))
    {'name': '张三', 'sex': '', 'confidence': {'name': 0.98, 'sex': 0.0}}
    """
    content: dict = {}
    conf: dict = {}
    for n in names:
        f = fields.get(n)
        content[n] = f.value if f else ""
        conf[n] = round(float(min(max(f.confidence, 0.0), 1.0)), 4) if f else 0.0
    if extra:
        content.update(extra)
    content["confidence"] = conf
    return content
