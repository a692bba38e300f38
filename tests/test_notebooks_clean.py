"""The notebooks are committed without outputs, and figures keep showing in a notebook.

The notebooks themselves run with ``python -m pytest -q --nbmake notebooks/``.
"""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run `python notebooks/strip.py`"


def test_cjk_rc_keeps_interactive_mode_switched_on_inside():
    # in a notebook the inline backend is loaded (and interactive mode switched on) at the
    # first figure, which may be created inside cjk_rc(): leaving it must not switch it off
    mpl = pytest.importorskip("matplotlib")
    from ocrframe.viz import cjk_rc

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with cjk_rc():
            mpl.interactive(True)
        assert mpl.is_interactive()
        with cjk_rc():
            pass
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)


def test_thumbnails_and_evaluation_html(tmp_path):
    pytest.importorskip("matplotlib")
    import ocrframe

    images, truth = ocrframe.load_sample()
    one = truth[truth["image"] == truth["image"].iloc[0]]
    html = one.ocr.thumbnails()._repr_html_()
    assert html.count("<figure") == len(one) and "data:image/jpeg;base64," in html
    ev = ocrframe.evaluate(one, one, on="path")
    h = ev._repr_html_()
    assert "Detection" in h and "Per type" in h and "<table" in h
