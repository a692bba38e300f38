"""Speed of the local engine on image *files*: the ratio to raw RapidOCR, time per stage,
throughput and memory per worker.

**Ratio.** Raw RapidOCR and the engine read the same encoded files in the same process,
interleaved image by image (so machine load affects both alike), after one warm-up each:

- **RapidOCR alone**, with its default settings: ``RapidOCR()(path)`` (its bundled
  PP-OCRv6 models on ONNX Runtime; it decodes the file itself);
- **the whole engine through the public API**:
  ``pd.DataFrame({"path": [path]}).ocr.classify(col="path", backend=LocalEngine(...))``
  (file read, decode, OCR, localisation, classification, re-reads, extraction, the
  contract's JSON, the documents frame), once per ``--config`` (default: the default
  :class:`~ocrframe.LocalEngine`).

The figure is the ratio of total times (and the per-image median ratio).

**Stages.** During the engine's calls the stage clock of :mod:`ocrframe.engine.stages`
charges time to decode, detection, classifier (angle), recognition, localisation,
classification, extraction and re-reads (turned documents read again upright, lines read
against their document, stamps); ``other`` is the rest (file read, JSON, frames).
RapidOCR's own detection / classifier / recognition times are shown beside.

**Throughput.** ``--workers 1,2`` runs ``df.ocr.classify(workers=W)`` over all files in a
fresh process per W (process start-up and model loading included) and reports images/s
and the peak resident memory of one worker.

**Levers.** ``--config NAME:key=value,...`` times another configuration in the same
interleaved run: keys ``runtime``, ``precision``, ``threads`` (the
:class:`~ocrframe.LocalEngine` options), any :class:`ocrframe.engine.params.EngineParams`
field (``det_policy``, ``min_score``, ``read_stamps``, ``reread_turned``, ``split_packed``:
the engine's ``params``) and any other :class:`ocrframe.engine.ocr.OcrConfig` field
(``rec_batch_width``, ``rec_min_width``, ``arena``, ``spinning``).

The files are generated scenes written as JPEG at mixed sizes (``--sizes``, longest side
in pixels, as ``ocrframe synth --size`` writes them), plus the real images of
``datasets/real`` when ``--real`` is given (the dev split; ``--real dev,test`` adds test,
whose images are only timed).

Usage::

    PYTHONPATH=. python benchmarks/engine_speed.py --n 12 --seed 424242
    PYTHONPATH=. python benchmarks/engine_speed.py --n 12 --real --workers 1,2
    PYTHONPATH=. python benchmarks/engine_speed.py --n 6 --config ort:runtime=onnxruntime \\
        --config ov:runtime=openvino --config ov-bf16:runtime=openvino,precision=bf16
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import accuracy as A  # noqa: E402
from common import machine  # noqa: E402

from ocrframe.engine.params import EngineParams  # noqa: E402

REAL = ROOT / "datasets" / "real"
#: LocalEngine's own options; every other --config key is an OcrConfig field
ENGINE_KEYS = ("runtime", "precision", "threads")
#: pipeline functions timed as stages: (module attribute, stage, absorbs what it calls)
PIPELINE_STAGES = (
    ("locate", "localisation", False),
    ("classify_text", "classification", False),
    ("_document", "extraction", False),
    ("_reocr_upright", "rereads", True),
    ("_fix_orientation", "rereads", True),
    ("read_stamps", "rereads", True),
)
RAPIDOCR_STAGES = ("detection", "classifier", "recognition")


def speed_files(n: int, seed: int, sizes: list[int], real: str = "") -> list[Path]:
    """``n`` generated scenes spread over ``sizes`` (plus the images of the real set's
    splits named in ``real``, comma-separated)."""
    from ocrframe.datasets import read_labels

    files: list[Path] = []
    per = [n // len(sizes) + (1 if i < n % len(sizes) else 0) for i in range(len(sizes))]
    for i, (size, k) in enumerate(zip(sizes, per)):
        if k:
            labels = A.synth_set(k, seed + 1000 * i, size=size, negative_rate=0.0)
            files += [Path(p) for p in read_labels(labels)["path"].unique()]
    for split in filter(None, real.split(",")):
        files += [Path(p) for p in read_labels(REAL / split / "labels.jsonl")["path"].unique()]
    return files


@dataclass
class Config:
    """One engine configuration to time: LocalEngine options and OCR-layer levers."""

    name: str
    engine: dict = field(default_factory=dict)
    levers: dict = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str) -> "Config":
        """``"ov:runtime=openvino,det_policy=rapidocr"`` -> Config."""
        name, _, rest = spec.partition(":")
        out = cls(name.strip() or "engine")
        for item in filter(None, (s.strip() for s in rest.split(","))):
            key, sep, value = item.partition("=")
            if not sep:
                raise SystemExit(f"--config expects NAME:key=value,..., got {spec!r}")
            try:
                value = json.loads(value)
            except ValueError:
                pass
            if key in EngineParams.__dataclass_fields__:  # LocalEngine(params=...) sets these
                out.engine["params"] = replace(out.engine.get("params", EngineParams()), **{key: value})
            else:
                (out.engine if key in ENGINE_KEYS else out.levers)[key] = value
        return out

    def backend(self):
        from ocrframe import LocalEngine

        return LocalEngine(**self.engine)

    def apply(self) -> None:
        """Set this configuration's levers (the rest back to their defaults)."""
        from ocrframe.engine import ocr

        defaults = ocr.OcrConfig()
        levers = {f: getattr(defaults, f) for f in ocr.OcrConfig.__dataclass_fields__
                  if f not in ENGINE_KEYS and f not in EngineParams.__dataclass_fields__}
        ocr.configure(**{**levers, **self.levers})


@dataclass
class Timing:
    """Seconds per file and per stage of one configuration (or of raw RapidOCR)."""

    seconds: list = field(default_factory=list)
    stages: dict = field(default_factory=dict)

    def add(self, seconds: float, stages: dict) -> None:
        self.seconds.append(seconds)
        for k, v in stages.items():
            self.stages[k] = self.stages.get(k, 0.0) + v


def hook_pipeline_stages() -> list[str]:
    """Time the pipeline's stages (module functions wrapped); returns the ones not found."""
    from ocrframe.engine import pipeline, stages

    missing = []
    for attr, name, absorb in PIPELINE_STAGES:
        if stages.wrap(pipeline, attr, name, absorb=absorb) is None:
            missing.append(attr)
    return missing


def time_interleaved(files: list[Path], configs: list[Config], repeat: int = 1) -> tuple[Timing, dict]:
    """Raw RapidOCR (default settings) and each configuration of the whole engine through
    ``df.ocr.classify``, interleaved file by file in this process after one warm-up each."""
    import pandas as pd
    from rapidocr import RapidOCR

    import ocrframe  # noqa: F401
    from ocrframe.engine.stages import recording

    raw = RapidOCR(params={"Global.log_level": "error"})
    backends = {c.name: c.backend() for c in configs}

    def engine(c: Config, p: Path):
        c.apply()
        return pd.DataFrame({"path": [str(p)]}).ocr.classify(col="path", backend=backends[c.name], workers=1,
                                                             progress=False)

    raw(str(files[0]))
    for c in configs:
        engine(c, files[0])
    t_raw, t_eng = Timing(), {c.name: Timing() for c in configs}
    for _ in range(repeat):
        for p in files:
            t = time.perf_counter()
            out = raw(str(p))
            dt = time.perf_counter() - t
            el = list(getattr(out, "elapse_list", None) or [0.0, 0.0, 0.0])
            t_raw.add(dt, dict(zip(RAPIDOCR_STAGES, [e or 0.0 for e in el])))
            for c in configs:
                with recording() as clock:
                    t = time.perf_counter()
                    engine(c, p)
                    dt = time.perf_counter() - t
                t_eng[c.name].add(dt, dict(clock.seconds))
    return t_raw, t_eng


def _throughput_job(files: list[str], workers: int, engine: dict, levers: dict, queue) -> None:
    import resource

    import pandas as pd

    import ocrframe
    from ocrframe.engine import ocr

    ocr.configure(**levers)
    t = time.perf_counter()
    docs = pd.DataFrame({"path": files}).ocr.classify(col="path", backend=ocrframe.LocalEngine(**engine),
                                                      workers=workers, progress=False)
    dt = time.perf_counter() - t
    who = resource.RUSAGE_SELF if workers == 1 else resource.RUSAGE_CHILDREN
    queue.put({"seconds": dt, "images": len(files), "documents": int(docs["type"].notna().sum()),
               "peak_mb": resource.getrusage(who).ru_maxrss / 1024})


def throughput(files: list[Path], workers: int, config: Config) -> dict:
    """Images/s of ``df.ocr.classify(workers=W)`` over the files in a fresh process (pool and
    model start-up included) and the peak resident memory of one worker, in MB."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=_throughput_job, args=([str(p) for p in files], workers, config.engine,
                                                     config.levers, q))
    proc.start()
    out = q.get()
    proc.join()
    out["images_per_s"] = out["images"] / out["seconds"]
    return out


def _stage_line(t: Timing, n: int, names) -> str:
    return ", ".join(f"{k} {t.stages.get(k, 0.0) / n:.3f}" for k in names if k in t.stages)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="generated scenes")
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--sizes", default="1200,1600,2400", help="longest sides of the generated scenes, in pixels")
    ap.add_argument("--real", nargs="?", const="dev", default="", metavar="SPLITS",
                    help="also time the images of these splits of datasets/real (default: dev; 'dev,test' for "
                         "both: only times are printed)")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the files")
    ap.add_argument("--config", action="append", default=[], metavar="NAME:key=value,...",
                    help="an engine configuration to time (repeatable; default: the default LocalEngine)")
    ap.add_argument("--workers", default="", help="also measure throughput at these worker counts, e.g. 1,2")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    a = ap.parse_args(argv)

    from ocrframe.engine.ocr import current_config, model_files, resolve_runtime
    from ocrframe.engine.stages import STAGES

    configs = [Config.parse(s) for s in a.config] or [Config("engine")]
    files = speed_files(a.n, a.seed, [int(s) for s in a.sizes.split(",")], real=a.real)
    missing = hook_pipeline_stages()
    default_runtime = resolve_runtime(current_config().runtime).value  # before the configs change it
    load0 = os.getloadavg()[0]
    t_raw, t_eng = time_interleaved(files, configs, repeat=a.repeat)
    n = len(t_raw.seconds)
    mb = sum(p.stat().st_size for p in files) / 2**20
    raw = np.array(t_raw.seconds)
    print(f"machine: {machine()}; load average {load0:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print(f"files: {len(files)} x {a.repeat} ({mb:.1f} MB; generated at {a.sizes} px"
          f"{' + datasets/real ' + a.real if a.real else ''})")
    print(f"models: {', '.join(p.name for p in model_files().values())}; default runtime "
          f"{default_runtime}")
    if missing:
        print(f"(pipeline functions not found, their time counts as other: {', '.join(missing)})")
    print(f"RapidOCR alone : {raw.mean():.3f} s/image (median {np.median(raw):.3f}); "
          f"its stages: {_stage_line(t_raw, n, RAPIDOCR_STAGES)}")
    out = {"files": len(files), "repeat": a.repeat, "load_average": load0, "rapidocr": float(raw.mean()),
           "rapidocr_stages": {k: v / n for k, v in t_raw.stages.items()}, "configs": {}}
    for c in configs:
        t = t_eng[c.name]
        eng = np.array(t.seconds)
        stages = {k: t.stages.get(k, 0.0) / n for k in STAGES if k in t.stages}
        stages["other"] = max(0.0, eng.mean() - sum(stages.values()))
        print(f"{c.name:14s}: {eng.mean():.3f} s/image (median {np.median(eng):.3f}); ratio engine / RapidOCR "
              f"{eng.sum() / raw.sum():.3f} (per-image median {np.median(eng / raw):.3f})")
        print("    stages (s/image): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
        out["configs"][c.name] = {"engine": c.engine, "levers": c.levers, "seconds": float(eng.mean()),
                                  "ratio": float(eng.sum() / raw.sum()),
                                  "median_ratio": float(np.median(eng / raw)), "stages": stages}
    if a.workers:
        out["throughput"] = {}
        for w in (int(x) for x in a.workers.split(",")):
            r = throughput(files, w, configs[0])
            out["throughput"][w] = r
            print(f"throughput {configs[0].name}, workers={w}: {r['images_per_s']:.3f} images/s "
                  f"({r['images']} images in {r['seconds']:.1f} s, start-up included); "
                  f"peak memory per worker {r['peak_mb']:.0f} MB")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=2, default=str))
    return out


if __name__ == "__main__":
    main()
