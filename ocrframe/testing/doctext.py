"""Documents made of OCR-like lines, for testing extraction without running OCR.

:func:`doc_from_rows` places recognised lines the way the engine's OCR reports them
(one quad, text and score per line) on an upright document and wraps them in the
extractors' :class:`~ocrframe.engine.extract.common.DocText`. A line can be shifted off
its row (misregistered print) and the whole document turned.

Examples
--------
>>> d = doc_from_rows([[("发票代码", 10), ("144031900111", 120)], [("发票号码：12345678", 10)]])
>>> [r.text for r in d.rows]
['发票代码 144031900111', '发票号码：12345678']
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["doc_from_rows", "char_width"]

#: pixels per character at the default line height (CJK characters are square)
CJK_WIDTH = 20.0
OTHER_WIDTH = 11.0


def char_width(text: str, h: float = 20.0) -> float:
    """The printed width of a line of text at line height ``h``.

    Examples
    --------
    >>> char_width("金额44.00")
    95.0
    """
    return float(sum(CJK_WIDTH if ord(c) > 0x2e80 else OTHER_WIDTH for c in text)) * h / 20.0


def doc_from_rows(rows: Sequence[Sequence[tuple]], *, h: float = 20.0, pitch: float = 40.0,
                  dy: Sequence[float] | None = None, score: float = 0.95, angle: float = 0.0,
                  stamp: Sequence[str] = ()):
    """A located document from rows of recognised lines.

    Parameters
    ----------
    rows : sequence of rows
        Each row a sequence of ``(text, x)`` or ``(text, x, dy)`` lines: the line's text,
        its left edge and its own vertical shift off the row (pixels, up is negative).
    h : float
        Line height in pixels.
    pitch : float
        Distance between rows.
    dy : sequence of float, optional
        A vertical shift per row (pixels).
    score : float
        Every line's recognition score.
    angle : float
        The document turned by this many degrees (the extractors must not care).
    stamp : sequence of str
        Lines read from the document's red stamp.

    Returns
    -------
    DocText
    """
    from ocrframe.engine.extract.common import DocText
    from ocrframe.engine.locate import Region
    from ocrframe.engine.ocr import TextLine

    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    d = rot @ np.array([1.0, 0.0])
    origin = np.array([300.0, 300.0])

    def place(pts):
        return np.asarray(pts, float) @ rot.T + origin

    lines = []
    width = 0.0
    for i, row in enumerate(rows):
        y = 30 + pitch * i + (dy[i] if dy is not None else 0.0)
        for piece in row:
            text, x = piece[0], piece[1]
            yy = y + (piece[2] if len(piece) > 2 else 0.0)
            w = char_width(text, h)
            width = max(width, x + w)
            q = place([[x, yy], [x + w, yy], [x + w, yy + h], [x, yy + h]])
            lines.append(TextLine(q, text, score, d))
    height = 30 + pitch * len(rows) + 30
    quad = place([[0, 0], [width + 30, 0], [width + 30, height], [0, height]])
    stamp_lines = [TextLine(place([[0, 0], [50, 0], [50, h], [0, h]]), s, score, d) for s in stamp]
    return DocText(Region(quad, lines, d, "outline", stamp_lines=stamp_lines))
