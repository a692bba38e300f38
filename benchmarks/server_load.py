"""Load test of ``ocrframe serve`` on loopback, against the same backend in-process.

    python benchmarks/server_load.py [--backend local|digest] [--workers 2] [--clients 64]
                                     [--requests 2000] [--images DIR] [--time-limit 600]

1. A server process (``ocrframe.server.serve``) starts on 127.0.0.1 with ``--workers``
   backend processes; the pool is warmed (models loaded) before timing.
2. ``--clients`` concurrent clients (asyncio streams, one keep-alive connection each) send
   ``--requests`` requests in total, cycling over the images (base64 bodies built once).
   A 429 is deliberate backpressure: the client waits ``Retry-After`` and sends again
   (counted apart). Anything else but 200 is an error.
3. Baseline: the same backend in a process pool of the same size in this process
   (``BackendPool``'s worker function, no HTTP), over ``--baseline-requests`` images,
   after a warm-up: the throughput the server is compared with.

Reports p50/p90/p99 latency, throughput (requests/s), errors, 429s and the ratio server
throughput / in-process throughput. Bounded: stops sending at ``--time-limit`` seconds.
Loopback only: the server binds 127.0.0.1 and the clients connect nowhere else.

The ``digest`` backend stands in for OCR where the engine is not installed: it spins the
CPU ``--spin`` seconds per image and answers deterministic documents.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine  # noqa: E402

_SERVER = textwrap.dedent("""
    import json, sys
    from ocrframe.server import ServerConfig
    from ocrframe.server.app import serve
    spec = json.loads(sys.argv[1])
    if spec["backend"] == "digest":
        from ocrframe.testing.backends import DigestBackend
        backend = DigestBackend(spin=spec["spin"], parallelism="process")
    else:
        backend = None  # the default: LocalEngine
    serve(ServerConfig(port=spec["port"], backend=backend, workers=spec["workers"],
                       queue_size=spec["queue_size"], log_level="WARNING", ocr_timeout=spec["ocr_timeout"],
                       max_client_requests=spec.get("max_client_requests", 16),
                       engine_threads=spec.get("engine_threads")))
""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_images(folder: str | None, n: int) -> list[bytes]:
    """Image files from ``folder`` (default: the bundled sample set), else synthetic PNGs."""
    candidates = [Path(folder)] if folder else [ROOT / "datasets" / "sample" / "images"]
    for d in candidates:
        if d.is_dir():
            files = sorted(p for p in d.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
            if files:
                return [p.read_bytes() for p in files[:n]]
    from PIL import Image, ImageDraw

    out = []
    for i in range(n):
        im = Image.new("RGB", (900, 600), (250, 250, 245))
        d = ImageDraw.Draw(im)
        d.rectangle([40 + i, 40, 500, 300], outline=(20, 20, 20), width=3)
        d.text((60, 60), f"sample {i}", fill=(0, 0, 0))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
        out.append(buf.getvalue())
    return out


def _percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(q / 100 * (len(xs) - 1)))))
    return xs[k]


class _Conn:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: the load generator shares
    the machine with the server, so it must cost as little CPU as possible (httpx costs
    several ms per request)."""

    def __init__(self, host: str, port: int, path: str):
        self.host, self.port, self.path = host, port, path
        self.reader = self.writer = None

    async def post(self, body: bytes) -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head)
        self.writer.write(body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        data = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.reader = self.writer = None


async def _drive(url: str, bodies: list[bytes], clients: int, total: int, time_limit: float) -> dict:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    assert u.hostname == "127.0.0.1", "loopback only"
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    throttled = 0
    errors: list[str] = []
    next_i = 0
    deadline = time.monotonic() + time_limit

    async def worker():
        nonlocal next_i, throttled
        conn = _Conn(u.hostname, u.port, u.path)
        try:
            while next_i < total and time.monotonic() < deadline:
                i = next_i
                next_i += 1
                body = bodies[i % len(bodies)]
                t0 = time.perf_counter()
                while True:
                    try:
                        status, headers, data = await conn.post(body)
                    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                        errors.append(type(e).__name__)
                        await conn.close()
                        break
                    if status == 429:
                        throttled += 1
                        await asyncio.sleep(float(headers.get("retry-after", "1")))
                        continue
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        latencies.append(time.perf_counter() - t0)
                    else:
                        errors.append(f"HTTP {status} {data[:80]!r}")
                    break
        finally:
            await conn.close()

    t = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    seconds = time.perf_counter() - t
    return {"latencies": latencies, "statuses": statuses, "throttled": throttled, "errors": errors,
            "seconds": seconds}


def baseline(backend_kind: str, spin: float, workers: int, images: list[bytes], n: int,
             engine_threads: int | None) -> dict:
    """The same backend, same worker count, in-process: no HTTP, no JSON, no base64."""
    from ocrframe.backends.base import RequestOptions
    from ocrframe.server import pool as server_pool

    if backend_kind == "digest":
        from ocrframe.testing.backends import DigestBackend

        backend = DigestBackend(spin=spin, parallelism="process")
    else:
        from ocrframe.backends.local import LocalEngine

        backend = LocalEngine(threads=engine_threads or max(1, (os.cpu_count() or 1) // workers))
    ctx = multiprocessing.get_context("spawn")
    opts = RequestOptions()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=server_pool._init_worker,
                             initargs=(backend,)) as ex:
        for f in [ex.submit(server_pool._warm) for _ in range(workers)]:
            f.result()
        # warm: one recognition per worker (models loaded, caches filled)
        list(ex.map(server_pool._call_in_worker, images[:workers], [opts] * workers))
        data = [images[i % len(images)] for i in range(n)]
        t = time.perf_counter()
        outcomes = list(ex.map(server_pool._call_in_worker, data, [opts] * n, chunksize=1))
        seconds = time.perf_counter() - t
    ok = sum(1 for o in outcomes if o[0] == "ok")
    return {"requests": n, "ok": ok, "seconds": seconds, "throughput": n / seconds}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=("local", "digest"), default="local")
    ap.add_argument("--spin", type=float, default=0.05, help="digest backend: CPU seconds per image")
    ap.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--engine-threads", type=int, default=None)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--baseline-requests", type=int, default=None, help="default: same as --requests")
    ap.add_argument("--queue-size", type=int, default=None, help="default: clients (no 429 expected)")
    ap.add_argument("--images", default=None, help="folder of images (default: datasets/sample/images)")
    ap.add_argument("--n-images", type=int, default=40)
    ap.add_argument("--time-limit", type=float, default=900.0, help="stop sending after this many seconds")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--max-client-requests", type=int, default=None,
                    help="the server's per-address cap (default: --clients: every client here shares 127.0.0.1)")
    args = ap.parse_args(argv)

    if args.backend == "local":
        try:
            import ocrframe.backends.local  # noqa: F401
        except ImportError as e:
            print(f"the local engine is not available ({e}); use --backend digest", file=sys.stderr)
            raise
    images = load_images(args.images, args.n_images)
    bodies = [json.dumps({"image": base64.b64encode(b).decode()}).encode() for b in images]
    port = _free_port()
    spec = {"backend": args.backend, "spin": args.spin, "workers": args.workers, "port": port,
            "queue_size": args.queue_size if args.queue_size is not None else args.clients,
            "max_client_requests": (args.max_client_requests if args.max_client_requests is not None
                                    else args.clients),
            "engine_threads": args.engine_threads,
            # a full queue in front of slow OCR waits long: no 504 inside the measured run
            "ocr_timeout": args.time_limit + 600}
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, json.dumps(spec)], env=env)
    base = f"http://127.0.0.1:{port}"
    url = base + "/v2/bench/ocr/auto-classification"
    try:
        import httpx

        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(base + "/health", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        # warm-up: each worker answers once
        asyncio.run(_drive(url, bodies, args.workers, args.workers * 2, 300))
        run = asyncio.run(_drive(url, bodies, args.clients, args.requests, args.time_limit))
        health = httpx.get(base + "/health", trust_env=False).json()
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    lat = run["latencies"]
    done = len(lat)
    server_tp = done / run["seconds"] if run["seconds"] else float("nan")
    figures = {
        "backend": args.backend + (f" (spin {args.spin} s)" if args.backend == "digest" else ""),
        "machine": machine(), "workers": args.workers, "clients": args.clients, "requests": args.requests,
        "completed": done, "errors": len(run["errors"]), "error_kinds": sorted(set(run["errors"]))[:5],
        "throttled_429": run["throttled"], "seconds": round(run["seconds"], 2),
        "throughput_rps": round(server_tp, 2),
        "latency_p50_ms": round(_percentile(lat, 50) * 1000, 1),
        "latency_p90_ms": round(_percentile(lat, 90) * 1000, 1),
        "latency_p99_ms": round(_percentile(lat, 99) * 1000, 1),
        "latency_mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        "server_pool": health.get("pool"),
    }
    if not args.no_baseline:
        b = baseline(args.backend, args.spin, args.workers, images, args.baseline_requests or args.requests,
                     args.engine_threads)
        figures["inprocess_throughput_rps"] = round(b["throughput"], 2)
        figures["inprocess_requests"] = b["requests"]
        figures["ratio_server_to_inprocess"] = round(server_tp / b["throughput"], 3)
    print(f"server_load: {figures['backend']}, {args.workers} workers, {args.clients} clients, "
          f"{done}/{args.requests} requests in {figures['seconds']} s")
    print(f"  throughput {figures['throughput_rps']} req/s   p50 {figures['latency_p50_ms']} ms   "
          f"p90 {figures['latency_p90_ms']} ms   p99 {figures['latency_p99_ms']} ms")
    print(f"  errors {figures['errors']}   deliberate 429s {figures['throttled_429']}")
    if "inprocess_throughput_rps" in figures:
        print(f"  in-process ({args.workers} workers): {figures['inprocess_throughput_rps']} req/s   "
              f"ratio server/in-process {figures['ratio_server_to_inprocess']}")
    return figures


if __name__ == "__main__":
    main()
