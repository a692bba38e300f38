"""Compose scenes: documents warped onto a background, then photographed (light, blur, noise, JPEG).

Every geometric step is one homography per document, applied both to the pixels
(``cv2.warpPerspective``) and to the document's four corners, so the labelled quad is
exactly where the document is. Corners are listed clockwise from the document's own
top-left, so a document turned by 180 degrees starts at its bottom-right in the image.

A scene has a *kind* (:class:`~ocrframe.datasets.synth.kinds.SceneKind`): ``photo``
(documents on a desk, the default), ``packed`` (small receipts side by side on a sheet),
``fullframe`` (a flatbed scan the document fills), ``textured`` (dark and patterned
surfaces), ``lowres`` (small documents, low JPEG quality) or ``desk`` (cards with
invoices, some lying on others). ``SceneOptions(scene_kinds=...)`` mixes them.

Examples
--------
>>> scene = make_scene(7, 0, ["bankcard", "quota_invoice"], SceneOptions(size=800))
>>> scene.image.shape[1] <= 800, len(scene.documents)
(True, 2)
>>> [d["type"] for d in scene.documents]
['quota_invoice', 'bankcard']
>>> packed = make_scene(7, 0, ["taxi_invoice"] * 6, SceneOptions(size=800), kind="packed")
>>> packed.kind, len(packed.documents)
('packed', 6)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocrframe.types import DocType, parse_type

from .backgrounds import background, distractors
from .compose import (PHYSICAL_WIDTH_MM, Placed, Rendered, Shot, doc_homography, footprint_mask, paper_tint, paste,
                      photograph)
from .kinds import SceneKind, choose_kind, parse_scene_kinds, preset_options
from .layout import check_split
from .render import draw_document

__all__ = ["SceneOptions", "Scene", "make_scene", "encode_jpeg", "PHYSICAL_WIDTH_MM"]

#: range of the final downscale of a ``lowres`` scene that is a small image (the other half are not resized)
LOWRES_DOWNSCALE = (0.5, 0.8)
#: share of ``lowres`` scenes that are small images rather than small documents in a large photo
LOWRES_SMALL_IMAGE_RATE = 0.5
#: share of a ``lowres`` frame its documents may take at most
LOWRES_ROOM = 0.4


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
    scene_kinds : str, sequence or mapping, default=("photo",)
        Which kinds of scene to draw, with weights: ``"packed,fullframe:2"``,
        ``["photo", "packed"]`` or ``{"desk": 1, "lowres": 3}``; one kind is chosen per
        scene (see :class:`~ocrframe.datasets.synth.kinds.SceneKind`). Stored normalised as
        ``((kind, weight), ...)``.
    packed_count : tuple, default=(4, 10)
        Receipts on a ``packed`` sheet.
    fullframe_cover : tuple, default=(0.85, 1.0)
        Share of a ``fullframe`` scan covered by the document's visible part.
    lowres_width : tuple, default=(400, 640)
        A ``lowres`` document's own width in the final image, in pixels.
    lowres_quality : tuple, default=(30, 60)
        JPEG quality range of ``lowres`` scenes.
    desk_overlap : float, default=0.5
        Share of the documents on a ``desk`` (after the first) laid partly on another.
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
    scene_kinds: tuple = ("photo",)
    packed_count: tuple = (4, 10)
    fullframe_cover: tuple = (0.85, 1.0)
    lowres_width: tuple = (400, 640)
    lowres_quality: tuple = (30, 60)
    desk_overlap: float = 0.5
    layouts: str = "all"
    print_defects: float = 1.0

    def __post_init__(self) -> None:
        from .backgrounds import CHOICES

        object.__setattr__(self, "scene_kinds", parse_scene_kinds(self.scene_kinds))
        for name in ("portrait_rate", "right_angle_rate", "overlap_rate", "distractor_rate", "shadow_rate",
                     "blur_rate", "low_res_rate", "glare_rate", "desk_overlap"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"SceneOptions.{name} must be a share in [0, 1], got {value!r}")
        check_split(self.layouts)
        if not 0 <= self.print_defects <= 10:
            raise ValueError(f"SceneOptions.print_defects must be in [0, 10], got {self.print_defects!r}")
        if self.size < 64:
            raise ValueError(f"SceneOptions.size must be at least 64 pixels, got {self.size!r}")
        if self.background not in CHOICES:
            raise ValueError(f"SceneOptions.background must be one of {', '.join(CHOICES)}, got {self.background!r}")
        for name, lo, hi in (("doc_width", 16, 10_000), ("jpeg_quality", 1, 100), ("low_res", 0.05, 1.0),
                             ("packed_count", 1, 40), ("fullframe_cover", 0.3, 1.0), ("lowres_width", 16, 10_000),
                             ("lowres_quality", 1, 100)):
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

    @classmethod
    def preset(cls, name: str, **kw) -> "SceneOptions":
        """Options of a named preset (``"default"``, ``"realistic"``), overridden by ``kw``.

        Examples
        --------
        >>> [k for k, _ in SceneOptions.preset("realistic").scene_kinds]
        ['photo', 'packed', 'fullframe', 'textured', 'lowres', 'desk']
        """
        return cls(**{**preset_options(name), **kw})


@dataclass
class Scene:
    """A rendered scene: RGB pixels, its documents in the labels format, its kind and JPEG quality."""

    image: np.ndarray
    documents: list = field(default_factory=list)
    kind: str = SceneKind.PHOTO.value
    jpeg_quality: int = 90
    masks: list | None = None  # per document, its paper's opacity in the image (``make_scene(masks=True)``)


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


def _compose_photo(rng: np.random.Generator, docs: list[Rendered], o: SceneOptions, *, bg: str | None = None,
                   width: tuple[float, float] | None = None) -> Shot:
    """Documents spread over a desk (the ``photo`` kind; ``textured`` and ``lowres`` vary it).

    ``bg`` overrides the background kind; ``width`` draws every document's width in
    scene pixels from that range instead of from its physical size.
    """
    portrait = rng.random() < o.portrait_rate
    W, H = (o.size, o.size * 3 // 4)
    if portrait:
        W, H = H, W
    img = background(rng, W, H, bg or o.background)
    if rng.random() < o.distractor_rate or not docs:
        distractors(rng, img, int(rng.integers(1, 4)))
    px = o.size / 1600.0
    allow = rng.uniform(0.03, 0.15) if (len(docs) > 1 and rng.random() < o.overlap_rate) else 0.0
    crowd = {1: 1.0, 2: 0.92, 3: 0.82, 4: 0.74}.get(len(docs), 0.7)
    boxes, placed = [], []
    for d in docs:
        t = d.type
        dh, dw = d.image.shape[:2]
        if width is None:
            w = rng.uniform(*o.doc_width) * px * crowd * (PHYSICAL_WIDTH_MM[t] / 86) ** 0.62
            if len(docs) == 1 and PHYSICAL_WIDTH_MM[t] > 200:
                w = max(w, 0.62 * W)
        else:
            w = rng.uniform(*width)
        w = min(w, 0.92 * W, 0.92 * H * dw / dh)
        tint = paper_tint(rng)
        angle = rng.uniform(-o.rotation, o.rotation)
        if rng.random() < o.right_angle_rate:
            angle += float(rng.choice([90, 180, 270]))
        for attempt in range(60):
            scale = w / dw * (0.88 ** (attempt // 10))
            if attempt % 10 == 0:
                # pre-shrink with area averaging so the warp does not alias small text
                if scale < 0.8:
                    small = cv2.resize(d.image, (max(1, round(dw * scale * 1.05)), max(1, round(dh * scale * 1.05))), interpolation=cv2.INTER_AREA)
                    smask = None if d.mask is None else cv2.resize(d.mask, small.shape[1::-1], interpolation=cv2.INTER_AREA)
                else:
                    small, smask = d.image, d.mask
                small = cv2.multiply(small, tint)
            sh_, sw_ = small.shape[:2]
            s_eff = scale * dw / sw_
            src, dst = doc_homography(sw_, sh_, s_eff, angle, o.perspective, rng)
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
            footprint = paste(img, small, smask, Hm, box, shadow, rng)
            boxes.append(box)
            placed.append(Placed(d, quad, footprint))
            break
    return Shot(img, placed, o, None, o.jpeg_quality)


def _compose_textured(rng: np.random.Generator, docs: list[Rendered], o: SceneOptions) -> Shot:
    """Documents on dark wood, granite, patterned fabric, a keyboard or desk clutter."""
    return _compose_photo(rng, docs, o, bg="textured")


def _compose_lowres(rng: np.random.Generator, docs: list[Rendered], o: SceneOptions) -> Shot:
    """Documents ``lowres_width`` pixels wide in the final image, saved at ``lowres_quality``.

    Half are small documents in a full-size photo, half a photo downscaled to a small
    image (area averaging blurs them the way a phone's resize does).
    """
    factor = rng.uniform(*LOWRES_DOWNSCALE) if rng.random() < LOWRES_SMALL_IMAGE_RATE else 1.0
    lo, hi = o.lowres_width
    # not so small an image that the documents, at their widest, could not lie side by side in it
    need = sum(hi ** 2 * d.image.shape[0] / d.image.shape[1] for d in docs) / (LOWRES_ROOM * o.size ** 2 * 3 / 4)
    factor = min(1.0, max(factor, need ** 0.5))
    shot = _compose_photo(rng, docs, replace(o, low_res_rate=0.0), width=(lo / factor, hi / factor))
    return Shot(shot.image, shot.placed, o, factor, o.lowres_quality)


def _composer(kind: SceneKind):
    if kind is SceneKind.PACKED:
        from .packed import compose_packed

        return compose_packed
    if kind is SceneKind.FULLFRAME:
        from .scan import compose_scan

        return compose_scan
    if kind is SceneKind.DESK:
        from .desk import compose_desk

        return compose_desk
    return {SceneKind.PHOTO: _compose_photo, SceneKind.TEXTURED: _compose_textured,
            SceneKind.LOWRES: _compose_lowres}[kind]


def _render_documents(types: list[DocType], prng: random.Random, o: SceneOptions) -> list[Rendered]:
    """Draw each document flat, in order (its layout variant, values, style and print
    faults drawn from ``prng``)."""
    docs = []
    for t in types:
        drawn = draw_document(t, prng, layouts=o.layouts, print_defects=o.print_defects)
        docs.append(Rendered(t, drawn.content, drawn.image, drawn.mask, drawn.layout))
    return docs


def make_scene(seed: int, index: int, doc_types, options: SceneOptions | None = None, *,
               kind: SceneKind | str | None = None, masks: bool = False) -> Scene:
    """Render one scene holding documents of ``doc_types`` (empty: a negative image).

    Parameters
    ----------
    seed, index : int
        Together they fix every random choice: the same pair gives the same pixels.
    doc_types : list of DocType or str
        The documents to place. Except on a ``packed`` sheet (placed in the order
        given), the physically largest are placed (and drawn) first, so smaller ones
        may lie on top. A document that cannot be placed without too much overlap is
        shrunk, then dropped. A ``fullframe`` scan shows the first document only.
    options : SceneOptions, optional
    kind : SceneKind or str, optional
        The scene kind; by default drawn from ``options.scene_kinds`` by ``seed`` and
        ``index`` (as :func:`~ocrframe.datasets.synth.generate` does).
    masks : bool, default False
        Also return, per document, the opacity of its paper in the final image
        (``Scene.masks``; covered parts included), to check labels against pixels.

    Returns
    -------
    Scene
        ``image`` (RGB uint8) and ``documents``: ``{"type", "location", "content", "layout"}``
        dicts whose ``location`` lists the 4 corners clockwise from the document's top-left
        (for a document cut by the frame, the corners of its visible part) and ``layout``
        names the variant drawn (``"<type>/<name>"``).
    """
    o = options or SceneOptions()
    kind = SceneKind(kind) if kind is not None else choose_kind(seed, index, o.scene_kinds)
    rng = np.random.default_rng([int(seed), int(index)])
    prng = random.Random(int(rng.integers(2 ** 62)))
    types = [parse_type(t) for t in doc_types]
    if kind is SceneKind.FULLFRAME:
        types = types[:1]
    if kind is not SceneKind.PACKED:
        # the largest documents are placed first, while there is room for them
        types.sort(key=lambda t: -PHYSICAL_WIDTH_MM[t])
    shot = _composer(kind)(rng, _render_documents(types, prng, o), o)
    H, W = shot.image.shape[:2]
    img = photograph(shot.image, rng, shot.photo)
    factor = shot.downscale
    if factor is None:
        factor = rng.uniform(*o.low_res) if rng.random() < o.low_res_rate else 1.0
    if factor != 1.0:
        img = cv2.resize(img, (round(W * factor), round(H * factor)), interpolation=cv2.INTER_AREA)
    h, w = img.shape[:2]
    documents = []
    for p in shot.placed:
        q = np.clip(np.rint(p.quad * [w / W, h / H]), 0, [w - 1, h - 1])
        documents.append({"type": p.doc.type.value, "location": [[int(x), int(y)] for x, y in q],
                          "content": p.doc.content, "layout": p.doc.layout})
    scene = Scene(img, documents, kind=kind.value)
    scene.jpeg_quality = int(rng.integers(shot.quality[0], shot.quality[1] + 1))
    if masks:
        scene.masks = [cv2.resize(footprint_mask(p, (H, W)), (w, h), interpolation=cv2.INTER_AREA) for p in shot.placed]
    return scene


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    """JPEG bytes of an RGB image (deterministic for the same pixels and quality)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()
