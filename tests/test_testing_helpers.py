"""``ocrframe.testing``: every public name resolves, and the old homes still work, with a warning."""

from __future__ import annotations

import importlib
import sys

import pytest

import ocrframe.testing as tm


def test_every_public_name_resolves_to_its_module():
    for name, module in tm._WHERE.items():
        obj = getattr(tm, name)
        assert getattr(importlib.import_module(f"ocrframe.testing.{module}"), name) is obj
    assert set(tm.__all__) <= set(dir(tm))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tm.nope


def test_the_fake_cloud_module_keeps_its_names():
    from ocrframe.testing import fake_cloud, faults

    for name in ("Fault", "FaultPlan", "Record", "answer_for"):
        assert getattr(fake_cloud, name) is getattr(faults, name)


def _import_fresh(name: str):
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_server_testing_is_a_deprecated_re_export():
    with pytest.warns(DeprecationWarning, match="ocrframe.server.testing is deprecated"):
        old = _import_fresh("ocrframe.server.testing")
    for name in ("ServerThread", "DigestBackend", "SlowBackend", "CrashingBackend"):
        assert getattr(old, name) is getattr(tm, name)


def test_evaluate_testing_re_exports_the_frame_builders():
    old = _import_fresh("ocrframe.evaluate._testing")
    for name in ("docs", "quad", "synthetic_pair", "coco_inputs", "coco_matches"):
        assert getattr(old, name) is getattr(tm, name)
