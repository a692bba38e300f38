"""Render one document: pick a layout variant and a style, build (or reuse) its template, print the values.

Examples
--------
>>> import random
>>> doc = draw_document("bankcard", random.Random(0))
>>> doc.image.shape[2], doc.mask.shape == doc.image.shape[:2], doc.layout
(3, True, 'bankcard/standard')
>>> from ocrframe.datasets.synth.values import make_values
>>> img, mask = render_document("bankcard", make_values("bankcard", random.Random(0)), random.Random(0))
>>> img.shape == doc.image.shape
True
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ocrframe.types import parse_type

from .catalog import Layout, check_split, choose, layout_named, variants
from .draw import Canvas
from .printing import apply, plan
from .values import make_values, public_content

__all__ = ["RenderedDocument", "draw_document", "render_document", "render_with_text"]

_TEMPLATES: OrderedDict = OrderedDict()
_MASKS: dict = {}
_MAX_TEMPLATES = 96


@dataclass
class RenderedDocument:
    """A drawn document: pixels, opacity mask, its truth, its layout variant and the texts drawn."""

    image: np.ndarray  # (h, w, 3) uint8 RGB, the document's own top-left at (0, 0)
    mask: np.ndarray | None  # (h, w) uint8 where it is opaque (rounded card corners); None: a rectangle
    content: dict  # the labels: the values as printed, render-only keys dropped
    layout: str  # the variant's key, "<type>/<name>"
    drawn: list  # every value text drawn, in order


def _template(layout: Layout, style: tuple, values: dict) -> Image.Image:
    key = (layout.key, style)
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


def _resolve(doc_type, layout: Layout | str | None) -> Layout:
    t = parse_type(doc_type)
    if isinstance(layout, str):
        layout = layout_named(layout)
    if layout is None:
        found = variants(t)
        if not found:
            raise ValueError(f"no layout for {t.value!r}")
        return found[0]
    if layout.doc_type != t:
        raise ValueError(f"layout {layout.key!r} does not draw {t.value!r}")
    return layout


def draw_document(doc_type, rng: random.Random, *, layouts: str = "all", print_defects: float = 1.0) -> RenderedDocument:
    """Make one document of ``doc_type``: choose a layout variant, make its values, draw it.

    Parameters
    ----------
    doc_type : DocType or str
    rng : random.Random
        Every choice (variant, values, style, print faults) comes from it.
    layouts : {"all", "tune", "heldout"}, default "all"
        Which variants to choose from (see :mod:`~ocrframe.datasets.synth.layout`).
    print_defects : float, default 1
        Multiplies how often the layout's print faults show (0: never).

    Returns
    -------
    RenderedDocument
    """
    check_split(layouts)
    t = parse_type(doc_type)
    layout = choose(t, rng, layouts)
    values = layout.values(make_values(t, rng), rng)
    img, mask, drawn = render_with_text(t, values, rng, layout=layout, print_defects=print_defects)
    return RenderedDocument(img, mask, public_content(values), layout.key, drawn)


def render_document(doc_type, values: dict, rng: random.Random, *, layout: Layout | str | None = None,
                    print_defects: float = 1.0) -> tuple[np.ndarray, np.ndarray | None]:
    """Draw a document of ``doc_type`` printing ``values``.

    Parameters
    ----------
    doc_type : DocType or str
    values : dict
        As the layout prints them: from :func:`ocrframe.datasets.synth.values.make_values`
        passed through :meth:`Layout.values` (:func:`draw_document` does both).
    rng : random.Random
        Picks the style (colour scheme, kind) and the print faults.
    layout : Layout or str, optional
        The variant (or its key ``"<type>/<name>"``); default: the type's first.
    print_defects : float, default 1
        Multiplies how often the layout's print faults show (0: never).

    Returns
    -------
    image : ndarray, (h, w, 3) uint8 RGB
        The flat document, its own top-left corner at (0, 0).
    mask : ndarray (h, w) uint8 or None
        Where the document is opaque (rounded card corners); None for a full rectangle.
    """
    img, mask, _ = render_with_text(doc_type, values, rng, layout=layout, print_defects=print_defects)
    return img, mask


def render_with_text(doc_type, values: dict, rng: random.Random, *, layout: Layout | str | None = None,
                     print_defects: float = 1.0) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """:func:`render_document`, plus every value text drawn, in order (to check labels against)."""
    layout = _resolve(doc_type, layout)
    style = layout.style(rng, values)
    tpl = _template(layout, style, values)
    job = plan(layout.printer, rng, print_defects)
    c = Canvas(img=tpl.copy(), mode="dynamic")
    if job is not None:
        c.use_print_layer()
    if layout.misprint:
        c.offset = (rng.randint(-layout.misprint, layout.misprint), rng.randint(-layout.misprint, layout.misprint) // 2)
    layout.draw(c, values, style)
    img = c.img if job is None else apply(c.img, c.print_layer, job)
    return np.asarray(img), _mask(img.size, layout.radius), c.drawn
