"""ocrframe.io round trips: COCO (pycocotools loads it), Label Studio (tasks -> export -> labels), labels JSONL."""

from __future__ import annotations

import copy
import json
import warnings
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image

import ocrframe
import ocrframe.io as oio
from ocrframe.testing.frames import synthetic_pair
from ocrframe.io.label_studio import CONFIG_PATH

SIZE = (1400, 1000)
COLS = ["doc", "type", "status", "location", "content"]


@pytest.fixture
def frames(tmp_path):
    """Predictions and truth of 12 images whose files exist (1400 x 1000 JPEGs) under tmp_path/img."""
    pred, truth = synthetic_pair(12, seed=57, failed=0.1, false_alarm=0.3)
    folder = tmp_path / "img"
    folder.mkdir()
    for p in truth["path"].unique():
        Image.new("RGB", SIZE, (200, 200, 200)).save(folder / p, quality=60)
    absolute = {p: str(folder / p) for p in truth["path"].unique()}
    return pred.assign(path=pred["path"].map(absolute)), truth.assign(path=truth["path"].map(absolute))


def _same_docs(back: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert back["path"].tolist() == ref["path"].tolist()
    for c in COLS:
        assert [repr(x) for x in back[c]] == [repr(x) for x in ref[c]], c


# ----------------------------------------------------------------------------- COCO


def test_coco_round_trip_and_pycocotools_loads_it(frames, tmp_path):
    coco_mod = pytest.importorskip("pycocotools.coco")
    pred, _ = frames
    out = oio.to_coco(pred, tmp_path / "pred.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coco = coco_mod.COCO(str(out))
    data = json.loads((tmp_path / "pred.json").read_text(encoding="utf-8"))
    assert len(coco.getImgIds()) == 12 and len(coco.getCatIds()) == len(ocrframe.DocType)
    assert coco.loadCats(coco.getCatIds(catNms=["bankcard"]))[0]["name_zh"] == "银行卡"
    n_docs = int(pred["doc"].notna().sum())
    assert len(coco.getAnnIds()) == n_docs
    ann = coco.loadAnns(coco.getAnnIds())[0]
    mask = coco.annToMask(ann)
    assert mask.shape == SIZE[::-1] and abs(mask.sum() - ann["area"]) / ann["area"] < 0.05
    assert all(0 < a["score"] <= 1 for a in data["annotations"] if a["ocrframe"]["content"])
    assert data["images"][0]["file_name"] == "img/" + pred["path"].iloc[0].rsplit("/", 1)[1]
    failed = [i for i in data["images"] if "ocrframe" in i]
    assert failed and all(i["ocrframe"]["status"] == "AIS.0103" for i in failed)
    back = oio.read_coco(out)
    _same_docs(back, pred)
    # relative to another image root
    oio.to_coco(pred, tmp_path / "p2.json", image_root=tmp_path / "img")
    assert json.loads((tmp_path / "p2.json").read_text(encoding="utf-8"))["images"][0]["file_name"].endswith(".jpg")
    assert oio.read_coco(tmp_path / "p2.json", image_root=tmp_path / "img")["path"].tolist() == pred["path"].tolist()


def test_coco_from_elsewhere_bbox_and_category_map(tmp_path):
    data = {"images": [{"id": 5, "file_name": "x.jpg", "width": 100, "height": 80}],
            "categories": [{"id": 1, "name": "card"}],
            "annotations": [{"id": 9, "image_id": 5, "category_id": 1, "bbox": [10, 20, 30, 40], "iscrowd": 0,
                             "area": 1200}]}
    (tmp_path / "c.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="category 'card' is not a document type"):
        oio.read_coco(tmp_path / "c.json")
    d = oio.read_coco(tmp_path / "c.json", category_map={"card": "bankcard"})
    assert d["type"].tolist() == ["bankcard"] and d["location"].iloc[0] == [[10, 20], [40, 20], [40, 60], [10, 60]]
    assert d["content"].iloc[0] == {} and d["path"].iloc[0] == str(tmp_path / "x.jpg")


def test_coco_names_missing_image_files(frames, tmp_path):
    pred, _ = frames
    gone = pred.assign(path=pred["path"].str.replace("/img/", "/gone/", regex=False))
    with pytest.warns(UserWarning, match=r"12 image file\(s\) not found.*'.*gone/img_000000.jpg'"):
        oio.to_coco(gone, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    with_docs = {a["image_id"] for a in data["annotations"]}
    for i in data["images"]:  # the documents' extent stands in for the size
        ext = [max(a["bbox"][0] + a["bbox"][2] for a in data["annotations"] if a["image_id"] == i["id"]),
               max(a["bbox"][1] + a["bbox"][3] for a in data["annotations"] if a["image_id"] == i["id"])] \
            if i["id"] in with_docs else [1, 1]
        assert [i["width"], i["height"]] == [int(-(-v // 1)) for v in ext]


# ----------------------------------------------------------------------------- Label Studio


def _simulated_export(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports once annotators accepted the pre-annotations (and one cancelled)."""
    out = []
    for k, t in enumerate(tasks):
        t = copy.deepcopy(t)
        t["id"] = 100 + k
        result = copy.deepcopy(t["predictions"][0]["result"]) if t.get("predictions") else []
        t["annotations"] = [{"id": 1, "result": [], "was_cancelled": True, "created_at": "2026-12-01T10:00:00Z"},
                            {"id": 2, "result": result, "was_cancelled": False,
                             "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-02T08:00:00Z"}]
        out.append(t)
    return out


def test_label_studio_tasks_export_and_back_to_labels(frames, tmp_path):
    pred, _ = frames
    pred = pred.copy()
    pred.attrs["ocrframe"] = {"backend": "local:test-engine"}
    path = oio.to_label_studio(pred, tmp_path / "tasks.json", image_root=tmp_path)
    assert path == str(tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == 12
    assert tasks[0]["data"]["image"] == "/data/local-files/?d=img/img_000000.jpg"
    with_pred = [t for t in tasks if "predictions" in t]
    assert len(with_pred) == 12 - pred[pred["status"] == "AIS.0103"]["path"].nunique()
    p0 = with_pred[0]["predictions"][0]
    assert p0["model_version"] == "local:test-engine" and 0 < p0["score"] <= 1
    r = p0["result"][0]
    assert r["type"] == "polygonlabels" and r["original_width"] == SIZE[0] and r["to_name"] == "image"
    assert all(0 <= x <= 100 and 0 <= y <= 100 for x, y in r["value"]["points"])
    ids = [x["id"] for t in tasks for x in t.get("predictions", [{}])[0].get("result", [])
           if x["type"] == "polygonlabels"]
    assert len(ids) == len(set(ids))  # region ids unique across tasks
    # every text area used is in the shipped labelling interface, as a per-region TextArea
    root = ET.fromstring(CONFIG_PATH.read_text(encoding="utf-8"))
    areas = {e.get("name"): e for e in root.iter("TextArea")}
    used = {x["from_name"] for t in with_pred for x in t["predictions"][0]["result"] if x["type"] == "textarea"}
    assert used and used <= set(areas) and all(areas[n].get("perRegion") == "true" for n in used)
    assert {e.get("value") for e in root.iter("Label")} == {t.value for t in ocrframe.DocType}

    export = _simulated_export(tasks)
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    truth = oio.read_label_studio(tmp_path / "export.json")
    # one row per image (a failed image, opened and left empty, has no document); the documents as predicted
    assert truth["path"].drop_duplicates().tolist() == pred["path"].drop_duplicates().tolist()
    assert truth["image"].iloc[0] == "img/img_000000.jpg" and (truth["status"] == "AIS.0000").all()
    got, ok = truth[truth["doc"].notna()], pred[pred["doc"].notna()]
    for c in ("path", "doc", "type", "location"):
        assert [repr(x) for x in got[c]] == [repr(x) for x in ok[c]], c
    no_conf = [{k: v for k, v in d.items() if k != "confidence"} for d in ok["content"]]
    assert got["content"].tolist() == no_conf
    # ... and on to labels JSONL, and back
    labels = ocrframe.write_labels(truth, tmp_path / "labels.jsonl")
    again = ocrframe.read_labels(labels)
    assert again["content"].tolist() == truth["content"].tolist() and again["path"].tolist() == truth["path"].tolist()


def test_label_studio_edits_rectangles_and_foreign_exports(frames, tmp_path):
    pred, _ = frames
    one = pred[pred["path"] == pred["path"].iloc[0]]
    oio.to_label_studio(one, tmp_path / "t.json", image_root=tmp_path / "img", url_prefix="http://127.0.0.1:8081/")
    task = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))[0]
    assert task["data"]["image"] == "http://127.0.0.1:8081/img_000000.jpg"
    res = copy.deepcopy(task["predictions"][0]["result"])
    first = res[0]
    t = first["value"]["polygonlabels"][0]
    area = next(x for x in res if x["type"] == "textarea" and x["id"] == first["id"] and x["from_name"] != "other")
    area["value"]["text"] = ["corrected"]
    # an annotator adds an upright rectangle (20% x 10% at 50%, 60%) of another type, with one field
    res.append({"id": "new1", "from_name": "type", "to_name": "image", "type": "rectanglelabels",
                "original_width": SIZE[0], "original_height": SIZE[1],
                "value": {"x": 50, "y": 60, "width": 20, "height": 10, "rotation": 0, "rectanglelabels": ["bankcard"]}})
    res.append({"id": "new1", "from_name": "bankcard-card_number", "to_name": "image", "type": "textarea",
                "value": {"x": 50, "y": 60, "width": 20, "height": 10, "text": ["6222 0000"]}})
    # Label Studio's own export has no ocrframe_* keys: the image comes from the URL
    foreign = {"id": 7, "data": {"image": task["data"]["image"]},
               "annotations": [{"result": res, "was_cancelled": False}]}
    (tmp_path / "e.json").write_text(json.dumps([foreign, {"id": 8, "data": {"image": "http://127.0.0.1:8081/b.jpg"}}]),
                                     encoding="utf-8")
    with pytest.raises(ValueError, match="pass image_root="):
        oio.read_label_studio(tmp_path / "e.json")
    with pytest.warns(UserWarning, match=r"1 task\(s\) have no annotation.*'b.jpg'"):
        got = oio.read_label_studio(tmp_path / "e.json", image_root=tmp_path / "img",
                                    url_prefix="http://127.0.0.1:8081/")
    assert got["path"].tolist()[0] == str(tmp_path / "img" / "img_000000.jpg")
    assert got["type"].astype(str).tolist()[-1] == "bankcard"
    assert got["location"].iloc[-1] == [[700, 600], [980, 600], [980, 700], [700, 700]]
    assert got["content"].iloc[-1] == {"card_number": "6222 0000"}
    field = area["from_name"].split("-", 1)[1]
    assert got["content"].iloc[0][field] == "corrected" and got["type"].iloc[0] == t


def test_shipped_labelling_config_is_current_and_parses():
    assert CONFIG_PATH.read_text(encoding="utf-8") == oio.label_studio_config()
    root = ET.fromstring(oio.label_studio_config())
    names = [e.get("name") for e in root.iter() if e.get("name")]
    assert len(names) == len(set(names))  # Label Studio needs unique tag names
    poly = root.find("PolygonLabels")
    assert poly.get("toName") == "image" and len(poly) == len(ocrframe.DocType)


# ----------------------------------------------------------------------------- labels JSONL


def test_labels_moved_to_io_and_still_importable_from_datasets():
    import ocrframe.datasets as ds
    from ocrframe.datasets.labels import LabelsError, iter_labels, read_labels, write_labels

    assert read_labels is oio.read_labels is ds.read_labels is ocrframe.read_labels
    assert write_labels is oio.write_labels and iter_labels is oio.iter_labels
    assert LabelsError is oio.LabelsError and issubclass(LabelsError, ocrframe.ResponseValidationError)
    images, truth = ocrframe.load_sample()
    assert truth.attrs["ocrframe"]["source"].endswith("labels.jsonl")
    assert len(images) == truth["image"].nunique()
