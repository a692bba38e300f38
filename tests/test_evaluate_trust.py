"""``ocrframe.evaluate`` refuses to mislead: path spelling, partial overlap, no overlap, scope."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import ocrframe
import ocrframe.evaluate as E
from ocrframe.cli import main
from ocrframe.evaluate._testing import docs, synthetic_pair


@pytest.fixture(scope="module")
def pair():
    return synthetic_pair(40, seed=31, failed=0.0)


def _no_warnings(fn, *a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*a, **kw)


def test_relative_truth_and_absolute_predictions_are_one_image(pair, tmp_path, monkeypatch):
    pred, truth = pair
    monkeypatch.chdir(tmp_path)
    absolute = pred.assign(path=pred["path"].map(lambda p: str(tmp_path / p)))
    dotted = truth.assign(path=truth["path"].map(lambda p: os.path.join(".", "sub", "..", p)))
    ev = _no_warnings(E.evaluate, absolute, dotted)
    ref = _no_warnings(E.evaluate, pred, truth)
    assert ev.summary().equals(ref.summary())
    assert ev.worst_images()["path"].isin(dotted["path"]).all()  # spelled as the truth spells them
    d = ev.detection.set_index("view")
    assert np.isfinite(d.loc["located", "precision"]) and d.loc["located", "recall"] > 0.8
    # the caller's frames are left alone
    assert not absolute["path"].str.startswith(".").any() and dotted["path"].str.startswith(".").all()


def test_a_subset_of_images_warns_with_counts_examples_and_key(pair):
    pred, truth = pair
    paths = truth["path"].unique()
    five = pred[pred["path"].isin(paths[:5])]
    with pytest.warns(UserWarning) as rec:
        ev = E.evaluate(five, truth, on="path")
    msg = str(rec[0].message)
    assert rec[0].filename == __file__  # points at the caller's line, not into ocrframe
    assert "on='path'" in msg and "35 of 40 labelled image(s) have no prediction" in msg
    assert all(repr(p) in msg for p in paths[5:8]) and paths[8] not in msg
    n_docs = int(truth[truth["path"].isin(paths[5:])]["doc"].notna().sum())
    assert f"their {n_docs} document(s) count as missed" in msg
    assert "truth[truth['path'].isin(pred['path'])]" in msg  # the remedy
    s = ev.summary()
    assert (s["images_scored"], s["images_given"], s["images_without_prediction"]) == (40, 40, 35)
    assert "40 images (35 without prediction: missed)" in repr(ev)
    # following the advice gives the numbers of the five images alone, without a warning
    sub = _no_warnings(E.evaluate, five, truth[truth["path"].isin(five["path"])])
    assert sub.summary()["images_scored"] == 5
    assert sub.summary()["detection_recall"] > 2 * s["detection_recall"]


def test_predictions_without_labels_are_named_too(pair):
    pred, truth = pair
    extra = docs({f"extra_{i}.jpg": [("bankcard", (0, 0, 9, 9))] for i in range(4)})
    import pandas as pd

    with pytest.warns(UserWarning, match=r"4 predicted image\(s\) have no labels") as rec:
        ev = E.evaluate(pd.concat([pred, extra], ignore_index=True), truth)
    msg = str(rec[0].message)
    assert "'extra_0.jpg', 'extra_1.jpg', 'extra_2.jpg'" in msg and "extra_3" not in msg
    s = ev.summary()
    assert (s["images_scored"], s["images_given"], s["images_without_labels"]) == (40, 44, 4)
    assert "40 of 44 images scored" in repr(ev)


def test_same_file_names_under_other_folders_get_a_hint(pair):
    pred, truth = pair
    elsewhere = pred.assign(path=pred["path"].map(lambda p: f"/elsewhere/{p}"))
    with pytest.raises(E.NoCommonImagesError, match="share a file name") as exc:
        E.evaluate(elsewhere, truth)
    assert isinstance(exc.value, ValueError)
    assert "no image in common" in str(exc.value) and "on='path'" in str(exc.value)


def test_no_image_in_common_is_an_error_in_python_and_exit_1_in_the_cli(pair, tmp_path, capsys):
    pred, truth = pair
    other = pred.assign(path=pred["path"].str.replace("img_", "other_", regex=False))
    with pytest.raises(ValueError, match="no image in common"):
        E.evaluate(other, truth)
    other.ocr.to_parquet(tmp_path / "pred.parquet")
    truth.ocr.to_parquet(tmp_path / "truth.parquet")
    rc = main(["evaluate", str(tmp_path / "pred.parquet"), str(tmp_path / "truth.parquet"),
               "--report", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert rc == 1 and "no image in common" in err
    assert not (tmp_path / "r.html").exists()


def test_cli_prints_the_warning_and_scores_relative_against_absolute(pair, tmp_path, capsys, monkeypatch):
    pred, truth = pair
    monkeypatch.chdir(tmp_path)
    some = pred[pred["path"].isin(truth["path"].unique()[:10])]
    some.ocr.to_parquet(tmp_path / "pred.parquet")  # relative paths, as `ocrframe classify` run here writes
    truth.assign(path=truth["path"].map(lambda p: str(tmp_path / p))).ocr.to_parquet(tmp_path / "truth.parquet")
    assert main(["evaluate", "pred.parquet", "truth.parquet"]) == 0
    out, err = capsys.readouterr()
    assert "warning: on='path': 30 of 40 labelled image(s) have no prediction" in err
    assert "images_scored" in out and "images_given" in out


def test_worst_images_lists_only_images_with_errors():
    truth = docs({"a": [("bankcard", (0, 0, 10, 10), {"card_number": "1"})],
                  "b": [("bankcard", (0, 0, 10, 10), {"card_number": "2"})]}, labels=True)
    pred = docs({"a": [("bankcard", (0, 0, 10, 10), {"card_number": "1", "confidence": {"card_number": 0.9}})],
                 "b": [("bankcard", (0, 0, 10, 10), {"card_number": "7", "confidence": {"card_number": 0.9}})]})
    wi = E.evaluate(pred, truth).worst_images(10)
    assert wi["path"].tolist() == ["b"] and wi["errors"].tolist() == [1]
    assert len(E.evaluate(truth.assign(status="AIS.0000"), truth).worst_images()) == 0


def test_package_level_call_warns_at_the_callers_line(pair):
    pred, truth = pair
    with pytest.warns(UserWarning) as rec:
        ocrframe.evaluate(pred.iloc[:3], truth)  # through the callable module
    assert rec[0].filename == __file__
