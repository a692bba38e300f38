"""Mixed desks: cards next to invoices and tickets, some lying partly on another.

The largest documents go down first. Each later one is, for a share
``SceneOptions.desk_overlap``, laid over an earlier one so that it covers part of it
(between :data:`OVERLAP` of the smaller document's area), and otherwise kept apart. No
document is hidden beyond :data:`MAX_HIDDEN`, so every labelled quad stays findable. The
quads are the documents' whole paper, hidden parts included.

Examples
--------
>>> import numpy as np
>>> from ocrframe.types import DocType
>>> from ocrframe.datasets.synth.compose import Rendered
>>> from ocrframe.datasets.synth.scene import SceneOptions
>>> docs = [Rendered(DocType.VAT_INVOICE, {}, np.full((860, 1400, 3), 250, np.uint8), None),
...         Rendered(DocType.BANKCARD, {}, np.full((540, 856, 3), 120, np.uint8), None)]
>>> shot = compose_desk(np.random.default_rng(3), docs, SceneOptions(size=800, desk_overlap=1.0))
>>> len(shot.placed), overlap_share(shot.placed[0].quad, shot.placed[1].quad) > 0.05
(2, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from .backgrounds import background, distractors
from .compose import PHYSICAL_WIDTH_MM, Rendered, Shot, cast_shadow, doc_homography, paper_tint, paste_document

if TYPE_CHECKING:  # pragma: no cover
    from .scene import SceneOptions

__all__ = ["compose_desk", "overlap_share"]

#: share of the smaller document's area that a document laid over another covers
OVERLAP = (0.08, 0.35)
#: most of a document's area that the documents over it may hide together
MAX_HIDDEN = 0.45
#: overlap tolerated between documents meant to lie apart
APART = 0.01
#: placement tries per document; after half of them one meant to overlap may lie apart instead
ATTEMPTS = 80
#: every this many tries the document is made this much smaller
SHRINK_EVERY, SHRINK = 20, 0.9
#: documents' widths relative to the ``photo`` kind's, by how many share the desk
CROWD = {1: 1.0, 2: 0.9, 3: 0.8, 4: 0.72, 5: 0.66}
#: share of desks with a hand's or phone's shadow across them
HAND_SHADOW_RATE = 0.2


def _area(q: np.ndarray) -> float:
    return float(cv2.contourArea(np.asarray(q, np.float32)))


def overlap_share(a: np.ndarray, b: np.ndarray) -> float:
    """Area shared by two convex quads, as a share of the smaller one.

    Examples
    --------
    >>> sq = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], np.float32)
    >>> round(overlap_share(sq, sq + [5, 0]), 2)
    0.5
    """
    inter, _ = cv2.intersectConvexConvex(np.asarray(a, np.float32), np.asarray(b, np.float32))
    return float(inter) / max(1e-6, min(_area(a), _area(b)))


def _hidden(quads: list[np.ndarray], hidden: list[float], quad: np.ndarray) -> tuple[list[float], list[float]]:
    """Overlap shares of ``quad`` with each placed quad, and each one's hidden share if it lands."""
    shares, after = [], []
    for q, h in zip(quads, hidden):
        inter, _ = cv2.intersectConvexConvex(np.asarray(q, np.float32), np.asarray(quad, np.float32))
        shares.append(float(inter) / max(1e-6, min(_area(q), _area(quad))))
        after.append(h + float(inter) / max(1e-6, _area(q)))  # an upper bound: overlaps may overlap
    return shares, after


def compose_desk(rng: np.random.Generator, docs: list[Rendered], o: "SceneOptions") -> Shot:
    """Documents on a desk, some lying partly on others (see the module docstring)."""
    portrait = rng.random() < o.portrait_rate
    W, H = (o.size * 3 // 4, o.size) if portrait else (o.size, o.size * 3 // 4)
    img = background(rng, W, H, o.background)
    if rng.random() < o.distractor_rate or not docs:
        distractors(rng, img, int(rng.integers(1, 4)))
    px = o.size / 1600.0
    crowd = CROWD.get(len(docs), min(CROWD.values()))
    quads, hidden, placed = [], [], []
    for i, d in enumerate(docs):
        dh, dw = d.image.shape[:2]
        width = rng.uniform(*o.doc_width) * px * crowd * (PHYSICAL_WIDTH_MM[d.type] / 86) ** 0.62
        width = min(width, 0.92 * W, 0.92 * H * dw / dh)
        angle = rng.uniform(-o.rotation, o.rotation)
        if rng.random() < o.right_angle_rate:
            angle += float(rng.choice([90, 180, 270]))
        over = bool(quads) and rng.random() < o.desk_overlap
        for attempt in range(ATTEMPTS):
            scale = width / dw * SHRINK ** (attempt // SHRINK_EVERY)
            src, dst = doc_homography(dw, dh, scale, angle, o.perspective, rng)
            lo, hi = dst.min(0), dst.max(0)
            if (hi - lo)[0] > W - 8 or (hi - lo)[1] > H - 8:
                continue
            want = over and attempt < ATTEMPTS // 2
            if want:  # next to a placed document's centre, so that the two overlap in part
                target = quads[int(rng.integers(len(quads)))]
                reach = 0.5 * (np.ptp(target, axis=0) + (hi - lo)) * rng.uniform(0.55, 0.95)
                centre = target.mean(0) + reach * rng.choice([-1, 1], 2) * rng.uniform(0.3, 1.0, 2)
                off = np.clip(centre, 4 - lo, [W - 4 - hi[0], H - 4 - hi[1]])
            else:
                off = np.array([rng.uniform(4 - lo[0], W - 4 - hi[0]), rng.uniform(4 - lo[1], H - 4 - hi[1])])
            quad = (dst + off).astype(np.float32)
            shares, after = _hidden(quads, hidden, quad)
            if any(h > MAX_HIDDEN for h in after):
                continue
            if want and not (any(OVERLAP[0] <= s for s in shares) and all(s <= OVERLAP[1] for s in shares)):
                continue
            if not want and any(s > APART for s in shares):
                continue
            H_doc = cv2.getPerspectiveTransform(src, quad).astype(np.float64)
            shadow = rng.uniform(0.2, 0.45) if rng.random() < o.shadow_rate else 0.0
            placed.append(paste_document(img, d, H_doc, rng, tint=paper_tint(rng), shadow=shadow))
            quads.append(quad)
            hidden[:] = after
            hidden.append(0.0)
            break
    if rng.random() < HAND_SHADOW_RATE:
        img = cast_shadow(img, rng)
    return Shot(img, placed, o, None, o.jpeg_quality)
