"""Procedural scene backgrounds (wood desk, table top, paper, cloth...) and distractor objects.

The plain kinds are computed at a quarter of the resolution and upscaled, so a 1600 px
background costs a few milliseconds. The textured kinds (dark wood, granite, patterned
fabric, keyboard, desk clutter) keep fine detail at full resolution: strong texture, often
near the documents' own colours. The result depends only on the generator passed in.

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

__all__ = ["KINDS", "TEXTURED", "CHOICES", "background", "distractors", "scanner_bed"]

#: the plain kinds, drawn by ``"mixed"``
KINDS = ("wood", "table", "paper", "cloth", "dark")
#: strongly textured kinds, drawn by ``"textured"``
TEXTURED = ("darkwood", "granite", "fabric", "keyboard", "clutter")
#: every accepted ``kind``: one of the kinds, or a random one of a group
CHOICES = KINDS + TEXTURED + ("mixed", "textured")


def _smooth_noise(rng: np.random.Generator, w: int, h: int, cells: int) -> np.ndarray:
    """Value noise in [0, 1]: a coarse random grid, bicubically upscaled."""
    g = rng.random((max(2, cells * h // max(w, 1)) + 1, cells + 1)).astype(np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def background(rng: np.random.Generator, w: int, h: int, kind: str | None = None) -> np.ndarray:
    """An (h, w, 3) uint8 RGB background of ``kind`` (one of :data:`CHOICES`; None: ``"mixed"``)."""
    if kind is None or kind == "mixed":
        kind = KINDS[rng.integers(len(KINDS))]
    elif kind == "textured":
        kind = TEXTURED[rng.integers(len(TEXTURED))]
    if kind in TEXTURED:
        return _TEXTURED[kind](rng, w, h)
    if kind not in KINDS:
        raise ValueError(f"unknown background {kind!r}; choose from {', '.join(CHOICES)}")
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


# --- textured backgrounds ------------------------------------------------------------------------

def _upscale(img: np.ndarray, w: int, h: int) -> np.ndarray:
    return cv2.resize(img.clip(0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)


def _darkwood(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Dark stained wood: tight grain streaks, rings and plank seams, at half resolution."""
    sw, sh = max(8, w // 2), max(8, h // 2)
    base = np.array(rng.choice([[70, 45, 30], [52, 34, 24], [88, 58, 38], [40, 30, 26], [62, 40, 34]]), np.float32)
    slow = _smooth_noise(rng, sw, sh, 4)
    # grain: noise stretched along x (the planks), fine across y
    streak = cv2.resize(rng.random((sh, max(2, sw // 24))).astype(np.float32), (sw, sh), interpolation=cv2.INTER_CUBIC)
    yy = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
    rings = np.sin(2 * np.pi * (yy * rng.uniform(12, 30) + 1.6 * slow))
    shade = 0.78 + 0.14 * rings + 0.45 * (streak - 0.5) + 0.2 * (slow - 0.5)
    planks = int(rng.integers(3, 7))
    seam = np.abs(((yy * planks + 0.5) % 1.0) - 0.5) > 0.49
    shade = np.where(seam, shade * 0.45, shade)
    img = base * shade[..., None]
    if rng.random() < 0.5:
        img = cv2.resize(np.ascontiguousarray(img.transpose(1, 0, 2)), (sw, sh))
    return _upscale(img, w, h)


#: granite palettes: base, dark, light and middle speck colours
_GRANITE = (
    ((150, 150, 150), (40, 40, 45), (235, 235, 230), (110, 105, 100)),
    ((35, 35, 38), (12, 12, 14), (205, 195, 170), (75, 75, 80)),
    ((200, 186, 162), (85, 68, 58), (246, 242, 232), (168, 140, 118)),
    ((188, 150, 140), (60, 50, 50), (240, 232, 226), (150, 110, 100)),
    ((215, 215, 212), (95, 95, 100), (250, 250, 248), (175, 175, 172)),
)


def _granite(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Speckled stone: specks of three colours at three grain sizes over a cloudy base."""
    palette = np.array(_GRANITE[rng.integers(len(_GRANITE))], np.float32)
    img = palette[0] * (0.88 + 0.22 * _smooth_noise(rng, w, h, 8))[..., None]
    code = np.zeros((h, w), np.uint8)  # 0: the base, 1-3: a dark, light or middle speck
    for grain, density in ((1, 1.0), (2, 0.8), (4, 0.5)):
        gh, gw = max(2, h // grain), max(2, w // grain)
        r = cv2.resize(rng.integers(0, 256, (gh, gw), dtype=np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
        start = 0.0
        for k, share in ((1, 0.07), (2, 0.05), (3, 0.12)):
            lo, hi = int(start * 256), int((start + share * density) * 256)
            code = cv2.max(code, cv2.bitwise_and(cv2.inRange(r, lo, hi - 1), k))
            start += share * density
    lut = np.zeros((1, 256, 3), np.uint8)
    lut[0, :4] = palette.clip(0, 255)
    specks = cv2.LUT(cv2.merge([code, code, code]), lut)
    weight = (code > 0).astype(np.float32)
    img = cv2.blendLinear(specks, img.clip(0, 255).astype(np.uint8), weight, 1.0 - weight)
    return cv2.GaussianBlur(img, (0, 0), 0.7)


#: fabric colours, several of them as light as paper or as blue as an ID card's print
_FABRIC = ((245, 240, 225), (250, 250, 250), (200, 220, 240), (40, 60, 110), (150, 30, 40), (60, 100, 70),
           (230, 200, 150), (30, 30, 35), (120, 120, 130), (210, 160, 170))


def _fabric(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Patterned cloth: tartan, diagonal stripes or dots, with a weave and soft folds."""
    sw, sh = max(8, w // 2), max(8, h // 2)
    pal = np.array([_FABRIC[i] for i in rng.choice(len(_FABRIC), 3, replace=False)], np.float32)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    period = rng.uniform(20, 70)
    pattern = int(rng.integers(3))
    if pattern == 0:  # tartan: coloured bands across and along, averaged where they cross
        bands = rng.integers(0, 3, 8)
        widths = np.cumsum(rng.uniform(0.5, 2.0, 8))
        edges = widths / widths[-1]
        bx = bands[np.searchsorted(edges, (xx[0] / period) % 1.0, side="right").clip(0, 7)]
        by = bands[np.searchsorted(edges, (yy[:, 0] / period) % 1.0, side="right").clip(0, 7)]
        img = 0.5 * (pal[bx][None, :, :] + pal[by][:, None, :])
    elif pattern == 1:  # diagonal stripes
        a = rng.uniform(0, np.pi)
        t = ((xx * np.cos(a) + yy * np.sin(a)) / period) % 1.0
        img = np.where((t < rng.uniform(0.3, 0.6))[..., None], pal[0], pal[1])
    else:  # dots on a ground
        cx, cy = (xx / period) % 1.0 - 0.5, (yy / period) % 1.0 - 0.5
        img = np.where((np.hypot(cx, cy) < rng.uniform(0.15, 0.35))[..., None], pal[1], pal[0])
    weave = 1.0 + 0.06 * np.sin(xx * 2.2) * np.sin(yy * 2.2)
    folds = 0.85 + 0.25 * _smooth_noise(rng, sw, sh, 6)
    return _upscale(img * (weave * folds)[..., None], w, h)


def _keyboard(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk with a keyboard across part of it: rows of keys with letters, tilted."""
    import string

    img = background(rng, w, h, str(rng.choice(["table", "wood", "dark", "darkwood"])))
    light = rng.random() < 0.4
    body, key, ink = ((200, 200, 205), (238, 238, 236), (70, 70, 75)) if light else ((28, 28, 30), (48, 48, 52), (205, 205, 205))
    k = int(rng.uniform(0.045, 0.07) * max(w, h))
    gap = max(2, k // 8)
    cols, rows = int(rng.integers(13, 17)), int(rng.integers(5, 7))
    kw, kh = cols * (k + gap) + gap, rows * (k + gap) + gap
    kb = np.empty((kh, kw, 3), np.uint8)
    kb[:] = body
    letters = string.ascii_uppercase + string.digits
    for r in range(rows):
        x = gap + int((r % 3) * k * 0.25)
        while x + k <= kw - gap:
            wide = k * 5 if (r == rows - 1 and cols // 3 * (k + gap) < x < cols // 2 * (k + gap)) else k
            wide = min(wide, kw - gap - x)
            y = gap + r * (k + gap)
            cv2.rectangle(kb, (x, y), (x + wide, y + k), key, -1, cv2.LINE_AA)
            cv2.rectangle(kb, (x, y), (x + wide, y + k), tuple(int(c * 0.8) for c in key), 1, cv2.LINE_AA)
            if wide == k:
                cv2.putText(kb, str(rng.choice(list(letters))), (x + k // 5, y + k // 2), cv2.FONT_HERSHEY_SIMPLEX,
                            k / 90, ink, max(1, k // 40), cv2.LINE_AA)
            x += wide + gap
    centre = (rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h)
    M = cv2.getRotationMatrix2D((kw / 2, kh / 2), float(rng.uniform(-25, 25)), 1.0)
    M[:, 2] += np.array(centre) - [kw / 2, kh / 2]
    warped = cv2.warpAffine(kb, M, (w, h), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(np.full((kh, kw), 255, np.uint8), M, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32) / 255
    return cv2.blendLinear(warped, img, alpha, 1.0 - alpha)


def _clutter(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A busy desk: many sheets, notes, pens, coins and cups, plus cables and a phone."""
    img = background(rng, w, h, str(rng.choice(["wood", "table", "darkwood"])))
    distractors(rng, img, int(rng.integers(6, 13)))
    for _ in range(int(rng.integers(1, 4))):  # cables
        pts = np.cumsum(rng.normal(0, 0.04 * max(w, h), (12, 2)), axis=0) + (rng.uniform(0, w), rng.uniform(0, h))
        colour = tuple(int(v) for v in rng.choice([[20, 20, 22], [235, 235, 235], [90, 90, 95]]))
        cv2.polylines(img, [pts.astype(np.int32)], False, colour, int(rng.integers(5, 12)), cv2.LINE_AA)
    if rng.random() < 0.7:  # a phone: dark slab with a lit or dark screen
        pw = int(rng.uniform(0.08, 0.12) * max(w, h))
        box = cv2.boxPoints(((rng.uniform(0, w), rng.uniform(0, h)), (pw, pw * 2.05), float(rng.uniform(0, 180))))
        cv2.fillConvexPoly(img, box.astype(np.int32), (18, 18, 20), cv2.LINE_AA)
        c = box.mean(0)
        screen = ((box - c) * 0.9 + c).astype(np.int32)
        cv2.fillConvexPoly(img, screen, tuple(int(v) for v in rng.choice([[30, 32, 40], [150, 180, 220]])), cv2.LINE_AA)
    return img


_TEXTURED = {"darkwood": _darkwood, "granite": _granite, "fabric": _fabric, "keyboard": _keyboard, "clutter": _clutter}


def scanner_bed(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A flatbed scanner's lid: flat white or grey with faint texture, or black (lid open).

    Examples
    --------
    >>> scanner_bed(np.random.default_rng(0), 64, 48).shape
    (48, 64, 3)
    """
    colour = np.array(rng.choice([[246, 246, 244], [238, 238, 236], [222, 224, 224], [250, 249, 245], [22, 22, 24]]),
                      np.float32)
    img = colour * (0.985 + 0.03 * _smooth_noise(rng, max(8, w // 4), max(8, h // 4), 6))[..., None]
    return _upscale(img, w, h)
