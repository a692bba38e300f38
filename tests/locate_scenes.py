"""Scenes for the localisation tests, composed from the generator's own documents.

The generator's scene kinds for packed receipts, full-frame scans, dark textured
surfaces, low resolution and overlapping documents are being added on the
``synth-scenes`` branch; until they land, these functions paste documents drawn by
:func:`ocrframe.datasets.synth.render.render_document` in those arrangements, with the
generator's own paste (soft shadow) and photograph (light, noise) steps. Every function
is deterministic in its seed and returns a :class:`~ocrframe.datasets.synth.scene.Scene`
whose documents are in the labels format.
"""

from __future__ import annotations

import math
import os
import random

import cv2
import numpy as np

from ocrframe.datasets.synth.backgrounds import background
from ocrframe.datasets.synth.render import render_document
from ocrframe.datasets.synth.scene import (PHYSICAL_WIDTH_MM, Scene, SceneOptions, _paste, _photograph,
                                           encode_jpeg, make_scene)
from ocrframe.datasets.synth.values import make_values, public_content
from ocrframe.types import DocType, parse_type

#: the photograph step of every composed scene: mild light, no blur (blur is not what these test)
PHOTO = SceneOptions(lighting=0.15, glare_rate=0.0, blur=0.6, blur_rate=0.3, noise=2.5)


def _draw(t: DocType, prng: random.Random):
    values = make_values(t, prng)
    img, mask = render_document(t, values, prng)
    return img, mask, values


def _place(scene: np.ndarray, doc: np.ndarray, mask, center, width: float, angle: float, rng,
           *, shadow: float = 0.0, persp: float = 0.0) -> np.ndarray:
    """Paste ``doc`` scaled to ``width`` px, turned by ``angle`` degrees about ``center``;
    returns its quad clockwise from the document's own top-left."""
    dh, dw = doc.shape[:2]
    s = width / dw
    if s < 0.8:  # pre-shrink with area averaging, as the generator does
        doc = cv2.resize(doc, (max(1, round(dw * s)), max(1, round(dh * s))), interpolation=cv2.INTER_AREA)
        mask = None if mask is None else cv2.resize(mask, doc.shape[1::-1], interpolation=cv2.INTER_AREA)
        dh, dw = doc.shape[:2]
        s = width / dw
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    pts = (src - [dw / 2, dh / 2]) * s
    if persp:
        pts = pts + rng.uniform(-persp, persp, (4, 2)) * [dw * s, dh * s]
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    quad = (pts @ rot.T + center).astype(np.float32)
    H = cv2.getPerspectiveTransform(src, quad).astype(np.float64)
    box = (*quad.min(0), *quad.max(0))
    _paste(scene, doc, mask, H, box, shadow, rng)
    return quad


def _record(t: DocType, quad, values) -> dict:
    return {"type": t.value, "location": [[int(round(x)), int(round(y))] for x, y in quad],
            "content": public_content(values)}


def _finish(img: np.ndarray, documents: list, rng, options: SceneOptions = PHOTO) -> Scene:
    scene = Scene(_photograph(img, rng, options), documents)
    scene.jpeg_quality = int(rng.integers(78, 93))
    return scene


def packed_receipts(seed: int, *, kind: str = "taxi_invoice", n: tuple[int, int] = (6, 8),
                    gap: tuple[int, int] = (0, 6), turned: float = 0.25, width: tuple[int, int] = (330, 440),
                    size: int = 1600) -> Scene:
    """Several receipts of one kind on a white sheet: touching or a few px apart, some
    turned by 90 degrees (an expense claim). Shelf-packed in rows."""
    rng = np.random.default_rng([seed, 1])
    prng = random.Random(seed)
    t = parse_type(kind)
    W, H = (size, size * 3 // 4) if rng.random() < 0.5 else (size * 3 // 4, size)
    sheet = np.array(rng.choice([[250, 250, 248], [246, 246, 243], [252, 251, 247]]), np.float32)
    img = np.empty((H, W, 3), np.float32)
    img[:] = sheet
    img = (img * (0.97 + 0.03 * rng.random((H // 8 + 1, W // 8 + 1, 1))).repeat(8, 0).repeat(8, 1)[:H, :W]
           ).clip(0, 255).astype(np.uint8)
    count = int(rng.integers(n[0], n[1] + 1))
    docs = [_draw(t, prng) for _ in range(count)]
    turn = [rng.random() < turned for _ in range(count)]
    w = float(rng.uniform(*width))
    gaps = [float(rng.uniform(*gap)) for _ in range(count)]
    for _ in range(40):  # shrink until the shelves fit the sheet
        placed, x, y, row_h, ok = [], 8.0, 8.0, 0.0, True
        for (doc, mask, values), tu, g in zip(docs, turn, gaps):
            dh, dw = doc.shape[:2]
            fw, fh = (w * dh / dw, w) if tu else (w, w * dh / dw)
            if x + fw > W - 8:
                x, y, row_h = 8.0, y + row_h + g, 0.0
            if y + fh > H - 8:
                ok = False
                break
            placed.append((x + fw / 2, y + fh / 2))
            x += fw + g
            row_h = max(row_h, fh)
        if ok:
            break
        w *= 0.95
    documents = []
    for (doc, mask, values), tu, c in zip(docs, turn, placed):
        angle = (90.0 if rng.random() < 0.5 else 270.0) if tu else 0.0
        angle += float(rng.uniform(-1.0, 1.0))
        b = rng.uniform(0.96, 1.01)
        doc = cv2.multiply(doc, (b, b, b * rng.uniform(0.97, 1.0), 0.0))
        q = _place(img, doc, mask, np.array(c), w, angle, rng, shadow=float(rng.choice([0.0, 0.0, 0.12])))
        documents.append(_record(t, q, values))
    return _finish(img, documents, rng)


def full_frame(seed: int, *, kind: str = "vat_invoice", size: int = 1600, margin: tuple[int, int] = (0, 14)) -> Scene:
    """A scan: the document fills the frame, a few px of scanner bed (white or the dark lid)
    along some sides, or its edges just cut off."""
    rng = np.random.default_rng([seed, 2])
    prng = random.Random(seed)
    t = parse_type(kind)
    doc, mask, values = _draw(t, prng)
    dh, dw = doc.shape[:2]
    W = size if dw >= dh else round(size * dw / dh)
    H = round(W * dh / dw)
    bed = np.array(rng.choice([[252, 252, 252], [236, 236, 234], [38, 38, 40]]), np.uint8)
    img = np.empty((H, W, 3), np.uint8)
    img[:] = bed
    m = rng.integers(margin[0], margin[1] + 1, 4)  # left, top, right, bottom
    inner_w = W - m[0] - m[2]
    center = np.array([m[0] + inner_w / 2, m[1] + (H - m[1] - m[3]) / 2])
    q = _place(img, doc, mask, center, inner_w, float(rng.uniform(-0.6, 0.6)), rng)
    q[:, 0] = q[:, 0].clip(0, W - 1)
    q[:, 1] = q[:, 1].clip(0, H - 1)
    return _finish(img, [_record(t, q, values)], rng, SceneOptions(lighting=0.05, glare_rate=0.0, blur=0.5,
                                                                   blur_rate=0.3, noise=2.0))


def _texture(rng, W: int, H: int) -> np.ndarray:
    """A dark, busy surface: the generator's dark / wood / cloth backgrounds with grain,
    speckle and a few bright straight streaks (plank seams, table edges)."""
    kind = str(rng.choice(["dark", "wood", "cloth"]))
    img = background(rng, W, H, kind).astype(np.float32)
    if kind != "dark":
        img *= rng.uniform(0.35, 0.6)
    speck = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 1.2)
    img += (18 * speck)[..., None]
    for _ in range(int(rng.integers(2, 6))):
        p = rng.uniform(0, 1, 2) * [W, H]
        a = rng.uniform(0, np.pi)
        d = np.array([np.cos(a), np.sin(a)]) * 2 * max(W, H)
        tone = float(rng.uniform(60, 130))
        cv2.line(img, tuple(int(v) for v in p - d), tuple(int(v) for v in p + d), (tone, tone, tone),
                 int(rng.integers(2, 6)), cv2.LINE_AA)
    return img.clip(0, 255).astype(np.uint8)


def dark_surface(seed: int, *, kinds=("id_card_portrait_side",), size: int = 1600) -> Scene:
    """Cards (or other documents) on a dark, textured surface, with shadows."""
    rng = np.random.default_rng([seed, 3])
    prng = random.Random(seed)
    W, H = size, size * 3 // 4
    img = _texture(rng, W, H)
    documents, taken = [], []
    for i, k in enumerate(kinds):
        t = parse_type(k)
        doc, mask, values = _draw(t, prng)
        width = float(rng.uniform(520, 700)) * (PHYSICAL_WIDTH_MM[t] / 86) ** 0.62 / max(1, len(kinds)) ** 0.3
        width = min(width, 0.85 * W / len(kinds))
        cx = W * (i + 0.5) / len(kinds) + rng.uniform(-20, 20)
        c = np.array([cx, H / 2 + rng.uniform(-60, 60)])
        q = _place(img, doc, mask, c, width, float(rng.uniform(-12, 12)), rng, shadow=float(rng.uniform(0.3, 0.6)),
                   persp=0.03)
        documents.append(_record(t, q, values))
        taken.append(q)
    return _finish(img, documents, rng)


def low_resolution(seed: int, *, kinds=("taxi_invoice",), width: tuple[int, int] = (400, 600)) -> Scene:
    """A generator scene shrunk until its widest document is ``width`` px wide."""
    rng = np.random.default_rng([seed, 4])
    scene = make_scene(seed, 0, list(kinds), SceneOptions(low_res_rate=0.0, blur_rate=0.0))
    docs = scene.documents
    widest = max(float(np.ptp(np.asarray(d["location"], float)[:, 0])) for d in docs)
    f = min(1.0, float(rng.uniform(*width)) / widest)
    h, w = scene.image.shape[:2]
    img = cv2.resize(scene.image, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    for d in docs:
        d["location"] = [[int(round(x * f)), int(round(y * f))] for x, y in np.asarray(d["location"], float)]
    out = Scene(img, docs)
    out.jpeg_quality = int(rng.integers(78, 93))
    return out


def overlapping(seed: int, *, lower: str = "vat_invoice", upper: str = "id_card_portrait_side",
                cover: tuple[float, float] = (0.1, 0.3), size: int = 1600) -> Scene:
    """One document lying partly on another: the upper one covers a corner or an edge of the lower."""
    rng = np.random.default_rng([seed, 5])
    prng = random.Random(seed)
    W, H = size, size * 3 // 4
    img = background(rng, W, H, str(rng.choice(["wood", "table", "cloth", "dark"])))
    tl, tu = parse_type(lower), parse_type(upper)
    d1, m1, v1 = _draw(tl, prng)
    d2, m2, v2 = _draw(tu, prng)
    w1 = float(rng.uniform(0.5, 0.62)) * W * (PHYSICAL_WIDTH_MM[tl] / 240) ** 0.62
    h1 = w1 * d1.shape[0] / d1.shape[1]
    c1 = np.array([W * 0.42, H * 0.5]) + rng.uniform(-30, 30, 2)
    q1 = _place(img, d1, m1, c1, w1, float(rng.uniform(-6, 6)), rng, shadow=0.3)
    w2 = float(rng.uniform(0.3, 0.4)) * W * (PHYSICAL_WIDTH_MM[tu] / 86) ** 0.62 * 0.8
    h2 = w2 * d2.shape[0] / d2.shape[1]
    # the upper one's centre on a side or a corner of the lower one, pushed out to the cover share
    f = float(rng.uniform(*cover))
    side = int(rng.integers(4))
    dx = (w1 / 2 + w2 / 2 - w2 * f * 2) * (1 if side in (0, 3) else -1)
    dy = (h1 / 2 + h2 / 2 - h2 * 0.9) * (1 if side in (1, 3) else -1) * (rng.random() < 0.5)
    c2 = c1 + np.array([dx, dy])
    c2 = np.clip(c2, [w2 / 2 + 10, h2 / 2 + 10], [W - w2 / 2 - 10, H - h2 / 2 - 10])
    q2 = _place(img, d2, m2, c2, w2, float(rng.uniform(-15, 15)), rng, shadow=0.4)
    return _finish(img, [_record(tl, q1, v1), _record(tu, q2, v2)], rng)


def write(scenes: list[Scene], out_dir: str, prefix: str = "") -> str:
    """Write scenes as JPEG files plus ``labels.jsonl`` (as ``ocrframe synth`` does)."""
    from ocrframe.datasets.labels import write_labels

    os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
    records = []
    for i, s in enumerate(scenes):
        name = f"images/{prefix}{i:05d}.jpg"
        with open(os.path.join(out_dir, name), "wb") as fh:
            fh.write(encode_jpeg(s.image, getattr(s, "jpeg_quality", 90)))
        records.append({"image": name, "result": s.documents})
    return write_labels(os.path.join(out_dir, "labels.jsonl"), records)
