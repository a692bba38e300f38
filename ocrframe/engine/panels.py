"""The picture panels of a composite image: photos tiled in a grid with blank gutters.

A figure made of several photos (a 2x2 collage of train tickets, a page of scanned
receipts pasted side by side) separates its pictures by gutters: straight strips of one
flat colour running through the whole image (or the whole of a larger panel). No document
crosses such a strip, so each panel can be read as an image of its own: its text never
joins a neighbour panel's, however alike the documents are (four tickets whose repeated
labels were misread on one of them stay four).

A flat strip alone is not a gutter: a rendered or scanned document on white paper has
blank rows of its own across the whole frame (between its title and its table). A gutter
is where one picture ends and the next begins, so the pixels just beyond it, on both
sides, must in good part differ from the gutter's colour (a photo's edge), not continue it
(the paper around a title, where only the strokes of the text differ).

Examples
--------
>>> import numpy as np
>>> photo = np.random.default_rng(0).integers(0, 200, (200, 300, 3), dtype=np.uint8)
>>> img = photo.copy()
>>> img[:, 145:152] = 255                              # two photos, a white gutter between
>>> find_panels(img)
[(0, 0, 145, 200), (152, 0, 300, 200)]
>>> find_panels(np.full((200, 300, 3), 255, np.uint8))  # a blank page: one panel
[(0, 0, 300, 200)]
"""

from __future__ import annotations

import numpy as np

__all__ = ["find_panels"]

#: a strip is flat when no channel varies by more than this along it (JPEG noise, a
#: slightly uneven white)
FLAT_RANGE = 24
#: a gutter is at least this many pixels wide ...
MIN_GUTTER_PX = 3
#: ... and at most this share of the panel it cuts (wider blank bands are margins or paper)
MAX_GUTTER_FRAC = 0.08
#: both panels it leaves are at least this share of the panel cut
MIN_PANEL_FRAC = 0.15
#: a pixel beyond the gutter differs from the gutter's colour by more than this (any channel) ...
EDGE_DIFF = 40
#: ... and at least this share of the pixels along each side of the gutter do: a picture's
#: edge (photos of white tickets often show white paper along part of their edge). On the
#: real dev set the blank rows inside renders show at most 0.05 on one side, the gutters
#: of a photo collage at least 0.4
EDGE_SHARE = 0.25
#: how many pixels beyond the gutter are compared (the median of each position over them)
EDGE_DEPTH = 3
#: a strip's flatness is first judged on about this many pixels along it (then in full)
SPREAD_SAMPLES = 800
#: panels are cut this many times deep at most (a 4x4 grid)
MAX_DEPTH = 4


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in a 1-D mask, as ``(start, stop)`` (stop exclusive)."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(padded)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


def _gutter(block: np.ndarray, axis: int) -> tuple[int, int] | None:
    """The widest gutter across ``block`` (a panel, ``(h, w, 3)`` uint8) along ``axis``
    (0: a band of rows, 1: a band of columns) as ``(start, stop)``, or None."""
    n = block.shape[axis]
    def band(lo: int, hi: int, step: int = 1) -> np.ndarray:
        """Rows (columns) ``lo:hi`` as ``(hi - lo, length, 3)``, every ``step``-th pixel along."""
        part = block[lo:hi, ::step] if axis == 0 else block[::step, lo:hi].transpose(1, 0, 2)
        return part.astype(np.int16)

    # each row's (column's) spread of values along its length, per channel, then the largest;
    # sampled along the length first (a flat strip stays flat), then checked in full
    step = max(1, block.shape[1 - axis] // SPREAD_SAMPLES)
    sample = band(0, n, step)
    spread = (sample.max(axis=1) - sample.min(axis=1)).max(axis=-1)
    best = None
    for a, b in _runs(spread <= FLAT_RANGE):
        if a == 0 or b == n or b - a < MIN_GUTTER_PX or b - a > MAX_GUTTER_FRAC * n:
            continue  # a border band, a hairline, or a blank area
        if min(a, n - b) < MIN_PANEL_FRAC * n:
            continue
        full = band(a, b)
        if int((full.max(axis=1) - full.min(axis=1)).max()) > FLAT_RANGE:
            continue  # not flat after all between the samples
        colour = np.median(full.reshape(-1, 3), axis=0)
        sides = (np.median(band(max(0, a - EDGE_DEPTH), a), axis=0), np.median(band(b, b + EDGE_DEPTH), axis=0))
        if all(float((np.abs(side - colour) > EDGE_DIFF).any(axis=-1).mean()) >= EDGE_SHARE for side in sides):
            if best is None or b - a > best[1] - best[0]:
                best = (a, b)
    return best


def find_panels(img: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The picture panels of an image, ``(x0, y0, x1, y1)`` each (exclusive ends).

    Cut recursively at gutters: flat strips through a whole panel with a picture's edge
    on both sides (see the module's notes). An image that is one picture is one panel.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 image.

    Returns
    -------
    list of (x0, y0, x1, y1)
        In the order cut: the parts before a gutter (above it, left of it) first.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.random.default_rng(0).integers(0, 200, (300, 300, 3), dtype=np.uint8)
    >>> img[145:155] = img[:, 145:155] = 250           # four photos, white gutters between
    >>> find_panels(img)
    [(0, 0, 145, 145), (155, 0, 300, 145), (0, 155, 145, 300), (155, 155, 300, 300)]
    """
    data = np.asarray(img)
    if data.ndim == 2:
        data = data[..., None]

    def cut(x0: int, y0: int, x1: int, y1: int, depth: int) -> list[tuple[int, int, int, int]]:
        if depth < MAX_DEPTH:
            block = data[y0:y1, x0:x1]
            rows = _gutter(block, 0)
            cols = _gutter(block, 1)
            if rows is not None and (cols is None or rows[1] - rows[0] >= cols[1] - cols[0]):
                a, b = rows
                return cut(x0, y0, x1, y0 + a, depth + 1) + cut(x0, y0 + b, x1, y1, depth + 1)
            if cols is not None:
                a, b = cols
                return cut(x0, y0, x0 + a, y1, depth + 1) + cut(x0 + b, y0, x1, y1, depth + 1)
        return [(x0, y0, x1, y1)]

    h, w = data.shape[:2]
    return cut(0, 0, w, h, 0)
