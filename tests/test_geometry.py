"""Geometry: quads, ordering, polygons, area, IoU (properties and brute-force references)."""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import assume, example, given, note, settings
from hypothesis import strategies as st

from ocrframe import geometry as g
from ocrframe.testing.frames import docs


def rect(cx, cy, w, h, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    base = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    return base @ np.array([[c, s], [-s, c]]) + [cx, cy]


rects = st.builds(rect, st.floats(0, 2000), st.floats(0, 2000), st.floats(1, 800), st.floats(1, 800),
                  st.floats(-180, 180))
# pixel coordinates with sub-pixel precision (GEOS itself misbehaves on subnormal numbers)
coords = st.floats(0, 1000, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3))
any_quads = st.lists(st.tuples(coords, coords), min_size=4, max_size=4).map(lambda p: np.array(p, dtype=float))


def nondegenerate(q):
    return g.area(q[None])[0] > 1.0


# ----------------------------------------------------------------------------- properties


@settings(max_examples=100, deadline=None)
@given(rects, rects)
def test_iou_symmetric_and_bounded(a, b):
    ab = g.iou(a[None], b[None])[0]
    ba = g.iou(b[None], a[None])[0]
    assert 0.0 <= ab <= 1.0
    assert ab == pytest.approx(ba, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(any_quads, any_quads)
def test_iou_bounded_for_arbitrary_quads(a, b):
    note(f"a={a.tolist()!r} b={b.tolist()!r}")
    v = g.iou(a[None], b[None])[0]
    assert 0.0 <= v <= 1.0
    # clipping slivers with near-collinear edges at different ends: agree to 1e-6
    assert v == pytest.approx(g.iou(b[None], a[None])[0], abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(any_quads)
@example(np.array([[0, 0], [0, 3], [0, 2.220446049250313e-16], [1, 5]]))  # a repeated vertex
def test_iou_identity(q):
    assume(nondegenerate(q))
    assert g.iou(q[None], q[None])[0] == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(any_quads, any_quads, st.integers(0, 3), st.booleans(), st.permutations(range(4)))
def test_iou_invariant_to_vertex_order_and_start(a, b, shift, reverse, perm):
    assume(nondegenerate(a) and nondegenerate(b))
    ref = g.iou(a[None], b[None])[0]
    a2 = np.roll(a, shift, axis=0)
    if reverse:
        a2 = a2[::-1]
    assert g.iou(a2[None], b[None])[0] == pytest.approx(ref, abs=1e-6)
    # any permutation of a convex quad's vertices (bow-tie orders too) is repaired
    if shapely.is_valid(shapely.polygons(g.order_vertices(a[None]))[0]) and _convex(a):
        assert g.iou(a[list(perm)][None], b[None])[0] == pytest.approx(ref, abs=1e-6)


def _convex(q):
    h = shapely.convex_hull(shapely.multipoints(q))
    return len(shapely.get_coordinates(h)) == 5


@settings(max_examples=100, deadline=None)
@given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), st.floats(0.5, 3000), st.floats(0.5, 3000), st.floats(-360, 360))
def test_area_of_rotated_rectangles_is_exact(cx, cy, w, h, deg):
    q = rect(cx, cy, w, h, deg)
    assert g.area(q[None])[0] == pytest.approx(w * h, rel=1e-9)
    assert shapely.area(g.to_polygons(q[None]))[0] == pytest.approx(w * h, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(rects, st.integers(0, 3), st.booleans())
def test_order_is_a_function_of_the_vertex_set(q, shift, reverse):
    q2 = np.roll(q, shift, axis=0)
    if reverse:
        q2 = q2[::-1]
    np.testing.assert_allclose(g.order_vertices(q2[None]), g.order_vertices(q[None]))


@settings(max_examples=100, deadline=None)
@given(st.floats(-44, 44), st.floats(10, 500), st.floats(10, 500))
def test_rotation_angle_of_upright_ish_rectangles(deg, w, h):
    q = rect(300, 300, w, h, deg)
    assume(abs(w - h) > 1 or abs(deg) < 44)
    got = g.rotation_angle(q[None])[0]
    assert got == pytest.approx(deg, abs=1e-6)


# ----------------------------------------------------------------------------- examples


def test_order_vertices_clockwise_from_top_left():
    q = np.array([[[10, 10], [0, 0], [0, 10], [10, 0]]], float)  # a bow-tie order
    assert g.order_vertices(q)[0].tolist() == [[0, 0], [10, 0], [10, 10], [0, 10]]
    assert not g.is_simple(q)[0]
    assert g.is_simple(g.order_vertices(q))[0]
    # shoelace in image coordinates (y down): clockwise on screen has positive signed area
    assert g._shoelace(g.order_vertices(q))[0] > 0


def test_bow_tie_is_repaired_and_degenerate_has_zero_area():
    bow = np.array([[[0, 0], [10, 10], [10, 0], [0, 10]]], float)
    sq = np.array([[[0, 0], [10, 0], [10, 10], [0, 10]]], float)
    assert g.iou(bow, sq)[0] == pytest.approx(1.0)
    line = np.array([[[0, 0], [5, 0], [10, 0], [2, 0]]], float)
    p = g.to_polygons(line)
    assert shapely.is_valid(p[0]) and shapely.area(p[0]) == 0
    assert g.iou(line, sq)[0] == 0.0
    with pytest.raises(shapely.errors.GEOSException):
        shapely.intersection(g.to_polygons(bow, repair=False), shapely.polygons(np.array([[[1, 1], [9, 1], [9, 9], [1, 9]]], float)))


def test_quads_from_location_validates_and_keeps_missing():
    q = g.quads_from_location([[[0, 0], [1, 0], [1, 1], [0, 1]], None, [(0, 0), (2, 0), (2, 2), (0, 2)]])
    assert q.shape == (3, 4, 2)
    assert np.isnan(q[1]).all()
    with pytest.raises(ValueError, match=r"location\[1\]: expected 4"):
        g.quads_from_location([[[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0]]])
    with pytest.raises(ValueError, match=r"location\[0\]: expected finite"):
        g.quads_from_location([[[0, 0], [1, float("inf")], [1, 1], [0, 1]]])
    with pytest.raises(ValueError, match="shape"):
        g.quads_from_location(np.zeros((2, 3, 2)))


def test_missing_quads_propagate_as_nan():
    q = g.quads_from_location([None, [[0, 0], [1, 0], [1, 1], [0, 1]]])
    assert np.isnan(g.area(q)[0]) and g.area(q)[1] == 1
    v = g.iou(q, q)
    assert np.isnan(v[0]) and v[1] == 1
    m = g.iou_matrix(q)
    assert np.isnan(m[0]).all() and m[1, 1] == 1


def _brute_iou(a, b):
    out = np.zeros((len(a), len(b)))
    pa, pb = g.to_polygons(a), g.to_polygons(b)
    for i in range(len(a)):
        for j in range(len(b)):
            inter = pa[i].intersection(pb[j]).area
            union = pa[i].area + pb[j].area - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out


def test_iou_matrix_and_grouped_pairs_match_a_brute_force_loop():
    rng = np.random.default_rng(0)
    a = np.stack([rect(*rng.uniform(0, 400, 2), *rng.uniform(20, 150, 2), rng.uniform(-30, 30)) for _ in range(60)])
    b = np.stack([rect(*rng.uniform(0, 400, 2), *rng.uniform(20, 150, 2), rng.uniform(-30, 30)) for _ in range(50)])
    ref = _brute_iou(a, b)
    np.testing.assert_allclose(g.iou_matrix(a, b), ref, atol=1e-12)
    ga, gb = rng.integers(0, 5, len(a)), rng.integers(0, 5, len(b))
    p = g.pairwise_iou(a, b, groups_a=ga, groups_b=gb)
    dense = np.zeros_like(ref)
    dense[p["i"], p["j"]] = p["iou"]
    np.testing.assert_allclose(dense, np.where(ga[:, None] == gb[None, :], ref, 0.0), atol=1e-12)
    assert (ga[p["i"]] == gb[p["j"]]).all()


def test_candidate_pairs_grouped_equals_strtree_within_groups():
    rng = np.random.default_rng(1)
    lo = rng.uniform(0, 100, (40, 2))
    b = np.concatenate([lo, lo + rng.uniform(1, 30, (40, 2))], axis=1)
    gr = rng.integers(0, 3, 40)
    i, j = g.candidate_pairs(b, b, gr, gr)
    ti, tj = g.candidate_pairs(b, b)
    keep = gr[ti] == gr[tj]
    assert set(zip(i.tolist(), j.tolist())) == set(zip(ti[keep].tolist(), tj[keep].tolist()))
    with pytest.raises(ValueError, match="groups for both"):
        g.candidate_pairs(b, b, gr, None)


def test_iou_length_mismatch_is_loud():
    q = np.zeros((2, 4, 2))
    with pytest.raises(ValueError, match=r"lengths differ \(2 and 1\)"):
        g.iou(q, q[:1])


def test_overlap_pairs_finds_duplicates_and_containment():
    q = np.stack([rect(100, 100, 100, 60, 0), rect(105, 100, 100, 60, 0), rect(100, 100, 20, 10, 0),
                  rect(500, 500, 10, 10, 0)])
    o = g.overlap_pairs(q)
    got = {(int(r.i), int(r.j)): r.contains for r in o.itertuples()}
    assert got == {(0, 1): "", (0, 2): "j_in_i", (1, 2): "j_in_i"}
    assert o.loc[0, "iou"] == pytest.approx(95 * 60 / (2 * 6000 - 95 * 60))
    near = g.overlap_pairs(np.stack([rect(100, 100, 100, 60, 0), rect(100.5, 100, 100, 60, 0)]))
    assert near["contains"].tolist() == ["equal"]
    assert g.overlap_pairs(q, np.array([0, 1, 0, 0]))[["i", "j"]].values.tolist() == [[0, 2]]


def test_quads_from_polygons_round_trip():
    q = np.stack([rect(50, 60, 40, 20, 17)])
    back = g.quads_from_polygons(g.to_polygons(q))
    np.testing.assert_allclose(back, g.order_vertices(q), atol=1e-6)


@pytest.mark.parametrize("without_cv2", [False, True])
def test_rectify_with_opencv_and_pil(monkeypatch, without_cv2):
    img = np.zeros((100, 120, 3), np.uint8)
    img[20:60, 30:90] = 255  # white document
    if without_cv2:
        monkeypatch.setitem(sys.modules, "cv2", None)
    out = g.rectify(img, [[90, 60], [30, 20], [90, 20], [30, 60]])
    assert out.shape == (40, 60, 3)
    assert out[5:-5, 5:-5].mean() > 250
    out2 = g.rectify(img, [[30, 20], [90, 20], [90, 60], [30, 60]], size=(30, 20))
    assert out2.shape == (20, 30, 3)


# ----------------------------------------------------------------------------- frames


def test_frame_level_functions():
    d = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (5, 0, 15, 10))], "b": [], "c": "AIS.0103"})
    polys = g.polygons(d)
    assert polys.index.equals(d.index) and polys.iloc[2] is None
    ar = g.areas(d)
    assert ar.tolist()[:2] == [100.0, 100.0] and ar.isna().tolist()[2:] == [True, True]
    ov = g.overlaps(d, on="path")
    assert ov[["path", "doc_left", "doc_right", "type_left", "type_right"]].values.tolist() == [
        ["a", 0, 1, "bankcard", "passport"]]
    assert ov["iou"].iloc[0] == pytest.approx(1 / 3)
    other = docs({"a": [("bankcard", (0, 0, 10, 10))]})
    pairs = g.frame_iou(d, other, on="path")
    assert pairs[["left", "right"]].values.tolist() == [[0, 0], [1, 0]]
    assert pairs["iou"].tolist() == pytest.approx([1.0, 1 / 3])
    same = g.frame_iou(d, d)
    assert same.index.equals(d.index) and same.iloc[0] == 1.0
    with pytest.raises(ValueError, match="differ in length"):
        g.frame_iou(d, other)
    with pytest.raises(KeyError, match="no column"):
        g.overlaps(d, on="image")
    with pytest.raises(ValueError, match="not a documents frame"):
        g.areas(pd.DataFrame({"x": [1]}))


def test_vectorised_clipping_matches_shapely_on_arbitrary_quads():
    rng = np.random.default_rng(5)
    a = rng.uniform(0, 100, (3000, 4, 2))
    b = rng.uniform(0, 100, (3000, 4, 2))
    b[:500] = a[:500] + rng.normal(0, 3, (500, 4, 2))  # heavy overlaps too
    b[500:600] = a[500:600]  # identical
    v, inter = g.quad_pair_iou(a, b)
    pa, pb = g.to_polygons(a), g.to_polygons(b)
    ref_inter = shapely.area(shapely.intersection(pa, pb))
    np.testing.assert_allclose(inter, ref_inter, atol=1e-7)
    ref = ref_inter / (shapely.area(pa) + shapely.area(pb) - ref_inter)
    np.testing.assert_allclose(v, ref, atol=1e-9)
    assert (~g.is_convex(a)).sum() > 100  # the shapely fallback was exercised
    np.testing.assert_allclose(g.pair_iou(pa, pb), ref, atol=1e-9)
