"""LocalEngine: the offline implementation of the auto-classification service.

Text detection and recognition run on RapidOCR's bundled PP-OCR ONNX models (no downloads);
documents are located, classified and read by :mod:`ocrframe.engine`. The object itself
holds only settings, so it pickles cheaply; the models are loaded lazily, once per process
(``parallelism = "process"`` tells the batch runner to use a process pool).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from ..contract import MAX_FILE_BYTES, ImageInput, RequestOptions
from ..errors import ApiError
from ..types import Status

if TYPE_CHECKING:
    from ..engine.params import EngineParams

__all__ = ["LocalEngine"]

#: seconds allowed for downloading an image given by URL
URL_TIMEOUT = 10.0


def _scale_locations(body: dict, factor: float, shape: tuple[int, int]) -> dict:
    """Quads found on an image decoded at reduced size, in the full image's pixels.

    Examples
    --------
    >>> _scale_locations({"result": [{"location": [[0, 0], [10, 0], [10, 5], [0, 5]]}]}, 2.0, (6, 11))
    {'result': [{'location': [[0, 0], [20, 0], [20, 10], [0, 10]]}]}
    """
    h, w = round(shape[0] * factor), round(shape[1] * factor)
    for item in body.get("result", []):
        item["location"] = [[min(w - 1, round(x * factor)), min(h - 1, round(y * factor))]
                            for x, y in item["location"]]
    return body


class LocalEngine:
    """The embedded default backend: the auto-classification service, offline on CPU.

    Parameters
    ----------
    runtime : {"onnxruntime", "openvino", "cuda"}, optional
        Where the OCR models run. Default: ONNX Runtime. ``"openvino"``
        (``pip install 'ocrframe[openvino]'``) is faster only with ``precision="bf16"`` on
        CPUs with native bf16, which costs accuracy (docs/scaling.md). ``"cuda"`` uses ONNX Runtime's CUDA provider
        (``onnxruntime-gpu``) and falls back to the CPU, with a warning, when there is no GPU.
    precision : {"fp32", "bf16", "int8"}, optional
        Arithmetic of the detection and recognition models (see
        :class:`ocrframe.engine.ocr.Precision`). Default: fp32. ``"bf16"`` is faster on
        OpenVINO where the CPU computes it natively but cost 0.4 points of field exact
        match on the real dev set (docs/scaling.md).
    threads : int, optional
        Intra-op threads of each model per process (default: the runtime's choice, all
        cores). With a process pool of ``workers=n`` on ``c`` cores, ``c // n`` is a good
        value (the batch runner sets it).
    params : EngineParams, optional
        The engine's tunable knobs (:class:`ocrframe.engine.params.EngineParams`: OCR
        minimum score, detection policy, stamp reading, re-reading turned documents,
        splitting packed documents). Default: the engine's own behaviour. Settings other
        than the defaults are part of :attr:`identity`.

    Examples
    --------
    >>> import numpy as np, cv2
    >>> from ocrframe.backends.base import ImageInput, RequestOptions
    >>> ok, png = cv2.imencode(".png", np.full((200, 300, 3), 255, np.uint8))
    >>> LocalEngine().recognize(ImageInput("blank.png", data=png.tobytes()), RequestOptions())
    {'result': []}
    >>> LocalEngine().recognize(ImageInput("x.gif", data=b"GIF89a..."), RequestOptions())
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: AIS.0102: The image format is not supported: the image is a GIF file; send JPEG, PNG, BMP, TIFF, PDF.
    """

    parallelism = "process"
    #: one process by default: ONNX Runtime already spreads one image over every core
    default_workers = 1
    max_workers = max(1, (os.cpu_count() or 1))

    def __init__(self, *, runtime: str | None = None, precision: str | None = None, threads: int | None = None,
                 params: "EngineParams | None" = None):
        from ..engine.ocr import Precision, Runtime
        from ..engine.params import EngineParams

        if params is not None and not isinstance(params, EngineParams):
            raise TypeError(f"params must be an ocrframe.engine.params.EngineParams or None, got {type(params).__name__}")
        self.params = params if params is not None else EngineParams()

        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError(f"threads must be a positive int or None, got {threads!r}")
        try:
            self.runtime = None if runtime is None else Runtime(runtime).value
        except ValueError:
            raise ValueError(f"runtime must be one of {[r.value for r in Runtime]} or None, got {runtime!r}") from None
        try:
            self.precision = None if precision is None else Precision(precision).value
        except ValueError:
            raise ValueError(f"precision must be one of {[p.value for p in Precision]}, got {precision!r}") from None
        self.threads = threads

    @property
    def identity(self) -> str:
        """Backend name + engine version + model files (the response store's key part).
        The runtime is not part of it: every runtime computes the same models alike."""
        from ..engine import ENGINE_VERSION
        from ..engine.ocr import ocr_identity

        key = self.params.key()  # empty for the defaults: their answers keep their key
        return f"local:{ENGINE_VERSION}:{ocr_identity(self.precision)}" + (f":{key}" if key else "")

    def resize_pool(self, workers: int) -> None:
        """Called by the batch runner with its worker count: without an explicit ``threads``,
        give each worker process an equal share of the cores (no oversubscription)."""
        if self.threads is None and workers > 1:
            self.threads = max(1, (os.cpu_count() or 1) // workers)

    def __repr__(self) -> str:
        params = f", params={self.params!r}" if self.params.key() else ""
        return f"LocalEngine(runtime={self.runtime!r}, precision={self.precision!r}, threads={self.threads!r}{params})"

    def __getstate__(self):
        return {"runtime": self.runtime, "precision": self.precision, "threads": self.threads, "params": self.params}

    def __setstate__(self, state):
        from ..engine.params import EngineParams

        self.runtime = state.get("runtime")
        self.precision = state.get("precision")
        self.threads = state.get("threads")
        self.params = state.get("params") or EngineParams()

    def _configure(self) -> None:
        """Point this process's OCR layer at this engine's runtime, precision, threads and
        detection policy."""
        from ..engine.ocr import configure

        configure(runtime=self.runtime, precision=self.precision, threads=self.threads,
                  det_policy=self.params.det_policy)

    # ------------------------------------------------------------------ protocol
    def _bytes(self, image: ImageInput) -> bytes:
        if image.data is not None:
            return image.data
        url = image.url or ""
        if not url.lower().startswith(("http://", "https://")):
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The input parameter is invalid: url {url[:200]!r} is not an http(s) URL.")
        try:
            with urllib.request.urlopen(url, timeout=URL_TIMEOUT) as resp:  # noqa: S310 - user-given URL
                data = resp.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:  # never more than the contract accepts in memory
                raise ApiError.of(Status.IMAGE_SIZE, f"{Status.IMAGE_SIZE.message[:-1]}: the file at the URL is "
                                                     f"larger than {MAX_FILE_BYTES} bytes.")
            return data
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The image URL could not be downloaded ({e}); check the URL or send the bytes.") from None

    def recognize(self, image: ImageInput, options: RequestOptions | None = None) -> dict:
        """Recognise one image: the contract's 200 body, or :class:`ApiError` for the request.

        Parameters
        ----------
        image : ImageInput
            The image's bytes (JPEG, PNG, BMP, TIFF, PDF) or an http(s) URL.
        options : RequestOptions, optional
            ``type_list`` (report and attempt only these types), ``detect_seal``,
            ``pdf_page_number``.

        Returns
        -------
        dict
            ``{"result": [{status, type, location, content[, seal_mark]}, ...]}``.

        Raises
        ------
        ApiError
            ``AIS.0101`` invalid parameter, ``AIS.0102`` unsupported or undecodable format,
            ``AIS.0103`` size out of range, ``AIS.0105`` recognition failed inside the engine.
        """
        from ..engine.decode import decode_image_reduced
        from ..engine.ocr import MAX_SIDE
        from ..engine.pipeline import recognize_array
        from ..engine.stages import stage

        if options is None:
            options = RequestOptions()
        if not isinstance(image, ImageInput):
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The input parameter is invalid: expected an ImageInput, got {type(image).__name__}.")
        self._configure()
        data = self._bytes(image)
        with stage("decode"):
            # the OCR never reads more than MAX_SIDE px: a JPEG twice that size or more is decoded smaller
            img, factor = decode_image_reduced(data, keep_side=MAX_SIDE, pdf_page_number=options.pdf_page_number)
        try:
            body = recognize_array(img, type_list=options.type_list, detect_seal=options.detect_seal,
                                   params=self.params)
            return _scale_locations(body, factor, img.shape[:2]) if factor != 1.0 else body
        except ApiError:
            raise
        except (ImportError, FileNotFoundError) as e:
            raise ApiError.of(Status.RECOGNITION_FAILED, f"Recognition failed: the engine could not start ({e}).") from e
        except Exception as e:  # a bug or a pathological image: never crash the batch
            raise ApiError.of(Status.RECOGNITION_FAILED,
                              f"Recognition failed: {type(e).__name__}: {e}. Please report this image.") from e

    def warmup(self) -> "LocalEngine":
        """Load the models now (otherwise on the first image); returns self."""
        from ..engine.ocr import get_ocr

        self._configure()
        get_ocr()
        return self
