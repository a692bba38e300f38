"""Figures (Display objects, CJK labels) and the HTML / Markdown report."""

from __future__ import annotations

import base64
import html.parser
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import ocrframe.evaluate as E  # noqa: E402
from ocrframe.evaluate import plots as P  # noqa: E402
from ocrframe.testing.frames import synthetic_pair  # noqa: E402


@pytest.fixture(scope="module")
def ev():
    pred, truth = synthetic_pair(120, seed=13, failed=0.05)
    return E.evaluate(pred, truth)


def _png(fig):
    import io

    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fig.savefig(buf, format="png")
    missing = [str(x.message) for x in w if "missing from font" in str(x.message)]
    assert not missing, missing[:3]
    plt.close(fig)
    return buf.getvalue()


def test_cjk_font_comes_from_the_mplfonts_wheel():
    from matplotlib import font_manager

    fam = P.cjk_font()
    assert fam and "CJK" in fam
    path = font_manager.findfont(font_manager.FontProperties(family=fam), fallback_to_default=False)
    assert "mplfonts" in path


@pytest.mark.parametrize("name", ["confusion", "coverage", "reliability", "iou", "gallery"])
def test_each_display_draws_chinese_without_missing_glyphs(ev, name):
    disp = getattr(ev.plots, name)()
    assert disp.figure_ is not None
    png = _png(disp.figure_)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_from_frames_constructors():
    pred, truth = synthetic_pair(30, seed=3)
    for cls in (P.ConfusionMatrixDisplay, P.AccuracyCoverageDisplay, P.ReliabilityDisplay, P.IoUHistogramDisplay):
        d = cls.from_frames(pred, truth, on="path", iou=0.5)
        assert d.figure_ is not None
    plt.close("all")


def test_displays_draw_on_a_given_axes_and_return_self(ev):
    fig, axes = plt.subplots(1, 4)
    d1 = P.ConfusionMatrixDisplay.from_evaluation(ev, ax=axes[0], normalize="true", labels="en")
    d2 = P.AccuracyCoverageDisplay.from_evaluation(ev, ax=axes[1], by="all", target_precision=0.99)
    d3 = P.ReliabilityDisplay.from_evaluation(ev, ax=axes[2], n_bins=5)
    d4 = P.IoUHistogramDisplay.from_evaluation(ev, ax=axes[3])
    assert [d.ax_ for d in (d1, d2, d3, d4)] == list(axes)
    assert d1.im_.get_array().max() <= 1.0
    assert "bankcard" in [t.get_text() for t in d1.ax_.get_yticklabels()]
    assert len(d3.bars_) == 5
    # plot() again re-draws the stored results
    assert P.ConfusionMatrixDisplay(d1.confusion).plot(labels="zh") is not None
    with pytest.raises(ValueError, match="labels='fr'"):
        P.type_label("bankcard", "fr")
    plt.close("all")


def test_gallery_crops_real_images(tmp_path):
    from PIL import Image, ImageDraw

    pred, truth = synthetic_pair(6, seed=2, field_error=0.6)
    paths = []
    for p in truth["path"].unique():
        im = Image.new("RGB", (1400, 1000), "white")
        d = ImageDraw.Draw(im)
        for loc in truth.loc[truth["path"] == p, "location"]:
            if loc is not None:
                d.polygon([tuple(pt) for pt in loc], fill=(200, 220, 255), outline="black")
        f = tmp_path / p
        im.save(f)
        paths.append(str(f))
    mapping = dict(zip(truth["path"].unique(), paths))
    truth = truth.assign(path=truth["path"].map(mapping))
    pred = pred.assign(path=pred["path"].map(mapping))
    ev = E.evaluate(pred, truth)
    disp = ev.plots.gallery(n=4)
    shown = [ax for ax in disp.axes_.ravel() if ax.images]
    assert len(shown) == min(4, len(ev.worst_fields(4)))
    crop = shown[0].images[0].get_array()
    assert crop.shape[0] > 50 and crop.mean() < 255  # the blue document, not blank
    title = shown[0].get_title(loc="left")
    assert "预测" in title and "真值" in title
    _png(disp.figure_)


class _Checker(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


def test_html_report_is_self_contained_and_complete(ev, tmp_path):
    out = ev.report(tmp_path / "report.html", target_precision=0.95)
    text = open(out, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>")
    imgs = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert len(imgs) >= 5
    assert all(base64.b64decode(b)[:4] == b"\x89PNG" for b in imgs)
    assert "http://" not in text and "https://" not in text  # nothing fetched from outside
    for heading in ("Summary", "Failed or missing images", "Detection", "Per type", "Thresholds at precision ≥ 0.95",
                    "Document auto-accept", "Calibration", "Most confident errors", "Error gallery"):
        assert heading in text, heading
    assert "AIS.0103" in text
    assert "银行卡" in text  # Chinese type names in the tables
    # the CJK font is embedded (subset), so Chinese renders without system fonts
    assert "@font-face{font-family:'ocrframe CJK';src:url(data:font/otf;base64," in text
    checker = _Checker()
    checker.feed(text)
    assert not checker.errors and checker.stack == []


def test_markdown_report_writes_figures_next_to_it(ev, tmp_path):
    out = ev.report(str(tmp_path / "eval.md"))
    text = open(out, encoding="utf-8").read()
    assert text.startswith("# ocrframe evaluation report")
    assert "| metric | value |" in text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all((tmp_path / link).exists() for link in links)
    with pytest.raises(ValueError, match="must be .html or .md"):
        ev.report(str(tmp_path / "eval.pdf"))


def test_markdown_table_escapes_pipes():
    from ocrframe.evaluate.report import markdown_table

    t = markdown_table(pd.DataFrame({"v": ["a|b"], "x": [np.nan]}), index=False)
    assert "a\\|b" in t and "–" in t
