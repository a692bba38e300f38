"""The options every summary of the field table shares: how it groups (``by=``) and what
counts as right (``correct=``). One table, read by :mod:`.fields`, :mod:`.thresholds`,
:mod:`.calibration` and :class:`~ocrframe.evaluation.core.EvaluationTables`.

A summary groups the field table (:func:`~ocrframe.evaluation.fields.field_table`) on
its ``true_type`` and ``field_group`` columns and names the groups ``type`` and
``field`` in what it returns (an index or columns); ``by="all"`` pools every field into
one group, ``all``, named ``scope``.

Examples
--------
>>> group_columns("field"), output_names(group_columns("field"))
(['true_type', 'field_group'], ['type', 'field'])
>>> group_columns("row")
Traceback (most recent call last):
...
ValueError: by='row'; allowed: 'field', 'type', 'all'
"""

from __future__ import annotations

__all__ = ["BY", "GROUP_NAMES", "RENAMED_GROUP_COLUMNS", "SCOPE", "CORRECT", "group_columns", "output_names", "check_correct"]

#: ``by=``: the field-table columns each option groups on
BY: dict[str, tuple[str, ...]] = {"field": ("true_type", "field_group"), "type": ("true_type",), "all": ()}
#: what a summary calls the grouped columns
GROUP_NAMES = {"true_type": "type", "field_group": "field"}
#: group columns a summary called by the field table's names before this release, still
#: readable (with a DeprecationWarning) for one more
RENAMED_GROUP_COLUMNS = dict(GROUP_NAMES)
#: the name of the one group of ``by="all"`` (its value is ``"all"``)
SCOPE = "scope"
#: ``correct=``: the field-table column that says a field is right
CORRECT = ("normalized", "exact")


def group_columns(by: str) -> list[str]:
    """The field-table columns ``by`` groups on; a ``ValueError`` naming the options otherwise."""
    if by not in BY:
        raise ValueError(f"by={by!r}; allowed: {', '.join(repr(b) for b in BY)}")
    return list(BY[by])


def output_names(columns: list[str]) -> list[str]:
    """The names a summary gives the grouped columns (``true_type`` -> ``type``, ...)."""
    return [GROUP_NAMES.get(c, c) for c in columns]


def check_correct(correct: str) -> str:
    """``correct`` when it names a correctness column, else a ``ValueError`` naming them."""
    if correct not in CORRECT:
        raise ValueError(f"correct={correct!r}; allowed: {', '.join(repr(c) for c in CORRECT)}")
    return correct
