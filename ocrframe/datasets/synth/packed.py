"""Packed receipts: small receipts side by side on a white sheet, photographed (an expense claim).

The receipts are laid out in rows on the sheet in millimetres: touching, a few
millimetres apart or slightly overlapping, some turned by 90 degrees, each tilted a
little. White receipts on a white or off-white sheet leave only faint edges. The sheet is
then photographed: perspective, a tilt, a desk around it, a hand's shadow, uneven light.
Each receipt is pasted by one homography, sheet-to-scene times receipt-to-sheet, so its
quad is exact.

Examples
--------
>>> import random
>>> import numpy as np
>>> from ocrframe.types import DocType
>>> from ocrframe.datasets.synth.compose import Rendered
>>> from ocrframe.datasets.synth.scene import SceneOptions
>>> doc = Rendered(DocType.TAXI_INVOICE, {}, np.full((760, 420, 3), 250, np.uint8), None)
>>> shot = compose_packed(np.random.default_rng(0), [doc] * 5, SceneOptions(size=800))
>>> len(shot.placed), shot.image.shape[1] in (600, 800)
(5, True)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .backgrounds import background, distractors
from .compose import PHYSICAL_WIDTH_MM, Rendered, Shot, cast_shadow, paper_tint, paste, paste_document
from .fonts import font

if TYPE_CHECKING:  # pragma: no cover
    from .scene import SceneOptions

__all__ = ["compose_packed"]

#: gaps between neighbouring receipts in mm, per sheet: (range, weight); negative gaps overlap
GAPS_MM = (((-0.6, 0.6), 0.4), ((0.8, 3.0), 0.35), ((-4.0, -0.6), 0.25))
#: share of receipts laid at 90 or 270 degrees; share of sheets where all of them are
TURN_RATE, ALL_TURNED_RATE = 0.25, 0.15
#: each receipt's own tilt (degrees) and vertical jitter in its row (mm)
TILT_DEG, JITTER_MM = 2.0, 1.5
#: sheet margins around the receipts, in mm
MARGIN_MM = (5.0, 30.0)
#: white and off-white sheets (receipt paper is about (250, 250, 247))
SHEET_COLOURS = ((251, 251, 249), (247, 247, 243), (242, 240, 232), (238, 238, 238), (245, 243, 236))
#: share of sheets printed as a voucher form (border, title, signature line)
FORM_RATE = 0.5
FORM_TITLES = ("票据粘贴单", "报销单据粘贴单", "原始凭证粘贴单", "费用报销粘贴单")
#: the sheet's size relative to the largest that fits the frame; its tilt in degrees
FILL, SHEET_TILT_DEG = (0.82, 1.04), 5.0
#: share of sheets photographed upside down
UPSIDE_DOWN_RATE = 0.08
#: receipts' brightness relative to their printed paper: close to the sheet's, low contrast
RECEIPT_BRIGHTNESS = (0.95, 1.02)
#: a receipt's thin shadow on the sheet: chance, darkness range
RECEIPT_SHADOW_RATE, RECEIPT_SHADOW = 0.5, (0.08, 0.3)
#: share of photos with a hand's or phone's shadow across them
HAND_SHADOW_RATE = 0.4
#: tries at photographing the sheet, each this much smaller, until every receipt is in frame
SHEET_ATTEMPTS, SHEET_SHRINK = 60, 0.94


def _rows(sizes: list[tuple[float, float]], aspect: float) -> list[list[int]]:
    """Split receipts (footprints in mm, in order) into rows whose block is closest to ``aspect``."""
    k = len(sizes)
    best, best_score = [list(range(k))], math.inf
    for r in range(1, k + 1):
        per = -(-k // r)
        rows = [list(range(i, min(k, i + per))) for i in range(0, k, per)]
        width = max(sum(sizes[i][0] for i in row) for row in rows)
        height = sum(max(sizes[i][1] for i in row) for row in rows)
        score = abs(math.log(width / height / aspect))
        if score < best_score:
            best, best_score = rows, score
    return best


def _layout(rng: np.random.Generator, docs: list[Rendered], aspect: float):
    """Angles and centres in mm of each receipt on the sheet, and the block's (width, height)."""
    all_turned = rng.random() < ALL_TURNED_RATE
    angles, sizes = [], []
    for d in docs:
        dh, dw = d.image.shape[:2]
        w_mm = PHYSICAL_WIDTH_MM[d.type]
        h_mm = w_mm * dh / dw
        turn = float(rng.choice([90, 270])) if (all_turned or rng.random() < TURN_RATE) else 0.0
        angles.append(turn + rng.uniform(-TILT_DEG, TILT_DEG))
        sizes.append((h_mm, w_mm) if turn else (w_mm, h_mm))
    ranges, weights = zip(*GAPS_MM)
    gap = ranges[rng.choice(len(ranges), p=np.array(weights) / sum(weights))]
    align = rng.uniform(0, 1)  # 0: rows aligned at the top, 1: at the bottom
    centres = [None] * len(docs)
    y, width = 0.0, 0.0
    for row in _rows(sizes, aspect):
        row_h = max(sizes[i][1] for i in row)
        x = 0.0
        for n, i in enumerate(row):
            if n:
                x += rng.uniform(*gap)
            w, h = sizes[i]
            cy = y + align * (row_h - h) + h / 2 + rng.uniform(-JITTER_MM, JITTER_MM)
            centres[i] = (x + w / 2, cy)
            x += w
        width = max(width, x)
        y += row_h + rng.uniform(*gap)
    return angles, np.array(centres, np.float64), (width, y)


def _sheet_image(rng: np.random.Generator, size: tuple[int, int], ppm: float, margins) -> np.ndarray:
    """The blank sheet at ``ppm`` pixels per mm, sometimes printed as a voucher form."""
    w, h = size
    colour = np.array(SHEET_COLOURS[rng.integers(len(SHEET_COLOURS))], np.int16)
    grain = rng.integers(-3, 4, (max(2, h // 4), max(2, w // 4)), dtype=np.int16)
    sheet = (colour + cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR)[..., None]).clip(0, 255).astype(np.uint8)
    if rng.random() >= FORM_RATE:
        return sheet
    left, top, right, bottom = margins
    im = Image.fromarray(sheet)
    draw = ImageDraw.Draw(im)
    ink = tuple(int(v) for v in rng.choice([[70, 90, 150], [60, 60, 60], [150, 60, 60]]))
    inset = [min(m * 0.4, 6.0) * ppm for m in margins]
    draw.rectangle((inset[0], inset[1], w - inset[2], h - inset[3]), outline=ink, width=max(1, round(0.3 * ppm)))
    if top >= 12:
        size = int(min(0.45 * top, 9.0) * ppm)
        draw.text((w / 2, (top * 0.55) * ppm), str(rng.choice(FORM_TITLES)), font=font("hei", size), fill=ink,
                  anchor="mm")
    if bottom >= 12:
        size = int(min(0.3 * bottom, 4.5) * ppm)
        draw.text((w * 0.15, h - bottom * 0.5 * ppm), "报销人：          日期：      年    月    日",
                  font=font("sans", size), fill=ink, anchor="lm")
    return np.asarray(im)


def _sheet_homography(rng, sheet_wh, W, H, persp: float) -> np.ndarray:
    """Sheet pixels -> scene pixels: scaled to the frame, tilted, in perspective, off centre."""
    sw, sh = sheet_wh
    fit = min(W / sw, H / sh) * rng.uniform(*FILL)
    angle = rng.uniform(-SHEET_TILT_DEG, SHEET_TILT_DEG) + (180.0 if rng.random() < UPSIDE_DOWN_RATE else 0.0)
    corners = np.array([[-sw / 2, -sh / 2], [sw / 2, -sh / 2], [sw / 2, sh / 2], [-sw / 2, sh / 2]]) * fit
    corners = corners + rng.uniform(-persp, persp, (4, 2)) * [sw * fit, sh * fit]
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    centre = np.array([W / 2, H / 2]) + rng.uniform(-0.04, 0.04, 2) * [W, H]
    dst = corners @ rot.T + centre
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32)).astype(np.float64)


def _receipt_to_sheet(doc: Rendered, angle: float, centre, ppm: float) -> np.ndarray:
    """Receipt pixels -> sheet pixels: scaled to its physical size, turned, moved to ``centre`` (mm)."""
    dh, dw = doc.image.shape[:2]
    s = PHYSICAL_WIDTH_MM[doc.type] / dw * ppm
    a = math.radians(angle)
    c, si = math.cos(a) * s, math.sin(a) * s
    cx, cy = centre[0] * ppm, centre[1] * ppm
    # rotate and scale about the receipt's centre, then move that centre to (cx, cy)
    return np.array([[c, -si, cx - c * dw / 2 + si * dh / 2], [si, c, cy - si * dw / 2 - c * dh / 2], [0, 0, 1]])


def _in_frame(quads, W: int, H: int, pad: float = 4.0) -> bool:
    q = np.concatenate(quads)
    return bool((q >= pad).all() and (q[:, 0] <= W - 1 - pad).all() and (q[:, 1] <= H - 1 - pad).all())


def compose_packed(rng: np.random.Generator, docs: list[Rendered], o: "SceneOptions") -> Shot:
    """Receipts packed on a sheet, photographed (see the module docstring); no receipts: a blank sheet."""
    portrait = rng.random() < 0.5
    if docs:
        angles, centres, block = _layout(rng, docs, 4 / 3)
        portrait = block[1] > block[0]
        if portrait:  # lay out again for a portrait frame
            angles, centres, block = _layout(rng, docs, 3 / 4)
    else:
        angles, centres, block = [], np.zeros((0, 2)), (180.0, 250.0) if portrait else (250.0, 180.0)
    W, H = (o.size * 3 // 4, o.size) if portrait else (o.size, o.size * 3 // 4)
    img = background(rng, W, H, o.background)
    if rng.random() < o.distractor_rate:
        distractors(rng, img, int(rng.integers(1, 4)))
    margins = rng.uniform(*MARGIN_MM, 4)  # left, top, right, bottom
    sheet_mm = (block[0] + margins[0] + margins[2], block[1] + margins[1] + margins[3])
    ppm = min(W / sheet_mm[0], H / sheet_mm[1])
    sheet_px = (max(8, round(sheet_mm[0] * ppm)), max(8, round(sheet_mm[1] * ppm)))
    sheet = _sheet_image(rng, sheet_px, ppm, margins)
    to_sheet = [_receipt_to_sheet(d, a, c + margins[:2], ppm) for d, a, c in zip(docs, angles, centres)]
    corners = [np.array([[[0, 0], [d.image.shape[1], 0], [d.image.shape[1], d.image.shape[0]], [0, d.image.shape[0]]]],
                        np.float64) for d in docs]
    persp = 1.5 * o.perspective
    for attempt in range(SHEET_ATTEMPTS):  # smaller and smaller about the centre until every receipt is in frame
        k = SHEET_SHRINK ** attempt
        Hs = np.array([[k, 0, W / 2 * (1 - k)], [0, k, H / 2 * (1 - k)], [0, 0, 1]]) @ _sheet_homography(
            rng, sheet_px, W, H, persp)
        quads = [cv2.perspectiveTransform(c, Hs @ A)[0] for c, A in zip(corners, to_sheet)]
        if not quads or _in_frame(quads, W, H):
            break
    sheet_box = cv2.perspectiveTransform(np.array([[[0, 0], [sheet_px[0], 0], [sheet_px[0], sheet_px[1]], [0, sheet_px[1]]]],
                                                  np.float64), Hs)[0]
    shadow = rng.uniform(0.2, 0.45) if rng.random() < o.shadow_rate else 0.0
    paste(img, sheet, None, Hs, (*sheet_box.min(0), *sheet_box.max(0)), shadow, rng)
    placed = []
    for d, A in zip(docs, to_sheet):
        shadow = rng.uniform(*RECEIPT_SHADOW) if rng.random() < RECEIPT_SHADOW_RATE else 0.0
        placed.append(paste_document(img, d, Hs @ A, rng, tint=paper_tint(rng, RECEIPT_BRIGHTNESS), shadow=shadow,
                                     shadow_offset=(1, 3), shadow_blur=1.5))
    if rng.random() < HAND_SHADOW_RATE:
        img = cast_shadow(img, rng)
    return Shot(img, placed, o, None, o.jpeg_quality)
