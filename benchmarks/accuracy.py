"""Engine accuracy on image *files*, read the way a user reads them: the shared harness.

Every accuracy benchmark (``engine_accuracy``, ``invoice_accuracy``, ``real_accuracy``) goes
through the public API and nothing else:

1. a labelled set on disk (``labels.jsonl`` next to its images; for generated scenes, the
   JPEG files ``ocrframe synth`` writes, cached by :func:`synth_set`);
2. ``images.ocr.classify(col="path", workers=W)``: the default :class:`~ocrframe.LocalEngine`
   reads and decodes each file itself;
3. ``ocrframe.evaluate(docs, truth, iou=0.5)``: optimal matching on quad IoU, then field
   correctness of every matched document (nested lists aligned row by row).

:func:`figures` turns the evaluation into the numbers the README quotes: detection
precision / recall / F1, type accuracy on matched documents, field exact match overall,
per document family (cards, invoices) and per type, and the weakest fields. Field exact
match counts every labelled value of every matched document (a value the prediction
lacks is wrong); a document matched with the wrong type keeps its true fields, which then
count as missing.

:func:`ocr_ceiling` adds the share of labelled values present in the raw OCR lines of
their image: what a perfect localiser and extractor could reach with this OCR.

Examples
--------
>>> import os, tempfile
>>> from ocrframe.datasets import write_labels
>>> d = tempfile.mkdtemp()
>>> import numpy as np, cv2
>>> _ = cv2.imwrite(os.path.join(d, "blank.jpg"), np.full((64, 64, 3), 255, np.uint8))
>>> p = write_labels([{"image": "blank.jpg", "result": []}], os.path.join(d, "labels.jsonl"))
>>> run = classify_set(p, workers=1, progress=False)
>>> figures(run)["detection"]["tp"], len(run.truth)
(0, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: generated sets are cached here (keyed by arguments and the generator's source)
CACHE_DIR = ROOT / "benchmarks" / ".cache"
#: IoU a predicted quad needs with a true one to count as found
IOU = 0.5


# ---------------------------------------------------------------------------------- data sets
def _synth_fingerprint() -> str:
    """A hash of the generator's source and the libraries that shape its pixels."""
    import PIL
    import cv2

    h = hashlib.sha256()
    src = ROOT / "ocrframe" / "datasets" / "synth"
    for p in sorted(src.rglob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(f"{PIL.__version__}|{cv2.__version__}|{np.__version__}".encode())
    return h.hexdigest()[:16]


def synth_set(n: int, seed: int, *, types: Iterable[str] | None = None, workers: int = 1,
              cache_dir: Path | None = None, **options) -> Path:
    """The labels file of ``n`` generated scenes written as JPEG files, exactly as
    ``ocrframe synth --n N --seed S`` writes them (cached; regenerated when the generator changes).

    ``options`` are :func:`ocrframe.datasets.synth.generate` keyword arguments (``hard=0.2``,
    ``negative_rate=0``, ``size=1280``, ...).
    """
    from ocrframe.datasets.synth import generate

    types = list(types) if types else None
    key = json.dumps({"n": n, "seed": seed, "types": types, "options": options, "src": _synth_fingerprint()},
                     sort_keys=True, default=str)
    folder = Path(cache_dir or CACHE_DIR) / f"synth-{seed}-{n}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    labels = folder / "labels.jsonl"
    if not labels.is_file():
        tmp = folder.with_name(folder.name + ".tmp")
        generate(n, seed, tmp, types=types, workers=workers, **options)
        if folder.exists():  # pragma: no cover - a concurrent run finished first
            import shutil

            shutil.rmtree(tmp)
        else:
            tmp.rename(folder)
    return labels


# ---------------------------------------------------------------------------------- running
@dataclass
class Run:
    """One pass of the engine over a labelled set: the frames and the evaluation."""

    labels: Path
    truth: pd.DataFrame
    docs: pd.DataFrame
    seconds: float
    workers: int

    @property
    def images(self) -> int:
        return int(self.truth["path"].nunique())

    @property
    def ev(self):
        if not hasattr(self, "_ev"):
            import ocrframe

            self._ev = ocrframe.evaluate(self.docs, self.truth, on="path", iou=IOU)
        return self._ev


def classify_set(labels: str | os.PathLike, *, workers: int = 1, backend=None, progress: bool | None = None) -> Run:
    """Classify every image of a labels file through ``df.ocr.classify`` (files, not arrays)."""
    import ocrframe  # noqa: F401  (registers the accessor)
    from ocrframe.datasets import read_labels

    labels = Path(labels)
    truth = read_labels(labels)
    images = pd.DataFrame({"path": pd.unique(truth["path"])})
    t0 = time.perf_counter()
    docs = images.ocr.classify(col="path", backend=backend, workers=workers, progress=progress)
    return Run(labels, truth, docs, time.perf_counter() - t0, workers)


def add_param_option(ap) -> None:
    """``--param NAME=VALUE`` (repeatable): an :class:`ocrframe.engine.params.EngineParams`
    setting of the :class:`~ocrframe.LocalEngine` the benchmark runs."""
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="an EngineParams setting of the LocalEngine, e.g. min_score=0.6 or read_stamps=off "
                         "(repeatable; default: the engine's defaults)")


def engine_for(params: list[str]):
    """The backend for ``--param`` settings: None (the default LocalEngine) when there are
    none, else a LocalEngine with those :class:`~ocrframe.engine.params.EngineParams`."""
    if not params:
        return None
    from ocrframe import LocalEngine
    from ocrframe.engine.params import EngineParams

    try:
        return LocalEngine(params=EngineParams.parse(params))
    except ValueError as e:
        raise SystemExit(f"--param: {e}") from None


# ---------------------------------------------------------------------------------- figures
def families() -> dict[str, tuple[str, ...]]:
    """Document families the README reports apart: ``cards`` (cards and licences), ``invoices``."""
    from ocrframe.engine.extract import CARD_TYPES
    from ocrframe.types import ORIGINAL_TYPES

    cards = tuple(t.value for t in CARD_TYPES)
    return {"cards": cards, "invoices": tuple(t.value for t in ORIGINAL_TYPES if t.value not in cards)}


def _exact(f: pd.DataFrame) -> tuple[float, int, int]:
    true = f[f["presence"] != "spurious"]
    n = len(true)
    k = int(true["exact"].sum())
    return (k / n if n else float("nan")), k, n


def figures(run: Run, *, weakest: int = 12) -> dict:
    """The headline numbers of a run (JSON-ready)."""
    ev = run.ev
    d = ev.detection.set_index("view")
    m = ev.matches
    tp = m[m["outcome"] == "TP"]
    f = ev.field_table
    out: dict = {
        "labels": str(run.labels), "images": run.images, "workers": run.workers,
        "seconds_per_image": run.seconds / max(1, run.images),
        "detection": {k: (int(d.loc["located", k]) if k in ("tp", "fp", "fn") else float(d.loc["located", k]))
                      for k in ("precision", "recall", "f1", "tp", "fp", "fn", "mean_iou")},
        "typed_f1": float(d.loc["typed", "f1"]),
        "type_accuracy": float(tp["type_ok"].mean()) if len(tp) else float("nan"),
        "failed_images": int(ev.images["failed"].sum()),
    }
    acc, k, n = _exact(f)
    out["field_exact"] = {"all": acc, "correct": k, "n": n}
    ttype = f["true_type"].astype(str) if len(f) else pd.Series([], dtype=str)
    for fam, types in families().items():
        acc, k, n = _exact(f[ttype.isin(types)])
        if n:
            out["field_exact"][fam] = acc
            out["field_exact"][f"{fam}_n"] = n
    out["per_type"] = per_type_table(run).reset_index().to_dict(orient="records")
    if "layout" in run.truth.columns and len(f):
        lay = run.truth["layout"].to_numpy()[f["truth"].to_numpy()]
        g = f.assign(layout=lay)[f["presence"].to_numpy() != "spurious"].groupby("layout")["exact"]
        out["per_layout"] = {k: {"field_exact": float(v.mean()), "fields": int(v.size)} for k, v in g}
    if len(f):
        g = f[f["presence"] != "spurious"].assign(t=ttype, key=f["field_group"].astype(str))
        s = g.groupby(["t", "key"])["exact"].agg(["mean", "size"]).reset_index()
        s = s[s["mean"] < 1].sort_values(["mean", "size"], ascending=[True, False]).head(weakest)
        out["weakest_fields"] = [f"{r.t}.{r.key}={r.mean:.2f} ({int(round(r.mean * r.size))}/{r.size})"
                                 for r in s.itertuples()]
    return out


def per_type_table(run: Run) -> pd.DataFrame:
    """Per true type: documents, detection P/R/F1 (located, any type), type accuracy on
    matches, field exact match and its count."""
    m = run.ev.matches
    f = run.ev.field_table
    rows = []
    true_t = m["true_type"].astype(object)
    pred_t = m["pred_type"].astype(object)
    types = sorted(set(true_t.dropna()) | set(pred_t.dropna()))
    ftype = f["true_type"].astype(str) if len(f) else pd.Series([], dtype=str)
    for t in types:
        tp_rows = m[(m["outcome"] == "TP") & (true_t == t)]
        fn = int(((m["outcome"] == "FN") & (true_t == t)).sum())
        fp = int(((m["outcome"] == "FP") & (pred_t == t)).sum())
        tp = len(tp_rows)
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        acc, _, n = _exact(f[ftype == t])
        rows.append({"type": t, "docs": tp + fn, "precision": p, "recall": r,
                     "f1": 2 * p * r / (p + r) if tp else 0.0,
                     "type_acc": float(tp_rows["type_ok"].mean()) if tp else float("nan"),
                     "field_exact": acc, "fields": n})
    return pd.DataFrame(rows).set_index("type") if rows else pd.DataFrame()


# ---------------------------------------------------------------------------------- OCR ceiling
_SPACE = re.compile(r"\s+")


def _fold(s: str) -> str:
    """Whitespace removed, full-width forms folded (NFKC), the yuan sign unified, upper case."""
    import unicodedata

    s = unicodedata.normalize("NFKC", str(s)).replace("¥", "￥").replace("￥", "Y")
    return _SPACE.sub("", s).upper()


def _values(content, prefix: str = "") -> Iterable[tuple[str, str]]:
    for k, v in (content or {}).items():
        if k in ("confidence", "extra_info"):
            continue
        if isinstance(v, list):
            for i, row in enumerate(v):
                if isinstance(row, dict):
                    yield from _values(row, f"{prefix}{k}.{i}.")
        elif isinstance(v, str) and v.strip():
            yield f"{prefix}{k}", v


def ocr_ceiling(truth: pd.DataFrame) -> pd.DataFrame:
    """For every labelled value: is it present in the raw OCR lines of its image?

    The lines are the engine's first OCR pass over the decoded file
    (:func:`ocrframe.engine.ocr.run_ocr`); a value counts as present when, whitespace
    removed and full-width forms folded, it is a substring of the image's lines joined in
    OCR order (so a value wrapped over two adjacent lines still counts).

    Returns
    -------
    DataFrame
        ``path, type, field, value, present``.
    """
    from ocrframe.engine.decode import decode_image
    from ocrframe.engine.ocr import run_ocr

    rows = []
    for path, g in truth.dropna(subset=["doc"]).groupby("path", sort=False):
        img = decode_image(Path(path).read_bytes())
        text = "".join(_fold(ln.text) for ln in run_ocr(img))
        for doc in g.itertuples():
            for key, v in _values(doc.content):
                rows.append({"path": path, "type": str(doc.type), "field": key, "value": v,
                             "present": _fold(v) in text})
    return pd.DataFrame(rows, columns=["path", "type", "field", "value", "present"])


# ---------------------------------------------------------------------------------- printing
def print_figures(fig: dict, *, title: str = "", per_type: bool = True) -> None:
    """A plain-text report of :func:`figures` (and the OCR ceiling when present)."""
    d = fig["detection"]
    if title:
        print(title)
    print(f"images: {fig['images']} from {fig['labels']}; {fig['failed_images']} failed; "
          f"{fig['seconds_per_image']:.2f} s/image (workers={fig['workers']})")
    print(f"detection @IoU{IOU}: P={d['precision']:.4f} R={d['recall']:.4f} F1={d['f1']:.4f} "
          f"(tp={d['tp']} fp={d['fp']} fn={d['fn']}); mean IoU {d['mean_iou']:.4f}; typed F1 {fig['typed_f1']:.4f}")
    print(f"type accuracy on matches: {fig['type_accuracy']:.4f}")
    fe = fig["field_exact"]
    fams = ", ".join(f"{k} {fe[k]:.4f} (n={fe[k + '_n']})" for k in ("cards", "invoices") if k in fe)
    print(f"field exact match: {fe['all']:.4f} ({fe['correct']}/{fe['n']})" + (f"; {fams}" if fams else ""))
    if "ocr_ceiling" in fig:
        print(f"labelled values present in the raw OCR lines (ceiling): {fig['ocr_ceiling']['all']:.4f}")
    if per_type and fig.get("per_type"):
        cols = ["docs", "precision", "recall", "f1", "type_acc", "field_exact", "fields"]
        if any("ceiling" in r for r in fig["per_type"]):
            cols.append("ceiling")
        table = pd.DataFrame(fig["per_type"]).set_index("type")[cols]
        with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
            print(table.to_string())
    if fig.get("per_layout"):
        print("field exact per layout variant: " + ", ".join(
            f"{k} {v['field_exact']:.3f} (n={v['fields']})" for k, v in fig["per_layout"].items()))
    if fig.get("weakest_fields"):
        print("weakest fields: " + ", ".join(fig["weakest_fields"]))


def add_ceiling(fig: dict, run: Run) -> dict:
    """Put the OCR ceiling (overall and per type) into ``fig``."""
    c = ocr_ceiling(run.truth)
    fig["ocr_ceiling"] = {"all": float(c["present"].mean()) if len(c) else float("nan"), "values": len(c)}
    per = c.groupby("type")["present"].mean().to_dict() if len(c) else {}
    for row in fig.get("per_type", []):
        row["ceiling"] = per.get(row["type"], float("nan"))
    return fig


def write_failures(run: Run, folder: Path, n: int = 12) -> None:
    """The ``n`` images with most errors, truth quads in green and predictions in red, plus a
    JSON of their wrong fields."""
    import cv2

    ev = run.ev
    folder.mkdir(parents=True, exist_ok=True)
    worst = ev.worst_images(n)
    worst = worst[worst["errors"] > 0]
    f = ev.field_table
    for path in worst["path"]:
        img = cv2.imdecode(np.fromfile(path, np.uint8), cv2.IMREAD_COLOR)
        if img is None:
            continue
        for q in run.truth.loc[run.truth["path"] == path, "location"].dropna():
            cv2.polylines(img, [np.int32(q)], True, (0, 200, 0), 3)
        for _, r in run.docs[run.docs["path"] == path].dropna(subset=["location"]).iterrows():
            q = np.int32(r["location"])
            cv2.polylines(img, [q], True, (0, 0, 255), 3)
            cv2.circle(img, tuple(int(v) for v in q[0]), 10, (0, 0, 255), -1)
            cv2.putText(img, str(r["type"]), tuple(int(v) for v in q[0]), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                        (0, 0, 255), 2)
        stem = Path(path).stem
        cv2.imwrite(str(folder / f"{stem}.jpg"), img)
        wrong = f[(f["path"] == path) & ~f["exact"].astype(bool) & (f["presence"] != "spurious")]
        (folder / f"{stem}.json").write_text(json.dumps(
            [{"type": str(r.true_type), "field": r.field, "true": r.true_value,
              "pred": None if pd.isna(r.pred_value) else r.pred_value} for r in wrong.itertuples()],
            ensure_ascii=False, indent=1, default=str))


def dump(run: Run, path: Path) -> None:
    """Every image's truth and prediction as JSON lines (for analysis)."""
    with open(path, "w", encoding="utf-8") as fh:
        for p, g in run.truth.groupby("path", sort=False):
            pred = run.docs[run.docs["path"] == p]
            rec = {"path": p,
                   "truth": [{"type": str(r.type), "location": r.location, "content": r.content}
                             for r in g.dropna(subset=["doc"]).itertuples()],
                   "pred": [{"type": str(r.type), "status": r.status, "location": r.location, "content": r.content}
                            for r in pred.dropna(subset=["doc"]).itertuples()]}
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
