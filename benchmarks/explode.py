"""Explode saved responses into the documents frame and the fields frame.

Baseline in the same run: the naive way, ``pd.json_normalize`` over the responses for
documents, and a list of per-field dicts fed to ``pd.DataFrame`` for fields.

    python benchmarks/explode.py [--n 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from benchmarks.common import machine  # noqa: E402
from ocrframe.frames import documents_frame, fields_frame  # noqa: E402
from ocrframe.response import parse_answer  # noqa: E402


def make_responses(n: int, seed: int = 0) -> list[dict]:
    """n responses of 1-5 (mean 3) quota/toll/VAT documents, a few empty or failed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rng.random()
        if r < 0.02:
            out.append({"error_code": "AIS.0103", "error_msg": "The image size does not meet the requirements."})
            continue
        docs = []
        for j in range(rng.randint(1, 5) if r > 0.04 else 0):
            x, y = rng.randint(0, 2000), rng.randint(0, 2000)
            kind = rng.random()
            if kind < 0.5:
                content = {"code": f"1{i:011d}", "number": f"{j:08d}", "amount": "￥50.00", "location": "上海",
                           "confidence": {"code": 0.93, "number": 0.96, "amount": 0.98, "location": 0.98}}
                t = "quota_invoice"
            elif kind < 0.8:
                content = {"code": f"1{i:011d}", "number": f"{j:08d}", "entry": "北京", "exit": "天津",
                           "amount": "￥35.00", "vehicle_type": "一型车", "date": "2024-01-05", "time": "12:30:01",
                           "confidence": {k: 0.9 for k in ("code", "number", "entry", "exit", "amount",
                                                           "vehicle_type", "date", "time")}}
                t = "toll_invoice"
            else:
                items = [{"name": "办公用品", "amount": "100.00", "tax": "13.00"} for _ in range(3)]
                content = {"code": "3200204130", "number": f"{i:08d}", "total": "￥339.00", "item_list": items,
                           "confidence": {"code": 0.99, "number": 0.98, "total": 0.97,
                                          "item_list": [{"name": 0.9, "amount": 0.95, "tax": 0.94}] * 3}}
                t = "vat_invoice"
            docs.append({"status": {"error_code": "AIS.0000", "error_msg": "Succeeded."}, "type": t,
                         "location": [[x, y], [x + 500, y], [x + 500, y + 300], [x, y + 300]], "content": content})
        out.append({"result": docs})
    return out


def ours(inputs: pd.DataFrame, responses: list[dict]) -> tuple[pd.DataFrame, float, float]:
    import time

    t = time.perf_counter()
    docs = documents_frame(inputs, [parse_answer(r) for r in responses])
    t_docs = time.perf_counter() - t
    t = time.perf_counter()
    fields = fields_frame(docs)
    return fields, t_docs, time.perf_counter() - t


def naive(inputs: pd.DataFrame, responses: list[dict]) -> tuple[float, float]:
    import time

    t = time.perf_counter()
    records = [{"path": p, **(r if "result" in r else {"result": []})} for p, r in zip(inputs["path"], responses)]
    pd.json_normalize(records, record_path="result", meta=["path"])
    t_docs = time.perf_counter() - t
    t = time.perf_counter()
    rows = []
    for rec in records:
        for j, d in enumerate(rec["result"]):
            conf = d["content"].get("confidence", {})
            for k, v in d["content"].items():
                if k == "confidence":
                    continue
                if isinstance(v, list):
                    for i, item in enumerate(v):
                        for kk, vv in item.items():
                            rows.append({"path": rec["path"], "doc": j, "field": f"{k}.{i}.{kk}", "value": vv,
                                         "confidence": conf[k][i][kk]})
                else:
                    rows.append({"path": rec["path"], "doc": j, "field": k, "value": v, "confidence": conf.get(k)})
    pd.DataFrame(rows)
    return t_docs, time.perf_counter() - t


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    responses = make_responses(args.n)
    inputs = pd.DataFrame({"path": [f"img/{i:07d}.jpg" for i in range(args.n)]})
    import statistics

    o_docs, o_fields, n_docs, n_fields = [], [], [], []
    for _ in range(args.repeat):
        fields, td, tf = ours(inputs, responses)
        o_docs.append(td)
        o_fields.append(tf)
        bd, bf = naive(inputs, responses)
        n_docs.append(bd)
        n_fields.append(bf)
    med = statistics.median
    res = {
        "responses": args.n, "documents": sum(len(r.get("result", [])) for r in responses), "fields": len(fields),
        "docs_s": med(o_docs), "docs_naive_s": med(n_docs), "fields_s": med(o_fields), "fields_naive_s": med(n_fields),
    }
    print(f"explode benchmark on {machine()}, median of {args.repeat}")
    print(f"{res['responses']} responses, {res['documents']} documents, {res['fields']} fields")
    print(f"documents frame: {res['docs_s']:.2f} s   naive json_normalize: {res['docs_naive_s']:.2f} s   "
          f"ratio naive/ours: {res['docs_naive_s'] / res['docs_s']:.2f}x")
    print(f"fields frame:    {res['fields_s']:.2f} s   naive dict rows: {res['fields_naive_s']:.2f} s   "
          f"ratio naive/ours: {res['fields_naive_s'] / res['fields_s']:.2f}x")
    return res


if __name__ == "__main__":
    main()
