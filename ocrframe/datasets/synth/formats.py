"""Values as other layout variants print them: other date and money formats, other places.

:mod:`.values` makes one set of values per type in the formats of the first layout drawn
of it; a variant that prints a field otherwise rewrites it with these helpers in its
``adapt`` (:class:`~.layout.Layout`), so that its truth stays exactly what it prints.

Examples
--------
>>> ymd("2019-05-12", "/"), cn_date("2019-05-12")
('2019/05/12', '2019年05月12日')
>>> plain_money("￥1,230.00"), plain_money("CNY 1230.00"), plain_money("45.00元")
('1230.00', '1230.00', '45.00')
>>> len(digital_invoice_number(random.Random(0), 2024, "310104"))
20
"""

from __future__ import annotations

import random
import re

from .reference import CITIES

__all__ = ["city_named", "in_city", "ymd", "cn_date", "plain_money", "digital_invoice_number", "province_of"]

_MONEY = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def city_named(name: str):
    """The reference city ``name`` (``"上海市"``) of :data:`~.reference.CITIES`."""
    for city in CITIES:
        if city[1] == name:
            return city
    raise ValueError(f"unknown city {name!r}; known: {', '.join(c[1] for c in CITIES)}")


def in_city(values: dict, city_name: str, *, code: str = "code", plate: str | None = None) -> dict:
    """``values`` moved to another city: the code's region digits, the plate's prefix, the place.

    The code keeps its first digit and replaces the next four (the region); a plate
    ``"沪A-12345"`` gets the city's prefix; ``_province`` becomes the city's short name.
    """
    city = city_named(city_name)
    out = dict(values)
    out[code] = values[code][0] + city[4][0][1][:4] + values[code][5:]
    if plate:
        out[plate] = city[2] + values[plate][len(city[2]):]
    out["_province"] = city[1].rstrip("市")
    return out


def ymd(date: str, sep: str) -> str:
    """A ``2019-05-12`` date with another separator."""
    return date.replace("-", sep)


def cn_date(date: str) -> str:
    """A ``2019-05-12`` date as ``2019年05月12日``."""
    y, m, d = date.split("-")
    return f"{y}年{m}月{d}日"


def plain_money(s: str) -> str:
    """The amount of a printed money value without sign, currency code, unit or commas."""
    m = _MONEY.search(s)
    if m is None:
        raise ValueError(f"no amount in {s!r}")
    return m.group(0).replace(",", "")


def digital_invoice_number(rng: random.Random, year: int, division: str) -> str:
    """A fully digital invoice's (全电发票) 20-digit number: year, province, channel, sequence."""
    return f"{year % 100:02d}{division[:2]}{rng.choice('12')}" + "".join(rng.choice("0123456789") for _ in range(15))


def province_of(city_short: str) -> str:
    """The province (``广东省``, ``北京市``) of a city given short (``深圳``).

    Examples
    --------
    >>> province_of("深圳"), province_of("北京")
    ('广东省', '北京市')
    """
    for province, city, *_ in CITIES:
        if city.rstrip("市") == city_short:
            return province
    raise ValueError(f"unknown city {city_short!r}")
