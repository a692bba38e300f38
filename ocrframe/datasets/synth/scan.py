"""Full-frame scans: one document filling 85-100 % of a flatbed scan.

The scan is framed around the document: its visible part covers a share
``SceneOptions.fullframe_cover`` of the image. Sometimes the frame cuts one of its sides
off (the label is then the visible part's corners, in the same roles). The page lies
almost straight (or turned by 90 degrees) on a white, grey or black lid; light is flat;
the scanner bed's dark edge or the lid's shadow runs along one side; some scans are grey.

Examples
--------
>>> import numpy as np
>>> from ocrframe.types import DocType
>>> from ocrframe.datasets.synth.compose import Rendered
>>> from ocrframe.datasets.synth.scene import SceneOptions
>>> doc = Rendered(DocType.VAT_INVOICE, {}, np.full((860, 1400, 3), 250, np.uint8), None)
>>> shot = compose_scan(np.random.default_rng(0), [doc], SceneOptions(size=800))
>>> len(shot.placed), max(shot.image.shape[:2]) <= 800
(1, True)
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .backgrounds import scanner_bed
from .compose import Placed, Rendered, Shot, clip_quad, paper_tint, paste_document

if TYPE_CHECKING:  # pragma: no cover
    from .scene import SceneOptions

__all__ = ["compose_scan", "quad_area"]

#: the page's skew on the glass, in degrees
SKEW_DEG = 1.5
#: share of scans whose frame cuts one side of the document off, and how deep (share of its size)
CUT_RATE, CUT_DEPTH = 0.3, (0.01, 0.06)
#: the scan's long side as a share of ``SceneOptions.size``; the largest enlargement of a drawn document
SCAN_SIZE, MAX_ENLARGE = (0.55, 1.0), 1.5
#: share of scans showing the bed's dark edge in the widest margin; the lid's shadow along a side
BED_EDGE_RATE, LID_SHADOW_RATE = 0.6, 0.4
#: the lid's shadow: width as a share of the frame, darkness
LID_SHADOW_WIDTH, LID_SHADOW = (0.02, 0.08), (0.15, 0.4)
#: share of grey scans
GREY_RATE = 0.1
#: the page's thin edge shadow on the lid: chance and darkness
EDGE_SHADOW_RATE, EDGE_SHADOW = 0.7, (0.2, 0.5)
#: a scanner's flat light and sharp optics (applied over the options' own limits)
FLAT_LIGHT, SCAN_BLUR, SCAN_NOISE = 0.04, 0.7, 2.0
#: a blank scan's page size (a negative: nothing on the glass)
BLANK_PAGE = (1400, 990)
#: aim this much above the drawn cover, so rounding the frame to whole pixels keeps it
COVER_SLACK = 0.004


def quad_area(q: np.ndarray) -> float:
    """Area of a polygon given by its corners (shoelace formula).

    Examples
    --------
    >>> quad_area(np.array([[0, 0], [4, 0], [4, 3], [0, 3]]))
    12.0
    """
    x, y = np.asarray(q, np.float64).T
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2)


def _frame(quad: np.ndarray, margins: np.ndarray, m: float, cut_side: int | None, cut: float) -> np.ndarray:
    """(left, top, right, bottom) around ``quad`` at margin scale ``m``, one side cut ``cut`` into it."""
    lo, hi = quad.min(0), quad.max(0)
    box = np.array([lo[0], lo[1], hi[0], hi[1]]) + m * margins * [-1, -1, 1, 1]
    if cut_side is not None:
        box[cut_side] = (lo if cut_side < 2 else hi)[cut_side % 2] + cut * (1 if cut_side < 2 else -1)
    return box


def _coverage(quad: np.ndarray, box: np.ndarray) -> float:
    w, h = box[2] - box[0], box[3] - box[1]
    visible = clip_quad(quad - box[:2], w, h)
    return quad_area(visible) / (w * h) if visible is not None else 0.0


def _fit_margins(quad, margins, cut_side, cut, cover: float) -> float:
    """The margin scale at which the document's visible part covers ``cover`` of the frame."""
    if _coverage(quad, _frame(quad, margins, 0.0, cut_side, cut)) <= cover:
        return 0.0
    lo, hi = 0.0, float(np.ptp(quad, axis=0).max())
    for _ in range(40):  # coverage falls as the margins grow
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _coverage(quad, _frame(quad, margins, mid, cut_side, cut)) > cover else (lo, mid)
    return lo


def _bed_edge(img: np.ndarray, rng: np.random.Generator, side: int, width: int) -> None:
    """Darken a strip ``width`` px wide along ``side`` (0 left, 1 top, 2 right, 3 bottom), darkest at the edge."""
    ramp = np.linspace(0.0, 1.0, width, dtype=np.float32) ** rng.uniform(1.5, 3.0)
    dark = rng.uniform(15, 60)
    strip = img[:, :width] if side == 0 else img[:width] if side == 1 else img[:, -width:] if side == 2 else img[-width:]
    r = ramp if side in (0, 1) else ramp[::-1]
    r = r[None, :, None] if side in (0, 2) else r[:, None, None]
    strip[...] = (dark + (strip.astype(np.float32) - dark) * r).astype(np.uint8)


def _lid_shadow(img: np.ndarray, rng: np.random.Generator, side: int) -> np.ndarray:
    """A soft shadow band along ``side``: the lid not quite closed."""
    h, w = img.shape[:2]
    n = w if side in (0, 2) else h
    width = max(2, int(rng.uniform(*LID_SHADOW_WIDTH) * n))
    d = np.arange(n, dtype=np.float32)
    d = d if side in (0, 1) else d[::-1]
    gain = 1.0 - rng.uniform(*LID_SHADOW) * np.clip(1 - d / width, 0, 1) ** 2
    gain = np.broadcast_to(gain[None, :] if side in (0, 2) else gain[:, None], (h, w))
    return cv2.multiply(img, cv2.merge([gain, gain, gain]), dtype=cv2.CV_8U)


def compose_scan(rng: np.random.Generator, docs: list[Rendered], o: "SceneOptions") -> Shot:
    """The first document scanned full-frame (see the module docstring); no document: a blank scan."""
    doc = docs[0] if docs else None
    dh, dw = doc.image.shape[:2] if doc is not None else BLANK_PAGE[::-1]
    angle = rng.uniform(-SKEW_DEG, SKEW_DEG)
    if rng.random() < o.right_angle_rate:
        angle += float(rng.choice([90, 180, 270]))
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    quad = (np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float64) - [dw / 2, dh / 2]) @ rot.T
    cut_side, cut = None, 0.0
    if doc is not None and rng.random() < CUT_RATE:
        cut_side = int(rng.integers(4))
        axis = cut_side % 2
        coords = np.sort(quad[:, axis])
        # deeper than the skew's step, so the frame crosses two opposite sides and the visible part keeps 4 corners
        step = coords[1] - coords[0] if cut_side < 2 else coords[3] - coords[2]
        cut = step + rng.uniform(*CUT_DEPTH) * np.ptp(quad[:, axis])
    margins = rng.uniform(0.2, 1.0, 4)
    m = _fit_margins(quad, margins, cut_side, cut, min(1.0, rng.uniform(*o.fullframe_cover) + COVER_SLACK))
    box = _frame(quad, margins, m, cut_side, cut)
    long_side = o.size * rng.uniform(*SCAN_SIZE)
    s = min(long_side / max(box[2] - box[0], box[3] - box[1]), MAX_ENLARGE)
    W, H = max(16, round((box[2] - box[0]) * s)), max(16, round((box[3] - box[1]) * s))
    img = scanner_bed(rng, W, H)
    placed = []
    if doc is not None:
        # document px -> centred -> turned and scaled -> frame px
        centre = np.array([[1, 0, -dw / 2], [0, 1, -dh / 2], [0, 0, 1]])
        turn = np.array([[rot[0, 0] * s, rot[0, 1] * s, -box[0] * s], [rot[1, 0] * s, rot[1, 1] * s, -box[1] * s], [0, 0, 1]])
        shadow = rng.uniform(*EDGE_SHADOW) if rng.random() < EDGE_SHADOW_RATE else 0.0
        p = paste_document(img, doc, turn @ centre, rng, tint=paper_tint(rng, (0.96, 1.03)), shadow=shadow,
                           shadow_offset=(1, 3), shadow_blur=1.2)
        visible = clip_quad(p.quad, W - 1, H - 1)
        placed.append(Placed(doc, visible if visible is not None else p.quad, p.footprint))
    # the bed's edge lies beyond the glass, in the widest margin; the lid's shadow may fall anywhere
    gaps = [(box[0] - quad[:, 0].min()) * -s, (box[1] - quad[:, 1].min()) * -s,
            (box[2] - quad[:, 0].max()) * s, (box[3] - quad[:, 1].max()) * s]
    side = int(np.argmax(gaps))
    if rng.random() < BED_EDGE_RATE and gaps[side] >= 3:
        _bed_edge(img, rng, side, max(2, int(gaps[side] * rng.uniform(0.4, 0.9))))
    if rng.random() < LID_SHADOW_RATE:
        img = _lid_shadow(img, rng, int(rng.integers(4)))
    if rng.random() < GREY_RATE:
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    flat = replace(o, lighting=min(o.lighting, FLAT_LIGHT), glare_rate=0.0, blur=min(o.blur, SCAN_BLUR), motion_blur=0,
                   noise=min(o.noise, SCAN_NOISE))
    return Shot(img, placed, flat, 1.0, o.jpeg_quality)
