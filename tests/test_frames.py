import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocrframe.errors import ApiError
from ocrframe.frames import DOC_COLUMNS, documents_frame, fields_frame, flatten_content
from ocrframe.response import Response, parse_response
from ocrframe.types import DOC_TYPE_DTYPE



def _inputs():
    return pd.DataFrame({"path": ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], "batch": [1, 1, 2, 2]},
                        index=pd.Index(["w", "x", "y", "z"], name="image_id"))


@pytest.fixture
def answers(seed_response, vat_response):
    return [parse_response(seed_response), Response.empty(), ApiError("AIS.0103"), parse_response(vat_response)]


def test_explode_repeats_index_labels_and_columns(answers):
    docs = documents_frame(_inputs(), answers)
    assert list(docs.columns) == ["path", "batch", *DOC_COLUMNS]
    assert list(docs.index) == ["w", "w", "w", "x", "y", "z"]
    assert docs.index.name == "image_id"
    assert docs["batch"].tolist() == [1, 1, 1, 1, 2, 2]
    assert docs["doc"].tolist()[:3] == [0, 1, 2] and docs["doc"].isna().tolist() == [False] * 3 + [True] * 2 + [False]
    assert docs["type"].dtype == DOC_TYPE_DTYPE
    assert docs["status"].tolist() == ["AIS.0000", "AIS.0000", "AIS.0104", "AIS.0000", "AIS.0103", "AIS.0000"]
    assert docs.loc["y", "status_msg"] == "The image size does not meet the requirements."
    # zero-document and failed images keep exactly one row, with no quad and empty content
    for label in ("x", "y"):
        row = docs.loc[[label]]
        assert len(row) == 1 and row["location"].iloc[0] is None and row["content"].iloc[0] == {}
        assert pd.isna(row["type"].iloc[0])
    assert docs["location"].iloc[0] == [[65, 1006], [1388, 1006], [1388, 1863], [65, 1863]]


def test_ignore_index(answers):
    docs = documents_frame(_inputs(), answers, ignore_index=True)
    assert list(docs.index) == list(range(6))


def test_empty_input_has_the_schema():
    docs = documents_frame(pd.DataFrame({"path": []}), [])
    assert list(docs.columns) == ["path", *DOC_COLUMNS] and len(docs) == 0
    assert docs["type"].dtype == DOC_TYPE_DTYPE
    assert list(fields_frame(docs).columns)[-3:] == ["field", "value", "confidence"]


def test_column_clash_is_explained(seed_response):
    with pytest.raises(ValueError, match="already has column.*'type'"):
        documents_frame(pd.DataFrame({"type": ["x"]}), [parse_response(seed_response)])


def test_length_mismatch():
    with pytest.raises(ValueError, match="2 rows but 1 answers"):
        documents_frame(pd.DataFrame({"path": ["a", "b"]}), [Response.empty()])


def test_fields_frame_flattens_nested_lists(answers):
    docs = documents_frame(_inputs(), answers)
    f = fields_frame(docs)
    assert list(f.columns) == ["path", "batch", "doc", "type", "status", "field", "value", "confidence"]
    # 2 ok quota invoices x 4 fields; the AIS.0104 one, the empty and the failed image add none
    assert (f.index == "w").sum() == 8 and "x" not in f.index and "y" not in f.index
    vat = f.loc["z"].set_index("field")
    assert list(vat.index) == ["code", "total", "item_list.0.name", "item_list.0.amount",
                               "item_list.1.name", "item_list.1.amount"]
    assert vat.loc["item_list.1.amount", "value"] == "200.00"
    assert vat.loc["item_list.1.amount", "confidence"] == 0.6
    assert f["confidence"].dtype == np.float64


def test_fields_without_confidence_are_nan():
    assert list(flatten_content({"a": "1", "extra_info": {"mrz1": "P<CHN"}})) == [
        ("a", "1", None), ("extra_info.mrz1", "P<CHN", None)]


def test_fields_needs_a_documents_frame():
    with pytest.raises(ValueError, match=r"needs a documents frame.*frame of images.*classify\(col='path'\)"):
        fields_frame(pd.DataFrame({"path": ["a"]}))


_doc = st.fixed_dictionaries({
    "status": st.just({"error_code": "AIS.0000", "error_msg": "Succeeded."}),
    "type": st.sampled_from(["bankcard", "passport", "quota_invoice"]),
    "location": st.lists(st.lists(st.integers(0, 5000), min_size=2, max_size=2), min_size=4, max_size=4),
    "content": st.dictionaries(st.sampled_from(["a", "b", "c"]), st.text(max_size=5), max_size=3),
})
_answer = st.one_of(st.lists(_doc, max_size=4).map(lambda r: parse_response({"result": r})),
                    st.sampled_from(["AIS.0101", "AIS.0103", "OCRFRAME.0001"]).map(ApiError))


@settings(max_examples=60, deadline=None)
@given(st.lists(_answer, max_size=12))
def test_explode_row_count_and_order_property(answers):
    inputs = pd.DataFrame({"path": [f"{i}.jpg" for i in range(len(answers))]})
    docs = documents_frame(inputs, answers)
    expected = [i for i, a in enumerate(answers) for _ in range(max(1, len(a.documents) if isinstance(a, Response) else 1))]
    assert docs.index.tolist() == expected
    n_fields = sum(len(d.content) for a in answers if isinstance(a, Response) for d in a.documents)
    assert len(fields_frame(docs)) == n_fields
