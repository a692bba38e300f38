"""How values get onto the paper, and how that goes wrong: misregistration, dot matrix, fading.

Most receipts and forms are printed twice: the form (title, labels, grid) by a press, the
values later by a small printer. Three faults of that second print are common on real
documents and are drawn here, on the layer of printed text only (never on the form, the
seals or the paper):

- **misregistration:** the sheet sits off in a dot-matrix or needle printer, so the whole
  value layer lands up to about half a line above or below, and a few characters left or
  right of, its boxes; values then sit on or across their labels;
- **dot-matrix glyphs:** characters made of separate round dots from a worn ribbon;
- **faded thermal print:** low-contrast grey text, fading unevenly over the slip, with
  light streaks where print-head dots failed and lighter bands where the paper slipped.

A layout says how its values are printed with a :class:`Printer` (how often each fault
shows, and how far a misregistered layer moves); for each document :func:`plan` draws a
:class:`PrintJob` and :func:`apply` prints the layer with it.

Examples
--------
>>> import random
>>> from PIL import Image, ImageDraw
>>> form = Image.new("RGB", (200, 80), (250, 250, 245))
>>> layer = Image.new("RGB", (200, 80), (255, 255, 255))
>>> ImageDraw.Draw(layer).rectangle((60, 30, 140, 50), fill=(0, 0, 0))
>>> job = plan(Printer(line_h=30, misregister_rate=1, fade_rate=1), random.Random(3))
>>> job.faded, job.misregistered
(True, True)
>>> out = apply(form, layer, job)
>>> out.size, 0 < int(np.asarray(out).min()) < 250
((200, 80), True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

__all__ = ["Printer", "PrintJob", "plan", "apply", "RIBBONS"]

#: ink colours of worn printer ribbons (black, purple, blue-black)
RIBBONS = ((38, 38, 44), (70, 52, 110), (36, 48, 92), (72, 72, 78))
#: a dot-matrix cell is printed where at least this share of it is ink
DOT_COVER = 0.3
#: faded thermal ink turns grey-brown: the share of each channel's ink that remains
THERMAL_TINT = (0.96, 0.97, 1.0)
#: pixels kept between a shifted value layer and the paper's edge
EDGE_MARGIN = 6


@dataclass(frozen=True)
class Printer:
    """How a layout's values are printed, and how often each print fault shows.

    Parameters
    ----------
    line_h : float, default 32
        The value lines' pitch in document pixels: the unit of misregistration.
    misregister_rate : float, default 0
        Share of documents whose value layer is printed off its boxes.
    misregister : float, default 0.5
        Largest vertical shift, in lines.
    misregister_x : float, default 1.2
        Largest horizontal shift, in lines (a line is about two CJK characters wide).
    dot_matrix_rate : float, default 0
        Share of documents whose values are dot-matrix glyphs.
    dot_pitch : (float, float), default (1.8, 2.5)
        Range of the dot pitch in document pixels.
    fade_rate : float, default 0
        Share of documents with faded thermal print.
    fade : (float, float), default (0.28, 0.7)
        Range of the ink contrast left by fading (1 = none lost).
    """

    line_h: float = 32.0
    misregister_rate: float = 0.0
    misregister: float = 0.5
    misregister_x: float = 1.2
    dot_matrix_rate: float = 0.0
    dot_pitch: tuple = (1.8, 2.5)
    fade_rate: float = 0.0
    fade: tuple = (0.28, 0.7)

    def __post_init__(self) -> None:
        for name in ("misregister_rate", "dot_matrix_rate", "fade_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"Printer.{name} must be a share in [0, 1], got {getattr(self, name)!r}")
        if not 0 < self.fade[0] <= self.fade[1] <= 1:
            raise ValueError(f"Printer.fade must be (low, high) in (0, 1], got {self.fade!r}")

    @property
    def can_fail(self) -> bool:
        """Whether any print fault can show."""
        return self.misregister_rate > 0 or self.dot_matrix_rate > 0 or self.fade_rate > 0


@dataclass(frozen=True)
class PrintJob:
    """The print faults of one document (see :func:`plan`)."""

    shift: tuple = (0.0, 0.0)  # wanted (dx, dy) of the value layer in pixels; kept on the paper
    dot_pitch: float = 0.0  # 0: solid glyphs
    ribbon: tuple = RIBBONS[0]
    fade: float = 1.0  # remaining contrast
    seed: int = 0

    @property
    def misregistered(self) -> bool:
        return self.shift != (0.0, 0.0)

    @property
    def faded(self) -> bool:
        return self.fade < 1.0


def plan(printer: Printer, rng: random.Random, scale: float = 1.0) -> PrintJob | None:
    """Draw the faults of one document; ``None`` when it prints cleanly.

    ``scale`` multiplies every rate (0 turns faults off; rates are capped at 1). A
    printer that cannot fail, or ``scale == 0``, takes no random draw.
    """
    if scale <= 0 or not printer.can_fail:
        return None
    mis = rng.random() < min(1.0, printer.misregister_rate * scale)
    dots = rng.random() < min(1.0, printer.dot_matrix_rate * scale)
    fade = rng.random() < min(1.0, printer.fade_rate * scale)
    if not (mis or dots or fade):
        return None
    shift = (0.0, 0.0)
    if mis:
        # at least a fifth of the largest shift vertically, so a misregistered print shows
        dy = rng.uniform(0.2, 1.0) * rng.choice((-1, 1)) * printer.misregister * printer.line_h
        dx = rng.uniform(-1.0, 1.0) * printer.misregister_x * printer.line_h
        shift = (round(dx, 1), round(dy, 1))
    pitch = rng.uniform(*printer.dot_pitch) if dots else 0.0
    ribbon = rng.choice(RIBBONS)
    contrast = rng.uniform(*printer.fade) if fade else 1.0
    return PrintJob(shift, pitch, ribbon, contrast, rng.getrandbits(32))


def _shifted(ink: np.ndarray, shift: tuple) -> np.ndarray:
    """``ink`` moved by ``shift``, limited so that the inked area stays on the paper."""
    h, w = ink.shape[:2]
    x, y, bw, bh = cv2.boundingRect(cv2.threshold(cv2.cvtColor(ink, cv2.COLOR_RGB2GRAY), 24, 255, cv2.THRESH_BINARY)[1])
    if not bw:
        return ink
    dx = min(max(int(round(shift[0])), EDGE_MARGIN - x), w - 1 - EDGE_MARGIN - (x + bw - 1))
    dy = min(max(int(round(shift[1])), EDGE_MARGIN - y), h - 1 - EDGE_MARGIN - (y + bh - 1))
    out = np.zeros_like(ink)
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = ink[max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
    return out


def _dots(ink: np.ndarray, pitch: float, ribbon: tuple, rng: np.random.Generator) -> np.ndarray:
    """Re-print the ink as round dots on a ``pitch`` grid, in the ribbon's colour."""
    h, w = ink.shape[:2]
    cover = cv2.cvtColor(ink, cv2.COLOR_RGB2GRAY)
    gh, gw = max(1, round(h / pitch)), max(1, round(w / pitch))
    cells = cv2.resize(cover, (gw, gh), interpolation=cv2.INTER_AREA).astype(np.float32) * (1 / 255.0)
    strength = (cells > DOT_COVER) * rng.uniform(0.55, 1.0, cells.shape).astype(np.float32)
    grid = np.zeros((h, w), np.float32)
    ys = np.minimum(((np.arange(gh) + 0.5) * h / gh).astype(int), h - 1)
    xs = np.minimum(((np.arange(gw) + 0.5) * w / gw).astype(int), w - 1)
    grid[np.ix_(ys, xs)] = strength
    r = max(1, int(round(pitch * 0.42)))
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    grid = cv2.GaussianBlur(grid, (0, 0), 0.6)
    return cv2.merge([cv2.convertScaleAbs(grid, alpha=255.0 - c) for c in ribbon])


def _fade(ink: np.ndarray, contrast: float, rng: np.random.Generator) -> np.ndarray:
    """Thermal fading: less and uneven ink, light streaks along the feed, lighter bands."""
    h, w = ink.shape[:2]
    coarse = rng.uniform(0.45, 1.0, (3, 5)).astype(np.float32)
    field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).clip(0.25, 1.0)
    cols = np.ones(w, np.float32)
    for _ in range(int(rng.integers(1, 6))):  # dead print-head dots: streaks along the feed
        x, wd = int(rng.integers(0, w)), int(rng.integers(1, 4))
        cols[x:x + wd] = rng.uniform(0.0, 0.35)
    rows = np.ones(h, np.float32)
    for _ in range(int(rng.integers(0, 4))):  # the paper slipped: lighter bands across
        y, hd = int(rng.integers(0, h)), int(rng.integers(3, 16))
        rows[y:y + hd] = rng.uniform(0.4, 0.8)
    gain = contrast * field * cols[None, :] * rows[:, None]
    return cv2.merge([cv2.multiply(ch, gain * t, dtype=cv2.CV_8U) for ch, t in zip(cv2.split(ink), THERMAL_TINT)])


def _rgb(im: Image.Image) -> np.ndarray:
    return np.asarray(im if im.mode == "RGB" else im.convert("RGB"))


def apply(form: Image.Image, layer: Image.Image, job: PrintJob) -> Image.Image:
    """Print ``layer`` (text on white) onto ``form`` with ``job``'s faults; a new image.

    The layer's ink is multiplied onto the form, as ink on paper: the form shows through.
    """
    ink = cv2.bitwise_not(_rgb(layer))
    if job.misregistered:
        ink = _shifted(ink, job.shift)
    rng = np.random.default_rng(job.seed)
    if job.dot_pitch:
        ink = _dots(ink, job.dot_pitch, job.ribbon, rng)
    if job.faded:
        ink = _fade(ink, job.fade, rng)
    out = cv2.multiply(_rgb(form), cv2.bitwise_not(ink), scale=1 / 255.0)
    return Image.fromarray(out)
