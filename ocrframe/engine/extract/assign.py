"""Joint geometric assignment of printed values to their labels.

The recognised lines of each row of a document, joined, are searched for the labels of
its type's :class:`~.vocab.Vocabulary` (:func:`~.vocab.find_labels`; a label printed
spaced out and read as several lines is found too); what is not label is cut into
*atoms* (whitespace-separated pieces; a piece that follows a label in the same line with
only a colon between is *glued* to it). Runs of up to a pattern's ``max_tokens`` atoms on
one printed line are the value candidates a field's :class:`~.patterns.Pattern` is
searched in. All positions are in the document's own frame (``DocText``: x along the
reading direction, y down it), measured in line heights.

The cost of giving a candidate to a field is the cheapest way one of the field's label
hits reaches it:

* **glued** to the label: no cost;
* **on the label's line, to its right**, the value shifted up to :data:`SHIFT_MAX` line
  heights up or down (dot-matrix print misregistered against the preprinted form):
  a little per line height of gap, quadratically more with the shift;
* **under the label** (next line, or a column head's value): a fixed cost, more per
  extra line and per line height the value starts away from the label's column;

plus a strong :data:`BARRIER_COST` for every other label between the two, a penalty
when another label (another field's, or a caption of none) reaches the candidate more
cheaply, the label's own doubt (misread, partly hidden, shared with another field), the
pattern's misfit and the candidate's characters outside the value. Where a label is
printed more than once, the one nearer the type's title (two documents read as one) and
nearer the words naming the field's section (``购买方`` / ``销售方``) is preferred.

A value printed with a *mark* that only one field of the type is printed with (an
itinerary's ``CN`` before the CAAC fund, ``YQ`` before the fuel surcharge: the
pattern's ``tags``) is that field's as if labelled (:data:`MARK_COST`), wherever its
label stands; a field that declares marks of its own never takes a value printed with
another field's mark.

A field whose form is distinctive may instead take a value by its form alone
(:data:`FALLBACK_COST`, more outside its zone), and a field whose label was not read
may take a value on the line of a related field's value (``near``: a name beside its
ID number), at a cost between the two.

All fields and candidates of a document are assigned at once with
``scipy.optimize.linear_sum_assignment``: a value is never given to two fields (nor two
overlapping candidates), and the nearest *compatible* value wins, not the first read.
Leaving a field empty costs :data:`MISS_COST`. A field's confidence is the recognition
score of its characters times ``exp(-cost / QUALITY_SCALE)``.

Text read from red stamps (``DocText.stamp``) and printed lines naming a seal (``专用章``)
only ever fill fields declared ``seal=True``.

The page (labels, atoms, candidates) is built in :mod:`~.assign_page`, the cost model is
:mod:`~.assign_cost`; this module solves the assignment. Every name stays importable from here.

Examples
--------
>>> from ocrframe.engine.extract.patterns import digits, date
>>> from ocrframe.engine.extract.vocab import FieldVocab, Vocabulary
>>> from ocrframe.testing.doctext import doc_from_rows
>>> v = Vocabulary((FieldVocab("code", ("票据代码", "发票代码"), digits(12)),
...                 FieldVocab("date", ("日期",), date())))
>>> d = doc_from_rows([[("票据代码：", 10), ("144031900111", 120, -10)],
...                    [("日期", 10), ("2019-03-15", 120, -10)]])  # values half a line above their labels
>>> {k: f.value for k, f in assign(d, v).items()}
{'code': '144031900111', 'date': '2019-03-15'}
"""

from __future__ import annotations

import math

import numpy as np

from .assign_cost import (_BIG, AMBIGUOUS_COST, BARRIER_COST, BELOW_COST, BELOW_MAX,  # noqa: F401
                          BELOW_STEP_COST, BELOW_X_COST, BETWEEN_REACH, FALLBACK_COST, FALLBACK_MIN_FIT, FIT_COST,
                          JUNK_COST, JUNK_MAX, LABEL_COST, MARK_COST, MISS_COST, NEAR_COST, OWNED_COST, OWNER_REACH,
                          QUALITY_SCALE, RIGHT_GAP_COST, SEAL_COST, SECTION_COST, SECTION_MAX, SHIFT_COST, SHIFT_MAX,
                          TITLE_COST, ZONE_COST, _between, _geometry, _near, _options, _reachable, marks)
from .assign_page import (_EDGE, RUN_GAP, STAMP_WORDS, Atom, Candidate, Choice, Hit, Page,  # noqa: F401
                          _candidates, _char_x, _distance, _maximal, _rows, _run_texts, _runs, _section_marks,
                          _width, page)
from .common import DocText, Field
from .layout import Tok, norm, printed  # noqa: F401
from .patterns import Match  # noqa: F401
from .vocab import BARRIER, FieldVocab, LabelHit, Vocabulary, find_labels  # noqa: F401

__all__ = ["Atom", "Hit", "Page", "Choice", "page", "assign", "solve", "SHIFT_MAX", "BELOW_MAX", "BARRIER_COST",
           "MISS_COST", "FALLBACK_COST", "MARK_COST", "QUALITY_SCALE", "STAMP_WORDS", "marks"]


def solve(options: dict[str, list[tuple[float, Candidate, str, str]]]) -> dict[str, Choice]:
    """Assign candidates to fields at least total cost, never one character to two fields.

    Parameters
    ----------
    options : dict
        Per field, its ``(cost, candidate, how, label)`` options.

    Returns
    -------
    dict
        ``{field: Choice}`` for the fields given a value.
    """
    from scipy.optimize import linear_sum_assignment

    names = [n for n in options if options[n]]
    covers: dict[frozenset, int] = {}
    for n in names:
        for _, c, _, _ in options[n]:
            covers.setdefault(c.cover, len(covers))
    nf, nc = len(names), len(covers)
    if not nf:
        return {}
    m = np.full((nf, nc + nf), _BIG)
    m[np.arange(nf), nc + np.arange(nf)] = MISS_COST
    pick: dict[tuple[int, int], tuple] = {}
    for r, n in enumerate(names):
        for opt in options[n]:
            col = covers[opt[1].cover]
            if opt[0] < m[r, col]:
                m[r, col] = opt[0]
                pick[(r, col)] = opt
    for _ in range(4 * nf + 4):
        rows, cols = linear_sum_assignment(m)
        chosen = [(r, c) for r, c in zip(rows, cols) if c < nc and m[r, c] < _BIG / 2]
        clash = None
        for i, (r1, c1) in enumerate(chosen):
            for r2, c2 in chosen[i + 1:]:
                if pick[(r1, c1)][1].cover & pick[(r2, c2)][1].cover:
                    clash = (r1, c1) if m[r1, c1] >= m[r2, c2] else (r2, c2)
                    break
            if clash:
                break
        if clash is None:
            break
        m[clash] = _BIG
    out = {}
    for r, c in chosen:
        cost, cand, how, label = pick[(r, c)]
        conf = cand.score * math.exp(-cost / QUALITY_SCALE)
        out[names[r]] = Choice(names[r], printed(cand.match.value, cand.raw), conf, cost, how, label, cand)
    return out


def assign(doc: DocText, vocab: Vocabulary) -> dict[str, Field]:
    """The fields of a document by joint label-value assignment (see the module docstring).

    Parameters
    ----------
    doc : DocText
        The located document's text.
    vocab : Vocabulary
        Its type's labels and value patterns.

    Returns
    -------
    dict
        ``{field: Field}`` for every field given a value (names starting with ``_`` too:
        values printed twice, for the checks), shaped by the field's ``fmt``.
    """
    return {k: Field(vocab[k].fmt(c.value) if vocab[k].fmt else c.value, c.confidence)
            for k, c in choose(doc, vocab).items()}


def choose(doc: DocText, vocab: Vocabulary) -> dict[str, Choice]:
    """:func:`assign` with how each value was reached (for tests and debugging).

    Fields with ``near`` anchors left empty are tried again, with the chosen values of
    their anchors standing in for their unread labels (everything re-assigned jointly).
    """
    pg = page(doc, vocab)
    fields = [fv for fv in vocab.fields if fv.pattern is not None]
    owners = marks(vocab)
    options = {fv.name: _options(pg, fv, owners=owners) for fv in fields}
    got = solve(options)
    again = [fv for fv in fields if fv.near and fv.name not in got and any(a in got for a in fv.near)]
    if again:
        anchors = {k: c.candidate for k, c in got.items() if c.candidate is not None and c.candidate.atoms}
        for fv in again:
            options[fv.name] = _options(pg, fv, anchors, owners)
        got = solve(options)
    return got
