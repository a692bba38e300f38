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

__all__ = ["sniff_format", "decode_image", "decode_image_reduced", "jpeg_reduction", "MAX_BASE64_BYTES", "MIN_SIDE", "MAX_SIDE", "SUPPORTED_FORMATS"]

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
        ``(H, W, 3)`` uint8, RGB.

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
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None or arr.size == 0:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the {fmt.upper()} data could not be decoded "
                          "(truncated or corrupt file). Re-export the image.")
    _check_size(arr.shape[0], arr.shape[1], "the image")
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


#: libjpeg decodes a JPEG at 1/2, 1/4 or 1/8 of its size almost for free (DCT scaling)
_JPEG_REDUCED = {2: "IMREAD_REDUCED_COLOR_2", 4: "IMREAD_REDUCED_COLOR_4", 8: "IMREAD_REDUCED_COLOR_8"}


def jpeg_reduction(h: int, w: int, keep_side: int) -> int:
    """The largest libjpeg reduction (1, 2, 4 or 8) that keeps the longest side at least ``keep_side``.

    Examples
    --------
    >>> jpeg_reduction(3000, 4000, 2000), jpeg_reduction(1800, 2400, 2000), jpeg_reduction(6000, 8000, 2000)
    (2, 1, 4)
    """
    f = 1
    while f * 2 in _JPEG_REDUCED and max(h, w) // (f * 2) >= keep_side:
        f *= 2
    return f


def decode_image_reduced(data: bytes, *, keep_side: int, pdf_page_number: int | None = None
                         ) -> tuple[np.ndarray, float]:
    """:func:`decode_image`, but a JPEG much larger than needed is decoded at reduced size.

    A JPEG whose longest side is at least twice ``keep_side`` is decoded at 1/2, 1/4 or
    1/8 of its size (:func:`jpeg_reduction`) by libjpeg itself, after the request checks
    on its full size. Everything else is :func:`decode_image`.

    Returns
    -------
    img : ndarray
        ``(H, W, 3)`` uint8, RGB.
    factor : float
        Full-size pixels per decoded pixel (1.0 when not reduced): multiply coordinates
        found on ``img`` by it.

    Examples
    --------
    >>> import cv2, numpy as np
    >>> ok, buf = cv2.imencode(".jpg", np.zeros((2100, 4100, 3), np.uint8))
    >>> img, factor = decode_image_reduced(buf.tobytes(), keep_side=2000)
    >>> img.shape, factor
    ((1050, 2050, 3), 2.0)
    """
    import cv2

    if sniff_format(bytes(data[:16])) != "jpeg":
        return decode_image(data, pdf_page_number=pdf_page_number), 1.0
    try:
        import io

        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
    except Exception:  # let decode_image say what is wrong with it
        return decode_image(data, pdf_page_number=pdf_page_number), 1.0
    f = jpeg_reduction(h, w, keep_side)
    if f == 1 or base64_length(len(data)) > MAX_BASE64_BYTES:
        return decode_image(data, pdf_page_number=pdf_page_number), 1.0
    _check_size(h, w, "the image")
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), getattr(cv2, _JPEG_REDUCED[f]))
    if arr is None or arr.size == 0:
        return decode_image(data, pdf_page_number=pdf_page_number), 1.0
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB), w / arr.shape[1]
