"""Accuracy of the local engine on real photos and scans: ``datasets/real``.

The real set (see ``datasets/real/README.md``) holds public images with provenance and
hand labels, split into ``dev`` (looked at, tuned on) and ``test`` (only measured). This
script reads a split's files through the public API (``df.ocr.classify`` with the default
:class:`~ocrframe.LocalEngine`, ``ocrframe.evaluate``; see ``benchmarks/accuracy.py``) and
prints, overall and per type, detection precision / recall / F1 at IoU 0.5, type accuracy,
field exact match and, side by side, the OCR ceiling: the share of labelled values
present in the raw OCR lines of their image.

Usage::

    PYTHONPATH=. python benchmarks/real_accuracy.py --split dev --failures out/real_dev
    PYTHONPATH=. python benchmarks/real_accuracy.py --split test --json out/real_test.json

For ``test`` only aggregate figures are printed: per-image outputs (``--failures``,
``--dump``) are refused, since the test split must not guide development.
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

REAL = ROOT / "datasets" / "real"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    ap.add_argument("--root", type=Path, default=REAL, help="the real set's folder (holding dev/ and test/)")
    ap.add_argument("--workers", type=int, default=1)
    A.add_param_option(ap)
    ap.add_argument("--no-ceiling", action="store_true", help="skip the OCR-ceiling pass")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--failures", type=Path, default=None, help="(dev only) write the worst images here")
    ap.add_argument("--dump", type=Path, default=None, help="(dev only) every image's truth and prediction")
    a = ap.parse_args(argv)
    backend = A.engine_for(a.param)  # a wrong --param fails at once
    if a.split == "test" and (a.failures or a.dump):
        ap.error("--failures and --dump are for the dev split only: the test split is measured, never looked at")
    labels = a.root / a.split / "labels.jsonl"
    if not labels.is_file():
        ap.error(f"no labels at {labels}")
    run = A.classify_set(labels, workers=a.workers, backend=backend)
    fig = A.figures(run, weakest=12 if a.split == "dev" else 0)
    if backend is not None:
        fig["engine_params"] = backend.params.key()
    if not a.no_ceiling:
        A.add_ceiling(fig, run)
    fig["split"] = a.split
    params = f" (engine params: {fig['engine_params']})" if backend is not None else ""
    A.print_figures(fig, title=f"real set, {a.split} split: image files through df.ocr.classify{params}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(fig, indent=2, ensure_ascii=False, default=str))
    if a.failures:
        A.write_failures(run, a.failures)
    if a.dump:
        A.dump(run, a.dump)
    return fig


if __name__ == "__main__":
    main()
