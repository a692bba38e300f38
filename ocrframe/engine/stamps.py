"""Red stamps on licences: the print under a stamp read without it, and the stamp's own text.

A licence's issuing authority is a red stamp printed over the labels and values of its
lower rows. Read as it is, the stamp's glyphs and the black print under them mix into
nonsense (``动热号安居YM4HFB`` for ``发动机号码 HYM4HFB`` under ``北京市公安局``). Red ink
and black print separate by colour:

* in the **red channel** red ink is nearly as bright as the paper while black print stays
  dark, so the print under a stamp (the stamp's box grown to the whole lines crossing
  it) is read again from the red channel alone;
* in the **redness** image (red minus the larger of green and blue) black print vanishes
  and only the stamp is left, so the stamp's own text is read from it.

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

__all__ = ["redness", "find_stamps", "read_stamps"]

#: strips are detected at this enlargement (RapidOCR's own rule, shorter side to 736 px,
#: would be 4-8x for a strip: as accurate on generated licences, several times slower)
DET_SCALE = 2.0
#: red minus max(green, blue) above which a pixel counts as stamp ink
INK_REDNESS = 45
#: a stamp is at least this many text-line heights wide and high
MIN_SIDE_LINES = 2.0
#: ... covers at most this share of the document
MAX_AREA_SHARE = 0.3
#: ... and its ink fills at most this share of its box (a solid red logo is not a stamp)
MAX_INK_FILL = 0.45


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


def find_stamps(rgb: np.ndarray, line_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of the red stamps of an upright document image.

    Ink closer than about half a line height joins into one stamp; a box must span
    ``MIN_SIDE_LINES`` line heights each way, cover at most ``MAX_AREA_SHARE`` of the
    image and be at most ``MAX_INK_FILL`` ink.

    Examples
    --------
    >>> import numpy as np, cv2
    >>> img = np.full((300, 400, 3), 245, np.uint8)
    >>> _ = cv2.rectangle(img, (40, 150), (160, 260), (210, 40, 40), 3)
    >>> boxes = find_stamps(img, 20.0)
    >>> len(boxes), all(abs(a - b) <= 3 for a, b in zip(boxes[0], (40, 150, 161, 261)))
    (1, True)
    """
    ink = ((redness(rgb) > INK_REDNESS) & (rgb[..., 0] > 90)).astype(np.uint8)
    if ink.mean() < 1e-3:
        return []
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
    return out


_WORDY = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def _shifted(crop: UprightCrop, x0: int, y0: int, image: np.ndarray) -> UprightCrop:
    """A sub-image of an upright crop, as a crop of its own (the warp shifted by its origin)."""
    T = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]])
    return UprightCrop(image, T @ crop.M)


def _gray3(g: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(g[..., None], 3, axis=2))


def _red_ink(rgb: np.ndarray, q: np.ndarray) -> bool:
    """Whether the ink inside a line's box is mostly red (a stamp's own glyphs)."""
    x0, y0 = np.floor(q.min(axis=0)).astype(int).clip(0)
    x1, y1 = np.ceil(q.max(axis=0)).astype(int)
    sub = rgb[y0:y1, x0:x1]
    if sub.size == 0:
        return False
    red = redness(sub) > INK_REDNESS
    dark = sub.min(axis=2).astype(np.int16) < np.median(sub.max(axis=2)) - 60
    ink = red | dark
    return bool(ink.any() and red.sum() > 0.6 * ink.sum())


def _reread_under(crop: UprightCrop, region: Region, lines_crop: list[np.ndarray], stamp, h: float) -> None:
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

    # with nothing read under it, only lines written in the stamp's own ink give way
    keep = [(ln, q) for ln, q in zip(region.lines, lines_crop)
            if not inside(q) or (not new and not _red_ink(crop.image, q))]
    added = []
    for ln in new:
        q = crop.to_crop(ln.quad)
        if not inside(q) or not _WORDY.search(ln.text):
            continue  # cut off at the strip's edge, or the faint rest of a stamp's star
        dup = any(abs(q[:, 1].mean() - k[:, 1].mean()) < 0.5 * h
                  and min(q[:, 0].max(), k[:, 0].max()) - max(q[:, 0].min(), k[:, 0].min())
                  > 0.5 * (q[:, 0].max() - q[:, 0].min()) for _, k in keep)
        if not dup:
            added.append(ln)
    region.lines = [ln for ln, _ in keep] + added


def read_stamps(img: np.ndarray, region: Region) -> int:
    """Read a document's red stamps apart from its print; returns the number of stamps.

    The region's lines around a stamp (its box grown to the lines crossing it) are
    replaced by a red-channel reading of that part; when that reading finds nothing, only
    lines written in the stamp's own ink are dropped. The stamps' own text goes to
    ``region.stamp_lines``. Nothing changes when no stamp is found.

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
    h = float(np.median([ln.height for ln in region.lines]))
    crop = upright_crop(img, region, pad=0.03)
    if crop is None:
        return 0
    stamps = find_stamps(crop.image, h)
    if not stamps:
        return 0
    Hc, Wc = crop.image.shape[:2]
    for x0, y0, x1, y1 in stamps:
        _reread_under(crop, region, [crop.to_crop(ln.quad) for ln in region.lines], (x0, y0, x1, y1), h)
        # the stamp alone: its redness, dark on white
        p = int(0.3 * h)
        sx0, sy0, sx1, sy1 = max(0, x0 - p), max(0, y0 - p), min(Wc, x1 + p), min(Hc, y1 + p)
        red = redness(crop.image[sy0:sy1, sx0:sx1])
        ink = np.clip(255.0 - 2.5 * np.clip(red, 0, None), 0, 255).astype(np.uint8)
        own = _shifted(crop, sx0, sy0, _gray3(ink))
        region.stamp_lines += own.to_image(run_ocr(own.image, det_scale=DET_SCALE), region.direction)
    return len(stamps)
