"""Compose scenes: documents warped onto a background, then photographed (light, blur, noise, JPEG).

Every geometric step is one homography per document, applied both to the pixels
(``cv2.warpPerspective``) and to the document's four corners, so the labelled quad is
exactly where the document is. Corners are listed clockwise from the document's own
top-left, so a document turned by 180 degrees starts at its bottom-right in the image.

Examples
--------
>>> scene = make_scene(7, 0, ["bankcard", "quota_invoice"], SceneOptions(size=800))
>>> scene.image.shape[1] <= 800, len(scene.documents)
(True, 2)
>>> [d["type"] for d in scene.documents]
['quota_invoice', 'bankcard']
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocrframe.types import DocType, parse_type

from .backgrounds import background, distractors
from .layout import check_split
from .render import draw_document

__all__ = ["SceneOptions", "Scene", "make_scene", "encode_jpeg", "PHYSICAL_WIDTH_MM"]

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


@dataclass(frozen=True)
class SceneOptions:
    """Knobs of the scene generator; the defaults are moderate, ``hard()`` turns them up.

    Parameters
    ----------
    size : int, default=1600
        Longest side of the scene in pixels (before ``low_res``).
    portrait_rate : float, default=0.25
        Share of scenes in portrait orientation.
    doc_width : tuple, default=(540, 780)
        Range of an ID-card-sized document's width in pixels in a 1600 px scene; larger
        documents are wider in proportion to the 0.62 power of their physical width.
    rotation : float, default=6
        Maximum small tilt in degrees.
    right_angle_rate : float, default=0.12
        Share of documents turned by 90, 180 or 270 degrees.
    perspective : float, default=0.04
        Maximum corner displacement as a share of the document's size.
    overlap_rate : float, default=0.15
        Share of multi-document scenes where documents may overlap slightly.
    background : str, default="mixed"
        One of ``wood``, ``table``, ``paper``, ``cloth``, ``dark`` or ``mixed``.
    distractor_rate : float, default=0.3
        Chance of non-document objects (sheets, notes, pens...) in a scene.
    lighting : float, default=0.25
        Maximum strength of the lighting gradient.
    shadow_rate : float, default=0.5
        Share of documents that cast a soft shadow.
    blur : float, default=0.8
        Maximum Gaussian blur sigma (applied to a share ``blur_rate`` of scenes).
    blur_rate : float, default=0.4
    motion_blur : int, default=0
        Maximum length in pixels of a camera-shake blur, used instead of the Gaussian one
        for half the blurred scenes (0: never).
    glare_rate : float, default=0.08
        Share of scenes with a soft specular highlight (a lamp reflected by glossy paper).
    noise : float, default=3.0
        Maximum sensor-noise sigma in grey levels.
    jpeg_quality : tuple, default=(75, 95)
    low_res_rate : float, default=0.05
        Share of scenes downscaled to ``low_res`` of their size.
    low_res : tuple, default=(0.5, 0.7)
    layouts : {"all", "tune", "heldout"}, default="all"
        Which layout variants documents are drawn in: all, only those tuned on, or only
        the held-out ones (see :mod:`~ocrframe.datasets.synth.layout`).
    print_defects : float, default=1.0
        Multiplies how often each layout's print faults show (misregistered dot-matrix
        print, dot-matrix glyphs, faded thermal print; see
        :mod:`~ocrframe.datasets.synth.printing`); 0 prints every value cleanly.
    """

    size: int = 1600
    portrait_rate: float = 0.25
    doc_width: tuple = (540, 780)
    rotation: float = 6.0
    right_angle_rate: float = 0.12
    perspective: float = 0.04
    overlap_rate: float = 0.15
    background: str = "mixed"
    distractor_rate: float = 0.3
    lighting: float = 0.25
    shadow_rate: float = 0.5
    blur: float = 0.8
    blur_rate: float = 0.4
    motion_blur: int = 0
    glare_rate: float = 0.08
    noise: float = 3.0
    jpeg_quality: tuple = (75, 95)
    low_res_rate: float = 0.05
    low_res: tuple = (0.5, 0.7)
    layouts: str = "all"
    print_defects: float = 1.0

    def __post_init__(self) -> None:
        from .backgrounds import KINDS

        for name in ("portrait_rate", "right_angle_rate", "overlap_rate", "distractor_rate", "shadow_rate",
                     "blur_rate", "low_res_rate", "glare_rate"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"SceneOptions.{name} must be a share in [0, 1], got {value!r}")
        check_split(self.layouts)
        if not 0 <= self.print_defects <= 10:
            raise ValueError(f"SceneOptions.print_defects must be in [0, 10], got {self.print_defects!r}")
        if self.size < 64:
            raise ValueError(f"SceneOptions.size must be at least 64 pixels, got {self.size!r}")
        if self.background not in KINDS + ("mixed",):
            raise ValueError(f"SceneOptions.background must be one of {', '.join(KINDS + ('mixed',))}, got {self.background!r}")
        for name, lo, hi in (("doc_width", 16, 10_000), ("jpeg_quality", 1, 100), ("low_res", 0.05, 1.0)):
            pair = getattr(self, name)
            if len(pair) != 2 or not lo <= pair[0] <= pair[1] <= hi:
                raise ValueError(f"SceneOptions.{name} must be (low, high) with {lo} <= low <= high <= {hi}, got {pair!r}")

    @classmethod
    def hard(cls, **kw) -> "SceneOptions":
        """Harder scenes: more tilt, perspective, turns, overlap, blur, noise, low light, low resolution."""
        base = dict(rotation=20.0, right_angle_rate=0.35, perspective=0.12, overlap_rate=0.5, lighting=0.5,
                    shadow_rate=0.8, blur=1.8, blur_rate=0.7, noise=8.0, jpeg_quality=(40, 80),
                    low_res_rate=0.3, doc_width=(420, 700), distractor_rate=0.6, motion_blur=9, glare_rate=0.3)
        base.update(kw)
        return cls(**base)


@dataclass
class Scene:
    """A rendered scene: RGB pixels and its documents in the labels format."""

    image: np.ndarray
    documents: list = field(default_factory=list)


def _doc_homography(w, h, scale, angle_deg, persp, rng) -> tuple[np.ndarray, np.ndarray]:
    """Homography from document pixels to a scene frame centred on (0, 0), and the corner quad."""
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    pts = (src - [w / 2, h / 2]) * scale
    pts = pts + rng.uniform(-persp, persp, (4, 2)) * [w * scale, h * scale]
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    dst = (pts @ rot.T).astype(np.float32)
    return src, dst


def _overlap_ok(box, boxes, allow: float) -> bool:
    x0, y0, x1, y1 = box
    for (a0, b0, a1, b1) in boxes:
        iw = min(x1, a1) - max(x0, a0)
        ih = min(y1, b1) - max(y0, b0)
        if iw > 0 and ih > 0:
            inter = iw * ih
            small = min((x1 - x0) * (y1 - y0), (a1 - a0) * (b1 - b0))
            if inter > allow * small:
                return False
    return True


def _paste(scene: np.ndarray, doc: np.ndarray, mask: np.ndarray | None, H: np.ndarray, box, shadow: float,
           rng: np.random.Generator) -> None:
    """Warp ``doc`` by ``H`` (document px -> scene px) into ``scene``, with an optional soft shadow."""
    sh, sw = scene.shape[:2]
    pad = 24
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(sw, int(math.ceil(box[2])) + pad), min(sh, int(math.ceil(box[3])) + pad)
    T = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ H
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(doc, T, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    m = mask if mask is not None else np.full(doc.shape[:2], 255, np.uint8)
    alpha = cv2.warpPerspective(m, T, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    region = scene[y0:y1, x0:x1]
    if shadow > 0:
        dx, dy = int(rng.integers(3, 12)), int(rng.integers(3, 14))
        s = np.zeros_like(alpha)
        s[dy:, dx:] = alpha[: alpha.shape[0] - dy, : alpha.shape[1] - dx]
        s = cv2.GaussianBlur(s, (0, 0), 6)
        keep = 1.0 - (shadow / 255.0) * s.astype(np.float32)
        region = cv2.blendLinear(region, np.zeros_like(region), keep, 1.0 - keep)
    a = alpha.astype(np.float32) * (1 / 255.0)
    scene[y0:y1, x0:x1] = cv2.blendLinear(warped, region, a, 1.0 - a)


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


def _photograph(img: np.ndarray, rng: np.random.Generator, o: SceneOptions) -> np.ndarray:
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


def make_scene(seed: int, index: int, doc_types, options: SceneOptions | None = None) -> Scene:
    """Render one scene holding documents of ``doc_types`` (empty: a negative image).

    Parameters
    ----------
    seed, index : int
        Together they fix every random choice: the same pair gives the same pixels.
    doc_types : list of DocType or str
        The documents to place. The physically largest are placed (and drawn) first, so
        smaller ones may lie on top. A document that cannot be placed without too much
        overlap is shrunk, then dropped.
    options : SceneOptions, optional

    Returns
    -------
    Scene
        ``image`` (RGB uint8) and ``documents``: ``{"type", "location", "content",
        "layout"}`` dicts whose ``location`` lists the 4 corners clockwise from the
        document's top-left and ``layout`` names the variant drawn (``"<type>/<name>"``).
    """
    o = options or SceneOptions()
    rng = np.random.default_rng([int(seed), int(index)])
    prng = random.Random(int(rng.integers(2 ** 62)))
    portrait = rng.random() < o.portrait_rate
    W, H = (o.size, o.size * 3 // 4)
    if portrait:
        W, H = H, W
    img = background(rng, W, H, o.background)
    if rng.random() < o.distractor_rate or not doc_types:
        distractors(rng, img, int(rng.integers(1, 4)))
    px = o.size / 1600.0
    allow = rng.uniform(0.03, 0.15) if (len(doc_types) > 1 and rng.random() < o.overlap_rate) else 0.0
    crowd = {1: 1.0, 2: 0.92, 3: 0.82, 4: 0.74}.get(len(doc_types), 0.7)
    boxes, documents = [], []
    # the largest documents are placed first, while there is room for them
    order = sorted((parse_type(t) for t in doc_types), key=lambda t: -PHYSICAL_WIDTH_MM[t])
    for t in order:
        drawn = draw_document(t, prng, layouts=o.layouts, print_defects=o.print_defects)
        doc, mask = drawn.image, drawn.mask
        dh, dw = doc.shape[:2]
        width = rng.uniform(*o.doc_width) * px * crowd * (PHYSICAL_WIDTH_MM[t] / 86) ** 0.62
        if len(doc_types) == 1 and PHYSICAL_WIDTH_MM[t] > 200:
            width = max(width, 0.62 * W)
        width = min(width, 0.92 * W, 0.92 * H * dw / dh)
        # paper and print vary: a slight warm/cool tint and brightness per document
        b = rng.uniform(0.93, 1.03)
        tint = (b * rng.uniform(0.97, 1.02), b, b * rng.uniform(0.95, 1.01), 0.0)
        angle = rng.uniform(-o.rotation, o.rotation)
        if rng.random() < o.right_angle_rate:
            angle += float(rng.choice([90, 180, 270]))
        placed = False
        for attempt in range(60):
            scale = width / dw * (0.88 ** (attempt // 10))
            if attempt % 10 == 0:
                # pre-shrink with area averaging so the warp does not alias small text
                if scale < 0.8:
                    small = cv2.resize(doc, (max(1, round(dw * scale * 1.05)), max(1, round(dh * scale * 1.05))), interpolation=cv2.INTER_AREA)
                    smask = None if mask is None else cv2.resize(mask, small.shape[1::-1], interpolation=cv2.INTER_AREA)
                else:
                    small, smask = doc, mask
                small = cv2.multiply(small, tint)
            sh_, sw_ = small.shape[:2]
            s_eff = scale * dw / sw_
            src, dst = _doc_homography(sw_, sh_, s_eff, angle, o.perspective, rng)
            lo, hi = dst.min(0), dst.max(0)
            span = hi - lo
            if span[0] > W - 8 or span[1] > H - 8:
                continue
            off = np.array([rng.uniform(4 - lo[0], W - 4 - hi[0]), rng.uniform(4 - lo[1], H - 4 - hi[1])], np.float32)
            quad = dst + off
            box = (*quad.min(0), *quad.max(0))
            if not _overlap_ok(box, boxes, allow):
                continue
            Hm = cv2.getPerspectiveTransform(src, quad.astype(np.float32)).astype(np.float64)
            shadow = rng.uniform(0.2, 0.45) if rng.random() < o.shadow_rate else 0.0
            _paste(img, small, smask, Hm, box, shadow, rng)
            boxes.append(box)
            documents.append({"type": t.value, "location": quad, "content": drawn.content, "layout": drawn.layout})
            placed = True
            break
        if not placed:
            continue
    img = _photograph(img, rng, o)
    factor = 1.0
    if rng.random() < o.low_res_rate:
        factor = rng.uniform(*o.low_res)
        img = cv2.resize(img, (round(W * factor), round(H * factor)), interpolation=cv2.INTER_AREA)
    sx, sy = img.shape[1] / W, img.shape[0] / H
    for d in documents:
        q = d["location"] * [sx, sy]
        d["location"] = [[int(round(x)), int(round(y))] for x, y in q]
    scene = Scene(img, documents)
    scene.jpeg_quality = int(rng.integers(o.jpeg_quality[0], o.jpeg_quality[1] + 1))
    return scene


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    """JPEG bytes of an RGB image (deterministic for the same pixels and quality)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()
