"""Backends: one protocol (:class:`Backend`), several implementations.

``resolve_backend`` turns what a user passes (``None``, a spec string, an object)
into a backend, importing heavy optional dependencies only when asked for.
"""

from __future__ import annotations

import os
from typing import Any

from .base import Backend, ImageInput, RequestOptions
from .replay import Replay

__all__ = ["Backend", "ImageInput", "RequestOptions", "Replay", "resolve_backend", "BACKEND_SPECS"]

#: what ``resolve_backend`` (and the CLI's ``--backend``) accepts as a string
BACKEND_SPECS = (
    "local  - the offline LocalEngine (default)",
    "replay:FILE.jsonl  - saved responses",
    "http(s)://HOST:PORT  - any server speaking the contract (e.g. `ocrframe serve`)",
    "huawei[:REGION]  - Huawei Cloud, credentials from the environment",
)


def _local():
    try:
        from .local import LocalEngine
    except ImportError as e:
        raise ImportError(f"the local engine needs its extra: pip install 'ocrframe[engine]' ({e})") from None
    return LocalEngine()


def resolve_backend(spec: Any = None) -> Backend:
    """A backend from ``None`` (the local engine), a spec string, or a backend object.

    Examples
    --------
    >>> resolve_backend("nonsense")
    Traceback (most recent call last):
    ...
    ValueError: unknown backend 'nonsense'; use one of: local  - the offline LocalEngine (default); replay:FILE.jsonl  - saved responses; http(s)://HOST:PORT  - any server speaking the contract (e.g. `ocrframe serve`); huawei[:REGION]  - Huawei Cloud, credentials from the environment
    """
    if spec is None or spec == "local":
        return _local()
    if isinstance(spec, os.PathLike):
        spec = os.fspath(spec)
    if isinstance(spec, str):
        if spec.startswith("replay:"):
            return Replay(spec[len("replay:"):])
        if spec.endswith(".jsonl"):
            return Replay(spec)
        if spec.startswith(("http://", "https://")):
            from .http import HTTPService

            return HTTPService(spec)
        if spec == "huawei" or spec.startswith("huawei:"):
            from .huawei import HuaweiCloud

            region = spec.partition(":")[2] or None
            return HuaweiCloud(region=region)
        raise ValueError(f"unknown backend {spec!r}; use one of: {'; '.join(BACKEND_SPECS)}")
    if callable(getattr(spec, "recognize", None)) and isinstance(getattr(spec, "identity", None), str):
        return spec
    raise TypeError(f"backend must be a spec string or an object with .identity and .recognize(), "
                    f"got {type(spec).__name__}")
