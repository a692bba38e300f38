"""Card field accuracy as users feed it (JPEG files) beside the same scenes stored losslessly.

Generates card scenes with ``ocrframe.datasets.synth.generate`` (the JPEG files and labels
``ocrframe synth`` writes), writes the very same scenes again as PNG files (the pixels
before JPEG encoding), reads both sets through the public API
(``images.ocr.classify(col="path")``, the LocalEngine) and evaluates each against the
labels with ``ocrframe.evaluate``. Prints field exact match overall, per type and per
field for both codecs, and the fields JPEG breaks (right on PNG, wrong on JPEG).

Usage::

    PYTHONPATH=. nice -n 10 python benchmarks/card_codecs.py --n 60 --seed 4140000 --out /tmp/cards60

``--codecs jpeg`` reads the JPEG files only. ``--reuse`` keeps the images of an earlier
run in ``--out`` (same seed and n) and only reads them again. ``--status-analysis`` reads
with the engine's filled-share rule for cards off (``pipeline.MIN_FILLED = 0``), applies
the rule afterwards and reports what it hides: the documents it turns into ``AIS.0104``
and how many of their fields were right.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: the nine card and licence types
CARD_TYPES = ("id_card_portrait_side,id_card_emblem_side,vehicle_license_front,vehicle_license_back,"
              "driver_license_front,driver_license_back,passport,bankcard,transportation_license")


def write_scenes(n: int, seed: int, out: Path, types: str) -> None:
    """The JPEG files and labels of ``ocrframe synth``, plus each scene's pixels as PNG."""
    import cv2

    from ocrframe.datasets.synth import SceneOptions, generate, make_scene, plan_scenes

    generate(n, seed, out, types=types.split(","), negative_rate=0.05)
    (out / "png").mkdir(exist_ok=True)
    plan = plan_scenes(n, seed, types=types.split(","), negative_rate=0.05)
    for i, docs in enumerate(plan):
        scene = make_scene(seed, i, docs, SceneOptions())
        cv2.imwrite(str(out / "png" / f"{i:05d}.png"), cv2.cvtColor(scene.image, cv2.COLOR_RGB2BGR))


def read_and_score(out: Path, codec: str):
    """``(evaluation, documents frame)`` of one codec's files read through ``df.ocr.classify``."""
    import ocrframe
    from ocrframe.datasets import read_labels

    truth = read_labels(out / "labels.jsonl")
    if codec == "png":
        truth = truth.assign(path=[str(out / "png" / (Path(p).stem + ".png")) for p in truth["path"]])
    images = truth[["image", "path"]].drop_duplicates("path").reset_index(drop=True)
    docs = images.ocr.classify(col="path", workers=1, progress=False)
    return ocrframe.evaluate(docs, truth, on="path"), docs


def apply_filled_rule(docs, min_filled: float):
    """The documents frame as the engine's filled-share rule would leave it: a card
    whose core fields are filled below ``min_filled`` becomes ``AIS.0104`` with empty
    content. Returns ``(frame, mask of the documents the rule hid)``."""
    import numpy as np

    from ocrframe.engine.extract import CARD_TYPES
    from ocrframe.types import Status, schema

    cards = {t.value for t in CARD_TYPES}
    hide = np.zeros(len(docs), bool)
    for i, (t, st, c) in enumerate(zip(docs["type"], docs["status"], docs["content"])):
        if t in cards and st == Status.OK.code and isinstance(c, dict):
            names = schema(t).field_names
            hide[i] = sum(1 for n in names if c.get(n)) / max(1, len(names)) < min_filled
    out = docs.copy()
    out.loc[hide, "status"] = Status.POOR_QUALITY.code
    out.loc[hide, "content"] = [{} for _ in range(int(hide.sum()))]
    return out, hide


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=60)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--types", default=CARD_TYPES)
    p.add_argument("--codecs", default="jpeg,png")
    p.add_argument("--reuse", action="store_true", help="read the images already in --out")
    p.add_argument("--json", help="write the figures here")
    p.add_argument("--save", help="write each codec's field table to SAVE_<codec>.pkl")
    p.add_argument("--status-analysis", action="store_true", help="report what the filled-share rule hides")
    a = p.parse_args(argv)
    if a.status_analysis:
        import ocrframe.engine.pipeline as pipeline

        min_filled, pipeline.MIN_FILLED = pipeline.MIN_FILLED, 0.0
    os.environ.setdefault("OCRFRAME_ENGINE_THREADS", "1")
    out = Path(a.out)
    if not (a.reuse and (out / "labels.jsonl").exists()):
        write_scenes(a.n, a.seed, out, a.types)
    results = {}
    tables = {}
    for codec in a.codecs.split(","):
        ev, docs = read_and_score(out, codec)
        if a.status_analysis:
            import ocrframe

            ruled, hid = apply_filled_rule(docs, min_filled)
            import numpy as np

            hidden = ev.fields[ev.fields["presence"].astype(str) != "spurious"]
            hidden = hidden[np.isin(hidden["pred"].to_numpy(), np.flatnonzero(hid))]
            print(f"\n== {codec}: the filled-share rule (MIN_FILLED={min_filled}) hides {int(hid.sum())} of "
                  f"{len(docs)} documents: {docs.loc[hid, 'type'].value_counts().to_dict()}")
            print(f"   their true fields, right without the rule: {int(hidden['exact'].sum())} of {len(hidden)}")
            ev = ocrframe.evaluate(ruled, ev.truth, on="path")
        f = ev.fields
        f = f[f["presence"].astype(str) != "spurious"]
        f = f.assign(scene=[Path(p).stem for p in f["path"]])
        if a.save:
            f.to_pickle(f"{a.save}_{codec}.pkl")
        tables[codec] = f
        det = ev.detection.set_index("view").loc["located"]
        results[codec] = {
            "detection_f1": float(det["f1"]),
            "fields": int(len(f)),
            "exact": float(f["exact"].mean()),
            "per_type": {str(t): round(float(g["exact"].mean()), 4) for t, g in f.groupby("true_type", observed=True)},
        }
        print(f"\n== {codec}: detection F1 {det['f1']:.3f}, {len(f)} fields, exact {f['exact'].mean():.4f}")
        per = f.groupby(["true_type", "field"], observed=True)["exact"].agg(["mean", "size"])
        print(per[per["mean"] < 1].round(3).to_string())
    if {"jpeg", "png"} <= set(tables):
        key = ["scene", "true_type", "field"]
        j = tables["jpeg"].set_index(key)
        q = tables["png"].set_index(key)
        both = j.join(q, lsuffix="_jpeg", rsuffix="_png", how="inner")
        broken = both[both["exact_png"].astype(bool) & ~both["exact_jpeg"].astype(bool)]
        print(f"\n== right lossless, wrong as JPEG: {len(broken)}")
        print(broken[["true_value_jpeg", "pred_value_jpeg"]].to_string())
        fixed = both[~both["exact_png"].astype(bool) & both["exact_jpeg"].astype(bool)]
        print(f"== wrong lossless, right as JPEG: {len(fixed)}")
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
