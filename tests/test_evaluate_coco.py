"""Cross-check: document matching agrees with pycocotools' COCOeval at the same IoU."""

from __future__ import annotations

import numpy as np
import pytest

from ocrframe import geometry as g
from ocrframe.testing.coco import coco_matches
from ocrframe.testing.frames import synthetic_pair
from ocrframe.evaluate.matching import match_documents

pytest.importorskip("pycocotools")


def _drop_near_threshold(pred, truth, thr, margin=0.03):
    """Leave out images where some pair's IoU is within ``margin`` of the threshold:
    COCO rasterises polygons to masks, so its IoU differs from the exact one by a pixel
    rim and may fall on the other side there."""
    pairs = g.frame_iou(pred, truth, on="path")
    near = set(pairs.loc[(pairs["iou"] - thr).abs() < margin, "path"])
    keep_p, keep_t = ~pred["path"].isin(near), ~truth["path"].isin(near)
    return pred[keep_p.to_numpy()].reset_index(drop=True), truth[keep_t.to_numpy()].reset_index(drop=True)


def _ours(pred, truth, thr, by_type):
    m = match_documents(pred, truth, iou=thr, by_type=by_type)
    tp = m[m["outcome"] == "TP"]
    return set(zip(tp["pred"].astype(int), tp["truth"].astype(int)))


@pytest.mark.parametrize("thr", [0.5, 0.75, 0.9])
@pytest.mark.parametrize("by_type", [False, True])
def test_tp_fp_fn_agree_with_pycocotools(thr, by_type):
    pred, truth = synthetic_pair(200, seed=21, with_fields=False, wrong_type=0.1, false_alarm=0.2)
    # widen the jitter for a spread of IoUs around the thresholds
    rng = np.random.default_rng(0)
    loc = pred["location"].to_numpy().copy()
    for i in range(len(loc)):
        if loc[i] is not None:
            loc[i] = (np.asarray(loc[i]) + rng.normal(0, rng.choice([2, 15, 40]), (4, 2))).round().astype(int).tolist()
    pred = pred.assign(location=loc)
    pred, truth = _drop_near_threshold(pred, truth, thr)
    ours = _ours(pred, truth, thr, by_type)
    coco = coco_matches(pred, truth, iou=thr, by_type=by_type)
    assert len(ours) > 40
    assert ours == coco
    n_pred = int(pred["doc"].notna().sum())
    n_true = int(truth["doc"].notna().sum())
    m = match_documents(pred, truth, iou=thr, by_type=by_type)
    assert (m["outcome"] == "FP").sum() == n_pred - len(coco)
    assert (m["outcome"] == "FN").sum() == n_true - len(coco)
