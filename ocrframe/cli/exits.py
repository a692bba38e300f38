"""Exit codes of the ``ocrframe`` command (shared by every subcommand)."""

#: done
EXIT_OK = 0
#: ``classify`` recognised nothing (every image failed), or credentials were refused
EXIT_NOTHING_RECOGNISED = 1
#: a bad argument, found before any work starts
EXIT_USAGE = 2
