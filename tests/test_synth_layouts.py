"""Layout variants: every variant renders and prints its truth; the held-out split; print faults."""

import json
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocrframe.cli import main as cli_main
from ocrframe.datasets import read_labels, write_labels
from ocrframe.datasets.labels import LabelsError
from ocrframe.datasets.synth import generate
from ocrframe.datasets.synth.catalog import layout_named, split_types, variants
from ocrframe.datasets.synth.printing import Printer, PrintJob, apply, plan
from ocrframe.datasets.synth.render import draw_document, render_with_text
from ocrframe.datasets.synth.values import make_values, public_content
from ocrframe.types import DocType, schema

#: the types drawn in several real-world layouts (issue 14)
VARIED = (DocType.TAXI_INVOICE, DocType.QUOTA_INVOICE, DocType.TOLL_INVOICE, DocType.VAT_INVOICE,
          DocType.FLIGHT_ITINERARY)
ALL_VARIANTS = [v for t in split_types() for v in variants(t)]


def _printed_values(content: dict) -> list[str]:
    out = []
    for value in content.values():
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [x for row in value for x in row.values() if isinstance(x, str)]
    return [x for x in out if x]


@pytest.mark.parametrize("layout", ALL_VARIANTS, ids=lambda v: v.key)
def test_every_variant_renders_and_prints_its_truth(layout):
    """Every labelled value is drawn verbatim; fields the variant does not print are absent from
    its truth, every other core field is there."""
    t = layout.doc_type
    sch = schema(t)
    for seed in range(4):
        rng = random.Random(seed)
        values = layout.values(make_values(t, rng), rng)
        img, mask, drawn = render_with_text(t, values, rng, layout=layout, print_defects=3.0)
        assert img.ndim == 3 and img.shape[2] == 3 and min(img.shape[:2]) >= 250 and img.std() > 10
        assert mask is None or mask.shape == img.shape[:2]
        content = public_content(values)
        assert not layout.absent & set(content), layout.key
        assert set(sch.field_names) - layout.absent <= set(content), layout.key
        # wrapped values are drawn line by line; money is labelled with the contract's ￥
        # whichever yen sign the form prints (the fully digital invoice prints ¥)
        printed = "".join(drawn).replace(" ", "").replace("¥", "￥")
        for value in _printed_values(content):
            assert value.replace(" ", "").replace("¥", "￥") in printed, (layout.key, seed, value)


@pytest.mark.parametrize("t", VARIED, ids=lambda t: t.value)
def test_each_varied_type_has_tune_and_heldout_variants(t):
    tune, held = variants(t, "tune"), variants(t, "heldout")
    assert len(tune) >= 2 and len(held) >= 1 and len(tune) + len(held) >= 3
    assert not {v.key for v in tune} & {v.key for v in held}
    assert {v.key for v in tune} | {v.key for v in held} == {v.key for v in variants(t)}
    assert all(layout_named(v.key) is v for v in variants(t))


def test_types_without_variants_have_one_tune_layout():
    for t in split_types():
        if t not in VARIED:
            assert [v.split for v in variants(t)] == ["tune"], t
    assert set(split_types("heldout")) == set(VARIED)
    with pytest.raises(ValueError, match="layouts must be one of"):
        variants(DocType.TAXI_INVOICE, "test")
    with pytest.raises(ValueError, match="has: classic"):
        layout_named("taxi_invoice/nowhere")


def test_the_truth_of_a_variant_differs_where_its_print_does():
    """The fully digital VAT invoice has no code, the electronic itinerary no serial number but a
    20-digit number, the agent-printed itinerary no space after the money codes."""
    rng = random.Random(3)
    digital = draw_document("vat_invoice", random.Random(1), layouts="tune")
    while not digital.layout.endswith("/digital"):
        digital = draw_document("vat_invoice", rng, layouts="tune")
    assert "code" not in digital.content and "machine_number" not in digital.content
    assert len(digital.content["number"]) == 20 and digital.content["type"].startswith("电子发票")
    flight = layout_named("flight_itinerary/electronic")
    v = flight.values(make_values("flight_itinerary", random.Random(2)), random.Random(2))
    assert "serial_number" not in v and len(v["number"]) == 20 and v["fare"][0].isdigit()
    agent = layout_named("flight_itinerary/agent")
    v = agent.values(make_values("flight_itinerary", random.Random(2)), random.Random(2))
    assert v["fare"].startswith("CNY") and " " not in v["fare"] and v["caac_development_fund"].startswith("CN")


def test_heldout_scenes_are_deterministic_and_only_heldout(tmp_path):
    a = generate(6, seed=31, out_dir=tmp_path / "a", layouts="heldout", size=640, negative_rate=0)
    b = generate(6, seed=31, out_dir=tmp_path / "b", layouts="heldout", size=640, negative_rate=0)
    assert a == b
    for name in sorted(p.name for p in (tmp_path / "a" / "images").iterdir()):
        assert (tmp_path / "a" / "images" / name).read_bytes() == (tmp_path / "b" / "images" / name).read_bytes()
    truth = read_labels(tmp_path / "a" / "labels.jsonl")
    assert set(truth["type"].astype(str)) <= {t.value for t in VARIED}
    assert all(layout_named(k).heldout for k in truth["layout"])
    tune = generate(6, seed=31, layouts="tune", size=640, negative_rate=0, types=[t.value for t in VARIED])
    assert all(not layout_named(d["layout"]).heldout for r in tune for d in r["result"])
    with pytest.raises(ValueError, match="no heldout layout for bankcard"):
        generate(1, seed=1, layouts="heldout", types=["bankcard"])


def test_cli_layouts_flag(tmp_path, capsys):
    out = tmp_path / "s"
    assert cli_main(["synth", "--n", "3", "--seed", "8", "--out", str(out), "--layouts", "heldout", "--size", "640",
                     "--negatives", "0", "--print-defects", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["images"] == 3
    lines = [json.loads(x) for x in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    keys = [d["layout"] for line in lines for d in line["result"]]
    assert keys and all(layout_named(k).heldout for k in keys)
    with pytest.raises(SystemExit):
        cli_main(["synth", "--n", "1", "--out", str(out), "--layouts", "dev"])


def test_labels_keep_the_layout_and_check_it(tmp_path):
    doc = {"type": "quota_invoice", "location": [[0, 0], [9, 0], [9, 5], [0, 5]],
           "content": {"code": "1", "number": "2", "amount": "50元", "location": "广东"}, "layout": "quota_invoice/provincial"}
    plain = dict(doc)
    del plain["layout"]
    path = write_labels([{"image": "a.jpg", "result": [doc, plain]}, {"image": "b.jpg", "result": []}],
                        tmp_path / "l.jsonl")
    truth = read_labels(path, check_images=False)
    assert truth["layout"].tolist() == ["quota_invoice/provincial", None, None]
    again = write_labels(truth, tmp_path / "again.jsonl")
    assert open(again, encoding="utf-8").read() == open(path, encoding="utf-8").read()
    with pytest.raises(LabelsError, match=r"result\[0\]\.layout"):
        write_labels([{"image": "a.jpg", "result": [dict(doc, layout=7)]}], tmp_path / "bad.jsonl")


def _layer_with_box():
    layer = Image.new("RGB", (240, 120), (255, 255, 255))
    ImageDraw.Draw(layer).rectangle((80, 50, 160, 70), fill=(0, 0, 0))
    return layer


def _ink_box(img: Image.Image):
    ys, xs = np.nonzero(np.asarray(img.convert("L")) < 128)
    return xs.min(), ys.min(), xs.max(), ys.max()


def test_misregistration_moves_the_value_layer_and_keeps_it_on_the_paper():
    form = Image.new("RGB", (240, 120), (250, 250, 250))
    moved = apply(form, _layer_with_box(), PrintJob(shift=(30.0, -20.0)))
    assert _ink_box(moved) == (110, 30, 190, 50)
    clamped = apply(form, _layer_with_box(), PrintJob(shift=(500.0, 500.0)))
    x0, y0, x1, y1 = _ink_box(clamped)
    assert x1 < 240 - 5 and y1 < 120 - 5 and x1 - x0 == 80


def test_fading_and_dot_matrix_change_the_print_only():
    form = Image.new("RGB", (240, 120), (250, 250, 250))
    solid = np.asarray(apply(form, _layer_with_box(), PrintJob()))
    faded = np.asarray(apply(form, _layer_with_box(), PrintJob(fade=0.4, seed=1)))
    dots = np.asarray(apply(form, _layer_with_box(), PrintJob(dot_pitch=2.4, seed=1)))
    box = (slice(52, 68), slice(82, 158))
    assert solid[box].mean() < 10 and faded[box].mean() > 100  # low-contrast grey
    assert (dots[box] > 120).mean() > 0.1  # gaps between the dots
    assert (faded[:40] == solid[:40]).all() and (dots[:40] == solid[:40]).all()  # the form is untouched


def test_print_plan_follows_the_rates_and_the_scale():
    never = Printer()
    rng = random.Random(0)
    assert plan(never, rng) is None and rng.random() == random.Random(0).random()  # no draw taken
    always = Printer(line_h=40, misregister_rate=1.0, misregister=0.5)
    jobs = [plan(always, random.Random(s)) for s in range(20)]
    assert all(j.misregistered and 4 <= abs(j.shift[1]) <= 20 for j in jobs)  # 0.2-1 x half a line
    assert plan(always, random.Random(0), scale=0) is None
    assert plan(Printer(fade_rate=0.1), random.Random(0), scale=10).faded
    with pytest.raises(ValueError, match="fade_rate"):
        Printer(fade_rate=1.5)


def test_same_seed_same_document_with_print_faults():
    for key in ("toll_invoice/dotmatrix", "taxi_invoice/shanghai", "vat_invoice/legacy"):
        layout = layout_named(key)
        a = draw_document(layout.doc_type, random.Random(5), print_defects=5.0)
        b = draw_document(layout.doc_type, random.Random(5), print_defects=5.0)
        assert a.layout == b.layout and a.content == b.content and np.array_equal(a.image, b.image)


@pytest.mark.parametrize("layout", [v for v in ALL_VARIANTS if v.doc_type in VARIED], ids=lambda v: v.key)
def test_variant_templates_hold_no_values(layout):
    """A document renders the same whether its style's template was built for it or for another."""
    from ocrframe.datasets.synth import render as render_mod

    t = layout.doc_type

    def draw(seed):
        rng = random.Random(seed)
        values = layout.values(make_values(t, rng), rng)
        return render_with_text(t, values, random.Random(1), layout=layout)[0]

    render_mod._TEMPLATES.clear()
    fresh = draw(5)
    render_mod._TEMPLATES.clear()
    for other in range(6, 10):
        draw(other)
    assert np.array_equal(draw(5), fresh)
