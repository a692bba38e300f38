"""``ocrframe eval`` on saved frames and JSONL labels; the df.ocr geometry methods."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import ocrframe  # noqa: F401  (registers df.ocr)
from ocrframe.cli import main
from ocrframe.testing.frames import docs, synthetic_pair
from ocrframe.evaluate.cli import read_answers_jsonl


def _labels_jsonl(truth: pd.DataFrame, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for image, g in truth.groupby("path", sort=False):
            result = [{"type": str(r.type), "location": r.location, "content": r.content}
                      for r in g.itertuples() if pd.notna(r.doc)]
            fh.write(json.dumps({"image": image, "result": result}, ensure_ascii=False) + "\n")


def test_eval_command_writes_a_report(tmp_path, capsys):
    pred, truth = synthetic_pair(60, seed=8, failed=0.05)
    # labels name images relative to their file; predictions carry the absolute paths
    pred = pred.assign(path=pred["path"].map(lambda p: str(tmp_path / p)))
    pred.ocr.to_parquet(tmp_path / "docs.parquet")
    _labels_jsonl(truth, tmp_path / "labels.jsonl")
    rc = main(["eval", "--pred", str(tmp_path / "docs.parquet"), "--truth", str(tmp_path / "labels.jsonl"),
               "--report", str(tmp_path / "report.html"), "--target-precision", "0.95",
               "--fields-out", str(tmp_path / "fields.parquet")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "detection_recall" in out and "report ->" in out
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert (tmp_path / "fields.parquet").exists()
    # the same numbers as the Python API on the in-memory frames
    import ocrframe.evaluate as E

    ev = E.evaluate(pred, truth.assign(path=truth["path"].map(lambda p: str(tmp_path / p))))
    assert ev.detection["tp"].iloc[0] > 100
    recall = float(ev.detection.set_index("view").loc["located", "recall"])
    assert f"{recall:.4f}" in out
    # the positional spelling `ocrframe evaluate PRED TRUTH` reaches the same API (it checks
    # that the labelled images exist)
    for p in truth["path"].unique():
        (tmp_path / p).write_bytes(b"")
    rc = main(["evaluate", str(tmp_path / "docs.parquet"), str(tmp_path / "labels.jsonl"),
               "--report", str(tmp_path / "r.md")])
    assert rc == 0 and (tmp_path / "r.md").exists()
    assert "bankcard" in capsys.readouterr().out


def test_eval_command_errors_are_readable(tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text('{"image": "a.jpg", "result": [{"type": "nope"}]}\n', encoding="utf-8")
    rc = main(["eval", "--pred", str(tmp_path / "bad.jsonl"), "--truth", str(tmp_path / "bad.jsonl")])
    assert rc == 2
    assert "'nope'" in capsys.readouterr().err
    rc = main(["eval", "--pred", str(tmp_path / "missing.parquet"), "--truth", str(tmp_path / "bad.jsonl")])
    assert rc == 2


def test_read_answers_jsonl_handles_replay_lines_and_errors(tmp_path):
    lines = [
        {"image": "a.jpg", "response": {"result": [{"status": {"error_code": "AIS.0000", "error_msg": "ok"},
                                                    "type": "bankcard", "location": [[0, 0], [9, 0], [9, 9], [0, 9]],
                                                    "content": {"card_number": "1", "confidence": {"card_number": 1}}}]}},
        {"image": "b.jpg", "error_code": "AIS.0103", "error_msg": "size"},
        {"image": "c.jpg", "result": []},
    ]
    p = tmp_path / "pred.jsonl"
    p.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    d = read_answers_jsonl(p)
    assert d["path"].tolist() == ["a.jpg", "b.jpg", "c.jpg"]
    assert d["status"].tolist() == ["AIS.0000", "AIS.0103", "AIS.0000"]
    (tmp_path / "x.jsonl").write_text("{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1: malformed JSON"):
        read_answers_jsonl(tmp_path / "x.jsonl")


def test_accessor_geometry_methods_delegate():
    d = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (0, 0, 10, 10))], "b": "AIS.0103"})
    assert d.ocr.area().tolist()[:2] == [100.0, 100.0]
    assert d.ocr.polygons().iloc[0].area == 100.0
    assert d.ocr.overlaps()["contains"].tolist() == ["equal"]
    assert d.ocr.iou(d).iloc[0] == 1.0
    pairs = d.ocr.iou(d.iloc[:1], on="path")
    assert pairs["iou"].tolist() == [1.0, 1.0]
    assert np.isnan(d.ocr.area().iloc[2])
