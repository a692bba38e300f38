"""Fault injection against the cloud client + batch runner + response store, with kill -9.

    python benchmarks/fault_injection.py [--images 2000] [--rates 0.2 0.5] [--workers 16]

For each fault rate, against the fake cloud on 127.0.0.1 (``ocrframe.testing.fake_cloud``,
``FaultPlan``: 429, 500, 503, 502 HTML, dropped connections, 200s cut off or garbled):

1. **one run**: every image through ``run_backend`` with a response store, in a child
   process. Reported: images lost (no answer and no error row), images answered twice
   (two 200 status lines for one image: a real service bills both), error rows;
2. **resume**: the same run again. Reported: requests made, and whether every one was for
   an image the first run could not store;
3. **kill -9**: a fresh store; the child is killed with SIGKILL once about half the images
   are stored, then the run is started again to the end. Reported: images re-asked that
   were already stored at the kill (must be 0), images lost after the resume.

Prints a JSON line per rate and a summary; exits 1 when a "done when" figure is missed.
Loopback only; the fake runs in this process, the client in a child it can kill.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._cloud_common import template_png  # noqa: E402
from benchmarks.common import machine  # noqa: E402

_CLIENT = """
import json, sys
from ocrframe.backends.http import HTTPService, RetryPolicy
from ocrframe.batch import run_backend
from ocrframe.errors import ApiError
url, store, folder, n, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
svc = HTTPService(url, project_id="p", retry=RetryPolicy(max_retries=3, backoff=0.002, backoff_max=0.01),
                  trust_env=False)
paths = [f"{folder}/img{i:06d}.png" for i in range(n)]
answers, stats = run_backend(paths, svc, store=store, workers=workers, progress=False)
print(json.dumps({"answers": len(answers), "errors": sum(isinstance(a, ApiError) for a in answers),
                  "codes": sorted({a.code for a in answers if isinstance(a, ApiError)}),
                  "requests": stats.requests, "cached": stats.cached}))
"""


def _child(url: str, store: str, folder: str, n: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-c", _CLIENT, url, store, folder, str(n), str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"client failed: {err[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


def _stored(store: str) -> set[str]:
    try:
        con = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
        try:
            return {h for (h,) in con.execute("SELECT image_hash FROM answers")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


def run_rate(rate: float, n: int, workers: int, folder: Path, images: list[bytes]) -> dict:
    from ocrframe.testing.fake_cloud import FakeCloud, FaultPlan

    file_hash = [hashlib.sha256(b).hexdigest() for b in images]  # the store's key part
    wire_key = [hashlib.sha256(base64.b64encode(b)).hexdigest()[:16] for b in images]  # the fake's
    key_to_file = dict(zip(wire_key, file_hash))
    out: dict = {"rate": rate, "images": n}
    with tempfile.TemporaryDirectory() as tmp, \
            FakeCloud(faults=FaultPlan(rate=rate, seed=2026), project_id="p", latency=0.002) as fake:
        store = os.path.join(tmp, "a.sqlite")
        first = _finish(_child(fake.url, store, str(folder), n, workers))
        recs = fake.ocr_records()
        out["first_attempt_faults"] = sum(1 for r in recs if r.attempt == 1 and r.fault != "ok")
        out["lost"] = n - first["answers"]
        out["answered_twice"] = fake.answered_twice()
        out["error_rows"] = first["errors"]
        out["error_codes"] = first["codes"]
        stored = _stored(store)
        seen = len(fake.ocr_records())
        again = _finish(_child(fake.url, store, str(folder), n, workers))
        asked = {key_to_file[r.key] for r in fake.ocr_records()[seen:] if r.key in key_to_file}
        out["resume_requests"] = again["requests"]
        out["resume_asked_stored"] = len(asked & stored)
        out["resume_error_rows"] = again["errors"]

    with tempfile.TemporaryDirectory() as tmp, \
            FakeCloud(faults=FaultPlan(rate=rate, seed=2027), project_id="p", latency=0.005) as fake:
        store = os.path.join(tmp, "k.sqlite")
        proc = _child(fake.url, store, str(folder), n, workers)
        deadline = time.monotonic() + 600
        while len(_stored(store)) < n // 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        at_kill = _stored(store)
        seen = len(fake.ocr_records())
        resumed = _finish(_child(fake.url, store, str(folder), n, workers))
        asked = {key_to_file[r.key] for r in fake.ocr_records()[seen:] if r.key in key_to_file}
        out["kill_stored_at_kill"] = len(at_kill)
        out["kill_resume_requests"] = resumed["requests"]
        out["kill_resume_asked_stored"] = len(asked & at_kill)
        out["kill_resume_lost"] = n - resumed["answers"]
    out["ok"] = (out["lost"] == 0 and out["answered_twice"] == 0 and out["resume_asked_stored"] == 0
                 and out["kill_resume_asked_stored"] == 0 and out["kill_resume_lost"] == 0)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--rates", type=float, nargs="+", default=[0.2, 0.5])
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args(argv)
    print(json.dumps({"machine": machine()}))
    template = template_png(160, 100)
    images = [template + i.to_bytes(8, "big") for i in range(args.images)]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, data in enumerate(images):
            (folder / f"img{i:06d}.png").write_bytes(data)
        for rate in args.rates:
            res = run_rate(rate, args.images, args.workers, folder, images)
            print(json.dumps(res), flush=True)
            results.append(res)
    for r in results:
        print(f"rate {r['rate']:.0%}: {r['first_attempt_faults']} first attempts failed; lost {r['lost']}, answered "
              f"twice {r['answered_twice']}, error rows {r['error_rows']} {r['error_codes']}; resume made "
              f"{r['resume_requests']} requests, {r['resume_asked_stored']} for stored images; kill -9 at "
              f"{r['kill_stored_at_kill']} stored, resume made {r['kill_resume_requests']} requests, "
              f"{r['kill_resume_asked_stored']} for stored images, lost {r['kill_resume_lost']}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
