"""Feedback: a progress bar for slow runs of any size, clear errors on the wrong frame,
missing image files named, upright crops."""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import ocrframe  # noqa: E402
from ocrframe import batch  # noqa: E402
from ocrframe.evaluate._testing import docs  # noqa: E402
from ocrframe.frames import NotADocumentsFrameError  # noqa: E402
from ocrframe.geometry import rectify  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class Slow:
    """A backend that takes its time over every image (one image: no completion to draw on)."""

    parallelism = "thread"
    default_workers = 1
    identity = "slow:test"

    def __init__(self, seconds: float):
        self.seconds = seconds

    def recognize(self, image, options):
        time.sleep(self.seconds)
        return {"result": []}


def test_a_single_slow_image_gets_a_progress_bar(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "PROGRESS_DELAY", 0.2)
    monkeypatch.setattr(batch, "PROGRESS_TICK", 0.1)
    monkeypatch.setattr(batch, "PROGRESS_TICK_LOG", 0.1)  # pytest's stderr is no terminal
    (tmp_path / "a.jpg").write_bytes(b"x")
    answers, _ = batch.run_backend([str(tmp_path / "a.jpg")], Slow(1.0))
    err = capsys.readouterr().err
    assert len(answers) == 1
    assert "0/1" in err and "1/1" in err  # drawn while the image was in flight, and at the end


def test_a_quick_run_stays_quiet_and_progress_false_is_silent(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.jpg").write_bytes(b"x")
    batch.run_backend([str(tmp_path / "a.jpg")] * 3, Slow(0.0))
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(batch, "PROGRESS_DELAY", 0.0)
    batch.run_backend([str(tmp_path / "a.jpg")], Slow(0.3), progress=False)
    assert capsys.readouterr().err == ""


@pytest.fixture
def images_frame():
    return pd.DataFrame({"path": ["a.jpg", "b.jpg"]})


@pytest.mark.parametrize("call", [
    "fields()", "plot()", "thumbnails()", "polygons()", "area()", "overlaps()", "to_geodataframe()",
    "iou(other)",
])
def test_every_documents_method_says_what_frame_it_needs(images_frame, call):
    other = docs({"a.jpg": [("bankcard", (0, 0, 9, 9))]})
    name = call.split("(")[0]
    with pytest.raises(NotADocumentsFrameError) as exc:
        eval(f"frame.ocr.{call}", {"frame": images_frame, "other": other})
    msg = str(exc.value)
    assert f"docs.ocr.{name}(" in msg and "needs a documents frame" in msg
    assert "classify(col='path')" in msg  # what to do about it
    assert isinstance(exc.value, ValueError)


def test_a_fields_frame_is_recognised_as_one():
    fields = docs({"a.jpg": [("bankcard", (0, 0, 9, 9), {"card_number": "1"})]}).ocr.fields()
    with pytest.raises(NotADocumentsFrameError, match="looks like a fields frame"):
        fields.ocr.plot()


def test_missing_image_files_are_named_when_drawing(tmp_path):
    d = docs({str(tmp_path / "gone.jpg"): [("bankcard", (0, 0, 90, 50))],
              str(tmp_path / "lost.jpg"): [("passport", (0, 0, 90, 50))]})
    with pytest.warns(UserWarning, match=r"2 image file\(s\) not found or unreadable, drawn as grey placeholders: "
                                         r"'.*gone.jpg', '.*lost.jpg'"):
        disp = d.ocr.plot()
    plt.close(disp.figure_)
    with pytest.warns(UserWarning, match="shown as empty cards"):
        d.ocr.thumbnails()


def _document_image(turn: int) -> tuple[np.ndarray, list]:
    """A 200x120 document (red top half, blue bottom half) turned ``turn`` quarter turns
    clockwise, and its quad listing the document's own corners from its top-left."""
    doc = np.zeros((120, 200, 3), np.uint8)
    doc[:60] = (255, 0, 0)
    doc[60:] = (0, 0, 255)
    corners = np.array([[0, 0], [200, 0], [200, 120], [0, 120]], float)
    img = doc
    for _ in range(turn):
        h = img.shape[0]
        img = np.rot90(img, k=-1).copy()  # clockwise: (x, y) -> (h - y, x)
        corners = np.column_stack([h - corners[:, 1], corners[:, 0]])
    return img, corners.tolist()


@pytest.mark.parametrize("turn", [0, 1, 2, 3])
def test_crops_come_out_upright_whatever_way_the_document_lies(turn):
    img, quad = _document_image(turn)
    crop = rectify(img, quad, keep_order=True)
    assert crop.shape[:2] == (120, 200)
    top, bottom = crop[10:50].reshape(-1, 3).mean(0), crop[70:110].reshape(-1, 3).mean(0)
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]


def test_error_gallery_crops_are_upright(tmp_path):
    from PIL import Image

    from ocrframe.evaluate.plots import ErrorGalleryDisplay

    img, quad = _document_image(2)  # upside down
    Image.fromarray(img).save(tmp_path / "u.png")
    truth = docs({str(tmp_path / "u.png"): [("bankcard", quad, {"card_number": "1"})]}, labels=True)
    pred = docs({str(tmp_path / "u.png"): [("bankcard", quad, {"card_number": "7",
                                                                "confidence": {"card_number": 0.9}})]})
    disp = ErrorGalleryDisplay.from_evaluation(ocrframe.evaluate(pred, truth), n=1)
    crop = disp.axes_[0, 0].images[0].get_array()
    assert crop[10:50].mean(axis=(0, 1))[0] > 200  # red on top
    plt.close(disp.figure_)


def test_notebook_extra_brings_ipywidgets_and_notebooks_filter_no_warnings():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(re.match(r"ipywidgets\b", r) for r in meta["notebook"])
    assert "notebook" in meta["all"][0]
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert "filterwarnings" not in nb.read_text(encoding="utf-8"), nb.name
