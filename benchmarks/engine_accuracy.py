"""Accuracy of the local engine on freshly generated scenes.

Prints document detection precision / recall / F1 at IoU 0.5, the mean IoU of matches, the
share of matches whose first corner is the document's own top-left, type accuracy on
matched documents, and per-type field exact-match accuracy for the card types; writes
the worst failures (images with quads drawn) to ``--failures DIR``.

Usage::

    PYTHONPATH=. python benchmarks/engine_accuracy.py --n 200 --seed 777000 --workers 2

Scenes come from ``ocrframe.datasets.synth`` when it is installed in this checkout;
otherwise from the engine tests' small renderer (``tests/_cards.py``), which is only a
stand-in. Use a seed never used in development.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _synth_scene(seed: int):
    """(RGB array, truth list of {type, location, content}) of scene ``seed`` from the synthetic
    generator (its default options; the scene's documents are planned from the same seed)."""
    from ocrframe.datasets.synth import make_scene, plan_scenes

    plan = plan_scenes(1, seed)[0]
    scene = make_scene(seed, 0, plan)
    return np.asarray(scene.image), scene.documents


def _scene_fallback(seed: int):
    sys.path.insert(0, str(ROOT / "tests"))
    from _cards import make_scene

    return make_scene(seed)


def _have_synth() -> bool:
    try:
        from ocrframe.datasets import synth  # noqa: F401
        return True
    except Exception:
        return False


def _iou(a, b) -> float:
    import cv2

    a, b = np.float32(a), np.float32(b)
    inter, _ = cv2.intersectConvexConvex(a, b)
    ua = abs(cv2.contourArea(a)) + abs(cv2.contourArea(b)) - inter
    return float(inter / ua) if ua > 0 else 0.0


def _one(args):
    seed, use_synth, threads = args
    os.environ.setdefault("OCRFRAME_ENGINE_THREADS", str(threads))
    import cv2

    from ocrframe.engine.pipeline import recognize_array

    img, truth = _synth_scene(seed) if use_synth else _scene_fallback(seed)
    t0 = time.perf_counter()
    pred = recognize_array(img)["result"]
    dt = time.perf_counter() - t0
    ok, png = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return seed, truth, pred, dt, png.tobytes()


def run_scenes(fn, jobs: list, workers: int) -> list:
    """``fn`` over the jobs in order: in a pool of ``workers`` spawned processes (each
    loading the models once), or in this process when ``workers`` is 1."""
    if workers <= 1:
        return [fn(j) for j in jobs]
    import multiprocessing as mp

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as ex:
        return list(ex.map(fn, jobs))


def threads_per_worker(workers: int) -> int:
    """ONNX Runtime threads for each of ``workers`` processes sharing this machine's cores."""
    return max(1, (os.cpu_count() or 1) // workers)


def _match(truth, pred, thr=0.5):
    from scipy.optimize import linear_sum_assignment

    if not truth or not pred:
        return [], list(range(len(truth))), list(range(len(pred)))
    m = np.array([[_iou(t["location"], p["location"]) for p in pred] for t in truth])
    r, c = linear_sum_assignment(-m)
    pairs = [(i, j, m[i, j]) for i, j in zip(r, c) if m[i, j] >= thr]
    mt = {i for i, _, _ in pairs}
    mp = {j for _, j, _ in pairs}
    return pairs, [i for i in range(len(truth)) if i not in mt], [j for j in range(len(pred)) if j not in mp]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of scenes")
    ap.add_argument("--seed", type=int, default=900000, help="first scene seed (use one never used in development)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--failures", type=Path, default=None, help="write the worst failures here")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--dump", type=Path, default=None,
                    help="write every scene's truth and prediction here (JSON lines), for analysis")
    a = ap.parse_args(argv)

    from ocrframe.engine.extract import CARD_TYPES

    use_synth = _have_synth()
    jobs = [(a.seed + i, use_synth, threads_per_worker(a.workers)) for i in range(a.n)]
    results = run_scenes(_one, jobs, a.workers)

    if a.dump:
        with open(a.dump, "w", encoding="utf-8") as fh:
            for seed, truth, pred, dt, _ in results:
                fh.write(json.dumps({"seed": seed, "seconds": dt, "truth": truth, "pred": pred},
                                    ensure_ascii=False, default=str) + "\n")
    tp = fn = fp = 0
    ious, corner_ok, type_ok = [], [], []
    fields = defaultdict(lambda: [0, 0])  # type -> [exact, total]
    per_field = defaultdict(lambda: [0, 0])
    failures = []
    times = []
    for seed, truth, pred, dt, png in results:
        times.append(dt)
        pairs, miss, extra = _match(truth, pred)
        tp += len(pairs)
        fn += len(miss)
        fp += len(extra)
        bad = len(miss) + len(extra)
        for i, j, iou in pairs:
            t, p = truth[i], pred[j]
            ious.append(iou)
            d = [np.linalg.norm(np.subtract(p["location"][0], q)) for q in t["location"]]
            corner_ok.append(int(np.argmin(d) == 0))
            type_ok.append(t["type"] == p["type"])
            if t["type"] != p["type"]:
                bad += 1
            if t["type"] in {c.value for c in CARD_TYPES} and t["type"] == p["type"]:
                for k, v in t["content"].items():
                    if k in ("confidence", "extra_info") or not isinstance(v, str) or not v:
                        continue
                    hit = p["content"].get(k) == v
                    fields[t["type"]][0] += hit
                    fields[t["type"]][1] += 1
                    per_field[(t["type"], k)][0] += hit
                    per_field[(t["type"], k)][1] += 1
                    bad += 0 if hit else 0.1
        if bad:
            failures.append((bad, seed, truth, pred, png))

    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    ex = sum(v[0] for v in fields.values())
    tot = sum(v[1] for v in fields.values())
    out = {
        "scenes": a.n, "seed": a.seed, "source": "ocrframe.datasets.synth" if use_synth else "tests/_cards.py",
        "detection": {"precision": prec, "recall": rec, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
                      "mean_iou": float(np.mean(ious)) if ious else 0.0},
        "top_left_corner_ok": float(np.mean(corner_ok)) if corner_ok else 0.0,
        "type_accuracy": float(np.mean(type_ok)) if type_ok else 0.0,
        "card_field_exact": ex / max(1, tot),
        "per_type_field_exact": {k: v[0] / max(1, v[1]) for k, v in sorted(fields.items())},
        "seconds_per_image": float(np.mean(times)) if times else 0.0,
    }
    print(f"scenes: {a.n} (seed {a.seed}, from {out['source']})")
    d = out["detection"]
    print(f"detection @IoU0.5: P={d['precision']:.4f} R={d['recall']:.4f} F1={d['f1']:.4f} "
          f"(tp={tp} fp={fp} fn={fn}); mean IoU of matches {d['mean_iou']:.4f}")
    print(f"first corner = document's top-left: {out['top_left_corner_ok']:.4f}")
    print(f"type accuracy on matches: {out['type_accuracy']:.4f}")
    print(f"card field exact match: {out['card_field_exact']:.4f} ({ex}/{tot})")
    for k, v in out["per_type_field_exact"].items():
        print(f"  {k:26s} {v:.4f}  ({fields[k][0]}/{fields[k][1]})")
    worst = sorted(((v[0] / v[1], k) for k, v in per_field.items() if v[1]), key=lambda t: t[0])[:12]
    print("weakest fields:", ", ".join(f"{t}.{f}={s:.2f}" for s, (t, f) in worst))
    print(f"engine seconds per image (workers={a.workers}): {out['seconds_per_image']:.2f}")
    if a.json:
        a.json.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    if a.failures:
        _write_failures(a.failures, sorted(failures, key=lambda t: -t[0])[:12])
    return out


def _write_failures(folder: Path, failures):
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    for bad, seed, truth, pred, png in failures:
        img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        for t in truth:
            cv2.polylines(img, [np.int32(t["location"])], True, (0, 200, 0), 3)
        for p in pred:
            q = np.int32(p["location"])
            cv2.polylines(img, [q], True, (0, 0, 255), 3)
            cv2.circle(img, tuple(int(v) for v in q[0]), 10, (0, 0, 255), -1)
            cv2.putText(img, p["type"], tuple(int(v) for v in q[0]), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 255), 2)
        cv2.imwrite(str(folder / f"seed{seed}.jpg"), img)
        diffs = []
        for t in truth:
            p = next((p for p in pred if p["type"] == t["type"]), None)
            if p is None:
                diffs.append({"type": t["type"], "missing": True})
                continue
            diffs.append({"type": t["type"], "wrong": {k: [v, p["content"].get(k)] for k, v in t["content"].items()
                                                       if isinstance(v, str) and v and p["content"].get(k) != v}})
        (folder / f"seed{seed}.json").write_text(json.dumps(
            {"truth_types": [t["type"] for t in truth], "pred_types": [p["type"] for p in pred], "diffs": diffs},
            ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
