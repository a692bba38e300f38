"""The contract's limits and formats: base64 size, pixel sides, URL length, PDF pages, the
file formats the service reads, and :class:`Limits` (the limits one checker applies)."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass

#: the contract's limit on the base64 text of one image
MAX_BASE64_BYTES = 10 * 1024 * 1024
#: the largest file whose base64 fits :data:`MAX_BASE64_BYTES`
MAX_FILE_BYTES = MAX_BASE64_BYTES * 3 // 4
#: shortest side the service accepts, in pixels
MIN_SIDE = 15
#: longest side, in pixels, as in the original document
MAX_SIDE = 8000
#: the longest side newer SDK text allows (a client may opt in with ``max_side=``)
MAX_SIDE_NEWER = 8192
#: the most pixels an accepted image can have (a decoder never allocates more)
MAX_PIXELS = MAX_SIDE_NEWER * MAX_SIDE_NEWER
#: longest ``url`` value accepted
MAX_URL_LENGTH = 4096
#: highest ``pdf_page_number`` accepted
MAX_PDF_PAGE = 100_000
#: a request body: the base64 limit plus room for the JSON around it
DEFAULT_MAX_BODY_BYTES = MAX_BASE64_BYTES + 64 * 1024

# defence in depth: OpenCV refuses to allocate beyond these, if it is imported after us
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_WIDTH", str(MAX_SIDE_NEWER))
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_HEIGHT", str(MAX_SIDE_NEWER))


class ImageFormat(str, enum.Enum):
    """The file formats the service reads."""

    JPEG = "jpeg"
    PNG = "png"
    BMP = "bmp"
    TIFF = "tiff"
    PDF = "pdf"
    OFD = "ofd"

    @property
    def label(self) -> str:
        return self.value.upper()


#: every format the service accepts (the newer API adds PDF and OFD)
SERVICE_FORMATS = tuple(ImageFormat)
#: formats with a pixel size in their header (PDF and OFD pages are rendered)
RASTER_FORMATS = (ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.BMP, ImageFormat.TIFF)


@dataclass(frozen=True)
class Limits:
    """The limits one checker applies (defaults: the contract's).

    Examples
    --------
    >>> Limits().max_side, Limits(max_side=MAX_SIDE_NEWER).max_side
    (8000, 8192)
    """

    max_base64_bytes: int = MAX_BASE64_BYTES
    min_side: int = MIN_SIDE
    max_side: int = MAX_SIDE
    formats: tuple = SERVICE_FORMATS

    def __post_init__(self):
        for name in ("max_base64_bytes", "min_side", "max_side"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name} must be an int >= 1, got {v!r}")
        if self.max_side > MAX_SIDE_NEWER:
            raise ValueError(f"max_side must be at most {MAX_SIDE_NEWER} (no service accepts more), "
                             f"got {self.max_side}")
        object.__setattr__(self, "formats", tuple(ImageFormat(f) for f in self.formats))

    def format_names(self) -> str:
        return ", ".join(f.label for f in self.formats)
