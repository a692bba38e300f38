"""Plausible, internally consistent field values for every document type.

``make_values(doc_type, rng)`` returns the content dict a document of that type prints:
every core key of the registry, as the exact string printed on the document (money keeps
its sign, dates keep their printed form), nested lists as one dict per printed row.
Extra keys a renderer needs but the API does not return start with an underscore and are
dropped from the labels.

How values are printed (what the labels hold). A label is the value without its printed
field label; where the API returns part of a printed line, the label is that part:

- ID card: ``birth`` ``1990年3月5日``; the address is wrapped over lines but labelled whole;
  the emblem side prints ``valid_from-valid_to`` (``2015.03.12-2035.03.12`` or ``-长期``).
- Licences: dates ``2018-05-12``; the driving licence prints ``valid_from 至 valid_to``;
  ``issuing_authority`` is the text of the red stamp; ``--`` where a field does not apply.
- Passport: the SDK's English values (``surname`` ``WANG``, ``sex`` ``M``, ``date_of_birth``
  ``05 MAR 1990``, places as province pinyin); the page prints them after the Chinese
  (``男/M``, ``上海/SHANGHAI``), which ``extra_info.local_language`` holds, with the MRZ
  lines as ``extra_info.machine_code1`` / ``machine_code2``.
- Bank card: ``card_number`` with the printed spaces; dates ``MM/YY``; ``type`` 借记卡/贷记卡.
- Invoices: money with ``￥`` where printed so (totals, subtotals), item amounts without;
  taxi invoice ``45.00元``, ``2.30元``, ``12.3km``; flight itinerary ``CNY 1240.00``,
  ``CN 50.00``, ``YQ 20.00``; capital amounts ``壹仟叁佰玖拾伍圆零伍分`` (roll invoice 元);
  VAT ``check_code`` in groups of 5 digits; ``type`` 增值税专用发票/增值税普通发票 (the title
  adds the province); quota ``location`` is the city in the title (``上海``).
- Train ticket: ``check_port`` ``12A`` (printed ``检票:12A``), stations without the ``站``
  printed after them, ``departure_time`` ``2019年05月12日10:05开``, price ``￥553.5元``, the
  ID number masked as printed.

These are the formats of each type's first layout. A layout variant that prints a field
otherwise rewrites it (:mod:`.formats`, the variant's ``adapt``) and leaves out the fields
it does not print, so the truth is always what that variant prints: e.g. the fully
digital VAT invoice has a 20-digit ``number`` and no ``code``, the electronic itinerary
prints ``fare`` as ``1230.00`` and has ``number`` instead of ``serial_number``, the agent-
printed itinerary ``CNY1230.00``, the boxed taxi receipt ``2.30`` under ``单价(元/公里)``.

Examples
--------
>>> import random
>>> from ocrframe.types import DocType
>>> v = make_values(DocType.ID_CARD_PORTRAIT_SIDE, random.Random(1))
>>> from ocrframe.datasets.synth.checks import ric_is_valid
>>> ric_is_valid(v["number"])
True
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from ocrframe.types import DocType

from . import people
from .checks import luhn_check_digit, money_in_words
from .reference import (AIRPORTS, BANKS, BUS_STATIONS, CAR_TYPES, CARRIERS, CITIES, CITY_PINYIN, COMPANY_WORDS, ETHNICITIES,
                        ITEMS, MONTHS, RIDE_PROVIDERS, ROLL_ITEMS, STATIONS, TOLL_PLACES, TOLL_ROADS, TRUCKS, VEHICLES)

__all__ = ["make_values", "GENERATORS", "public_content"]

# --- per type -------------------------------------------------------------------------------

def _id_card_portrait(rng):
    p = people.Person(rng)
    return {"name": p.name, "sex": p.sex, "ethnicity": rng.choice(ETHNICITIES),
            "birth": f"{p.birth.year}年{p.birth.month}月{p.birth.day}日",
            "address": p.address, "number": p.id_number}


def _id_card_emblem(rng):
    city = rng.choice(CITIES)
    district = rng.choice(city[4])[0]
    issue = f"{city[1]}公安局{district.rstrip('区')}分局" if rng.random() < 0.7 else f"{city[1]}公安局"
    start = people.date_between(rng, 2006, 2024)
    years = rng.choice([10, 20, 20, None])
    return {"issue": issue, "valid_from": people.ymd_text(start, "."),
            "valid_to": "长期" if years is None else people.ymd_text(people.add_years(start, years), ".")}


def _vehicle_front(rng):
    p = people.Person(rng)
    wmi, model, vtype, _, seats, mass, dims = rng.choice(VEHICLES)
    reg = people.date_between(rng, 2011, 2024)
    issue = reg if rng.random() < 0.7 else max(reg, people.date_between(rng, reg.year, 2025))  # re-issued later
    company = rng.random() < 0.2
    name, city = (people.company(rng, p.city) if company else (p.name, p.city))
    return {"number": people.plate(rng, city), "vehicle_type": vtype, "name": name,
            "address": people.seller_address(rng, city) if company else p.address,
            "use_character": "非营运" if not company else rng.choice(["非营运", "营转非", "租赁"]),
            "model": model, "vin": people.vin(rng, wmi, reg.year), "engine_no": people.engine_no(rng),
            "register_date": people.ymd_text(reg), "issue_date": people.ymd_text(issue),
            "issuing_authority": f"{city[0].rstrip('省市')}省{city[1]}公安局交通警察支队" if city[0] != city[1]
            else f"{city[1]}公安局公安交通管理局"}


def _vehicle_back(rng):
    city = rng.choice(CITIES)
    insp = people.date_between(rng, 2020, 2027)
    if rng.random() < 0.8:
        _, _, _, _, seats, (unladen, gross), dims = rng.choice(VEHICLES)
        passengers, load, traction = f"{seats}人", "--", "--"
    else:
        _, _, _, (unladen, gross, load_kg), dims = TRUCKS[0]
        passengers, load, traction = "3人", f"{load_kg}kg", "--"
    return {"number": people.plate(rng, city), "file_no": city[4][0][1][:2] + people.digits(rng, 10),
            "approved_passengers": passengers, "gross_mass": f"{gross}kg", "unladen_mass": f"{unladen}kg",
            "approved_load": load, "dimension": f"{dims}mm", "traction_mass": traction,
            "remarks": rng.choice(["--", "车身颜色：白色", "车身颜色：黑色", "非营运"]),
            "inspection_record": f"检验有效期至{insp.year}年{insp.month:02d}月{city[2]}"}


def _driver_front(rng):
    p = people.Person(rng, 1960, 2003)
    first = people.date_between(rng, max(p.birth.year + 18, 1990), 2024)
    first = max(first, people.add_years(p.birth, 18))
    years = rng.choice([6, 10, 10, None])
    start = people.add_years(first, rng.choice([0, 0, 6, 16])) if years != 6 else first
    start = min(start, dt.date(2025, 6, 1))
    city = p.city
    return {"number": p.id_number, "name": p.name, "sex": p.sex, "nationality": "中国",
            "address": p.address, "birth": people.ymd_text(p.birth), "issue_date": people.ymd_text(first),
            "class": rng.choice(["C1", "C1", "C2", "B2", "A2", "C1E"]),
            "valid_from": people.ymd_text(start), "valid_to": "长期" if years is None else people.ymd_text(people.add_years(start, years)),
            "issuing_authority": f"{city[1]}公安局公安交通管理局" if city[0] == city[1]
            else f"{city[0]}{city[1]}公安局交通警察支队"}


def _driver_back(rng):
    p = people.Person(rng, 1960, 2003)
    due = people.date_between(rng, 2025, 2034)
    return {"number": p.id_number, "name": p.name, "file_number": p.division[:2] + people.digits(rng, 10),
            "record": rng.choice([f"请于{people.cn_date_text(due)}前申请换证", f"实习期至{people.ymd_text(due)}",
                                  f"请于{people.cn_date_text(due)}前到公安机关交通管理部门接受审验"])}


def _passport(rng):
    p = people.Person(rng, 1950, 2015, romanised=True)
    issue = people.date_between(rng, 2016, 2025)
    years = 10 if issue.year - p.birth.year >= 16 else 5
    expiry = people.add_years(issue, years) - dt.timedelta(days=1)
    number = "E" + rng.choice(["", "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L"]) + ""
    number = number + people.digits(rng, 9 - len(number))
    en = lambda d: f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"  # noqa: E731
    birth_city = p.city[1]
    issue_place = rng.choice(CITIES)
    issue_city = issue_place[1]
    province = lambda c: c[0].rstrip("省市")  # noqa: E731  passports name the province
    from .checks import mrz_check_digit

    surname, given = p.surname_py, p.given_py
    line1 = ("POCHN" + surname + "<<" + given).ljust(44, "<")[:44]
    personal = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + people.digits(rng, 12)
    yymmdd = lambda d: d.strftime("%y%m%d")  # noqa: E731
    line2 = (number + mrz_check_digit(number) + "CHN" + yymmdd(p.birth) + mrz_check_digit(yymmdd(p.birth))
             + ("M" if p.male else "F") + yymmdd(expiry) + mrz_check_digit(yymmdd(expiry))
             + personal.ljust(14, "<") + mrz_check_digit(personal.ljust(14, "<")))
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    line2 = line2 + mrz_check_digit(composite)
    return {"passport_type": "P", "country_code": "CHN", "passport_number": number,
            "nationality": "CHINESE", "surname": surname, "given_name": given,
            "sex": "M" if p.male else "F", "date_of_birth": en(p.birth), "date_of_expiry": en(expiry),
            "date_of_issue": en(issue), "place_of_birth": CITY_PINYIN[birth_city],
            "place_of_issue": CITY_PINYIN[issue_city], "issuing_authority": "MPS Exit & Entry Administration"
            if issue.year < 2019 else "National Immigration Administration",
            "extra_info": {"machine_code1": line1, "machine_code2": line2,
                           "local_language": {"surname": p.surname, "given_name": p.given, "sex": p.sex,
                                              "place_of_birth": province(p.city),
                                              "place_of_issue": province(issue_place),
                                              "issuing_authority": "公安部出入境管理局" if issue.year < 2019 else "国家移民管理局"}}}


def _bankcard(rng):
    bank, debit, credit = rng.choice(BANKS)
    is_debit = rng.random() < 0.6
    prefixes, length = debit if is_debit else credit
    partial = rng.choice(prefixes) + people.digits(rng, length - 7)
    number = partial + luhn_check_digit(partial)
    groups = [number[i:i + 4] for i in range(0, 16, 4)] + ([number[16:]] if length > 16 else [])
    issue = people.date_between(rng, 2016, 2025)
    expiry = people.add_years(issue, rng.choice([5, 10]))
    return {"bank_name": bank, "card_number": " ".join(groups), "issue_date": issue.strftime("%m/%y"),
            "expiry_date": expiry.strftime("%m/%y"), "type": "借记卡" if is_debit else "贷记卡"}


def _transport_license(rng):
    city = rng.choice(CITIES)
    name = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + rng.choice(["运输", "物流", "货运"]) + "有限公司"
    _, model, vtype, (unladen, gross, load), dims = TRUCKS[0]
    district, division = rng.choice(city[4])
    tons = rng.choice([2, 5, 8, 10, 15, 18, 25])
    return {"owner_name": name, "license_number": division + people.digits(rng, 6),
            "vehicle_number": people.plate(rng, city), "vehicle_type": rng.choice(["重型厢式货车", "中型厢式货车", "重型仓栅式货车", "轻型厢式货车"]),
            "maximum_capacity": f"{tons}吨", "vehicle_size": f"{dims}mm",
            "issuing_authority": f"{city[1]}{district}道路运输管理所", "issue_date": people.cn_date_text(people.date_between(rng, 2014, 2025)),
            "owner_address": people.seller_address(rng, city), "economic_type": rng.choice(["有限责任公司", "私营企业", "个体"]),
            "business_certificate": f"{city[2][0]}交运管许可货字{division}{people.digits(rng, 6)}号",
            "business_scope": rng.choice(["普通货运", "普通货运,货物专用运输(集装箱)", "道路普通货物运输"])}


def _party(rng):
    name, city = people.company(rng)
    branch, account = people.bank_account(rng, city)
    return name, people.uscc(rng, city), f"{people.seller_address(rng, city)} {people.phone(rng, city)}", f"{branch} {account}", city


def _vat_invoice(rng):
    kind = rng.choices(["增值税专用发票", "增值税普通发票", "增值税电子普通发票"], [0.45, 0.3, 0.25])[0]
    special = kind == "增值税专用发票"
    seller = _party(rng)
    buyer = _party(rng)
    rate = rng.choice([13, 6, 9, 3]) if special else rng.choice([13, 6, 3, 1])
    rows, total_amount, total_tax = [], Decimal(0), Decimal(0)
    for name, spec, unit, (lo, hi) in rng.sample(ITEMS, rng.choice([1, 1, 2, 2, 3, 4])):
        qty = rng.choice([1, 1, 2, 3, 5, 10, 20]) if unit not in ("次", "项") else 1
        price = people.money(rng.uniform(lo, hi))
        amount = people.money(price * qty)
        tax = people.money(amount * rate / 100)
        total_amount += amount
        total_tax += tax
        rows.append({"name": name, "specification": spec, "unit": unit, "quantity": str(qty),
                     "unit_price": f"{price:.2f}", "amount": f"{amount:.2f}", "tax_rate": f"{rate}%", "tax": f"{tax:.2f}"})
    total = total_amount + total_tax
    year = rng.randint(2017, 2025)
    code = seller[4][4][0][1][:4] + f"{year % 100:02d}" + people.digits(rng, 4) if special else \
        "0" + seller[4][4][0][1][:4] + f"{year % 100:02d}" + people.digits(rng, 3) + ("11" if kind.endswith("电子普通发票") else people.digits(rng, 2))
    p = people.Person(rng)
    return {"type": kind, "code": code, "number": people.digits(rng, 8),
            "issue_date": people.cn_date_text(people.date_between(rng, year, year)),
            "check_code": " ".join(people.digits(rng, 5) for _ in range(4)), "machine_number": "6" + people.digits(rng, 11),
            "buyer_name": buyer[0], "buyer_id": buyer[1], "buyer_address": buyer[2], "buyer_bank": buyer[3],
            "seller_name": seller[0], "seller_id": seller[1], "seller_address": seller[2], "seller_bank": seller[3],
            "subtotal_amount": people.yuan(total_amount), "subtotal_tax": people.yuan(total_tax), "total": people.yuan(total),
            "total_in_words": money_in_words(total), "remarks": rng.choice(["", f"订单号：{people.digits(rng, 12)}", "项目：系统维护", "合同号：HT" + people.digits(rng, 8)]) or "--",
            "receiver": people.Person(rng).name, "reviewer": people.Person(rng).name, "issuer": p.name,
            "item_list": rows, "_province": seller[4][0].rstrip("省市")}


def _vat_roll(rng):
    seller_name, city = people.company(rng)
    rows, total = [], Decimal(0)
    for name, (lo, hi) in rng.sample(ROLL_ITEMS, rng.choice([1, 1, 2, 3])):
        qty = rng.choice([1, 1, 2, 3])
        price = people.money(rng.randint(lo, hi))
        amount = price * qty
        total += amount
        rows.append({"name": name, "quantity": str(qty), "unit_price": f"{price:.2f}", "amount": f"{amount:.2f}"})
    buyer_name, bcity = people.company(rng)
    year = rng.randint(2017, 2025)
    return {"code": "0" + city[4][0][1][:4] + f"{year % 100:02d}" + people.digits(rng, 5), "number": people.digits(rng, 8),
            "issue_date": people.ymd_text(people.date_between(rng, year, year)), "check_code": people.digits(rng, 20),
            "machine_number": "6" + people.digits(rng, 11), "buyer_name": buyer_name, "buyer_id": people.uscc(rng, bcity),
            "seller_name": seller_name, "seller_id": people.uscc(rng, city), "total": people.yuan(total),
            "total_in_words": money_in_words(total, yuan="元"), "item_list": rows,
            "_province": city[0].rstrip("省市"), "_cashier": people.Person(rng).name}


def _mvs_invoice(rng):
    p = people.Person(rng)
    seller_name, city = people.company(rng)
    seller_name = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + "汽车销售服务有限公司"
    wmi, model, vtype, origin, *_ = rng.choice(VEHICLES)
    year = rng.randint(2017, 2025)
    total = people.money(rng.randint(90, 380) * 1000 + rng.choice([0, 0, 500, 800]))
    exclusive = people.money(total / Decimal("1.13"))
    tax = total - exclusive
    district, division = rng.choice(city[4])
    branch, account = people.bank_account(rng, city)
    return {"code": "1" + division[:4] + f"{year % 100:02d}" + people.digits(rng, 5), "number": people.digits(rng, 8),
            "issue_date": people.ymd_text(people.date_between(rng, year, year)), "machine_number": "6" + people.digits(rng, 11),
            "buyer_name": p.name, "buyer_id": p.id_number, "seller_name": seller_name,
            "seller_id": people.uscc(rng, city), "seller_address": people.seller_address(rng, city),
            "seller_phone": people.phone(rng, city), "seller_bank": branch, "seller_account": account,
            "vehicle_type": {"小型轿车": "轿车", "小型普通客车": "多用途乘用车"}[vtype],
            "brand_model": model, "manufacturing_location": origin,
            "quality_certificate": "W" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + people.digits(rng, 12),
            "engine_number": people.engine_no(rng), "vehicle_identification_number": people.vin(rng, wmi, year),
            "tax_rate": "13%", "tax": people.yuan(tax), "tax_exclusive_price": people.yuan(exclusive), "total": people.yuan(total),
            "total_chinese": money_in_words(total), "tax_authority": f"国家税务总局{city[1]}{district}税务局",
            "tax_authority_code": division + people.digits(rng, 5), "_province": city[0].rstrip("省市")}


def _taxi(rng):
    city = rng.choice(CITIES)
    start_h, start_m = rng.randint(6, 22), rng.randint(0, 59)
    minutes = rng.randint(8, 70)
    end = start_h * 60 + start_m + minutes
    price = rng.choice([Decimal("2.30"), Decimal("2.50"), Decimal("2.60"), Decimal("2.80")])
    distance = Decimal(rng.randint(15, 300)) / 10
    wait_s = rng.randint(0, 600)
    fare = Decimal(13) + max(Decimal(0), distance - 3) * price + Decimal(wait_s // 60) * price / 2
    fare = fare.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    year = rng.randint(2016, 2025)
    return {"code": "1" + city[4][0][1][:4] + "1" + people.digits(rng, 6), "number": people.digits(rng, 8),
            "phone_number": rng.choice(["96123", "12328", "68351150", "96900"]),
            "taxi_number": city[2] + "-" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5)),
            "certificate_number": people.digits(rng, 6), "date": people.ymd_text(people.date_between(rng, year, year)),
            "boarding_time": f"{start_h:02d}:{start_m:02d}", "alighting_time": f"{end // 60 % 24:02d}:{end % 60:02d}",
            "unit_price": f"{price:.2f}元", "distance": f"{distance:.1f}km",
            "waiting_time": f"00:{wait_s // 60:02d}:{wait_s % 60:02d}", "total": f"{fare:.2f}元",
            "_province": city[1].rstrip("市")}


def _train(rng):
    (a, a_py), (b, b_py) = rng.sample(STATIONS, 2)
    p = people.Person(rng)
    d = people.date_between(rng, 2016, 2025)
    hh, mm = rng.randint(6, 21), rng.choice(range(0, 60, 5))
    kind = rng.choice("GGGDDKZT")
    hsr = kind in "GD"
    cat = rng.choice(["二等座", "二等座", "一等座"]) if hsr else rng.choice(["硬座", "硬卧", "新空调硬座"])
    price = people.money(rng.randint(50, 900) + rng.choice([0, 0.5]))
    seat = f"{rng.randint(1, 16):02d}车{rng.randint(1, 20):02d}{rng.choice('ABCDF')}号" if hsr else f"{rng.randint(1, 18):02d}车{rng.randint(1, 118):03d}号"
    masked = p.id_number[:10] + "****" + p.id_number[14:]
    serial_id = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + people.digits(rng, 6)
    # newer tickets print three more characters before the letter and digits the serial ends with
    ticket_id = (people.digits(rng, 3) if rng.random() < 0.3 else "") + serial_id
    if cat.endswith("硬卧"):
        seat = seat.replace("号", "号" + rng.choice("上中下") + "铺")
    return {"ticket_id": ticket_id, "check_port": f"{rng.randint(1, 30)}{rng.choice(['', 'A', 'B'])}",
            "train_number": kind + str(rng.randint(1, 9999 if hsr else 999)), "departure_station": a,
            "destination_station": b, "departure_time": f"{d.year}年{d.month:02d}月{d.day:02d}日{hh:02d}:{mm:02d}开",
            "seat_number": seat, "ticket_price": f"￥{price:.1f}元", "seat_category": cat,
            "id_number": masked, "name": p.name, "sale_location": rng.choice(STATIONS)[0] + "售",
            "_py": (a_py, b_py), "_serial": people.digits(rng, 14) + serial_id}  # the foot's serial ends with the ticket number


def _quota(rng):
    city = rng.choice(CITIES)
    value = rng.choice([1, 2, 5, 10, 10, 20, 50, 50, 100])
    year = rng.randint(2015, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{year % 100:02d}" + people.digits(rng, 5), "number": people.digits(rng, 8),
            "amount": f"￥{value:.2f}", "location": city[1].rstrip("市"), "_words": money_in_words(value, yuan="元").rstrip("整")}


def _toll(rng):
    city = rng.choice(CITIES)
    road = rng.choice(TOLL_ROADS)
    a, b = rng.sample(TOLL_PLACES, 2)
    year = rng.randint(2016, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{year % 100:02d}" + people.digits(rng, 5), "number": people.digits(rng, 8),
            "entry": f"{road}{a}站", "exit": f"{road}{b}站", "amount": f"￥{rng.randint(5, 180)}.00",
            "vehicle_type": rng.choice(["一型车", "一型车", "二型车", "客1", "货2"]),
            "date": people.ymd_text(people.date_between(rng, year, year)), "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            "_province": city[0].rstrip("省市")}


def _flight(rng):
    p = people.Person(rng)
    n = rng.choice([1, 1, 2])
    ports = rng.sample(AIRPORTS, n + 1)
    d = people.date_between(rng, 2016, 2025)
    rows = []
    fare = Decimal(0)
    for i in range(n):
        carrier, code = rng.choice(CARRIERS)
        day = d + dt.timedelta(days=i * rng.randint(0, 3))
        rows.append({"departure_station": ports[i][0], "destination_station": ports[i + 1][0], "carrier": carrier,
                     "flight": code + str(rng.randint(1000, 9899)), "cabin_class": rng.choice("YYYBMHKLF"),
                     "date": f"{day.day:02d}{MONTHS[day.month - 1]}", "time": f"{rng.randint(6, 22):02d}{rng.choice(range(0, 60, 5)):02d}",
                     "_codes": (ports[i][1], ports[i + 1][1])})
        fare += people.money(rng.randint(28, 220) * 10)
    fund = people.money(50 * n)
    fuel = people.money(rng.choice([0, 10, 20, 30, 60]) * n)
    other = people.money(0)
    total = fare + fund + fuel + other
    city = rng.choice(CITIES)
    company = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + rng.choice(["航空服务有限公司", "国际旅行社有限公司", "票务代理有限公司"])
    return {"serial_number": people.digits(rng, 10, True), "passenger_name": p.name, "id_number": p.id_number,
            "e_ticket_number": rng.choice(["781", "999", "784", "880", "876"]) + people.digits(rng, 10),
            "check_code": people.digits(rng, 4), "fare": f"CNY {fare:.2f}", "caac_development_fund": f"CN {fund:.2f}",
            "fuel_surcharge": f"YQ {fuel:.2f}", "other_taxes": f"{other:.2f}", "total": f"CNY {total:.2f}",
            "issue_date": people.ymd_text(d - dt.timedelta(days=rng.randint(0, 20))), "agent_code": city[4][0][1][:2] + people.digits(rng, 6),
            "issue_organization": company, "itinerary_list": rows}


# --- the newer API's types (optional extras) -------------------------------------------------


def _bus_ship(rng):
    a, b = rng.sample(BUS_STATIONS, 2)
    city = rng.choice(CITIES)
    d = people.date_between(rng, 2016, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{d.year % 100:02d}" + people.digits(rng, 5), "number": people.digits(rng, 8),
            "departure_station": a, "destination_station": b, "date": people.ymd_text(d),
            "time": f"{rng.randint(6, 20):02d}:{rng.choice(range(0, 60, 10)):02d}",
            "amount": f"￥{rng.randint(15, 260)}.00", "name": people.Person(rng).name,
            "_kind": "船票" if any(w in a + b for w in ("港", "沈家门")) else "汽车票", "_province": city[0].rstrip("省市")}


def _ride(rng):
    n = rng.randint(1, 4)
    city = rng.choice(CITIES)
    start = people.date_between(rng, 2019, 2025)
    rows, total = [], Decimal(0)
    day = start
    for i in range(n):
        day = day + dt.timedelta(days=rng.randint(0, 3))
        dist = Decimal(rng.randint(15, 350)) / 10
        amount = people.money(Decimal(rng.uniform(1.8, 3.2)) * dist + 8)
        total += amount
        rows.append({"car_type": rng.choice(CAR_TYPES), "pick_up_time": f"{day.month:02d}-{day.day:02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}",
                     "city": city[1].rstrip("市"), "start_place": people.seller_address(rng, city)[len(city[1]):][:14],
                     "end_place": people.seller_address(rng, city)[len(city[1]):][:14], "distance": f"{dist:.1f}",
                     "amount": f"{amount:.2f}"})
    return {"service_provider": rng.choice(RIDE_PROVIDERS), "application_date": people.ymd_text(day + dt.timedelta(days=rng.randint(0, 5))),
            "trip_start_date": people.ymd_text(start), "trip_end_date": people.ymd_text(day), "phone_number": "1" + rng.choice("3589") + people.digits(rng, 9),
            "total": f"{total:.2f}", "itinerary_list": rows}


def _machine_printed(rng):
    v = _vat_roll(rng)
    v["_title"] = f"{v['_province']}通用机打发票"
    return {k: v[k] for k in ("code", "number", "issue_date", "check_code", "buyer_name", "buyer_id", "seller_name",
                              "seller_id", "total", "total_in_words", "item_list", "_title", "machine_number",
                              "_province", "_cashier")}


GENERATORS = {
    DocType.ID_CARD_PORTRAIT_SIDE: _id_card_portrait,
    DocType.ID_CARD_EMBLEM_SIDE: _id_card_emblem,
    DocType.VEHICLE_LICENSE_FRONT: _vehicle_front,
    DocType.VEHICLE_LICENSE_BACK: _vehicle_back,
    DocType.DRIVER_LICENSE_FRONT: _driver_front,
    DocType.DRIVER_LICENSE_BACK: _driver_back,
    DocType.PASSPORT: _passport,
    DocType.BANKCARD: _bankcard,
    DocType.TRANSPORTATION_LICENSE: _transport_license,
    DocType.VAT_INVOICE: _vat_invoice,
    DocType.VAT_ROLL_INVOICE: _vat_roll,
    DocType.MVS_INVOICE: _mvs_invoice,
    DocType.TAXI_INVOICE: _taxi,
    DocType.TRAIN_TICKET: _train,
    DocType.QUOTA_INVOICE: _quota,
    DocType.TOLL_INVOICE: _toll,
    DocType.FLIGHT_ITINERARY: _flight,
    DocType.BUS_SHIP_TICKET: _bus_ship,
    DocType.RIDE_HAILING_ITINERARY: _ride,
    DocType.MACHINE_PRINTED_INVOICE: _machine_printed,
}


def make_values(doc_type: DocType | str, rng: random.Random) -> dict:
    """The printed values of one document of ``doc_type`` (render-only keys start with ``_``).

    Parameters
    ----------
    doc_type : DocType or str
        One of the 17 original types.
    rng : random.Random
        The source of randomness; the same state gives the same values.

    Returns
    -------
    dict
        Core keys of the type's schema with string values, nested lists as lists of dicts.

    Examples
    --------
    >>> v = make_values("quota_invoice", random.Random(0))
    >>> sorted(k for k in v if not k.startswith("_"))
    ['amount', 'code', 'location', 'number']
    """
    from ocrframe.types import parse_type

    t = parse_type(doc_type)
    try:
        gen = GENERATORS[t]
    except KeyError:
        raise ValueError(f"the generator does not draw {t.value!r}; it draws: {', '.join(g.value for g in GENERATORS)}") from None
    return gen(rng)


def public_content(values: dict) -> dict:
    """The content as labelled: render-only keys (``_...``) dropped, also inside list rows."""
    out = {}
    for k, v in values.items():
        if k.startswith("_"):
            continue
        if isinstance(v, list):
            v = [{kk: vv for kk, vv in row.items() if not kk.startswith("_")} for row in v]
        out[k] = v
    return out
