"""A document's detached blocks: untyped text that prints the labels its neighbour lacks.

Some documents print a block far from the rest of their text: a roll receipt prints its
totals and check code under a long blank stretch left for more items, a ticket its
sales line at the foot. Clustered by proximity, such a block is a region of its own; it
reads as no type (two or three labels are too few), so it is not reported and the
document's quad misses it.

Such a block belongs to the typed document next to it when it prints labels of the
document's type that the document does not print itself: a document prints its labels
once, so labels it already holds would be another document's (a neighbour receipt's),
while labels it lacks complete it. The block must read the same way, lie beyond the
document's text along its reading frame (below or above it, overlapping it across), and
no other text may lie between them.
"""

from __future__ import annotations

import numpy as np

from .classify import classify_text, line_cues
from .locate import CO_ORIENTED_COS, Region, order_quad
from .quadops import normal

__all__ = ["complete"]

#: a block joins a document at most this many of the document's line heights away ...
COMPLETE_REACH = 15.0
#: ... overlapping its text across the reading direction by this share of the block's width
COMPLETE_ACROSS = 0.6
#: the labels of the document's type the block prints (and the document does not) weigh
#: at least this much (a title weighs 3 or more, labels 0.5-2)
COMPLETE_MIN_WEIGHT = 1.0


def _cues(lines, t) -> dict[str, float]:
    """The cues of type ``t`` these lines print, with their weights."""
    return {c: w for c, w, hits in line_cues([ln.text for ln in lines], t) if any(hits)}


def _frame(region: Region, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in a region's reading frame: along its direction and across it (down)."""
    return pts @ region.direction, pts @ normal(region.direction)


def complete(found: list, other_paper=None) -> list:
    """Join untyped blocks to the typed document whose missing labels they print.

    Parameters
    ----------
    found : list of (Region, Classification)
        The located and classified regions of one picture.
    other_paper : callable, optional
        ``other_paper(a, b)``: whether two regions lie on papers of different colours (a
        card's text next to an invoice's); such a block never joins the document.

    Returns
    -------
    list of (Region, Classification)
        The same regions, a document that took in blocks with their lines and its quad
        grown over them (source ``"merged"``, classified again), the blocks gone.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.ocr import TextLine
    >>> def line(y, s):
    ...     q = np.array([[0, y], [200, y], [200, y + 20], [0, y + 20]], float)
    ...     return TextLine(q, s, 0.99, np.array([1.0, 0.0]))
    >>> top = [line(30 * i, s) for i, s in enumerate(["发票代码 037001700207", "机打号码 29877388",
    ...                                              "收款员 王元金", "购买方名称 山东", "销售方名称 山东"])]
    >>> foot = [line(400, "合计金额(小写) 227.00"), line(430, "校验码 67401070653290708636")]
    >>> def region(lines):
    ...     return Region(np.array([[0, lines[0].quad[0, 1]], [200, lines[0].quad[0, 1]],
    ...                             [200, lines[-1].quad[2, 1]], [0, lines[-1].quad[2, 1]]]), lines)
    >>> found = [(region(top), classify_text([ln.text for ln in top])),
    ...          (region(foot), classify_text([ln.text for ln in foot]))]
    >>> [c.type for _, c in found]
    [<DocType.VAT_ROLL_INVOICE: 'vat_roll_invoice'>, None]
    >>> out = complete(found)
    >>> len(out), len(out[0][0].lines), float(out[0][0].quad[:, 1].max())
    (1, 7, 450.0)
    """
    found = list(found)
    changed = True
    while changed:
        changed = False
        for i, (block, cb) in enumerate(found):
            if cb.type is not None or not block.lines:
                continue
            j = _owner(found, i, other_paper)
            if j is None:
                continue
            doc, _ = found[j]
            lines = doc.lines + block.lines
            u, v = _frame(doc, np.concatenate([doc.quad] + [ln.quad for ln in block.lines]))
            d, n = doc.direction, normal(doc.direction)
            box = np.array([a * d + b * n for a, b in
                            [(u.min(), v.min()), (u.max(), v.min()), (u.max(), v.max()), (u.min(), v.max())]])
            joined = Region(order_quad(box, d), lines, d, "merged", doc.stamp_lines)
            found[j] = (joined, classify_text([ln.text for ln in lines]))
            del found[i]
            changed = True
            break
    return found


def _owner(found: list, i: int, other_paper=None) -> int | None:
    """The typed region the block ``i`` completes (the nearest), or None."""
    block = found[i][0]
    pts = np.concatenate([ln.quad for ln in block.lines])
    best = None
    for j, (doc, cd) in enumerate(found):
        if j == i or cd.type is None or not doc.lines:
            continue
        if float(block.direction @ doc.direction) < CO_ORIENTED_COS:
            continue
        if other_paper is not None and other_paper(block, doc):
            continue
        have = _cues(doc.lines, cd.type)
        new = {c: w for c, w in _cues(block.lines, cd.type).items() if c not in have}
        if sum(new.values()) < COMPLETE_MIN_WEIGHT or set(_cues(block.lines, cd.type)) & set(have):
            continue
        if classify_text([ln.text for ln in block.lines], (cd.type,)).score <= 0:
            continue
        text = np.concatenate([ln.quad for ln in doc.lines])
        du, dv = _frame(doc, text)
        bu, bv = _frame(doc, pts)
        across = min(du.max(), bu.max()) - max(du.min(), bu.min())
        if across < COMPLETE_ACROSS * (bu.max() - bu.min()):
            continue
        gap = max(bv.min() - dv.max(), dv.min() - bv.max())
        hgt = float(np.median([ln.height for ln in doc.lines]))
        if gap > COMPLETE_REACH * hgt:
            continue
        lo, hi = (dv.max(), bv.min()) if bv.min() > dv.max() else (bv.max(), dv.min())
        if _between(found, (i, j), doc, (max(du.min(), bu.min()), min(du.max(), bu.max())), (lo, hi)):
            continue
        if best is None or gap < best[0]:
            best = (gap, j)
    return None if best is None else best[1]


def _between(found: list, skip: tuple[int, int], doc: Region, across: tuple[float, float],
             along: tuple[float, float]) -> bool:
    """Whether another region's text lies in the strip between a document and a block."""
    for k, (r, _) in enumerate(found):
        if k in skip or not r.lines:
            continue
        u, v = _frame(doc, np.array([ln.center for ln in r.lines]))
        if ((u > across[0]) & (u < across[1]) & (v > along[0]) & (v < along[1])).any():
            return True
    return False
