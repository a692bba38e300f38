"""Check digits and checkable number formats used by the generator (and its tests).

Resident ID numbers and unified social credit codes go through python-stdnum; VINs
(ISO 3779, the North-American weighting China uses), Luhn and ICAO 9303 are small enough
to write here.

Examples
--------
>>> luhn_check_digit("622202123456789012")
'8'
>>> vin_is_valid("LSVAU2180N2183294")
False
>>> mrz_check_digit("E12345678")
'2'
>>> money_in_words("1395.05")
'壹仟叁佰玖拾伍圆零伍分'
"""

from __future__ import annotations

from decimal import Decimal

from ...normalize import money_to_words

__all__ = [
    "ric_with_check",
    "ric_is_valid",
    "uscc_with_check",
    "luhn_check_digit",
    "luhn_is_valid",
    "vin_check_digit",
    "vin_is_valid",
    "mrz_check_digit",
    "money_in_words",
]


def ric_with_check(first17: str) -> str:
    """An 18-digit resident ID number: ``first17`` plus its ISO 7064 MOD 11-2 check digit."""
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum expects a placeholder check digit


def ric_is_valid(number: str) -> bool:
    """Whether an 18-digit resident ID number is valid (check digit and birth date)."""
    from stdnum.cn import ric

    return ric.is_valid(number)


def uscc_with_check(first17: str) -> str:
    """An 18-character unified social credit code (纳税人识别号) with its check character."""
    from stdnum.cn import uscc

    return first17 + uscc.calc_check_digit(first17)


def luhn_check_digit(partial: str) -> str:
    """The Luhn digit that makes ``partial + digit`` valid."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_is_valid(number: str) -> bool:
    """Whether a card number (spaces allowed) passes the Luhn check."""
    digits = number.replace(" ", "")
    return digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]


_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
               **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 check character (position 9) of a 17-character VIN."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin.upper(), _VIN_WEIGHTS))
    r = total % 11
    return "X" if r == 10 else str(r)


def vin_is_valid(vin: str) -> bool:
    """Whether a 17-character VIN carries a correct check character."""
    return len(vin) == 17 and all(c in _VIN_VALUES for c in vin) and vin_check_digit(vin) == vin[8]


def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1; ``<`` = 0, A = 10 ... Z = 35)."""
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            v = int(ch)
        elif ch.isalpha():
            v = ord(ch.upper()) - 55
        else:
            v = 0
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def money_in_words(amount: str | Decimal, yuan: str = "圆") -> str:
    """Chinese capital amount (大写金额) as the generator prints it: 圆 by default, no 整 after 角.

    One implementation serves printing and evaluation: :func:`ocrframe.normalize.money_to_words`.

    Examples
    --------
    >>> money_in_words("100")
    '壹佰圆整'
    >>> money_in_words("1005.50", yuan="元")
    '壹仟零伍元伍角'
    >>> money_in_words("0.07")
    '柒分'
    """
    return money_to_words(Decimal(str(amount)), yuan=yuan, whole_after_jiao=False)
