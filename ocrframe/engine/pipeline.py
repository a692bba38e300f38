"""The engine end to end: image -> OCR -> documents -> types -> fields -> contract JSON."""

from __future__ import annotations

import numpy as np

from ..types import DocType, Status, schema
from .classify import classify_text
from .extract import CARD_TYPES, EXTRACTORS, STAMPED_TYPES, DocText, fields_to_content
from .locate import Region, dominant_direction, locate, order_quad, _text_box
from .ocr import TextLine, reread, run_ocr
from .rectify import upright_crop
from .stamps import count_stamps, read_stamps

__all__ = ["recognize_array", "analyse"]

#: below this mean recognition score a document counts as unreadable (AIS.0104)
MIN_MEAN_SCORE = 0.6
#: a card with fewer core fields than this share filled counts as unreadable (AIS.0104)
MIN_FILLED = 0.34
#: a document of any type with fewer core fields filled than this counts as unreadable
#: (AIS.0104 with empty content): a type told from its title alone is no recognition
MIN_CORE_FIELDS = 1
#: for documents found only through their text: margins around the text in line heights
#: (left, top, right, bottom), per type; refined from generated data
DEFAULT_MARGIN = (1.5, 1.5, 1.5, 1.5)


def _load_margins() -> dict[DocType, tuple[float, float, float, float]]:
    """Per-type text margins fitted by ``benchmarks/fit_text_margins.py`` (shipped as data)."""
    import json
    from pathlib import Path

    path = Path(__file__).with_name("text_margins.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["margins"]
    except (OSError, ValueError, KeyError):
        return {}
    out = {}
    for k, v in raw.items():
        try:
            out[DocType(k)] = tuple(max(0.3, float(x)) for x in v)
        except ValueError:
            continue
    return out


TEXT_MARGINS: dict[DocType, tuple[float, float, float, float]] = _load_margins()


def _fix_orientation(img: np.ndarray, region: Region) -> None:
    """Re-read lines that run against the document's direction (the angle classifier
    flipped them) and keep the better reading."""
    d = region.direction
    bad = [i for i, ln in enumerate(region.lines) if float(ln.direction @ d) < -0.5]
    if not bad:
        return
    quads = [np.roll(region.lines[i].quad, 2, axis=0) for i in bad]
    for i, q, (txt, sc) in zip(bad, quads, reread(img, quads)):
        ln = region.lines[i]
        if txt.strip() and sc > ln.score - 0.05:
            region.lines[i] = TextLine(q, txt.strip(), sc, -ln.direction)


#: documents turned further than this from upright (cosine) are read again, rectified
RECTIFY_COS = float(np.cos(np.deg2rad(30)))


def _reocr_upright(img: np.ndarray, region: Region, pad: float = 0.12) -> np.ndarray | None:
    """Read a turned document again from an upright, rectified crop.

    The detector and recogniser are trained on upright text; a document at 90 or 180
    degrees is read far better once turned upright (spaced labels, long numbers).
    The new lines are mapped back to image coordinates and replace the region's lines.
    """
    import cv2

    crop = upright_crop(img, region, pad=pad)
    if crop is None:
        return None
    new = run_ocr(crop.image, use_cls=False)  # the crop is upright: no angle classifier
    if not new:
        return None
    poly = region.quad.astype(np.float32)
    reach = 0.03 * max(crop.image.shape[:2])
    lines = [ln for ln in crop.to_image(new, region.direction)
             if cv2.pointPolygonTest(poly, tuple(float(c) for c in ln.center), True) >= -reach]
    if len(lines) >= max(1, len(region.lines) // 2):
        region.lines = lines
        region.direction = dominant_direction(lines)
        region.quad = order_quad(region.quad, region.direction)
        return region.quad
    return None


def analyse(img: np.ndarray, *, type_list: tuple[DocType, ...] | None = None, lines: list[TextLine] | None = None):
    """Locate and classify the documents of an image; yields ``(Region, Classification)``
    (also for documents of unsupported kinds, whose classification type is None)."""
    if lines is None:
        lines = run_ocr(img)
    out = []
    reread_areas: list[np.ndarray] = []
    regions = sorted(locate(img, lines), key=lambda r: -len(r.lines))
    for region in regions:
        if reread_areas and region.lines and all(
                any(_inside_quad(a, ln.center) for a in reread_areas) for ln in region.lines):
            continue  # already read again as part of a turned document's crop
        if float(region.direction @ np.array([1.0, 0.0])) < RECTIFY_COS:
            area = _reocr_upright(img, region)
            if area is not None:
                reread_areas.append(area)
        _fix_orientation(img, region)
        cls = classify_text([ln.text for ln in region.lines])
        out.append((region, cls))
    return _suppress_duplicates(_merge_parts(out))


def _suppress_duplicates(found):
    """Of two regions covering mostly the same area (a document and its own inner frame,
    both read), keep the better classified one."""
    import cv2

    def area(q):
        return abs(cv2.contourArea(q.astype(np.float32)))

    order = sorted(range(len(found)), key=lambda i: -(found[i][1].score + 0.01 * len(found[i][0].lines)))
    kept = []
    for i in order:
        qi = found[i][0].quad.astype(np.float32)
        dup = False
        for j in kept:
            qj = found[j][0].quad.astype(np.float32)
            inter, _ = cv2.intersectConvexConvex(qi, qj)
            m = min(area(qi), area(qj))
            if m > 0 and inter / m > 0.6:
                dup = True
                break
        if not dup:
            kept.append(i)
    return [found[i] for i in sorted(kept)]


def _gap(a: Region, b: Region, d: np.ndarray) -> float:
    """Gap between two regions' extents (quads and lines) along and across direction d."""
    n = np.array([-d[1], d[0]])
    pa = np.concatenate([a.quad] + [ln.quad for ln in a.lines])
    pb = np.concatenate([b.quad] + [ln.quad for ln in b.lines])
    g = 0.0
    for ax in (d, n):
        g = max(g, (pb @ ax).min() - (pa @ ax).max(), (pa @ ax).min() - (pb @ ax).max())
    return g


def _inside_quad(quad: np.ndarray, pt: np.ndarray) -> bool:
    import cv2

    return cv2.pointPolygonTest(quad.astype(np.float32), (float(pt[0]), float(pt[1])), False) >= 0


def _merge_parts(found):
    """Join a text-only region to a neighbouring region of the same document: same reading
    direction, close by, and the same type (or no type of its own). A document whose
    outline missed part of its text (a title above a table border), or whose text fell
    apart into blocks, becomes one region again."""
    found = list(found)
    changed = True
    while changed:
        changed = False
        for i, (ri, ci) in enumerate(found):
            if ri.source != "text":
                continue
            hi = float(np.median([ln.height for ln in ri.lines])) if ri.lines else 10.0
            best = None
            for j, (rj, cj) in enumerate(found):
                if i == j or float(ri.direction @ rj.direction) < 0.9:
                    continue
                g = _gap(ri, rj, rj.direction)
                if ci.type is not None and cj.type is not None and ci.type != cj.type:
                    # a weakly typed fragment right next to a strongly typed document
                    if not (ci.score < 0.5 * cj.score and g < 1.5 * hi):
                        continue
                if g < 4.0 * hi and (best is None or g < best[0]):
                    best = (g, j)
            if best is None:
                continue
            j = best[1]
            rj, cj = found[j]
            d = rj.direction
            pts = np.concatenate([rj.quad, _text_box(ri.lines, d, 1.0)])
            n = np.array([-d[1], d[0]])
            u, v = pts @ d, pts @ n
            box = np.array([a * d + b * n for a, b in
                            [(u.min(), v.min()), (u.max(), v.min()), (u.max(), v.max()), (u.min(), v.max())]])
            extra = [ln for ln in ri.lines if not any(_inside_quad(o.quad, ln.center) for o in rj.lines)]
            merged = Region(order_quad(box, d), rj.lines + extra, d, rj.source if rj.source == "text" else "merged")
            cls = classify_text([ln.text for ln in merged.lines])
            found[j] = (merged, cls)
            del found[i]
            changed = True
            break
    return found


def _document(img: np.ndarray, region: Region, t: DocType, detect_seal: bool | None) -> dict:
    if region.source == "text":
        d = region.direction
        region.quad = order_quad(_text_box(region.lines, d, TEXT_MARGINS.get(t, DEFAULT_MARGIN)), d)
    h, w = img.shape[:2]
    quad = np.rint(region.quad).astype(int)
    quad[:, 0] = quad[:, 0].clip(0, w - 1)
    quad[:, 1] = quad[:, 1].clip(0, h - 1)
    n_stamps = read_stamps(img, region) if t in STAMPED_TYPES else None
    doc = DocText(region)
    names = schema(t).field_names
    fields, extra = EXTRACTORS[t](doc)
    n_filled = sum(1 for n in names if n in fields and fields[n].value)
    filled = n_filled / max(1, len(names))
    unreadable = (doc.mean_score < MIN_MEAN_SCORE or n_filled < MIN_CORE_FIELDS
                  or (t in CARD_TYPES and filled < MIN_FILLED))
    if unreadable:
        status, content = Status.POOR_QUALITY, {}
    else:
        status, content = Status.OK, fields_to_content(fields, names, extra)
    item = {
        "status": {"error_code": status.code, "error_msg": status.message},
        "type": t.value,
        "location": quad.tolist(),
        "content": content,
    }
    if detect_seal:  # a red stamp inside the document (stamps.ink_mask: the one red-ink test)
        item["seal_mark"] = bool(n_stamps if n_stamps is not None else count_stamps(img, region))
    return item


def recognize_array(img: np.ndarray, *, type_list: tuple[DocType, ...] | None = None,
                    detect_seal: bool | None = None) -> dict:
    """Recognise every supported document of a decoded RGB image.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 RGB image.
    type_list : tuple of DocType, optional
        Only these types are reported (and extracted); None = all.
    detect_seal : bool, optional
        Add ``seal_mark`` to each document.

    Returns
    -------
    dict
        The contract's 200 body, ``{"result": [...]}``, documents in reading order
        (top to bottom, then left to right).

    Examples
    --------
    >>> import numpy as np
    >>> recognize_array(np.full((100, 100, 3), 255, np.uint8))
    {'result': []}
    """
    items = []
    for region, cls in analyse(img, type_list=type_list):
        t = cls.type
        if t is None or t not in EXTRACTORS:
            continue
        if type_list is not None and t not in type_list:
            continue
        items.append(_document(img, region, t, detect_seal))
    items.sort(key=lambda it: (np.mean([p[1] for p in it["location"]]) // 50, np.mean([p[0] for p in it["location"]])))
    return {"result": items}
