"""Helpers for testing code that uses ocrframe, and ocrframe itself (as ``pandas.testing`` is).

Everything here is real: HTTP servers on 127.0.0.1, objects implementing the backend
protocol, documents frames built through the real parser. ``import ocrframe.testing`` is
light; each name imports its module (and that module's optional dependencies) on first use.

Services on 127.0.0.1
    :class:`FakeCloud` (:mod:`.fake_cloud`): the cloud API with IAM tokens, AK/SK signatures
    and injected faults (:class:`Fault`, :class:`FaultPlan`, :func:`answer_for`,
    :class:`Record`, in :mod:`.faults`); ``python -m ocrframe.testing.fake_cloud`` runs it
    in its own process. :class:`ServerThread` (:mod:`.server`): ocrframe's own server on
    a thread (``OCR_PATH_V1``, ``OCR_PATH_V2``: the paths a client posts to).
Backends (:mod:`.backends`)
    :class:`DigestBackend` (deterministic answers), :class:`SlowBackend`,
    :class:`CrashingBackend`, :class:`Counting`, :class:`Scripted`, :class:`SlowReplay`,
    :class:`LazyModel` (:func:`lazy_model_loads`).
Frames (:mod:`.frames`, :mod:`.coco`)
    :func:`docs` (a documents frame from a small spec), :func:`quad`,
    :func:`synthetic_pair` (truth and jittered predictions); :func:`coco_matches`,
    :func:`coco_inputs` (pycocotools as the reference for matching).
Images (:mod:`.images`, :mod:`.scenes`)
    :func:`png`, :func:`gif`, :func:`b64`; :func:`make_scene` (card and invoice mock-ups
    placed on a background, with truth; needs OpenCV, Pillow, python-stdnum, mplfonts).
Extraction (:mod:`.doctext`)
    :func:`doc_from_rows`: a located document made of OCR-like lines (misregistered or
    turned if asked), to test field extraction without running OCR.

Examples
--------
>>> import ocrframe.testing as tm
>>> from ocrframe.backends import ImageInput, RequestOptions
>>> from ocrframe.backends.http import HTTPService
>>> d = tm.docs({"a.jpg": [("bankcard", (0, 0, 100, 60))]})
>>> with tm.FakeCloud() as fake:
...     answer = HTTPService(fake.url, project_id="p-test").recognize(
...         ImageInput("a.png", data=tm.png()), RequestOptions())
>>> len(d), len(answer["result"]) >= 1
(1, True)
"""

from __future__ import annotations

import importlib

#: public name -> the module of this package that defines it
_WHERE = {
    "FakeCloud": "fake_cloud",
    "Fault": "faults", "FaultPlan": "faults", "Record": "faults", "answer_for": "faults",
    "ServerThread": "server", "OCR_PATH_V1": "server", "OCR_PATH_V2": "server",
    "DigestBackend": "backends", "SlowBackend": "backends", "CrashingBackend": "backends", "Counting": "backends",
    "Scripted": "backends", "SlowReplay": "backends", "LazyModel": "backends", "lazy_model_loads": "backends",
    "docs": "frames", "quad": "frames", "synthetic_pair": "frames",
    "coco_inputs": "coco", "coco_matches": "coco",
    "png": "images", "gif": "images", "b64": "images",
    "make_scene": "scenes",
    "doc_from_rows": "doctext",
}
_MODULES = ("fake_cloud", "faults", "server", "backends", "frames", "coco", "images", "scenes", "doctext")

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'ocrframe.testing' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE) | set(_MODULES))
