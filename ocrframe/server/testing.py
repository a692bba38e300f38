"""Deprecated: :mod:`ocrframe.testing` holds the test helpers now (``ServerThread`` in
:mod:`ocrframe.testing.server`; ``DigestBackend``, ``SlowBackend``, ``CrashingBackend`` in
:mod:`ocrframe.testing.backends`). This module re-exports them for one release and warns
when imported.
"""

from __future__ import annotations

import warnings

from ..testing.backends import CrashingBackend, DigestBackend, SlowBackend
from ..testing.server import ServerThread

__all__ = ["ServerThread", "DigestBackend", "SlowBackend", "CrashingBackend"]

# stacklevel 2: the line importing this module (the warnings module skips importlib's frames)
warnings.warn("ocrframe.server.testing is deprecated and will be removed in the next release; import from "
              "ocrframe.testing", DeprecationWarning, stacklevel=2)
