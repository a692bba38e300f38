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

from ..contract import MAX_FILE_BYTES, ImageInput, RequestOptions
from ..errors import ApiError
from ..types import Status

__all__ = ["LocalEngine"]

#: seconds allowed for downloading an image given by URL
URL_TIMEOUT = 10.0


class LocalEngine:
    """The embedded default backend: the auto-classification service, offline on CPU.

    Parameters
    ----------
    threads : int, optional
        ONNX Runtime intra-op threads per process (default: ONNX Runtime's choice, all
        cores). With a process pool of ``workers=n`` on ``c`` cores, ``c // n`` is a good
        value.

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

    def __init__(self, *, threads: int | None = None):
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError(f"threads must be a positive int or None, got {threads!r}")
        self.threads = threads

    @property
    def identity(self) -> str:
        """Backend name + engine version + model files (the response store's key part)."""
        from ..engine import ENGINE_VERSION
        from ..engine.ocr import ocr_identity

        return f"local:{ENGINE_VERSION}:{ocr_identity()}"

    def resize_pool(self, workers: int) -> None:
        """Called by the batch runner with its worker count: without an explicit ``threads``,
        give each worker process an equal share of the cores (no oversubscription)."""
        if self.threads is None and workers > 1:
            self.threads = max(1, (os.cpu_count() or 1) // workers)

    def __repr__(self) -> str:
        return f"LocalEngine(threads={self.threads!r})"

    def __getstate__(self):
        return {"threads": self.threads}

    def __setstate__(self, state):
        self.threads = state.get("threads")

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
        from ..engine.decode import decode_image
        from ..engine.pipeline import recognize_array

        if options is None:
            options = RequestOptions()
        if not isinstance(image, ImageInput):
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The input parameter is invalid: expected an ImageInput, got {type(image).__name__}.")
        if self.threads is not None:
            os.environ.setdefault("OCRFRAME_ENGINE_THREADS", str(self.threads))
        data = self._bytes(image)
        img = decode_image(data, pdf_page_number=options.pdf_page_number)
        try:
            return recognize_array(img, type_list=options.type_list, detect_seal=options.detect_seal)
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

        if self.threads is not None:
            os.environ.setdefault("OCRFRAME_ENGINE_THREADS", str(self.threads))
        get_ocr()
        return self
