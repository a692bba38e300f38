"""Documents of different kinds in one region: lying over each other, or touching.

A card lying on an invoice, or a receipt half under a licence, leaves no closed outline
of either (their edges join into one shape that is no quadrilateral), and their text
runs together into one cluster. The text still knows it is two documents: it holds the
cues of two types. Each type's cue lines seed a document; every other line goes to the
document it is most closely tied to, over a chain of neighbouring lines where each step
costs its gap (in line heights), a change in print size and a change in the paper's
colour around the line (a card and an invoice rarely share paper). The split is kept
only when every part reads as its own type on its own.

Examples
--------
>>> import numpy as np
>>> from ocrframe.engine.ocr import TextLine
>>> def line(x, y, s, h=20):
...     q = np.array([[x, y], [x + 14 * len(s), y], [x + 14 * len(s), y + h], [x, y + h]], float)
...     return TextLine(q, s, 0.99, np.array([1.0, 0.0]))
>>> card = [line(20, 20 + 40 * i, s) for i, s in enumerate(["姓名 张三", "性别 男 民族 汉", "出生 1990年1月1日",
...                                                          "公民身份号码 110105199001011234"])]
>>> receipt = [line(520, 20 + 30 * i, s, 16) for i, s in enumerate(["北京市出租汽车专用发票", "上车 10:01",
...                                                                  "下车 10:30", "里程 5.2km", "等候 00:01:10"])]
>>> img = np.full((300, 800, 3), 240, np.uint8)
>>> from ocrframe.engine.paper import PaperMap
>>> parts = split_kinds(PaperMap(img), card + receipt)
>>> [len(p) for p in parts]
[4, 5]
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import DocType
from .classify import TITLE_WEIGHT, classify_text, line_cues
from .locate import _text_box, dominant_direction
from .ocr import TextLine
from .paper import PaperMap
from .quadops import inside_many
from .ties import COLOUR_UNIT, LINK_GAP, cheapest_seed, rect_gap, tie_graph

__all__ = ["split_kinds"]

#: a type seeds a document when its cues on the region's lines score at least this
#: (the classifier's own minimum)
MIN_KIND_SCORE = 3.0
#: another kind is looked for only when its cues score at least this: a title and labels
#: of its own, not the few labels one form shares with another (a passport's "签发机关",
#: a vehicle invoice's "价税合计")
SECOND_KIND_SCORE = 6.0
#: a line seeds its type's document when it prints a cue of at least this weight (a
#: title or a label, not a pattern that any number matches)
SEED_WEIGHT = 1.0
#: a weaker kind's seed lines belong together when chained by gaps under this many line
#: heights
SEED_REACH = 6.0
#: a line reached from no seed joins the nearest part within this many line heights
LOST_REACH = 2 * LINK_GAP
#: a line stays with its part when this share of its surroundings is that part's paper;
#: it moves to another part whose paper makes up this share of them
ON_OWN_PAPER = 0.5
ON_OTHER_PAPER = 0.75
#: two parts are separate documents when one's text box holds at most this share of the
#: other's lines ...
MAX_FOREIGN = 0.1
#: ... and they differ as two pieces of paper do: their tilts by more than this cosine's
#: angle (about 8 degrees), their paper's colours by ``COLOUR_UNIT``, or each prints its
#: type's title (a cue of ``classify.TITLE_WEIGHT``)
DISTINCT_TILT_COS = 0.99


def split_kinds(paper_map: PaperMap, lines: list[TextLine], *, min_score: float = MIN_KIND_SCORE) -> list[list[TextLine]]:
    """The lines of each document, for a region that holds documents of different kinds.

    The kinds whose cues score at least ``min_score`` are tried together; when their parts
    do not stand as separate documents, the weakest kind is dropped and the rest tried
    again (an invoice's bank line reads as a bank card, but it is no document of its own).

    Lines are then moved to the document whose paper surrounds them (a label of the
    lower document right at the edge of the upper one is reached cheaply from both).

    Returns ``[lines]`` when the region holds one kind.
    """
    if len(lines) < 2:
        return [lines]
    texts = [ln.text for ln in lines]
    cls = classify_text(texts)
    ranked = sorted(cls.scores.items(), key=lambda kv: -kv[1])
    kinds = [t for k, (t, s) in enumerate(ranked) if s >= (min_score if k == 0 else SECOND_KIND_SCORE)]
    if len(kinds) < 2:
        return [lines]
    paper = None
    while len(kinds) >= 2:
        if paper is None:
            paper = paper_map.colours(lines)
        seeds = _seeds(lines, kinds, paper)
        usable = [t for t in kinds if seeds[t]]
        if len(usable) < 2:
            kinds = kinds[:-1]
            continue
        graph = tie_graph(lines, paper)
        labels = cheapest_seed(graph, {t: seeds[t] for t in usable})
        parts = {t: [i for i, lab in enumerate(labels) if lab == t] for t in usable}
        if _stand_apart(lines, paper, parts):
            parts = _onto_paper(paper_map, lines, parts)
            # lines cut off from the rest go with the nearest part when it is near enough,
            # else they stay apart (text of something else)
            rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in lines]
            apart = []
            for i in (i for i, lab in enumerate(labels) if lab is None):
                gaps = {u: min(rect_gap(rects[i], rects[j]) for j in parts[u]) / lines[i].height for u in parts}
                t = min(gaps, key=gaps.get)
                (parts[t] if gaps[t] < LOST_REACH else apart).append(i)
            out = [[lines[i] for i in sorted(g)] for g in parts.values()]
            return out + ([[lines[i] for i in apart]] if apart else [])
        kinds = kinds[:-1]
    return [lines]


def _seeds(lines: list[TextLine], kinds: list[DocType], paper: np.ndarray) -> dict[DocType, set[int]]:
    """Per kind, the lines printing one of its titles or labels (and no other kind's).

    The strongest kind keeps all its cue lines. Every other kind keeps only its one close
    group (near each other, on paper of one colour) that prints the most of its cues: the
    smaller document lies in one place, and an invoice's "开户银行" line is a bank card's
    cue, apart from the card's name and number or on other paper.
    """
    texts = [ln.text for ln in lines]
    cues = {t: [(w, np.array(h, bool)) for _, w, h in line_cues(texts, t) if w >= SEED_WEIGHT] for t in kinds}
    hit = {t: np.logical_or.reduce([h for _, h in cues[t]]) if cues[t] else np.zeros(len(lines), bool)
           for t in kinds}
    counted = np.sum([hit[t] for t in kinds], axis=0)
    rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in lines]
    heights = [ln.height for ln in lines]
    out = {}
    for k, t in enumerate(kinds):
        idx = [int(i) for i in np.flatnonzero(hit[t]) if counted[i] == 1]
        if k == 0 or not idx:
            out[t] = set(idx)
            continue
        groups = _single_link(idx, rects, heights, paper)
        out[t] = set(max(groups, key=lambda g: sum(w for w, h in cues[t] if h[g].any())))
    return out


def _single_link(idx: list[int], rects: list, heights: list[float], paper: np.ndarray) -> list[list[int]]:
    """Groups of the lines ``idx`` chained by gaps under ``SEED_REACH`` line heights, on
    paper of one colour."""
    def tied(i, j):
        return (rect_gap(rects[i], rects[j]) < SEED_REACH * min(heights[i], heights[j])
                and np.linalg.norm(paper[i] - paper[j]) < COLOUR_UNIT)

    groups: list[list[int]] = []
    for i in idx:
        near = [g for g in groups if any(tied(i, j) for j in g)]
        groups = [g for g in groups if g not in near] + [[i] + [j for g in near for j in g]]
    return groups


def _stand_apart(lines: list[TextLine], paper: np.ndarray, parts: dict) -> bool:
    """Whether each part reads as its own kind and every two look like separate papers."""
    if len(parts) < 2 or any(not p for p in parts.values()):
        return False
    if any(classify_text([lines[i].text for i in p]).type is not t for t, p in parts.items()):
        return False
    groups = list(parts.items())
    if not _apart([[lines[i] for i in g] for _, g in groups]):
        return False
    return all(_distinct(lines, paper, ga, gb, ta, tb)
               for k, (ta, ga) in enumerate(groups) for tb, gb in groups[k + 1:])


def _onto_paper(paper_map: PaperMap, lines: list[TextLine], parts: dict) -> dict:
    """Lines moved to the part whose paper surrounds them (when it clearly does and their
    own part's paper does not)."""
    regions = {t: paper_map.region([lines[i] for i in g]) for t, g in parts.items()}
    share = {t: paper_map.on(lines, r) for t, r in regions.items() if r is not None}
    if len(share) < 2:
        return parts
    owner = {i: t for t, g in parts.items() for i in g}
    moved = {t: list(g) for t, g in parts.items()}
    for i, t in owner.items():
        if t in share and share[t][i] >= ON_OWN_PAPER:
            continue
        best = max(share, key=lambda u: share[u][i])
        if best != t and share[best][i] >= ON_OTHER_PAPER:
            moved[t].remove(i)
            moved[best].append(i)
    return moved if all(moved.values()) else parts


def _apart(parts: list[list[TextLine]]) -> bool:
    """Whether the parts are separate documents: of any two, one has no text of the other
    inside its own text box (an upper document hides what lies under it; two documents
    side by side keep their text to themselves). The bank lines of an invoice read as a
    bank card, but they lie among the invoice's lines, and the invoice's around them."""
    boxes = []
    for p in parts:
        d = dominant_direction(p)
        boxes.append(_text_box(p, d, 0.0))
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            into_i = inside_many(boxes[i], np.array([ln.center for ln in parts[j]])).mean()
            into_j = inside_many(boxes[j], np.array([ln.center for ln in parts[i]])).mean()
            if min(into_i, into_j) > MAX_FOREIGN:
                return False
    return True


def _distinct(lines: list[TextLine], paper: np.ndarray, a: list[int], b: list[int], ta: DocType, tb: DocType) -> bool:
    """Whether two parts look like two pieces of paper, not two blocks of one: another
    paper colour, another tilt, or each its own title (a title alone is no document: a
    licence's back page prints the front's title with a suffix)."""
    if np.linalg.norm(np.median(paper[a], axis=0) - np.median(paper[b], axis=0)) > COLOUR_UNIT:
        return True
    da, db = dominant_direction([lines[i] for i in a]), dominant_direction([lines[i] for i in b])
    if abs(float(da @ db)) < DISTINCT_TILT_COS:
        return True

    def titled(idx, t):
        return any(w >= TITLE_WEIGHT and any(h[i] for i in idx) for _, w, h in line_cues([ln.text for ln in lines], t))

    return titled(a, ta) and titled(b, tb)
