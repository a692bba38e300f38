"""The service contract in one place: limits, formats, image checks, requests, saved answers,
and the one way to call a backend.

Every layer imports its rules from here and restates none of them: the local engine
(:mod:`ocrframe.engine.decode`), the HTTP clients (:mod:`ocrframe.backends.http`),
the server (:mod:`ocrframe.server`), :class:`~ocrframe.backends.replay.Replay`, the
response store and evaluate's reader of saved answers. This package imports only the
registries (:mod:`ocrframe.types`, :mod:`ocrframe.errors`, :mod:`ocrframe._warn`).

Its modules, each one job: :mod:`.limits` (limits and formats), :mod:`.images` (header-read
image checks), :mod:`.requests` (request options, parsing, bodies, JSON Schema),
:mod:`.saved` (saved-answers JSONL), :mod:`.calls` (the one way to call a backend). Import
from ``ocrframe.contract``: every public name is here.

Limits are those of the original document (the seed): base64 at most 10 MB, shortest side
at least 15 px, longest side at most 8000 px (newer SDK text says 8192: a client may raise
its own ``max_side``), JPEG / PNG / BMP / TIFF, and the newer API's PDF and OFD.

Pixel sizes are read from the file header, never by decoding: Pillow's parser first, then
ocrframe's own reader of the format's header (PNG ``IHDR``, JPEG ``SOFn``, BMP DIB header,
TIFF first IFD). An image whose header neither can read, or whose two readings disagree,
is refused; nothing is decoded before its size has passed the limits.

Examples
--------
>>> import struct, zlib
>>> def png_header(w, h):  # a PNG whose header claims w x h, with no pixel data at all
...     ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
...     return b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
>>> check_image(png_header(640, 480)).size
(640, 480)
>>> check_image(png_header(32000, 32000), "bomb.png")
Traceback (most recent call last):
...
ocrframe.errors.ApiError: AIS.0103: The image size does not meet the requirements: bomb.png is 32000x32000 px; the shortest side must be at least 15 px and the longest at most 8000 px.
"""

from __future__ import annotations

from .calls import Outcome, call_backend, call_in_worker, init_worker, worker_backend
from .images import ImageInfo, base64_length, check_image, header_size, size_error, sniff_format
from .limits import (DEFAULT_MAX_BODY_BYTES, MAX_BASE64_BYTES, MAX_FILE_BYTES, MAX_PDF_PAGE, MAX_PIXELS, MAX_SIDE,
                     MAX_SIDE_NEWER, MAX_URL_LENGTH, MIN_SIDE, RASTER_FORMATS, SERVICE_FORMATS, ImageFormat, Limits)
from .requests import (EXTENDED_PARAMETER_KEYS, ImageInput, ParsedRequest, RequestOptions, build_body, decode_base64,
                       parse_request, request_json_schema)
from .saved import (SavedAnswer, iter_jsonl, parse_saved_answer, read_saved_answers, saved_answer_line,
                    write_saved_answers)

__all__ = [
    # limits
    "MAX_BASE64_BYTES", "MAX_FILE_BYTES", "MIN_SIDE", "MAX_SIDE", "MAX_SIDE_NEWER", "MAX_PIXELS",
    "MAX_URL_LENGTH", "MAX_PDF_PAGE", "DEFAULT_MAX_BODY_BYTES", "ImageFormat", "SERVICE_FORMATS",
    "RASTER_FORMATS", "Limits",
    # images
    "sniff_format", "base64_length", "header_size", "size_error", "check_image", "ImageInfo",
    # requests
    "RequestOptions", "ImageInput", "EXTENDED_PARAMETER_KEYS", "ParsedRequest", "parse_request",
    "decode_base64", "build_body", "request_json_schema",
    # saved answers
    "SavedAnswer", "saved_answer_line", "read_saved_answers", "write_saved_answers", "parse_saved_answer",
    "iter_jsonl",
    # calling a backend
    "Outcome", "call_backend", "init_worker", "worker_backend", "call_in_worker",
]
