"""Cloud client throughput: images/s against a fake service with 200 ms latency.

Runs, in one process against a fake service in another (``ocrframe.testing.fake_cloud``):

1. ``HuaweiCloud`` (AK/SK signed, verified by the fake with the official SDK's signer) over
   ``--images`` images on ``--workers`` threads; the ideal is workers / latency
   (16 / 0.2 s = 80 images/s);
2. the official SDK (``huaweicloudsdkocr``), sequential calls, on ``--sdk-images`` images;
3. peak RSS of this process after 2 000 and after ``--memory-images`` images (latency 0),
   to show memory stays flat.

    python benchmarks/client_throughput.py            # full run (~1 min)
    python benchmarks/client_throughput.py --quick    # smoke run
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._cloud_common import drive, fake_server, images, peak_rss_mb, template_png  # noqa: E402

from ocrframe.backends.base import RequestOptions  # noqa: E402
from ocrframe.backends.huawei import HuaweiCloud  # noqa: E402

AK, SK, PID = "BENCHAK000000001", "bench-secret-key-000000000000", "p-bench"


def cloud(url: str, workers: int) -> HuaweiCloud:
    return HuaweiCloud(endpoint=url, project_id=PID, ak=AK, sk=SK, qps=None, pool_size=workers,
                       timeout=(5, 30), env={}, trust_env=False)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--workers", type=int, default=16)
    p.add_argument("--latency", type=float, default=0.2)
    p.add_argument("--sdk-images", type=int, default=25)
    p.add_argument("--memory-images", type=int, default=20000)
    p.add_argument("--quick", action="store_true", help="200 images, 5 SDK calls, 4 000 for memory")
    a = p.parse_args(argv)
    if a.quick:
        a.images, a.sdk_images, a.memory_images = 200, 5, 4000
    tpl = template_png()
    opts = RequestOptions()
    out = {"image_bytes": len(tpl), "workers": a.workers, "latency_s": a.latency}

    with fake_server("--latency", str(a.latency), "--aksk", f"{AK}:{SK}") as url:
        be = cloud(url, a.workers)
        drive(lambda im: be.recognize(im, opts), images(a.workers, tpl + b"warm"), a.workers)
        be.stats.reset()
        t0 = time.perf_counter()
        counts = drive(lambda im: be.recognize(im, opts), images(a.images, tpl), a.workers)
        dt = time.perf_counter() - t0
        ideal = a.workers / a.latency
        out.update(images=a.images, ok=counts["ok"], errors=counts["error"], seconds=round(dt, 2),
                   images_per_s=round(a.images / dt, 1), ideal_images_per_s=round(ideal, 1),
                   share_of_ideal=round(a.images / dt / ideal, 3), requests=be.stats["requests"])
        be.close()

        try:
            from huaweicloudsdkcore.auth.credentials import BasicCredentials
            from huaweicloudsdkocr.v1 import AutoClassificationRequestBody, OcrClient, RecognizeAutoClassificationRequest
        except ImportError:
            out["sdk"] = "huaweicloudsdkocr not installed"
        else:
            client = OcrClient.new_builder().with_credentials(BasicCredentials(AK, SK, PID)).with_endpoint(url).build()
            ims = list(images(a.sdk_images, tpl + b"sdk"))
            t0 = time.perf_counter()
            for im in ims:
                body = AutoClassificationRequestBody(image=base64.b64encode(im.data).decode("ascii"))
                client.recognize_auto_classification(RecognizeAutoClassificationRequest(body=body))
            sdt = time.perf_counter() - t0
            # the same images through ocrframe, one at a time: per-call cost, like for like
            seq = cloud(url, 1)
            t0 = time.perf_counter()
            for im in images(a.sdk_images, tpl + b"seq"):
                seq.recognize(im, opts)
            qdt = time.perf_counter() - t0
            seq.close()
            out.update(sdk_sequential_images=a.sdk_images, sdk_images_per_s=round(a.sdk_images / sdt, 2),
                       ocrframe_sequential_images_per_s=round(a.sdk_images / qdt, 2),
                       speedup_vs_sdk=round((a.images / dt) / (a.sdk_images / sdt), 1))

    with fake_server("--latency", "0") as url:
        be = cloud(url, a.workers)
        first = min(2000, a.memory_images)
        drive(lambda im: be.recognize(im, opts), images(first, tpl + b"m1"), a.workers)
        rss_first = peak_rss_mb()
        t0 = time.perf_counter()
        drive(lambda im: be.recognize(im, opts), images(a.memory_images - first, tpl + b"m2"), a.workers)
        out.update(memory_images=a.memory_images, peak_rss_mb_after_2000=round(rss_first, 1),
                   peak_rss_mb_after_all=round(peak_rss_mb(), 1),
                   memory_run_images_per_s=round((a.memory_images - first) / max(time.perf_counter() - t0, 1e-9), 1))
        be.close()

    print(f"HuaweiCloud, {out['workers']} workers, {a.latency * 1000:.0f} ms latency, {out['image_bytes'] // 1024} KB images: "
          f"{out['images_per_s']} images/s = {out['share_of_ideal']:.0%} of the ideal {out['ideal_images_per_s']} "
          f"({out['ok']} ok, {out['errors']} errors, {out['requests']} requests)")
    if "sdk_images_per_s" in out:
        print(f"official SDK, sequential: {out['sdk_images_per_s']} images/s; ocrframe sequential: "
              f"{out['ocrframe_sequential_images_per_s']} images/s; ocrframe with {out['workers']} workers is "
              f"{out['speedup_vs_sdk']}x the SDK's sequential rate")
    print(f"peak RSS: {out['peak_rss_mb_after_2000']} MB after 2 000 images, "
          f"{out['peak_rss_mb_after_all']} MB after {out['memory_images']:,} "
          f"({out['memory_run_images_per_s']} images/s at 0 ms latency)")
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine skews wall-clock rates
    out["cpus"] = os.cpu_count()
    print(f"machine: {out['cpus']} CPUs, 1-min load average {out['load_average_1min']}")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
