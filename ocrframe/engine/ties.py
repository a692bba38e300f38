"""How closely lines are tied to each other: the cost of a chain of neighbouring lines.

Two lines of one document sit close together, print at about one size, share a reading
direction and lie on one paper; lines of two documents differ in at least one of these.
:func:`tie_graph` links each line to its neighbours with the cost of that step, and
:func:`cheapest_seed` gives every line to the seed set it reaches most cheaply over such
chains (Dijkstra from all seeds at once). Documents of different kinds in one region
(:mod:`ocrframe.engine.overlap`) and packed documents of one kind whose text no straight
strip separates (:mod:`ocrframe.engine.packed`) are split this way.

Examples
--------
>>> import numpy as np
>>> from ocrframe.engine.ocr import TextLine
>>> def line(x, y):
...     q = np.array([[x, y], [x + 100, y], [x + 100, y + 20], [x, y + 20]], float)
...     return TextLine(q, "x", 0.99, np.array([1.0, 0.0]))
>>> lines = [line(0, 0), line(0, 30), line(0, 60), line(200, 0), line(200, 30)]
>>> cheapest_seed(tie_graph(lines, np.zeros((5, 3))), {"a": {0}, "b": {3}})
['a', 'a', 'a', 'b', 'b']
"""

from __future__ import annotations

import heapq

import cv2
import numpy as np

from .ocr import TextLine

__all__ = ["rect_gap", "linked_groups", "tie_graph", "cheapest_seed", "LINK_GAP", "COLOUR_UNIT"]

#: lines are neighbours when their boxes are closer than this many line heights
LINK_GAP = 3.0
#: the cost of a step between neighbours: its gap in line heights, plus this much per
#: doubling of the print size ...
HEIGHT_COST = 2.0
#: ... plus this much per ``COLOUR_UNIT`` of difference in the paper's colour around them
COLOUR_COST = 1.0
COLOUR_UNIT = 12.0
#: ... plus one per this many degrees of difference in their reading directions (one
#: document's lines agree within a degree or two)
TILT_UNIT = 4.0


def rect_gap(a: tuple, b: tuple) -> float:
    """The gap between two upright rectangles ``(x, y, w, h)``: 0 when they overlap.

    Examples
    --------
    >>> rect_gap((0, 0, 10, 10), (15, 3, 10, 10))
    5.0
    """
    xa, ya, wa, ha = a
    xb, yb, wb, hb = b
    return float(max(0, max(xa, xb) - min(xa + wa, xb + wb), max(ya, yb) - min(ya + ha, yb + hb)))


def linked_groups(n: int, linked) -> list[list[int]]:
    """The indices ``0..n-1`` in groups joined by ``linked(i, j)`` (asked for ``i < j``),
    transitively (single linkage): each group ascending, groups in order of their first member.

    Examples
    --------
    >>> linked_groups(5, lambda i, j: j - i == 2)
    [[0, 2, 4], [1, 3]]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if linked(i, j)], int).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(label.tolist()):
        groups.setdefault(g, []).append(i)
    return list(groups.values())


def tie_graph(lines: list[TextLine], paper: np.ndarray) -> list[list[tuple[int, float]]]:
    """Each line's neighbours and the cost of the step to each.

    Parameters
    ----------
    lines : list of TextLine
    paper : ndarray, shape (n, 3)
        The paper's colour around each line (zeros when unknown).

    Returns
    -------
    list of list of (int, float)
        For line ``i``, ``(j, cost)`` for every neighbour ``j``.

    Examples
    --------
    >>> from ocrframe.engine.ocr import TextLine
    >>> q = np.array([[0, 0], [100, 0], [100, 20], [0, 20]], float)
    >>> ln = [TextLine(q + [0, 30 * i], "x", 0.99, np.array([1.0, 0.0])) for i in range(2)]
    >>> tie_graph(ln, np.zeros((2, 3)))
    [[(1, 0.45)], [(0, 0.45)]]
    """
    n = len(lines)
    rects = [cv2.boundingRect(ln.quad.astype(np.float32)) for ln in lines]
    hgt = np.array([max(ln.height, 1.0) for ln in lines])
    nbrs: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            g = rect_gap(rects[i], rects[j]) / min(hgt[i], hgt[j])
            if g >= LINK_GAP:
                continue
            tilt = np.degrees(np.arccos(np.clip(abs(float(lines[i].direction @ lines[j].direction)), 0.0, 1.0)))
            cost = (g + HEIGHT_COST * abs(np.log2(hgt[i] / hgt[j])) + tilt / TILT_UNIT
                    + COLOUR_COST * float(np.linalg.norm(paper[i] - paper[j])) / COLOUR_UNIT)
            nbrs[i].append((j, float(cost)))
            nbrs[j].append((i, float(cost)))
    return nbrs


def cheapest_seed(graph: list[list[tuple[int, float]]], seeds: dict) -> list:
    """Each line's seed key: the seed set it is most cheaply tied to (None when cut off).

    Examples
    --------
    >>> cheapest_seed([[(1, 1.0)], [(0, 1.0), (2, 3.0)], [(1, 3.0)], []], {"a": {0}, "b": {2}})
    ['a', 'a', 'b', None]
    """
    n = len(graph)
    best = np.full(n, np.inf)
    label: list = [None] * n
    heap: list[tuple[float, int]] = []
    for t, s in seeds.items():
        for i in s:
            best[i] = 0.0
            label[i] = t
            heapq.heappush(heap, (0.0, i))
    while heap:
        c, i = heapq.heappop(heap)
        if c > best[i]:
            continue
        for j, w in graph[i]:
            if c + w < best[j]:
                best[j] = c + w
                label[j] = label[i]
                heapq.heappush(heap, (c + w, j))
    return label
