"""Evaluation speed: ocrframe.evaluate against pycocotools and a naive per-pair loop.

    python -m benchmarks.evaluate [--images 100000] [--repeat 3] [--coco-images N] [--naive-images 10000]

Data: ``ocrframe.testing.synthetic_pair`` -- about 3 documents per image
(predictions jittered from truth, with misses, false alarms, type errors, failed
requests, field errors and format variants), 4 document types incl. VAT invoices with
item lists.

Measured, each the median of ``--repeat`` runs in this process:

* **ocrframe full**: ``evaluate(pred, truth)`` then matches + detection + per-type
  scores + the field table (matching, metrics, field correctness);
* **ocrframe matching**: ``match_documents`` alone;
* **pycocotools**: ``COCOeval`` ("segm", IoU 0.5, class-agnostic) computing the same
  matches on the same polygons: polygon -> RLE conversion of the detections,
  ``loadRes``, ``evaluate()`` (one run: it is slow);
* **naive**: one Python loop per image and per pair with shapely ``Polygon`` objects
  and ``linear_sum_assignment`` per image (on ``--naive-images`` images).

It also checks that ocrframe's TP pairs equal pycocotools' (COCO rasterises polygons,
so pairs whose IoU is within a pixel rim of 0.5 may differ; the count is printed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks.common import machine, median_seconds  # noqa: E402


def median_wall_cpu(fn, repeat: int = 3) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time (all threads) over ``repeat``
    calls. CPU time is the figure to trust on a shared machine: other processes
    stretch wall time, not CPU time."""
    import os
    import statistics

    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), os.times()
        fn()
        c2 = os.times()
        walls.append(time.perf_counter() - w)
        cpus.append((c2.user - c.user) + (c2.system - c.system))
    return statistics.median(walls), statistics.median(cpus)


def load_average() -> str:
    import os

    try:
        return "load average %.1f %.1f %.1f" % os.getloadavg()
    except OSError:  # pragma: no cover
        return "load average n/a"


def naive_match(pred, truth, iou=0.5):
    """Per image: build shapely polygons, IoU of every pair in a Python loop, Hungarian."""
    from scipy.optimize import linear_sum_assignment
    from shapely.geometry import Polygon

    from ocrframe.geometry import order_vertices

    tp = 0
    tgroups = {k: v for k, v in truth[truth["doc"].notna()].groupby("path")["location"]}
    pgroups = {k: v for k, v in pred[pred["doc"].notna()].groupby("path")["location"]}
    for path, tl in tgroups.items():
        pl = pgroups.get(path)
        if pl is None:
            continue
        tpoly = [Polygon(order_vertices(np.asarray([q], float))[0]) for q in tl]
        ppoly = [Polygon(order_vertices(np.asarray([q], float))[0]) for q in pl]
        w = np.zeros((len(ppoly), len(tpoly)))
        for i, a in enumerate(ppoly):
            for j, b in enumerate(tpoly):
                inter = a.intersection(b).area
                union = a.area + b.area - inter
                v = inter / union if union > 0 else 0.0
                if v >= iou:
                    w[i, j] = 1 + v
        r, c = linear_sum_assignment(w, maximize=True)
        tp += int((w[r, c] > 0).sum())
    return tp


def coco_run(pred, truth):
    """pycocotools' COCOeval on the same polygons (IoU 0.5, class-agnostic): (seconds, matched pairs)."""
    from ocrframe.testing.coco import coco_matches

    t0 = time.perf_counter()
    pairs = coco_matches(pred, truth)
    return time.perf_counter() - t0, pairs


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--coco-images", type=int, default=None, help="images for pycocotools (default: --images)")
    ap.add_argument("--naive-images", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import ocrframe.evaluate as E
    from ocrframe.testing.frames import synthetic_pair
    from ocrframe.evaluate.matching import match_documents

    print(f"machine: {machine()}")
    t = time.perf_counter()
    pred, truth = synthetic_pair(args.images, seed=args.seed)
    n_true, n_pred = int(truth["doc"].notna().sum()), int(pred["doc"].notna().sum())
    print(f"data: {args.images:,} images, {n_true:,} true / {n_pred:,} predicted documents "
          f"(generated in {time.perf_counter() - t:.1f} s)")

    # warm-up (imports: scikit-learn, rapidfuzz, scipy)
    E.evaluate(*_subset(pred, truth, 100)).fields  # noqa: B018
    info = {}

    def full():
        ev = E.evaluate(pred, truth)
        ev.detection, ev.per_type  # noqa: B018
        info["fields"] = len(ev.fields)
        info["tp"] = int((ev.matches["outcome"] == "TP").sum())

    print(f"before timing: {load_average()} on {os.cpu_count()} cores")
    full_s, full_cpu = median_wall_cpu(full, args.repeat)
    match_s, match_cpu = median_wall_cpu(lambda: match_documents(pred, truth), args.repeat)
    print(f"ocrframe full evaluation (matching + detection + per-type + {info['fields']:,} field rows): "
          f"median {full_s:.2f} s wall, {full_cpu:.2f} s CPU over {args.repeat}")
    print(f"ocrframe matching only: median {match_s:.2f} s wall, {match_cpu:.2f} s CPU")

    out = {"images": args.images, "true_documents": n_true, "predicted_documents": n_pred,
           "field_rows": info["fields"], "full_seconds": round(full_s, 3), "full_cpu_seconds": round(full_cpu, 3),
           "matching_seconds": round(match_s, 3), "matching_cpu_seconds": round(match_cpu, 3)}

    try:
        import pycocotools  # noqa: F401
    except ImportError:
        print("pycocotools not installed: skipped (pip install pycocotools)")
    else:
        nc = args.coco_images or args.images
        cp, ct = (pred, truth) if nc == args.images else _subset(pred, truth, nc)
        c0 = os.times()
        coco_s, coco_pairs = coco_run(cp, ct)
        c1 = os.times()
        coco_cpu = (c1.user - c0.user) + (c1.system - c0.system)
        m = match_documents(cp, ct)
        tp = m[m["outcome"] == "TP"]
        ours = set(zip(tp["pred"].astype(int), tp["truth"].astype(int)))
        ours_s = median_seconds(lambda: match_documents(cp, ct), args.repeat) if nc != args.images else match_s
        full_c = full_s if nc == args.images else median_seconds(lambda: E.evaluate(cp, ct).fields, args.repeat)
        print(f"pycocotools COCOeval on {nc:,} images (same polygons, IoU 0.5, class-agnostic): "
              f"{coco_s:.2f} s wall, {coco_cpu:.2f} s CPU")
        if nc == args.images:
            print(f"  -> by CPU time: full evaluation {coco_cpu / full_cpu:.1f}x less, matching {coco_cpu / match_cpu:.1f}x")
        print(f"  -> ocrframe full evaluation is {coco_s / full_c:.1f}x faster; matching alone {coco_s / ours_s:.1f}x")
        print(f"  agreement: {len(ours & coco_pairs):,} common TP pairs, {len(ours - coco_pairs)} only ocrframe, "
              f"{len(coco_pairs - ours)} only pycocotools")
        out.update(coco_images=nc, coco_seconds=round(coco_s, 3), coco_cpu_seconds=round(coco_cpu, 3), speedup_full_vs_coco=round(coco_s / full_c, 2),
                   speedup_matching_vs_coco=round(coco_s / ours_s, 2), tp_pairs_common=len(ours & coco_pairs),
                   tp_pairs_only_ocrframe=len(ours - coco_pairs), tp_pairs_only_coco=len(coco_pairs - ours))

    nn = min(args.naive_images, args.images)
    npred, ntruth = _subset(pred, truth, nn)
    naive_s = median_seconds(lambda: naive_match(npred, ntruth), 1)
    ours_n = median_seconds(lambda: match_documents(npred, ntruth), args.repeat)
    m = match_documents(npred, ntruth)
    assert naive_match(npred, ntruth) == int((m["outcome"] == "TP").sum()), "naive and vectorised TP counts differ"
    print(f"naive per-pair loop on {nn:,} images: {naive_s:.2f} s; ocrframe matching {ours_n:.2f} s "
          f"-> {naive_s / ours_n:.1f}x (same TP count)")
    print(f"after timing: {load_average()}")
    out.update(naive_images=nn, naive_seconds=round(naive_s, 3), matching_seconds_naive_subset=round(ours_n, 3),
               speedup_vs_naive=round(naive_s / ours_n, 2))
    return out


def _subset(pred, truth, n):
    keep = set(truth["path"].drop_duplicates().iloc[:n])
    return (pred[pred["path"].isin(keep).to_numpy()].reset_index(drop=True),
            truth[truth["path"].isin(keep).to_numpy()].reset_index(drop=True))


if __name__ == "__main__":
    main()
