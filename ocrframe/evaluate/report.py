"""Evaluation reports: a self-contained HTML page (PNG figures embedded) or Markdown.

The report opens with where the numbers come from (backend and version, inputs,
counts, date: :func:`~ocrframe.evaluate.findings.provenance`) and 3-5 key findings in
plain language, then assembles the tables of an
:class:`~ocrframe.evaluate.core.Evaluation` and the figures of :mod:`.plots`: summary,
failed images, detection, per-type scores with micro / macro / weighted averages (as
scikit-learn's ``classification_report``), type confusion, accuracy-coverage by type
and small multiples for the fields with the most errors, reliability (with counts per
bin), field accuracy per type and per field, thresholds and straight-through rates, the
document-level view, calibration, and the worst cases (most confident wrong fields,
images with the most errors, an error gallery of upright crops). A print stylesheet
lays it out on A4 with every row and column.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["write_report", "render_html", "render_markdown", "markdown_table"]

_CSS = """
body{font-family:"ocrframe CJK","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
.figs{display:flex;flex-wrap:wrap;gap:1rem}.figs img{max-width:100%;border:1px solid #eee}
.note{color:#666;font-size:.85rem}
.scroll{max-height:32rem;overflow:auto}.noscroll .scroll{max-height:none}
tr.avg td{font-weight:600;background:#fafafa}tr.avg:first-of-type td,tr.first-avg td{border-top:2px solid #999}
.prov{border:1px solid #ddd;background:#fafafa;padding:.4rem .8rem;font-size:.85rem}
.prov table{margin:0;font-size:.85rem}.prov td,.prov th{border:none;text-align:left;padding:.1rem .6rem .1rem 0;
vertical-align:top}.prov th{background:none;white-space:nowrap;color:#555}
.findings li{margin:.25rem 0}
@page{size:A4;margin:12mm 10mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:9pt}
h1{font-size:15pt}h2{font-size:11pt;break-after:avoid;margin-top:1.2rem}
.scroll{max-height:none!important;overflow:visible!important}
table{width:100%;font-size:7pt;table-layout:auto}
th,td{padding:1px 3px;overflow-wrap:anywhere}
thead{display:table-header-group}
tr,figure,img,.prov{break-inside:avoid}
.figs{display:block}.figs figure{margin:0 0 4mm 0}.figs img{max-width:100%;max-height:125mm}
img.gallery{max-width:100%}
}
"""


def _font_face(text: str) -> str:
    """An ``@font-face`` rule embedding the CJK font of ``mplfonts``, subset to the
    characters of ``text`` (so Chinese renders on machines without CJK fonts, and the
    page stays self-contained). Empty when mplfonts or fontTools is missing."""
    try:
        import mplfonts
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    path = os.path.join(os.path.dirname(mplfonts.__file__), "fonts", "NotoSansCJKsc-Regular.otf")
    if not os.path.exists(path):
        return ""
    chars = "".join(sorted(set(text) | set(map(chr, range(32, 127)))))
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = []
    opts.hinting = False
    opts.notdef_outline = True
    font = TTFont(path, lazy=True)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'ocrframe CJK';src:url(data:font/otf;base64,{b64}) format('opentype');}}"


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "–"
        return f"{v:.4f}" if abs(v) < 10 else f"{v:,.1f}"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return f"{v:,}"
    if v is pd.NA:
        return "–"
    return str(v)


def _flat(df: pd.DataFrame, index: bool = True) -> pd.DataFrame:
    d = df.reset_index() if index and not isinstance(df.index, pd.RangeIndex) else df
    return d


#: row labels set in bold as summary rows
_AVG_ROWS = ("micro avg", "macro avg", "weighted avg", "all")


def _html_table(df: pd.DataFrame, *, index: bool = True, max_rows: int = 200) -> str:
    d = _flat(df, index).head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in d.columns)
    rows = []
    for r in d.itertuples(index=False):
        cls = " class='avg'" if index and len(r) and str(r[0]) in _AVG_ROWS and len(df) > 1 else ""
        rows.append(f"<tr{cls}>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>")
    more = f'<p class="note">{len(df) - max_rows} more rows not shown.</p>' if len(df) > max_rows else ""
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{more}'


def markdown_table(df: pd.DataFrame, *, index: bool = True, max_rows: int = 200) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency).

    >>> print(markdown_table(pd.DataFrame({"a": [1, 2], "b": [0.5, None]}), index=False))
    | a | b |
    | --- | --- |
    | 1 | 0.5000 |
    | 2 | – |
    """
    d = _flat(df, index).head(max_rows)

    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(str(c)) for c in d.columns) + " |",
             "| " + " | ".join("---" for _ in d.columns) + " |"]
    for r in d.itertuples(index=False):
        lines.append("| " + " | ".join(esc(_fmt(v)) for v in r) + " |")
    if len(df) > max_rows:
        lines.append(f"\n_{len(df) - max_rows} more rows not shown._")
    return "\n".join(lines)


#: curves in the accuracy-coverage figure by type (tab20: one colour each)
N_TYPE_CURVES = 20
#: panels of the small multiples: the fields with the most errors
N_FIELD_PANELS = 12


def _figures(ev, *, target_precision: float, gallery: bool) -> dict[str, bytes]:
    """Render each figure to PNG bytes; a figure that cannot be drawn is skipped."""
    import matplotlib.pyplot as plt  # the user's backend is left alone; every figure is closed

    from .plots import (AccuracyCoverageDisplay, ConfusionMatrixDisplay, ErrorGalleryDisplay,
                        FieldCoverageGridDisplay, IoUHistogramDisplay, ReliabilityDisplay)

    makers = {
        "confusion": lambda: ConfusionMatrixDisplay.from_evaluation(ev),
        "coverage_by_type": lambda: AccuracyCoverageDisplay.from_evaluation(ev, by="type",
                                                                            target_precision=target_precision,
                                                                            max_curves=N_TYPE_CURVES),
        "coverage_by_field": lambda: FieldCoverageGridDisplay.from_evaluation(ev, n=N_FIELD_PANELS,
                                                                              target_precision=target_precision),
        "reliability": lambda: ReliabilityDisplay.from_evaluation(ev),
        "iou": lambda: IoUHistogramDisplay.from_evaluation(ev),
    }
    if gallery:
        makers["gallery"] = lambda: ErrorGalleryDisplay.from_evaluation(ev, n=9)
    out: dict[str, bytes] = {}
    for name, make in makers.items():
        if name in ("coverage_by_type", "coverage_by_field", "reliability") and not len(ev.fields):
            continue
        if name == "coverage_by_field" and not len(ev.worst_fields(1)):
            continue
        if name == "gallery" and not len(ev.worst_fields(1)):
            continue
        disp = make()
        buf = io.BytesIO()
        disp.figure_.savefig(buf, format="png", dpi=110)
        plt.close(disp.figure_)
        out[name] = buf.getvalue()
    return out


_FIG_TITLES = {
    "confusion": "Type confusion 类型混淆矩阵",
    "coverage_by_type": "Accuracy-coverage by type 按类型",
    "coverage_by_field": "Accuracy-coverage of the fields with the most errors 错误最多的字段",
    "reliability": "Reliability 可靠性",
    "iou": "IoU distribution",
    "gallery": "Error gallery 错误样例",
}


def _with_zh(df: pd.DataFrame) -> pd.DataFrame:
    """Insert the Chinese type name (``名称``) after a type index (blank on summary rows)."""
    from .plots import type_label

    if df.index.name != "type" or not len(df):
        return df
    names = ["" if t in _AVG_ROWS else type_label(t, "zh") for t in df.index]
    return df.assign(**{"名称": names})[["名称", *df.columns]]





#: plain labels of the summary's keys
_SUMMARY_LABELS = {
    "images_scored": "Images scored (labelled)",
    "images_given": "Images given (either side)",
    "images_without_prediction": "Labelled images without a prediction (counted as missed)",
    "images_without_labels": "Predicted images without labels (left out)",
    "failed_images": "Images whose request failed",
    "true_documents": "Labelled documents",
    "predicted_documents": "Predicted documents",
    "iou_threshold": "IoU needed for a match",
    "detection_precision": "Detection precision",
    "detection_recall": "Detection recall",
    "detection_f1": "Detection F1",
    "typed_f1": "Detection F1, type also right",
    "mean_iou": "Mean IoU of matches",
    "fields": "Labelled field values",
    "field_exact_accuracy": "Fields right, exactly",
    "field_normalized_accuracy": "Fields right, after normalising",
    "field_mean_cer": "Mean character error rate",
    "target_precision": "Target precision",
    "field_straight_through (per-field thresholds)": "Fields straight through (per-field thresholds)",
    "global_threshold": "One threshold for all fields",
    "global_straight_through": "Fields straight through at that threshold",
    "document_straight_through": "Documents straight through (every field accepted)",
    "document_precision": "Accepted documents entirely right",
    "ece": "Expected calibration error",
}


def _summary_table(ev, target_precision: float) -> pd.DataFrame:
    s = ev.summary(target_precision=target_precision)
    return pd.DataFrame({"value": s.to_numpy()}, index=pd.Index([_SUMMARY_LABELS.get(k, k) for k in s.index],
                                                                name="metric"))


def _field_averages(by_type: pd.DataFrame, overall: pd.DataFrame) -> pd.DataFrame:
    """Field accuracy by type, then its macro average (types alike) and the pooled one (all)."""
    if not len(by_type):
        return by_type
    num = by_type.select_dtypes("number")
    macro = num.mean().to_frame("macro avg").T
    for c in ("n", "n_true", "missing", "spurious"):
        if c in macro:
            macro[c] = num[c].sum()
    pooled = overall.rename(index={overall.index[0]: "all"}) if len(overall) else overall
    out = pd.concat([by_type, macro, pooled[[c for c in by_type.columns if c in pooled.columns]]])
    out.index.name = by_type.index.name
    return out


def _sections(ev, *, target_precision: float, n_worst: int) -> list[tuple[str, str, pd.DataFrame, bool]]:
    """(title, note, table, show index) for every table of the report."""
    summ = _summary_table(ev, target_precision)
    cols = [ev.on] if isinstance(ev.on, str) else list(ev.on)
    worst = ev.worst_fields(n_worst)
    worst = worst[[*cols, "true_type", "field", "true_value", "pred_value", "confidence", "cer"]] if len(worst) else worst
    thr = ev.thresholds(target_precision=target_precision)
    cal = ev.calibration().errors
    report = _with_zh(ev.classification_report())
    counts = _with_zh(ev.per_type[["predicted", "tp", "fp", "fn", "mean_iou", "located_recall"]])
    by_type = _with_zh(_field_averages(ev.field_summary(by="type"), ev.field_summary(by="all")))
    return [
        ("Summary 概览", "", summ, True),
        ("Failed or missing images 失败图像",
         "Their true documents count as missed (FN).", ev.failed_images, False),
        ("Detection 检测", f"IoU ≥ {ev.iou}; 'typed' also requires the right type.",
         ev.detection.set_index("view"), True),
        ("Per type 按类型", "Typed detection, laid out as scikit-learn's classification_report: micro avg pools "
         "every document, macro avg weighs every type alike, weighted avg weighs types by support.", report, True),
        ("Per type: counts 按类型计数", "located_recall: found in place whatever the type.", counts, True),
        ("Field accuracy by type 字段准确率（按类型）", "macro avg: the mean over types; all: every field value "
         "pooled.", by_type, True),
        ("Field accuracy by field 字段准确率（按字段）", "", ev.field_summary(by="field"), True),
        (f"Thresholds at precision ≥ {target_precision} 阈值",
         "Lowest confidence threshold reaching the target; coverage = straight-through rate.", thr, True),
        ("Document auto-accept 文档级自动通过",
         "A document is accepted only if every field passes its threshold.",
         ev.document_acceptance(target_precision=target_precision), True),
        ("Calibration 校准", "ECE over 10 equal-width confidence bins.", cal, True),
        ("Most confident errors 高置信度错误", "", worst, False),
        ("Images with the most errors 错误最多的图像", "", ev.worst_images(n_worst), False),
    ]


def render_html(ev, *, target_precision: float = 0.99, title: str | None = None, n_worst: int = 20,
                gallery: bool = True) -> str:
    """The report as one self-contained HTML string."""
    title = title or "ocrframe evaluation report"
    figs = _figures(ev, target_precision=target_precision, gallery=gallery)
    prov = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in ev.provenance())
    findings = "".join(f"<li>{html.escape(f)}</li>" for f in ev.findings(target_precision=target_precision))
    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<div class='prov'><table>{prov}</table></div>",
             f"<h2>Key findings 主要结论</h2><ol class='findings'>{findings}</ol>"]
    secs = _sections(ev, target_precision=target_precision, n_worst=n_worst)
    for k, (head, note, df, idx) in enumerate(secs):
        parts.append(f"<h2>{html.escape(head)}</h2>")
        if note:
            parts.append(f"<p class='note'>{html.escape(note)}</p>")
        table = _html_table(df, index=idx) if len(df) else "<p class='note'>None.</p>"
        parts.append(f"<div class='noscroll'>{table}</div>" if k == 0 else table)
        if k == 4 and figs:  # after the per-type tables: the figures
            parts.append("<h2>Figures 图表</h2><div class='figs'>")
            for name, png in figs.items():
                if name == "gallery":
                    continue
                b64 = base64.b64encode(png).decode("ascii")
                parts.append(f"<figure><img alt='{name}' src='data:image/png;base64,{b64}'>"
                             f"<figcaption class='note'>{html.escape(_FIG_TITLES[name])}</figcaption></figure>")
            parts.append("</div>")
    if "gallery" in figs:
        b64 = base64.b64encode(figs["gallery"]).decode("ascii")
        parts.append(f"<h2>{_FIG_TITLES['gallery']}</h2><img alt='gallery' class='gallery' style='max-width:100%' "
                     f"src='data:image/png;base64,{b64}'>")
    parts.append("</body></html>")
    page = "\n".join(parts)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    return page.replace("<style>", f"<style>{_font_face(text)}", 1)


def render_markdown(ev, *, figure_dir: str | None = None, figure_prefix: str = "", target_precision: float = 0.99,
                    title: str | None = None, n_worst: int = 20, gallery: bool = True) -> str:
    """The report as Markdown; figures are written as PNG files into ``figure_dir``
    (linked as ``figure_prefix + name.png``), or left out when it is None."""
    title = title or "ocrframe evaluation report"
    lines = [f"# {title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in ev.provenance()] + ["", "## Key findings 主要结论", ""]
    lines += [f"{i}. {f}" for i, f in enumerate(ev.findings(target_precision=target_precision), start=1)] + [""]
    figs = _figures(ev, target_precision=target_precision, gallery=gallery) if figure_dir else {}
    if figs:
        os.makedirs(figure_dir, exist_ok=True)
    for k, (head, note, df, idx) in enumerate(_sections(ev, target_precision=target_precision, n_worst=n_worst)):
        lines += [f"## {head}", ""]
        if note:
            lines += [f"_{note}_", ""]
        lines += [markdown_table(df, index=idx) if len(df) else "_None._", ""]
        if k == 4 and figs:
            lines += ["## Figures 图表", ""]
            for name, png in figs.items():
                with open(os.path.join(figure_dir, f"{name}.png"), "wb") as fh:
                    fh.write(png)
                lines += [f"![{_FIG_TITLES[name]}]({figure_prefix}{name}.png)", ""]
    return "\n".join(lines)


def write_report(ev, path: str, *, target_precision: float = 0.99, title: str | None = None, n_worst: int = 20,
                 gallery: bool = True) -> str:
    """Write ``path`` as HTML (``.html`` / ``.htm``) or Markdown (``.md``)."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in (".html", ".htm"):
        text = render_html(ev, target_precision=target_precision, title=title, n_worst=n_worst, gallery=gallery)
    elif ext in (".md", ".markdown"):
        stem = os.path.splitext(os.path.basename(path))[0]
        fdir = os.path.join(os.path.dirname(path) or ".", f"{stem}_files")
        text = render_markdown(ev, figure_dir=fdir, figure_prefix=f"{stem}_files/", target_precision=target_precision,
                               title=title, n_worst=n_worst, gallery=gallery)
    else:
        raise ValueError(f"report path {path!r}: the extension must be .html or .md")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
