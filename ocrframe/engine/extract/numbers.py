"""Checkable numbers found on a document by their pattern and check digit, wherever they are.

A resident ID number (18 characters, ISO 7064 MOD 11-2 check character and a birth date),
a bank card number (13-19 digits in groups, Luhn) and a VIN (17 characters, ISO 3779 check
digit) say by themselves whether they were read right. OCR splits them into pieces (a
wide-spaced ID number read as two or three boxes), adds spaces, reads the check
character ``X`` as ``x`` or ``×`` and a ``0`` as ``O``. Here every row of a document is read
as one string (its pieces joined), spaces dropped and look-alike letters folded to
digits inside number-like runs, and every window of the number's length is a
candidate; rows are also tried joined to the next row (a number broken over two lines).

A candidate's rank: a passing check first (python-stdnum), then fewer folded letters,
then the order of the sources the caller gives (its label's value before the rest of
the document). Demo and specimen cards often print numbers whose check fails, so a
well-formed number is still returned when no candidate passes, with the confidence a
failed check earns (:func:`~ocrframe.engine.validate.adjust`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from ..validate import adjust, card_number_ok, id_number_ok, vin_ok
from .common import DocText, Field

__all__ = ["Candidate", "fold_digits", "id_number_candidates", "card_number_candidates", "vin_candidates",
           "best_candidate", "find_id_number", "find_card_number", "find_vin", "row_texts"]

#: letters OCR reads for digits inside a number (folded only inside number-like runs)
LOOKALIKES = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
              "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "b": "6"}
#: how OCR reads an ID number's check character ``X``
CHECK_X = "Xx×✕╳乂Ⅹχ"
#: at most this many look-alike letters in one number (more is a word, not a misread number)
MAX_FOLDED = 2
#: the confidence factor of a number pieced together from two rows
JOINED_FACTOR = 0.9
#: the lengths bank card numbers mostly have (UnionPay debit cards 19, others 16)
CARD_LENGTHS = (16, 19)
_FOLD = str.maketrans({**LOOKALIKES, **{c: "X" for c in CHECK_X}})
_NUMBERISH = "0-9" + re.escape("".join(LOOKALIKES)) + re.escape(CHECK_X)


@dataclass(frozen=True)
class Candidate:
    """A number found in a text: its value, whether its check passes (None: no check),
    how many look-alike letters were folded to make it, and which source it came from."""

    value: str
    ok: bool | None
    folded: int
    source: int = 0

    @property
    def key(self) -> tuple:
        """Sort key, best first: passing check, fewer folded letters, earlier source."""
        return (self.ok is not True, self.ok is False, self.folded, self.source)


def fold_digits(s: str) -> str:
    """Look-alike letters as the digits they stand for, ``x``/``×`` as ``X``, spaces dropped.

    Examples
    --------
    >>> fold_digits("11O1O5 1949l231 002×")
    '11010519491231002X'
    """
    return re.sub(r"\s+", "", s).translate(_FOLD)


def _runs(text: str, min_len: int):
    """Number-like runs of a text (spaces inside dropped) of at least ``min_len`` characters."""
    squeezed = re.sub(r"(?<=[" + _NUMBERISH + r"])\s+(?=[" + _NUMBERISH + r"])", "", text)
    for m in re.finditer("[" + _NUMBERISH + "]{" + str(min_len) + ",}", squeezed):
        yield m.group(0)


def id_number_candidates(text: str, source: int = 0) -> list[Candidate]:
    """18-character resident ID numbers in a text, however OCR split or misread them.

    Examples
    --------
    >>> [c.value for c in id_number_candidates("公民身份号码 110105 19491231 002x")]
    ['11010519491231002X']
    >>> c = id_number_candidates("号码11010519491231002X7")  # a stray digit glued on
    >>> [(x.value, x.ok) for x in c if x.ok]
    [('11010519491231002X', True)]
    """
    out = []
    for run in _runs(text, 18):
        for k in range(len(run) - 17):
            w = run[k:k + 18]
            v = w.translate(_FOLD)
            if not re.fullmatch(r"\d{17}[\dX]", v):
                continue
            folded = sum(1 for a, b in zip(w, v) if a != b and not (a == "x" and b == "X"))
            if folded <= MAX_FOLDED:
                out.append(Candidate(v, id_number_ok(v), folded, source))
    return out


def card_number_candidates(text: str, source: int = 0) -> list[Candidate]:
    """Bank card numbers (13-19 digits) in a text, with their printed grouping kept
    (single spaces between groups). A run of groups is also tried without its last
    groups (a date or a stray number read onto the end of the card number), down to
    ``min(CARD_LENGTHS)`` digits.

    Examples
    --------
    >>> [(c.value, c.ok) for c in card_number_candidates("卡号 6222 O261 4610 0338")]
    [('6222 0261 4610 0338', True)]
    >>> [c.value for c in card_number_candidates("6222 0261 4610 0338 12") if c.ok]
    ['6222 0261 4610 0338']
    """
    out = []
    rx = r"(?<![" + _NUMBERISH + r"])([" + _NUMBERISH + r"](?:\s?[" + _NUMBERISH + r"]){12,26})(?![" + _NUMBERISH + r"])"
    for m in re.finditer(rx, text):
        groups = re.sub(r"\s+", " ", m.group(1)).strip().split(" ")
        for j in range(len(groups), 0, -1):
            printed = " ".join(groups[:j])
            v = printed.translate(str.maketrans(LOOKALIKES))
            n = len(v.replace(" ", ""))
            if not re.fullmatch(r"\d{13,19}", v.replace(" ", "")) or (j < len(groups) and n < min(CARD_LENGTHS)):
                continue
            folded = sum(1 for a, b in zip(printed, v) if a != b)
            if folded <= MAX_FOLDED:
                out.append(Candidate(v, card_number_ok(v), folded, source))
    return out


def vin_candidates(text: str, source: int = 0) -> list[Candidate]:
    """17-character VINs in a text (no I, O or Q in a VIN: read as 1, 0, 0).

    Examples
    --------
    >>> [(c.value, c.ok) for c in vin_candidates("车辆识别代号 LSVAM4187C2I84847")]
    [('LSVAM4187C2184847', True)]
    """
    out = []
    squeezed = re.sub(r"(?<=[0-9A-Z])\s+(?=[0-9A-Z])", "", text.upper())
    for m in re.finditer(r"(?<![0-9A-Z])[0-9A-Z]{17}(?![0-9A-Z])", squeezed):
        w = m.group(0)
        if not re.search(r"\d", w):
            continue
        v = w.replace("O", "0").replace("I", "1").replace("Q", "0")
        out.append(Candidate(v, vin_ok(v), sum(a != b for a, b in zip(w, v)), source))
    return out


def best_candidate(candidates: Iterable[Candidate]) -> Candidate | None:
    """The best of some candidates (see :attr:`Candidate.key`), None when there are none.

    Examples
    --------
    >>> best_candidate([Candidate("1", False, 0, 0), Candidate("2", True, 1, 1)]).value
    '2'
    """
    cs = sorted(candidates, key=lambda c: c.key)
    return cs[0] if cs else None


def row_texts(doc: DocText) -> list[tuple[str, float, bool]]:
    """``(text, score, joined)`` of each row, then of each row joined to the next."""
    rows = [(r.text, r.score) for r in doc.rows]
    return [(t, s, False) for t, s in rows] + [(a[0] + " " + b[0], min(a[1], b[1]), True)
                                                for a, b in zip(rows, rows[1:])]


def _find(doc: DocText, labelled: Field | None, finder: Callable[[str, int], list[Candidate]], *,
          unchecked_rows: bool = True, pieces: bool = False,
          rank: Callable[[Candidate], tuple] = lambda c: ()) -> Field | None:
    """The best number a finder sees in a labelled value (source 0), then in the rows
    (and with ``pieces`` each row's pieces: source 1) and in rows joined to the next
    (source 2). Outside the label a number must pass its check when joined from two
    rows, or always unless ``unchecked_rows``. ``rank`` breaks ties of
    :attr:`Candidate.key`."""
    texts = row_texts(doc) + ([(p.text, p.score, False) for r in doc.rows for p in r.pieces] if pieces else [])
    scored: list[tuple[tuple, Candidate, float]] = []
    if labelled is not None:
        scored += [(c.key + rank(c), c, labelled.confidence) for c in finder(labelled.value, 0)]
    for text, score, joined in texts:
        for c in finder(text, 2 if joined else 1):
            if c.ok or (unchecked_rows and not joined):
                scored.append((c.key + rank(c), c, score * (JOINED_FACTOR if joined else 1.0)))
    if not scored:
        return None
    _, c, score = min(scored, key=lambda t: t[0])
    return Field(c.value, adjust(score, c.ok))


def find_id_number(doc: DocText, labelled: Field | None = None) -> Field | None:
    """A document's resident ID number: from its label's value when that holds one that
    checks, else from anywhere on the document (pieces and rows joined, look-alikes
    folded); a number whose check fails only when nothing better is printed.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.locate import Region
    >>> from ocrframe.engine.ocr import TextLine
    >>> def line(text, x, y):
    ...     q = np.array([[x, y], [x + 12. * len(text), y], [x + 12. * len(text), y + 20], [x, y + 20]])
    ...     return TextLine(q, text, 0.9, np.array([1.0, 0.0]))
    >>> region = Region(np.array([[0., 0.], [600., 0.], [600., 300.], [0., 300.]]),
    ...                 [line("公民身份号码", 10, 200), line("1101051949", 200, 201), line("1231002×", 330, 199)])
    >>> find_id_number(DocText(region))
    Field(value='11010519491231002X', confidence=0.9)
    """
    return _find(doc, labelled, id_number_candidates)


def _card_rank(c: Candidate) -> tuple:
    """A usual length first, then the longer, then the grouped number."""
    n = len(c.value.replace(" ", ""))
    return n not in CARD_LENGTHS, -n, " " not in c.value


def find_card_number(doc: DocText) -> Field | None:
    """A bank card's number, as printed in groups (see :func:`card_number_candidates`),
    from its rows and their pieces. Among candidates of equal rank a usual length
    (``CARD_LENGTHS``), then the longer, then the grouped one wins (a card number is
    printed in groups; an account or phone number in one run).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrframe.engine.locate import Region
    >>> from ocrframe.engine.ocr import TextLine
    >>> box = np.array([[10., 200.], [400., 200.], [400., 230.], [10., 230.]])
    >>> card = Region(box * 1.5, [TextLine(box, "6222 O261 4610 0338 12/25", 0.9, np.array([1.0, 0.0]))])
    >>> find_card_number(DocText(card))
    Field(value='6222 0261 4610 0338', confidence=0.9)
    """
    return _find(doc, None, card_number_candidates, pieces=True, rank=_card_rank)


def find_vin(doc: DocText, labelled: Field | None = None) -> Field | None:
    """A vehicle's VIN: from its label's value, else a 17-character code whose check
    digit passes anywhere on the document."""
    return _find(doc, labelled, vin_candidates, unchecked_rows=False)
