"""Scene kinds: deterministic, labels that match the pasted paper, and each kind's own promise."""

import filecmp
import os

import cv2
import numpy as np
import pytest

from ocrframe.datasets import read_labels
from ocrframe.datasets.synth import SceneKind, generate, main
from ocrframe.datasets.synth import scene as scene_mod
from ocrframe.datasets.synth.kinds import CARD_TYPES, PACKABLE_TYPES, docs_for_kind, parse_scene_kinds
from ocrframe.datasets.synth.scan import quad_area
from ocrframe.datasets.synth.scene import SceneOptions, make_scene
from ocrframe.datasets.synth.desk import overlap_share

KINDS = [k.value for k in SceneKind]
#: documents for each kind, as generate() would fit them
DOCS = {
    "photo": ["vat_invoice", "bankcard", "taxi_invoice"],
    "packed": ["taxi_invoice"] * 6,
    "fullframe": ["vat_invoice"],
    "textured": ["id_card_portrait_side", "bankcard"],
    "lowres": ["train_ticket", "driver_license_front", "flight_itinerary"],
    "desk": ["vat_invoice", "id_card_emblem_side", "train_ticket", "bankcard"],
}
SMALL = SceneOptions(size=800)


def _signed_area(q):
    x, y = np.asarray(q, float).T
    return 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)


def _iou(quad, mask):
    drawn = np.zeros(mask.shape, np.uint8)
    cv2.fillConvexPoly(drawn, np.asarray(quad, np.int32), 1)
    paper = mask > 127
    return (paper & (drawn == 1)).sum() / max(1, (paper | (drawn == 1)).sum())


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_bytes(tmp_path, kind):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(3, seed=4242, out_dir=a, size=640, scene_kinds=kind, negative_rate=0)
    generate(3, seed=4242, out_dir=b, size=640, scene_kinds=kind, negative_rate=0)
    names = sorted(os.listdir(a / "images"))
    match, mismatch, errors = filecmp.cmpfiles(a / "images", b / "images", names, shallow=False)
    assert match == names and not mismatch and not errors
    assert (a / "labels.jsonl").read_bytes() == (b / "labels.jsonl").read_bytes()
    assert len(read_labels(a / "labels.jsonl")) >= 3


@pytest.mark.parametrize("kind", KINDS)
def test_quads_are_in_frame_clockwise_and_on_the_paper(kind):
    """Each label's quad covers exactly the paper that was pasted (its warped opacity)."""
    for index in range(3):
        s = make_scene(515, index, DOCS[kind], SMALL, kind=kind, masks=True)
        assert s.kind == kind and s.documents and len(s.masks) == len(s.documents)
        h, w = s.image.shape[:2]
        for d, mask in zip(s.documents, s.masks):
            q = np.asarray(d["location"], float)
            assert (q >= 0).all() and (q[:, 0] < w).all() and (q[:, 1] < h).all(), (index, q.tolist())
            assert _signed_area(q) > 0
            assert _iou(q, mask) > 0.93, (kind, index, d["type"])


@pytest.mark.parametrize("kind", KINDS)
def test_first_corner_is_the_documents_own_top_left(monkeypatch, kind):
    """A blank page with a red top-left patch: near each label's first corner the paper is red."""

    from ocrframe.datasets.synth.render import RenderedDocument

    def fake_render(doc_type, rng, **kw):
        img = np.full((300, 480, 3), 235, np.uint8)
        img[:60, :90] = (220, 0, 0)
        return RenderedDocument(img, None, {}, f"{doc_type}/standard", [])

    monkeypatch.setattr(scene_mod, "draw_document", fake_render)
    opts = SceneOptions(size=800, right_angle_rate=0.5, noise=0, blur=0, lighting=0, glare_rate=0)
    seen = 0
    for index in range(6):
        s = make_scene(61, index, DOCS[kind], opts, kind=kind, masks=True)
        for k, d in enumerate(s.documents):
            q = np.asarray(d["location"], float)
            p = q[0] + 0.08 * (q[2] - q[0])
            x, y = int(round(p[0])), int(round(p[1]))
            if any(m[y, x] > 0 for m in s.masks[k + 1:]):
                continue  # a later document lies over this corner
            r, g, b = s.image[y, x].astype(int)
            grey_scan = not np.any(s.image[..., 0] != s.image[..., 1])
            red = r < 150 if grey_scan else r > 120 and g < 90 and b < 90  # the patch is dark in a grey scan
            assert red, (kind, index, k, q.tolist(), (r, g, b))
            seen += 1
    assert seen >= 6


def test_packed_sheets_hold_four_or_more_small_receipts():
    records = generate(4, seed=808, size=800, scene_kinds="packed", negative_rate=0)
    small = {t.value for t in PACKABLE_TYPES}
    for r in records:
        types = [d["type"] for d in r["result"]]
        assert 4 <= len(types) <= 10 and set(types) <= small
    opts = SceneOptions(size=800, packed_count=(7, 7))
    s = make_scene(9, 0, ["quota_invoice"] * 7, opts, kind="packed")
    assert len(s.documents) == 7


def test_packed_receipts_touch_but_barely_overlap():
    s = make_scene(31, 2, ["taxi_invoice"] * 8, SMALL, kind="packed")
    quads = [np.asarray(d["location"], np.float32) for d in s.documents]
    shares = [overlap_share(a, b) for i, a in enumerate(quads) for b in quads[i + 1:]]
    assert max(shares) < 0.15  # slight overlaps only
    # neighbours are close: every receipt has another within a few percent of the frame
    centres = np.array([q.mean(0) for q in quads])
    gaps = [min(np.linalg.norm(c - o) for j, o in enumerate(centres) if j != i) for i, c in enumerate(centres)]
    sizes = [np.sqrt(cv2.contourArea(q)) for q in quads]
    assert max(g / sz for g, sz in zip(gaps, sizes)) < 1.6


@pytest.mark.parametrize("doc", ["vat_invoice", "bankcard", "taxi_invoice", "passport", "train_ticket"])
def test_fullframe_scans_are_covered_by_one_document(doc):
    for index in range(4):
        s = make_scene(77, index, [doc, "bankcard"], SMALL, kind="fullframe")
        assert len(s.documents) == 1 and s.documents[0]["type"] == doc
        h, w = s.image.shape[:2]
        assert quad_area(np.asarray(s.documents[0]["location"])) / (w * h) >= 0.85


def test_fullframe_scan_cut_by_the_frame_is_labelled_by_its_visible_part():
    opts = SceneOptions(size=800, fullframe_cover=(0.95, 1.0))
    cut = 0
    for index in range(20):
        s = make_scene(12, index, ["id_card_portrait_side"], opts, kind="fullframe", masks=True)
        q = np.asarray(s.documents[0]["location"])
        h, w = s.image.shape[:2]
        on_edge = (q[:, 0] == 0).sum() >= 2 or (q[:, 0] == w - 1).sum() >= 2 or (q[:, 1] == 0).sum() >= 2 \
            or (q[:, 1] == h - 1).sum() >= 2
        cut += on_edge
        assert _iou(q, s.masks[0]) > 0.95
    assert cut >= 2


def test_lowres_documents_are_narrow_and_saved_at_low_quality():
    lo, hi = 300, 420
    opts = SceneOptions(size=1200, lowres_width=(lo, hi), lowres_quality=(35, 45))
    for index in range(5):
        s = make_scene(41, index, DOCS["lowres"], opts, kind="lowres")
        assert s.documents and 35 <= s.jpeg_quality <= 45
        for d in s.documents:
            q = np.asarray(d["location"], float)
            width = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
            assert width <= hi * 1.12, (index, d["type"], width)


def test_desks_lay_documents_partly_on_others():
    opts = SceneOptions(size=800, desk_overlap=1.0)
    overlapping = 0
    for index in range(4):
        s = make_scene(5, index, DOCS["desk"], opts, kind="desk", masks=True)
        quads = [np.asarray(d["location"], np.float32) for d in s.documents]
        shares = [overlap_share(a, b) for i, a in enumerate(quads) for b in quads[i + 1:]]
        overlapping += any(0.05 < x < 0.5 for x in shares)
        for k, m in enumerate(s.masks):  # every document stays mostly visible
            hidden = np.zeros_like(m, bool)
            for later in s.masks[k + 1:]:
                hidden |= later > 127
            assert ((m > 127) & ~hidden).sum() >= 0.5 * (m > 127).sum()
    assert overlapping >= 3


def test_textured_scenes_use_textured_backgrounds_and_usually_a_card():
    import random

    docs = [docs_for_kind("textured", ["vat_invoice", "toll_invoice", "mvs_invoice", "quota_invoice"], None,
                          random.Random(i)) for i in range(40)]
    assert all(len(d) <= 3 for d in docs)
    assert sum(any(t in {c.value for c in CARD_TYPES} for t in d) for d in docs) >= 20
    plain = make_scene(3, 0, ["bankcard"], SceneOptions(size=640, background="dark", noise=0, blur=0, lighting=0))
    tex = make_scene(3, 0, ["bankcard"], SceneOptions(size=640, noise=0, blur=0, lighting=0), kind="textured")

    def texture(img):  # mean local contrast outside the documents is higher on textured ground
        grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
        return float(np.abs(cv2.Laplacian(grey, cv2.CV_32F)).mean())

    assert texture(tex.image) > texture(plain.image)


def test_docs_for_kind_fits_the_plan():
    import random

    rng = random.Random(1)
    assert docs_for_kind("fullframe", ["passport", "bankcard"], None, rng) == ["passport"]
    assert docs_for_kind("packed", [], None, rng) == []  # negatives stay negative
    desk = docs_for_kind("desk", ["vat_invoice"], None, rng)
    assert 3 <= len(desk) <= 5 and set(desk) & {c.value for c in CARD_TYPES}
    with pytest.raises(ValueError, match="packed"):
        docs_for_kind("packed", ["passport"], ["passport", "bankcard"], rng)


@pytest.mark.parametrize("value,expected", [("packed", (("packed", 1.0),)),
                                            ("photo:3, desk", (("photo", 3.0), ("desk", 1.0))),
                                            ({"lowres": 2}, (("lowres", 2.0),)),
                                            (["textured", ("fullframe", 0.5)], (("textured", 1.0), ("fullframe", 0.5)))])
def test_scene_kinds_are_parsed(value, expected):
    assert parse_scene_kinds(value) == expected
    assert SceneOptions(scene_kinds=value).scene_kinds == expected


@pytest.mark.parametrize("value,match", [("beach", "unknown scene kind"), ("packed:0", "positive"),
                                         ("packed:x", "numeric"), ("", "unknown scene kind")])
def test_bad_scene_kinds_are_named(value, match):
    with pytest.raises(ValueError, match=match):
        SceneOptions(scene_kinds=value)


def test_presets():
    assert SceneOptions.preset("default") == SceneOptions()
    mix = dict(SceneOptions.preset("realistic").scene_kinds)
    assert set(mix) == set(KINDS)
    with pytest.raises(ValueError, match="preset"):
        SceneOptions.preset("cinematic")
    with pytest.raises(ValueError, match="preset"):
        generate(1, seed=1, preset="cinematic")


def test_cli_scene_kinds_and_preset(tmp_path, capsys):
    assert main(["--n", "2", "--seed", "3", "--out", str(tmp_path / "a"), "--size", "640", "--scene-kinds", "fullframe",
                 "--negatives", "0"]) == 0
    truth = read_labels(tmp_path / "a" / "labels.jsonl")
    assert truth.groupby("image").size().max() == 1
    assert main(["--n", "2", "--seed", "3", "--out", str(tmp_path / "b"), "--size", "640", "--preset", "realistic"]) == 0
    assert '"images": 2' in capsys.readouterr().out
