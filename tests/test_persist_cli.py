import json

import pandas as pd
import pytest

import ocrframe
from ocrframe import Replay
from ocrframe.cli import main
from ocrframe.persist import read_parquet, save_frame, to_parquet
from ocrframe.types import DOC_TYPE_DTYPE


@pytest.fixture
def docs(images, replay_file):
    df = pd.DataFrame({"path": [str(p) for p in images], "batch": ["a", "a", "b", "b"]},
                      index=pd.Index([10, 20, 30, 40], name="image_id"))
    return df.ocr.classify(backend=Replay(replay_file), progress=False, detect_seal=None)


def test_parquet_round_trip_is_lossless(tmp_path, docs):
    path = tmp_path / "docs.parquet"
    docs.ocr.to_parquet(path)
    back = ocrframe.read_parquet(path)
    pd.testing.assert_frame_equal(back, docs)
    assert back["type"].dtype == DOC_TYPE_DTYPE
    assert back["content"].iloc[5]["item_list"][1] == {"name": "纸", "amount": "200.00"}
    assert back["location"].iloc[0] == [[65, 1006], [1388, 1006], [1388, 1863], [65, 1863]]
    assert back["content"].iloc[4] == {} and back["location"].iloc[4] is None
    # the fields frame round-trips too
    f = docs.ocr.fields()
    to_parquet(f, tmp_path / "fields.parquet")
    pd.testing.assert_frame_equal(read_parquet(tmp_path / "fields.parquet"), f)


def test_csv_and_jsonl(tmp_path, docs):
    save_frame(docs, tmp_path / "d.csv")
    back = pd.read_csv(tmp_path / "d.csv")
    assert json.loads(back["content"].iloc[0])["amount"] == "￥50.00"
    save_frame(docs, tmp_path / "d.jsonl")
    assert len((tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()) == len(docs)
    with pytest.raises(ValueError, match="use a .parquet, .csv or .jsonl"):
        save_frame(docs, tmp_path / "d.xlsx")


def test_cli_classify_a_directory(tmp_path, images, replay_file, capsys):
    out = tmp_path / "docs.parquet"
    fields_out = tmp_path / "fields.csv"
    (images[0].parent / "notes.txt").write_text("not an image")
    code = main(["classify", str(images[0].parent), "--backend", f"replay:{replay_file}", "--out", str(out),
                 "--fields-out", str(fields_out), "--store", str(tmp_path / "s.sqlite"), "--no-progress"])
    assert code == 0
    text = capsys.readouterr().out
    assert "images: 4   documents: 4   failed images: 1" in text
    assert "billable documents: 3" in text and "quota_invoice 3" in text
    docs = read_parquet(out)
    assert len(docs) == 6 and docs["path"].str.endswith(".jpg").all()
    assert len(pd.read_csv(fields_out)) == 8 + 6
    # second run: everything from the store
    main(["classify", str(images[0].parent), "--backend", f"replay:{replay_file}", "--quiet",
          "--store", str(tmp_path / "s.sqlite"), "--no-progress"])
    assert "requests: 0   from store: 4" in capsys.readouterr().out
    # export the store as a replay file
    assert main(["store", "export", str(tmp_path / "s.sqlite"), str(tmp_path / "e.jsonl")]) == 0
    assert len((tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()) == 4
    assert main(["store", "info", str(tmp_path / "s.sqlite")]) == 0


def test_cli_reports_bad_backend(capsys, images):
    assert main(["classify", str(images[0]), "--backend", "nonsense"]) == 2
    assert "unknown backend 'nonsense'" in capsys.readouterr().err
