"""Where the OCR models run: the runtimes (ONNX Runtime, OpenVINO, CUDA), the models'
arithmetic, the model files and their identity, and one inference session per model.

Split from :mod:`ocrframe.engine.ocr` (which re-exports every public name).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .ocr import OcrConfig

__all__ = ["Runtime", "Precision", "resolve_runtime", "resolve_precision", "model_files", "ocr_identity",
           "available_runtimes", "INT8_DIR"]


class Runtime(str, Enum):
    """Where the models run. ``cuda`` is ONNX Runtime's CUDA provider (``onnxruntime-gpu``)."""

    ONNXRUNTIME = "onnxruntime"
    OPENVINO = "openvino"
    CUDA = "cuda"


#: bundled model files, by role (relative to the rapidocr package's ``models`` folder)
_MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
}


class Precision(str, Enum):
    """Arithmetic of the detection and recognition models.

    ``fp32``: the bundled models as they are. ``bf16``: OpenVINO computes in bfloat16 on
    CPUs that have it natively (AVX512-BF16, AMX), in fp32 elsewhere; ONNX Runtime
    computes in fp32. ``int8``: int8-quantised detection and recognition models made by
    ``benchmarks/quantize_models.py`` into :data:`INT8_DIR` (not shipped: they cost
    accuracy, see ``docs/scaling.md``).
    """

    FP32 = "fp32"
    BF16 = "bf16"
    INT8 = "int8"


def resolve_runtime(runtime: Runtime | str | None) -> Runtime:
    """The runtime to use: ``runtime`` itself, or for None ONNX Runtime (in fp32, measured
    faster than OpenVINO in fp32 on this project's x86 machine; OpenVINO pays only in bf16,
    which costs accuracy: ``docs/scaling.md``).

    Examples
    --------
    >>> resolve_runtime("openvino")
    <Runtime.OPENVINO: 'openvino'>
    >>> resolve_runtime(None)
    <Runtime.ONNXRUNTIME: 'onnxruntime'>
    """
    return Runtime.ONNXRUNTIME if runtime is None else Runtime(runtime)


def resolve_precision(precision: Precision | str | None, runtime: Runtime) -> Precision:
    """The precision to use: ``precision`` itself, or for None fp32 on every runtime.

    bf16 on OpenVINO is faster where the CPU has it natively, but it cost 0.4 points of
    field exact match on the real dev set (``docs/scaling.md``), so it is opt-in.

    Examples
    --------
    >>> resolve_precision(None, Runtime.ONNXRUNTIME), resolve_precision(None, Runtime.OPENVINO)
    (<Precision.FP32: 'fp32'>, <Precision.FP32: 'fp32'>)
    >>> resolve_precision("bf16", Runtime.OPENVINO)
    <Precision.BF16: 'bf16'>
    """
    del runtime  # every runtime defaults alike; kept so callers need not know that
    return Precision.FP32 if precision is None else Precision(precision)


def _openvino_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("openvino") is not None


#: int8-quantised detection and recognition models shipped with ocrframe (made from the
#: bundled fp32 files by ``benchmarks/quantize_models.py``)
INT8_DIR = Path(__file__).with_name("models")
_INT8_FILES = {role: Path(name).stem + ".int8.onnx" for role, name in _MODEL_FILES.items() if role != "cls"}


def model_files(precision: Precision | str = Precision.FP32) -> dict[str, Path]:
    """The ONNX files the engine uses, by role (``det``, ``cls``, ``rec``).

    For ``precision="int8"`` detection and recognition come from ocrframe's own
    quantised files (:data:`INT8_DIR`); the angle classifier stays the bundled one.

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
    if Precision(precision) is Precision.INT8:
        out.update({role: INT8_DIR / name for role, name in _INT8_FILES.items()})
        missing = [str(p) for p in out.values() if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"the int8 models are missing ({', '.join(missing)}); "
                                    "make them with benchmarks/quantize_models.py")
    return out


def ocr_identity(precision: Precision | str | None = None) -> str:
    """A short string naming the OCR models (part of the backend identity).

    Examples
    --------
    >>> ocr_identity()
    'rapidocr:PP-OCRv6_det_small+ch_ppocr_mobile_v2.0_cls_mobile+PP-OCRv6_rec_small'
    """
    names = dict(_MODEL_FILES)
    if precision is not None and Precision(precision) is Precision.INT8:
        names.update(_INT8_FILES)
    return "rapidocr:" + "+".join(Path(n).name.removesuffix(".onnx") for n in names.values())


# ------------------------------------------------------------------------------ sessions
def available_runtimes() -> list[Runtime]:
    """The runtimes that can run here: ONNX Runtime always; OpenVINO when installed; CUDA
    when ``onnxruntime-gpu`` sees a GPU.

    Examples
    --------
    >>> Runtime.ONNXRUNTIME in available_runtimes()
    True
    """
    out = [Runtime.ONNXRUNTIME]
    if _openvino_installed():
        out.append(Runtime.OPENVINO)
    if _cuda_usable():
        out.append(Runtime.CUDA)
    return out


def _cuda_usable() -> bool:
    import onnxruntime as ort

    return "CUDAExecutionProvider" in ort.get_available_providers() and ort.get_device() == "GPU"


class _OrtSession:
    """One ONNX model in ONNX Runtime; ``cuda`` puts it on the GPU (the caller checked)."""

    def __init__(self, path: Path, cfg: OcrConfig, cuda: bool):
        import onnxruntime as ort

        opt = ort.SessionOptions()
        opt.log_severity_level = 3
        opt.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opt.enable_cpu_mem_arena = cfg.arena
        if cfg.threads:
            opt.intra_op_num_threads = cfg.threads
        opt.inter_op_num_threads = 1
        opt.add_session_config_entry("session.intra_op.allow_spinning", "1" if cfg.spinning else "0")
        providers = (["CUDAExecutionProvider"] if cuda else []) + ["CPUExecutionProvider"]
        self.session = ort.InferenceSession(str(path), sess_options=opt, providers=providers)
        self._input = self.session.get_inputs()[0].name

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self._input: x})[0]

    def metadata(self, key: str) -> str | None:
        return self.session.get_modelmeta().custom_metadata_map.get(key)


class _OpenVinoSession:
    """One ONNX model compiled by OpenVINO for the CPU (read from the ONNX file directly,
    no conversion, no cache written)."""

    def __init__(self, path: Path, cfg: OcrConfig):
        try:
            import openvino as ov
        except ImportError as e:
            raise ImportError("runtime='openvino' needs OpenVINO: pip install 'ocrframe[openvino]'") from e
        core = ov.Core()
        self.model = core.read_model(str(path))
        native_bf16 = "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        config = {"PERFORMANCE_HINT": "LATENCY",
                  "INFERENCE_PRECISION_HINT": "bf16" if cfg.precision is Precision.BF16 and native_bf16 else "f32"}
        if cfg.threads:
            config["INFERENCE_NUM_THREADS"] = int(cfg.threads)
        self.request = core.compile_model(self.model, "CPU", config).create_infer_request()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.request.infer({0: x})
        return self.request.get_output_tensor(0).data.copy()

    def metadata(self, key: str) -> str | None:
        info = self.model.get_rt_info()
        try:
            return str(info["framework"][key].value)
        except (KeyError, TypeError, AttributeError):
            return None


def _session(path: Path, cfg: OcrConfig):
    rt = resolve_runtime(cfg.runtime)
    if rt is Runtime.OPENVINO:
        return _OpenVinoSession(path, cfg)
    return _OrtSession(path, cfg, cuda=rt is Runtime.CUDA)
