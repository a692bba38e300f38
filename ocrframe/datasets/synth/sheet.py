"""A contact sheet: labelled scenes as thumbnails with their quads and types drawn.

Scenes are chosen greedily until every labelled type is shown, so a person can judge the
realism of every type at a glance.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

from ..labels import iter_labels
from .fonts import font

__all__ = ["contact_sheet", "draw_quads"]

_COLORS = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240),
           (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40), (128, 0, 0)]


def draw_quads(image: np.ndarray, documents, *, scale: float = 1.0) -> np.ndarray:
    """An RGB copy of ``image`` with each document's quad, first corner and type drawn.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.zeros((100, 160, 3), np.uint8)
    >>> out = draw_quads(img, [{"type": "bankcard", "location": [[10, 30], [150, 30], [150, 90], [10, 90]]}])
    >>> out.shape, bool(out.any()), bool(img.any())
    ((100, 160, 3), True, False)
    """
    from PIL import Image, ImageDraw

    out = image.copy()
    for i, d in enumerate(documents):
        q = (np.asarray(d["location"], np.float32) * scale).astype(np.int32)
        col = _COLORS[i % len(_COLORS)]
        cv2.polylines(out, [q], True, col, 3, cv2.LINE_AA)
        cv2.circle(out, tuple(int(v) for v in q[0]), 7, col, -1, cv2.LINE_AA)
    im = Image.fromarray(out)
    draw = ImageDraw.Draw(im)
    f = font("latinb", 18)
    for i, d in enumerate(documents):
        q = np.asarray(d["location"], np.float32) * scale
        x, y = q[:, 0].min(), max(0, q[:, 1].min() - 22)
        t = d["type"] if isinstance(d["type"], str) else d["type"].value
        box = draw.textbbox((x, y), t, font=f)
        draw.rectangle(box, fill=(0, 0, 0))
        draw.text((x, y), t, font=f, fill=_COLORS[i % len(_COLORS)])
    return np.asarray(im)


def contact_sheet(labels_path: str | os.PathLike, out_path: str | os.PathLike, *, thumb: int = 480,
                  columns: int = 4, max_images: int = 16, quality: int = 80) -> str:
    """Write a JPEG grid of scenes from a labels file, covering every labelled type.

    Parameters
    ----------
    labels_path : path
        A labels JSONL file; its images are read from disk.
    out_path : path
        The JPEG to write.
    thumb : int, default 480
        Thumbnail width in pixels.
    columns, max_images : int
        Grid shape; at most ``max_images`` thumbnails (more if needed to show every type).

    Returns
    -------
    str
        ``out_path``.
    """
    root = os.path.dirname(os.path.abspath(os.fspath(labels_path)))
    entries = [(image, r.documents) for _, image, r in iter_labels(labels_path)]
    chosen, shown = [], set()
    for image, docs in sorted(entries, key=lambda e: -len({d.type for d in e[1]})):
        new = {d.type for d in docs} - shown
        if new:
            chosen.append((image, docs))
            shown |= new
    for image, docs in entries:  # fill up with the hardest-looking multi-document scenes
        if len(chosen) >= max_images:
            break
        if (image, docs) not in chosen and len(docs) >= 2:
            chosen.append((image, docs))
    negatives = [e for e in entries if not e[1]]
    if negatives and len(chosen) < max_images + 1:
        chosen.append(negatives[0])
    tiles = []
    for image, docs in chosen:
        bgr = cv2.imread(os.path.join(root, image))
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        box_h = round(thumb * 3 / 4)
        s = min(thumb / rgb.shape[1], box_h / rgb.shape[0])
        small = cv2.resize(rgb, (round(rgb.shape[1] * s), round(rgb.shape[0] * s)), interpolation=cv2.INTER_AREA)
        small = draw_quads(small, [{"type": d.type.value, "location": d.location} for d in docs], scale=s)
        tile = np.full((box_h + 4, thumb + 4, 3), 255, np.uint8)
        x = 2 + (thumb - small.shape[1]) // 2
        tile[2:2 + small.shape[0], x:x + small.shape[1]] = small
        tiles.append(tile)
    rows = -(-len(tiles) // columns)
    th, tw = tiles[0].shape[:2]
    sheet = np.full((rows * th, columns * tw, 3), 255, np.uint8)
    for k, tile in enumerate(tiles):
        r, c = divmod(k, columns)
        sheet[r * th:(r + 1) * th, c * tw:(c + 1) * tw] = tile
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    with open(out_path, "wb") as fh:
        fh.write(buf.tobytes())
    return os.fspath(out_path)
