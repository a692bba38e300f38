"""Make the int8 detection and recognition models shipped in ``ocrframe/engine/models/``.

Static quantisation with ONNX Runtime's tools (``onnxruntime.quantization``): QDQ format,
int8 weights per channel, uint8 activations, on Conv and MatMul only (layer norms, the
attention's softmax and the CTC head's final activations stay in float). The activation
ranges are calibrated on what the engine itself feeds the models: detection inputs and
recognition batches recorded while the fp32 engine reads generated scenes (JPEG files,
seed ``--seed``; never the real set).

Usage::

    PYTHONPATH=. python benchmarks/quantize_models.py --n 8 --seed 8282

The angle classifier (0.6 MB, under 3 % of the time) stays fp32.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import accuracy as A  # noqa: E402

#: calibration inputs kept per model (the calibrator holds every activation of each)
MAX_SAMPLES = {"det": 6, "rec": 24}
#: detection inputs are calibrated at this longest side (ranges hold across scales)
CALIB_DET_SIDE = 960


class _Recorder:
    """Wraps a session: records its inputs, answers with the wrapped session's outputs."""

    def __init__(self, session, keep: int):
        self.session, self.keep, self.inputs = session, keep, []

    def __call__(self, x):
        if len(self.inputs) < self.keep:
            self.inputs.append(np.array(x))
        return self.session(x)


def record_inputs(files: list[Path]) -> dict[str, list[np.ndarray]]:
    """Detection and recognition inputs of the fp32 engine reading ``files``."""
    from ocrframe.engine import ocr
    from ocrframe.engine.decode import decode_image

    ocr.configure(runtime="onnxruntime", precision="fp32")
    eng = ocr.get_ocr()
    det, rec = eng.det, eng.rec
    eng.det, eng.rec = _Recorder(det, MAX_SAMPLES["det"]), _Recorder(rec, 10 ** 6)
    try:
        for p in files:
            img = decode_image(p.read_bytes())
            eng.detect(img, min(1.0, CALIB_DET_SIDE / max(img.shape[:2])))
            ocr.run_ocr(img)
        recorded = {"det": eng.det.inputs, "rec": eng.rec.inputs}
    finally:
        eng.det, eng.rec = det, rec
    rng = np.random.default_rng(0)
    recs = recorded["rec"]
    pick = sorted(rng.choice(len(recs), size=min(MAX_SAMPLES["rec"], len(recs)), replace=False))
    recorded["rec"] = [recs[i] for i in pick]
    return recorded


def quantize(src: Path, dst: Path, samples: list[np.ndarray]) -> None:
    """Static QDQ int8 quantisation of one model, calibrated on ``samples``."""
    import onnxruntime as ort
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    name = ort.InferenceSession(str(src), providers=["CPUExecutionProvider"]).get_inputs()[0].name

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(samples)

        def get_next(self):
            x = next(self.it, None)
            return None if x is None else {name: x}

    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        opset13 = Path(tmp) / "opset13.onnx"
        _to_opset(src, opset13, QDQ_OPSET)
        quant_pre_process(str(opset13), str(pre), skip_symbolic_shape=True)
        quantize_static(str(pre), str(dst), Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        op_types_to_quantize=["Conv", "MatMul"])
    _copy_metadata(src, dst)


#: per-channel DequantizeLinear (its ``axis``) needs opset 13; the bundled models are opset 11
QDQ_OPSET = 13


def _to_opset(src: Path, dst: Path, opset: int) -> None:
    import onnx
    from onnx import version_converter

    m = onnx.load(str(src))
    onnx.save(version_converter.convert_version(m, opset), str(dst))


def _copy_metadata(src: Path, dst: Path) -> None:
    """Keep the source model's metadata (the recogniser's character list) in the int8 file."""
    import onnx

    s, d = onnx.load(str(src)), onnx.load(str(dst))
    have = {p.key for p in d.metadata_props}
    for p in s.metadata_props:
        if p.key not in have:
            d.metadata_props.add(key=p.key, value=p.value)
    onnx.save(d, str(dst))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=8, help="generated scenes to calibrate on")
    ap.add_argument("--seed", type=int, default=8282)
    ap.add_argument("--out", type=Path, default=None, help="folder (default: ocrframe/engine/models)")
    a = ap.parse_args(argv)

    from ocrframe.datasets import read_labels
    from ocrframe.engine import ocr

    labels = A.synth_set(a.n, a.seed)
    files = [Path(p) for p in read_labels(labels)["path"].unique()]
    cache = labels.parent / "calibration.npz"
    if cache.is_file():
        with np.load(cache) as z:
            samples = {role: [z[k] for k in sorted(z.files, key=lambda k: int(k.split("_")[1])) if k.startswith(role)]
                       for role in ("det", "rec")}
    else:
        samples = record_inputs(files)
        np.savez(cache, **{f"{role}_{i}": x for role, xs in samples.items() for i, x in enumerate(xs)})
    out = a.out or ocr.INT8_DIR
    out.mkdir(parents=True, exist_ok=True)
    src = ocr.model_files("fp32")
    for role, name in ocr._INT8_FILES.items():
        quantize(src[role], out / name, samples[role])
        print(f"{role}: {src[role].stat().st_size / 2**20:.1f} MB -> {(out / name).stat().st_size / 2**20:.1f} MB "
              f"({len(samples[role])} calibration inputs) -> {out / name}")


if __name__ == "__main__":
    main()
