"""The committed sample and the contact sheet."""

import os

import pytest

from ocrframe.datasets import load_sample
from ocrframe.datasets.sample import sample_dir
from ocrframe.datasets.synth.render import render_document
from ocrframe.datasets.synth.values import make_values
from ocrframe.types import ORIGINAL_TYPES, DocType


def test_sample_covers_every_type_twice_with_multi_document_and_negative_images():
    images, truth = load_sample(generate_if_missing=False)
    assert 30 <= len(images) <= 60
    assert all(os.path.isfile(p) for p in images["path"])
    counts = truth["type"].astype(object).value_counts()
    for t in ORIGINAL_TYPES:
        assert counts.get(t.value, 0) >= 2, t.value
    per_image = truth.dropna(subset=["doc"]).groupby("image").size()
    assert (per_image >= 2).sum() >= 5
    assert truth["doc"].isna().sum() >= 1  # negatives keep one row
    size = sum(os.path.getsize(p) for p in images["path"])
    assert size < 8 * 2 ** 20, f"sample images take {size / 2 ** 20:.1f} MB"
    folder = sample_dir(generate_if_missing=False)
    assert (folder / "contact_sheet.jpg").is_file() and (folder / "README.md").is_file()


@pytest.mark.parametrize("t", list(DocType), ids=lambda t: t.value)
def test_every_type_renders(t):
    import random

    img, mask = render_document(t, make_values(t, random.Random(0)), random.Random(0))
    assert img.ndim == 3 and img.shape[2] == 3 and min(img.shape[:2]) >= 300
    assert mask is None or mask.shape == img.shape[:2]
    assert img.std() > 10  # not blank


def test_contact_sheet(tmp_path):
    from ocrframe.datasets.synth import generate
    from ocrframe.datasets.synth.sheet import contact_sheet

    generate(3, seed=2, out_dir=tmp_path, size=640)
    out = contact_sheet(tmp_path / "labels.jsonl", tmp_path / "sheet.jpg", thumb=200)
    assert os.path.getsize(out) > 1000


@pytest.mark.parametrize("t", list(DocType), ids=lambda t: t.value)
def test_templates_hold_no_values(t):
    """A document renders the same whether its style's template was built for it or for another."""
    import random

    import numpy as np

    from ocrframe.datasets.synth import render as render_mod

    def draw(seed):
        return render_document(t, make_values(t, random.Random(seed)), random.Random(1))[0]

    render_mod._TEMPLATES.clear()
    fresh = draw(5)
    render_mod._TEMPLATES.clear()
    for other in range(6, 12):  # build the templates from other documents first
        draw(other)
    assert np.array_equal(draw(5), fresh)


@pytest.mark.parametrize("t", list(DocType), ids=lambda t: t.value)
def test_every_labelled_value_is_printed(t):
    """Each core value (and each list row's value) is drawn on the document, verbatim."""
    import random

    from ocrframe.datasets.synth.render import render_with_text
    from ocrframe.datasets.synth.values import public_content
    from ocrframe.types import schema

    sch = schema(t)
    for seed in range(8):
        values = make_values(t, random.Random(seed))
        _, _, drawn = render_with_text(t, values, random.Random(seed))
        printed = "".join(drawn).replace(" ", "")
        content = public_content(values)
        expected = [content[f] for f in sch.field_names]
        for lst in sch.lists:
            expected += [row[f] for row in content[lst.name] for f in lst.field_names]
        for value in expected:
            if value:
                assert value.replace(" ", "") in printed, (t.value, value, drawn)
