"""Red stamps on licences: the print under a stamp read without it, and the stamp's own text.

A licence's issuing authority is a red stamp printed over the labels and values of its
lower rows. Read as it is, the stamp's glyphs and the black print under them mix into
nonsense (``动热号安居YM4HFB`` for ``发动机号码 HYM4HFB`` under ``北京市公安局``). Red ink
and black print separate by colour:

* **red ink** (:func:`ink_mask`, the engine's one definition of it, which ``seal_mark``
  uses too) is measured by its *redness*, red minus the larger of green and blue: a
  difference of colour channels, so it lives in the chroma a JPEG file keeps at half
  resolution. A stroke's redness is thinned and spread by JPEG's 4:2:0 chroma, and real
  stamps are lighter, oranger or fainter than generated ones, so the thresholds are
  taken above the document's own paper level, and faint ink counts when it is joined to
  surely red ink (hysteresis); ink must be red rather than orange, brown or skin-toned,
  and ink joined to the crop's border is background (a hand, a table), not a stamp;
* in the **red channel** red ink is nearly as bright as the paper while black print stays
  dark, so the print under a stamp (the stamp's box grown to the whole lines crossing
  it) is read again from the red channel alone;
* the stamp's own text is read from an image where only red ink is dark
  (:func:`stamp_image`): the redness says *where* ink is red, the full-resolution
  luminance gives the strokes their sharp shape back.

Both reads cover only the stamp and the lines it touches, detected at 2x rather than
RapidOCR's own enlargement, so a stamped licence costs a fraction of a second pass and a
document without a stamp costs one colour mask. Which types are read this way is declared
by their extractors (``STAMPED``).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from .locate import Region
from .ocr import run_ocr
from .rectify import UprightCrop, upright_crop

__all__ = ["redness", "ink_mask", "find_stamps", "stamp_image", "count_stamps", "read_stamps"]

#: strips are detected at this enlargement (RapidOCR's own rule, shorter side to 736 px,
#: would be 4-8x for a strip: as accurate on generated licences, several times slower)
DET_SCALE = 2.0
#: redness above the paper's own level (its median) at which a pixel is surely stamp ink
INK_REDNESS = 40
#: ... and at which a pixel joined to sure ink still counts as ink: JPEG's 4:2:0 chroma
#: spreads a thin stroke's redness over its neighbours, leaving the stroke itself at about
#: half its redness (a generated stamp on a small licence: 35-60 as JPEG, 60-100 as PNG)
WEAK_REDNESS = 18
#: red ink is red, not orange, brown, skin or magenta: its green-blue imbalance stays
#: under this share of its redness (a hue within about 20 degrees of pure red, as the HSV
#: rule ``seal_mark`` used before); brown form print (150, 85, 45) and skin fail it
MAX_HUE_SKEW = 0.5
#: red ink's red channel is at least this bright (dark red-brown things are not stamps)
MIN_INK_RED = 90
#: a stamp is at least this many text-line heights wide and high
MIN_SIDE_LINES = 2.0
#: ... covers at most this share of the document
MAX_AREA_SHARE = 0.3
#: ... and its ink fills at most this share of its box (a solid red logo is not a stamp)
MAX_INK_FILL = 0.45
#: a closed red outline is a stamp from this many line heights each way (a round seal
#: on a receipt is about two of its large print's lines high) ...
MIN_RING_LINES = 1.5
#: ... when a hole inside it spans at least this share of its width and of its height
#: (a ring, its text along the inside included, not a blob)
MIN_RING_HOLE = 0.6
#: the stamp image's redness is sharpened by a guided filter on the luminance: its window
#: radius in pixels (JPEG's chroma is blurred over 2x2 blocks) ...
GUIDE_RADIUS = 1
#: ... and its regularisation (squared grey levels: how much luminance texture counts)
GUIDE_EPS = 30.0
#: the stamp image's full-strength redness: this percentile of its box's redness ...
STAMP_TOP_PERCENTILE = 97
#: ... where pixels above this share of the way from paper to full strength are the
#: stamp's sure ink, whose luminance is the ink's own darkness
SURE_INK_SHARE = 0.7
#: the least luminance step from paper to the stamp's ink (grey levels) the darkness is
#: scaled by, so faint noise on blank paper is not stretched into strokes
MIN_INK_CONTRAST = 20.0


def redness(rgb: np.ndarray) -> np.ndarray:
    """Red minus the larger of green and blue, per pixel (int16; ≤ 0 for grey and black).

    Examples
    --------
    >>> import numpy as np
    >>> redness(np.array([[[210, 40, 40], [20, 20, 20]]], np.uint8)).tolist()
    [[170, 0]]
    """
    a = rgb.astype(np.int16)
    return a[..., 0] - np.maximum(a[..., 1], a[..., 2])


def ink_mask(rgb: np.ndarray, *, clear_border: bool = True) -> np.ndarray:
    """Where an image holds red stamp ink: the engine's one definition of red ink.

    A pixel is ink when it is red (green and blue within ``MAX_HUE_SKEW`` of its redness of
    each other, red channel at least ``MIN_INK_RED``) and its redness exceeds the paper's
    (the image's median) by ``WEAK_REDNESS``, in a connected patch that somewhere exceeds
    it by ``INK_REDNESS``. With ``clear_border``, patches touching the image's border
    (a hand or a table around a cropped document) are not ink.

    Parameters
    ----------
    rgb : ndarray
        ``(H, W, 3)`` uint8 RGB image, mostly paper (an upright document crop).
    clear_border : bool, default True
        Drop ink patches that touch the border.

    Returns
    -------
    ndarray
        ``(H, W)`` bool.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.full((40, 60, 3), 240, np.uint8)
    >>> img[10:20, 10:30] = (235, 170, 165)    # faint red: ink only next to strong red
    >>> img[12:18, 12:16] = (215, 60, 55)      # strong red
    >>> img[25:35, 35:50] = (230, 120, 60)     # orange, not red
    >>> m = ink_mask(img)
    >>> int(m[10:20, 10:30].sum()), int(m[25:35, 35:50].sum())
    (200, 0)
    """
    a = rgb.astype(np.int16)
    r = a[..., 0] - np.maximum(a[..., 1], a[..., 2])
    paper = float(np.median(r[::2, ::2]))
    red = (np.abs(a[..., 1] - a[..., 2]) < MAX_HUE_SKEW * r) & (a[..., 0] >= MIN_INK_RED)
    weak = red & (r > paper + WEAK_REDNESS)
    if not weak.any():
        return weak
    n, lab = cv2.connectedComponents(weak.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[np.unique(lab[weak & (r > paper + INK_REDNESS)])] = True
    if clear_border:
        keep[np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))] = False
    keep[0] = False
    return keep[lab]


def _stamp_boxes(ink: np.ndarray, line_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the stamps in an ink mask (see :func:`find_stamps`)."""
    if ink.mean() < 1e-3:
        return []
    ink = ink.astype(np.uint8)
    k = max(3, int(round(0.5 * line_height)) | 1)
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    H, W = ink.shape
    out = []
    for x, y, w, h, _area in stats[1:n]:
        if min(w, h) < MIN_SIDE_LINES * line_height or w * h > MAX_AREA_SHARE * W * H:
            continue
        if ink[y:y + h, x:x + w].mean() > MAX_INK_FILL:
            continue
        out.append((int(x), int(y), int(x + w), int(y + h)))
    rings = [b for b in _ring_boxes(ink, line_height) if not any(_inside(b, o) for o in out)]
    return out + rings


def _inside(a, b) -> bool:
    """Whether box ``a`` lies (nearly) inside box ``b``."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter >= 0.8 * (a[2] - a[0]) * (a[3] - a[1])


def _ring_boxes(ink: np.ndarray, line_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes of closed red outlines (a seal's ring or frame) around a hole nearly as
    wide and high as themselves: stamps on a form printed in red ink, which joins every other stamp test's
    ink into one piece. An outline must span ``MIN_RING_LINES`` line heights each way
    (a ``0`` or a ``口`` is one) and cover at most ``MAX_AREA_SHARE`` of the image (the
    form's own frame)."""
    H, W = ink.shape
    closed = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # a thin ring JPEG broke, whole again
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    if hierarchy is None:
        return out
    for i, (_, _, child, parent) in enumerate(hierarchy[0]):
        if parent != -1 or child == -1:
            continue
        x, y, w, h = cv2.boundingRect(contours[i])
        if min(w, h) < MIN_RING_LINES * line_height or w * h > MAX_AREA_SHARE * W * H:
            continue
        j = child
        while j != -1:
            _, _, hw, hh = cv2.boundingRect(contours[j])
            if hw >= MIN_RING_HOLE * w and hh >= MIN_RING_HOLE * h:
                out.append((x, y, x + w, y + h))
                break
            j = hierarchy[0][j][0]
    return out


def find_stamps(rgb: np.ndarray, line_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of the red stamps of an upright document image.

    Red ink (:func:`ink_mask`) closer than about half a line height joins into one
    stamp; a box must span ``MIN_SIDE_LINES`` line heights each way, cover at most
    ``MAX_AREA_SHARE`` of the image and be at most ``MAX_INK_FILL`` ink.

    Examples
    --------
    >>> import numpy as np, cv2
    >>> img = np.full((300, 400, 3), 245, np.uint8)
    >>> _ = cv2.rectangle(img, (40, 150), (160, 260), (210, 40, 40), 3)
    >>> boxes = find_stamps(img, 20.0)
    >>> len(boxes), all(abs(a - b) <= 3 for a, b in zip(boxes[0], (40, 150, 161, 261)))
    (1, True)
    """
    return _stamp_boxes(ink_mask(rgb), line_height)


def _guided(guide: np.ndarray, src: np.ndarray, radius: int, eps: float) -> np.ndarray:
    """He et al.'s guided filter: ``src`` smoothed where ``guide`` is flat, following its edges."""
    k = (2 * radius + 1, 2 * radius + 1)

    def box(a):
        return cv2.boxFilter(a, -1, k, borderType=cv2.BORDER_REFLECT)

    mg, ms = box(guide), box(src)
    a = (box(guide * src) - mg * ms) / (box(guide * guide) - mg * mg + eps)
    b = ms - a * mg
    return box(a) * guide + box(b)


def stamp_image(rgb: np.ndarray) -> np.ndarray:
    """A stamp's own text dark on white, the print under it left out (grey, uint8).

    Where the ink is red comes from the redness, sharpened along the luminance's edges
    (a guided filter: JPEG keeps colour at half resolution); how dark a stroke is comes
    from the luminance, scaled so the stamp's sure ink is black. A pixel is as dark as
    the lesser of the two, so black print (dark but not red) and the colour halo around
    a stroke (red but paper-bright) both stay white.

    Parameters
    ----------
    rgb : ndarray
        ``(H, W, 3)`` uint8 RGB: a stamp's box with some paper around it.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.full((30, 40, 3), 245, np.uint8)
    >>> img[10:20, 5:15] = (215, 60, 55)      # red ink
    >>> img[10:20, 25:35] = (25, 25, 25)      # black print
    >>> g = stamp_image(img)
    >>> int(g[15, 10]) < 60, int(g[15, 30]) > 200, int(g[2, 2]) > 200
    (True, True, True)
    """
    a = rgb.astype(np.float32)
    lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    red = _guided(lum, a[..., 0] - np.maximum(a[..., 1], a[..., 2]), GUIDE_RADIUS, GUIDE_EPS)
    paper = float(np.median(red))
    top = max(float(np.percentile(red, STAMP_TOP_PERCENTILE)), paper + INK_REDNESS)
    where = np.clip((red - paper) / (top - paper), 0.0, 1.0)
    sure = red > paper + SURE_INK_SHARE * (top - paper)
    lum_paper = float(np.median(lum))
    lum_ink = float(np.median(lum[sure])) if sure.any() else lum_paper - 4 * MIN_INK_CONTRAST
    dark = np.clip((lum_paper - lum) / max(lum_paper - lum_ink, MIN_INK_CONTRAST), 0.0, 1.0)
    return (255.0 * (1.0 - np.minimum(where, dark))).astype(np.uint8)


_WORDY = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def _shifted(crop: UprightCrop, x0: int, y0: int, image: np.ndarray) -> UprightCrop:
    """A sub-image of an upright crop, as a crop of its own (the warp shifted by its origin)."""
    T = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]])
    return UprightCrop(image, T @ crop.M)


def _gray3(g: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(g[..., None], 3, axis=2))


def _red_ink(rgb: np.ndarray, ink: np.ndarray, q: np.ndarray) -> bool:
    """Whether the ink inside a line's box is mostly red (a stamp's own glyphs); ``ink``
    is the image's :func:`ink_mask`."""
    x0, y0 = np.floor(q.min(axis=0)).astype(int).clip(0)
    x1, y1 = np.ceil(q.max(axis=0)).astype(int)
    sub = rgb[y0:y1, x0:x1]
    if sub.size == 0:
        return False
    red = ink[y0:y1, x0:x1]
    dark = sub.min(axis=2).astype(np.int16) < np.median(sub.max(axis=2)) - 60
    ink = red | dark
    return bool(ink.any() and red.sum() > 0.6 * ink.sum())


#: a line read again from the red channel is the stamp's own glyphs, left grey there by
#: JPEG's blurred chroma, when its contrast in the red channel is under this share of
#: the median contrast of the document's lines away from the stamp (generated licences
#: as JPEG: stamp glyphs 30-35, the faintest print 55-85, print 95-135 grey levels)
GHOST_SHARE = 0.45


def _red_contrast(red: np.ndarray, q: np.ndarray) -> float:
    """How dark a line's strokes are in the red channel: its box's median (paper) less
    its 5th percentile (the strokes)."""
    x0, y0 = np.floor(q.min(axis=0)).astype(int).clip(0)
    x1, y1 = np.ceil(q.max(axis=0)).astype(int)
    sub = red[y0:y1, x0:x1]
    return float(np.median(sub) - np.percentile(sub, 5)) if sub.size else 0.0


def _ghost(red: np.ndarray, q: np.ndarray, contrast: float) -> bool:
    """Whether a line read from the red channel is a stamp's ghost (see ``GHOST_SHARE``)."""
    return _red_contrast(red, q) < GHOST_SHARE * contrast


def _reread_under(crop: UprightCrop, ink: np.ndarray, region: Region, lines_crop: list[np.ndarray], stamp,
                  h: float) -> None:
    """Read the print a stamp covers again from the red channel: the stamp's box grown
    to the whole lines crossing it. Old lines centred in that box give way to the new
    ones centred there (a new line overlapping a kept old one is a cut-off duplicate)."""
    x0, y0, x1, y1 = stamp
    cross = [q for q in lines_crop
             if q[:, 1].max() > y0 and q[:, 1].min() < y1 and q[:, 0].max() > x0 and q[:, 0].min() < x1]
    if not cross:
        return  # the stamp lies on blank paper
    lo, hi = min([y0] + [q[:, 1].min() for q in cross]), max([y1] + [q[:, 1].max() for q in cross])
    xl, xr = min([x0] + [q[:, 0].min() for q in cross]), max([x1] + [q[:, 0].max() for q in cross])
    Hc, Wc = crop.image.shape[:2]
    p = 0.5 * h
    b0, b1 = max(0, int(lo - p)), min(Hc, int(hi + p) + 1)
    c0, c1 = max(0, int(xl - p)), min(Wc, int(xr + p) + 1)
    strip = _shifted(crop, c0, b0, _gray3(crop.image[b0:b1, c0:c1, 0]))
    new = strip.to_image(run_ocr(strip.image, det_scale=DET_SCALE), region.direction)

    def inside(q):
        c = q.mean(axis=0)
        return xl <= c[0] <= xr and lo <= c[1] <= hi

    # the print's contrast in the red channel: the document's lines away from the stamp
    red = crop.image[..., 0]
    away = [q for q in lines_crop if not inside(q)] or [crop.to_crop(ln.quad) for ln in new]
    contrast = float(np.median([_red_contrast(red, q) for q in away])) if away else 0.0
    # with nothing read under it, only lines written in the stamp's own ink give way
    keep = [(ln, q) for ln, q in zip(region.lines, lines_crop)
            if not inside(q) or (not new and not _red_ink(crop.image, ink, q))]
    added = []
    for ln in new:
        q = crop.to_crop(ln.quad)
        if not inside(q) or not _WORDY.search(ln.text) or _ghost(red, q, contrast):
            continue  # cut off at the strip's edge, the faint rest of a stamp's star, or the
            # stamp's own glyphs (JPEG's blurred chroma leaves them grey in the red channel)
        dup = any(abs(q[:, 1].mean() - k[:, 1].mean()) < 0.5 * h
                  and min(q[:, 0].max(), k[:, 0].max()) - max(q[:, 0].min(), k[:, 0].min())
                  > 0.5 * (q[:, 0].max() - q[:, 0].min()) for _, k in keep)
        if not dup:
            added.append(ln)
    region.lines = [ln for ln, _ in keep] + added


#: with no text lines to measure, a document's line height is taken as this share of its
#: crop's shorter side (a card's rows are about a twentieth of its height)
LINE_SHARE = 0.05


def _stamps_of(img: np.ndarray, region: Region):
    """``(crop, ink mask, line height, stamp boxes)`` of a document, or None without a crop."""
    crop = upright_crop(img, region, pad=0.03)
    if crop is None:
        return None
    if region.lines:
        h = float(np.median([ln.height for ln in region.lines]))
    else:
        h = LINE_SHARE * min(crop.image.shape[:2])
    ink = ink_mask(crop.image)
    return crop, ink, h, _stamp_boxes(ink, h)


def count_stamps(img: np.ndarray, region: Region) -> int:
    """How many red stamps a located document holds (the contract's ``seal_mark``).

    Parameters
    ----------
    img : ndarray
        The whole RGB image.
    region : Region
        A located document.

    Examples
    --------
    >>> import numpy as np, cv2
    >>> from ocrframe.engine.locate import Region
    >>> img = np.full((300, 400, 3), 245, np.uint8)
    >>> doc = Region(np.array([[20., 20.], [380., 20.], [380., 280.], [20., 280.]]))
    >>> count_stamps(img, doc)
    0
    >>> _ = cv2.circle(img, (200, 150), 50, (210, 40, 40), 3)
    >>> count_stamps(img, doc)
    1
    """
    found = _stamps_of(img, region)
    return len(found[3]) if found else 0


def read_stamps(img: np.ndarray, region: Region) -> int:
    """Read a document's red stamps apart from its print; returns the number of stamps.

    The region's lines around a stamp (its box grown to the lines crossing it) are
    replaced by a red-channel reading of that part; when that reading finds nothing, only
    lines written in the stamp's own ink are dropped. The stamps' own text, read from
    :func:`stamp_image`, goes to ``region.stamp_lines``. Nothing changes when no stamp is
    found.

    Parameters
    ----------
    img : ndarray
        The whole RGB image.
    region : Region
        A located document (its lines are in image coordinates).

    Returns
    -------
    int
        How many stamps were read.
    """
    if not region.lines:
        return 0
    found = _stamps_of(img, region)
    if not found or not found[3]:
        return 0
    crop, ink, h, stamps = found
    Hc, Wc = crop.image.shape[:2]
    for x0, y0, x1, y1 in stamps:
        _reread_under(crop, ink, region, [crop.to_crop(ln.quad) for ln in region.lines], (x0, y0, x1, y1), h)
        p = int(0.3 * h)
        sx0, sy0, sx1, sy1 = max(0, x0 - p), max(0, y0 - p), min(Wc, x1 + p), min(Hc, y1 + p)
        own = _shifted(crop, sx0, sy0, _gray3(stamp_image(crop.image[sy0:sy1, sx0:sx1])))
        region.stamp_lines += own.to_image(run_ocr(own.image, det_scale=DET_SCALE), region.direction)
    return len(stamps)
