"""The detection resolution: the scale at which the detector sees an image (RapidOCR's
rule, or :func:`detect_adaptive` chosen from the image and its text height), and
RapidOCR's padding of very flat images.

Split from :mod:`ocrframe.engine.ocr` (which re-exports every public name).
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_SIDE", "rapidocr_scale", "detect_adaptive", "crop_scale"]

# -- detection (RapidOCR's defaults where not said otherwise) ---------------------------------
#: RapidOCR shrinks larger images to this longest side before anything else
MAX_SIDE = 2000
#: RapidOCR's detector enlarges images whose shorter side is below this
RAPIDOCR_MIN_DET_SIDE = 736
#: RapidOCR pads an image this flat (width / height), or this low, before detection
PAD_WIDTH_RATIO = 8
PAD_MIN_HEIGHT = 30


# ------------------------------------------------------------------------------ resolution
def rapidocr_scale(h: int, w: int) -> float:
    """RapidOCR's detection scale: longest side at most 2000 px, then shorter side at least 736 px.

    Examples
    --------
    >>> rapidocr_scale(1200, 1600), rapidocr_scale(3000, 4000), round(rapidocr_scale(500, 700), 3)
    (1.0, 0.5, 1.472)
    """
    s = min(1.0, MAX_SIDE / max(h, w))
    if min(h, w) * s < RAPIDOCR_MIN_DET_SIDE:
        s *= RAPIDOCR_MIN_DET_SIDE / (min(h, w) * s)
    return s


def crop_scale(crop_hw: tuple[int, int], image_hw: tuple[int, int], line_height: float,
               text_px: float) -> float | None:
    """The detection scale for a crop cut from an image already read (a turned document
    warped upright): RapidOCR's rule for the crop, but no larger than needed to make its
    text ``text_px`` detection pixels high, nor smaller than the scale the whole image
    was detected at (where this text was found). None means RapidOCR's own rule (also for
    ``text_px <= 0``, an unknown line height, or a crop RapidOCR would pad as too flat).

    RapidOCR enlarges an image until its shorter side is 736 px: for a small turned
    receipt cut from a photo that is 3-9x, and the detector's time grows with its square.

    Examples
    --------
    >>> crop_scale((150, 620), (1200, 1600), 15.0, 32.0)  # RapidOCR's rule: 4.9x
    2.1333333333333333
    >>> crop_scale((150, 620), (1200, 1600), 40.0, 32.0)  # never below the image's own scale
    1.0
    >>> crop_scale((900, 1200), (1200, 1600), 15.0, 32.0) is None  # RapidOCR's 1.0 is no larger
    True
    """
    h, w = crop_hw
    if text_px <= 0 or line_height <= 0 or h <= PAD_MIN_HEIGHT or w / h > PAD_WIDTH_RATIO:
        return None
    cap = max(rapidocr_scale(*image_hw), text_px / line_height)
    own = rapidocr_scale(h, w)
    return cap if own > cap else None


#: the adaptive rule first detects large images at this longest side ...
PROBE_SIDE = 1024
#: ... and keeps that pass when RapidOCR's rule would detect at least this much larger
PROBE_MIN_GAIN = 1.5
#: ... and the probe's lines are this tall (10th percentile, detection pixels) or taller
PROBE_MIN_TEXT_PX = 16
#: a probe with fewer lines than this says nothing about the text height
PROBE_MIN_LINES = 5


def _box_heights(boxes: np.ndarray) -> np.ndarray:
    """Each box's extent across its longer side (a line's text height), in its own pixels."""
    a = np.linalg.norm(boxes[:, 1] - boxes[:, 0], axis=1)
    b = np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1)
    return np.minimum(a, b)


def detect_adaptive(eng, img: np.ndarray) -> tuple[np.ndarray, float]:
    """Detection at a resolution chosen from the image and its text height.

    Small and middle-sized images are detected at RapidOCR's scale. A large one (RapidOCR
    would detect it at more than ``PROBE_MIN_GAIN`` x ``PROBE_SIDE`` px) is first detected
    at ``PROBE_SIDE``; when that pass finds enough lines whose text is tall enough there
    (10th percentile of line heights at least ``PROBE_MIN_TEXT_PX`` detection pixels), its
    boxes are kept; otherwise the image is detected again at RapidOCR's scale. Returns the
    boxes (image coordinates) and the scale they were found at.
    """
    h, w = img.shape[:2]
    full = rapidocr_scale(h, w)
    probe = PROBE_SIDE / max(h, w)
    if full < PROBE_MIN_GAIN * probe:
        return eng.detect(img, full), full
    boxes = eng.detect(img, probe)
    if len(boxes) >= PROBE_MIN_LINES and np.percentile(_box_heights(boxes), 10) * probe >= PROBE_MIN_TEXT_PX:
        return boxes, probe
    return eng.detect(img, full), full


def _pad_flat(img: np.ndarray) -> tuple[np.ndarray, int]:
    """RapidOCR's vertical padding of very flat or very low images (black rows above and
    below) so the detector sees a sensible shape; returns the image and the top padding."""
    import cv2

    h, w = img.shape[:2]
    if h > PAD_MIN_HEIGHT and w / h <= PAD_WIDTH_RATIO:
        return img, 0
    new_h = max(int(w / PAD_WIDTH_RATIO), PAD_MIN_HEIGHT) * 2
    pad = int(abs(new_h - h) / 2)
    return cv2.copyMakeBorder(img, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0)), pad
