"""The OCR runtime layer: runtime choice and fallback, precisions, the stage clock,
reduced JPEG decoding. No timing assertions: speed is measured by benchmarks/engine_speed.py."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.backends.base import ImageInput, RequestOptions  # noqa: E402
from ocrframe.backends.local import LocalEngine  # noqa: E402
from ocrframe.datasets.synth.fonts import font  # noqa: E402
from ocrframe.engine import ocr  # noqa: E402
from ocrframe.engine.decode import decode_image_reduced, jpeg_reduction  # noqa: E402
from ocrframe.engine.locate import Region  # noqa: E402
from ocrframe.engine.pipeline import _known_readings  # noqa: E402
from ocrframe.engine.rectify import upright_crop  # noqa: E402
from ocrframe.engine.stages import recording, stage, wrap  # noqa: E402
from ocrframe.errors import ApiError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LINES = ["发票代码 144031900110", "金额 ¥1,234.50", "北京市朝阳区建国路88号"]


@pytest.fixture(scope="module")
def text_image() -> np.ndarray:
    """Three printed lines, black on white, RGB."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (720, 260), "white")
    d = ImageDraw.Draw(im)
    for i, t in enumerate(LINES):
        d.text((30, 30 + 75 * i), t, fill="black", font=font("sans", 40))
    return np.asarray(im)


def _texts(img, cfg: ocr.OcrConfig) -> list[str]:
    old = ocr.current_config()
    ocr.configure(**{f: getattr(cfg, f) for f in ocr.OcrConfig.__dataclass_fields__})
    try:
        return [ln.text.replace(" ", "") for ln in ocr.run_ocr(img)]
    finally:
        ocr.configure(**{f: getattr(old, f) for f in ocr.OcrConfig.__dataclass_fields__})


def _norm(s: str) -> str:
    return s.replace(" ", "").replace("￥", "¥")


# ------------------------------------------------------------------ runtime choice
def test_runtime_names_and_default():
    assert ocr.Runtime.ONNXRUNTIME in ocr.available_runtimes()
    assert ocr.resolve_runtime("onnxruntime") is ocr.Runtime.ONNXRUNTIME
    assert ocr.resolve_runtime(None) is ocr.Runtime.ONNXRUNTIME
    with pytest.raises(ValueError):
        ocr.resolve_runtime("tensorflow")


def test_default_runtime_comes_with_the_engine_extra():
    """The default runtime is installed by the engine extra (what the quick start installs);
    OpenVINO is an extra of its own, in ``all``."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert ocr.resolve_runtime(None) is ocr.Runtime.ONNXRUNTIME
    assert any(r.startswith("onnxruntime") for r in extras["engine"])
    assert any(r.startswith("openvino") for r in extras["openvino"]) and "openvino" in extras["all"][0]
    assert ocr.OcrConfig().det_policy == "rapidocr"  # adaptive detection cost card field accuracy


def test_local_engine_options_are_checked_and_pickled():
    with pytest.raises(ValueError, match="runtime"):
        LocalEngine(runtime="tpu")
    with pytest.raises(ValueError, match="precision"):
        LocalEngine(precision="int4")
    with pytest.raises(ValueError, match="threads"):
        LocalEngine(threads=0)
    eng = pickle.loads(pickle.dumps(LocalEngine(runtime="onnxruntime", precision="int8", threads=1)))
    assert (eng.runtime, eng.precision, eng.threads) == ("onnxruntime", "int8", 1)
    assert "int8" in eng.identity and "int8" not in LocalEngine(precision="fp32").identity


def test_onnxruntime_reads_the_lines(text_image):
    got = _texts(text_image, ocr.OcrConfig(runtime="onnxruntime"))
    assert [_norm(t) for t in got] == [_norm(t) for t in LINES]


def test_cuda_without_gpu_falls_back_to_cpu(text_image):
    if ocr._cuda_usable():
        pytest.skip("a CUDA GPU is present: nothing falls back")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eng = ocr._Ocr(ocr.OcrConfig(runtime="cuda", threads=1))
    assert eng.runtime is ocr.Runtime.ONNXRUNTIME
    assert any("no CUDA GPU" in str(w.message) for w in caught)
    assert eng.det.session.get_providers() == ["CPUExecutionProvider"]
    got = _texts(text_image, ocr.OcrConfig(runtime="cuda", threads=1))
    assert [_norm(t) for t in got] == [_norm(t) for t in LINES]


def test_openvino_matches_onnxruntime(text_image):
    pytest.importorskip("openvino")
    ort_eng = ocr.get_ocr(ocr.OcrConfig(runtime="onnxruntime"))
    ov_eng = ocr.get_ocr(ocr.OcrConfig(runtime="openvino", precision="fp32"))
    assert ov_eng.runtime is ocr.Runtime.OPENVINO
    blob = cv2.dnn.blobFromImage(cv2.resize(text_image, (736, 256)), 1 / 127.5, mean=(127.5,) * 3)
    np.testing.assert_allclose(ov_eng.det(blob), ort_eng.det(blob), atol=1e-3)
    fp32 = ocr.OcrConfig(runtime="openvino", precision="fp32")
    assert _texts(text_image, fp32) == _texts(text_image, ocr.OcrConfig(runtime="onnxruntime"))


def test_openvino_runs_offline():
    pytest.importorskip("openvino")
    code = textwrap.dedent("""
        import socket
        def deny(*a, **k): raise RuntimeError("network access attempted")
        socket.socket.connect = deny; socket.create_connection = deny; socket.getaddrinfo = deny
        import numpy as np
        from ocrframe.engine import ocr
        ocr.configure(runtime="openvino")
        assert ocr.get_ocr().runtime is ocr.Runtime.OPENVINO
        assert ocr.run_ocr(np.full((64, 64, 3), 255, np.uint8)) == []
        print("offline ok")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-2000:]
    assert "offline ok" in r.stdout


# ------------------------------------------------------------------ precisions
def test_int8_models_when_made_are_small_and_read_like_fp32(text_image):
    """int8 models are not shipped (they cost accuracy); once made by
    benchmarks/quantize_models.py they must be small and read these lines alike."""
    if not all((ocr.INT8_DIR / n).is_file() for n in ocr._INT8_FILES.values()):
        with pytest.raises(FileNotFoundError, match="quantize_models"):
            ocr.model_files("int8")
        pytest.skip("int8 models not made here (benchmarks/quantize_models.py)")
    files = ocr.model_files("int8")
    fp32 = ocr.model_files("fp32")
    for role in ("det", "rec"):
        assert files[role].parent == ocr.INT8_DIR
        assert files[role].stat().st_size < 0.5 * fp32[role].stat().st_size
    assert files["cls"] == fp32["cls"]
    got = _texts(text_image, ocr.OcrConfig(runtime="onnxruntime", precision="int8"))
    assert [_norm(t) for t in got] == [_norm(t) for t in LINES]


def test_bf16_reads_like_fp32(text_image):
    pytest.importorskip("openvino")
    got = _texts(text_image, ocr.OcrConfig(runtime="openvino", precision="bf16"))
    assert [_norm(t) for t in got] == [_norm(t) for t in LINES]
    assert ocr.resolve_precision(None, ocr.Runtime.OPENVINO) is ocr.Precision.FP32  # bf16 is opt-in
    assert ocr.resolve_precision(None, ocr.Runtime.ONNXRUNTIME) is ocr.Precision.FP32


# ------------------------------------------------------------------ work avoided
def test_adaptive_detection_keeps_the_probe_only_for_large_text(text_image):
    eng = ocr.get_ocr(ocr.OcrConfig(runtime="onnxruntime"))
    six = np.vstack([text_image, text_image])  # 6 lines: enough for the probe to judge
    big = cv2.resize(six, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)  # 2160 px, text ~120 px
    boxes, scale = ocr.detect_adaptive(eng, big)
    assert scale == pytest.approx(ocr.PROBE_SIDE / max(big.shape[:2]))
    assert len(boxes) == 2 * len(LINES)
    page = np.full((1800, 2400, 3), 255, np.uint8)  # large image, text too small for the probe
    half = cv2.resize(text_image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    page[100:100 + half.shape[0], 100:100 + half.shape[1]] = half
    _, scale = ocr.detect_adaptive(eng, page)
    assert scale == pytest.approx(ocr.rapidocr_scale(1800, 2400))
    _, scale = ocr.detect_adaptive(eng, text_image)  # small image: RapidOCR's scale at once
    assert scale == pytest.approx(ocr.rapidocr_scale(*text_image.shape[:2]))


def test_recognition_batches_by_width_cover_every_line():
    ratios = np.array([1.0, 9.0, 2.0, 30.0, 6.0, 6.5, 3.0])
    order = np.argsort(ratios, kind="stable")
    for width in (None, 400, 2000):
        batches = list(ocr._batches(ratios[order], order, width, 320 / 48))
        assert sorted(np.concatenate(batches).tolist()) == list(range(len(ratios)))
        if width:
            for b in batches:  # a batch over budget is a single wide line
                assert len(b) == 1 or max(320 / 48, ratios[b].max()) * 48 * len(b) <= width


def test_upright_reread_needs_no_classifier(text_image):
    with recording() as clock:
        ocr.run_ocr(text_image, use_cls=False)
    assert "classifier" not in clock.seconds and clock.calls["recognition"] == 1


# ------------------------------------------------------------------ decoding
def _jpeg(arr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", arr, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return buf.tobytes()


def test_reduced_jpeg_decoding():
    assert jpeg_reduction(4000, 3000, 2000) == 2 and jpeg_reduction(3999, 100, 2000) == 1
    img, f = decode_image_reduced(_jpeg(np.zeros((1000, 4100, 3), np.uint8)), keep_side=2000)
    assert img.shape == (500, 2050, 3) and f == 2.0
    img, f = decode_image_reduced(_jpeg(np.zeros((1000, 3900, 3), np.uint8)), keep_side=2000)
    assert img.shape == (1000, 3900, 3) and f == 1.0
    ok, png = cv2.imencode(".png", np.zeros((100, 4100, 3), np.uint8))
    img, f = decode_image_reduced(png.tobytes(), keep_side=2000)
    assert img.shape == (100, 4100, 3) and f == 1.0
    with pytest.raises(ApiError) as ei:  # the size limit holds on the full size
        decode_image_reduced(_jpeg(np.zeros((20, 8200, 3), np.uint8)), keep_side=2000)
    assert ei.value.code == "AIS.0103"


def test_engine_reports_quads_in_full_size_pixels(monkeypatch):
    """A large JPEG is read at half size; the quads come back in the file's own pixels."""
    from ocrframe.engine import pipeline

    seen = {}

    def fake(img, **kw):
        seen["shape"] = img.shape
        return {"result": [{"location": [[10, 20], [110, 20], [110, 60], [10, 60]]}]}

    monkeypatch.setattr(pipeline, "recognize_array", fake)
    data = _jpeg(np.zeros((1200, 4400, 3), np.uint8))
    out = LocalEngine(runtime="onnxruntime").recognize(ImageInput("big.jpg", data=data), RequestOptions())
    assert seen["shape"] == (600, 2200, 3)
    assert out["result"][0]["location"] == [[20, 40], [220, 40], [220, 120], [20, 120]]


# ------------------------------------------------------------------ stage clock
def test_stage_clock_charges_the_innermost_stage_and_absorbs_rereads():
    with recording() as clock:
        with stage("extraction"):
            time.sleep(0.002)
            with stage("rereads", absorb=True):
                with stage("recognition"):
                    time.sleep(0.002)
    assert set(clock.seconds) == {"extraction", "rereads"}
    assert clock.calls == {"extraction": 1, "rereads": 1}
    with stage("detection"):  # not recording: nothing is kept
        pass
    assert "detection" not in clock.seconds


def test_wrap_times_a_module_function_and_undoes():
    import types

    mod = types.SimpleNamespace(f=lambda x: x + 1)
    undo = wrap(mod, "f", "localisation")
    with recording() as clock:
        assert mod.f(1) == 2
    assert clock.calls == {"localisation": 1}
    undo()
    assert wrap(mod, "missing", "x") is None


# ------------------------------------------------------------------ known readings (issue 18)
@pytest.fixture
def counted(monkeypatch):
    """The number of crops the recogniser is handed, per call."""
    eng = ocr.get_ocr()
    calls: list[int] = []
    real = eng.recognize

    def recognize(crops, cfg):
        calls.append(len(crops))
        return real(crops, cfg)

    monkeypatch.setattr(eng, "recognize", recognize)
    return calls


def test_known_readings_are_kept_and_not_recognised(text_image, counted):
    plain = ocr.run_ocr(text_image, use_cls=False)
    assert len(plain) == len(LINES) and sum(counted) == len(LINES)
    first = plain[0].quad
    counted.clear()

    def known(box):
        return ("已读", 0.97) if np.abs(box - first).max() < 1.0 else None

    again = ocr.run_ocr(text_image, use_cls=False, known=known)
    assert sum(counted) == len(LINES) - 1  # the known line is not recognised again
    assert (again[0].text, again[0].score) == ("已读", 0.97)
    assert [ln.text for ln in again[1:]] == [ln.text for ln in plain[1:]]


def test_every_box_known_needs_no_recogniser(text_image, counted):
    out = ocr.run_ocr(text_image, use_cls=False, known=lambda box: ("x", 0.9))
    assert counted == [] and [ln.text for ln in out] == ["x"] * len(LINES)


def test_only_lines_read_upright_are_reused(text_image):
    """A first reading that ran against the document (the angle classifier flipped it)
    is recognised again; one read along it, on the same box, is kept."""
    lines = ocr.run_ocr(text_image, use_cls=False)
    region = Region(np.array([[0.0, 0.0], [720.0, 0.0], [720.0, 260.0], [0.0, 260.0]]), lines)
    region.lines[1] = ocr.TextLine(np.roll(lines[1].quad, 2, axis=0), "反读", 0.9, -lines[1].direction)
    crop = upright_crop(text_image, region)
    known = _known_readings(crop, region)
    boxes = [crop.to_crop(ln.quad) for ln in lines]
    assert known(boxes[0]) == (lines[0].text, lines[0].score)
    assert known(np.roll(boxes[1], 2, axis=0)) is None  # read against the document
    assert known(boxes[2] + 3 * lines[2].height) is None  # no line there
