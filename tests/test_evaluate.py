"""Evaluation: matching, detection and type metrics, fields, thresholds, calibration."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import ocrframe.evaluate as E
from ocrframe.evaluate import calibration as cal
from ocrframe.evaluate import fields as F
from ocrframe.evaluate import metrics as M
from ocrframe.evaluate import thresholds as T
from ocrframe.testing.frames import docs, synthetic_pair
from ocrframe.evaluate.matching import image_table, match_documents


def outcomes(m):
    return m["outcome"].astype(str).tolist()


# ----------------------------------------------------------------------------- matching


def test_tp_fp_fn_and_failed_and_missing_images():
    truth = docs({"a": [("bankcard", (0, 0, 100, 60)), ("passport", (200, 0, 300, 150))],
                  "b": [("quota_invoice", (0, 0, 50, 50))],
                  "c": [("taxi_invoice", (0, 0, 50, 50))],
                  "d": []}, labels=True)
    pred = docs({"a": [("bankcard", (3, 2, 103, 62)), ("passport", (600, 0, 700, 150))],
                 "b": "AIS.0103",
                 "d": [("bankcard", (0, 0, 10, 10))]})
    with pytest.warns(UserWarning, match=r"1 of 4 labelled image\(s\) have no prediction \(e.g. 'c'\)"):
        m = match_documents(pred, truth)
    assert list(zip(m["path"], outcomes(m))) == [("a", "TP"), ("a", "FN"), ("a", "FP"), ("b", "FN"), ("c", "FN"),
                                                  ("d", "FP")]
    assert m["image_status"].fillna("-").tolist() == ["AIS.0000", "AIS.0000", "AIS.0000", "AIS.0103", "-", "AIS.0000"]
    assert m["pred_status"].fillna("-").tolist()[:3] == ["AIS.0000", "-", "AIS.0000"]
    assert m.loc[0, "iou"] == pytest.approx((97 * 58) / (2 * 6000 - 97 * 58))
    assert np.isnan(m.loc[1, "iou"])  # nothing touched the passport
    assert m["pred"].isna().tolist() == [False, True, False, True, True, False]
    # row positions point back into the input frames
    assert pred.iloc[int(m.loc[2, "pred"])]["doc"] == 1
    assert truth.iloc[int(m.loc[1, "truth"])]["type"] == "passport"
    im = image_table(pred, truth)
    assert im.set_index("path")[["n_true", "n_pred", "failed", "in_pred"]].to_dict("index") == {
        "a": {"n_true": 2, "n_pred": 2, "failed": False, "in_pred": True},
        "b": {"n_true": 1, "n_pred": 0, "failed": True, "in_pred": True},
        "c": {"n_true": 1, "n_pred": 0, "failed": False, "in_pred": False},
        "d": {"n_true": 0, "n_pred": 1, "failed": False, "in_pred": True},
    }


def test_unlabelled_predicted_images_are_left_out_with_a_warning():
    truth = docs({"a": [("bankcard", (0, 0, 10, 10))]}, labels=True)
    pred = docs({"a": [("bankcard", (0, 0, 10, 10))], "zz": [("bankcard", (0, 0, 10, 10))]})
    with pytest.warns(UserWarning, match="1 predicted image"):
        m = match_documents(pred, truth)
    assert outcomes(m) == ["TP"]


def test_assignment_is_optimal_not_greedy():
    # p0 overlaps t0 best and t1 a bit (both >= 0.5); p1 overlaps only t0.
    # Greedy (p0 -> t0 first) leaves p1 unmatched; the optimal assignment matches both.
    truth = docs({"a": [("bankcard", (0, 0, 100, 100)), ("bankcard", (20, 0, 120, 100))]}, labels=True)
    pred = docs({"a": [("bankcard", (10, 0, 110, 100)), ("bankcard", (-5, 0, 95, 100))]})
    m = match_documents(pred, truth, iou=0.5)
    assert outcomes(m) == ["TP", "TP"]
    pairs = {(int(r.pred), int(r.truth)) for r in m.itertuples()}
    assert pairs == {(1, 0), (0, 1)}


def test_threshold_is_inclusive_and_validated():
    truth = docs({"a": [("bankcard", (0, 0, 100, 100))]}, labels=True)
    pred = docs({"a": [("bankcard", (0, 0, 100, 50))]})  # IoU exactly 0.5
    assert outcomes(match_documents(pred, truth, iou=0.5)) == ["TP"]
    assert sorted(outcomes(match_documents(pred, truth, iou=0.51))) == ["FN", "FP"]
    for bad in (0, 1.5, "0.5"):
        with pytest.raises(ValueError, match="iou="):
            match_documents(pred, truth, iou=bad)
    with pytest.raises(ValueError, match="missing column"):
        match_documents(pred, truth, on="image")
    with pytest.raises(ValueError, match="by_type="):
        match_documents(pred, truth, by_type="yes")


def test_by_type_matching():
    truth = docs({"a": [("bankcard", (0, 0, 100, 60))]}, labels=True)
    pred = docs({"a": [("passport", (0, 0, 100, 60))]})
    m = match_documents(pred, truth)
    assert outcomes(m) == ["TP"] and not m["type_ok"].iloc[0]
    m2 = match_documents(pred, truth, by_type=True)
    assert sorted(outcomes(m2)) == ["FN", "FP"]
    assert m2["iou"].tolist() == [1.0, 1.0]  # best IoU is still reported


def test_multi_column_key_and_any_index():
    t = docs({"a": [("bankcard", (0, 0, 10, 10))], "b": [("bankcard", (0, 0, 10, 10))]}, labels=True)
    t = t.assign(page=[1, 1]).set_index(pd.Index([7, 7]))
    p = t.assign(status="AIS.0000", page=[1, 2])
    with pytest.warns(UserWarning, match="1 predicted image"):
        m = match_documents(p, t, on=["path", "page"])
    assert m[["path", "page"]].values.tolist() == [["a", 1], ["b", 1]]
    assert outcomes(m) == ["TP", "FN"]


def test_matching_agrees_with_brute_force_on_synthetic_data():
    from scipy.optimize import linear_sum_assignment

    from ocrframe import geometry as g

    pred, truth = synthetic_pair(150, seed=3, with_fields=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = match_documents(pred, truth)
    n_tp = 0
    for path, tdf in truth.groupby("path"):
        tdf = tdf[tdf["doc"].notna()]
        pdf = pred[(pred["path"] == path) & pred["doc"].notna()]
        if not len(tdf) or not len(pdf):
            continue
        iou = g.iou_matrix(g.quads_from_location(pdf["location"].tolist()), g.quads_from_location(tdf["location"].tolist()))
        w = np.where(iou >= 0.5, 1 + iou, 0)
        r, c = linear_sum_assignment(w, maximize=True)
        n_tp += int((w[r, c] > 0).sum())
    assert (m["outcome"] == "TP").sum() == n_tp
    n_true = truth["doc"].notna().sum()
    n_pred = pred["doc"].notna().sum()
    assert (m["outcome"] != "FP").sum() == n_true
    assert (m["outcome"] != "FN").sum() == n_pred


# ----------------------------------------------------------------------------- metrics


def test_detection_scores_and_per_type_agree_with_sklearn():
    from sklearn.metrics import precision_recall_fscore_support

    pred, truth = synthetic_pair(200, seed=5, with_fields=False)
    m = match_documents(pred, truth)
    d = M.detection_scores(m).set_index("view")
    tp, fp, fn = ((m["outcome"] == k).sum() for k in ("TP", "FP", "FN"))
    assert d.loc["located", ["tp", "fp", "fn"]].tolist() == [tp, fp, fn]
    assert d.loc["located", "precision"] == pytest.approx(tp / (tp + fp))
    assert d.loc["located", "recall"] == pytest.approx(tp / (tp + fn))
    wrong = int(((m["outcome"] == "TP") & ~m["type_ok"]).sum())
    assert wrong > 0
    assert d.loc["typed", "tp"] == tp - wrong
    per = M.per_type_scores(m)
    yt, yp = M.type_labels(m)
    labels = sorted(set(yt) - {M.NONE})
    p, r, f, s = precision_recall_fscore_support(yt, yp, labels=labels)
    np.testing.assert_allclose(per.loc[labels, "precision"], p)
    np.testing.assert_allclose(per.loc[labels, "recall"], r)
    assert per["support"].sum() == truth["doc"].notna().sum()
    # summing per-type typed counts gives the overall typed counts
    assert per["tp"].sum() == d.loc["typed", "tp"]
    acc = M.DetectionAccumulator()
    for half in (m.iloc[: len(m) // 2], m.iloc[len(m) // 2:]):
        acc.update(half)
    pd.testing.assert_frame_equal(acc.compute(), M.detection_scores(m))


def test_type_confusion():
    truth = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (20, 0, 30, 10)), ("passport", (40, 0, 50, 10))]},
                 labels=True)
    pred = docs({"a": [("bankcard", (0, 0, 10, 10)), ("bankcard", (20, 0, 30, 10)), ("bankcard", (70, 0, 80, 10))]})
    m = match_documents(pred, truth)
    cm = M.type_confusion(m)
    assert cm.loc["bankcard", "bankcard"] == 1
    assert cm.loc["passport", "bankcard"] == 1
    assert cm.loc["passport", M.NONE] == 1
    assert cm.loc[M.NONE, "bankcard"] == 1
    assert cm.to_numpy().sum() == len(m)
    norm = M.type_confusion(m, normalize="true")
    assert norm.loc["passport"].sum() == pytest.approx(1.0)
    assert M.NONE not in M.type_confusion(m, include_none=False).index
    with pytest.raises(ValueError, match="normalize='rows'"):
        M.type_confusion(m, normalize="rows")


# ----------------------------------------------------------------------------- fields


def _ref_levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def test_cer_agrees_with_a_reference_implementation():
    rng = np.random.default_rng(0)
    alphabet = list("0123456789ABC上海北京市区路号元角")
    t = ["".join(rng.choice(alphabet, rng.integers(1, 15))) for _ in range(300)]
    p = ["".join(rng.choice(alphabet, rng.integers(0, 15))) for _ in range(300)]
    ref = np.array([_ref_levenshtein(a, b) / len(a) for a, b in zip(t, p)])
    np.testing.assert_allclose(F.cer(t, p), ref)


def test_field_table_nested_lists_are_aligned_row_by_row():
    items_t = [{"name": "笔", "amount": "3.00"}, {"name": "纸", "amount": "5.00"}, {"name": "墨", "amount": "8.00"}]
    items_p = [{"name": "纸", "amount": "5.00"}, {"name": "墨", "amount": "8.O0"}]
    conf_p = [{"name": 0.9, "amount": 0.8}, {"name": 0.95, "amount": 0.4}]
    truth = docs({"a": [("vat_invoice", (0, 0, 100, 100), {"total": "￥16.00", "item_list": items_t})]}, labels=True)
    pred = docs({"a": [("vat_invoice", (0, 0, 100, 100), {"total": "16.00元", "item_list": items_p,
                                                          "confidence": {"total": 0.99, "item_list": conf_p}})]})
    m = match_documents(pred, truth)
    f = F.field_table(m, pred, truth).set_index("field")
    assert f.loc["total", "normalized"] and not f.loc["total", "exact"]
    assert f.loc["item_list.0.name", "presence"] == "missing"  # the missed first item
    assert f.loc["item_list.1.name", "exact"] and f.loc["item_list.1.name", "confidence"] == 0.9
    assert not f.loc["item_list.2.amount", "normalized"]
    assert f.loc["item_list.2.amount", "confidence"] == 0.4
    assert f.loc["item_list.2.amount", "cer"] == pytest.approx(1 / 4)
    assert f.loc["item_list.2.amount", "kind"] == "money"
    assert f.loc["item_list.2.amount", "field_group"] == "item_list.amount"
    # without alignment the rows shift and every item field is wrong
    f2 = F.field_table(m, pred, truth, align_lists=False).set_index("field")
    assert not f2.loc["item_list.0.name", "exact"]


def test_field_table_skips_fields_empty_on_both_sides_and_uses_registry_kinds():
    truth = docs({"a": [("taxi_invoice", (0, 0, 10, 10), {"date": "2024年3月5日", "boarding_time": "08:05",
                                                          "remarks": ""})]}, labels=True)
    pred = docs({"a": [("taxi_invoice", (0, 0, 10, 10), {"date": "2024-03-05", "boarding_time": "8:05",
                                                         "remarks": "", "confidence": {"date": 0.9}})]})
    f = F.field_table(match_documents(pred, truth), pred, truth).set_index("field")
    assert list(f.index) == ["date", "boarding_time"]
    assert f["kind"].tolist() == ["date", "time"]
    assert f["normalized"].all() and not f["exact"].any()
    assert np.isnan(f.loc["boarding_time", "confidence"])


def test_field_summary():
    pred, truth = synthetic_pair(100, seed=2)
    ev = E.evaluate(pred, truth)
    fs = ev.field_summary(by="field")
    f = ev.fields
    assert fs["n"].sum() == len(f)
    bank = f[(f["true_type"] == "bankcard") & (f["field_group"] == "card_number")]
    assert fs.loc[("bankcard", "card_number"), "normalized"] == pytest.approx(bank["normalized"].mean())
    with pytest.raises(ValueError, match="by='doc'"):
        ev.field_summary(by="doc")


# ----------------------------------------------------------------------------- thresholds and calibration


def _fields_frame(conf, correct, types=None, fields=None, presence=None):
    n = len(conf)
    return pd.DataFrame({"true_type": types or ["bankcard"] * n, "field_group": fields or ["card_number"] * n,
                         "truth": np.arange(n), "presence": presence or ["both"] * n,
                         "confidence": np.asarray(conf, float), "normalized": np.asarray(correct, bool),
                         "exact": np.asarray(correct, bool)})


def test_threshold_is_the_lowest_reaching_the_target_even_when_not_monotone():
    # sorted by confidence: right, wrong, right, right, wrong -> precision 1, .5, .67, .75, .6
    f = _fields_frame([0.99, 0.9, 0.8, 0.7, 0.6], [True, False, True, True, False])
    t = T.threshold_table(f, target_precision=0.7).iloc[0]
    assert t["threshold"] == 0.7 and t["n_accepted"] == 4 and t["coverage"] == pytest.approx(0.8)
    assert t["precision"] == 0.75 and t["accuracy"] == pytest.approx(0.6)
    t = T.threshold_table(f, target_precision=0.6).iloc[0]
    assert t["threshold"] == 0.6 and t["coverage"] == 1.0
    t = T.threshold_table(f, target_precision=0.8).iloc[0]
    assert t["threshold"] == 0.99 and t["coverage"] == pytest.approx(0.2)
    with pytest.raises(ValueError, match="target_precision=0"):
        T.threshold_table(f, target_precision=0)
    with pytest.raises(ValueError, match="by='x'"):
        T.threshold_table(f, by="x")


def test_threshold_unreachable_and_missing_fields():
    f = _fields_frame([0.9, 0.8, np.nan], [False, True, False], presence=["both", "both", "missing"])
    t = T.threshold_table(f, target_precision=0.99).iloc[0]
    assert np.isnan(t["threshold"]) or t["threshold"] == 0.8
    # missing field counts in the denominator of coverage
    t = T.threshold_table(f, target_precision=0.5).iloc[0]
    assert t["threshold"] == 0.8 and t["coverage"] == pytest.approx(2 / 3)
    f2 = _fields_frame([0.9], [False])
    t2 = T.threshold_table(f2, target_precision=0.9).iloc[0]
    assert np.isnan(t2["threshold"]) and t2["coverage"] == 0 and t2["n_accepted"] == 0


def test_coverage_curve_agrees_with_brute_force():
    rng = np.random.default_rng(7)
    n = 400
    conf = np.round(rng.uniform(0, 1, n), 2)  # ties
    correct = rng.uniform(0, 1, n) < conf
    types = list(rng.choice(["bankcard", "passport"], n))
    f = _fields_frame(conf, correct, types=types)
    c = T.coverage_curve(f, by="type")
    for typ, x in c.groupby("true_type"):
        sel = np.array(types) == typ
        for r in x.itertuples():
            acc = sel & (conf >= r.threshold)
            assert r.n_accepted == acc.sum()
            assert r.precision == pytest.approx(correct[acc].mean())
            assert r.coverage == pytest.approx(acc.sum() / sel.sum())
    for target in (0.8, 0.9, 0.95):
        tt = T.threshold_table(f, target_precision=target, by="type")
        for typ in ("bankcard", "passport"):
            sel = np.array(types) == typ
            ok = [t for t in np.unique(conf[sel]) if correct[sel & (conf >= t)].mean() >= target]
            expected = min(ok) if ok else np.nan
            got = tt.loc[typ, "threshold"]
            assert (np.isnan(expected) and np.isnan(got)) or got == expected


def test_document_acceptance_requires_every_field():
    f = pd.DataFrame({"true_type": "bankcard", "field_group": ["card_number", "bank_name"] * 3,
                      "truth": [0, 0, 1, 1, 2, 2], "presence": ["both"] * 5 + ["missing"],
                      "confidence": [0.99, 0.99, 0.99, 0.5, 0.99, np.nan],
                      "normalized": [True, True, True, True, True, False], "exact": True})
    d = T.document_acceptance(f, target_precision=0.9)
    # thresholds: card_number 0.99 (all right), bank_name 0.5 (both scored are right)
    assert d.loc["all", "documents"] == 3
    assert d.loc["all", "accepted"] == 2  # doc 2 has a missing field
    assert d.loc["all", "precision"] == 1.0
    assert d.loc["all", "all_correct"] == pytest.approx(2 / 3)
    dc = T.document_curve(f)
    assert dc["n_accepted"].iloc[-1] == 2


def test_calibration_matches_a_direct_computation():
    rng = np.random.default_rng(11)
    conf = rng.uniform(0, 1, 2000)
    correct = rng.uniform(0, 1, 2000) < conf ** 2  # over-confident
    f = _fields_frame(conf, correct)
    t = cal.reliability_table(f, n_bins=10, by="all")
    b = np.minimum((conf * 10).astype(int), 9)
    for k in range(10):
        assert t.loc[k, "count"] == (b == k).sum()
        assert t.loc[k, "accuracy"] == pytest.approx(correct[b == k].mean())
    ece = sum((b == k).mean() * abs(correct[b == k].mean() - conf[b == k].mean()) for k in range(10))
    e = cal.calibration_errors(f, n_bins=10, by="all")
    assert e["ece"].iloc[0] == pytest.approx(ece)
    assert e["brier"].iloc[0] == pytest.approx(np.mean((conf - correct) ** 2))
    assert e["ece"].iloc[0] > 0.1
    # perfectly calibrated in expectation -> small ECE
    good = _fields_frame(conf, rng.uniform(0, 1, 2000) < conf)
    assert cal.calibration_errors(good, by="all")["ece"].iloc[0] < 0.05
    q = cal.reliability_table(f, n_bins=4, strategy="quantile", by="all")
    assert q["count"].tolist() == [500, 500, 500, 500]
    with pytest.raises(ValueError, match="strategy='kmeans'"):
        cal.reliability_table(f, strategy="kmeans")


# ----------------------------------------------------------------------------- the Evaluation object


def test_evaluation_end_to_end_on_synthetic_data():
    pred, truth = synthetic_pair(300, seed=9, failed=0.05)
    ev = E(pred, truth, on="path", iou=0.5)  # the package is callable
    assert isinstance(ev, E.Evaluation)
    assert "matches" not in ev.__dict__  # lazy: nothing computed yet
    assert ev.matches is ev.matches  # cached
    failed = ev.failed_images
    assert len(failed) > 0 and set(failed["pred_status"]) == {"AIS.0103"}
    m = ev.matches
    fn_failed = m[m["path"].isin(failed["path"])]
    assert (fn_failed["outcome"] == "FN").all()
    assert len(fn_failed) == failed["n_true"].sum()
    s = ev.summary(target_precision=0.95)
    assert s["failed_images"] == len(failed)
    assert 0.5 < s["field_normalized_accuracy"] <= 1
    assert s["field_normalized_accuracy"] >= s["field_exact_accuracy"]
    thr = ev.thresholds(target_precision=0.95)
    assert (thr["precision"].dropna() >= 0.95).all()
    assert set(ev.thresholds(by="type").index) <= set(truth["type"].dropna().astype(str))
    assert "Evaluation: 300 images" in repr(ev)
    w = ev.worst_fields(5)
    assert len(w) == 5 and not w["normalized"].any()
    assert (w["confidence"].fillna(-1).diff().dropna() <= 0).all()
    wi = ev.worst_images(3)
    assert wi["errors"].is_monotonic_decreasing
    c = ev.calibration(by="type")
    assert set(c.errors.columns) >= {"ece", "mce", "brier"}


def test_evaluation_on_cloud_style_frames_with_own_columns_and_index():
    pred, truth = synthetic_pair(40, seed=4, key="image")
    pred = pred.assign(batch="2026-11", backend="huawei").set_index(pd.Index(np.arange(len(pred)) * 10))
    ev = E.evaluate(pred, truth, on="image")
    assert ev.detection["tp"].iloc[0] > 0
    assert "image" in ev.fields.columns
    with pytest.raises(ValueError, match="correct='fuzzy'"):
        E.evaluate(pred, truth, on="image", correct="fuzzy")
    with pytest.raises(ValueError, match="missing column"):
        E.evaluate(pred, truth)  # no 'path' column
    with pytest.raises(ValueError, match="iou=2"):
        E.evaluate(pred, truth, on="image", iou=2)


@pytest.mark.parametrize("case", ["no docs anywhere", "all failed", "no fields", "only FP", "no confidence"])
def test_degenerate_inputs_do_not_crash(case):
    cases = {
        "no docs anywhere": (docs({"a": [], "b": []}), docs({"a": [], "b": []}, labels=True)),
        "all failed": (docs({"a": "AIS.0103"}),
                       docs({"a": [("bankcard", (0, 0, 10, 10), {"card_number": "1"})]}, labels=True)),
        "no fields": (docs({"a": [("bankcard", (0, 0, 10, 10))]}), docs({"a": [("bankcard", (0, 0, 10, 10))]},
                                                                         labels=True)),
        "only FP": (docs({"a": [("bankcard", (0, 0, 10, 10))]}), docs({"a": []}, labels=True)),
        "no confidence": (docs({"a": [("bankcard", (0, 0, 10, 10), {"card_number": "1"})]}),
                          docs({"a": [("bankcard", (0, 0, 10, 10), {"card_number": "1"})]}, labels=True)),
    }
    pred, truth = cases[case]
    ev = E.evaluate(pred, truth)
    ev.per_type, ev.confusion(), ev.field_summary(), ev.thresholds(), ev.coverage_curve()  # noqa: B018
    ev.document_acceptance(), ev.calibration(), ev.worst_fields(), ev.worst_images(), repr(ev)  # noqa: B018
    s = ev.summary()
    assert s["images_scored"] == len(truth["path"].unique())
    if case == "all failed":
        assert s["failed_images"] == 1 and s["detection_recall"] == 0
