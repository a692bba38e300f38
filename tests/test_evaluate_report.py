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


# ----------------------------------------------------------------------------- a report to send


def test_classification_report_averages_agree_with_scikit_learn(ev):
    from sklearn.metrics import classification_report

    from ocrframe.evaluate.metrics import NONE, type_labels

    ours = ev.classification_report()
    yt, yp = type_labels(ev.matches)
    types = [t for t in ours.index if "avg" not in t]
    ref = classification_report(yt, yp, labels=types, output_dict=True, zero_division=np.nan)
    for row in ("macro avg", "weighted avg"):
        for ours_col, ref_col in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            assert ours.loc[row, ours_col] == pytest.approx(ref[row][ref_col]), (row, ours_col)
    micro = ref.get("micro avg") or ref["accuracy"]
    assert ours.loc["micro avg", "recall"] == pytest.approx(micro["recall"] if isinstance(micro, dict) else micro)
    assert ours.loc["weighted avg", "support"] == (yt != NONE).sum()
    typed = ev.detection.set_index("view").loc["typed"]
    assert ours.loc["micro avg", "f1"] == pytest.approx(typed["f1"])


def test_report_opens_with_provenance_and_key_findings(tmp_path):
    pred, truth = synthetic_pair(60, seed=17, failed=0.05)
    pred.attrs["ocrframe"] = {"backend": "local:engine-9.9:rapidocr-x", "images": 60, "requests": 60, "cached": 0,
                              "failed_images": 3, "seconds": 12.5}
    truth.attrs["ocrframe"] = {"source": "/data/labels.jsonl"}
    ev = E.evaluate(pred, truth)
    text = open(ev.report(tmp_path / "r.html", target_precision=0.95), encoding="utf-8").read()
    prov = text[text.index("class='prov'"):text.index("Key findings")]
    for needle in ("local:engine-9.9:rapidocr-x", "/data/labels.jsonl", "60 scored of 60 given", "ocrframe 0.1.0",
                   " UTC ", "labelled,"):
        assert needle in prov, needle
    findings = re.findall(r"<li>(.*?)</li>", text[text.index("class='findings'"):])
    assert 3 <= len(findings) <= 5
    assert findings[0].startswith("Of ") and any(f.startswith("Weakest types") for f in findings)
    assert any("straight through" in f for f in findings)
    # plain labels in the summary, averages in the per-type table, print rules for A4
    summary = text[text.index("Summary 概览"):text.index("Failed or missing")]
    assert "Detection recall" in summary and "detection_recall" not in summary
    assert "<tr class='avg'><td>macro avg</td>" in text and "weighted avg" in text
    assert "@page{size:A4" in text and "@media print" in text
    assert ".scroll{max-height:none!important;overflow:visible!important}" in text
    md = open(ev.report(tmp_path / "r.md"), encoding="utf-8").read()
    assert "- **Predictions by**: local:engine-9.9:rapidocr-x" in md and "## Key findings" in md


def test_reliability_counts_per_bin_and_markers_not_clipped(ev):
    disp = ev.plots.reliability(n_bins=10)
    nonzero = int((disp.table["count"] > 0).sum())
    assert len(disp.counts_) == nonzero
    assert sorted(int(t.get_text()) for t in disp.counts_) == sorted(disp.table["count"][disp.table["count"] > 0])
    marker = [ln for ln in disp.ax_.lines if ln.get_marker() == "o"][0]
    assert not marker.get_clip_on() and disp.ax_.get_ylim()[1] > 1.0
    plt.close(disp.figure_)


def test_coverage_small_multiples_for_the_fields_with_most_errors(ev):
    disp = ev.plots.coverage_grid(target_precision=0.95)
    e = disp.errors
    assert len(e) == 12 and e["errors"].is_monotonic_decreasing
    f = ev.fields
    wrong = f.assign(w=~f["normalized"].astype(bool), t=f["true_type"].astype(str)).groupby(["t", "field_group"])["w"]
    assert e["errors"].iloc[0] == wrong.sum().max()
    colors = [ln.get_color() for ln in disp.lines_]
    assert len(disp.lines_) == 12 and len(set(map(str, colors))) == 12  # one colour per field
    assert sum(1 for ax in disp.axes_.ravel() if ax.lines) == 12
    _png(disp.figure_)
