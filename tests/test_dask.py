"""Dask: the same documents frame as pandas, on a real LocalCluster (processes, 2 workers)."""

import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import ocrframe  # noqa: E402
import ocrframe.dask as ocd  # noqa: E402
from ocrframe import Replay, ResponseStore  # noqa: E402

from ocrframe.testing.backends import LazyModel, lazy_model_loads  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    # workers import this checkout's ocrframe (ocrframe.testing included), as this process does
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture
def many(tmp_path, many_images):
    """48 distinct images answered like the four saved ones (incl. an error and an empty one)."""
    paths, saved = many_images(48)
    paths.append(str(tmp_path / "missing.jpg"))  # never silently dropped
    frame = pd.DataFrame({"path": paths, "batch": [i % 3 for i in range(len(paths))]},
                         index=pd.Index([f"id{i}" for i in range(len(paths))], name="image_id"))
    return frame, saved


def test_same_documents_frame_as_pandas(client, many, tmp_path):
    frame, saved = many
    ddf = dd.from_pandas(frame, npartitions=6)
    # the pandas path on the same input (dask stores strings as pyarrow strings)
    expected = ddf.compute().ocr.classify(backend=Replay(saved), progress=False)
    docs = ddf.ocr.classify(col="path", backend=LazyModel(saved), store=tmp_path / "shared.sqlite")
    got = docs.compute()
    pd.testing.assert_frame_equal(got, expected)
    # models were loaded at most once per worker process, not once per task
    assert all(n <= 1 for n in client.run(lazy_model_loads).values())
    # all workers wrote into one shared store; a second run asks nothing again
    with ResponseStore(tmp_path / "shared.sqlite") as s:
        assert len(s) == 48
    # partitioned parquet, lossless
    written = ocd.to_parquet(docs, tmp_path / "parts")
    assert written == len(expected)
    # (pandas' own parquet reader turns dask's pyarrow-string *index* into the default str
    # dtype; the values and every column's dtype survive)
    pd.testing.assert_frame_equal(ocd.read_parquet(tmp_path / "parts").compute(), expected, check_index_type=False)
    pd.testing.assert_frame_equal(ocrframe.read_parquet(tmp_path / "parts"), expected, check_index_type=False)
    # the fields frame, partition by partition
    pd.testing.assert_frame_equal(docs.ocr.fields().compute(), expected.ocr.fields())


def test_a_killed_worker_loses_no_image(client, many, tmp_path):
    frame, saved = many
    ddf = dd.from_pandas(frame, npartitions=12)
    expected = ddf.compute().ocr.classify(backend=Replay(saved), progress=False)
    store = tmp_path / "progress.sqlite"
    future = client.compute(ddf.ocr.classify(backend=LazyModel(saved, delay=0.2), store=store))
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once the run is under way, well before its end
        if store.exists():
            with ResponseStore(store) as s:
                if len(s) >= 4:
                    break
        time.sleep(0.05)
    assert not future.done(), "finished before a worker could be killed"
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    got = future.result(timeout=180)
    pd.testing.assert_frame_equal(got, expected)


def test_unknown_column():
    ddf = dd.from_pandas(pd.DataFrame({"x": ["a"]}), npartitions=1)
    with pytest.raises(KeyError, match="column 'path' not in the frame"):
        ocd.classify(ddf, backend="replay:nothing.jsonl")


def test_nested_dtypes_have_non_empty_meta():
    from dask.dataframe.utils import meta_nonempty

    from ocrframe.evaluate._testing import docs

    meta = meta_nonempty(docs({"a": [("bankcard", (0, 0, 9, 9))]}).iloc[:0])
    assert meta["content"].tolist() == [{}, {}] and meta["location"].isna().tolist() == [False, True]
    assert str(meta["location"].dtype) == "ocrframe.quad"
