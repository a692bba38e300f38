"""Localisation on the scenes that failed on real photos, through the real engine, from
encoded files: packed receipts, full-frame scans, dark textured surfaces, low resolution,
documents lying over each other; generated scenes of those kinds and real dev images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.backends.base import ImageInput, RequestOptions  # noqa: E402
from ocrframe.backends.local import LocalEngine  # noqa: E402
from ocrframe.datasets.synth import generate  # noqa: E402
from ocrframe.geometry import iou_matrix  # noqa: E402

pytestmark = pytest.mark.slow

REAL_DEV = Path(__file__).resolve().parents[1] / "datasets" / "real" / "dev"


def _found(data: bytes) -> list[dict]:
    return LocalEngine(threads=1).recognize(ImageInput("x", data=data), RequestOptions())["result"]


def _matched(found: list[dict], truth: list[dict], min_iou: float = 0.5) -> tuple[int, int]:
    """(true documents matched one to one at ``min_iou``, predictions left over)."""
    if not found or not truth:
        return 0, len(found)
    from scipy.optimize import linear_sum_assignment

    m = iou_matrix(np.array([d["location"] for d in truth], float), np.array([d["location"] for d in found], float))
    r, c = linear_sum_assignment(-m)
    hits = int((m[r, c] >= min_iou).sum())
    return hits, len(found) - hits


def _scene(tmp_path, kind: str, seed: int) -> tuple[bytes, list[dict]]:
    records = generate(1, seed=seed, out_dir=tmp_path, scene_kinds=kind, negative_rate=0)
    return (tmp_path / records[0]["image"]).read_bytes(), records[0]["result"]


def _open(reason: str):
    """A known open failure: it must fail until fixed, then the mark goes."""
    return pytest.mark.xfail(strict=True, reason=f"open: {reason}")


@pytest.mark.parametrize("kind,seed", [
    pytest.param("packed", 5180001, marks=_open("of 8 receipts one is cut apart wrongly (7 found, 1 spurious)")),
    ("packed", 5180002),  # six receipts, all found since this scene's generator and engine changes of session 3
    ("fullframe", 5180003),
    ("textured", 5180004),  # a passport on a keyboard: the key caps' letters stay apart
    ("lowres", 5180005), ("desk", 5180006)])
def test_generated_scene_kinds(tmp_path, kind, seed):
    data, truth = _scene(tmp_path, kind, seed)
    hits, extra = _matched(_found(data), truth)
    assert hits >= len(truth) - (1 if len(truth) > 4 else 0) and extra == 0, (hits, len(truth), extra)


def _real(name: str) -> tuple[bytes, list[dict]]:
    import json

    path = REAL_DEV / "images" / name
    if not path.exists():
        pytest.skip("the real dev set is not here")
    for line in (REAL_DEV / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["image"] == f"images/{name}":
            return path.read_bytes(), rec["result"]
    raise AssertionError(f"{name} not labelled")


@pytest.mark.parametrize("name", [
    "inv_roll_shandong_x4.png",          # four roll receipts on their rolls, two turned by 90 degrees
    "inv_train_eaten_real2.jpg",         # a 2x2 collage of train tickets: gutters between the photos
    "card_multi_baidu_weixiaobao_bank.jpg",  # a card next to another of another kind
    "inv_vat_e_shanghai_jd.png",         # a render filling the frame: no second document along an edge
    "l_vat_e_tianjin_jd_baidu.jpg",      # 500 px wide
    "inv_vat_normal_js_bedspread.jpg",   # on a quilted bedspread
])
def test_real_dev_images(name):
    data, truth = _real(name)
    found = _found(data)
    hits, extra = _matched(found, truth)
    assert hits == len(truth) and extra == 0, (hits, len(truth), [d["type"] for d in found])
