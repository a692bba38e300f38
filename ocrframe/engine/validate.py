"""Check digits of the numbers printed on documents, via python-stdnum and mrz.

Each checker returns True (valid), False (a check digit or embedded date fails) or None
(not applicable: too short, wrong characters). Extraction multiplies a field's
recognition confidence by :data:`FAIL_FACTOR` when its check fails, so a failed check
always lowers the confidence.
"""

from __future__ import annotations

import re

__all__ = ["id_number_ok", "card_number_ok", "vin_ok", "mrz_td3", "mrz_check_digit", "mrz_alpha", "FAIL_FACTOR",
           "adjust"]

#: confidence multiplier for a field whose check digit fails
FAIL_FACTOR = 0.4


def adjust(conf: float, ok: bool | None) -> float:
    """Confidence after validation: unchanged for a pass or n/a, lowered for a failure.

    Examples
    --------
    >>> adjust(0.9, True), adjust(0.9, None), round(adjust(0.9, False), 2)
    (0.9, 0.9, 0.36)
    """
    return conf * FAIL_FACTOR if ok is False else conf


def id_number_ok(s: str) -> bool | None:
    """18-digit resident ID number: ISO 7064 MOD 11-2 check digit and a real birth date.

    The six-digit region code is not looked up: numbers issued under retired or
    re-drawn county codes are valid, and python-stdnum's region table does not know
    them all (its ``is_valid`` raises ``KeyError`` for some).

    Examples
    --------
    >>> id_number_ok("11010519491231002X"), id_number_ok("110105194912310021"), id_number_ok("123")
    (True, False, None)
    >>> id_number_ok("610333199012223323")  # a region code python-stdnum cannot place
    True
    """
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    if not re.fullmatch(r"\d{17}[\dXx]", s or ""):
        return None
    s = s.upper()
    try:
        ric.get_birth_date(s)
    except ValidationError:
        return False
    return ric.calc_check_digit(s) == s[-1]


def card_number_ok(s: str) -> bool | None:
    """Bank card number (13-19 digits, spaces allowed): Luhn check.

    Examples
    --------
    >>> card_number_ok("6222 0261 4610 0338"), card_number_ok("6222026146100339")
    (True, False)
    """
    from stdnum import luhn

    d = re.sub(r"\s", "", s or "")
    if not re.fullmatch(r"\d{13,19}", d):
        return None
    return bool(luhn.is_valid(d))


_VIN_VALUES = {**dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10))), **{str(i): i for i in range(10)}}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def plate(s: str) -> str:
    """A Chinese number plate as printed: spaces and dots dropped, and O / I after the
    issuing letter read as 0 / 1 (plates never use the letters O and I, GA 36).

    Examples
    --------
    >>> plate("沪C OOAPM"), plate("京A·1I234")
    ('沪C00APM', '京A11234')
    """
    v = re.sub(r"[\s·.•]", "", s or "")
    m = re.match(r"([\u4e00-\u9fff][A-Z])(.*)", v)
    return m.group(1) + m.group(2).replace("O", "0").replace("I", "1") if m else v


def vin_ok(s: str) -> bool | None:
    """VIN (ISO 3779): the 9th character is the check digit, as Chinese (and North American) VINs use.

    Examples
    --------
    >>> vin_ok("LSVAM4187C2184847"), vin_ok("LSVAM4188C2184847"), vin_ok("ABC")
    (True, False, None)
    """
    v = (s or "").upper()
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", v):
        return None
    total = sum(_VIN_VALUES[c] * w for c, w in zip(v, _VIN_WEIGHTS))
    return "0123456789X"[total % 11] == v[8]


def mrz_check_digit(s: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1; ``<`` = 0, A = 10).

    Examples
    --------
    >>> mrz_check_digit("E00339075")
    '3'
    """
    total = 0
    for i, c in enumerate(s):
        v = int(c) if c.isdigit() else (ord(c) - 55 if "A" <= c <= "Z" else 0)
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


_TO_DIGIT = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"})
_TO_ALPHA = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"})


def mrz_alpha(s: str) -> str:
    """An MRZ field of letters only (a TD3 line 1: type, country and names) with the
    digits OCR reads for letters put back (``0`` -> ``O``, ``1`` -> ``I``, ...).

    Examples
    --------
    >>> mrz_alpha("P0CHNGA0<<HA0RAN<<<")
    'POCHNGAO<<HAORAN<<<'
    """
    return s.translate(_TO_ALPHA)


# TD3 line 2: check digits and dates are digits; nationality and sex are letters
_DIGIT_POS = {9, *range(13, 20), *range(21, 28), 42, 43}
_ALPHA_POS = {10, 11, 12, 20}


def mrz_td3(line1: str, line2: str) -> dict | None:
    """Parse and check a passport's two 44-character MRZ lines (TD3).

    Returns
    -------
    dict or None
        ``fields`` (document_type, country, surname, given_name, document_number,
        nationality, birth_date, sex, expiry_date as printed YYMMDD) and ``checks``
        (per check: True/False); None when the lines are not TD3-shaped.

    Examples
    --------
    >>> r = mrz_td3("P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    ...             "E003390753CHN8810274M3009082<<<<<<<<<<<<<<04")
    >>> r["fields"]["document_number"], all(r["checks"].values())
    ('E00339075', True)
    """
    l1, l2 = (line1 or "").strip(), (line2 or "").strip()
    if len(l1) != 44 or len(l2) != 44:
        return None
    l1 = mrz_alpha(l1)
    l2 = "".join(c.translate(_TO_DIGIT) if i in _DIGIT_POS else (c.translate(_TO_ALPHA) if i in _ALPHA_POS else c)
                 for i, c in enumerate(l2))
    names = l1[5:].split("<<", 1)
    given = names[1].strip("<").split("<<")[0] if len(names) > 1 else ""
    fields = {
        "document_type": l1[0:2].replace("<", ""),
        "country": l1[2:5].replace("<", ""),
        "surname": names[0].replace("<", " ").strip(),
        "given_name": given.replace("<", " ").strip(),
        "document_number": l2[0:9].replace("<", ""),
        "nationality": l2[10:13].replace("<", ""),
        "birth_date": l2[13:19],
        "sex": l2[20],
        "expiry_date": l2[21:27],
    }
    checks = {
        "document_number": mrz_check_digit(l2[0:9]) == l2[9],
        "birth_date": mrz_check_digit(l2[13:19]) == l2[19],
        "expiry_date": mrz_check_digit(l2[21:27]) == l2[27],
        "final": mrz_check_digit(l2[0:10] + l2[13:20] + l2[21:43]) == l2[43],
    }
    try:  # the mrz package's own verdict, where it parses
        from mrz.checker.td3 import TD3CodeChecker

        checks["mrz_package"] = bool(TD3CodeChecker(l1 + "\n" + l2))
    except Exception:
        pass
    return {"fields": fields, "checks": checks}
