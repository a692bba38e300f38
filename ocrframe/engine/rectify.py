"""Upright crops of a located document and the way back to image coordinates.

The detector and recogniser are trained on upright text. Reading a part of a document
again (a turned document, the band under a red stamp) means warping it upright, reading
the crop and mapping the new lines back into the image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .locate import Region
from .ocr import TextLine
from .quadops import normal

__all__ = ["UprightCrop", "upright_crop"]


@dataclass
class UprightCrop:
    """A document (or a part of it) warped upright: ``image`` plus the warp ``M`` (image -> crop)."""

    image: np.ndarray
    M: np.ndarray

    def to_image(self, lines: list[TextLine], fallback_direction: np.ndarray) -> list[TextLine]:
        """Lines read on the crop, in image coordinates."""
        Minv = np.linalg.inv(self.M)
        out = []
        for ln in lines:
            qi = cv2.perspectiveTransform(ln.quad.reshape(1, 4, 2).astype(np.float64), Minv).reshape(4, 2)
            e = qi[1] - qi[0]
            n = np.linalg.norm(e)
            out.append(TextLine(qi, ln.text, ln.score, e / n if n > 0 else fallback_direction))
        return out

    def to_crop(self, pts: np.ndarray) -> np.ndarray:
        """Image points in crop coordinates."""
        return cv2.perspectiveTransform(np.asarray(pts, np.float64).reshape(1, -1, 2), self.M).reshape(-1, 2)


def upright_crop(img: np.ndarray, region: Region, *, pad: float = 0.0,
                 box: tuple[float, float, float, float] | None = None) -> UprightCrop | None:
    """Warp a document upright along its reading direction.

    Parameters
    ----------
    img : ndarray
        The whole image.
    region : Region
        The document; its ``direction`` becomes the crop's x axis.
    pad : float, default 0.0
        Margin around the document, as a share of its size.
    box : tuple, optional
        ``(u0, v0, u1, v1)``: only this part, in the document's own frame (pixels along
        and across the reading direction, from the quad's first corner).

    Returns
    -------
    UprightCrop or None
        None when the part is smaller than 16 px either way.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.locate import Region
    >>> r = Region(np.array([[10., 10.], [90., 10.], [90., 60.], [10., 60.]]))
    >>> upright_crop(np.zeros((100, 100, 3), np.uint8), r).image.shape
    (50, 80, 3)
    """
    d = region.direction
    n = normal(d)
    o = region.quad[0]
    if box is None:
        rel = region.quad - o
        u, v = rel @ d, rel @ n
        du, dv = (u.max() - u.min()) * pad, (v.max() - v.min()) * pad
        u0, u1, v0, v1 = u.min() - du, u.max() + du, v.min() - dv, v.max() + dv
    else:
        u0, v0, u1, v1 = box
    W, H = int(round(u1 - u0)), int(round(v1 - v0))
    if W < 16 or H < 16:
        return None
    src = np.float32([o + a * d + b * n for a, b in [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]])
    dst = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    M = cv2.getPerspectiveTransform(src, dst)
    crop = cv2.warpPerspective(img, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return UprightCrop(crop, M)
