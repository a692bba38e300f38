"""Render one document: pick a style, build (or reuse) its template, draw the values.

Examples
--------
>>> import random
>>> from ocrframe.datasets.synth.values import make_values
>>> v = make_values("bankcard", random.Random(0))
>>> img, mask = render_document("bankcard", v, random.Random(0))
>>> img.shape[2], mask.shape == img.shape[:2]
(3, True)
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PIL import Image, ImageDraw

from ocrframe.types import DocType, parse_type

from .draw import Canvas

__all__ = ["Layout", "LAYOUTS", "render_document", "render_with_text", "register"]


@dataclass(frozen=True)
class Layout:
    """How one type is drawn: its size per style, a style picker and the layout function."""

    size: Callable[[tuple], tuple[int, int]]
    style: Callable[[random.Random, dict], tuple]
    draw: Callable[[Canvas, dict, tuple], None]
    background: Callable[[tuple, tuple[int, int]], object] | None = None
    radius: float = 0.0  # rounded corners, as a share of the short side (cards)
    misprint: int = 0  # values printed up to this many pixels off their boxes (invoice printers)


LAYOUTS: dict[DocType, Layout] = {}


def register(doc_type: DocType, layout: Layout) -> None:
    """Add a layout for a type (renderer modules call this at import)."""
    LAYOUTS[doc_type] = layout


_TEMPLATES: OrderedDict = OrderedDict()
_MASKS: dict = {}
_MAX_TEMPLATES = 96


def _load_layouts() -> None:
    if not LAYOUTS:
        from . import cards, extras, forms, licenses, receipts  # noqa: F401  (they register themselves)


def _template(t: DocType, layout: Layout, style: tuple, values: dict) -> Image.Image:
    key = (t, style)
    tpl = _TEMPLATES.get(key)
    if tpl is None:
        size = layout.size(style)
        c = Canvas(size, mode="static")
        if layout.background is not None:
            c.background(layout.background(style, size))
        layout.draw(c, values, style)
        tpl = c.img
        _TEMPLATES[key] = tpl
        if len(_TEMPLATES) > _MAX_TEMPLATES:
            _TEMPLATES.popitem(last=False)
    else:
        _TEMPLATES.move_to_end(key)
    return tpl


def _mask(size: tuple[int, int], radius: float) -> np.ndarray | None:
    if radius <= 0:
        return None
    key = (size, radius)
    m = _MASKS.get(key)
    if m is None:
        im = Image.new("L", size, 0)
        ImageDraw.Draw(im).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=int(radius * min(size)), fill=255)
        m = _MASKS[key] = np.asarray(im)
    return m


def render_document(doc_type, values: dict, rng: random.Random) -> tuple[np.ndarray, np.ndarray | None]:
    """Draw a document of ``doc_type`` printing ``values``.

    Parameters
    ----------
    doc_type : DocType or str
    values : dict
        From :func:`ocrframe.datasets.synth.values.make_values`.
    rng : random.Random
        Picks the style (colour scheme, variant).

    Returns
    -------
    image : ndarray, (h, w, 3) uint8 RGB
        The flat document, its own top-left corner at (0, 0).
    mask : ndarray (h, w) uint8 or None
        Where the document is opaque (rounded card corners); None for a full rectangle.
    """
    img, mask, _ = render_with_text(doc_type, values, rng)
    return img, mask


def render_with_text(doc_type, values: dict, rng: random.Random) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """:func:`render_document`, plus every value text drawn, in order (to check labels against)."""
    _load_layouts()
    t = parse_type(doc_type)
    try:
        layout = LAYOUTS[t]
    except KeyError:
        raise ValueError(f"no layout for {t.value!r}; drawn: {', '.join(x.value for x in LAYOUTS)}") from None
    style = layout.style(rng, values)
    tpl = _template(t, layout, style, values)
    c = Canvas(img=tpl.copy(), mode="dynamic")
    if layout.misprint:
        c.offset = (rng.randint(-layout.misprint, layout.misprint), rng.randint(-layout.misprint, layout.misprint) // 2)
    layout.draw(c, values, style)
    return np.asarray(c.img), _mask(c.img.size, layout.radius), c.drawn
