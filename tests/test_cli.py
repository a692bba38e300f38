"""The ``ocrframe`` command as a package: one module per subcommand, the same from ``python -m``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ocrframe import cli
from ocrframe.cli.exits import EXIT_USAGE

ROOT = Path(__file__).resolve().parents[1]
SUBCOMMANDS = ("classify", "store", "evaluate", "synth", "serve")


def test_every_subcommand_has_its_module_and_is_registered():
    registered = {register.__module__ for register in cli.COMMANDS}
    assert registered == {f"ocrframe.cli.{name}" for name in SUBCOMMANDS}


def test_python_dash_m_is_the_console_script():
    r = subprocess.run([sys.executable, "-m", "ocrframe.cli", "--help"], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for name in (*SUBCOMMANDS, "eval"):
        assert name in r.stdout
    assert "ocrframe.cli:main" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_subcommand_help_reaches_its_own_parser(capsys):
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as stop:
            cli.main([name, "--help"])
        assert stop.value.code == 0
        assert f"usage: ocrframe {name}" in capsys.readouterr().out


def test_a_bad_store_file_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["store", "info", str(tmp_path / "missing.sqlite")]) == EXIT_USAGE
    assert "no such store file" in capsys.readouterr().err
