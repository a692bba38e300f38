"""Client overhead: requests/s through HTTPService vs raw ``requests.post`` on the same server.

Both send the same body to the same local fake service (latency 0, in its own process),
in the same run, interleaved, best of ``--rounds``. HTTPService adds per request: the image
checks (format sniffing, a header-only Pillow read), base64 and body assembly, the limiter,
the retry loop, JSON parsing, shape checks and stats; the signed variant adds AK/SK signing.
The ratio is what the client costs on top of HTTP itself.

Wall-clock rates depend on what else the machine runs; the client's CPU time per request
(``time.process_time`` of this process; the server runs in another) is the steadier figure.

    python benchmarks/client_overhead.py
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._cloud_common import drive, fake_server, template_png  # noqa: E402

import requests  # noqa: E402

from ocrframe.backends.base import ImageInput, RequestOptions  # noqa: E402
from ocrframe.backends.http import HTTPService  # noqa: E402


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=500)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--width", type=int, default=320, help="test image width (px); height is 5/8 of it")
    a = p.parse_args(argv)
    tpl = template_png(a.width, a.width * 5 // 8)
    image = ImageInput("bench.png", data=tpl)
    body = ('{"image":"' + base64.b64encode(tpl).decode("ascii") + '"}').encode()
    opts = RequestOptions()
    results: dict = {}

    with fake_server() as url:
        target = f"{url}/v2/ocrframe/ocr/auto-classification"
        raw_session = requests.Session()
        headers = {"Content-Type": "application/json;charset=UTF-8"}

        def raw(_):
            r = raw_session.post(target, data=body, headers=headers, timeout=(10, 60))
            r.raise_for_status()
            return r.json()

        plain = HTTPService(url, pool_size=a.threads, trust_env=False)
        signed = HTTPService(url, ak="BENCHAK000000001", sk="bench-secret-key-0000000000", pool_size=a.threads,
                             trust_env=False)
        variants = {"raw requests.post": raw,
                    "HTTPService": lambda _: plain.recognize(image, opts),
                    "HTTPService + AK/SK signing": lambda _: signed.recognize(image, opts)}
        for fn in variants.values():  # warm connections
            drive(fn, range(a.threads * 2), a.threads)
        for threads in (1, a.threads):
            for _ in range(a.rounds):
                for name, fn in variants.items():
                    t0, c0 = time.perf_counter(), time.process_time()
                    counts = drive(fn, range(a.requests), threads)
                    rate = a.requests / (time.perf_counter() - t0)
                    cpu_us = (time.process_time() - c0) / a.requests * 1e6
                    assert counts["error"] == 0, (name, counts)
                    key = (name, threads)
                    best_rate, best_cpu = results.get(key, (0.0, float("inf")))
                    results[key] = (max(best_rate, rate), min(best_cpu, cpu_us))

    print(f"{len(tpl) // 1024} KB image ({len(body) // 1024} KB body), {a.requests} requests, best of {a.rounds}")
    out = {}
    for threads in (1, a.threads):
        base, base_cpu = results[("raw requests.post", threads)]
        for name in variants:
            rate, cpu = results[(name, threads)]
            print(f"  {threads:>2} thread(s)  {name:<28} {rate:7.0f} req/s (x{rate / base:.2f})   "
                  f"client CPU {cpu:6.0f} us/request (x{cpu / base_cpu:.2f})")
            out[f"{name} x{threads}"] = {"req_per_s": round(rate, 1), "ratio_to_raw": round(rate / base, 3),
                                         "client_cpu_us": round(cpu), "cpu_ratio_to_raw": round(cpu / base_cpu, 3)}
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine skews wall-clock rates
    out["cpus"] = os.cpu_count()
    print(f"machine: {out['cpus']} CPUs, 1-min load average {out['load_average_1min']}")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
