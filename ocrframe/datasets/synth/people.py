"""The pieces the per-type value generators share: money, digits, dates, a consistent person
(name, sex, birth, home, ID number), companies and their tax numbers, phones, bank accounts,
plates, VINs, engine numbers, addresses."""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import ROUND_HALF_UP, Decimal

from .checks import ric_is_valid, ric_with_check, uscc_with_check, vin_check_digit
from .reference import BANKS, CITIES, COMPANY_FORMS, COMPANY_TRADES, COMPANY_WORDS, GIVEN, STREETS, SURNAMES, VILLAGES

__all__ = ["CENT", "money", "digits", "date_between", "add_years", "ymd_text", "cn_date_text", "faker_name", "Person", "county_existed", "home_address", "company", "uscc", "phone", "bank_account", "plate", "vin", "engine_no", "seller_address", "yuan"]

CENT = Decimal("0.01")


def money(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if first_nonzero and s[0] == "0":
        s = str(rng.randint(1, 9)) + s[1:]
    return s


def date_between(rng: random.Random, start: int, end: int) -> dt.date:
    a, b = dt.date(start, 1, 1).toordinal(), dt.date(end, 12, 28).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def ymd_text(d: dt.date, sep: str = "-") -> str:
    return f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}"


def cn_date_text(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


_FAKER: list = []


def faker_name(rng: random.Random, male: bool) -> str:
    """A Chinese name from Faker's zh_CN provider (seeded from ``rng``), matching the sex."""
    if not _FAKER:
        from faker import Faker

        _FAKER.append(Faker("zh_CN"))
    fk = _FAKER[0]
    fk.seed_instance(rng.getrandbits(48))
    return fk.last_name() + (fk.first_name_male() if male else fk.first_name_female())


class Person:
    """A consistent person: name, sex, birth, home, ID number.

    With ``romanised`` the name comes from lists with pinyin (passports need both);
    otherwise from Faker's zh_CN names, which are far more varied.
    """

    def __init__(self, rng: random.Random, min_year: int = 1955, max_year: int = 2002, romanised: bool = False):
        sur, sur_py = rng.choice(SURNAMES)
        parts = [rng.choice(GIVEN)]
        if len(parts[0][0]) == 1 and rng.random() < 0.6:
            parts.append(rng.choice([g for g in GIVEN if len(g[0]) == 1]))
        self.surname, self.surname_py = sur, sur_py
        self.given = "".join(p[0] for p in parts)
        self.given_py = "".join(p[1] for p in parts)
        self.name = sur + self.given
        self.male = rng.random() < 0.5
        self.sex = "男" if self.male else "女"
        if not romanised:
            self.name = faker_name(rng, self.male)
        self.birth = date_between(rng, min_year, max_year)
        self.city = rng.choice(CITIES)
        self.district, self.division = rng.choice(self.city[4])
        self.address = home_address(rng, self.city, self.district)
        seq = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if self.male else [0, 2, 4, 6, 8])
        tail = self.birth.strftime("%Y%m%d") + f"{seq:03d}"
        if not county_existed(self.division, self.birth.year):
            # python-stdnum checks the county code against the GB/T 2260 history: move the
            # person to a county that existed in their birth year, their own city first
            others = [c for c in CITIES if c is not self.city]
            rng.shuffle(others)
            for city in [self.city] + others:
                found = [(d, code) for d, code in city[4] if county_existed(code, self.birth.year)]
                if found:
                    self.city = city
                    self.district, self.division = found[0]
                    self.address = home_address(rng, self.city, self.district)
                    break
        self.id_number = ric_with_check(self.division + tail)


def county_existed(division: str, year: int) -> bool:
    """Whether stdnum accepts ``division`` as a birth place in ``year``."""
    return year >= _first_year(division)


@functools.lru_cache(maxsize=None)
def _first_year(division: str) -> int:
    """The first year stdnum accepts a (still current) county code: a binary search, cached,
    because each lookup in stdnum's GB/T 2260 history takes milliseconds."""
    lo, hi = 1900, 2030
    while lo < hi:
        mid = (lo + hi) // 2
        if ric_is_valid(ric_with_check(f"{division}{mid}0615001")):
            hi = mid
        else:
            lo = mid + 1
    return lo


def home_address(rng: random.Random, city, district: str) -> str:
    province, cityname = city[0], city[1]
    head = cityname if province == cityname else province + cityname
    tail = rng.choice([
        f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.choice(VILLAGES)}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(101, 2804)}室",
        f"{rng.choice(STREETS)}{rng.randint(1, 300)}号院{rng.randint(1, 20)}号楼{rng.randint(101, 1806)}号",
        f"{rng.choice(VILLAGES)}{rng.randint(1, 40)}栋{rng.randint(101, 2204)}号",
    ])
    return head + district + tail


def company(rng: random.Random, city=None) -> tuple[str, object]:
    city = city or rng.choice(CITIES)
    short = city[1].rstrip("市")
    name = short + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_TRADES) + rng.choice(COMPANY_FORMS)
    return name, city


def uscc(rng: random.Random, city) -> str:
    division = rng.choice(city[4])[1]
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return uscc_with_check("91" + division + org)


def phone(rng: random.Random, city) -> str:
    return f"{city[3]}-{digits(rng, 8 if len(city[3]) == 3 else 7, True)}"


def bank_account(rng: random.Random, city, bank: str | None = None) -> tuple[str, str]:
    bank = bank or rng.choice(BANKS)[0]
    branch = f"{bank}{city[1].rstrip('市')}{rng.choice(city[4])[0].rstrip('区')}支行"
    return branch, digits(rng, rng.choice((16, 19)), True)


def plate(rng: random.Random, city) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(rng.choice(letters + "0123456789" * 3) for _ in range(5))
    return city[2][0] + rng.choice(city[2][1] + "BCDEFGH") + tail


def vin(rng: random.Random, wmi: str, year: int) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    years = "ABCDEFGHJKLMNPRSTVWXY123456789"
    body = wmi + "".join(rng.choice(chars) for _ in range(5))
    tail = years[(year - 2010) % 30] + rng.choice(chars) + digits(rng, 6)
    partial = body + "0" + tail
    return body + vin_check_digit(partial) + tail


def engine_no(rng: random.Random) -> str:
    return rng.choice(["", "C", "G", "H", "L"]) + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice((6, 7, 8))))


def seller_address(rng, city) -> str:
    district = rng.choice(city[4])[0]
    head = city[1] if city[0] == city[1] else city[0] + city[1]
    return f"{head}{district}{rng.choice(STREETS)}{rng.randint(1, 500)}号"


def yuan(x: Decimal, sign: str = "￥") -> str:
    return f"{sign}{x:.2f}"
