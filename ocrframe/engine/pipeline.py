"""The engine end to end: image -> OCR -> documents -> types -> fields -> contract JSON."""

from __future__ import annotations

import numpy as np

from ..types import DocType, Status, schema
from .classify import classify_text
from .complete import complete
from .extract import CARD_TYPES, EXTRACTORS, STAMPED_TYPES, DocText, fields_to_content
from .locate import TEXT_MARGIN, Region, dominant_direction, locate, order_quad, _text_box
from .ocr import TextLine, reread, run_ocr
from .overlap import split_kinds
from .packed import regroup
from .panels import find_panels
from .paper import PaperMap
from .params import EngineParams
from .quadops import area, inside, overlap_frac
from .regions import drop_inner_fragments, merge_parts, other_paper, suppress_duplicates
from .rectify import UprightCrop, upright_crop
from .resolution import crop_scale
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
#: fitted margins are never taken below this many line heights
MIN_FITTED_MARGIN = 0.3

#: a line whose direction's cosine with its document's is below this runs against it
#: (the angle classifier flipped it) and is read again turned round
AGAINST_COS = -0.5
#: the turned reading replaces the first when its score is at most this much lower
REREAD_SCORE_SLACK = 0.05
#: a turned document is read again from a crop this much (share of its size) larger
UPRIGHT_PAD = 0.12
#: lines read on that crop are kept within this share of the crop's size outside the quad
UPRIGHT_REACH = 0.03
#: the crop's reading replaces the first when it finds at least this share of its lines
UPRIGHT_MIN_LINES = 0.5
#: a box detected on that crop keeps the first reading of a line whose corners all lie
#: within this share of its line height of the box's ...
REUSE_CORNER = 0.4
#: ... when that line was read along the document's direction (cosine at least this)
REUSE_COS = 0.95

#: an outline more than this many times the area of the paper around its text grew into
#: the background ...
OUTLINE_OVERGROWN = 1.25
#: ... when that paper lies (this share) inside it
PAPER_INSIDE = 0.9
#: documents are reported in rows this many pixels high, then left to right
READING_ROW_PX = 50


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
            out[DocType(k)] = tuple(max(MIN_FITTED_MARGIN, float(x)) for x in v)
        except ValueError:
            continue
    return out


TEXT_MARGINS: dict[DocType, tuple[float, float, float, float]] = _load_margins()


def _fix_orientation(img: np.ndarray, region: Region) -> None:
    """Re-read lines that run against the document's direction (the angle classifier
    flipped them) and keep the better reading."""
    d = region.direction
    bad = [i for i, ln in enumerate(region.lines) if float(ln.direction @ d) < AGAINST_COS]
    if not bad:
        return
    quads = [np.roll(region.lines[i].quad, 2, axis=0) for i in bad]
    for i, q, (txt, sc) in zip(bad, quads, reread(img, quads)):
        ln = region.lines[i]
        if txt.strip() and sc > ln.score - REREAD_SCORE_SLACK:
            region.lines[i] = TextLine(q, txt.strip(), sc, -ln.direction)


#: documents turned further than this from upright (cosine) are read again, rectified
RECTIFY_COS = float(np.cos(np.deg2rad(30)))


def _known_readings(crop: UprightCrop, region: Region):
    """For :func:`run_ocr`'s ``known``: the first reading of a box detected again on a
    turned document's upright crop, where one of the region's lines lies on it (every
    corner within ``REUSE_CORNER`` of its line height) and was read along the document's
    direction (so from the same upright pixels); None otherwise (the box is recognised)."""
    old = [(crop.to_crop(ln.quad), ln) for ln in region.lines
           if float(ln.direction @ region.direction) >= REUSE_COS]

    def known(box: np.ndarray) -> tuple[str, float] | None:
        for q, ln in old:
            if np.linalg.norm(q - box, axis=1).max() <= REUSE_CORNER * ln.height:
                return ln.text, ln.score
        return None

    return known


def _reocr_upright(img: np.ndarray, region: Region, pad: float = UPRIGHT_PAD,
                   min_score: float = EngineParams.min_score, reuse: bool = True,
                   text_px: float = EngineParams.reread_text_px) -> np.ndarray | None:
    """Read a turned document again from an upright, rectified crop.

    The detector and recogniser are trained on upright text; a document at 90 or 180
    degrees is read far better once turned upright (spaced labels, long numbers).
    The new lines are mapped back to image coordinates and replace the region's lines.
    With ``reuse``, a line detected on the crop where the first reading already found it
    upright keeps that reading (:func:`_known_readings`); only the others are recognised.
    The crop is detected at RapidOCR's scale, capped by ``text_px`` (:func:`crop_scale`).
    """
    import cv2

    crop = upright_crop(img, region, pad=pad)
    if crop is None:
        return None
    known = _known_readings(crop, region) if reuse else None
    # the crop is upright: no angle classifier
    h = float(np.median([ln.height for ln in region.lines])) if region.lines else 0.0
    scale = crop_scale(crop.image.shape[:2], img.shape[:2], h, text_px)
    new = run_ocr(crop.image, min_score=min_score, use_cls=False, known=known, det_scale=scale)
    if not new:
        return None
    poly = region.quad.astype(np.float32)
    reach = UPRIGHT_REACH * max(crop.image.shape[:2])
    lines = [ln for ln in crop.to_image(new, region.direction)
             if cv2.pointPolygonTest(poly, tuple(float(c) for c in ln.center), True) >= -reach]
    if len(lines) >= max(1, int(len(region.lines) * UPRIGHT_MIN_LINES)):
        region.lines = lines
        region.direction = dominant_direction(lines)
        region.quad = order_quad(region.quad, region.direction)
        return region.quad
    return None


def analyse(img: np.ndarray, *, type_list: tuple[DocType, ...] | None = None, lines: list[TextLine] | None = None,
            params: EngineParams | None = None):
    """Locate and classify the documents of an image.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 RGB image.
    type_list : tuple of DocType, optional
        Only documents of these types are returned; None = every document, also those of
        unsupported kinds (whose classification type is None). All documents are found
        either way (a document of another type still keeps its lines from the others).
    lines : list of TextLine, optional
        The image's recognised lines, when already read (default: read them here).
    params : EngineParams, optional
        The engine's knobs (default: :class:`EngineParams`'s defaults).

    Returns
    -------
    list of (Region, Classification)

    Examples
    --------
    >>> import numpy as np
    >>> analyse(np.full((100, 100, 3), 255, np.uint8), type_list=(DocType.PASSPORT,))
    []
    """
    params = params or EngineParams()
    if lines is None:
        lines = run_ocr(img, min_score=params.min_score)
    panels = find_panels(img)
    if len(panels) < 2:
        found = _analyse_picture(img, lines, params)
    else:
        # a composite of photos: each panel is a picture of its own (see ``engine.panels``)
        found = []
        for x0, y0, x1, y1 in panels:
            off = np.array([x0, y0], float)
            own = [TextLine(ln.quad - off, ln.text, ln.score, ln.direction) for ln in lines
                   if x0 <= ln.center[0] < x1 and y0 <= ln.center[1] < y1]
            if own:
                found.extend(_shifted(_analyse_picture(img[y0:y1, x0:x1], own, params), off, (x1 - x0, y1 - y0)))
    if type_list is not None:
        found = [(r, c) for r, c in found if c.type in type_list]
    return found


def _shifted(found: list, off: np.ndarray, size: tuple[int, int]) -> list:
    """Regions found in a panel of ``size`` (width, height), their quads kept inside it (no
    document runs past the edge of its picture), moved by ``off`` into the whole image's
    coordinates."""
    moved: set[int] = set()
    for region, _ in found:
        region.quad = np.clip(region.quad, 0, np.array(size, float)) + off
        for ln in region.lines + region.stamp_lines:
            if id(ln) not in moved:
                moved.add(id(ln))
                ln.quad = ln.quad + off
    return found


def _analyse_picture(img: np.ndarray, lines: list[TextLine], params: EngineParams) -> list:
    """:func:`analyse` on one picture (all types)."""
    out = []
    reread_areas: list[np.ndarray] = []
    paper = PaperMap(img)
    located = [(r, classify_text([ln.text for ln in r.lines])) for found in locate(img, lines)
               for r in _kinds(paper, found)]
    grouped = regroup(img, located, _margins, paper) if params.split_packed else [r for r, _ in located]
    regions = sorted(grouped, key=lambda r: -len(r.lines))
    for region in regions:
        if reread_areas and region.lines and all(
                any(inside(a, ln.center) for a in reread_areas) for ln in region.lines):
            continue  # already read again as part of a turned document's crop
        if params.reread_turned and float(region.direction @ np.array([1.0, 0.0])) < RECTIFY_COS:
            area = _reocr_upright(img, region, min_score=params.min_score, reuse=params.reuse_readings,
                                  text_px=params.reread_text_px)
            if area is not None:
                reread_areas.append(area)
        _fix_orientation(img, region)
        cls = classify_text([ln.text for ln in region.lines])
        out.append((region, cls))
    found = _on_paper(paper, complete(merge_parts(out, paper), lambda a, b: other_paper(paper, a, b)))
    return suppress_duplicates(drop_inner_fragments(found, paper))


def _on_paper(paper: PaperMap, found: list) -> list:
    """Each document's quad from the paper around its text, where that paper stands apart
    from its surroundings (see ``engine.paper``): for documents seen through their text
    alone, and for outlines that grew past their paper into a busy background."""
    for region, _ in found:
        if region.source == "split":
            continue  # packed documents of one kind: their paper runs on into the sheet
        q = paper.quad(region.lines)
        if q is None:
            continue
        if region.source != "outline" or (area(region.quad) > OUTLINE_OVERGROWN * area(q)
                                          and overlap_frac(q, region.quad) > PAPER_INSIDE):
            region.quad = order_quad(q, region.direction)
            region.source = "paper"
    return found


def _kinds(paper: PaperMap, region: Region) -> list[Region]:
    """A region holding documents of different kinds (one lying on another), split into
    text regions of source ``"kind"``, one per document (see ``engine.overlap``); they
    join a neighbour of another type only where the two read better together, never as
    a "weak fragment"; ``[region]`` otherwise."""
    parts = split_kinds(paper, region.lines)
    if len(parts) < 2:
        return [region]
    out = []
    for lns in parts:
        d = dominant_direction(lns)
        out.append(Region(order_quad(_text_box(lns, d, TEXT_MARGIN), d), lns, d, "kind"))
    return out


def _margins(t: DocType) -> tuple[float, float, float, float]:
    """A type's usual margins around its text (line heights: left, top, right, bottom)."""
    return TEXT_MARGINS.get(t, DEFAULT_MARGIN)


def _document(img: np.ndarray, region: Region, t: DocType, detect_seal: bool | None,
              params: EngineParams = EngineParams()) -> dict:
    if region.source in ("text", "kind"):
        d = region.direction
        region.quad = order_quad(_text_box(region.lines, d, _margins(t)), d)
    h, w = img.shape[:2]
    quad = np.rint(region.quad).astype(int)
    quad[:, 0] = quad[:, 0].clip(0, w - 1)
    quad[:, 1] = quad[:, 1].clip(0, h - 1)
    n_stamps = read_stamps(img, region) if params.read_stamps and t in STAMPED_TYPES else None
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
                    detect_seal: bool | None = None, params: EngineParams | None = None) -> dict:
    """Recognise every supported document of a decoded RGB image.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 RGB image.
    type_list : tuple of DocType, optional
        Only these types are reported (and extracted); None = all.
    detect_seal : bool, optional
        Add ``seal_mark`` to each document.
    params : EngineParams, optional
        The engine's knobs (default: :class:`EngineParams`'s defaults). ``det_policy`` is
        the OCR layer's process-wide setting (:func:`ocrframe.engine.ocr.configure`;
        :class:`~ocrframe.LocalEngine` sets it).

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
    params = params or EngineParams()
    items = []
    for region, cls in analyse(img, type_list=type_list, params=params):
        t = cls.type
        if t is None or t not in EXTRACTORS:
            continue
        items.append(_document(img, region, t, detect_seal, params))
    items.sort(key=lambda it: (np.mean([p[1] for p in it["location"]]) // READING_ROW_PX,
                               np.mean([p[0] for p in it["location"]])))
    return {"result": items}
