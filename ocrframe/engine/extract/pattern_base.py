"""The value-pattern machinery: :class:`Match`, :class:`Pattern`, :func:`any_of` and the
fits and constants the pattern forms share.

Split from :mod:`ocrframe.engine.extract.patterns` (which re-exports every name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

__all__ = ["Match", "Pattern", "any_of", "CJK", "LOW_FIT"]

#: one CJK ideograph (a character class body)
CJK = "\u4e00-\u9fff"
#: the fit of a value of the right shape whose check (check digit, calendar) fails
LOW_FIT = 0.35
#: currency codes (ISO 4217) and the tax codes tickets print amounts with, longest first
CURRENCY_CODES = ("CNY", "RMB", "USD", "EUR", "HKD", "MOP", "TWD", "JPY", "GBP", "CN", "YQ", "YR", "XT")
#: the fit of a value with one character misread (a code's letter, a digit read as a letter)
MISREAD_FIT = 0.9
#: letters OCR reads for digits inside a run of digits, and the digits they stand for
_LOOKALIKES = "OoQDIl|"
_AS_DIGITS = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "|": "1"})
#: digits printed in groups come in groups of this many (check codes)
GROUP = 5
#: at most one such letter per this many characters of a code
MISREAD_SPACING = 6
#: the fit of a number plate printed without its province's character
NO_PROVINCE_FIT = 0.8
#: the fit of a grouped code read as one unbroken run (it may be another number)
UNGROUPED_FIT = 0.8
#: the fit of an amount printed with a code its field is not printed with (``YQ`` on a fare)
CODE_MISFIT = 0.6
#: the yuan sign as OCR reads it (half- and full-width, and the ``Y`` it is often read as)
_YEN = "￥¥"


@dataclass(frozen=True)
class Match:
    """One value found in a text: ``text[start:end]`` printed it."""

    value: str
    start: int
    end: int
    fit: float
    tag: str = ""


@dataclass(frozen=True)
class Pattern:
    """A value form: a regular expression and a function that checks and shapes a match.

    Parameters
    ----------
    name : str
        What the form is (for messages and tests).
    regex : str
        Searched in the text; every non-overlapping match is a candidate.
    build : callable
        ``build(match) -> (value, fit)`` or None to reject the match.
    max_tokens : int
        How many whitespace-separated pieces a value of this form may span
        (``CNY 1230.00`` is two, a grouped check code four).
    tags : tuple of str
        The marks a value of this field is printed with (an amount's currency or tax
        code: ``("CN",)`` for the CAAC fund). ``build`` may return ``(value, fit, tag)``:
        a value printed with a mark names its field, as a label would (see
        :mod:`~.assign`).
    """

    name: str
    regex: str
    build: Callable[[re.Match], tuple | None]
    max_tokens: int = 1
    tags: tuple[str, ...] = ()

    def find(self, s: str) -> list[Match]:
        """Every value of this form in ``s``, left to right.

        Examples
        --------
        >>> from ocrframe.engine.extract.patterns import clock
        >>> [m.value for m in clock().find("上车 08:05 下车 8:55")]
        ['08:05', '8:55']
        """
        out = []
        rx = re.compile(self.regex)
        pos = 0
        while pos <= len(s):
            m = rx.search(s, pos)
            if m is None:
                break
            r = self.build(m)
            if r is not None and r[0]:
                out.append(Match(r[0], m.start(), m.end(), float(r[1]), r[2] if len(r) > 2 and r[2] else ""))
                pos = max(m.end(), m.start() + 1)
            else:
                pos = m.start() + 1  # a rejected match may hide a shorter one inside it
        return out


def any_of(*patterns: Pattern) -> Pattern:
    """Values of any of several forms (the first form that matches at a place wins).

    Examples
    --------
    >>> from ocrframe.engine.extract.patterns import digits, id_number
    >>> [m.value for m in any_of(id_number(), digits(9)).find("E 123456789")]
    ['123456789']
    """
    rx = "|".join(f"(?P<p{i}>{p.regex})" for i, p in enumerate(patterns))
    rx = re.sub(r"\(\?P<(?!p\d+>)([a-z]+)>", r"(?:", rx)  # inner named groups would clash

    def build(m: re.Match):
        for i, p in enumerate(patterns):
            if m.group(f"p{i}") is not None:
                inner = re.fullmatch(p.regex, m.group(0))
                return p.build(inner) if inner else None
        return None

    return Pattern("|".join(p.name for p in patterns), rx, build, max(p.max_tokens for p in patterns),
                   tuple(dict.fromkeys(t for p in patterns for t in p.tags)))


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)
