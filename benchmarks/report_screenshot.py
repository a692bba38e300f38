"""Render an evaluation report, and check it in headless Chromium: on screen and printed to A4.

    python -m benchmarks.report_screenshot [--images 200] [--out benchmarks/evaluate_report.png]
    python -m benchmarks.report_screenshot --docs docs.parquet --truth datasets/sample/labels.jsonl \\
        --out-dir docs/report --pages 1,2,3

Without ``--docs``, synthetic images (documents drawn as filled quads) give the error
gallery real crops. With ``--docs`` (a documents frame saved by ``ocrframe classify
--out``) and ``--truth`` (labels), the report is the real one. ``--out-dir`` also prints
the page to PDF (A4, the report's print stylesheet) and renders the chosen pages as
PNG (``report_print_p<N>.png``, with pypdfium2), then checks in the PDF's text that
every row of the per-type table was printed. Needs ``chromium`` (Debian's package) or
``chromium-headless-shell`` on PATH; exits non-zero on a page error or a missing row.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: Chromium flags for a local file, offline, no profile noise
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr")
#: width of the page PNGs rendered from the PDF (small enough to commit)
PAGE_PNG_WIDTH = 760
#: A4 in PostScript points
A4_POINTS = (595.0, 842.0)


def _synthetic_evaluation(n_images: int, tmp: Path):
    from PIL import Image, ImageDraw

    import ocrframe.evaluate as E
    from ocrframe.testing.frames import synthetic_pair

    pred, truth = synthetic_pair(n_images, seed=7, field_error=0.1, failed=0.02)
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
    return E.evaluate(pred, truth)


def _saved_evaluation(docs: str, truth: str):
    import ocrframe
    from ocrframe.evaluate.cli import read_documents

    pred = read_documents(docs)
    labels = read_documents(truth, labels=True)
    for frame, src in ((pred, docs), (labels, truth)):
        frame.attrs["ocrframe"] = {**(frame.attrs.get("ocrframe") or {}), "source": str(Path(src).resolve())}
    return ocrframe.evaluate(pred, labels)


def _chromium(exe: str, *args: str) -> list[str]:
    proc = subprocess.run([exe, *CHROMIUM_FLAGS, *args], capture_output=True, text=True, timeout=300)
    errors = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln or "net::ERR" in ln]
    if proc.returncode != 0:
        errors.append(f"chromium exit {proc.returncode}: {proc.stderr[-500:]}")
    return errors


def _check_pdf(pdf: Path, ev, out_dir: Path, pages: list[int]) -> dict:
    """Render the chosen pages to PNG; check the page size and that every per-type row was printed."""
    import pypdfium2 as pdfium

    from ocrframe.evaluate.plots import type_label

    doc = pdfium.PdfDocument(str(pdf))
    sizes = {tuple(round(v) for v in doc[i].get_size()) for i in range(len(doc))}
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    flat = "".join(text.split())
    rows = [str(t) for t in ev.classification_report().index]
    missing = [r for r in rows if "".join(r.split()) not in flat]
    names = [type_label(t, "zh") for t in ev.per_type.index]
    missing += [n for n in names if n not in flat]
    written = []
    for p in pages:
        if 1 <= p <= len(doc):
            page = doc[p - 1]
            img = page.render(scale=PAGE_PNG_WIDTH / page.get_size()[0]).to_pil().convert("RGB")
            f = out_dir / f"report_print_p{p}.png"
            img.quantize(colors=256).save(f, optimize=True)
            written.append(str(f))
    return {"pages": len(doc), "page_sizes_pt": sorted(sizes), "rows_missing_in_print": missing,
            "page_pngs": written}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=200, help="synthetic images (without --docs)")
    ap.add_argument("--docs", help="a saved documents frame (.parquet) to evaluate instead of synthetic data")
    ap.add_argument("--truth", help="its labels (.jsonl)")
    ap.add_argument("--out", default=str(Path(__file__).with_name("evaluate_report.png")),
                    help="the full-page screenshot (without --out-dir)")
    ap.add_argument("--out-dir", help="write report_screen.png and report_print_p<N>.png here (and check the print)")
    ap.add_argument("--pages", default="1,2,3", help="pages of the print to render (with --out-dir)")
    ap.add_argument("--html", default=None, help="also keep the HTML report here")
    ap.add_argument("--height", type=int, default=6000, help="screenshot height in pixels")
    ap.add_argument("--target-precision", type=float, default=0.98)
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")

    tmp = Path(tempfile.mkdtemp(prefix="ocrframe-report-"))
    if args.docs:
        if not args.truth:
            ap.error("--docs needs --truth")
        ev = _saved_evaluation(args.docs, args.truth)
    else:
        ev = _synthetic_evaluation(args.images, tmp)
    html = Path(args.html) if args.html else tmp / "report.html"
    ev.report(str(html), target_precision=args.target_precision, title="ocrframe evaluation report")
    exe = shutil.which("chromium") or shutil.which("chromium-headless-shell") or shutil.which("google-chrome")
    if exe is None:
        print(f"report -> {html}; no headless Chromium on PATH: no screenshot")
        return {"report": str(html), "screenshot": None}
    out = {"report": str(html)}
    if args.out_dir:
        out_dir = Path(args.out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        screen = out_dir / "report_screen.png"
        errors = _chromium(exe, f"--window-size=1200,{args.height}", f"--screenshot={screen}", html.resolve().as_uri())
        if screen.exists():  # keep the committed picture small
            from PIL import Image

            with Image.open(screen) as im:
                im.convert("RGB").quantize(colors=128).save(screen, optimize=True)
        pdf = tmp / "report.pdf"
        errors += _chromium(exe, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri())
        out.update(screenshot=str(screen), pdf=str(pdf), page_errors=len(errors))
        out.update(_check_pdf(pdf, ev, out_dir, [int(p) for p in args.pages.split(",") if p]))
    else:
        errors = _chromium(exe, f"--window-size=1200,{args.height}", f"--screenshot={args.out}",
                           html.resolve().as_uri())
        out.update(screenshot=args.out, page_errors=len(errors))
    for k, v in out.items():
        print(f"{k}: {v}")
    for ln in errors:
        print("  " + ln)
    if errors or out.get("rows_missing_in_print"):
        raise SystemExit(1)
    return out


if __name__ == "__main__":
    main()
