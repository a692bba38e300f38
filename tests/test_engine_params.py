"""EngineParams (the engine's tunable knobs, LocalEngine(params=...)) and analyse's type_list."""

from __future__ import annotations

import pickle
from dataclasses import asdict

import numpy as np
import pytest

from ocrframe.engine.params import EngineParams

cv2 = pytest.importorskip("cv2")
pytest.importorskip("rapidocr")

from ocrframe.backends.base import ImageInput, RequestOptions  # noqa: E402
from ocrframe.backends.local import LocalEngine  # noqa: E402
from ocrframe.testing.scenes import make_scene  # noqa: E402
from ocrframe.types import DocType  # noqa: E402


# ------------------------------------------------------------------ the dataclass

def test_defaults_name_no_change():
    p = EngineParams()
    assert p.key() == ""
    assert (p.min_score, p.det_policy, p.read_stamps, p.reread_turned, p.split_packed) == \
        (0.5, "rapidocr", True, True, True)
    with pytest.raises(Exception):
        p.min_score = 0.7  # frozen


def test_parse_and_key():
    p = EngineParams.parse(["min_score=0.7", "read-stamps=off", "det_policy=adaptive"])
    assert p == EngineParams(min_score=0.7, read_stamps=False, det_policy="adaptive")
    assert p.key() == "min_score=0.7,det_policy='adaptive',read_stamps=False"
    assert EngineParams.parse([]) == EngineParams()


@pytest.mark.parametrize("bad", [["min_score=high"], ["min_score=1.5"], ["speed=2"], ["read_stamps=maybe"],
                                 ["det_policy=fast"], ["min_score"]])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        EngineParams.parse(bad)


def test_invalid_values_rejected():
    with pytest.raises(ValueError, match="det_policy"):
        EngineParams(det_policy="fast")
    with pytest.raises(ValueError, match="split_packed"):
        EngineParams(split_packed=1)
    with pytest.raises(TypeError, match="EngineParams"):
        LocalEngine(params={"min_score": 0.7})


# ------------------------------------------------------------------ LocalEngine settings

def test_params_pickle_and_identity():
    from ocrframe.engine import ENGINE_VERSION
    from ocrframe.engine.ocr import ocr_identity

    default = LocalEngine()
    assert default.params == EngineParams()
    # the defaults keep the identity (and so the stored answers) they had before params existed
    assert default.identity == f"local:{ENGINE_VERSION}:{ocr_identity(None)}"
    assert repr(default) == "LocalEngine(runtime=None, precision=None, threads=None)"
    eng = LocalEngine(threads=1, params=EngineParams(min_score=0.7, split_packed=False))
    back = pickle.loads(pickle.dumps(eng))  # as a worker process receives it
    assert back.params == EngineParams(min_score=0.7, split_packed=False) and back.threads == 1
    assert back.identity == eng.identity != default.identity
    assert eng.identity.endswith(":min_score=0.7,split_packed=False")
    assert "params=EngineParams(min_score=0.7" in repr(eng)
    old = LocalEngine.__new__(LocalEngine)  # a state pickled before params existed
    old.__setstate__({"runtime": None, "precision": None, "threads": None})
    assert old.params == EngineParams()


def test_det_policy_set_by_each_engine():
    from ocrframe.engine import ocr

    LocalEngine(params=EngineParams(det_policy="adaptive"))._configure()
    assert ocr.current_config().det_policy == "adaptive"
    LocalEngine()._configure()  # a second engine's setting is never silently ignored
    assert ocr.current_config().det_policy == "rapidocr"


# ------------------------------------------------------------------ behaviour on a scene

def _jpeg(arr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(arr, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return buf.tobytes()


@pytest.fixture(scope="module")
def two_kinds():
    img, truth = make_scene(211, kinds=["id_card_portrait_side", "train_ticket"], max_angle=6)
    return img, truth


def _run(data: bytes, params: EngineParams | None = None, **opts) -> dict:
    return LocalEngine(params=params).recognize(ImageInput("scene.jpg", data=data), RequestOptions(**opts))


def test_default_params_answer_as_the_default_engine(two_kinds):
    data = _jpeg(two_kinds[0])
    base = _run(data)
    assert {d["type"] for d in base["result"]} == {"id_card_portrait_side", "train_ticket"}
    assert _run(data, EngineParams(**asdict(EngineParams()))) == base
    # a changed knob changes the answer: at a minimum score of 0.99 most lines are dropped
    strict = _run(data, EngineParams(min_score=0.99))
    assert strict != base


def test_analyse_honours_type_list(two_kinds):
    from ocrframe.engine.ocr import run_ocr
    from ocrframe.engine.pipeline import analyse

    img = cv2.cvtColor(cv2.imdecode(np.frombuffer(_jpeg(two_kinds[0]), np.uint8), cv2.IMREAD_COLOR),
                       cv2.COLOR_BGR2RGB)
    lines = run_ocr(img)
    every = analyse(img, lines=list(lines))
    assert {c.type for _, c in every} >= {DocType.ID_CARD_PORTRAIT_SIDE, DocType.TRAIN_TICKET}
    only = analyse(img, lines=list(lines), type_list=(DocType.TRAIN_TICKET,))
    assert [c.type for _, c in only] == [DocType.TRAIN_TICKET]
    want = [r.quad for r, c in every if c.type is DocType.TRAIN_TICKET]
    assert len(want) == 1 and np.allclose(only[0][0].quad, want[0])
    assert analyse(img, lines=list(lines), type_list=(DocType.PASSPORT,)) == []
