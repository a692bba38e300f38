"""Small builders of documents frames for doctests, tests and benchmarks.

They go through the real parser (:func:`ocrframe.response.parse_response`) and frame
builder (:func:`ocrframe.frames.documents_frame`), so frames look exactly like a
backend's or ``read_labels``'.

Examples
--------
>>> d = docs({"a.jpg": [("bankcard", (0, 0, 100, 60), {"card_number": "6222"})], "b.jpg": "AIS.0103"})
>>> d["path"].tolist(), d["status"].tolist(), d["doc"].isna().tolist()
(['a.jpg', 'b.jpg'], ['AIS.0000', 'AIS.0103'], [False, True])
>>> pred, truth = synthetic_pair(20, seed=1)
>>> len(pred) > 0 and set(pred["path"]) == set(truth["path"])
True
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd

from ..errors import ApiError
from ..frames import documents_frame
from ..response import parse_response

__all__ = ["docs", "quad", "synthetic_pair"]


def quad(box: Sequence[float]) -> list[list[float]]:
    """``(x0, y0, x1, y1)`` -> 4 points clockwise from top-left; a 4x2 quad passes through."""
    if len(box) == 4 and not isinstance(box[0], (list, tuple)):
        x0, y0, x1, y1 = box
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    return [list(p) for p in box]


def docs(spec: Mapping[str, Any], *, labels: bool = False, key: str = "path") -> pd.DataFrame:
    """A documents frame from ``{image: [(type, box, content?, status?), ...] | "AIS.0103"}``.

    ``content`` is the response's content dict (with ``confidence`` for predictions);
    a string instead of a list makes the image a failed request with that error code.
    """
    answers = []
    for _image, entries in spec.items():
        if isinstance(entries, str):
            answers.append(ApiError(entries))
            continue
        result = []
        for e in entries:
            t, box = e[0], e[1]
            content = e[2] if len(e) > 2 else {}
            status = e[3] if len(e) > 3 else "AIS.0000"
            d = {"type": t, "location": quad(box), "content": content}
            if not labels:
                d["status"] = {"error_code": status, "error_msg": "Succeeded." if status == "AIS.0000" else "failed"}
            result.append(d)
        answers.append(parse_response({"result": result}, labels=labels))
    return documents_frame(pd.DataFrame({key: list(spec)}), answers, ignore_index=True)


_FIELD_VALUES = {
    "quota_invoice": lambda r: {"code": str(r.randrange(10**11, 10**12)), "number": str(r.randrange(10**7, 10**8)),
                                "amount": f"￥{r.choice([5, 10, 20, 50, 100])}.00",
                                "location": r.choice(["上海", "北京", "广东"])},
    "bankcard": lambda r: {"bank_name": r.choice(["中国银行", "工商银行", "招商银行"]),
                           "card_number": f"6222{r.randrange(10**11, 10**12)}", "expiry_date": "2030-05-01"},
    "taxi_invoice": lambda r: {"code": str(r.randrange(10**11, 10**12)),
                               "date": f"2024年{r.randrange(1, 13)}月{r.randrange(1, 29)}日",
                               "boarding_time": f"{r.randrange(0, 24):02d}:{r.randrange(0, 60):02d}",
                               "total": f"¥{r.randrange(10, 300)}.{r.randrange(0, 10)}0"},
    "vat_invoice": lambda r: {"code": str(r.randrange(10**9, 10**10)), "issue_date": "2024-03-15",
                              "total": f"¥{r.randrange(100, 9000)}.00", "seller_name": "上海某某科技有限公司",
                              "item_list": [{"name": r.choice(["办公用品", "服务费", "咨询费"]),
                                             "amount": f"{r.randrange(10, 900)}.00"} for _ in range(r.randrange(1, 4))]},
}


def _variant(v: str) -> str:
    """A format variant that the normalisers should fold (not an error)."""
    if v.startswith(("￥", "¥")):
        return v[1:] + "元"
    if "年" in v:
        return v.replace("年", "-").replace("月", "-").replace("日", "")
    return v


def _corrupt(v: str, r) -> str:
    if not v:
        return "X"
    i = r.randrange(len(v))
    return v[:i] + r.choice("0123456789O") + v[i + 1:]


def synthetic_pair(n_images: int, *, seed: int = 0, docs_per_image: float = 3.0, miss: float = 0.05,
                   false_alarm: float = 0.03, wrong_type: float = 0.02, failed: float = 0.01,
                   field_error: float = 0.08, with_fields: bool = True, key: str = "path"):
    """Truth and jittered predictions as documents frames: ``(pred, truth)``.

    Documents sit side by side (slightly rotated quads, up to 6 per image, about
    ``docs_per_image`` on average); predictions are jittered copies with some misses,
    false alarms, type errors, failed requests and field errors (confidence lower on
    errors), plus format variants that normalisation should forgive. Deterministic for
    a seed.
    """
    import random

    import numpy as np

    r = random.Random(seed)
    g = np.random.default_rng(seed)
    types = list(_FIELD_VALUES)
    counts = np.minimum(g.poisson(max(docs_per_image - 1, 0), n_images) + (docs_per_image > 0), 6)
    total = int(counts.sum())
    size = np.column_stack([g.uniform(250, 380, total), g.uniform(150, 280, total)])
    ang = np.radians(g.uniform(-8, 8, total))
    c, s_ = np.cos(ang), np.sin(ang)
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    base = unit[None] * size[:, None, :]
    rot = np.stack([np.stack([c, s_], -1), np.stack([-s_, c], -1)], 1)  # (n, 2, 2)
    slot = np.concatenate([np.arange(k) for k in counts]) if total else np.zeros(0, int)
    origin = np.column_stack([50 + 420 * (slot % 3), 50 + 320 * (slot // 3)]) + size / 2
    quads = np.einsum("nkj,nji->nki", base, rot) + origin[:, None, :]
    jitter = quads + g.normal(0, 6, quads.shape)
    tq = np.round(quads).astype(int).tolist()
    pq = np.round(jitter).astype(int).tolist()
    ok = {"error_code": "AIS.0000", "error_msg": "Succeeded."}
    t_results, p_answers = [], []
    d = 0
    for img in range(n_images):
        truth_docs, pred_docs = [], []
        for _ in range(int(counts[img])):
            t = r.choice(types)
            content = _FIELD_VALUES[t](r) if with_fields else {}
            truth_docs.append({"type": t, "location": tq[d], "content": content})
            jq = pq[d]
            d += 1
            if r.random() < miss:
                continue
            pt = r.choice(types) if r.random() < wrong_type else t
            pc, conf = {}, {}
            for f, v in content.items():
                if isinstance(v, list):
                    rows, crows = [], []
                    for row in v:
                        rr, cr = {}, {}
                        for ff, vv in row.items():
                            bad = r.random() < field_error
                            rr[ff] = _corrupt(vv, r) if bad else vv
                            cr[ff] = r.betavariate(2, 3) if bad else r.betavariate(12, 1)
                        rows.append(rr)
                        crows.append(cr)
                    pc[f], conf[f] = rows, crows
                    continue
                u = r.random()
                if u < field_error:
                    pc[f], conf[f] = _corrupt(v, r), r.betavariate(2, 3)
                else:
                    pc[f] = _variant(v) if u < field_error + 0.1 else v
                    conf[f] = r.betavariate(12, 1)
            if pc:
                pc["confidence"] = conf
            pred_docs.append({"status": ok, "type": pt, "location": jq, "content": pc})
        if r.random() < false_alarm:
            o = r.randrange(50)
            fq = [[900 + o, 700 + o], [1100 + o, 700 + o], [1100 + o, 850 + o], [900 + o, 850 + o]]
            pred_docs.append({"status": ok, "type": r.choice(types), "location": fq, "content": {}})
        t_results.append(parse_response({"result": truth_docs}, labels=True))
        if r.random() < failed:
            p_answers.append(ApiError("AIS.0103"))
        else:
            p_answers.append(parse_response({"result": pred_docs}))
    images = pd.DataFrame({key: [f"img_{i:06d}.jpg" for i in range(n_images)]})
    truth = documents_frame(images, t_results, ignore_index=True)
    pred = documents_frame(images, p_answers, ignore_index=True)
    return pred, truth
