"""The layout registry: how each document type is drawn, in named variants.

A :class:`Layout` is one variant of a type: its size, a style picker, the drawing
function, its paper, how its values are printed (a :class:`~.printing.Printer`) and how
it prints the generic values of :mod:`.values` (``adapt``; fields it does not print at
all are listed in ``absent`` and left out of its truth). Layout modules call
:func:`register` when imported; :mod:`.catalog` imports them all, so this module imports
none of them (no import cycle).

Each variant is either a *tune* variant (development may look at it and tune on it) or a
*held-out* one (only measured on): ``layouts="tune"`` / ``"heldout"`` draw only that part,
``"all"`` (the default) draws both. The split is fixed in the code, so it is the same in
every run.

Examples
--------
>>> from ocrframe.datasets.synth import catalog  # registers every layout
>>> [v.key for v in variants("taxi_invoice", "heldout")]
['taxi_invoice/shanghai', 'taxi_invoice/boxed']
>>> choose("bankcard", random.Random(0)).key
'bankcard/standard'
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable

from ocrframe.types import DocType, parse_type

from .printing import Printer

__all__ = ["Layout", "LAYOUT_SPLITS", "register", "variants", "choose", "layout_named", "split_types",
           "check_split"]

#: which variants a run draws: every one, only those tuned on, or only the held-out ones
LAYOUT_SPLITS = ("all", "tune", "heldout")


@dataclass(frozen=True)
class Layout:
    """One way a type is drawn: size per style, style picker, drawing function, paper, print.

    Parameters
    ----------
    size : callable
        ``size(style) -> (width, height)`` in document pixels.
    style : callable
        ``style(rng, values) -> tuple``: the variant's hashable style (colours, kind); one
        template is cached per style.
    draw : callable
        ``draw(canvas, values, style)``: draws labels and frame (static) and values
        (dynamic); see :class:`~.draw.Canvas`.
    background : callable, optional
        ``background(style, size) -> (h, w, 3) uint8``: the paper.
    radius : float, default 0
        Rounded corners, as a share of the short side (cards).
    misprint : int, default 0
        Values printed up to this many pixels off their boxes (a small jitter).
    name : str, default "standard"
        The variant's name; its key is ``"<type>/<name>"``.
    heldout : bool, default False
        A held-out variant: never tuned on, only measured.
    weight : float, default 1
        How common the variant is among its type's variants.
    adapt : callable, optional
        ``adapt(values, rng) -> values``: the generic values as this variant prints them
        (other formats, other fields); must not change its input.
    absent : frozenset of str
        Fields of the type this variant does not print; they are dropped from its truth.
    printer : Printer
        The print process of the values and how often it fails (misregistration, dot
        matrix, fading); the default prints cleanly.
    """

    size: Callable[[tuple], tuple[int, int]]
    style: Callable[[random.Random, dict], tuple]
    draw: Callable
    background: Callable | None = None
    radius: float = 0.0
    misprint: int = 0
    name: str = "standard"
    heldout: bool = False
    weight: float = 1.0
    adapt: Callable[[dict, random.Random], dict] | None = None
    absent: frozenset = frozenset()
    printer: Printer = field(default_factory=Printer)
    doc_type: DocType | None = None  # set by register()

    @property
    def key(self) -> str:
        """``"<type>/<name>"``, as written in the labels."""
        return f"{self.doc_type.value if self.doc_type else '?'}/{self.name}"

    @property
    def split(self) -> str:
        """``"heldout"`` or ``"tune"``."""
        return "heldout" if self.heldout else "tune"

    def values(self, values: dict, rng: random.Random) -> dict:
        """``values`` as this variant prints them: adapted, without the ``absent`` fields."""
        out = self.adapt(values, rng) if self.adapt is not None else dict(values)
        for k in self.absent:
            out.pop(k, None)
        return out


_REGISTRY: dict[DocType, dict[str, Layout]] = {}


def register(doc_type: DocType | str, layout: Layout) -> Layout:
    """Add a layout variant of ``doc_type`` (layout modules call this at import).

    Raises ``ValueError`` if the type already has a variant of that name.
    """
    t = parse_type(doc_type)
    named = _REGISTRY.setdefault(t, {})
    if layout.name in named:
        raise ValueError(f"{t.value} already has a layout named {layout.name!r}")
    layout = replace(layout, doc_type=t)
    named[layout.name] = layout
    return layout


def check_split(split: str) -> str:
    """``split`` if it is one of :data:`LAYOUT_SPLITS`, else ``ValueError`` naming them."""
    if split not in LAYOUT_SPLITS:
        raise ValueError(f"layouts must be one of {', '.join(map(repr, LAYOUT_SPLITS))}, got {split!r}")
    return split


def variants(doc_type: DocType | str, split: str = "all") -> tuple[Layout, ...]:
    """The registered variants of ``doc_type`` in ``split``, in registration order."""
    check_split(split)
    t = parse_type(doc_type)
    found = tuple(_REGISTRY.get(t, {}).values())
    return found if split == "all" else tuple(v for v in found if v.split == split)


def split_types(split: str = "all") -> list[DocType]:
    """The types with at least one variant in ``split``."""
    return [t for t in _REGISTRY if variants(t, split)]


def choose(doc_type: DocType | str, rng: random.Random, split: str = "all") -> Layout:
    """A variant of ``doc_type`` from ``split``, drawn by ``weight``.

    A type with a single candidate takes no random draw (so adding variants to one type
    does not change how the others are drawn).
    """
    t = parse_type(doc_type)
    found = variants(t, split)
    if not found:
        have = ", ".join(x.value for x in split_types(split))
        raise ValueError(f"{t.value} has no {split} layout; types that have: {have or 'none'}")
    if len(found) == 1:
        return found[0]
    return rng.choices(found, [v.weight for v in found])[0]


def layout_named(key: str) -> Layout:
    """The variant ``"<type>/<name>"``; ``ValueError`` listing the type's variants if unknown."""
    type_name, _, name = key.partition("/")
    t = parse_type(type_name)
    named = _REGISTRY.get(t, {})
    if name not in named:
        raise ValueError(f"no layout {key!r}; {t.value} has: {', '.join(named) or 'none'}")
    return named[name]
