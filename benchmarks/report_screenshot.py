"""Render an evaluation report and screenshot it in headless Chromium.

    python -m benchmarks.report_screenshot [--images 200] [--out benchmarks/evaluate_report.png]

Synthetic images (documents drawn as filled quads) give the error gallery real crops.
Needs ``chromium-headless-shell`` (or ``chromium``) on PATH, e.g. the Debian package
``chromium-headless-shell``. Exits non-zero when Chromium reports a page error.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--out", default=str(Path(__file__).with_name("evaluate_report.png")))
    ap.add_argument("--html", default=None, help="also keep the HTML report here")
    ap.add_argument("--height", type=int, default=6000)
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    from PIL import Image, ImageDraw

    import ocrframe.evaluate as E
    from ocrframe.testing.frames import synthetic_pair

    tmp = Path(tempfile.mkdtemp(prefix="ocrframe-report-"))
    pred, truth = synthetic_pair(args.images, seed=7, field_error=0.1, failed=0.02)
    paths = {}
    for p, g in truth.groupby("path", sort=False):
        im = Image.new("RGB", (1400, 1000), (235, 235, 235))
        d = ImageDraw.Draw(im)
        for loc in g["location"]:
            if loc is not None:
                d.polygon([tuple(pt) for pt in loc], fill=(250, 250, 245), outline=(60, 60, 60))
                x, y = loc[0]
                for k in range(6):
                    d.rectangle([x + 20, y + 30 + 30 * k, x + 200 - 15 * k, y + 42 + 30 * k], fill=(90, 90, 120))
        f = tmp / p
        im.save(f)
        paths[p] = str(f)
    truth = truth.assign(path=truth["path"].map(paths))
    pred = pred.assign(path=pred["path"].map(paths))
    ev = E.evaluate(pred, truth)
    html = Path(args.html) if args.html else tmp / "report.html"
    ev.report(str(html), target_precision=0.98)
    exe = shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("google-chrome")
    if exe is None:
        print(f"report -> {html}; no headless Chromium on PATH: no screenshot")
        return {"report": str(html), "screenshot": None}
    proc = subprocess.run([exe, "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
                           f"--window-size=1200,{args.height}", f"--screenshot={args.out}", html.resolve().as_uri()],
                          capture_output=True, text=True, timeout=180)
    errors = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln or "net::ERR" in ln]
    print(f"report -> {html} ({html.stat().st_size / 1e3:.0f} kB); screenshot -> {args.out}; "
          f"chromium exit {proc.returncode}; page errors: {len(errors)}")
    for ln in errors:
        print("  " + ln)
    if proc.returncode != 0 or errors:
        raise SystemExit(1)
    return {"report": str(html), "screenshot": args.out, "page_errors": len(errors)}


if __name__ == "__main__":
    main()
