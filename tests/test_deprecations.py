"""Old spellings keep working for one release, each with a DeprecationWarning naming the new one."""

from __future__ import annotations

import importlib
import inspect

import pytest

import ocrframe
import ocrframe.evaluation as ev_pkg
from ocrframe.testing.frames import docs, synthetic_pair


# ----------------------------------------------------------------------------- ocrframe.evaluate -> evaluation
def test_evaluate_is_a_plain_function():
    assert inspect.isfunction(ocrframe.evaluate)
    assert ocrframe.evaluate is ev_pkg.evaluate
    assert "Judge predicted documents" in ocrframe.evaluate.__doc__


def test_old_import_paths_warn_and_give_the_same_objects(old_evaluate_paths):
    with pytest.warns(DeprecationWarning, match="ocrframe.evaluate is now the package ocrframe.evaluation"):
        import ocrframe.evaluate.metrics as old_metrics
    assert old_metrics is ev_pkg.metrics
    from ocrframe.evaluate import calibration, fields, findings, matching, plots, report, thresholds

    for old in (calibration, fields, findings, matching, plots, report, thresholds):
        assert old is importlib.import_module(old.__name__)
        assert old.__name__.startswith("ocrframe.evaluation.")
    from ocrframe.evaluate.core import Evaluation, evaluate

    assert (Evaluation, evaluate) == (ev_pkg.Evaluation, ev_pkg.evaluate)
    from ocrframe.evaluate.cli import read_answers_jsonl, read_documents

    assert (read_documents, read_answers_jsonl) == (ocrframe.io.read_documents, ocrframe.io.read_answers_jsonl)


def test_the_old_package_stays_callable_while_its_paths_are_imported(old_evaluate_paths):
    pred, truth = synthetic_pair(5, seed=1)
    with pytest.warns(DeprecationWarning):
        import ocrframe.evaluate as E  # Python binds ocrframe.evaluate to the old package now
    assert ocrframe.evaluate is E
    assert isinstance(ocrframe.evaluate(pred, truth), ev_pkg.Evaluation)
    assert isinstance(E.evaluate(pred, truth), ev_pkg.Evaluation)


def test_summary_key_with_spaces_is_an_identifier_now():
    pred, truth = synthetic_pair(20, seed=3)
    s = ocrframe.evaluate(pred, truth).summary()
    assert all(k.isidentifier() for k in s.index)
    with pytest.warns(DeprecationWarning, match="'field_straight_through'"):
        old = s["field_straight_through (per-field thresholds)"]
    assert old == s["field_straight_through"]


# ----------------------------------------------------------------------------- readers moved to ocrframe.io
@pytest.mark.parametrize("module", ["ocrframe.cli", "ocrframe.cli.classify"])
def test_expand_inputs_moved_to_io(module):
    mod = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=r"is now ocrframe\.io\.expand_inputs"):
        assert mod.expand_inputs is ocrframe.io.expand_inputs
    with pytest.warns(DeprecationWarning, match=r"is now ocrframe\.io\.IMAGE_SUFFIXES"):
        assert mod.IMAGE_SUFFIXES is ocrframe.io.IMAGE_SUFFIXES


def test_read_documents_labels_keyword_is_truth_now(tmp_path):
    truth = docs({"a.jpg": [("bankcard", (0, 0, 10, 10), {"card_number": "6222"})]}, truth=True)
    path = ocrframe.write_labels(truth.assign(image="a.jpg"), tmp_path / "labels.jsonl")
    with pytest.warns(DeprecationWarning, match=r"read_documents\(labels=\.\.\.\) is now read_documents\(truth="):
        old = ocrframe.io.read_documents(path, labels=True)
    new = ocrframe.io.read_documents(path, truth=True)
    assert old["type"].tolist() == new["type"].tolist() == ["bankcard"]
    with pytest.raises(TypeError, match="both labels="):
        ocrframe.io.read_documents(path, labels=True, truth=True)


def test_synth_main_is_the_command_line_now(tmp_path, capsys):
    from ocrframe.datasets.synth import main

    with pytest.warns(DeprecationWarning, match=r"ocrframe\.cli\.main\(\['synth', \*argv\]\)"):
        assert main(["--n", "1", "--seed", "5", "--size", "320", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "labels.jsonl").exists() and '"images": 1' in capsys.readouterr().out


# ----------------------------------------------------------------------------- names made consistent
@pytest.fixture(scope="module")
def ev():
    pred, truth = synthetic_pair(40, seed=11)
    return ocrframe.evaluate(pred, truth)


def test_labels_as_truth_mode_is_truth_now():
    from ocrframe.response import parse_answer, parse_response

    body = {"result": [{"type": "passport", "location": [[0, 0], [9, 0], [9, 9], [0, 9]], "content": {}}]}
    with pytest.warns(DeprecationWarning, match=r"parse_response\(labels=\.\.\.\) is now parse_response\(truth="):
        old = parse_response(body, labels=True)
    assert old == parse_response(body, truth=True)
    with pytest.warns(DeprecationWarning, match=r"parse_answer\(labels="):
        parse_answer(body, labels=True)
    with pytest.warns(DeprecationWarning, match=r"to_json\(labels="):
        assert old.to_json(labels=True) == old.to_json(truth=True)
    with pytest.warns(DeprecationWarning, match=r"docs\(labels="):
        docs({"a": [("passport", (0, 0, 9, 9))]}, labels=True)


def test_labels_as_display_language_is_lang_now(ev):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from ocrframe.lang import type_label

    with pytest.warns(DeprecationWarning, match=r"type_label\(labels=\.\.\.\) is now type_label\(lang="):
        assert type_label("bankcard", labels="en") == "bankcard"
    with pytest.warns(DeprecationWarning, match=r"from_evaluation\(labels=\.\.\.\) is now .*from_evaluation\(lang="):
        disp = ev.plots.confusion(labels="en")
    assert "bankcard" in [t.get_text() for t in disp.ax_.get_xticklabels()]
    plt.close("all")


def test_evaluation_fields_is_field_table_now(ev):
    with pytest.warns(DeprecationWarning, match="Evaluation.fields is now Evaluation.field_table"):
        old = ev.fields
    assert old is ev.field_table


def test_group_columns_of_curves_are_type_and_field(ev):
    curve = ev.coverage_curve()
    assert {"type", "field"} <= set(curve.columns) and "true_type" not in curve.columns
    assert list(ev.thresholds().index.names) == ["type", "field"]  # the same names
    with pytest.warns(DeprecationWarning, match="'true_type' is now 'type'"):
        assert curve["true_type"].equals(curve["type"])
    with pytest.warns(DeprecationWarning) as caught:
        assert len(curve.groupby(["true_type", "field_group"])) == len(curve.groupby(["type", "field"]))
    assert _messages(caught) == {"'true_type' is now 'type'", "'field_group' is now 'field'"}
    table = ev.calibration().table
    assert {"type", "field"} <= set(table.columns)
    with pytest.warns(DeprecationWarning) as caught:
        old = table[["true_type", "field_group"]]
    assert old.equals(table[["type", "field"]])
    assert _messages(caught) == {"'true_type' is now 'type'", "'field_group' is now 'field'"}


def _messages(caught) -> set[str]:
    """The warnings' messages without the common tail."""
    return {str(w.message).split(";")[0] for w in caught}


def test_writers_take_the_data_first(tmp_path):
    from ocrframe.contract import SavedAnswer, read_saved_answers, write_saved_answers

    records = [{"image": "a.jpg", "result": []}]
    with pytest.warns(DeprecationWarning, match=r"write_labels\(path, labels\) is now write_labels\(labels, path\)"):
        old = ocrframe.write_labels(tmp_path / "old.jsonl", records)
    new = ocrframe.write_labels(records, tmp_path / "new.jsonl")
    assert open(old).read() == open(new).read()
    answers = [SavedAnswer("a.jpg", {"result": []}, False)]
    with pytest.warns(DeprecationWarning, match=r"write_saved_answers\(path, answers\)"):
        write_saved_answers(tmp_path / "a.jsonl", answers)
    assert write_saved_answers(answers, tmp_path / "b.jsonl") == 1
    assert list(read_saved_answers(tmp_path / "a.jsonl")) == list(read_saved_answers(tmp_path / "b.jsonl"))


def test_iou_without_on_warns_that_the_default_becomes_path():
    d = docs({"a": [("bankcard", (0, 0, 10, 10)), ("passport", (5, 0, 15, 10))]})
    with pytest.warns(DeprecationWarning, match="write on=None"):
        old = d.ocr.iou(d)
    assert old.tolist() == d.ocr.iou(d, on=None).tolist() == [1.0, 1.0]
    # on="path", as overlaps(): the documents of each image paired (here all 2 x 2 of image a overlap)
    assert len(d.ocr.iou(d, on="path")) == 4 and len(d.ocr.overlaps(on="path")) == 1


def test_dask_classify_shows_its_signature():
    pytest.importorskip("dask.dataframe")
    import ocrframe.dask as ocd

    accessor = inspect.signature(ocd.DaskOcrAccessor.classify).parameters
    function = inspect.signature(ocd.classify).parameters
    assert list(accessor)[1:] == list(function)[1:]
    assert all(accessor[p].default == function[p].default for p in list(function)[1:])
