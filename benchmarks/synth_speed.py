"""Synthetic scene generator speed: scenes per second at 1600 px, per core and with all cores.

Run: ``python -m benchmarks.synth_speed [--n 100] [--size 1600] [--workers 2]``

Counts rendering, composition, photographic effects and JPEG encoding (what
``ocrframe synth`` does per image, minus the disk write). A warm-up pass first renders
one scene per type, so the per-style templates are cached as they are in a long run.
Prints one JSON line. ``scenes_per_cpu_s`` (CPU time of the single process) is the
per-core figure that does not depend on what else the machine runs; the wall-clock
figures do, so ``load_avg_1min`` is printed next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ocrframe.datasets.synth import SceneOptions, plan_scenes, render_scene  # noqa: E402
from ocrframe.types import ORIGINAL_TYPES  # noqa: E402


def run(n: int, size: int, workers: int, seed: int = 99, cv_threads: int = 1) -> dict:
    import cv2

    cv2.setNumThreads(cv_threads)  # one core per process: what "per core" means
    opts = SceneOptions(size=size)
    for i, t in enumerate(ORIGINAL_TYPES):  # warm-up: fonts, templates
        render_scene((seed + 1, i, [t.value], opts))
    jobs = [(seed, i, docs, opts) for i, docs in enumerate(plan_scenes(n, seed))]
    docs = sum(len(j[2]) for j in jobs)
    t0, c0 = time.perf_counter(), time.process_time()
    if workers > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(workers) as pool:
            nbytes = sum(len(b) for b, _ in pool.imap(render_scene, jobs, chunksize=4))
    else:
        nbytes = sum(len(render_scene(j)[0]) for j in jobs)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0  # this process only: meaningful for workers == 1
    return {"benchmark": "synth_speed", "size": size, "scenes": n, "documents": docs, "workers": workers,
            "seconds": round(dt, 2), "scenes_per_s": round(n / dt, 2),
            "scenes_per_s_per_core": round(n / dt / workers, 2),
            "scenes_per_cpu_s": round(n / cpu, 2) if workers == 1 else None,
            "load_avg_1min": round(os.getloadavg()[0], 2), "mean_jpeg_kb": round(nbytes / n / 1024, 1),
            "cpus": os.cpu_count(), "python": platform.python_version()}


def main(argv=None) -> dict:
    """Run, print one JSON line, return the figures (the ``benchmarks.run`` convention)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--size", type=int, default=1600)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args(argv)
    figures = run(a.n, a.size, a.workers)
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
