"""Shared helpers of the field extractors: a document's text as rows, label/value splitting.

A document's lines are put in reading order in the document's own frame (x along its
reading direction, y down it) and grouped into rows. Each row is split at the known
labels of the type ("姓名", "性别", ...), matched exactly or fuzzily; the text between a
label and the next label is that label's value. Each value keeps the recognition scores
of the lines it came from, which become the field's confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    return re.sub(r"^[\s:：;；,，.。|/]+|[\s:：;；,，|]+$", "", s or "")


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

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.rows)

    @property
    def mean_score(self) -> float:
        s = [ln.score for ln in self.region.lines]
        return float(np.mean(s)) if s else 0.0

    # ------------------------------------------------------------------ label splitting
    def split_labels(self, labels: dict[str, str], *, fuzzy: bool = True) -> dict[str, Field]:
        """Values by field name, from rows split at the given labels.

        Parameters
        ----------
        labels : dict
            ``{printed label: field name}``; longer labels are tried first, so
            ``出生日期`` wins over ``出生``.
        fuzzy : bool, default True
            Also accept a label with one misread character (labels of 3+ characters).

        Returns
        -------
        dict
            ``{field name: Field}`` for labels found with a non-empty value. A label found
            with nothing after it takes the next row when that row holds no label.
        """
        order = sorted(labels, key=len, reverse=True)
        found: dict[str, Field] = {}
        row_hits = [self._find_labels(r.text, order, fuzzy) for r in self.rows]
        for i, (row, hits) in enumerate(zip(self.rows, row_hits)):
            text = row.text
            for k, (start, end, lab) in enumerate(hits):
                stop = hits[k + 1][0] if k + 1 < len(hits) else len(text)
                val = clean(text[end:stop])
                score = row.score
                if not val and k + 1 == len(hits) and i + 1 < len(self.rows) and not row_hits[i + 1]:
                    val, score = clean(self.rows[i + 1].text), self.rows[i + 1].score
                name = labels[lab]
                if val and name not in found:
                    found[name] = Field(val, score)
        return found

    @staticmethod
    def _find_labels(text: str, order: list[str], fuzzy: bool) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        taken = np.zeros(len(text) + 1, bool)
        missing = []
        for lab in order:  # exact matches first, longest label first
            for m in re.finditer(re.escape(lab), text):
                if not taken[m.start():m.end()].any():
                    hits.append((m.start(), m.end(), lab))
                    taken[m.start():m.end()] = True
                    break
            else:
                missing.append(lab)
        if fuzzy and len(text) >= 3:
            from rapidfuzz import fuzz

            found_names = {lab for _, _, lab in hits}
            for lab in missing:
                if len(lab) < 4 or lab in found_names:
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
        for i, r in enumerate(self.rows):
            if label in r.text and i + 1 < len(self.rows):
                out, sc = name_value.value, name_value.confidence
                for nxt in self.rows[i + 1:]:
                    if self._find_labels(nxt.text, order, False):
                        break
                    if re.fullmatch(r"[\dXx ]{15,}", nxt.text):
                        break
                    out += clean(nxt.text)
                    sc = min(sc, nxt.score)
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
