"""Text detection + recognition with RapidOCR, loaded once per process, bundled models only.

RapidOCR 3.x ships its ONNX models inside the wheel (``rapidocr/models``). We point every
model path at those files explicitly, so constructing the engine never reaches for the
network (without explicit paths RapidOCR resolves a model URL and "downloads" when the file
is missing).

Each recognised line comes back as a :class:`TextLine`: its quad in image coordinates,
re-ordered so that the first point is the top-left *of the text as read* (so a line on an
upside-down document has its first point at the bottom-right in image terms), its text,
its recognition score and its reading direction as a unit vector.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["TextLine", "get_ocr", "run_ocr", "model_files", "ocr_identity"]

#: bundled model files, by role (relative to the rapidocr package's ``models`` folder)
_MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
}

_lock = threading.Lock()
_engine = None
_engine_pid = None


@dataclass
class TextLine:
    """One recognised text line.

    ``quad`` is ``(4, 2)`` float, clockwise from the text's own top-left; ``direction`` is
    the unit vector along which the text reads (image coordinates, y down).
    """

    quad: np.ndarray
    text: str
    score: float
    direction: np.ndarray

    @property
    def center(self) -> np.ndarray:
        return self.quad.mean(axis=0)

    @property
    def height(self) -> float:
        """The line's extent across its reading direction (≈ character height)."""
        q = self.quad
        return float((np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2)

    @property
    def width(self) -> float:
        q = self.quad
        return float((np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2)


def model_files() -> dict[str, Path]:
    """The bundled ONNX files the engine uses, by role (``det``, ``cls``, ``rec``).

    Raises
    ------
    ImportError
        When rapidocr is not installed (``pip install ocrframe[engine]``).
    FileNotFoundError
        When the installed rapidocr wheel does not ship the expected model files.

    Examples
    --------
    >>> sorted(model_files())  # doctest: +SKIP
    ['cls', 'det', 'rec']
    """
    try:
        import rapidocr
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the local engine needs rapidocr: pip install 'ocrframe[engine]'") from e
    root = Path(rapidocr.__file__).resolve().parent / "models"
    out = {role: root / name for role, name in _MODEL_FILES.items()}
    missing = [str(p) for p in out.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(
            f"rapidocr {getattr(rapidocr, '__version__', '?')} does not ship {', '.join(missing)}; "
            "install a rapidocr 3.x wheel that bundles the PP-OCRv6 small models")
    return out


def ocr_identity() -> str:
    """A short string naming the OCR models (part of the backend identity)."""
    return "rapidocr:" + "+".join(Path(n).stem for n in _MODEL_FILES.values())


def _threads() -> int:
    env = os.environ.get("OCRFRAME_ENGINE_THREADS")
    return int(env) if env else -1


def get_ocr():
    """The process-wide RapidOCR instance, built on first use from the bundled models.

    A forked child rebuilds its own (ONNX Runtime sessions are not fork-safe).
    """
    global _engine, _engine_pid
    if _engine is not None and _engine_pid == os.getpid():
        return _engine
    with _lock:
        if _engine is None or _engine_pid != os.getpid():
            from rapidocr import RapidOCR

            files = model_files()
            threads = _threads()
            params = {
                "Global.log_level": "error",
                "Global.model_root_dir": str(files["det"].parent),
                "Det.model_path": str(files["det"]),
                "Cls.model_path": str(files["cls"]),
                "Rec.model_path": str(files["rec"]),
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            }
            eng = RapidOCR(params=params)
            # load the three sessions now (RapidOCR loads lazily on first call)
            eng._load_det_model()
            eng._load_cls_model()
            eng._load_rec_model()
            _engine, _engine_pid = eng, os.getpid()
    return _engine


def _reading_direction(box: np.ndarray, flipped: bool) -> np.ndarray:
    """Unit reading vector of a detected box, mirroring RapidOCR's crop logic.

    RapidOCR crops along p0->p1 (width) and p0->p3 (height); a crop at least 1.5x taller
    than wide is turned 90 degrees counter-clockwise, so its text then reads along p0->p3;
    the angle classifier's "180" label flips the crop once more.
    """
    w = max(np.linalg.norm(box[1] - box[0]), np.linalg.norm(box[2] - box[3]))
    h = max(np.linalg.norm(box[3] - box[0]), np.linalg.norm(box[2] - box[1]))
    v = (box[3] - box[0]) if (h >= 1.5 * max(w, 1e-6)) else (box[1] - box[0])
    n = np.linalg.norm(v)
    v = v / n if n > 0 else np.array([1.0, 0.0])
    return -v if flipped else v


def _reorder(box: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Rotate the point order so p0->p1 follows the reading direction (clockwise kept)."""
    best, best_k = -2.0, 0
    for k in range(4):
        e = box[(k + 1) % 4] - box[k]
        n = np.linalg.norm(e)
        if n == 0:
            continue
        c = float(e @ direction) / n
        if c > best:
            best, best_k = c, k
    return np.roll(box, -best_k, axis=0)


def _detect_scaled(eng, img: np.ndarray, scale: float) -> np.ndarray:
    """Text boxes found on the image enlarged by ``scale``, in the image's own coordinates.

    RapidOCR's detector enlarges any image whose shorter side is under 736 px; for a
    strip of a document read again (100 x 560 px) that means detecting on 736 x 4100 px,
    several times the work a fixed, small enlargement needs. Beyond ``scale``, sides are
    only rounded to multiples of 32, as the network requires.
    """
    import cv2
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    det = eng._load_det_model()
    big = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) if scale != 1 else img
    pre = DetPreProcess(max(big.shape[:2]) + 64, "max", det.mean, det.std)(big)
    if pre is None:
        return np.zeros((0, 4, 2))
    boxes, _ = det.postprocess_op(det.session(pre), img.shape[:2])  # boxes in img's own coordinates
    return det.sorted_boxes(boxes) if len(boxes) else np.zeros((0, 4, 2))


def run_ocr(img: np.ndarray, *, min_score: float = 0.5, det_scale: float | None = None) -> list[TextLine]:
    """Detect and recognise every text line of an RGB/BGR ``uint8`` image.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 image (RapidOCR is colour-order agnostic for our purposes).
    min_score : float, default 0.5
        Lines recognised with a lower score are dropped (RapidOCR's own default).
    det_scale : float, optional
        Detect on the image enlarged by this factor instead of RapidOCR's own rule (which
        enlarges images until their shorter side is 736 px): for strips cut from an image
        already read. Recognition always reads the original pixels.

    Returns
    -------
    list of TextLine
        In RapidOCR's detection order (roughly top-to-bottom in the image).

    Examples
    --------
    >>> import numpy as np
    >>> run_ocr(np.full((64, 64, 3), 255, np.uint8))
    []
    """
    from rapidocr.utils.process_img import map_boxes_to_original

    eng = get_ocr()
    if det_scale is not None:
        boxes = _detect_scaled(eng, img, det_scale)
        if len(boxes) == 0:
            return []
        crops, cls_res = eng.cls_and_rotate(eng.crop_text_regions(img, boxes))
        rec_res = eng.recognize_txt(crops)
    else:
        ori_h, ori_w = img.shape[:2]
        pre, op_record = eng.preprocess_img(img)
        det_res, cls_res, rec_res, _ = eng.run_ocr_steps(pre, op_record)
        if det_res.boxes is None or rec_res.txts is None or len(det_res.boxes) == 0:
            return []
        boxes = map_boxes_to_original(np.array(det_res.boxes, dtype=np.float64), op_record, ori_h, ori_w)
    labels = cls_res.cls_res if cls_res is not None and cls_res.cls_res is not None else [("0", 0.0)] * len(boxes)
    cls_thresh = eng.cfg.Cls.cls_thresh
    out = []
    for box, txt, score, (lab, cs) in zip(np.asarray(boxes, np.float64), rec_res.txts, rec_res.scores, labels):
        if not txt or not txt.strip() or score < min_score:
            continue
        flipped = "180" in str(lab) and cs > cls_thresh
        d = _reading_direction(box, flipped)
        out.append(TextLine(_reorder(box, d), txt.strip(), float(score), d))
    return out


def rapidocr_alone(img: np.ndarray):
    """RapidOCR's own end-to-end call on an image (the speed floor used by benchmarks)."""
    return get_ocr()(img)


def reread(img: np.ndarray, quads: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise given line quads again (each ordered from its text's top-left), no angle
    classification: used for lines whose orientation disagrees with their document's.
    """
    from rapidocr.ch_ppocr_rec import TextRecInput
    from rapidocr.utils.process_img import get_rotate_crop_image

    if not quads:
        return []
    eng = get_ocr()
    crops = []
    for q in quads:
        q = np.asarray(q, np.float32)
        w = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3])))
        h = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
        if w < 2 or h < 2:
            crops.append(np.zeros((8, 8, 3), np.uint8))
            continue
        crop = get_rotate_crop_image(img, q)
        if crop.shape[0] > crop.shape[1] and w > h:  # undo RapidOCR's automatic turn
            crop = np.rot90(crop, -1)
        crops.append(np.ascontiguousarray(crop))
    res = eng.text_rec(TextRecInput(img=crops))
    return [(t or "", float(s)) for t, s in zip(res.txts, res.scores)]
