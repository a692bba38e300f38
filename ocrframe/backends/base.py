"""The backend protocol: one image (bytes or URL) + options -> the contract's response JSON.

A backend answers with the 200 body (``{"result": [...]}``) as a plain dict, or raises
:class:`ocrframe.errors.ApiError` with the service's code for a request-level failure.
Everything above the protocol (store, batching, frames) is shared by all backends.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..types import DocType, parse_type_list

__all__ = ["Backend", "RequestOptions", "ImageInput"]


@dataclass(frozen=True)
class RequestOptions:
    """The request body's options besides the image.

    Examples
    --------
    >>> RequestOptions(type_list=["passport"]).to_body()
    {'type_list': ['passport']}
    >>> RequestOptions().cache_key()
    '{}'
    """

    type_list: tuple[DocType, ...] | None = None
    detect_seal: bool | None = None
    pdf_page_number: int | None = None
    extended_parameters: dict | None = field(default=None, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "type_list", parse_type_list(self.type_list))
        if self.pdf_page_number is not None and (
                not isinstance(self.pdf_page_number, int) or self.pdf_page_number < 1):
            raise ValueError(f"pdf_page_number must be a positive int, got {self.pdf_page_number!r}")
        if self.detect_seal is not None and not isinstance(self.detect_seal, bool):
            raise ValueError(f"detect_seal must be True, False or None, got {self.detect_seal!r}")

    def to_body(self) -> dict[str, Any]:
        """The options as request-body keys (absent options are left out)."""
        body: dict[str, Any] = {}
        if self.type_list is not None:
            body["type_list"] = [t.value for t in self.type_list]
        if self.pdf_page_number is not None:
            body["pdf_page_number"] = self.pdf_page_number
        if self.detect_seal is not None:
            body["detect_seal"] = self.detect_seal
        if self.extended_parameters is not None:
            body["extended_parameters"] = self.extended_parameters
        return body

    def cache_key(self) -> str:
        """Canonical JSON of the options, part of the response store's key."""
        return json.dumps(self.to_body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ImageInput:
    """One image to recognise: its bytes, or a URL the service downloads.

    ``name`` is what the user gave (a path, a URL, ``<bytes>``), for messages and exports.
    """

    name: str
    data: bytes | None = None
    url: str | None = None

    def __post_init__(self):
        if (self.data is None) == (self.url is None):
            raise ValueError("ImageInput needs exactly one of data= or url=")

    def content_hash(self) -> str:
        """sha256 of the bytes (or of the URL, for URL inputs), hex."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return "url:" + hashlib.sha256(self.url.encode("utf-8")).hexdigest()


@runtime_checkable
class Backend(Protocol):
    """What every backend implements.

    ``identity`` names the backend and every setting that changes its answers (not
    secrets): the response store keys saved answers by it. ``max_workers`` is a hint for
    the default concurrency; ``parallelism`` is ``"thread"`` for I/O-bound backends.
    """

    identity: str

    def recognize(self, image: ImageInput, options: RequestOptions) -> dict: ...
