"""Rectification: a document's quad warped to an upright rectangle."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .quads import is_simple, order_vertices, signed_area

__all__ = ["rectify"]


def _perspective_coeffs(dst: np.ndarray, src: np.ndarray) -> np.ndarray:
    """The 8 coefficients mapping output pixel (dst) to input pixel (src), as PIL wants."""
    A = []
    for (x, y), (u, v) in zip(dst, src):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return np.linalg.solve(np.asarray(A, float), np.asarray(src, float).reshape(8))


def rectify(image: Any, quad: Sequence[Sequence[float]], size: tuple[int, int] | None = None, *,
            keep_order: bool = False) -> np.ndarray:
    """Warp the quad's region of an image to an upright rectangle (for display).

    Parameters
    ----------
    image : ndarray (H, W[, C]) or PIL.Image
    quad : 4 [x, y] points
    size : (width, height), optional
        Output size; defaults to the quad's mean edge lengths.
    keep_order : bool, default False
        False: the vertices in any order, the crop upright in image terms (its top
        edge the quad's upper one). True: the quad lists the document's own corners
        from its top-left, as the API and the labels do, so a document lying sideways
        or upside down comes out readable (a mirrored, counter-clockwise order is
        read clockwise from the same first corner; a self-crossing one falls back to
        False).

    Returns
    -------
    ndarray (h, w[, C]) uint8

    Uses OpenCV's ``warpPerspective`` when installed, else PIL's perspective transform.

    Examples
    --------
    >>> img = np.arange(100, dtype=np.uint8).reshape(10, 10)
    >>> rectify(img, [[2, 2], [6, 2], [6, 5], [2, 5]]).shape
    (3, 4)
    >>> rectify(img, [[2, 5], [2, 2], [6, 2], [6, 5]], keep_order=True).shape  # turned a quarter: first corner bottom-left
    (4, 3)
    """
    q = np.asarray(quad, dtype=np.float64).reshape(1, 4, 2)
    if keep_order and is_simple(q)[0]:
        q = q[0]
        if signed_area(q[None])[0] < 0:  # counter-clockwise on screen (y down): same first corner, clockwise
            q = q[[0, 3, 2, 1]]
    else:
        q = order_vertices(q)[0]
    if size is None:
        w = 0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3]))
        h = 0.5 * (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1]))
        size = (max(1, int(round(w))), max(1, int(round(h))))
    w, h = int(size[0]), int(size[1])
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    arr = np.asarray(image)
    try:
        import cv2
    except ImportError:
        cv2 = None
    if cv2 is not None:
        m = cv2.getPerspectiveTransform(q.astype(np.float32), dst.astype(np.float32))
        return cv2.warpPerspective(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    from PIL import Image

    pil = image if isinstance(image, Image.Image) else Image.fromarray(arr)
    coeffs = _perspective_coeffs(dst, q)
    return np.asarray(pil.transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BILINEAR))
