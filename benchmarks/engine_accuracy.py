"""Accuracy of the local engine on freshly generated scenes, as JPEG files read through the public API.

The scenes are written exactly as ``ocrframe synth --n N --seed S`` writes them (JPEG,
quality 75-95), then read like a user's files: ``df.ocr.classify(col="path")`` with the
default :class:`~ocrframe.LocalEngine`, judged by ``ocrframe.evaluate`` (see
``benchmarks/accuracy.py``). Prints detection precision / recall / F1 at IoU 0.5, type
accuracy on matched documents, field exact match overall, for cards and for invoices and
per type, and the weakest fields; optionally writes the worst images (quads drawn) and
every image's truth and prediction.

Usage::

    PYTHONPATH=. python benchmarks/engine_accuracy.py --n 300 --seed 7370000 --workers 2
    PYTHONPATH=. python benchmarks/engine_accuracy.py --n 100 --layouts heldout
    PYTHONPATH=. python benchmarks/engine_accuracy.py --n 100 --types invoices --synth hard=0.2

``--layouts`` chooses the generator's layout variants: ``tune`` (default: the variants the
engine is developed on), ``heldout`` (variants never tuned on: the generality figure) or
``all``; with ``heldout`` and no ``--types``, the scenes hold the types that have held-out
variants. Field exact match is also printed per layout variant.

``--types`` takes type names, ``cards`` or ``invoices``; ``--synth KEY=VALUE`` passes any
option of :func:`ocrframe.datasets.synth.generate` (values parsed as JSON when they can be);
``--param NAME=VALUE`` runs the engine with an :class:`ocrframe.engine.params.EngineParams`
setting other than its default (e.g. ``--param read_stamps=off``).
Use a seed never used in development.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import accuracy as A  # noqa: E402


def parse_types(spec: str | None) -> list[str] | None:
    """``cards`` / ``invoices`` / comma-separated type names -> a list of type names (None: all 17)."""
    if not spec:
        return None
    out: list[str] = []
    fam = A.families()
    for part in spec.split(","):
        out.extend(fam.get(part.strip(), (part.strip(),)))
    return out


def parse_options(items: list[str]) -> dict:
    """``["hard=0.2", "size=1280", "layouts=heldout"]`` -> keyword arguments (JSON values where they parse)."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--synth expects KEY=VALUE, got {item!r}")
        try:
            out[key.replace("-", "_")] = json.loads(value)
        except ValueError:
            out[key.replace("-", "_")] = value
    return out


def main(argv=None, *, default_types: str | None = None, default_seed: int = 900000):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of scenes")
    ap.add_argument("--seed", type=int, default=default_seed, help="first scene seed (use one never used in development)")
    ap.add_argument("--types", default=default_types, help="type names, 'cards' or 'invoices' (default: the 17 original)")
    ap.add_argument("--layouts", choices=["tune", "heldout", "all"], default="tune",
                    help="the generator's layout variants (default: tune)")
    ap.add_argument("--synth", action="append", default=[], metavar="KEY=VALUE",
                    help="an option of ocrframe.datasets.synth.generate (repeatable)")
    ap.add_argument("--workers", type=int, default=1, help="engine processes (df.ocr.classify workers)")
    A.add_param_option(ap)
    ap.add_argument("--failures", type=Path, default=None, help="write the worst images here")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--dump", type=Path, default=None, help="write every image's truth and prediction here (JSON lines)")
    a = ap.parse_args(argv)

    backend = A.engine_for(a.param)  # before the scenes: a wrong --param fails at once
    types = parse_types(a.types)
    options = {"layouts": a.layouts, **parse_options(a.synth)}
    labels = A.synth_set(a.n, a.seed, types=types, workers=a.workers, **options)
    run = A.classify_set(labels, workers=a.workers, backend=backend)
    fig = A.figures(run)
    fig.update({"scenes": a.n, "seed": a.seed, "types": a.types or "all 17", "synth_options": options})
    params = f", engine params: {backend.params.key()}" if backend is not None else ""
    if backend is not None:
        fig["engine_params"] = backend.params.key()
    A.print_figures(fig, title=f"scenes: {a.n} (seed {a.seed}, types: {fig['types']}, options: {options or 'default'}"
                               f"{params}), JPEG files through df.ocr.classify")
    if a.json:
        a.json.write_text(json.dumps(fig, indent=2, ensure_ascii=False, default=str))
    if a.failures:
        A.write_failures(run, a.failures)
    if a.dump:
        A.dump(run, a.dump)
    return fig


if __name__ == "__main__":
    main()
