"""The backend protocol: one image (bytes or URL) + options -> the contract's response JSON.

A backend answers with the 200 body (``{"result": [...]}``) as a plain dict, or raises
:class:`ocrframe.errors.ApiError` with the service's code for a request-level failure.
Everything above the protocol (store, batching, frames) is shared by all backends. The
request types themselves are the contract's (:mod:`ocrframe.contract`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..contract import ImageInput, RequestOptions

__all__ = ["Backend", "RequestOptions", "ImageInput"]


@runtime_checkable
class Backend(Protocol):
    """What every backend implements.

    ``identity`` names the backend and every setting that changes its answers (not
    secrets): the response store keys saved answers by it. ``max_workers`` is a hint for
    the default concurrency; ``parallelism`` is ``"thread"`` for I/O-bound backends.
    """

    identity: str

    def recognize(self, image: ImageInput, options: RequestOptions) -> dict: ...
