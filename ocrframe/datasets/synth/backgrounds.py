"""Procedural scene backgrounds (wood desk, table top, paper, cloth) and distractor objects.

Everything is computed at a quarter of the resolution and upscaled, so a 1600 px
background costs a few milliseconds; the result depends only on the generator passed in.

Examples
--------
>>> import numpy as np
>>> bg = background(np.random.default_rng(0), 320, 240, kind="wood")
>>> bg.shape, bg.dtype
((240, 320, 3), dtype('uint8'))
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["KINDS", "background", "distractors"]

KINDS = ("wood", "table", "paper", "cloth", "dark")


def _smooth_noise(rng: np.random.Generator, w: int, h: int, cells: int) -> np.ndarray:
    """Value noise in [0, 1]: a coarse random grid, bicubically upscaled."""
    g = rng.random((max(2, cells * h // max(w, 1)) + 1, cells + 1)).astype(np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def background(rng: np.random.Generator, w: int, h: int, kind: str | None = None) -> np.ndarray:
    """An (h, w, 3) uint8 RGB background of ``kind`` (random when None)."""
    if kind is None or kind == "mixed":
        kind = KINDS[rng.integers(len(KINDS))]
    if kind not in KINDS:
        raise ValueError(f"unknown background {kind!r}; choose from {', '.join(KINDS)} or 'mixed'")
    sw, sh = max(8, w // 4), max(8, h // 4)
    if kind == "wood":
        base = np.array(rng.choice([[150, 105, 65], [120, 80, 50], [185, 140, 95], [95, 65, 45]]), np.float32)
        slow = _smooth_noise(rng, sw, sh, 3)
        # streaks: random along y, nearly constant along x (the grain runs along the planks)
        streak = cv2.resize(rng.random((max(2, sh // 3), 5)).astype(np.float32), (sw, sh), interpolation=cv2.INTER_CUBIC)
        yy = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
        rings = np.sin(2 * np.pi * (yy * rng.uniform(8, 16) + 1.2 * slow + 0.25 * streak))
        shade = 0.86 + 0.07 * rings + 0.12 * (streak - 0.5)
        planks = int(rng.integers(3, 6))
        seam = (np.abs(((yy * planks) % 1.0) - 0.0) < 0.012) | (np.abs(((yy * planks) % 1.0) - 1.0) < 0.012)
        shade = np.where(seam, shade * 0.72, shade)
        img = base * shade[..., None]
        if rng.random() < 0.5:
            img = cv2.resize(np.ascontiguousarray(img.transpose(1, 0, 2)), (sw, sh))
    elif kind == "table":
        base = np.array(rng.choice([[225, 225, 220], [200, 205, 210], [170, 170, 165], [235, 230, 215], [60, 62, 66]]), np.float32)
        img = base * (0.94 + 0.08 * _smooth_noise(rng, sw, sh, 4))[..., None]
    elif kind == "paper":
        base = np.array(rng.choice([[240, 236, 225], [250, 250, 248], [225, 215, 195]]), np.float32)
        img = base * (0.95 + 0.05 * _smooth_noise(rng, sw, sh, 10))[..., None]
    elif kind == "cloth":
        base = np.array(rng.choice([[60, 90, 140], [120, 40, 50], [70, 110, 80], [90, 90, 95]]), np.float32)
        yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
        weave = (np.sin(xx * 1.9) * np.sin(yy * 1.9)) * 0.05
        img = base * (0.9 + weave + 0.15 * _smooth_noise(rng, sw, sh, 5))[..., None]
    else:  # dark
        base = np.array(rng.choice([[30, 30, 34], [45, 40, 38], [25, 35, 45]]), np.float32)
        img = base * (0.85 + 0.3 * _smooth_noise(rng, sw, sh, 5))[..., None]
    fine = rng.integers(-4, 5, (sh, sw), dtype=np.int16).astype(np.float32)
    img = img + fine[..., None]  # texture at the working scale; sensor noise comes later
    return cv2.resize(img.clip(0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)


def distractors(rng: np.random.Generator, img: np.ndarray, count: int) -> None:
    """Draw ``count`` non-document objects in place: blank sheets, sticky notes, pens, coins, cups."""
    h, w = img.shape[:2]
    for _ in range(count):
        kind = rng.choice(["sheet", "note", "pen", "coin", "cup", "scribble"])
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        if kind in ("sheet", "note"):
            sw = int(rng.uniform(0.15, 0.35) * w) if kind == "sheet" else int(rng.uniform(0.06, 0.1) * w)
            sh = int(sw * (1.41 if kind == "sheet" else 1.0))
            color = (245, 245, 240) if kind == "sheet" else tuple(int(v) for v in rng.choice([[250, 235, 120], [160, 220, 240], [250, 180, 200]]))
            box = cv2.boxPoints(((cx, cy), (sw, sh), float(rng.uniform(-30, 30)))).astype(np.int32)
            cv2.fillConvexPoly(img, box, color, lineType=cv2.LINE_AA)
            if kind == "sheet" and rng.random() < 0.6:  # ruled or handwritten-looking lines
                for k in range(int(rng.integers(3, 12))):
                    t = (k + 1) / 14
                    a = box[0] + (box[3] - box[0]) * t
                    b = box[1] + (box[2] - box[1]) * t
                    cv2.line(img, tuple(int(v) for v in a + (b - a) * 0.1), tuple(int(v) for v in a + (b - a) * rng.uniform(0.4, 0.9)),
                             (120, 120, 150), 2, cv2.LINE_AA)
        elif kind == "pen":
            length = int(rng.uniform(0.12, 0.25) * max(w, h))
            ang = rng.uniform(0, np.pi)
            p1 = (cx, cy)
            p2 = (int(cx + length * np.cos(ang)), int(cy + length * np.sin(ang)))
            color = tuple(int(v) for v in rng.choice([[20, 20, 30], [30, 60, 160], [180, 30, 30], [230, 230, 230]]))
            cv2.line(img, p1, p2, color, int(rng.integers(8, 16)), cv2.LINE_AA)
        elif kind == "coin":
            r = int(rng.uniform(0.012, 0.02) * w)
            cv2.circle(img, (cx, cy), r, (190, 175, 120), -1, cv2.LINE_AA)
            cv2.circle(img, (cx, cy), int(r * 0.8), (160, 145, 95), 2, cv2.LINE_AA)
        elif kind == "cup":
            r = int(rng.uniform(0.05, 0.08) * w)
            cv2.circle(img, (cx, cy), r, (235, 235, 235), -1, cv2.LINE_AA)
            cv2.circle(img, (cx, cy), int(r * 0.82), (80, 50, 35), -1, cv2.LINE_AA)
        else:
            pts = np.cumsum(rng.normal(0, 12, (30, 2)), axis=0) + (cx, cy)
            cv2.polylines(img, [pts.astype(np.int32)], False, (40, 40, 120), 2, cv2.LINE_AA)
