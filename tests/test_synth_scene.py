"""Scenes: deterministic bytes, quads that match the pixels, labels that round-trip."""

import filecmp
import os

import numpy as np
import pytest

from ocrframe.datasets import read_labels, write_labels
from ocrframe.datasets.synth import generate, plan_scenes
from ocrframe.datasets.synth import scene as scene_mod
from ocrframe.datasets.synth.catalog import layout_named
from ocrframe.datasets.synth.scene import SceneOptions, make_scene
from ocrframe.types import ORIGINAL_TYPES, schema

SMALL = dict(size=800)
CLEAN = SceneOptions(size=800, background="dark", distractor_rate=0.0, overlap_rate=0.0, lighting=0.0,
                     shadow_rate=0.0, blur=0.0, noise=0.0, low_res_rate=0.0)


def _signed_area(q):
    q = np.asarray(q, float)
    x, y = q[:, 0], q[:, 1]
    return 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(4, seed=11, out_dir=a, **SMALL)
    generate(4, seed=11, out_dir=b, **SMALL)
    generate(4, seed=12, out_dir=c, **SMALL)
    names = sorted(os.listdir(a / "images"))
    assert len(names) == 4
    match, mismatch, errors = filecmp.cmpfiles(a / "images", b / "images", names, shallow=False)
    assert match == names and not mismatch and not errors
    assert (a / "labels.jsonl").read_bytes() == (b / "labels.jsonl").read_bytes()
    assert (a / "labels.jsonl").read_bytes() != (c / "labels.jsonl").read_bytes()


def test_workers_do_not_change_the_output(tmp_path):
    one = generate(3, seed=5, out_dir=tmp_path / "one", **SMALL)
    two = generate(3, seed=5, out_dir=tmp_path / "two", workers=2, **SMALL)
    assert one == two
    for name in os.listdir(tmp_path / "one" / "images"):
        assert (tmp_path / "one" / "images" / name).read_bytes() == (tmp_path / "two" / "images" / name).read_bytes()


def test_plan_covers_every_type_and_has_negatives():
    plan = plan_scenes(60, 3, negative_rate=0.1)
    dealt = [t for docs in plan for t in docs]
    assert {t.value for t in ORIGINAL_TYPES} <= set(dealt)
    assert any(not docs for docs in plan)
    assert all(1 <= len(docs) <= 4 for docs in plan if docs)
    with pytest.raises(ValueError, match="min_docs"):
        plan_scenes(3, 0, min_docs=3, max_docs=2)


@pytest.mark.parametrize("t", [t for t in ORIGINAL_TYPES if t.value != "bankcard"], ids=lambda t: t.value)
def test_quad_interior_is_the_document(t):
    """On a dark background, a light document's quad is bright inside and dark just outside."""
    import cv2

    for index in range(2):
        s = make_scene(21, index, [t], CLEAN)
        assert len(s.documents) == 1
        q = np.asarray(s.documents[0]["location"], np.float32)
        h, w = s.image.shape[:2]
        assert (q[:, 0] >= 0).all() and (q[:, 0] < w).all() and (q[:, 1] >= 0).all() and (q[:, 1] < h).all()
        assert _signed_area(q) > 0  # clockwise in image coordinates (y down)
        grey = cv2.cvtColor(s.image, cv2.COLOR_RGB2GRAY)
        c = q.mean(0)
        inner = np.zeros_like(grey)
        cv2.fillConvexPoly(inner, ((q - c) * 0.9 + c).astype(np.int32), 1)
        outer = np.zeros_like(grey)
        cv2.fillConvexPoly(outer, ((q - c) * 1.12 + c).astype(np.int32), 1)
        border = np.zeros_like(grey)
        cv2.fillConvexPoly(border, ((q - c) * 1.02 + c).astype(np.int32), 1)
        ring = (outer == 1) & (border == 0)
        assert grey[inner == 1].mean() > grey[ring].mean() + 60


def test_first_corner_is_the_documents_own_top_left(monkeypatch):
    """Render a blank page with a red top-left patch; the label's first corner must sit on it."""

    from ocrframe.datasets.synth.render import RenderedDocument

    def fake_render(doc_type, rng, **kw):
        img = np.full((300, 480, 3), 235, np.uint8)
        img[:60, :90] = (220, 0, 0)
        return RenderedDocument(img, None, {}, "bankcard/standard", [])

    monkeypatch.setattr(scene_mod, "draw_document", fake_render)
    opts = SceneOptions(size=800, background="dark", right_angle_rate=1.0, rotation=10, perspective=0.05,
                        distractor_rate=0, noise=0, blur=0, lighting=0, low_res_rate=0.5)
    for index in range(12):
        s = make_scene(3, index, ["bankcard"], opts)
        q = np.asarray(s.documents[0]["location"], float)
        # a point 8 % of the way from the first corner towards the opposite one
        p = q[0] + 0.08 * (q[2] - q[0])
        r, g, b = s.image[int(round(p[1])), int(round(p[0]))].astype(int)
        assert r > 150 and g < 80 and b < 80, (index, q.tolist(), (r, g, b))


def test_negative_scene_has_no_documents():
    s = make_scene(1, 0, [], SceneOptions(size=640, low_res_rate=0, portrait_rate=0))
    assert s.documents == [] and s.image.shape == (480, 640, 3)


def test_low_resolution_scales_quads():
    opts = SceneOptions(size=800, low_res_rate=1.0, low_res=(0.5, 0.5))
    s = make_scene(2, 0, ["passport"], opts)
    assert s.image.shape[1] == 400
    q = np.asarray(s.documents[0]["location"])
    assert q[:, 0].max() < 400 and q[:, 1].max() < 300


def test_generated_labels_have_every_core_field_and_round_trip(tmp_path):
    records = generate(12, seed=4, out_dir=tmp_path, negative_rate=0.0, **SMALL)
    assert records
    truth = read_labels(tmp_path / "labels.jsonl")
    assert len(truth) == sum(len(r["result"]) for r in records)
    for t, content, key in zip(truth["type"], truth["content"], truth["layout"]):
        sch = schema(t)
        layout = layout_named(key)
        assert layout.doc_type.value == t
        assert set(sch.field_names) - layout.absent <= set(content), t  # a variant may not print some
        for lst in sch.lists:
            assert all(set(lst.field_names) <= set(row) for row in content[lst.name])
    again = write_labels(tmp_path / "again.jsonl", truth)
    assert open(again, encoding="utf-8").read() == (tmp_path / "labels.jsonl").read_text(encoding="utf-8")


def test_hard_share_and_options_validation(tmp_path):
    recs = generate(2, seed=1, hard=1.0, **SMALL)
    assert len(recs) == 2
    with pytest.raises(ValueError, match="hard"):
        generate(1, seed=1, hard=2.0)
    with pytest.raises(TypeError):
        generate(1, seed=1, no_such_option=3)


@pytest.mark.parametrize("kw,match", [({"blur_rate": 1.5}, "blur_rate"), ({"background": "beach"}, "background"),
                                      ({"jpeg_quality": (90, 60)}, "jpeg_quality"), ({"size": 10}, "size")])
def test_bad_options_are_named(kw, match):
    with pytest.raises(ValueError, match=match):
        SceneOptions(**kw)
