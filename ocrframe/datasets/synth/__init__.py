"""Synthetic labelled scenes of Chinese documents, for tests, tuning and benchmarks.

``generate(n, seed, out_dir)`` writes ``n`` JPEG scenes and a ``labels.jsonl`` in the
labels format (type, the exact 4-corner quad, every field the document prints, as
printed, and the layout variant drawn). The same seed gives the same bytes. The CLI's
``ocrframe synth --n 200 --seed 7 --out DIR`` calls :func:`main`.

Several types are drawn in several layout variants (other cities' taxi receipts, other
provinces' quota and toll receipts, old and fully digital VAT invoices, itinerary
forms), each either *tuned on* or *held out*: ``layouts="heldout"`` draws only variants
that development never tuned on (:mod:`~ocrframe.datasets.synth.layout`).

Scenes come in kinds (:class:`SceneKind`): desk photos (the default), receipts packed on
a sheet, full-frame scans, dark and textured backgrounds, low resolution, and mixed desks
with overlapping documents; ``preset="realistic"`` (``--preset realistic``) mixes them all.

Examples
--------
>>> import tempfile
>>> from ocrframe.datasets import read_labels
>>> out = tempfile.mkdtemp()
>>> records = generate(3, seed=7, out_dir=out, size=800, negative_rate=0)
>>> truth = read_labels(out + "/labels.jsonl")
>>> truth["image"].nunique()
3
>>> packed = generate(2, seed=7, size=800, scene_kinds="packed", negative_rate=0)
>>> all(len(r["result"]) >= 4 for r in packed)
True
"""

from __future__ import annotations

import argparse
import json
import os
import random
from typing import Iterable, Sequence

from ocrframe.types import ORIGINAL_TYPES, DocType, parse_type_list

from .catalog import LAYOUT_SPLITS, check_split, split_types
from .kinds import PRESETS, SceneKind, choose_kind, docs_for_kind
from .scene import Scene, SceneOptions, encode_jpeg, make_scene

__all__ = ["generate", "plan_scenes", "render_scene", "main", "SceneOptions", "Scene", "make_scene", "LAYOUT_SPLITS",
           "DOCS_PER_SCENE_WEIGHTS", "SceneKind", "PRESETS"]

#: how often a scene holds 1, 2, 3, 4 documents
DOCS_PER_SCENE_WEIGHTS = (0.45, 0.3, 0.15, 0.1)


def plan_scenes(n: int, seed: int, *, types: Iterable[DocType | str] | None = None, min_docs: int = 1,
                max_docs: int = 4, negative_rate: float = 0.05) -> list[list[str]]:
    """Decide, for each of ``n`` scenes, which document types it holds (``[]``: a negative).

    Types are dealt from shuffled decks of all requested types, so every type appears
    about equally often and, once ``n`` is large enough, at least once.

    Examples
    --------
    >>> plan = plan_scenes(40, 0, negative_rate=0.1)
    >>> len(plan), sum(len(p) for p in plan) > 40
    (40, True)
    """
    if types == "all" or (isinstance(types, (list, tuple)) and list(types) == ["all"]):
        types = list(DocType)
    kinds = [t.value for t in (parse_type_list(types) or ORIGINAL_TYPES)]
    if not 1 <= min_docs <= max_docs:
        raise ValueError(f"need 1 <= min_docs <= max_docs, got min_docs={min_docs}, max_docs={max_docs}")
    if not 0 <= negative_rate < 1:
        raise ValueError(f"negative_rate must be in [0, 1), got {negative_rate}")
    rng = random.Random(f"plan:{seed}")
    deck: list[str] = []
    counts = list(range(min_docs, max_docs + 1))
    weights = [DOCS_PER_SCENE_WEIGHTS[k - 1] if k <= 4 else 0.05 for k in counts]
    plan = []
    for _ in range(n):
        if rng.random() < negative_rate:
            plan.append([])
            continue
        k = rng.choices(counts, weights)[0]
        docs = []
        for _ in range(k):
            if not deck:
                deck = kinds[:]
                rng.shuffle(deck)
            docs.append(deck.pop())
        plan.append(docs)
    return plan


def render_scene(args) -> tuple[bytes, list[dict]]:
    """Render and encode one planned scene: ``(jpeg_bytes, documents)`` (a picklable worker)."""
    seed, index, doc_types, options = args
    scene = make_scene(seed, index, doc_types, options)
    return encode_jpeg(scene.image, scene.jpeg_quality), scene.documents


def generate(n: int, seed: int = 0, out_dir: str | os.PathLike | None = None, *,
             types: Sequence[DocType | str] | None = None, min_docs: int = 1, max_docs: int = 4,
             negative_rate: float = 0.05, hard: bool | float = False, workers: int = 1, image_dir: str = "images",
             prefix: str = "", layouts: str = "all", preset: str = "default", **options) -> list[dict]:
    """Render ``n`` labelled scenes; write them to ``out_dir`` when given.

    Parameters
    ----------
    n : int
        Number of images.
    seed : int, default 0
        Same seed, same plan, same pixels, same JPEG bytes.
    out_dir : path, optional
        Where to write ``<image_dir>/<prefix>NNNNN.jpg`` and ``labels.jsonl``.
    types : list of str or "all", optional
        Restrict to these types (default: the 17 original types; ``"all"`` adds the
        newer API's bus/ship ticket, ride-hailing itinerary and machine-printed invoice;
        with ``layouts="heldout"``, the default is the types that have held-out variants).
    min_docs, max_docs : int
        Documents per positive scene (the scene kind may change it: a ``packed`` sheet holds
        ``packed_count`` receipts, a ``fullframe`` scan one document).
    negative_rate : float, default 0.05
        Share of images with no document at all.
    hard : bool or float, default False
        True: every scene uses :meth:`SceneOptions.hard` instead of the moderate
        defaults; a float in (0, 1): that share of scenes does (chosen by ``seed``).
    workers : int, default 1
        Processes to render with (output is identical for any number).
    layouts : {"all", "tune", "heldout"}, default "all"
        Draw every layout variant, only those tuned on, or only the held-out ones. Each
        labelled document names its variant (``"layout": "taxi_invoice/shanghai"``).
    preset : {"default", "realistic"}, default "default"
        Named options (:data:`PRESETS`) under ``options``: ``"realistic"`` mixes every
        scene kind (desk photos, packed receipts, full-frame scans, textured backgrounds,
        low resolution, mixed desks).
    **options
        Any :class:`SceneOptions` field, e.g. ``size=1280``, ``rotation=15``,
        ``print_defects=0``, ``scene_kinds="packed,fullframe:2"``.

    Returns
    -------
    list of dict
        The label records ``{"image", "result"}``, in order.
    """
    types = _types_for(types, check_split(layouts))
    options["layouts"] = layouts
    easy = SceneOptions.preset(preset, **options)
    tough = SceneOptions.hard(**{**PRESETS[preset], **options})
    rate = float(hard)
    if not 0 <= rate <= 1:
        raise ValueError(f"hard must be a bool or a share in [0, 1], got {hard!r}")
    pick = random.Random(f"hard:{seed}")
    plan = plan_scenes(n, seed, types=types, min_docs=min_docs, max_docs=max_docs, negative_rate=negative_rate)
    # each scene's documents fitted to its kind (make_scene draws the same kind from seed and index)
    plan = [docs_for_kind(choose_kind(seed, i, easy.scene_kinds), docs, types, random.Random(f"kind-docs:{seed}:{i}"),
                          count=easy.packed_count) for i, docs in enumerate(plan)]
    jobs = [(seed, i, docs, tough if pick.random() < rate else easy) for i, docs in enumerate(plan)]
    if out_dir is not None:
        os.makedirs(os.path.join(out_dir, image_dir), exist_ok=True)
    if workers > 1:
        import multiprocessing as mp

        pool = mp.get_context("fork").Pool(workers)
        results = pool.imap(render_scene, jobs, chunksize=2)
    else:
        pool = None
        results = map(render_scene, jobs)
    records = []
    try:
        for i, (jpeg, documents) in enumerate(results):
            name = f"{image_dir}/{prefix}{i:05d}.jpg"
            if out_dir is not None:
                with open(os.path.join(out_dir, name), "wb") as fh:
                    fh.write(jpeg)
            records.append({"image": name, "result": documents})
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if out_dir is not None:
        from ..labels import write_labels

        write_labels(os.path.join(out_dir, "labels.jsonl"), records)
    return records


def _types_for(types, layouts: str):
    """The requested types, checked to have a variant in ``layouts`` (default: those that do)."""
    if layouts == "all":
        return types
    have = split_types(layouts)
    if not have:
        raise ValueError(f"no type has a {layouts} layout")
    if types is None:
        return [t.value for t in have if t in ORIGINAL_TYPES]
    wanted = list(DocType) if types == "all" or list(types) == ["all"] else parse_type_list(types)
    missing = [t.value for t in wanted if t not in have]
    if missing:
        raise ValueError(f"no {layouts} layout for {', '.join(missing)}; types that have one: "
                         f"{', '.join(t.value for t in have)}")
    return [t.value for t in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``ocrframe synth --n 200 --seed 7 --out DIR [options]``."""
    p = argparse.ArgumentParser(prog="ocrframe synth", description="Render labelled synthetic document scenes.")
    p.add_argument("--n", type=int, default=200, help="number of images (default 200)")
    p.add_argument("--seed", type=int, default=0, help="random seed; same seed, same bytes (default 0)")
    p.add_argument("--out", required=True, help="output folder (images/ and labels.jsonl)")
    p.add_argument("--types", default=None,
                   help="comma-separated types, or 'all' for the 20 with the newer API's (default: the 17 original)")
    p.add_argument("--min-docs", type=int, default=1)
    p.add_argument("--max-docs", type=int, default=4)
    p.add_argument("--negatives", type=float, default=0.05, help="share of images without documents")
    p.add_argument("--size", type=int, default=1600, help="longest side in pixels (default 1600)")
    p.add_argument("--preset", choices=sorted(PRESETS), default="default",
                   help="named options; 'realistic' mixes every scene kind (default: desk photos)")
    p.add_argument("--scene-kinds", default=None, metavar="KIND[:WEIGHT],...",
                   help=f"scene kinds to draw from, e.g. packed,fullframe:2; of {', '.join(k.value for k in SceneKind)}")
    p.add_argument("--hard", type=float, nargs="?", const=1.0, default=0.0, metavar="SHARE",
                   help="stronger tilt, perspective, blur, noise, low light; alone: every scene, "
                        "with a number: that share of scenes")
    p.add_argument("--quality", default=None, metavar="LO,HI", help="JPEG quality range (default 75,95)")
    p.add_argument("--noise", type=float, default=None, help="maximum sensor-noise sigma (default 3)")
    p.add_argument("--layouts", choices=LAYOUT_SPLITS, default="all",
                   help="layout variants to draw: all, only those tuned on, or only the held-out ones "
                        "(default all; heldout alone: the types that have held-out variants)")
    p.add_argument("--print-defects", type=float, default=None, metavar="SCALE",
                   help="how often misregistered, dot-matrix and faded print show, as a multiple of "
                        "each layout's rates (default 1; 0: clean print)")
    p.add_argument("--workers", type=int, default=1, help="processes (output does not depend on it)")
    p.add_argument("--contact-sheet", action="store_true", help="also write contact_sheet.jpg")
    a = p.parse_args(argv)
    types = a.types.split(",") if a.types else None
    extra = {}
    if a.quality:
        lo, hi = (int(v) for v in a.quality.split(","))
        extra["jpeg_quality"] = (lo, hi)
    if a.noise is not None:
        extra["noise"] = a.noise
    if a.print_defects is not None:
        extra["print_defects"] = a.print_defects
    if a.scene_kinds:
        extra["scene_kinds"] = a.scene_kinds
    records = generate(a.n, a.seed, a.out, types=types, min_docs=a.min_docs, max_docs=a.max_docs,
                       negative_rate=a.negatives, hard=a.hard, workers=a.workers, size=a.size,
                       layouts=a.layouts, preset=a.preset, **extra)
    if a.contact_sheet:
        from .sheet import contact_sheet

        contact_sheet(os.path.join(a.out, "labels.jsonl"), os.path.join(a.out, "contact_sheet.jpg"))
    docs = sum(len(r["result"]) for r in records)
    print(json.dumps({"images": len(records), "documents": docs, "out": os.fspath(a.out)}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
