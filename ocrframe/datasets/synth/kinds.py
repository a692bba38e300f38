"""Scene kinds: what a scene shows (a desk photo, receipts packed on a sheet, a scan...), and presets.

A scene's *kind* decides its composition and photography; the documents it holds are
planned first (:func:`ocrframe.datasets.synth.plan_scenes`) and then fitted to the kind
by :func:`docs_for_kind` (a packed sheet needs 4-10 small receipts, a scan one document).

Kinds are drawn per scene from weighted choices, written ``"packed,fullframe:2"`` (a
name alone weighs 1) or as a mapping ``{"packed": 1, "fullframe": 2}``.

Examples
--------
>>> parse_scene_kinds("photo:3,packed")
(('photo', 3.0), ('packed', 1.0))
>>> choose_kind(7, 0, (("fullframe", 1.0),))
<SceneKind.FULLFRAME: 'fullframe'>
>>> import random
>>> docs = docs_for_kind("packed", ["passport"], None, random.Random(0), count=(4, 4))
>>> len(docs), len(set(docs))
(4, 1)
"""

from __future__ import annotations

import enum
import random
from typing import Iterable, Mapping, Sequence

from ocrframe.types import ORIGINAL_TYPES, DocType, parse_type_list

__all__ = ["SceneKind", "PACKABLE_TYPES", "CARD_TYPES", "PAPER_TYPES", "PRESETS", "parse_scene_kinds",
           "choose_kind", "docs_for_kind", "preset_options"]


class SceneKind(str, enum.Enum):
    """How a scene is composed and photographed."""

    #: documents spread on a desk, table, cloth or paper (the generator's original scenes)
    PHOTO = "photo"
    #: 4-10 small receipts side by side on a white or off-white sheet (an expense-claim photo)
    PACKED = "packed"
    #: one document filling 85-100 % of a flatbed scan, sometimes cut by the frame edge
    FULLFRAME = "fullframe"
    #: documents (cards first) on dark wood, granite, patterned fabric, a keyboard or desk clutter
    TEXTURED = "textured"
    #: documents 400-640 px wide in the final image, saved at low JPEG quality
    LOWRES = "lowres"
    #: cards next to invoices and tickets, some lying partly on another
    DESK = "desk"


#: small receipts and tickets that are glued or laid side by side on an expense-claim sheet
PACKABLE_TYPES: tuple[DocType, ...] = (
    DocType.TAXI_INVOICE, DocType.QUOTA_INVOICE, DocType.TOLL_INVOICE, DocType.TRAIN_TICKET,
    DocType.VAT_ROLL_INVOICE, DocType.MACHINE_PRINTED_INVOICE, DocType.BUS_SHIP_TICKET,
)
#: cards, licences and the passport page
CARD_TYPES: tuple[DocType, ...] = (
    DocType.ID_CARD_PORTRAIT_SIDE, DocType.ID_CARD_EMBLEM_SIDE, DocType.BANKCARD, DocType.VEHICLE_LICENSE_FRONT,
    DocType.VEHICLE_LICENSE_BACK, DocType.DRIVER_LICENSE_FRONT, DocType.DRIVER_LICENSE_BACK,
    DocType.TRANSPORTATION_LICENSE, DocType.PASSPORT,
)
#: invoices, receipts and tickets: everything that is not a card
PAPER_TYPES: tuple[DocType, ...] = tuple(t for t in DocType if t not in CARD_TYPES)

#: named option sets for :class:`~ocrframe.datasets.synth.scene.SceneOptions` (``--preset``)
PRESETS: dict[str, dict] = {
    "default": {},
    # what users photograph and scan: the original desk photos plus every failure mode of issue 14
    "realistic": {"scene_kinds": (("photo", 0.25), ("packed", 0.15), ("fullframe", 0.15), ("textured", 0.15),
                                  ("lowres", 0.15), ("desk", 0.15))},
}

#: share of packed sheets holding several kinds of small receipt instead of one
MIXED_PACK_RATE = 0.2
#: share of textured scenes that are given a card when none was planned
TEXTURED_CARD_RATE = 0.75
#: documents on a mixed desk
DESK_DOCS = (3, 5)
#: most documents on a textured background
TEXTURED_MAX_DOCS = 3


def preset_options(name: str) -> dict:
    """The :class:`SceneOptions` keywords of a named preset.

    Examples
    --------
    >>> sorted(preset_options("realistic"))
    ['scene_kinds']
    """
    try:
        return dict(PRESETS[name])
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}") from None


def parse_scene_kinds(value: str | Sequence | Mapping) -> tuple[tuple[str, float], ...]:
    """Normalise scene kinds to ``((kind, weight), ...)``, validating names and weights.

    Accepts ``"packed,fullframe:2"``, a sequence of names or ``(name, weight)`` pairs, or a
    mapping of name to weight.
    """
    if isinstance(value, str):
        items = []
        for part in value.split(","):
            name, _, weight = part.strip().partition(":")
            items.append((name.strip(), weight.strip() or 1.0))
    elif isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = [(v, 1.0) if isinstance(v, (str, SceneKind)) else tuple(v) for v in value]
    known = [k.value for k in SceneKind]
    out = []
    for item in items:
        if len(item) != 2:
            raise ValueError(f"scene_kinds entries are names or (name, weight) pairs, got {item!r}")
        name, weight = item
        name = name.value if isinstance(name, SceneKind) else str(name)
        if name not in known:
            raise ValueError(f"unknown scene kind {name!r}; choose from {', '.join(known)}")
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            raise ValueError(f"scene kind {name!r} needs a numeric weight, got {weight!r}") from None
        if not weight > 0:
            raise ValueError(f"scene kind {name!r} needs a positive weight, got {weight!r}")
        out.append((name, weight))
    if not out:
        raise ValueError("scene_kinds is empty; give at least one of " + ", ".join(known))
    return tuple(out)


def choose_kind(seed: int, index: int, kinds: Sequence[tuple[str, float]]) -> SceneKind:
    """The kind of scene ``index`` of ``seed`` (its own random stream: other draws stay put)."""
    if len(kinds) == 1:
        return SceneKind(kinds[0][0])
    rng = random.Random(f"kind:{seed}:{index}")
    return SceneKind(rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0])


def _allowed(types: Iterable[DocType | str] | str | None) -> tuple[DocType, ...]:
    if types == "all" or (isinstance(types, (list, tuple)) and list(types) == ["all"]):
        return tuple(DocType)
    return parse_type_list(types) or ORIGINAL_TYPES


def docs_for_kind(kind: SceneKind | str, planned: Sequence[str], types, rng: random.Random, *,
                  count: tuple[int, int] = (4, 10)) -> list[str]:
    """Fit a scene's planned documents to its kind (a negative scene stays negative).

    Parameters
    ----------
    kind : SceneKind or str
    planned : list of str
        The types :func:`plan_scenes` dealt to this scene.
    types : list of str, "all" or None
        The types the caller allows (None: the 17 original types).
    rng : random.Random
    count : (int, int), default (4, 10)
        Receipts on a packed sheet.

    Returns
    -------
    list of str
        ``packed``: ``count`` small receipts, all of one type (a planned one when possible)
        or, for a share :data:`MIXED_PACK_RATE`, of several; ``fullframe``: the first
        planned document; ``textured``: at most 3, usually with a card; ``desk``: 3-5 with
        at least one card and one invoice or ticket when both are allowed; others: as planned.

    Raises
    ------
    ValueError
        For ``packed`` when none of ``types`` is a small receipt.
    """
    kind = SceneKind(kind)
    if not planned:
        return []
    allowed = _allowed(types)
    planned = list(planned)
    if kind is SceneKind.PACKED:
        small = [t.value for t in allowed if t in PACKABLE_TYPES]
        if not small:
            raise ValueError("scene kind 'packed' needs a small receipt type among the requested types; "
                             f"one of {', '.join(t.value for t in PACKABLE_TYPES)}")
        k = rng.randint(*count)
        if rng.random() < MIXED_PACK_RATE:
            return [rng.choice(small) for _ in range(k)]
        own = [t for t in planned if t in small]
        return [own[0] if own else rng.choice(small)] * k
    if kind is SceneKind.FULLFRAME:
        return planned[:1]
    cards = [t.value for t in allowed if t in CARD_TYPES]
    papers = [t.value for t in allowed if t in PAPER_TYPES]
    if kind is SceneKind.TEXTURED:
        docs = planned[:TEXTURED_MAX_DOCS]
        if cards and not set(docs) & set(cards) and rng.random() < TEXTURED_CARD_RATE:
            docs[0] = rng.choice(cards)
        return docs
    if kind is SceneKind.DESK:
        n = rng.randint(*DESK_DOCS)
        docs = (planned + [rng.choice([t.value for t in allowed]) for _ in range(n)])[:n]
        if cards and not set(docs) & set(cards):
            docs[-1] = rng.choice(cards)
        if papers and not set(docs) & set(papers):
            docs[0] = rng.choice(papers)
        return docs
    return planned
