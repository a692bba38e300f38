"""Speed of the local engine on image *files*: seconds per image and the ratio to raw RapidOCR.

Both read the same encoded files in the same process, interleaved image by image (so
machine load affects both alike), after one warm-up of each:

- **RapidOCR alone**, with its default settings: ``RapidOCR()(path)`` (its bundled
  PP-OCRv6 models; it decodes the file itself);
- **the whole engine through the public API**: ``pd.DataFrame({"path": [path]}).ocr.classify(col="path")``
  with the default :class:`~ocrframe.LocalEngine` (file read, decode, OCR, localisation,
  classification, re-reads, extraction, the contract's JSON, the documents frame).

The files are generated scenes written as JPEG at mixed sizes (``--sizes``, longest side
in pixels, as ``ocrframe synth --size`` writes them), plus the real images of
``datasets/real`` when ``--real`` is given. The figure is the ratio of total times (and
the per-image median ratio).

Usage::

    PYTHONPATH=. python benchmarks/engine_speed.py --n 12 --seed 424242
    PYTHONPATH=. python benchmarks/engine_speed.py --n 12 --sizes 1200,1600,2400 --real
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import accuracy as A  # noqa: E402
from common import machine  # noqa: E402

REAL = ROOT / "datasets" / "real"


def speed_files(n: int, seed: int, sizes: list[int], real: bool = False) -> list[Path]:
    """``n`` generated scenes spread over ``sizes`` (plus the real set's images)."""
    from ocrframe.datasets import read_labels

    files: list[Path] = []
    per = [n // len(sizes) + (1 if i < n % len(sizes) else 0) for i in range(len(sizes))]
    for i, (size, k) in enumerate(zip(sizes, per)):
        if k:
            labels = A.synth_set(k, seed + 1000 * i, size=size, negative_rate=0.0)
            files += [Path(p) for p in read_labels(labels)["path"].unique()]
    if real:
        for labels in sorted(REAL.glob("*/labels.jsonl")):
            files += [Path(p) for p in read_labels(labels)["path"].unique()]
    return files


def time_against_rapidocr(files: list[Path], repeat: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Seconds per file of raw RapidOCR (default settings) and of the whole engine through
    ``df.ocr.classify``, interleaved file by file in this process after one warm-up each."""
    import pandas as pd
    from rapidocr import RapidOCR

    import ocrframe  # noqa: F401

    raw = RapidOCR(params={"Global.log_level": "error"})

    def engine(p):
        return pd.DataFrame({"path": [str(p)]}).ocr.classify(col="path", workers=1, progress=False)

    raw(str(files[0]))
    engine(files[0])
    t_ocr, t_eng = [], []
    for _ in range(repeat):
        for p in files:
            t = time.perf_counter()
            raw(str(p))
            t_ocr.append(time.perf_counter() - t)
            t = time.perf_counter()
            engine(p)
            t_eng.append(time.perf_counter() - t)
    return np.array(t_ocr), np.array(t_eng)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="generated scenes")
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--sizes", default="1200,1600,2400", help="longest sides of the generated scenes, in pixels")
    ap.add_argument("--real", action="store_true", help="also time every image of datasets/real")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the files")
    a = ap.parse_args(argv)

    files = speed_files(a.n, a.seed, [int(s) for s in a.sizes.split(",")], real=a.real)
    t0 = time.perf_counter()
    from ocrframe.engine.ocr import get_ocr, model_files

    get_ocr()
    load = time.perf_counter() - t0
    ocr, eng = time_against_rapidocr(files, repeat=a.repeat)
    mb = sum(p.stat().st_size for p in files) / 2**20
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"files: {len(files)} x {a.repeat} ({mb:.1f} MB; generated at {a.sizes} px"
          f"{' + datasets/real' if a.real else ''})")
    print(f"models: {', '.join(p.name for p in model_files().values())}; load {load:.2f} s")
    print(f"RapidOCR alone : {ocr.mean():.3f} s/image (median {np.median(ocr):.3f})")
    print(f"engine (total) : {eng.mean():.3f} s/image (median {np.median(eng):.3f})")
    print(f"ratio engine / RapidOCR: {eng.sum() / ocr.sum():.3f} (per-image median {np.median(eng / ocr):.3f})")
    return {"files": len(files), "rapidocr": float(ocr.mean()), "engine": float(eng.mean()),
            "ratio": float(eng.sum() / ocr.sum()), "median_ratio": float(np.median(eng / ocr))}


if __name__ == "__main__":
    main()
