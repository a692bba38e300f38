"""Images per second with 1 and 2 workers, and what 10 million images would cost.

    python -m benchmarks.scaling [--n 16] [--backend local] [--qps 10] [--dask]

Runs ``df.ocr.classify`` over the bundled sample images (repeated to ``--n``) with
``workers=1`` and ``workers=2`` (a process pool for the local engine), and, with
``--dask``, through a ``distributed.LocalCluster`` of 2 single-threaded workers. The
projection for 10 million images: machine-hours and core-hours for the local engine (from
the 1-worker time per image; one worker already keeps every core busy), and for the cloud the number of requests and the
time a QPS limit alone imposes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

import ocrframe  # noqa: E402,F401
from benchmarks.common import machine  # noqa: E402
from ocrframe.datasets import load_sample  # noqa: E402

TEN_MILLION = 10_000_000


def _frame(n: int) -> pd.DataFrame:
    images, _ = load_sample()
    paths = (images["path"].tolist() * (n // len(images) + 1))[:n]
    return pd.DataFrame({"path": paths})


def _time_pandas(df: pd.DataFrame, backend: str, workers: int) -> tuple[float, int]:
    t = time.perf_counter()
    docs = df.ocr.classify(col="path", backend=backend, workers=workers, progress=False)
    return time.perf_counter() - t, int(docs["doc"].notna().sum())


def _time_dask(df: pd.DataFrame, backend: str) -> float:
    import dask.dataframe as dd
    import distributed

    import ocrframe.dask  # noqa: F401

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster):
        ddf = dd.from_pandas(df, npartitions=8)
        # warm up: load the models once on each worker before timing
        dd.from_pandas(df.head(4), npartitions=2).ocr.classify(backend=backend).compute()
        t = time.perf_counter()
        ddf.ocr.classify(col="path", backend=backend).compute()
        return time.perf_counter() - t


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=16, help="images per run")
    ap.add_argument("--backend", default="local")
    ap.add_argument("--qps", type=float, default=10.0, help="cloud QPS limit for the projection")
    ap.add_argument("--dask", action="store_true", help="also time a 2-worker LocalCluster")
    args = ap.parse_args(argv)
    df = _frame(args.n)
    _time_pandas(df.head(2), args.backend, 1)  # load models in this process
    t1, docs = _time_pandas(df, args.backend, 1)
    t2, _ = _time_pandas(df, args.backend, 2)  # includes starting 2 worker processes
    res = {"n": args.n, "documents": docs, "seconds_1_worker": t1, "seconds_2_workers": t2,
           "images_per_s_1": args.n / t1, "images_per_s_2": args.n / t2, "speedup_2_over_1": t1 / t2}
    if args.dask:
        td = _time_dask(df, args.backend)
        res.update(seconds_dask_2=td, images_per_s_dask_2=args.n / td)
    s_per_image = t1 / args.n
    cores = os.cpu_count() or 1
    # one worker already keeps every core busy (ONNX Runtime's threads), so the wall time per
    # image is per machine; core-hours count every core of it
    res["local_machine_hours_10M"] = TEN_MILLION * s_per_image / 3600
    res["local_core_hours_10M"] = res["local_machine_hours_10M"] * cores
    res["cloud_requests_10M"] = TEN_MILLION
    res["cloud_hours_10M_at_qps"] = TEN_MILLION / args.qps / 3600
    res["cloud_billable_documents_10M"] = int(TEN_MILLION * docs / args.n)
    print(f"scaling on {machine()}, backend {args.backend}, {args.n} sample images ({docs} documents)")
    print(f"1 worker:  {res['images_per_s_1']:.2f} images/s ({s_per_image:.2f} s/image)")
    print(f"2 workers: {res['images_per_s_2']:.2f} images/s (x{res['speedup_2_over_1']:.2f}, incl. process start)")
    if args.dask:
        print(f"dask LocalCluster, 2 workers: {res['images_per_s_dask_2']:.2f} images/s")
    print(f"10M images, local engine: {res['local_machine_hours_10M']:.0f} hours of this {cores}-core machine "
          f"= {res['local_core_hours_10M']:.0f} core-hours")
    print(f"10M images, cloud: {TEN_MILLION} requests, >= {res['cloud_hours_10M_at_qps']:.0f} h at {args.qps:g} QPS, "
          f"~{res['cloud_billable_documents_10M']} billable documents at this sample's density")
    return res


if __name__ == "__main__":
    main()
