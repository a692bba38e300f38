import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from ocrframe import Replay, ResponseStore
from ocrframe.backends import RequestOptions
from ocrframe.batch import load_image, run_backend
from ocrframe.errors import ApiError, AuthenticationError

from ocrframe.testing.backends import Counting, Scripted, SlowReplay


def test_classify_through_replay(images, replay_file):
    df = pd.DataFrame({"path": [str(p) for p in images] + ["nope.jpg"], "k": range(5)})
    docs = df.ocr.classify(col="path", backend=Replay(replay_file), progress=False)
    assert docs["status"].tolist() == ["AIS.0000", "AIS.0000", "AIS.0104", "AIS.0000", "AIS.0103", "AIS.0000",
                                       "OCRFRAME.0001"]
    assert docs.index.tolist() == [0, 0, 0, 1, 2, 3, 4]
    assert "nope.jpg: no such file" in docs["status_msg"].iloc[-1]
    stats = docs.attrs["ocrframe"]
    assert stats["images"] == 5 and stats["requests"] == 4 and stats["failed_images"] == 2
    assert stats["billable_documents"] == 3 and stats["documents"] == 4


def test_replay_type_list_filters(images, replay_file):
    df = pd.DataFrame({"path": [str(images[3]), str(images[0])]})
    docs = df.ocr.classify(backend=Replay(replay_file), type_list=["vat_invoice"], progress=False)
    assert docs["type"].iloc[0] == "vat_invoice" and pd.isna(docs["type"].iloc[1])
    assert docs["status"].tolist() == ["AIS.0000", "AIS.0000"]


@pytest.mark.parametrize("workers", [1, 4])
def test_results_come_back_in_input_order(tmp_path, replay_file, images, workers):
    paths = [str(images[i % 4]) for i in range(24)]
    backend = Counting(Replay(replay_file), delay=0.02, seed=workers)
    answers, stats = run_backend(paths, backend, workers=workers, progress=False)
    expected, _ = run_backend(paths, Replay(replay_file), progress=False)
    assert [type(a).__name__ for a in answers] == [type(a).__name__ for a in expected]
    assert [getattr(a, "documents", a.code if isinstance(a, ApiError) else None) for a in answers] == \
           [getattr(a, "documents", a.code if isinstance(a, ApiError) else None) for a in expected]
    assert len(backend.calls) == 24 and stats.requests == 24


def test_store_hits_and_misses(tmp_path, images, replay_file):
    store_path = tmp_path / "runs.sqlite"
    paths = [str(p) for p in images]
    backend = Counting(Replay(replay_file))
    first, s1 = run_backend(paths, backend, store=store_path, progress=False)
    assert len(backend.calls) == 4 and s1.cached == 0
    second, s2 = run_backend(paths, backend, store=store_path, progress=False)
    assert len(backend.calls) == 4 and s2.cached == 4 and s2.requests == 0 and s2.billable_documents == 0
    assert [repr(a) for a in first] == [repr(a) for a in second]
    # other options or another backend identity are other keys
    run_backend(paths[:1], backend, RequestOptions(type_list=["quota_invoice"]), store=store_path, progress=False)
    assert len(backend.calls) == 5
    # the same bytes under another name are a hit
    copy = tmp_path / "renamed.jpg"
    copy.write_bytes(images[0].read_bytes())
    run_backend([str(copy)], backend, store=store_path, progress=False)
    assert len(backend.calls) == 5


def test_transient_errors_are_not_stored(tmp_path, images):
    store_path = tmp_path / "runs.sqlite"
    backend = Scripted({"img0.jpg": "raise:OCRFRAME.0005", "img1.jpg": "raise:AIS.0103"})
    run_backend([str(images[0]), str(images[1])], backend, store=store_path, progress=False)
    with ResponseStore(store_path) as store:
        recs = list(store.records())
    assert [r["body"]["error_code"] for r in recs] == ["AIS.0103"]


def test_failures_become_rows_not_crashes(images):
    backend = Scripted({"img0.jpg": "boom", "img1.jpg": "bad", "img2.jpg": "raise:AIS.0102"})
    values = [str(images[0]), str(images[1]), str(images[2]), str(images[3]), None, 42, b"raw bytes"]
    answers, stats = run_backend(values, backend, progress=False)
    codes = [a.code if isinstance(a, ApiError) else "ok" for a in answers]
    assert codes == ["OCRFRAME.0007", "OCRFRAME.0006", "AIS.0102", "ok", "OCRFRAME.0003", "OCRFRAME.0003", "ok"]
    assert "RuntimeError: engine exploded" in answers[0].message
    assert "result[0].location: expected 4 points" in answers[1].message
    assert stats.failed_images == 5


def test_errors_raise_and_authentication_stops_the_batch(images):
    backend = Scripted({"img1.jpg": "raise:AIS.0103"})
    with pytest.raises(ApiError, match="AIS.0103"):
        run_backend([str(p) for p in images], backend, errors="raise", progress=False)
    counting = Counting(Scripted({"img0.jpg": "auth"}), identity="scripted")
    with pytest.raises(AuthenticationError, match="APIGW.0301"):
        run_backend([str(p) for p in images], counting, progress=False)
    assert len(counting.calls) == 1


def test_bad_arguments(images, replay_file):
    df = pd.DataFrame({"path": [str(images[0])]})
    with pytest.raises(KeyError, match="column 'image' not in the frame"):
        df.ocr.classify(col="image", backend=Replay(replay_file))
    with pytest.raises(ValueError, match="workers must be a positive int"):
        df.ocr.classify(backend=Replay(replay_file), workers=0)
    with pytest.raises(ValueError, match="errors must be one of"):
        df.ocr.classify(backend=Replay(replay_file), errors="ignore")
    with pytest.raises(ValueError, match="unknown document type"):
        df.ocr.classify(backend=Replay(replay_file), type_list=["id_card"])


def test_inputs_may_be_paths_bytes_or_urls(images, replay_file):
    assert load_image(images[0]).data == images[0].read_bytes()
    assert load_image("HTTPS://host/x.png").url == "HTTPS://host/x.png"
    with pytest.raises(ApiError, match="is a directory"):
        load_image(images[0].parent)
    # bytes are matched by content in a replay file that has hashes (as exported from a store)
    df = pd.DataFrame({"path": [images[0].read_bytes()]})
    docs = df.ocr.classify(backend=Replay(replay_file), progress=False)
    assert docs["status"].iloc[0] == "OCRFRAME.0008"


def test_store_export_feeds_replay(tmp_path, images, replay_file):
    store_path = tmp_path / "runs.sqlite"
    df = pd.DataFrame({"path": [str(p) for p in images]})
    docs = df.ocr.classify(backend=Replay(replay_file), store=store_path, progress=False)
    exported = tmp_path / "exported.jsonl"
    with ResponseStore(store_path) as store:
        assert store.export_jsonl(exported) == 4  # the AIS.0103 error is final, so it is kept too
    again = pd.DataFrame({"path": [p.read_bytes() for p in images]}).ocr.classify(
        backend=Replay(exported), progress=False)
    assert again["status"].tolist() == docs["status"].tolist()
    assert again["content"].tolist() == docs["content"].tolist()


ROOT = Path(__file__).resolve().parents[1]
CRASH_SCRIPT = textwrap.dedent("""
    import sys
    import pandas as pd
    import ocrframe
    from ocrframe.testing.backends import SlowReplay
    paths = sys.argv[3:]
    pd.DataFrame({"path": paths}).ocr.classify(backend=SlowReplay(sys.argv[1], 0.15), store=sys.argv[2],
                                               workers=2, progress=False)
""")


def test_resume_after_kill_9(tmp_path, many_images):
    paths, saved = many_images(40)
    store_path = tmp_path / "crash.sqlite"
    script = tmp_path / "run.py"
    script.write_text(CRASH_SCRIPT)
    # the child imports this checkout's ocrframe (ocrframe.testing included), as this process does
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(script), str(saved), str(store_path), *paths], env=env)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if store_path.exists():
                with ResponseStore(store_path) as s:
                    stored = len(s)
                if stored >= 6:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with ResponseStore(store_path) as s:
        survived = len(s)
    assert 6 <= survived < 40
    backend = Counting(SlowReplay(saved, 0.0), identity="slow-replay")
    docs = pd.DataFrame({"path": paths}).ocr.classify(backend=backend, store=store_path, progress=False)
    # only the images without a stored final answer are asked again
    # (the AIS.0103 ones are final answers too, so they were stored)
    assert len(backend.calls) == 40 - survived
    clean = pd.DataFrame({"path": paths}).ocr.classify(backend=Replay(saved), progress=False)
    assert docs["status"].tolist() == clean["status"].tolist()
    assert docs["content"].tolist() == clean["content"].tolist()
