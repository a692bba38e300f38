"""Fit the per-type margins between a document's text and its edges (for text-only localisation).

When no outline of a document is found (a white page on a white table), the engine
places its quad around its text lines grown by a margin per side, in line heights. This
script measures those margins on generated scenes, read from the JPEG files ``ocrframe
synth`` writes (median over documents, per type), and writes
``ocrframe/engine/text_margins.json``, which the pipeline loads.

Usage::

    PYTHONPATH=. python benchmarks/fit_text_margins.py --n 60 --seed 123000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
OUT = ROOT / "ocrframe" / "engine" / "text_margins.json"


def _one(args):
    path, truth, threads = args
    os.environ.setdefault("OCRFRAME_ENGINE_THREADS", str(threads))
    import cv2

    from ocrframe.engine import locate as L
    from ocrframe.engine.decode import decode_image
    from ocrframe.engine.ocr import run_ocr

    lines = run_ocr(decode_image(Path(path).read_bytes()))
    out = []
    for t in truth:
        q = np.float32(t["location"])
        inside = [ln for ln in lines if cv2.pointPolygonTest(q, tuple(map(float, ln.center)), False) >= 0]
        if len(inside) < 2:
            continue
        d = L.dominant_direction(inside)
        n = np.array([-d[1], d[0]])
        pts = np.concatenate([ln.quad for ln in inside])
        h = float(np.median([ln.height for ln in inside]))
        u, v = pts @ d, pts @ n
        U, V = q @ d, q @ n
        out.append((t["type"], [(u.min() - U.min()) / h, (v.min() - V.min()) / h,
                                (U.max() - u.max()) / h, (V.max() - v.max()) / h]))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=123000)
    ap.add_argument("--workers", type=int, default=1)
    a = ap.parse_args(argv)
    from accuracy import synth_set
    from common import run_jobs, threads_per_worker

    labels = synth_set(a.n, a.seed, workers=a.workers)
    records = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    jobs = [(str(labels.parent / r["image"]), r["result"], threads_per_worker(a.workers)) for r in records]
    res = run_jobs(_one, jobs, a.workers)
    per = defaultdict(list)
    for r in res:
        for t, m in r:
            per[t].append(m)
    margins = {t: [round(float(x), 2) for x in np.median(np.array(ms), axis=0)] for t, ms in sorted(per.items())}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"source": f"synth seeds {a.seed}..{a.seed + a.n - 1}",
                               "unit": "median line heights: left, top, right, bottom",
                               "margins": margins}, indent=1, ensure_ascii=False))
    for t, m in margins.items():
        print(f"{t:26s} n={len(per[t]):3d} {m}")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
