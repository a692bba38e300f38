"""``python -m ocrframe.cli``: the ``ocrframe`` command."""

import sys

from . import main

sys.exit(main())
