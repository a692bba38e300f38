"""Deprecated: the HTTP client pieces now live in :mod:`ocrframe.backends.http`, one file per job.

This module only re-exports them under their old names for one release, and warns when
imported. Where each name went:

- ``RetryPolicy``, ``RateLimiter``, ``parse_retry_after``: :mod:`ocrframe.backends.http.retry`
- ``make_session``, ``send``, ``normalize_timeout``, ``error_from_body``, ``map_http_error``
  (and ``_Failure``, now public as ``AttemptFailure``): :mod:`ocrframe.backends.http.transport`
- ``TokenAuth``, ``BasicAuth`` (and ``AKSKAuth``): :mod:`ocrframe.backends.http.auth`
- ``CallStats``, ``billable_documents``, ``estimate_cost``: :mod:`ocrframe.backends.http.stats`
- ``ContractClient``: :mod:`ocrframe.backends.http.client`
- ``Secret``, ``scrub``, ``strip_userinfo``: :mod:`ocrframe.secret`
- ``check_image``, ``MAX_BASE64_BYTES``: :mod:`ocrframe.contract`
"""

from __future__ import annotations

import warnings

from ..contract import MAX_BASE64_BYTES, check_image
from ..secret import Secret, scrub, strip_userinfo
from .http.auth import BasicAuth, TokenAuth
from .http.client import ContractClient
from .http.retry import RateLimiter, RetryPolicy, parse_retry_after
from .http.stats import CallStats, billable_documents, estimate_cost
from .http.transport import AttemptFailure, error_from_body, make_session, map_http_error, normalize_timeout, send

_Failure = AttemptFailure

__all__ = [
    "Secret", "RetryPolicy", "RateLimiter", "CallStats", "TokenAuth", "ContractClient", "make_session", "send",
    "check_image", "billable_documents", "estimate_cost", "MAX_BASE64_BYTES",
    # importable before, though not listed
    "BasicAuth", "error_from_body", "map_http_error", "normalize_timeout", "parse_retry_after", "scrub",
    "strip_userinfo",
]

# stacklevel 2: the line importing this module (the warnings module skips importlib's frames)
warnings.warn("ocrframe.backends.http_common is deprecated and will be removed in the next release; import from "
              "ocrframe.backends.http (or ocrframe.secret for scrub, strip_userinfo and Secret)",
              DeprecationWarning, stacklevel=2)
