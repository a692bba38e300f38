"""Documents frames survive plain pandas parquet; the nested dtypes behave like object columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import ocrframe
import ocrframe.evaluate as E
from ocrframe.dtypes import CONTENT_DTYPE, QUAD_DTYPE, ContentArray, QuadArray
from ocrframe.evaluate._testing import synthetic_pair


@pytest.fixture(scope="module")
def pair():
    """Predictions and truth over 30 images, four types with different keys, nested item lists."""
    return synthetic_pair(30, seed=41, failed=0.05)


def _same_nested(a: pd.DataFrame, b: pd.DataFrame, *, key_order: bool = True) -> None:
    assert a["content"].tolist() == b["content"].tolist()
    assert a["location"].tolist() == b["location"].tolist()
    # exactly, not just ==: ints stay ints, no key added, keys in their order
    if key_order:
        assert [repr(x) for x in a["content"]] == [repr(x) for x in b["content"]]
    assert [repr(x) for x in a["location"]] == [repr(x) for x in b["location"]]


def test_plain_pandas_round_trip_gives_back_the_same_documents(pair, tmp_path):
    pred, truth = pair
    assert pred["content"].dtype == CONTENT_DTYPE and pred["location"].dtype == QUAD_DTYPE
    p = tmp_path / "docs.parquet"
    pred.to_parquet(p)  # pandas' own method
    back = pd.read_parquet(p)
    _same_nested(back, pred)
    pd.testing.assert_frame_equal(back, pred)
    # the fields frame and the figures do not change
    assert len(back.ocr.fields()) == len(pred.ocr.fields())
    s0 = E.evaluate(pred, truth).summary()
    s1 = E.evaluate(back, truth).summary()
    assert s0["field_normalized_accuracy"] == s1["field_normalized_accuracy"]
    # what other tools see: JSON and fixed-size lists of numbers, not a struct of every key
    schema = pq.read_schema(p)
    assert str(schema.field("content").type) == "extension<arrow.json>"
    loc = schema.field("location").type
    assert (loc.list_size, loc.value_type.list_size, str(loc.value_type.value_type)) == (4, 2, "int64")
    raw = pq.read_table(p).column("location").to_pylist()
    assert raw[0] == pred["location"].iloc[0]


def test_float_quads_and_missing_ones_round_trip(tmp_path):
    df = pd.DataFrame({"location": pd.array([[[0.5, 1], [9, 0], [9, 9.25], [0, 9]], None], dtype="ocrframe.quad"),
                       "content": pd.array([{"a": [{"b": "1"}], "confidence": {"a": [{"b": 0.5}]}}, {}],
                                           dtype="ocrframe.content")})
    df.to_parquet(tmp_path / "f.parquet")
    back = pd.read_parquet(tmp_path / "f.parquet")
    assert back["location"].tolist() == [[[0.5, 1.0], [9.0, 0.0], [9.0, 9.25], [0.0, 9.0]], None]
    assert back["content"].tolist() == df["content"].tolist()


def test_ocrframe_parquet_keeps_attrs_and_reads_plain_pandas_files(pair, tmp_path):
    pred, _ = pair
    pred = pred.copy()
    pred.attrs["ocrframe"] = {"backend": "local:test", "images": 30}
    pred.ocr.to_parquet(tmp_path / "a.parquet")
    a = ocrframe.read_parquet(tmp_path / "a.parquet")
    assert a.attrs["ocrframe"]["backend"] == "local:test"
    _same_nested(a, pred)
    pred.to_parquet(tmp_path / "b.parquet")
    _same_nested(ocrframe.read_parquet(tmp_path / "b.parquet"), pred)


def test_a_file_corrupted_the_old_way_is_refused_or_repaired(pair, tmp_path):
    pred, truth = pair
    p = tmp_path / "old.parquet"
    # what `docs.to_parquet` did while the columns were plain objects
    pred.astype({"content": object, "location": object}).to_parquet(p)
    padded = pd.read_parquet(p)["content"]
    assert len(padded.iloc[0]) > len(pred["content"].iloc[0])  # the other types' keys, set to None
    with pytest.raises(ValueError, match=r"repair=True") as exc:
        ocrframe.read_parquet(p)
    assert "struct of all" in str(exc.value)
    with pytest.warns(UserWarning, match="repaired"):
        fixed = ocrframe.read_parquet(p, repair=True)
    _same_nested(fixed, pred, key_order=False)  # the struct's order, confidence last
    assert fixed["content"].dtype == CONTENT_DTYPE


def test_nested_arrays_behave_like_object_columns(pair):
    pred, _ = pair
    c = pred["content"]
    assert isinstance(c.array, ContentArray) and isinstance(pred["location"].array, QuadArray)
    assert c.to_numpy().dtype == object and isinstance(c.to_numpy()[0], dict)
    assert c.map(len).dtype == np.int64
    assert c.map(lambda d: {k: v for k, v in d.items() if k != "confidence"}).dtype == CONTENT_DTYPE
    assert pred["location"].isna().sum() == pred["doc"].isna().sum()
    # filtering, concatenating, sorting, de-duplicating, comparing, setting
    sub = pd.concat([pred.iloc[:3], pred.iloc[3:6]])
    assert sub["content"].dtype == CONTENT_DTYPE and sub["content"].tolist() == c.iloc[:6].tolist()
    assert len(pd.concat([pred, pred]).drop_duplicates(subset=["path", "content"])) == len(
        pred.drop_duplicates(subset=["path", "content"]))
    assert (pred["location"] == pred["location"]).sum() == pred["location"].notna().sum()
    assert pred.sort_values("content").shape == pred.shape
    loc = pred["location"].copy()
    quad = [[0, 0], [1, 0], [1, 1], [0, 1]]
    loc.iloc[:4] = [quad] * 4
    loc[loc.index[5]] = quad
    assert loc.iloc[:4].tolist() == [quad] * 4 and loc.iloc[5] == quad
    loc.iloc[1:3] = None
    assert loc.iloc[1:3].isna().all()
    with pytest.raises(TypeError, match="is not 4 \\[x, y\\] points"):
        loc.iloc[0] = [[0, 0]]
    assert pred["content"].astype(str).iloc[0].startswith("{")
    assert pred.reindex([0, 10_000])["location"].iloc[1] is None
    points = pred["location"].iloc[:2].explode()  # as an object column of lists would
    assert len(points) == 8 and points.iloc[0] == pred["location"].iloc[0][0]


def test_geodataframe_and_geoparquet_round_trip(pair, tmp_path):
    gpd = pytest.importorskip("geopandas")
    pred, _ = pair
    pred = pred.set_index(pd.Index(np.arange(len(pred)) * 3 + 7, name="row"))
    gdf = pred.ocr.to_geodataframe()
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.index.equals(pred.index) and gdf.crs is None
    assert list(gdf.columns) == [*pred.columns, "geometry"]
    assert np.allclose(gdf.geometry.area.fillna(-1), pred.ocr.area().fillna(-1))
    assert gdf.geometry.isna().sum() == pred["location"].isna().sum()
    gdf.to_parquet(tmp_path / "docs.geoparquet")
    back = gpd.read_parquet(tmp_path / "docs.geoparquet")
    assert back.geometry.name == "geometry" and back.index.equals(gdf.index)
    assert back.geometry.geom_equals_exact(gdf.geometry, tolerance=0).fillna(False).sum() == gdf.geometry.notna().sum()
    _same_nested(back, pred)
    import json

    meta = json.loads(pq.read_schema(tmp_path / "docs.geoparquet").metadata[b"geo"])
    assert meta["primary_column"] == "geometry" and meta["columns"]["geometry"]["encoding"] == "WKB"
    with pytest.raises(ValueError, match="already has a column 'geometry'"):
        gdf.ocr.to_geodataframe()
