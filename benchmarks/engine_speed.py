"""Speed of the local engine: seconds per 1600 px image and the ratio to RapidOCR alone.

Both run in the same process on the same images, interleaved (RapidOCR's own end-to-end
call, then the engine's full pipeline: OCR + localisation + classification + extraction),
so machine load affects both alike. The OCR pass is the floor; the goal is a ratio <= 1.3.

Usage::

    PYTHONPATH=. python benchmarks/engine_speed.py --n 12 --seed 424242

Scenes come from ``ocrframe.datasets.synth`` when available, else from the engine tests'
stand-in renderer; each image is 1600 px on its longer side.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _scene(seed: int, use_synth: bool):
    import cv2

    from engine_accuracy import _scene_fallback, _synth_scene

    img, _ = _synth_scene(seed) if use_synth else _scene_fallback(seed)
    h, w = img.shape[:2]
    s = 1600 / max(h, w)
    if abs(s - 1) > 1e-3:
        img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return img


def time_against_rapidocr(imgs: list, repeat: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Seconds per image of RapidOCR alone and of the whole engine, interleaved image by
    image in this process (after one warm-up of each), so both see the same machine load."""
    from ocrframe.engine.ocr import rapidocr_alone
    from ocrframe.engine.pipeline import recognize_array

    rapidocr_alone(imgs[0])
    recognize_array(imgs[0])
    t_ocr, t_eng = [], []
    for _ in range(repeat):
        for img in imgs:
            t = time.perf_counter()
            rapidocr_alone(img)
            t_ocr.append(time.perf_counter() - t)
            t = time.perf_counter()
            recognize_array(img)
            t_eng.append(time.perf_counter() - t)
    return np.array(t_ocr), np.array(t_eng)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the images")
    a = ap.parse_args(argv)

    from engine_accuracy import _have_synth

    from ocrframe.engine.ocr import get_ocr, model_files

    use_synth = _have_synth()
    imgs = [_scene(a.seed + i, use_synth) for i in range(a.n)]
    t0 = time.perf_counter()
    get_ocr()
    load = time.perf_counter() - t0
    ocr, eng = time_against_rapidocr(imgs, repeat=a.repeat)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "")
    print(f"images: {a.n} x {a.repeat} at 1600 px (from {'synth' if use_synth else 'tests/_cards.py'})")
    print(f"models: {', '.join(p.name for p in model_files().values())}; load {load:.2f} s")
    print(f"RapidOCR alone : {ocr.mean():.3f} s/image (median {np.median(ocr):.3f})")
    print(f"engine (total) : {eng.mean():.3f} s/image (median {np.median(eng):.3f})")
    print(f"ratio engine / RapidOCR: {eng.sum() / ocr.sum():.3f} (per-image median {np.median(eng / ocr):.3f})")
    return {"rapidocr": float(ocr.mean()), "engine": float(eng.mean()), "ratio": float(eng.sum() / ocr.sum())}


if __name__ == "__main__":
    main()
