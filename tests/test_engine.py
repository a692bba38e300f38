"""LocalEngine: request validation (every request-level code), contract shape, real recognition."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.backends.base import ImageInput, RequestOptions  # noqa: E402
from ocrframe.backends.local import LocalEngine  # noqa: E402
from ocrframe.errors import ApiError  # noqa: E402
from ocrframe.testing.scenes import make_scene  # noqa: E402
from ocrframe.types import DocType, Status, schema  # noqa: E402


def _png(arr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(arr, cv2.COLOR_RGB2BGR))
    assert ok
    return buf.tobytes()


def _jpeg(arr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(arr, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    return buf.tobytes()


def _iou(a, b) -> float:
    a, b = np.float32(a), np.float32(b)
    inter, _ = cv2.intersectConvexConvex(a, b)
    ua = abs(cv2.contourArea(a)) + abs(cv2.contourArea(b)) - inter
    return float(inter / ua) if ua > 0 else 0.0


def _call(data: bytes, **opts) -> dict:
    return LocalEngine().recognize(ImageInput("t", data=data), RequestOptions(**opts))


def _code(data: bytes, **opts) -> str:
    with pytest.raises(ApiError) as ei:
        _call(data, **opts)
    return ei.value.code


@pytest.fixture(scope="module")
def id_scene():
    img, truth = make_scene(101, kinds=["id_card_portrait_side"], max_angle=8)
    return img, truth


# ------------------------------------------------------------------ request-level errors

def test_empty_image_is_invalid_parameter():
    assert _code(b"") == Status.INVALID_PARAMETER.code


def test_bad_url_is_invalid_parameter():
    with pytest.raises(ApiError) as ei:
        LocalEngine().recognize(ImageInput("u", url="ftp://example.invalid/x.png"), RequestOptions())
    assert ei.value.code == Status.INVALID_PARAMETER.code
    assert "http" in ei.value.message


@pytest.mark.parametrize("data", [b"GIF89a" + b"\0" * 100, b"RIFF\0\0\0\0WEBPVP8 ", b"just some text"])
def test_unsupported_format(data):
    assert _code(data) == Status.UNSUPPORTED_FORMAT.code


def test_corrupt_image_is_unsupported_format():
    data = _jpeg(np.zeros((50, 50, 3), np.uint8))[:40]
    with pytest.raises(ApiError) as ei:
        _call(data)
    assert ei.value.code == Status.UNSUPPORTED_FORMAT.code
    assert "corrupt" in ei.value.message


@pytest.mark.parametrize("shape", [(10, 200), (200, 14), (20, 8001)])
def test_size_out_of_range(shape):
    assert _code(_png(np.full(shape + (3,), 200, np.uint8))) == Status.IMAGE_SIZE.code


def test_base64_over_10mb():
    data = b"\x89PNG\r\n\x1a\n" + bytes(7_900_000)  # base64 ~ 10.04 MiB
    with pytest.raises(ApiError) as ei:
        _call(data)
    assert ei.value.code == Status.IMAGE_SIZE.code and "10 MB" in ei.value.message


def test_limits_are_inclusive():
    assert _call(_png(np.full((15, 15, 3), 255, np.uint8))) == {"result": []}


@pytest.mark.parametrize("kind", ["grey", "grey16", "bgra", "bgra16"])
def test_png_of_any_depth_and_transparency_decodes_to_rgb_on_white(kind):
    """Exported documents come as grey, 16-bit or transparent PNGs; a transparent
    background is paper (white), not the black its pixels store."""
    from ocrframe.engine.decode import decode_image

    ink = np.zeros((40, 60), np.uint8)
    ink[10:30, 10:50] = 1
    if kind.startswith("grey"):
        arr = np.where(ink, 0, 230).astype(np.uint8)
    else:
        arr = np.zeros((40, 60, 4), np.uint8)
        arr[..., 3] = ink * 255  # black where there is ink, transparent elsewhere
    if kind.endswith("16"):
        arr = arr.astype(np.uint16) * 257
    ok, buf = cv2.imencode(".png", arr)
    img = decode_image(buf.tobytes())
    assert img.shape == (40, 60, 3) and img.dtype == np.uint8
    assert img[20, 30].tolist() == [0, 0, 0] and min(img[2, 2]) >= 230


def _pdf(pages: int) -> bytes:
    from PIL import Image

    ims = [Image.new("RGB", (400, 300), "white") for _ in range(pages)]
    buf = io.BytesIO()
    ims[0].save(buf, format="PDF", save_all=True, append_images=ims[1:])
    return buf.getvalue()


def test_pdf_page_out_of_range_is_invalid_parameter():
    with pytest.raises(ApiError) as ei:
        _call(_pdf(2), pdf_page_number=3)
    assert ei.value.code == Status.INVALID_PARAMETER.code and "2 page" in ei.value.message


def test_pdf_page_renders():
    assert _call(_pdf(2), pdf_page_number=2) == {"result": []}


def test_engine_failure_is_recognition_failed(monkeypatch):
    import ocrframe.engine.pipeline as pl

    def boom(*a, **k):
        raise RuntimeError("simulated")

    monkeypatch.setattr(pl, "run_ocr", boom)
    with pytest.raises(ApiError) as ei:
        _call(_png(np.full((100, 100, 3), 255, np.uint8)))
    assert ei.value.code == Status.RECOGNITION_FAILED.code and "simulated" in ei.value.message


def test_error_body_shape():
    with pytest.raises(ApiError) as ei:
        _call(b"hello")
    assert set(ei.value.to_body()) == {"error_code", "error_msg"}


# ------------------------------------------------------------------ backend object

def test_pickles_without_models():
    e = LocalEngine(threads=1)
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.threads == 1 and LocalEngine.parallelism == "process"
    assert "PP-OCRv6" in e2.identity


def test_bundled_models_exist():
    from ocrframe.engine.ocr import model_files

    files = model_files()
    assert set(files) == {"det", "cls", "rec"} and all(p.is_file() for p in files.values())
    assert all("site-packages" in str(p) or "rapidocr" in str(p) for p in files.values())


# ------------------------------------------------------------------ per-document AIS.0104

def test_unreadable_document_gets_0104(monkeypatch):
    import ocrframe.engine.pipeline as pl
    from ocrframe.engine.ocr import TextLine

    def fake(img, **options):  # run_ocr's signature (min_score=...)
        d = np.array([1.0, 0.0])
        rows = ["姓名 张三", "性别 男 民族 汉", "出生 1990年1月1日", "住址 北京市", "公民身份号码 11010519900101123X"]
        return [TextLine(np.array([[100, 100 + 40 * i], [400, 100 + 40 * i], [400, 130 + 40 * i],
                                   [100, 130 + 40 * i]], float), t, 0.3 if i else 0.55, d)
                for i, t in enumerate(rows)]

    monkeypatch.setattr(pl, "run_ocr", fake)
    out = _call(_png(np.full((600, 800, 3), 255, np.uint8)))
    assert len(out["result"]) == 1
    doc = out["result"][0]
    assert doc["status"]["error_code"] == Status.POOR_QUALITY.code and doc["content"] == {}
    assert doc["type"] == DocType.ID_CARD_PORTRAIT_SIDE.value


def _fake_lines(rows: list[list[tuple]]):
    """OCR lines of an upright document: rows of (text, x, dy) pieces."""
    from ocrframe.engine.ocr import TextLine
    from ocrframe.testing.doctext import char_width

    d = np.array([1.0, 0.0])
    out = []
    for i, row in enumerate(rows):
        for text, x, *dy in row:
            y = 100 + 34 * i + (dy[0] if dy else 0)
            w = char_width(text)
            out.append(TextLine(np.array([[x, y], [x + w, y], [x + w, y + 20], [x, y + 20]], float), text, 0.95, d))
    return out


_TOLL_LABELS = [[("车辆通行费专用票据", 200)], [("票据代码：", 250)], [("票据号码：", 250)], [("入口", 120), ("出口", 430)],
                [("车型", 120), ("金额", 430)], [("日期", 120), ("时间", 430)]]
_TOLL_VALUES = {1: [("137011900112", 360, -12)], 2: [("00123456", 360, -12)],
                3: [("济青高速章丘站", 210, -12), ("京沪高速齐河站", 520, -12)], 4: [("一型车", 210, -12), ("35.00元", 520, -12)],
                5: [("2013-05-12", 210, -12), ("10:22:33", 520, -12)]}


@pytest.mark.parametrize("printed", [True, False], ids=["values", "labels-only"])
def test_document_with_no_core_field_is_not_ok(monkeypatch, printed):
    """A misregistered toll receipt is read in full (AIS.0000); the same form with its
    values unread is AIS.0104 with empty content, not a success with empty fields."""
    import ocrframe.engine.pipeline as pl

    rows = [r + (_TOLL_VALUES.get(i, []) if printed else []) for i, r in enumerate(_TOLL_LABELS)]
    monkeypatch.setattr(pl, "run_ocr", lambda img, **options: _fake_lines(rows))
    out = _call(_png(np.full((600, 800, 3), 255, np.uint8)))
    doc = next(d for d in out["result"] if d["type"] == DocType.TOLL_INVOICE.value)
    if printed:
        assert doc["status"]["error_code"] == Status.OK.code
        assert doc["content"]["code"] == "137011900112" and doc["content"]["time"] == "10:22:33"
    else:
        assert doc["status"]["error_code"] == Status.POOR_QUALITY.code and doc["content"] == {}


# ------------------------------------------------------------------ real recognition

def test_id_card_end_to_end(id_scene):
    img, truth = id_scene
    out = _call(_jpeg(img), detect_seal=True)
    assert len(out["result"]) == 1
    doc, t = out["result"][0], truth[0]
    assert doc["type"] == t["type"] and doc["status"]["error_code"] == Status.OK.code
    assert isinstance(doc["seal_mark"], bool)
    loc = doc["location"]
    assert len(loc) == 4 and all(isinstance(v, int) for p in loc for v in p)
    assert _iou(loc, t["location"]) > 0.85
    # first corner is the document's own top-left
    assert np.linalg.norm(np.subtract(loc[0], t["location"][0])) < 40
    content = doc["content"]
    names = schema(t["type"]).field_names
    assert set(names) <= set(content) and set(content["confidence"]) >= set(names)
    assert all(0.0 <= c <= 1.0 for c in content["confidence"].values())
    assert content["number"] == t["content"]["number"]
    assert content["name"] == t["content"]["name"]


def test_type_list_restricts_reporting(id_scene):
    img, _ = id_scene
    assert _call(_png(img), type_list=["passport"]) == {"result": []}
    assert len(_call(_png(img), type_list=["id_card_portrait_side"])["result"]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_multi_document_scene(seed):
    kinds = ["id_card_portrait_side", "passport", "bankcard", "driver_license_front"]
    img, truth = make_scene(seed, kinds=kinds)
    out = _call(_jpeg(img))
    assert sorted(d["type"] for d in out["result"]) == sorted(kinds)
    for t in truth:
        d = next(d for d in out["result"] if d["type"] == t["type"])
        assert _iou(d["location"], t["location"]) > 0.8
        assert np.linalg.norm(np.subtract(d["location"][0], t["location"][0])) < 60


@pytest.mark.slow
def test_upside_down_document():
    img, truth = make_scene(7, kinds=["vehicle_license_front"], max_angle=0)
    img = np.ascontiguousarray(img[::-1, ::-1])
    h, w = img.shape[:2]
    tl = [w - 1 - truth[0]["location"][0][0], h - 1 - truth[0]["location"][0][1]]
    out = _call(_png(img))
    assert [d["type"] for d in out["result"]] == ["vehicle_license_front"]
    d = out["result"][0]
    assert np.linalg.norm(np.subtract(d["location"][0], tl)) < 40
    assert d["content"]["vin"] == truth[0]["content"]["vin"]


@pytest.mark.slow
def test_process_pool_workers():
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    img, truth = make_scene(21, kinds=["bankcard"], max_angle=5)
    eng = LocalEngine(threads=1)
    item = ImageInput("b", data=_png(img))
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as ex:
        outs = list(ex.map(eng.recognize, [item, item], [RequestOptions()] * 2))
    assert outs[0] == outs[1]
    # the engine keeps the printed grouping; the stand-in renderer's truth has none
    assert outs[0]["result"][0]["content"]["card_number"].replace(" ", "") == truth[0]["content"]["card_number"]


def test_models_load_and_run_without_network():
    """A fresh process with every socket call refused still builds the engine and reads."""
    import subprocess
    import textwrap

    code = textwrap.dedent("""
        import socket
        def deny(*a, **k): raise RuntimeError("network access attempted")
        socket.socket.connect = deny; socket.create_connection = deny; socket.getaddrinfo = deny
        import numpy as np
        from ocrframe.engine.ocr import get_ocr, run_ocr
        get_ocr()
        assert run_ocr(np.full((64, 64, 3), 255, np.uint8)) == []
        print("offline ok")
    """)
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       cwd=root, env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert r.returncode == 0, r.stderr[-2000:]
    assert "offline ok" in r.stdout
