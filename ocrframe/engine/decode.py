"""Request validation and image decoding for the local engine, with the contract's limits.

The rules are the contract's (:mod:`ocrframe.contract`): one file (the service receives it
base64-encoded, at most 10 MB of base64), JPEG / PNG / BMP / TIFF or a PDF (page
``pdf_page_number``, default 1), shortest side at least 15 px, longest side at most
8000 px. The pixel size is read from the file's header and checked *before* any decoder
allocates; a header that cannot be read is refused. A violation raises
:class:`ocrframe.errors.ApiError` with the contract's code and a message that says what
was wrong and what to do. OFD, which the newer service reads, is not rendered by the
local engine yet: it is refused with ``AIS.0102`` and a hint.
"""

from __future__ import annotations

import numpy as np

from ..contract import (MAX_BASE64_BYTES, MAX_SIDE, MIN_SIDE, ImageFormat, ImageInfo, Limits, check_image, size_error,
                        sniff_format)
from ..errors import ApiError
from ..types import Status

__all__ = ["sniff_format", "decode_image", "decode_image_reduced", "jpeg_reduction", "MAX_BASE64_BYTES", "MIN_SIDE",
           "MAX_SIDE", "SUPPORTED_FORMATS", "ENGINE_LIMITS"]

#: what the local engine decodes: every service format but OFD
SUPPORTED_FORMATS = tuple(f.value for f in ImageFormat if f is not ImageFormat.OFD)
ENGINE_LIMITS = Limits(formats=SUPPORTED_FORMATS)
#: a PDF page is rendered so its longer side has about this many pixels
PDF_RENDER_SIDE = 2000

# pdfium's FPDF_GetLastError codes, in words a person can act on
_PDF_ERRORS = {
    0: "the PDF has no pages",  # pdfium reports "Success" when a document has none
    1: "PDFium could not read it (unknown error)",
    2: "the file could not be read",
    3: "it is not a valid PDF (damaged or truncated)",
    4: "it is encrypted; send it without a password",
    5: "it uses an unsupported security scheme",
    6: "a page could not be found",
}


def _render_pdf(data: bytes, page_number: int) -> np.ndarray:
    try:
        import pypdfium2 as pdfium
    except ImportError as e:  # pragma: no cover - environment
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          "PDF input needs pypdfium2: pip install 'ocrframe[engine]'") from e
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:
        why = _PDF_ERRORS.get(getattr(e, "err_code", None), "it is not a valid PDF")
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the PDF could not be opened: {why}. "
                          "Send an intact PDF or an image.") from None
    try:
        n = len(pdf)
        if n == 0:
            raise ApiError.of(Status.UNSUPPORTED_FORMAT, "The image format is not supported: the PDF has no pages.")
        if not 1 <= page_number <= n:
            raise ApiError.of(Status.INVALID_PARAMETER,
                              f"The input parameter is invalid: pdf_page_number={page_number} is out of range: "
                              f"the PDF has {n} page(s).")
        page = pdf[page_number - 1]
        pw, ph = page.get_size()  # points
        scale = PDF_RENDER_SIDE / max(pw, ph, 1.0)
        w, h = round(pw * scale), round(ph * scale)
        err = size_error(w, h, f"PDF page {page_number} rendered", ENGINE_LIMITS)
        if err is not None:  # refused before pdfium allocates the bitmap
            raise err
        bitmap = page.render(scale=scale)
        return np.array(bitmap.to_pil().convert("RGB"))
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
        other than JPEG/PNG/BMP/TIFF/PDF, a header whose size cannot be read, or a file
        that does not decode; ``AIS.0103`` more than 10 MB of base64, or sides outside
        15..8000 px (read from the header, before decoding).

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
    ocrframe.errors.ApiError: AIS.0102: The image format is not supported: the image is a GIF file; send JPEG, PNG, BMP, TIFF, PDF.
    """
    return _decode(bytes(data), check_image(data, "the image", ENGINE_LIMITS), pdf_page_number, 1)


def _decode(data: bytes, info: ImageInfo, pdf_page_number: int | None, reduction: int) -> np.ndarray:
    """Decode a file :func:`check_image` has passed; a JPEG at 1/``reduction`` of its size."""
    if info.format is ImageFormat.PDF:
        return _render_pdf(data, pdf_page_number or 1)
    import cv2

    buf = np.frombuffer(data, np.uint8)
    # a PNG may be transparent: read its alpha; other formats as colour, EXIF-oriented
    if reduction > 1:
        flag = getattr(cv2, _JPEG_REDUCED[reduction])
    else:
        flag = cv2.IMREAD_UNCHANGED if info.format is ImageFormat.PNG else cv2.IMREAD_COLOR
    arr = cv2.imdecode(buf, flag)
    if arr is None or arr.size == 0:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the {info.format.label} data could not be decoded "
                          "(truncated or corrupt file). Re-export the image.")
    # EXIF orientation may swap the sides; libjpeg rounds a reduced side up
    expected = sorted(-(-side // reduction) for side in info.size)
    if sorted(arr.shape[:2]) != expected:
        raise ApiError.of(Status.UNSUPPORTED_FORMAT,
                          f"The image format is not supported: the {info.format.label} header says "
                          f"{info.width}x{info.height} px but the data decodes to "
                          f"{arr.shape[1] * reduction}x{arr.shape[0] * reduction} px (corrupt file). Re-export the image.")
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

    The file passes the same checks as :func:`decode_image` (size read from its header,
    before any decoding). A JPEG whose longest side is at least twice ``keep_side`` is
    then decoded at 1/2, 1/4 or 1/8 of its size (:func:`jpeg_reduction`) by libjpeg
    itself; everything else is decoded as :func:`decode_image` does.

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
    >>> img.shape, round(factor, 3)
    ((1050, 2050, 3), 2.0)
    """
    info = check_image(data, "the image", ENGINE_LIMITS)
    f = jpeg_reduction(info.height, info.width, keep_side) if info.format is ImageFormat.JPEG else 1
    img = _decode(bytes(data), info, pdf_page_number, f)
    return img, (max(info.size) / max(img.shape[:2]) if f > 1 else 1.0)
