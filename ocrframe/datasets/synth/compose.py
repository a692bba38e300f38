"""Shared steps of composing a scene: homographies, pasting documents, light, blur, noise.

Every document is pasted by one homography from its own pixels to the scene's, applied
to the pixels (``cv2.warpPerspective``) and to its four corners alike, so the labelled
quad is exactly where the paper is.

Examples
--------
>>> import numpy as np
>>> doc = Rendered(DocType.BANKCARD, {}, np.full((54, 86, 3), 230, np.uint8), None)
>>> scene = np.zeros((120, 160, 3), np.uint8)
>>> H = np.array([[1.0, 0, 30], [0, 1.0, 20], [0, 0, 1]])
>>> placed = paste_document(scene, doc, H, np.random.default_rng(0))
>>> placed.quad.tolist()
[[30.0, 20.0], [116.0, 20.0], [116.0, 74.0], [30.0, 74.0]]
>>> int(scene[40, 60, 0]), int(scene[100, 60, 0])
(230, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from ocrframe.types import DocType

if TYPE_CHECKING:  # pragma: no cover
    from .scene import SceneOptions

__all__ = ["PHYSICAL_WIDTH_MM", "Rendered", "Placed", "doc_homography", "paste", "paste_document", "photograph",
           "cast_shadow", "clip_quad", "paper_tint", "footprint_mask", "Shot"]

#: real widths in millimetres, used to size documents relative to each other
PHYSICAL_WIDTH_MM = {
    DocType.ID_CARD_PORTRAIT_SIDE: 86, DocType.ID_CARD_EMBLEM_SIDE: 86, DocType.BANKCARD: 86,
    DocType.VEHICLE_LICENSE_FRONT: 88, DocType.VEHICLE_LICENSE_BACK: 88, DocType.DRIVER_LICENSE_FRONT: 88,
    DocType.DRIVER_LICENSE_BACK: 88, DocType.PASSPORT: 125, DocType.TRANSPORTATION_LICENSE: 110,
    DocType.VAT_INVOICE: 240, DocType.MVS_INVOICE: 240, DocType.FLIGHT_ITINERARY: 230,
    DocType.VAT_ROLL_INVOICE: 76, DocType.TAXI_INVOICE: 78, DocType.TRAIN_TICKET: 87,
    DocType.QUOTA_INVOICE: 120, DocType.TOLL_INVOICE: 80,
    DocType.BUS_SHIP_TICKET: 110, DocType.RIDE_HAILING_ITINERARY: 210, DocType.MACHINE_PRINTED_INVOICE: 76,
}

#: below this scale a document is pre-shrunk by area averaging, so the warp does not alias its text
PRESHRINK_BELOW = 0.8
#: pixels around a pasted document's box that the warp (and its shadow) may touch
PASTE_PAD = 24


@dataclass
class Rendered:
    """A flat rendered document: its type, labelled content, RGB pixels, opacity mask (None:
    a rectangle) and the layout variant drawn (``"<type>/<name>"``)."""

    type: DocType
    content: dict
    image: np.ndarray
    mask: np.ndarray | None
    layout: str = ""


@dataclass
class Placed:
    """A document pasted into a scene: its quad (clockwise from its own top-left) and footprint."""

    doc: Rendered
    quad: np.ndarray
    footprint: tuple  # (x0, y0, alpha crop) where the paper landed, before anything covered it


def doc_homography(w, h, scale, angle_deg, persp, rng) -> tuple[np.ndarray, np.ndarray]:
    """Corners of a ``w`` x ``h`` document and where they land in a frame centred on (0, 0).

    The document is scaled, its corners jittered by up to ``persp`` of its size
    (perspective), then turned by ``angle_deg``.
    """
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    pts = (src - [w / 2, h / 2]) * scale
    pts = pts + rng.uniform(-persp, persp, (4, 2)) * [w * scale, h * scale]
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    dst = (pts @ rot.T).astype(np.float32)
    return src, dst


def paste(scene: np.ndarray, doc: np.ndarray, mask: np.ndarray | None, H: np.ndarray, box, shadow: float,
          rng: np.random.Generator, *, shadow_offset: tuple[int, int] = (3, 12), shadow_blur: float = 6.0) -> tuple:
    """Warp ``doc`` by ``H`` (document px -> scene px) into ``scene``, with an optional soft shadow.

    ``box`` is the quad's (x0, y0, x1, y1); ``shadow`` the shadow's darkness in [0, 1]
    (0: none), cast ``shadow_offset`` pixels down and right and blurred by ``shadow_blur``.
    Returns the footprint ``(x0, y0, alpha)``: the warped opacity of the paper.
    """
    sh, sw = scene.shape[:2]
    x0, y0 = max(0, int(box[0]) - PASTE_PAD), max(0, int(box[1]) - PASTE_PAD)
    x1, y1 = min(sw, int(math.ceil(box[2])) + PASTE_PAD), min(sh, int(math.ceil(box[3])) + PASTE_PAD)
    if x1 <= x0 or y1 <= y0:
        return x0, y0, np.zeros((0, 0), np.uint8)
    T = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ H
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(doc, T, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    m = mask if mask is not None else np.full(doc.shape[:2], 255, np.uint8)
    alpha = cv2.warpPerspective(m, T, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    region = scene[y0:y1, x0:x1]
    if shadow > 0:
        dx, dy = int(rng.integers(shadow_offset[0], shadow_offset[1])), int(rng.integers(shadow_offset[0], shadow_offset[1] + 2))
        s = np.zeros_like(alpha)
        s[dy:, dx:] = alpha[: alpha.shape[0] - dy, : alpha.shape[1] - dx]
        s = cv2.GaussianBlur(s, (0, 0), shadow_blur)
        keep = 1.0 - (shadow / 255.0) * s.astype(np.float32)
        region = cv2.blendLinear(region, np.zeros_like(region), keep, 1.0 - keep)
    a = alpha.astype(np.float32) * (1 / 255.0)
    scene[y0:y1, x0:x1] = cv2.blendLinear(warped, region, a, 1.0 - a)
    return x0, y0, alpha


def paper_tint(rng: np.random.Generator, brightness: tuple[float, float] = (0.93, 1.03)) -> tuple:
    """A per-document multiplier: paper and print vary in brightness and warm/cool tint."""
    b = rng.uniform(*brightness)
    return (b * rng.uniform(0.97, 1.02), b, b * rng.uniform(0.95, 1.01), 0.0)


def paste_document(scene: np.ndarray, doc: Rendered, H: np.ndarray, rng: np.random.Generator, *,
                   tint: tuple | None = None, shadow: float = 0.0, shadow_offset: tuple[int, int] = (3, 12),
                   shadow_blur: float = 6.0) -> Placed:
    """Paste ``doc`` into ``scene`` by the homography ``H`` (its own pixels -> scene pixels).

    A document shown much smaller than it was drawn is first shrunk by area averaging
    (the homography is adjusted, the quad is unchanged).

    Returns
    -------
    Placed
        The quad: the document's corners (0, 0), (w, 0), (w, h), (0, h) mapped by ``H``.
    """
    dh, dw = doc.image.shape[:2]
    corners = np.array([[[0, 0], [dw, 0], [dw, dh], [0, dh]]], np.float64)
    quad = cv2.perspectiveTransform(corners, H)[0]
    scale = float(np.mean([np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])])) / dw
    img, mask = doc.image, doc.mask
    if scale < PRESHRINK_BELOW:
        size = (max(1, round(dw * scale * 1.05)), max(1, round(dh * scale * 1.05)))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        mask = None if mask is None else cv2.resize(mask, size, interpolation=cv2.INTER_AREA)
        H = H @ np.diag([dw / size[0], dh / size[1], 1.0])
    if tint is not None:
        img = cv2.multiply(img, tint)
    box = (*quad.min(0), *quad.max(0))
    footprint = paste(scene, img, mask, H, box, shadow, rng, shadow_offset=shadow_offset, shadow_blur=shadow_blur)
    return Placed(doc, quad, footprint)


def footprint_mask(placed: Placed, shape: tuple[int, int]) -> np.ndarray:
    """The (h, w) uint8 opacity of a placed document's paper over a scene of ``shape``."""
    out = np.zeros(shape[:2], np.uint8)
    x0, y0, alpha = placed.footprint
    h, w = alpha.shape[:2]
    out[y0:y0 + h, x0:x0 + w] = alpha
    return out


def clip_quad(quad: np.ndarray, width: float, height: float) -> np.ndarray | None:
    """The visible part of a quad cut by the frame ``[0, width] x [0, height]``, or None.

    Supported cuts keep a quadrilateral: each frame edge may cut off one whole side of
    the document (two neighbouring corners). Each cut-off corner is replaced by the
    point where the frame edge crosses the document's side towards its kept neighbour,
    so the corners keep their roles (the first is still the document's top-left end).

    Examples
    --------
    >>> clip_quad(np.array([[10., 10], [130, 10], [130, 60], [10, 60]]), 100, 80).tolist()
    [[10.0, 10.0], [100.0, 10.0], [100.0, 60.0], [10.0, 60.0]]
    >>> clip_quad(np.array([[50., 0], [110, 40], [50, 80], [20, 40]]), 100, 80) is None  # one corner off
    True
    """
    q = np.asarray(quad, np.float64).copy()
    # each half-plane as (axis, limit, keep side: +1 keeps >= limit, -1 keeps <= limit)
    for axis, limit, side in ((0, 0.0, 1), (1, 0.0, 1), (0, float(width), -1), (1, float(height), -1)):
        inside = (q[:, axis] - limit) * side >= 0
        if inside.all():
            continue
        out = np.flatnonzero(~inside)
        if len(out) != 2 or (out[1] - out[0]) not in (1, 3):
            return None
        new = q.copy()
        for i in out:
            j = next(n for n in ((i - 1) % 4, (i + 1) % 4) if inside[n])
            t = (limit - q[j, axis]) / (q[i, axis] - q[j, axis])
            new[i] = q[j] + t * (q[i] - q[j])
            new[i, axis] = limit
        q = new
    return q


_NOISE: dict = {}


def _noise_field(side: int) -> np.ndarray:
    """A fixed (side, side, 3) int8 field of unit Gaussian noise times 16, grey (same in R, G, B).

    Made once per size; a scene takes a window of it at a random offset, so sensor noise
    costs no random draws per pixel.
    """
    key = side
    arr = _NOISE.get(key)
    if arr is None:
        g = (np.random.default_rng(1234).standard_normal((side, side), dtype=np.float32) * 16).clip(-127, 127).astype(np.int8)
        arr = _NOISE[key] = cv2.merge([g, g, g])
    return arr


def _glare(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add a soft, bright elliptical highlight (drawn at 1/8 scale, then upsampled)."""
    h, w = img.shape[:2]
    sh, sw = max(8, h // 8), max(8, w // 8)
    spot = np.zeros((sh, sw), np.uint8)
    center = (int(rng.integers(sw)), int(rng.integers(sh)))
    axes = (int(rng.uniform(0.05, 0.2) * sw), int(rng.uniform(0.03, 0.1) * sw))
    cv2.ellipse(spot, center, axes, float(rng.uniform(0, 180)), 0, 360, int(rng.uniform(90, 200)), -1)
    spot = cv2.GaussianBlur(spot, (0, 0), max(1.0, axes[1] * 0.6))
    spot = cv2.resize(spot, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.add(img, cv2.merge([spot, spot, spot]))


def cast_shadow(img: np.ndarray, rng: np.random.Generator, strength: tuple[float, float] = (0.15, 0.4)) -> np.ndarray:
    """Darken a large soft region entering from one side (a phone or hand held over the scene).

    Drawn at 1/8 scale and upsampled, like the glare.
    """
    h, w = img.shape[:2]
    sh, sw = max(8, h // 8), max(8, w // 8)
    shade = np.zeros((sh, sw), np.float32)
    side = int(rng.integers(4))
    depth = rng.uniform(0.15, 0.45)
    a, b = sorted(rng.uniform(0, 1, 2))
    b = max(b, a + 0.3)
    if side in (0, 2):  # from the left or right edge: a blob spanning rows a..b
        x = int(depth * sw)
        pts = [(0, int(a * sh)), (x, int(a * sh + 0.1 * sh)), (x, int(b * sh)), (0, int(b * sh))]
        if side == 2:
            pts = [(sw - 1 - px, py) for px, py in pts]
    else:  # from the top or bottom edge
        y = int(depth * sh)
        pts = [(int(a * sw), 0), (int(b * sw), 0), (int(b * sw - 0.1 * sw), y), (int(a * sw), y)]
        if side == 3:
            pts = [(px, sh - 1 - py) for px, py in pts]
    cv2.fillConvexPoly(shade, np.array(pts, np.int32), 1.0)
    shade = cv2.GaussianBlur(shade, (0, 0), max(1.0, 0.04 * max(sw, sh)))
    gain = 1.0 - rng.uniform(*strength) * cv2.resize(shade, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(img, cv2.merge([gain, gain, gain]), dtype=cv2.CV_8U)


def photograph(img: np.ndarray, rng: np.random.Generator, o: "SceneOptions") -> np.ndarray:
    """Lighting gradient, glare, blur and sensor noise over the whole scene."""
    h, w = img.shape[:2]
    out = img
    if o.lighting > 0:
        strength = rng.uniform(0, o.lighting)
        ang = rng.uniform(0, 2 * np.pi)
        gx = np.linspace(-1, 1, 32, dtype=np.float32)
        field_ = np.cos(ang) * gx[None, :] + np.sin(ang) * gx[:, None]
        field_ = 1 + strength * field_ / 2 - strength * 0.15
        if rng.random() < 0.5:  # vignette
            r = np.hypot(gx[None, :], gx[:, None])
            field_ *= 1 - 0.12 * strength * r ** 2
        gain = cv2.resize(np.repeat(field_[..., None], 3, axis=2), (w, h), interpolation=cv2.INTER_LINEAR)
        out = cv2.multiply(out, gain, dtype=cv2.CV_8U)
    if o.glare_rate > 0 and rng.random() < o.glare_rate:
        out = _glare(out, rng)
    if o.blur > 0 and rng.random() < o.blur_rate:
        if o.motion_blur >= 3 and rng.random() < 0.5:
            k = int(rng.integers(3, o.motion_blur + 1))
            kernel = np.zeros((k, k), np.float32)
            kernel[k // 2, :] = 1.0 / k
            rot = cv2.getRotationMatrix2D(((k - 1) / 2, (k - 1) / 2), float(rng.uniform(0, 180)), 1.0)
            kernel = cv2.warpAffine(kernel, rot, (k, k))
            out = cv2.filter2D(out, -1, kernel / max(kernel.sum(), 1e-6))
        else:
            out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, o.blur))
    if o.noise > 0:
        sigma = rng.uniform(0.5, o.noise)
        side = (max(h, w) // 256 + 2) * 256
        field_n = _noise_field(side)
        oy, ox = int(rng.integers(side - h + 1)), int(rng.integers(side - w + 1))
        out = cv2.addWeighted(out, 1.0, field_n[oy:oy + h, ox:ox + w], sigma / 16.0, 0.0, dtype=cv2.CV_8U)
    return out


@dataclass
class Shot:
    """A composed scene before it is photographed: pixels, placed documents and how to finish it.

    ``photo`` are the options :func:`photograph` uses (light, blur, noise); ``downscale``
    the final resize factor (None: the options' random low-resolution share decides);
    ``quality`` the JPEG quality range.
    """

    image: np.ndarray
    placed: list
    photo: "SceneOptions"
    downscale: float | None
    quality: tuple
