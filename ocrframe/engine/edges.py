"""Paper edges beside a document's text, found from faint steps across the side.

The outline search needs edges strong enough to close a contour; a white receipt on a
white sheet has none. Its edge is still there as a step of a few grey levels or a thin
shadow, parallel to the document's text. Sampling the image along segments parallel to a
side of the text box, at increasing distance from it, and taking the median along each
segment (print and noise drop out) gives a profile across the side. The paper edge is the
step in that profile that separates paper (the level next to the text) from something
else: the sheet, the table, a neighbouring receipt of another tint.

Examples
--------
>>> import numpy as np
>>> img = np.full((200, 300, 3), 250, np.uint8)        # a white sheet ...
>>> img[40:160, 60:240] = 243                          # ... a slightly greyer receipt on it
>>> img[90:100, 100:200] = 30                          # its text
>>> a, b = np.array([100., 90.]), np.array([200., 90.])  # the text's top side
>>> round(find_edge(img, a, b, np.array([0., -1.]), 2, 80))  # the receipt's top edge, 50 px up
50
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["side_profile", "find_edge", "EDGE_MIN_STEP"]

#: points sampled along a side, spread over its middle stretch (corners may be torn,
#: rounded or covered)
EDGE_SAMPLES = 64
EDGE_SPAN = (0.1, 0.9)
#: a step is measured between two windows of this many profile rows (px) ...
STEP_WINDOW = 4
#: ... this many rows apart (an edge blurred by the lens and JPEG spans a few pixels)
STEP_GAP = 1
#: a step is a paper edge when the windows differ by at least this much (RGB distance of
#: their mean colours; about 2 grey levels, well above the median's noise)
EDGE_MIN_STEP = 3.5
#: ... and the inner window is paper: its distance to the paper's colour is at most this
#: share of the outer window's
PAPER_SIDE = 0.5
#: the paper's colour is the profile's median over its first rows (the margin next to the text)
PAPER_ROWS = 4


def side_profile(img: np.ndarray, a: np.ndarray, b: np.ndarray, nrm: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Median colour of the segment ``a``-``b`` moved by each offset along ``nrm``.

    Returns a ``(len(offsets), 3)`` float array (NaN rows where the segment leaves the image).
    """
    a, b, nrm = (np.asarray(v, np.float64) for v in (a, b, nrm))
    s = np.linspace(*EDGE_SPAN, EDGE_SAMPLES)
    base = a[None, :] + s[:, None] * (b - a)[None, :]                      # (S, 2)
    pts = base[None, :, :] + np.asarray(offsets, np.float64)[:, None, None] * nrm[None, None, :]  # (T, S, 2)
    h, w = img.shape[:2]
    mx, my = pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32)
    vals = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    prof = np.median(vals.astype(np.float32), axis=1)
    outside = ((mx < 0) | (mx > w - 1) | (my < 0) | (my > h - 1)).mean(axis=1) > 0.5
    prof[outside] = np.nan
    return prof


def find_edge(img: np.ndarray, a: np.ndarray, b: np.ndarray, nrm: np.ndarray, t_lo: float, t_hi: float,
              *, min_step: float = EDGE_MIN_STEP) -> float | None:
    """The paper's edge beyond the side ``a``-``b`` of a text box, as an offset along ``nrm``.

    Parameters
    ----------
    img : ndarray
        The image, ``(H, W, 3)`` uint8.
    a, b : ndarray
        The ends of the text box's side.
    nrm : ndarray
        The side's outward unit normal.
    t_lo, t_hi : float
        The offsets (px) searched; ``t_lo`` lies in the paper's margin.
    min_step : float, default EDGE_MIN_STEP
        The weakest step taken for an edge.

    Returns
    -------
    float or None
        The offset of the strongest step that has paper inside and something else
        outside; None when there is none (the paper's colour runs on, or the image ends).
    """
    t_lo, t_hi = float(t_lo), float(t_hi)
    win, gap = STEP_WINDOW, STEP_GAP
    if t_hi - t_lo < 2 * (win + gap) + 1:
        return None
    offsets = np.arange(t_lo, t_hi + 1.0)
    prof = side_profile(img, a, b, nrm, offsets)
    paper = np.nanmedian(prof[:PAPER_ROWS], axis=0)
    if not np.isfinite(paper).all():
        return None
    kernel = np.ones(win) / win
    # mean colour of the window ending just inside / starting just outside each row
    csum = np.array([np.convolve(prof[:, c], kernel, mode="valid") for c in range(3)]).T  # (T - win + 1, 3)
    best, best_t = 0.0, None
    for i in range(win - 1 + gap, len(offsets) - win - gap):
        inner = csum[i - (win - 1) - gap]          # rows i-gap-win+1 .. i-gap
        outer = csum[i + gap]                      # rows i+gap .. i+gap+win-1
        if not (np.isfinite(inner).all() and np.isfinite(outer).all()):
            continue
        step = float(np.linalg.norm(outer - inner))
        if step < min_step or step <= best:
            continue
        if np.linalg.norm(inner - paper) > PAPER_SIDE * np.linalg.norm(outer - paper):
            continue
        best, best_t = step, float(offsets[i])
    return best_t
