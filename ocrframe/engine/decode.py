"""Request validation and image decoding, with the service's limits and error codes.

The rules are those of the auto-classification contract: one image as bytes (the service
receives it base64-encoded, at most 10 MB of base64), JPEG / PNG / BMP / TIFF or a PDF
(page ``pdf_page_number``, default 1), shortest side at least 15 px, longest side at
most 8000 px. A violation raises :class:`ocrframe.errors.ApiError` with the contract's
code and a message that says what was wrong and what to do.
"""

from __future__ import annotations

import numpy as np

from ..errors import ApiError
from ..imageformat import base64_length, sniff_format
from ..types import Status

__all__ = ["sniff_format", "decode_image", "MAX_BASE64_BYTES", "MIN_SIDE", "MAX_SIDE", "SUPPORTED_FORMATS"]

MAX_BASE64_BYTES = 10 * 1024 * 1024
MIN_SIDE = 15
MAX_SIDE = 8000
SUPPORTED_FORMATS = ("jpeg", "png", "bmp", "tiff", "pdf")
#: a PDF page is rendered so its longer side has about this many pixels
PDF_RENDER_SIDE = 2000


def _check_size(h: int, w: int, what: str) -> None:
    if min(h, w) < MIN_SIDE or max(h, w) > MAX_SIDE:
        raise ApiError.of(
            Status.IMAGE_SIZE,
            f"The image size does not meet the requirements: {what} is {w}x{h} px; the shortest side "
            f"must be at least {MIN_SIDE} px and the longest at most {MAX_SIDE} px. Resize the image.")


def _render_pdf(data: bytes, page_number: int) -> np.ndarray:
    try:
        import pypdfium2 as pdfium
    except ImportError as e:  # pragma: no cover - environment
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          "PDF input needs pypdfium2: pip install 'ocrframe[engine]'") from e
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The PDF could not be opened ({e}); send an intact PDF or an image.") from None
    try:
        n = len(pdf)
        if not 1 <= page_number <= n:
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"pdf_page_number={page_number} is out of range: the PDF has {n} page(s).")
        page = pdf[page_number - 1]
        pw, ph = page.get_size()  # points
        scale = PDF_RENDER_SIDE / max(pw, ph, 1.0)
        bitmap = page.render(scale=scale)
        arr = np.array(bitmap.to_pil().convert("RGB"))
        return arr
    finally:
        pdf.close()


def decode_image(data: bytes, *, pdf_page_number: int | None = None) -> np.ndarray:
    """Validate and decode one request image to an RGB ``uint8`` array.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    pdf_page_number : int, optional
        For PDF input, the 1-based page to read (default 1). Ignored for images.

    Returns
    -------
    ndarray
        ``(H, W, 3)`` uint8, RGB; a transparent PNG is laid on white, 16-bit and grey
        images become 8-bit colour.

    Raises
    ------
    ApiError
        ``AIS.0101`` empty input or a PDF page that does not exist; ``AIS.0102`` a format
        other than JPEG/PNG/BMP/TIFF/PDF or a file that does not decode; ``AIS.0103`` more
        than 10 MB of base64, or sides outside 15..8000 px.

    Examples
    --------
    >>> import cv2, numpy as np
    >>> ok, buf = cv2.imencode(".png", np.zeros((20, 30, 3), np.uint8))
    >>> decode_image(buf.tobytes()).shape
    (20, 30, 3)
    >>> rgba = np.zeros((20, 30, 4), np.uint8); rgba[5:15, 5:25, 3] = 255  # black text, transparent around it
    >>> ok, buf = cv2.imencode(".png", rgba)
    >>> decode_image(buf.tobytes())[[0, 10], 15].tolist()  # laid on white paper
    [[255, 255, 255], [0, 0, 0]]
    >>> decode_image(b"GIF89a...")
    Traceback (most recent call last):
    ...
    ocrframe.errors.ApiError: AIS.0102: The image format is not supported: got a GIF file; send JPEG, PNG, BMP, TIFF or PDF.
    """
    import cv2

    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ApiError.of(Status.INVALID_PARAMETER,
                          f"The input parameter is invalid: image must be bytes, got {type(data).__name__}.")
    data = bytes(data)
    if not data:
        raise ApiError.of(Status.INVALID_PARAMETER, "The input parameter is invalid: the image is empty (0 bytes).")
    b64 = base64_length(len(data))
    if b64 > MAX_BASE64_BYTES:
        raise ApiError.of(
            Status.IMAGE_SIZE,
            f"The image size does not meet the requirements: its base64 is {b64 / 2**20:.1f} MB, more than "
            f"the 10 MB limit. Compress or downscale the image.")
    fmt = sniff_format(data)
    if fmt not in SUPPORTED_FORMATS:
        what = f"a {fmt.upper()} file" if fmt else "an unrecognised file type"
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: got {what}; send JPEG, PNG, BMP, TIFF or PDF.")
    if fmt == "pdf":
        img = _render_pdf(data, pdf_page_number or 1)
        _check_size(img.shape[0], img.shape[1], f"PDF page {pdf_page_number or 1} rendered")
        return img
    buf = np.frombuffer(data, np.uint8)
    # a PNG may be transparent: read its alpha; other formats as colour, EXIF-oriented
    arr = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED if fmt == "png" else cv2.IMREAD_COLOR)
    if arr is None or arr.size == 0:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the {fmt.upper()} data could not be decoded "
                          "(truncated or corrupt file). Re-export the image.")
    _check_size(arr.shape[0], arr.shape[1], "the image")
    return _to_rgb8(arr)


#: the paper a transparent image is laid on (a document exported with a transparent
#: background prints dark text on nothing: on black, as its pixels store it, it is unreadable)
BACKGROUND = 255


def _to_rgb8(arr: np.ndarray) -> np.ndarray:
    """An OpenCV image of any depth and channel count as 8-bit RGB; transparent pixels
    laid on white paper.

    Examples
    --------
    >>> import numpy as np
    >>> bgra = np.zeros((2, 2, 4), np.uint16); bgra[0, 0] = (0, 0, 65535, 65535)  # one opaque red pixel
    >>> _to_rgb8(bgra)[..., 0].tolist(), _to_rgb8(bgra)[1, 1].tolist()
    ([[255, 255], [255, 255]], [255, 255, 255])
    """
    import cv2

    if arr.dtype != np.uint8:
        arr = (arr.astype(np.float32) * (255.0 / np.iinfo(arr.dtype).max) if arr.dtype.kind in "ui"
               else np.clip(arr, 0.0, 1.0) * 255.0).round().astype(np.uint8)
    if arr.ndim == 2:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2RGB)
    if arr.shape[2] == 4:
        alpha = arr[..., 3:].astype(np.float32) / 255.0
        bgr = arr[..., :3].astype(np.float32) * alpha + BACKGROUND * (1.0 - alpha)
        arr = bgr.round().astype(np.uint8)
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)
