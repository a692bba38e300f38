"""Labels IO: round trips, and invalid files rejected with file, line and key in the message."""

import json

import pandas as pd
import pytest

from ocrframe.datasets import LabelsError, read_labels, write_labels

QUAD = [[10, 10], [110, 12], [108, 70], [9, 68]]
DOC = {"type": "quota_invoice", "location": QUAD,
       "content": {"code": "131001234567", "number": "01234567", "amount": "￥50.00", "location": "上海"}}
VAT = {"type": "vat_invoice", "location": QUAD,
       "content": {"code": "1100191130", "total": "￥1.13",
                   "item_list": [{"name": "*餐饮服务*餐费", "amount": "1.00", "tax": "0.13"}]}}


def _write(tmp_path, lines, images=("a.jpg", "b.jpg", "c.jpg")):
    for name in images:
        (tmp_path / name).write_bytes(b"\xff\xd8")
    p = tmp_path / "labels.jsonl"
    p.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                 encoding="utf-8")
    return p


def test_read_gives_a_documents_frame_with_one_row_per_document(tmp_path):
    p = _write(tmp_path, [{"image": "a.jpg", "result": [DOC, VAT]}, {"image": "b.jpg", "result": []}])
    truth = read_labels(p)
    assert list(truth["image"]) == ["a.jpg", "a.jpg", "b.jpg"]
    assert truth["doc"].tolist()[:2] == [0, 1] and pd.isna(truth["doc"].iloc[2])
    assert list(truth["type"].astype(object)[:2]) == ["quota_invoice", "vat_invoice"]
    assert truth.loc[0, "location"] == QUAD
    assert truth.loc[1, "content"]["item_list"][0]["tax"] == "0.13"
    assert (truth["status"] == "AIS.0000").all()
    assert truth["path"].iloc[0] == str(tmp_path / "a.jpg")


def test_round_trip_records_and_frame(tmp_path):
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(b"x")
    records = [{"image": "a.jpg", "result": [DOC, VAT]}, {"image": "b.jpg", "result": []}]
    p = write_labels(records, tmp_path / "labels.jsonl")
    first = open(p, encoding="utf-8").read()
    assert "￥50.00" in first  # UTF-8, not escaped
    truth = read_labels(p)
    p2 = write_labels(truth, tmp_path / "copy.jsonl")
    assert open(p2, encoding="utf-8").read() == first
    # a frame with only absolute paths works too
    p3 = write_labels(truth.drop(columns="image"), tmp_path / "by_path.jsonl")
    assert open(p3, encoding="utf-8").read() == first


@pytest.mark.parametrize("line,where,what", [
    ({"image": "a.jpg", "result": [{**DOC, "type": "id_card_back"}]}, "line 2: result[0].type", "unknown document type"),
    ({"image": "a.jpg", "result": [{**DOC, "location": QUAD[:3]}]}, "line 2: result[0].location", "expected 4 points, got 3"),
    ({"image": "a.jpg", "result": [{**DOC, "location": [[1, 2], [3, 4], [5, 6], [7]]}]}, "line 2: result[0].location[3]", "[x, y]"),
    ({"image": "a.jpg", "result": [{"type": "passport"}]}, "line 2: result[0].location", "missing"),
    ({"image": "missing.jpg", "result": []}, "line 2: image", "file not found"),
    ({"result": []}, "line 2: image", "missing"),
    ({"image": "a.jpg"}, "line 2: result", "missing"),
    ({"image": "b.jpg", "result": []}, "line 2: image", "already labelled on line 1"),
    ('{"image": "a.jpg", "result": [}', "line 2", "invalid JSON"),
    ("[1, 2]", "line 2", "expected an object"),
])
def test_invalid_labels_name_file_line_and_key(tmp_path, line, where, what):
    p = _write(tmp_path, [{"image": "b.jpg", "result": [DOC]}, line])
    with pytest.raises(LabelsError) as err:
        read_labels(p)
    msg = str(err.value)
    assert msg.startswith(f"labels.jsonl {where}"), msg
    assert what in msg, msg


def test_missing_images_can_be_allowed(tmp_path):
    p = tmp_path / "labels.jsonl"
    p.write_text(json.dumps({"image": "nowhere.jpg", "result": [DOC]}) + "\n", encoding="utf-8")
    assert len(read_labels(p, check_images=False)) == 1


def test_write_validates_before_writing(tmp_path):
    bad = [{"image": "a.jpg", "result": [{**DOC, "location": QUAD[:2]}]}]
    with pytest.raises(LabelsError, match=r"record 0: result\[0\].location"):
        write_labels(bad, tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()
    with pytest.raises(KeyError, match="image"):
        write_labels(pd.DataFrame({"type": [], "location": [], "content": []}), tmp_path / "y.jsonl")
