"""Text detection + recognition on RapidOCR's bundled PP-OCR models, loaded once per process.

RapidOCR 3.x ships its ONNX models inside the wheel (``rapidocr/models``); this module runs
them itself (its own sessions, pre-processing and batching) and borrows only RapidOCR's
post-processing (DB boxes, CTC decoding) and its line cropping, so nothing ever reaches
for the network and every step the engine does not need can be left out:

- **runtime**: ONNX Runtime (default), OpenVINO (``pip install 'ocrframe[openvino]'``) or
  ONNX Runtime's CUDA provider (``onnxruntime-gpu``; without a usable GPU it falls back to
  the CPU with one warning); see :class:`Runtime`;
- **detection resolution**: RapidOCR's rule, or chosen per image from the image and its
  text height (:func:`detect_adaptive`);
- **the angle classifier** runs only where a line's orientation is not known already
  (``use_cls=False`` for crops already turned upright);
- **recognition** reads lines of similar width together (:data:`REC_BATCH_WIDTH`).
- **known readings** are not recognised again (``run_ocr(known=...)``: a turned document's
  lines the first pass already read upright, when its upright crop is read again).

Each recognised line comes back as a :class:`TextLine`: its quad in image coordinates,
re-ordered so that the first point is the top-left *of the text as read* (so a line on an
upside-down document has its first point at the bottom-right in image terms), its text,
its recognition score and its reading direction as a unit vector.
"""

from __future__ import annotations

import math
import os
import threading
import warnings
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

# the runtimes and the detection resolution live in their own modules; their names stay
# importable from here
from .resolution import (MAX_SIDE, PAD_MIN_HEIGHT, PAD_WIDTH_RATIO, PROBE_MIN_GAIN,  # noqa: F401
                         PROBE_MIN_LINES, PROBE_MIN_TEXT_PX, PROBE_SIDE, RAPIDOCR_MIN_DET_SIDE, _box_heights,
                         _pad_flat, detect_adaptive, rapidocr_scale)
from .runtime import (_INT8_FILES, _MODEL_FILES, INT8_DIR, Precision, Runtime, _cuda_usable,  # noqa: F401
                      _openvino_installed, _OpenVinoSession, _OrtSession, _session, available_runtimes,
                      model_files, ocr_identity, resolve_precision, resolve_runtime)
from .stages import stage

__all__ = ["TextLine", "Runtime", "OcrConfig", "configure", "get_ocr", "run_ocr", "reread", "model_files",
           "ocr_identity", "detect_adaptive", "available_runtimes"]


# -- detection (RapidOCR's defaults where not said otherwise) ---------------------------------
#: the network's stride: detection input sides are multiples of this
DET_STRIDE = 32
DET_THRESH = 0.3
DET_BOX_THRESH = 0.5
DET_MAX_CANDIDATES = 1000
DET_UNCLIP_RATIO = 1.6

# -- angle classifier -------------------------------------------------------------------------
CLS_SHAPE = (48, 192)  # height, width
CLS_BATCH = 6
CLS_THRESH = 0.9
CLS_LABELS = ("0", "180")

# -- recognition ------------------------------------------------------------------------------
REC_HEIGHT = 48
#: RapidOCR pads every line to at least this width (its ``rec_img_shape``)
REC_MIN_WIDTH = 320
#: RapidOCR's batch size (lines per call)
REC_BATCH = 6
#: lines sorted by width are read together up to this much padded width (pixels at 48 px
#: height) per call: fewer, fuller calls than batches of 6 (measured: docs/scaling.md)
REC_BATCH_WIDTH = 3000


@dataclass(frozen=True)
class OcrConfig:
    """How the OCR layer runs: the runtime and its session options, and the levers that
    decide how much work each image gets.

    Parameters
    ----------
    runtime : Runtime or None
        None: ONNX Runtime (:func:`resolve_runtime`).
    precision : Precision or None
        None: fp32 (:func:`resolve_precision`; bf16 is opt-in).
    threads : int or None
        Intra-op threads of each model (None: the runtime's choice, every core).
    det_policy : {"rapidocr", "adaptive"}
        ``rapidocr`` (default): RapidOCR's rule (longest side up to 2000 px, shorter side
        at least 736 px). ``adaptive``: :func:`detect_adaptive`, faster on large images but
        off by default: it cost 1.7 points of card field exact match (benchmarks/engine_accuracy.py
        --types cards, 40 scenes; see docs/scaling.md).
    rec_batch_width : int or None
        Recognise lines sorted by width in batches up to this many padded pixels of width
        (None: RapidOCR's batches of 6 lines).
    rec_min_width : int
        Lines narrower than this are padded to it before recognition.
    arena : bool
        ONNX Runtime's CPU memory arena (RapidOCR turns it off).
    spinning : bool
        ONNX Runtime's worker threads spin while waiting for work (its default). On a
        shared machine spinning burns cycles other processes could use.
    """

    runtime: Runtime | None = None
    precision: Precision | None = None
    threads: int | None = None
    det_policy: str = "rapidocr"
    rec_batch_width: int | None = REC_BATCH_WIDTH
    rec_min_width: int = REC_MIN_WIDTH
    arena: bool = True
    spinning: bool = False

    def session_key(self) -> tuple:
        rt = resolve_runtime(self.runtime)
        return (rt, resolve_precision(self.precision, rt), self.threads, self.arena, self.spinning)


_lock = threading.Lock()
_config = OcrConfig()
_engines: dict[tuple, "_Ocr"] = {}
_engines_pid: int | None = None


def configure(**changes) -> OcrConfig:
    """Change the process-wide OCR configuration (:class:`OcrConfig` fields); returns it.

    :class:`~ocrframe.LocalEngine` calls this with its own options in every process it
    runs in. Models are loaded once per distinct runtime and session options.

    Examples
    --------
    >>> configure(det_policy="adaptive").det_policy
    'adaptive'
    >>> configure(det_policy="rapidocr").det_policy
    'rapidocr'
    """
    global _config
    if changes.get("runtime") is not None:
        changes["runtime"] = Runtime(changes["runtime"])
    if changes.get("precision") is not None:
        changes["precision"] = Precision(changes["precision"])
    if "threads" in changes and changes["threads"] is not None:
        t = changes["threads"]
        if not isinstance(t, int) or t < 1:
            raise ValueError(f"threads must be a positive int or None, got {t!r}")
    if changes.get("det_policy", "rapidocr") not in ("adaptive", "rapidocr"):
        raise ValueError(f"det_policy must be 'adaptive' or 'rapidocr', got {changes['det_policy']!r}")
    _config = replace(_config, **changes)
    return _config


def current_config() -> OcrConfig:
    """The process-wide :class:`OcrConfig` (threads from ``OCRFRAME_ENGINE_THREADS`` when unset)."""
    if _config.threads is None and os.environ.get("OCRFRAME_ENGINE_THREADS"):
        return replace(_config, threads=int(os.environ["OCRFRAME_ENGINE_THREADS"]))
    return _config


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


class _Ocr:
    """The three models of one runtime with RapidOCR's post-processing."""

    def __init__(self, cfg: OcrConfig):
        from rapidocr.ch_ppocr_cls.utils import ClsPostProcess
        from rapidocr.ch_ppocr_det.utils import DBPostProcess
        from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

        cfg = replace(cfg, runtime=resolve_runtime(cfg.runtime))
        cfg = replace(cfg, precision=resolve_precision(cfg.precision, cfg.runtime))
        if cfg.runtime is Runtime.CUDA and not _cuda_usable():
            warnings.warn("runtime='cuda' asked for, but ONNX Runtime sees no CUDA GPU (install onnxruntime-gpu "
                          "on a machine with an NVIDIA GPU); running on the CPU with ONNX Runtime instead.",
                          RuntimeWarning, stacklevel=3)
            cfg = replace(cfg, runtime=Runtime.ONNXRUNTIME)
        self.runtime = cfg.runtime
        files = model_files(cfg.precision)
        self.det = _session(files["det"], cfg)
        # the angle classifier is tiny: OpenVINO's per-call overhead makes it slower there
        self.cls = _session(files["cls"], cfg if cfg.runtime is not Runtime.OPENVINO
                            else replace(cfg, runtime=Runtime.ONNXRUNTIME))
        self.rec = _session(files["rec"], cfg)
        self.det_post = DBPostProcess(thresh=DET_THRESH, box_thresh=DET_BOX_THRESH, max_candidates=DET_MAX_CANDIDATES,
                                      unclip_ratio=DET_UNCLIP_RATIO, use_dilation=True, score_mode="fast")
        self.cls_post = ClsPostProcess(list(CLS_LABELS))
        chars = self.rec.metadata("character")
        if not chars:
            raise FileNotFoundError(f"{files['rec']} carries no character list in its metadata")
        self.rec_post = CTCLabelDecode(character=chars.splitlines())

    # -- detection
    def detect(self, img: np.ndarray, scale: float) -> np.ndarray:
        """Boxes ``(n, 4, 2)`` in ``img``'s coordinates, found on ``img`` scaled by ``scale``
        (sides rounded to multiples of 32), sorted top to bottom, then left to right."""
        import cv2
        from rapidocr.ch_ppocr_det.main import TextDetector

        h, w = img.shape[:2]
        dh = max(DET_STRIDE, int(round(h * scale / DET_STRIDE)) * DET_STRIDE)
        dw = max(DET_STRIDE, int(round(w * scale / DET_STRIDE)) * DET_STRIDE)
        small = img if (dh, dw) == (h, w) else cv2.resize(img, (dw, dh), interpolation=cv2.INTER_LINEAR)
        # (x / 255 - 0.5) / 0.5 in one float32 pass, NCHW
        blob = cv2.dnn.blobFromImage(small, scalefactor=1 / 127.5, mean=(127.5, 127.5, 127.5), swapRB=False)
        pred = self.det(blob)
        boxes, _ = self.det_post(pred, (h, w))
        if len(boxes) == 0:
            return np.zeros((0, 4, 2))
        return TextDetector.sorted_boxes(np.asarray(boxes, np.float64))

    # -- angle classifier
    def classify(self, crops: list[np.ndarray]) -> tuple[list[np.ndarray], list[tuple[str, float]]]:
        """Turn crops the classifier reads as upside down (score above CLS_THRESH)."""
        import cv2

        ch, cw = CLS_SHAPE
        order = np.argsort([c.shape[1] / c.shape[0] for c in crops])
        labels: list[tuple[str, float]] = [("0", 0.0)] * len(crops)
        out = list(crops)
        for b in range(0, len(crops), CLS_BATCH):
            idx = order[b:b + CLS_BATCH]
            batch = np.zeros((len(idx), 3, ch, cw), np.float32)
            for k, i in enumerate(idx):
                c = crops[i]
                rw = min(cw, int(math.ceil(ch * c.shape[1] / c.shape[0])))
                r = cv2.resize(c, (rw, ch), interpolation=cv2.INTER_LINEAR)
                batch[k, :, :, :rw] = r.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
            for k, (lab, sc) in enumerate(self.cls_post(self.cls(batch))):
                i = idx[k]
                labels[i] = (lab, float(sc))
                if "180" in lab and sc > CLS_THRESH:
                    out[i] = cv2.rotate(crops[i], cv2.ROTATE_180)
        return out, labels

    # -- recognition
    def recognize(self, crops: list[np.ndarray], cfg: OcrConfig) -> list[tuple[str, float]]:
        """Text and score of each crop; lines sorted by width, read in batches."""
        import cv2

        ratios = np.array([c.shape[1] / max(1, c.shape[0]) for c in crops])
        order = np.argsort(ratios, kind="stable")
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        min_ratio = cfg.rec_min_width / REC_HEIGHT
        for idx in _batches(ratios[order], order, cfg.rec_batch_width, min_ratio):
            ratio = max(min_ratio, float(ratios[idx].max()))
            width = int(REC_HEIGHT * ratio)
            batch = np.zeros((len(idx), 3, REC_HEIGHT, width), np.float32)
            for k, i in enumerate(idx):
                c = crops[i]
                rw = min(width, int(math.ceil(REC_HEIGHT * ratios[i])))
                r = cv2.resize(c, (max(1, rw), REC_HEIGHT))
                batch[k, :, :, :rw] = r.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
            preds = self.rec(batch)
            lines, _ = self.rec_post(preds, False, wh_ratio_list=list(ratios[idx]), max_wh_ratio=ratio)
            for k, (txt, sc) in enumerate(lines):
                out[idx[k]] = (txt, float(sc))
        return out


def _batches(sorted_ratios: np.ndarray, order: np.ndarray, max_width: int | None, min_ratio: float):
    """Indices of each recognition batch: RapidOCR's runs of REC_BATCH lines, or (with
    ``max_width``) runs of similar width whose padded size stays within ``max_width``
    pixels of width in all."""
    if max_width is None:
        for b in range(0, len(order), REC_BATCH):
            yield order[b:b + REC_BATCH]
        return
    start = 0
    for k in range(1, len(order) + 1):
        if k == len(order):
            yield order[start:k]
            break
        padded = max(min_ratio, sorted_ratios[k]) * REC_HEIGHT * (k - start + 1)
        if padded > max_width:
            yield order[start:k]
            start = k


def get_ocr(config: OcrConfig | None = None) -> _Ocr:
    """The process-wide models for ``config`` (default: :func:`current_config`), built on
    first use from the bundled files.

    A forked child builds its own (ONNX Runtime sessions are not fork-safe).
    """
    global _engines_pid
    cfg = config or current_config()
    key = cfg.session_key()
    if _engines_pid != os.getpid():
        with _lock:
            if _engines_pid != os.getpid():
                _engines.clear()
                _engines_pid = os.getpid()
    eng = _engines.get(key)
    if eng is None:
        with _lock:
            eng = _engines.get(key)
            if eng is None:
                eng = _engines[key] = _Ocr(cfg)
    return eng


# ------------------------------------------------------------------------------ geometry
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


def _detect(eng: _Ocr, img: np.ndarray, det_scale: float | None, cfg: OcrConfig) -> np.ndarray:
    if det_scale is not None:
        return eng.detect(img, det_scale)
    padded, top = _pad_flat(img)
    if cfg.det_policy == "rapidocr":
        boxes = eng.detect(padded, rapidocr_scale(*padded.shape[:2]))
    else:
        boxes, _ = detect_adaptive(eng, padded)
    if top and len(boxes):
        boxes[:, :, 1] = np.clip(boxes[:, :, 1] - top, 0, img.shape[0])
    return boxes


def _crop(img: np.ndarray, box: np.ndarray) -> np.ndarray:
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(img, box.astype(np.float32))


def run_ocr(img: np.ndarray, *, min_score: float = 0.5, det_scale: float | None = None,
            use_cls: bool = True, known: Callable[[np.ndarray], tuple[str, float] | None] | None = None
            ) -> list[TextLine]:
    """Detect and recognise every text line of an RGB/BGR ``uint8`` image.

    Parameters
    ----------
    img : ndarray
        ``(H, W, 3)`` uint8 image (RapidOCR is colour-order agnostic for our purposes).
    min_score : float, default 0.5
        Lines recognised with a lower score are dropped (RapidOCR's own default).
    det_scale : float, optional
        Detect on the image scaled by this factor instead of the configured rule: for
        strips cut from an image already read. Recognition always reads the original pixels.
    use_cls : bool, default True
        Run the text-line angle classifier. Pass False where every line is known to be
        upright (a crop already turned upright): upside-down readings are then not tried.
    known : callable, optional
        Called with each detected box (``(4, 2)``, clockwise from its top-left, in
        ``img``'s coordinates) before recognition; it returns the box's reading
        ``(text, score)`` when that is known already (the same line read before), and
        None otherwise. Only the boxes without a known reading are recognised. Use it
        only with ``use_cls=False``, on an upright image.

    Returns
    -------
    list of TextLine
        In detection order (top to bottom, then left to right, in image terms).

    Examples
    --------
    >>> import numpy as np
    >>> run_ocr(np.full((64, 64, 3), 255, np.uint8))
    []
    """
    cfg = current_config()
    eng = get_ocr(cfg)
    with stage("detection"):
        boxes = _detect(eng, img, det_scale, cfg)
    if len(boxes) == 0:
        return []
    rec: list[tuple[str, float] | None] = [known(b) for b in boxes] if known else [None] * len(boxes)
    todo = [i for i, r in enumerate(rec) if r is None]
    crops = [_crop(img, boxes[i]) for i in todo]
    labels = [("0", 0.0)] * len(boxes)
    if use_cls and crops:
        with stage("classifier"):
            crops, todo_labels = eng.classify(crops)
        for i, lab in zip(todo, todo_labels):
            labels[i] = lab
    if crops:
        with stage("recognition"):
            for i, r in zip(todo, eng.recognize(crops, cfg)):
                rec[i] = r
    out = []
    for box, (txt, score), (lab, cs) in zip(boxes, rec, labels):
        if not txt or not txt.strip() or score < min_score:
            continue
        flipped = "180" in str(lab) and cs > CLS_THRESH
        d = _reading_direction(box, flipped)
        out.append(TextLine(_reorder(box, d), txt.strip(), float(score), d))
    return out


def reread(img: np.ndarray, quads: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise given line quads again (each ordered from its text's top-left), no angle
    classification: used for lines whose orientation disagrees with their document's.
    """
    if not quads:
        return []
    cfg = current_config()
    eng = get_ocr(cfg)
    with stage("rereads", absorb=True):
        crops = []
        for q in quads:
            q = np.asarray(q, np.float32)
            w = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3])))
            h = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
            if w < 2 or h < 2:
                crops.append(np.zeros((8, 8, 3), np.uint8))
                continue
            crop = _crop(img, q)
            if crop.shape[0] > crop.shape[1] and w > h:  # undo RapidOCR's automatic turn
                crop = np.rot90(crop, -1)
            crops.append(np.ascontiguousarray(crop))
        return eng.recognize(crops, cfg)
