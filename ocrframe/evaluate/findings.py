"""Key findings in plain language, and where the numbers came from (a report's first page).

:func:`key_findings` turns an evaluation into 3 to 5 sentences a reader can act on: how
much was found and read right, the weakest types and fields, the main kind of error,
and the confidence thresholds with their straight-through rate. :func:`provenance`
says which backend (and version) made the predictions, from which inputs, when, and
with which ocrframe.

Examples
--------
>>> from ocrframe.evaluate import evaluate
>>> from ocrframe.evaluate._testing import synthetic_pair
>>> pred, truth = synthetic_pair(80, seed=5)
>>> for s in key_findings(evaluate(pred, truth), target_precision=0.95):
...     print(s[:50] + " ...")
Of 226 labelled documents in 80 images, 96.5 % wer ...
Weakest types: 银行卡 (bankcard) F1 0.95 (recall 93.0 ...
Weakest fields: quota_invoice.number 86.8 % right  ...
Most errors are wrong field values: 80 of 94 (miss ...
At a target precision of 95 %, per-field confidenc ...
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["key_findings", "provenance", "MIN_SUPPORT", "MIN_SUPPORT_TYPE", "N_WEAKEST"]

#: a field needs this many labelled values to be called weak
MIN_SUPPORT = 5
#: a type needs this many labelled documents to be called weak
MIN_SUPPORT_TYPE = 3
#: how many weakest types / fields a finding names
N_WEAKEST = 3


def _pct(x: float) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:.1f} %"


def _type_name(t: Any) -> str:
    from ..viz import type_label

    zh = type_label(t, "zh")
    return f"{zh} ({t})" if zh != str(t) else str(t)


def _weakest_types(ev) -> str | None:
    pt = ev.per_type
    pt = pt[pt["support"] >= MIN_SUPPORT_TYPE]
    if len(pt) < 2:
        return None
    worst = pt.sort_values(["f1", "support"], ascending=[True, False]).head(N_WEAKEST)
    worst = worst[worst["f1"].fillna(0) < 1.0]
    if not len(worst):
        return f"Every type with at least {MIN_SUPPORT_TYPE} documents was found and typed without error."
    parts = [f"{_type_name(t)} F1 {r.f1:.2f} (recall {_pct(r.recall)}, {int(r.support)} documents)"
             for t, r in worst.iterrows()]
    return "Weakest types: " + "; ".join(parts) + "."


def _weakest_fields(ev) -> str | None:
    fs = ev.field_summary(by="field")
    if not len(fs):
        return None
    fs = fs[fs["n"] >= MIN_SUPPORT]
    col = ev.correct
    worst = fs.sort_values([col, "n"], ascending=[True, False]).head(N_WEAKEST)
    worst = worst[worst[col] < 1.0]
    if not len(worst):
        return f"Every field with at least {MIN_SUPPORT} labelled values was read right."
    parts = [f"{t}.{f} {_pct(r[col])} right ({int(r['n'])} values)" for (t, f), r in worst.iterrows()]
    return "Weakest fields: " + "; ".join(parts) + "."


def _main_error(ev) -> str | None:
    m = ev.matches
    o = m["outcome"].to_numpy()
    counts = {
        "missed documents": int((o == "FN").sum()),
        "false documents": int((o == "FP").sum()),
        "documents of the wrong type": int(((o == "TP") & ~m["type_ok"].to_numpy(dtype=bool)).sum()),
    }
    f = ev.fields
    if len(f):
        wrong = ~f[ev.correct].to_numpy(dtype=bool)
        pres = f["presence"].astype(str).to_numpy()
        counts["wrong field values"] = int((wrong & (pres == "both")).sum())
        counts["fields not read"] = int((wrong & (pres == "missing")).sum())
        counts["fields read that are not there"] = int((wrong & (pres == "spurious")).sum())
    total = sum(counts.values())
    if not total:
        return "No error of any kind: every document was found, typed and read right."
    kind, n = max(counts.items(), key=lambda kv: kv[1])
    rest = ", ".join(f"{k} {v}" for k, v in counts.items() if k != kind and v)
    return f"Most errors are {kind}: {n} of {total}" + (f" ({rest})." if rest else ".")


def _thresholds(ev, target: float) -> str | None:
    if not len(ev.fields) or ev.fields["confidence"].notna().sum() == 0:
        return None
    s = ev.summary(target_precision=target)
    per_field = s["field_straight_through (per-field thresholds)"]
    glob, thr = s["global_straight_through"], s["global_threshold"]
    docs = s["document_straight_through"]
    g = (f"one threshold for all fields ({thr:.2f}) passes {_pct(glob)}" if np.isfinite(thr)
         else "no single threshold for all fields reaches it")
    return (f"At a target precision of {100 * target:g} %, per-field confidence thresholds send {_pct(per_field)} "
            f"of fields straight through without review ({g}); {_pct(docs)} of documents pass with every field "
            "accepted (see the thresholds table).")


def key_findings(ev, *, target_precision: float = 0.99) -> list[str]:
    """Three to five plain-language sentences: coverage and accuracy, weakest types and
    fields, the main error kind, the recommended thresholds and their straight-through rate."""
    c = ev.coverage
    d = ev.detection.set_index("view")
    n_true = int(d.loc["located", "tp"] + d.loc["located", "fn"])
    fs = ev.field_summary(by="all")
    head = (f"Of {n_true} labelled documents in {c.n_truth} images, {_pct(d.loc['located', 'recall'])} were found "
            f"(precision {_pct(d.loc['located', 'precision'])}) and {_pct(d.loc['typed', 'recall'])} found with "
            "the right type")
    if len(fs):
        head += f"; {_pct(float(fs[ev.correct].iloc[0]))} of their {int(fs['n'].iloc[0])} field values are right"
    head += "."
    if c.n_truth_only:
        head += (f" {c.n_truth_only} of the images have no prediction and count as missed: run them or leave them "
                 "out of the truth.")
    out = [head]
    for make in (_weakest_types, _weakest_fields, _main_error):
        s = make(ev)
        if s:
            out.append(s)
    t = _thresholds(ev, target_precision)
    if t:
        out.append(t)
    return out[:5]


def provenance(ev) -> list[tuple[str, str]]:
    """Where the numbers come from: (label, text) pairs for a report's first block.

    Backend identity (which carries the engine version for the local engine) and run
    statistics come from ``pred.attrs["ocrframe"]`` (set by ``classify`` and kept by
    ``ocrframe.read_parquet``); input files from the frames' ``attrs["ocrframe"]["source"]``
    (set by the readers).
    """
    from .._version import __version__

    p_attrs = ev.pred.attrs.get("ocrframe") or {}
    t_attrs = ev.truth.attrs.get("ocrframe") or {}
    c = ev.coverage
    d = ev.detection.set_index("view")
    rows = [("Predictions by", str(p_attrs.get("backend") or "unknown (the frame carries no run record)"))]
    if p_attrs.get("images") is not None:
        rows.append(("Run", f"{p_attrs.get('images')} images, {p_attrs.get('requests', '?')} requests, "
                            f"{p_attrs.get('cached', 0)} from the response store, {p_attrs.get('failed_images', 0)} "
                            f"failed, {float(p_attrs.get('seconds') or 0):.0f} s"))
    rows.append(("Predictions from", str(p_attrs.get("source") or "a frame in memory")))
    rows.append(("Truth from", str(t_attrs.get("source") or "a frame in memory")))
    rows.append(("Images", f"{c.n_truth} scored of {c.n_given} given ({c.n_truth_only} without prediction, counted "
                           f"as missed; {c.n_pred_only} without labels, left out)"))
    rows.append(("Documents", f"{int(d.loc['located', 'tp'] + d.loc['located', 'fn'])} labelled, "
                              f"{int(d.loc['located', 'tp'] + d.loc['located', 'fp'])} predicted"))
    rows.append(("Settings", f"IoU ≥ {ev.iou} for a match{', same type only' if ev.by_type else ''}; a field is "
                             f"right when its {ev.correct} value matches"))
    rows.append(("Made", f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC with ocrframe "
                         f"{__version__}, pandas {pd.__version__}"))
    return rows
