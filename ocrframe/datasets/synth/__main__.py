"""``python -m ocrframe.datasets.synth ...`` is ``ocrframe synth ...`` (:mod:`ocrframe.cli.synth`)."""

import sys

from ...cli import main

raise SystemExit(main(["synth", *sys.argv[1:]]))
