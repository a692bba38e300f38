"""The engine end to end: image -> OCR -> documents -> types -> fields -> contract JSON."""

from __future__ import annotations

import numpy as np

from ..types import DocType, Status, schema
from .classify import classify_text
from .extract import CARD_TYPES, EXTRACTORS, DocText, fields_to_content
from .locate import Region, dominant_direction, locate, order_quad, _text_box
from .ocr import TextLine, reread, run_ocr

__all__ = ["recognize_array", "analyse"]

#: below this mean recognition score a document counts as unreadable (AIS.0104)
MIN_MEAN_SCORE = 0.6
#: a card with fewer core fields than this share filled counts as unreadable (AIS.0104)
MIN_FILLED = 0.34
#: for documents found only through their text: margins around the text in line heights
#: (left, top, right, bottom), per type; refined from generated data
TEXT_MARGINS: dict[DocType, tuple[float, float, float, float]] = {}
DEFAULT_MARGIN = (1.5, 1.5, 1.5, 1.5)


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


def _seal(img: np.ndarray, quad: np.ndarray) -> bool:
    """A red stamp inside the document: enough saturated red pixels."""
    import cv2

    mask = np.zeros(img.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    x, y, w, h = cv2.boundingRect(quad.astype(np.int32))
    sub = img[y:y + h, x:x + w]
    if sub.size == 0:
        return False
    hsv = cv2.cvtColor(sub, cv2.COLOR_RGB2HSV)
    red = ((hsv[..., 0] < 10) | (hsv[..., 0] > 170)) & (hsv[..., 1] > 90) & (hsv[..., 2] > 80)
    inside = mask[y:y + h, x:x + w] > 0
    return bool(red[inside].mean() > 0.004) if inside.any() else False


def analyse(img: np.ndarray, *, type_list: tuple[DocType, ...] | None = None, lines: list[TextLine] | None = None):
    """Locate and classify the documents of an image; yields ``(Region, Classification)``
    (also for documents of unsupported kinds, whose classification type is None)."""
    if lines is None:
        lines = run_ocr(img)
    out = []
    for region in locate(img, lines):
        _fix_orientation(img, region)
        cls = classify_text([ln.text for ln in region.lines])
        out.append((region, cls))
    return out


def _document(img: np.ndarray, region: Region, t: DocType, detect_seal: bool | None) -> dict:
    if region.source == "text":
        d = region.direction
        region.quad = order_quad(_text_box(region.lines, d, TEXT_MARGINS.get(t, DEFAULT_MARGIN)), d)
    h, w = img.shape[:2]
    quad = np.rint(region.quad).astype(int)
    quad[:, 0] = quad[:, 0].clip(0, w - 1)
    quad[:, 1] = quad[:, 1].clip(0, h - 1)
    doc = DocText(region)
    names = schema(t).field_names
    fields, extra = EXTRACTORS[t](doc)
    filled = sum(1 for n in names if n in fields and fields[n].value) / max(1, len(names))
    unreadable = doc.mean_score < MIN_MEAN_SCORE or (t in CARD_TYPES and filled < MIN_FILLED)
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
    if detect_seal:
        item["seal_mark"] = _seal(img, region.quad)
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
