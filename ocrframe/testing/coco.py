"""pycocotools as the reference for document matching: the same documents frames as COCO
ground truth and detections, and the pairs ``COCOeval`` matches (needs ``pycocotools``).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["coco_inputs", "coco_matches"]


def coco_inputs(pred, truth, *, on: str = "path", by_type: bool = False, size: int = 2000):
    """COCO ground truth and detections (polygons) for the same documents frames.

    Returns ``(coco_gt, dets, pred_rows, truth_rows)``: a ``pycocotools.coco.COCO`` of
    the true quads (annotation id = truth row + 1), the detection dicts for
    ``loadRes`` (polygon segmentation converted to RLE; detection id = pred row + 1 via
    order), and the row positions used. Every image is ``size`` x ``size``.
    """
    import numpy as np
    from pycocotools import mask as mask_utils
    from pycocotools.coco import COCO

    keys = pd.factorize(pd.concat([truth[on], pred[on]], ignore_index=True))[0]
    kt, kp = keys[: len(truth)], keys[len(truth):]
    cats = {t: i + 1 for i, t in enumerate(sorted(set(truth["type"].dropna().astype(str)) |
                                                 set(pred["type"].dropna().astype(str))))}
    t_rows = np.flatnonzero(truth["doc"].notna().to_numpy())
    p_rows = np.flatnonzero(pred["doc"].notna().to_numpy() & pd.Series(kp).isin(set(kt)).to_numpy())
    anns = []
    for r in t_rows:
        flat = [float(v) for pt in truth["location"].iat[r] for v in pt]
        xs, ys = flat[0::2], flat[1::2]
        rle = mask_utils.merge(mask_utils.frPyObjects([flat], size, size))
        anns.append({"id": int(r) + 1, "image_id": int(kt[r]) + 1,
                     "category_id": cats[str(truth["type"].iat[r])] if by_type else 1,
                     "segmentation": [flat], "area": float(mask_utils.area(rle)), "iscrowd": 0,
                     "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]})
    gt = COCO()
    gt.dataset = {"images": [{"id": int(i) + 1, "height": size, "width": size} for i in np.unique(kt)],
                  "annotations": anns,
                  "categories": [{"id": c} for c in (cats.values() if by_type else [1])]}
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
    dets = []
    for k, r in enumerate(p_rows):
        flat = [float(v) for pt in pred["location"].iat[r] for v in pt]
        rle = mask_utils.merge(mask_utils.frPyObjects([flat], size, size))
        dets.append({"image_id": int(kp[r]) + 1, "category_id": cats[str(pred["type"].iat[r])] if by_type else 1,
                     "segmentation": rle, "score": 1.0 - k * 1e-9})
    return gt, dets, p_rows, t_rows


def coco_matches(pred, truth, *, on: str = "path", iou: float = 0.5, by_type: bool = False, size: int = 2000):
    """The (pred row, truth row) pairs that pycocotools' COCOeval matches at ``iou``."""
    import contextlib
    import io

    import numpy as np
    from pycocotools.cocoeval import COCOeval

    gt, dets, p_rows, _ = coco_inputs(pred, truth, on=on, by_type=by_type, size=size)
    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes(dets) if dets else None
        ev = COCOeval(gt, dt, "segm")
        ev.params.iouThrs = np.array([iou])
        ev.params.maxDets = [10_000]
        ev.params.areaRng = [[0, 1e12]]
        ev.params.areaRngLbl = ["all"]
        ev.params.useCats = int(by_type)
        ev.evaluate()
    pairs = set()
    for e in ev.evalImgs:
        if e is None:
            continue
        for dt_id, gt_id in zip(e["dtIds"], e["dtMatches"][0]):
            if gt_id > 0:
                pairs.add((int(p_rows[dt_id - 1]), int(gt_id) - 1))
    return pairs
