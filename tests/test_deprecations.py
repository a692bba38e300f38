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
    truth = docs({"a.jpg": [("bankcard", (0, 0, 10, 10), {"card_number": "6222"})]}, labels=True)
    path = ocrframe.write_labels(tmp_path / "labels.jsonl", truth.assign(image="a.jpg"))
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
