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
import functools
import random
from decimal import ROUND_HALF_UP, Decimal

from ocrframe.types import DocType

from .checks import luhn_check_digit, money_in_words, ric_is_valid, ric_with_check, uscc_with_check, vin_check_digit

__all__ = ["make_values", "GENERATORS", "public_content"]

# --- reference data -------------------------------------------------------------------------
# (province, city, plate prefix, phone area code, [(district, 6-digit division code), ...])
CITIES = [
    ("北京市", "北京市", "京A", "010", [("朝阳区", "110105"), ("海淀区", "110108"), ("东城区", "110101"), ("丰台区", "110106")]),
    ("上海市", "上海市", "沪A", "021", [("徐汇区", "310104"), ("浦东新区", "310115"), ("静安区", "310106"), ("闵行区", "310112")]),
    ("广东省", "广州市", "粤A", "020", [("天河区", "440106"), ("越秀区", "440104"), ("海珠区", "440105")]),
    ("广东省", "深圳市", "粤B", "0755", [("南山区", "440305"), ("福田区", "440304"), ("宝安区", "440306")]),
    ("浙江省", "杭州市", "浙A", "0571", [("西湖区", "330106"), ("上城区", "330102"), ("滨江区", "330108")]),
    ("江苏省", "南京市", "苏A", "025", [("玄武区", "320102"), ("鼓楼区", "320106"), ("江宁区", "320115")]),
    ("四川省", "成都市", "川A", "028", [("武侯区", "510107"), ("锦江区", "510104"), ("青羊区", "510105")]),
    ("湖北省", "武汉市", "鄂A", "027", [("武昌区", "420106"), ("江汉区", "420103"), ("洪山区", "420111")]),
    ("陕西省", "西安市", "陕A", "029", [("雁塔区", "610113"), ("碑林区", "610103"), ("未央区", "610112")]),
    ("重庆市", "重庆市", "渝A", "023", [("渝中区", "500103"), ("江北区", "500105"), ("南岸区", "500108")]),
    ("山东省", "青岛市", "鲁B", "0532", [("市南区", "370202"), ("市北区", "370203"), ("黄岛区", "370211")]),
    ("天津市", "天津市", "津A", "022", [("和平区", "120101"), ("河西区", "120103"), ("南开区", "120104")]),
    ("河南省", "郑州市", "豫A", "0371", [("金水区", "410105"), ("二七区", "410103"), ("中原区", "410102")]),
    ("湖南省", "长沙市", "湘A", "0731", [("岳麓区", "430104"), ("芙蓉区", "430102"), ("天心区", "430103")]),
]
CITY_PINYIN = {"北京市": "BEIJING", "上海市": "SHANGHAI", "广州市": "GUANGDONG", "深圳市": "GUANGDONG",
               "杭州市": "ZHEJIANG", "南京市": "JIANGSU", "成都市": "SICHUAN", "武汉市": "HUBEI",
               "西安市": "SHAANXI", "重庆市": "CHONGQING", "青岛市": "SHANDONG", "天津市": "TIANJIN",
               "郑州市": "HENAN", "长沙市": "HUNAN"}
STREETS = ["建国路", "人民路", "中山路", "解放路", "长安街", "学院路", "文化路", "和平路", "新华路", "光明路",
           "青年路", "朝阳路", "南京路", "滨江大道", "科技路", "幸福路", "复兴路", "东风路", "花园路", "团结路"]
VILLAGES = ["幸福小区", "阳光花园", "金桥家园", "翠苑", "望京西园", "锦绣华庭", "东方明珠苑", "康乐里", "新村"]
ETHNICITIES = ["汉"] * 12 + ["回", "满", "蒙古", "壮", "维吾尔", "苗", "土家", "藏", "朝鲜"]
# the hundred-family surnames with their pinyin, for passports
SURNAMES = [("王", "WANG"), ("李", "LI"), ("张", "ZHANG"), ("刘", "LIU"), ("陈", "CHEN"), ("杨", "YANG"),
            ("黄", "HUANG"), ("赵", "ZHAO"), ("吴", "WU"), ("周", "ZHOU"), ("徐", "XU"), ("孙", "SUN"),
            ("马", "MA"), ("朱", "ZHU"), ("胡", "HU"), ("郭", "GUO"), ("何", "HE"), ("林", "LIN"),
            ("高", "GAO"), ("罗", "LUO"), ("郑", "ZHENG"), ("梁", "LIANG"), ("谢", "XIE"), ("宋", "SONG")]
GIVEN = [("伟", "WEI"), ("芳", "FANG"), ("娜", "NA"), ("敏", "MIN"), ("静", "JING"), ("丽", "LI"),
         ("强", "QIANG"), ("磊", "LEI"), ("军", "JUN"), ("洋", "YANG"), ("勇", "YONG"), ("艳", "YAN"),
         ("杰", "JIE"), ("娟", "JUAN"), ("涛", "TAO"), ("明", "MING"), ("超", "CHAO"), ("秀英", "XIUYING"),
         ("霞", "XIA"), ("平", "PING"), ("刚", "GANG"), ("桂英", "GUIYING"), ("建华", "JIANHUA"),
         ("晓东", "XIAODONG"), ("子涵", "ZIHAN"), ("欣怡", "XINYI"), ("浩然", "HAORAN"), ("雨轩", "YUXUAN")]
COMPANY_WORDS = ["华信", "宏达", "金鼎", "恒通", "盛世", "天成", "新宇", "瑞丰", "博远", "众诚", "安泰", "鼎盛",
                 "汇通", "永兴", "佳禾", "明辉", "联创", "海纳", "启航", "东方"]
COMPANY_TRADES = ["科技", "商贸", "信息技术", "餐饮管理", "物流", "建筑工程", "文化传媒", "电子", "医药", "汽车销售"]
COMPANY_FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
# bank, (BIN prefixes, card length) for debit cards, for credit cards
BANKS = [
    ("中国工商银行", (["622202", "621226", "621558"], 19), (["625330", "622230"], 16)),
    ("中国建设银行", (["621700", "622700"], 19), (["436742", "622280"], 16)),
    ("中国农业银行", (["622848", "622845"], 19), (["622836", "625996"], 16)),
    ("中国银行", (["621661", "621785"], 19), (["456351", "625905"], 16)),
    ("招商银行", (["621483", "622588"], 16), (["622575", "439225"], 16)),
    ("交通银行", (["622262", "601428"], 19), (["622250", "521899"], 16)),
    ("中国邮政储蓄银行", (["621799", "622188"], 19), (["622812", "625919"], 16)),
]
# vehicles: (WMI, brand+model on the licence, vehicle type, manufacturing location, seats, mass kg, dims)
VEHICLES = [
    ("LSV", "大众汽车牌SVW71612BM", "小型轿车", "上海", 5, (1455, 1880), "4753×1800×1462"),
    ("LFV", "一汽-大众牌FV7206TBDBG", "小型轿车", "长春", 5, (1420, 1845), "4866×1832×1479"),
    ("LHG", "本田牌HG7154BAB6", "小型轿车", "广州", 5, (1330, 1745), "4691×1802×1416"),
    ("LGB", "日产牌DFL7160VBNL2", "小型轿车", "襄阳", 5, (1300, 1690), "4631×1760×1503"),
    ("LSG", "别克牌SGM7158DAT", "小型轿车", "上海", 5, (1385, 1790), "4671×1817×1463"),
    ("LVS", "福特牌CAF6451A61", "小型普通客车", "重庆", 7, (1690, 2200), "4524×1838×1701"),
    ("LGX", "比亚迪牌BYD7152WTHEV", "小型轿车", "深圳", 5, (1650, 2050), "4800×1875×1495"),
]
TRUCKS = [("LZG", "陕汽牌SX5180XXYGP5", "重型厢式货车", (8200, 18000, 9605), "9000×2550×3850")]
ITEMS = [("*餐饮服务*餐费", "", "次", (80, 900)), ("*信息技术服务*技术服务费", "", "项", (500, 20000)),
         ("*办公用品*打印纸", "A4 70g", "箱", (80, 260)), ("*计算机配套产品*无线鼠标", "M185", "个", (60, 180)),
         ("*住宿服务*住宿费", "", "天", (200, 900)), ("*经纪代理服务*代订机票服务费", "", "次", (20, 60)),
         ("*电子元件*电阻", "0603 10K", "盘", (15, 60)), ("*日用杂品*清洁剂", "500ml", "瓶", (9, 40)),
         ("*运输服务*客运服务费", "", "次", (30, 600)), ("*纸制品*笔记本", "B5", "本", (5, 25))]
ROLL_ITEMS = [("餐费", (20, 300)), ("停车费", (5, 40)), ("洗车费", (20, 60)), ("材料费", (10, 200)),
              ("服务费", (10, 100)), ("商品", (5, 150))]
STATIONS = [("北京南", "Beijingnan"), ("上海虹桥", "Shanghaihongqiao"), ("广州南", "Guangzhounan"),
            ("深圳北", "Shenzhenbei"), ("杭州东", "Hangzhoudong"), ("南京南", "Nanjingnan"),
            ("成都东", "Chengdudong"), ("武汉", "Wuhan"), ("西安北", "Xi'anbei"), ("郑州东", "Zhengzhoudong"),
            ("长沙南", "Changshanan"), ("天津西", "Tianjinxi"), ("济南西", "Jinanxi"), ("重庆北", "Chongqingbei")]
AIRPORTS = [("北京首都", "PEK"), ("上海虹桥", "SHA"), ("上海浦东", "PVG"), ("广州", "CAN"), ("深圳", "SZX"),
            ("成都双流", "CTU"), ("杭州", "HGH"), ("西安", "XIY"), ("重庆", "CKG"), ("昆明", "KMG"), ("武汉", "WUH")]
CARRIERS = [("国航", "CA"), ("东航", "MU"), ("南航", "CZ"), ("海航", "HU"), ("川航", "3U"), ("厦航", "MF")]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
TOLL_ROADS = ["京港澳高速", "沪昆高速", "京沪高速", "沈海高速", "连霍高速", "长深高速", "G4京港澳", "绕城高速"]
TOLL_PLACES = ["杜家坎", "马驹桥", "安亭", "新桥", "太和", "火村", "三墩", "花桥", "徐庄", "青龙山", "龙泉", "红星"]

CENT = Decimal("0.01")


def _money(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def _digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if first_nonzero and s[0] == "0":
        s = str(rng.randint(1, 9)) + s[1:]
    return s


def _date(rng: random.Random, start: int, end: int) -> dt.date:
    a, b = dt.date(start, 1, 1).toordinal(), dt.date(end, 12, 28).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _ymd(d: dt.date, sep: str = "-") -> str:
    return f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}"


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


_FAKER: list = []


def _faker_name(rng: random.Random, male: bool) -> str:
    """A Chinese name from Faker's zh_CN provider (seeded from ``rng``), matching the sex."""
    if not _FAKER:
        from faker import Faker

        _FAKER.append(Faker("zh_CN"))
    fk = _FAKER[0]
    fk.seed_instance(rng.getrandbits(48))
    return fk.last_name() + (fk.first_name_male() if male else fk.first_name_female())


class _Person:
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
            self.name = _faker_name(rng, self.male)
        self.birth = _date(rng, min_year, max_year)
        self.city = rng.choice(CITIES)
        self.district, self.division = rng.choice(self.city[4])
        self.address = _home_address(rng, self.city, self.district)
        seq = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if self.male else [0, 2, 4, 6, 8])
        tail = self.birth.strftime("%Y%m%d") + f"{seq:03d}"
        if not _county_existed(self.division, self.birth.year):
            # python-stdnum checks the county code against the GB/T 2260 history: move the
            # person to a county that existed in their birth year, their own city first
            others = [c for c in CITIES if c is not self.city]
            rng.shuffle(others)
            for city in [self.city] + others:
                found = [(d, code) for d, code in city[4] if _county_existed(code, self.birth.year)]
                if found:
                    self.city = city
                    self.district, self.division = found[0]
                    self.address = _home_address(rng, self.city, self.district)
                    break
        self.id_number = ric_with_check(self.division + tail)


def _county_existed(division: str, year: int) -> bool:
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


def _home_address(rng: random.Random, city, district: str) -> str:
    province, cityname = city[0], city[1]
    head = cityname if province == cityname else province + cityname
    tail = rng.choice([
        f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.choice(VILLAGES)}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元{rng.randint(101, 2804)}室",
        f"{rng.choice(STREETS)}{rng.randint(1, 300)}号院{rng.randint(1, 20)}号楼{rng.randint(101, 1806)}号",
        f"{rng.choice(VILLAGES)}{rng.randint(1, 40)}栋{rng.randint(101, 2204)}号",
    ])
    return head + district + tail


def _company(rng: random.Random, city=None) -> tuple[str, object]:
    city = city or rng.choice(CITIES)
    short = city[1].rstrip("市")
    name = short + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_TRADES) + rng.choice(COMPANY_FORMS)
    return name, city


def _uscc(rng: random.Random, city) -> str:
    division = rng.choice(city[4])[1]
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return uscc_with_check("91" + division + org)


def _phone(rng: random.Random, city) -> str:
    return f"{city[3]}-{_digits(rng, 8 if len(city[3]) == 3 else 7, True)}"


def _bank_account(rng: random.Random, city, bank: str | None = None) -> tuple[str, str]:
    bank = bank or rng.choice(BANKS)[0]
    branch = f"{bank}{city[1].rstrip('市')}{rng.choice(city[4])[0].rstrip('区')}支行"
    return branch, _digits(rng, rng.choice((16, 19)), True)


def _plate(rng: random.Random, city) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(rng.choice(letters + "0123456789" * 3) for _ in range(5))
    return city[2][0] + rng.choice(city[2][1] + "BCDEFGH") + tail


def _vin(rng: random.Random, wmi: str, year: int) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    years = "ABCDEFGHJKLMNPRSTVWXY123456789"
    body = wmi + "".join(rng.choice(chars) for _ in range(5))
    tail = years[(year - 2010) % 30] + rng.choice(chars) + _digits(rng, 6)
    partial = body + "0" + tail
    return body + vin_check_digit(partial) + tail


def _engine_no(rng: random.Random) -> str:
    return rng.choice(["", "C", "G", "H", "L"]) + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice((6, 7, 8))))


def _seller_address(rng, city) -> str:
    district = rng.choice(city[4])[0]
    head = city[1] if city[0] == city[1] else city[0] + city[1]
    return f"{head}{district}{rng.choice(STREETS)}{rng.randint(1, 500)}号"


def _yuan(x: Decimal, sign: str = "￥") -> str:
    return f"{sign}{x:.2f}"


# --- per type -------------------------------------------------------------------------------

def _id_card_portrait(rng):
    p = _Person(rng)
    return {"name": p.name, "sex": p.sex, "ethnicity": rng.choice(ETHNICITIES),
            "birth": f"{p.birth.year}年{p.birth.month}月{p.birth.day}日",
            "address": p.address, "number": p.id_number}


def _id_card_emblem(rng):
    city = rng.choice(CITIES)
    district = rng.choice(city[4])[0]
    issue = f"{city[1]}公安局{district.rstrip('区')}分局" if rng.random() < 0.7 else f"{city[1]}公安局"
    start = _date(rng, 2006, 2024)
    years = rng.choice([10, 20, 20, None])
    return {"issue": issue, "valid_from": _ymd(start, "."),
            "valid_to": "长期" if years is None else _ymd(_add_years(start, years), ".")}


def _vehicle_front(rng):
    p = _Person(rng)
    wmi, model, vtype, _, seats, mass, dims = rng.choice(VEHICLES)
    reg = _date(rng, 2011, 2024)
    issue = reg if rng.random() < 0.7 else max(reg, _date(rng, reg.year, 2025))  # re-issued later
    company = rng.random() < 0.2
    name, city = (_company(rng, p.city) if company else (p.name, p.city))
    return {"number": _plate(rng, city), "vehicle_type": vtype, "name": name,
            "address": _seller_address(rng, city) if company else p.address,
            "use_character": "非营运" if not company else rng.choice(["非营运", "营转非", "租赁"]),
            "model": model, "vin": _vin(rng, wmi, reg.year), "engine_no": _engine_no(rng),
            "register_date": _ymd(reg), "issue_date": _ymd(issue),
            "issuing_authority": f"{city[0].rstrip('省市')}省{city[1]}公安局交通警察支队" if city[0] != city[1]
            else f"{city[1]}公安局公安交通管理局"}


def _vehicle_back(rng):
    city = rng.choice(CITIES)
    insp = _date(rng, 2020, 2027)
    if rng.random() < 0.8:
        _, _, _, _, seats, (unladen, gross), dims = rng.choice(VEHICLES)
        passengers, load, traction = f"{seats}人", "--", "--"
    else:
        _, _, _, (unladen, gross, load_kg), dims = TRUCKS[0]
        passengers, load, traction = "3人", f"{load_kg}kg", "--"
    return {"number": _plate(rng, city), "file_no": city[4][0][1][:2] + _digits(rng, 10),
            "approved_passengers": passengers, "gross_mass": f"{gross}kg", "unladen_mass": f"{unladen}kg",
            "approved_load": load, "dimension": f"{dims}mm", "traction_mass": traction,
            "remarks": rng.choice(["--", "车身颜色：白色", "车身颜色：黑色", "非营运"]),
            "inspection_record": f"检验有效期至{insp.year}年{insp.month:02d}月{city[2]}"}


def _driver_front(rng):
    p = _Person(rng, 1960, 2003)
    first = _date(rng, max(p.birth.year + 18, 1990), 2024)
    first = max(first, _add_years(p.birth, 18))
    years = rng.choice([6, 10, 10, None])
    start = _add_years(first, rng.choice([0, 0, 6, 16])) if years != 6 else first
    start = min(start, dt.date(2025, 6, 1))
    city = p.city
    return {"number": p.id_number, "name": p.name, "sex": p.sex, "nationality": "中国",
            "address": p.address, "birth": _ymd(p.birth), "issue_date": _ymd(first),
            "class": rng.choice(["C1", "C1", "C2", "B2", "A2", "C1E"]),
            "valid_from": _ymd(start), "valid_to": "长期" if years is None else _ymd(_add_years(start, years)),
            "issuing_authority": f"{city[1]}公安局公安交通管理局" if city[0] == city[1]
            else f"{city[0]}{city[1]}公安局交通警察支队"}


def _driver_back(rng):
    p = _Person(rng, 1960, 2003)
    due = _date(rng, 2025, 2034)
    return {"number": p.id_number, "name": p.name, "file_number": p.division[:2] + _digits(rng, 10),
            "record": rng.choice([f"请于{_cn_date(due)}前申请换证", f"实习期至{_ymd(due)}",
                                  f"请于{_cn_date(due)}前到公安机关交通管理部门接受审验"])}


def _passport(rng):
    p = _Person(rng, 1950, 2015, romanised=True)
    issue = _date(rng, 2016, 2025)
    years = 10 if issue.year - p.birth.year >= 16 else 5
    expiry = _add_years(issue, years) - dt.timedelta(days=1)
    number = "E" + rng.choice(["", "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L"]) + ""
    number = number + _digits(rng, 9 - len(number))
    en = lambda d: f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"  # noqa: E731
    birth_city = p.city[1]
    issue_place = rng.choice(CITIES)
    issue_city = issue_place[1]
    province = lambda c: c[0].rstrip("省市")  # noqa: E731  passports name the province
    from .checks import mrz_check_digit

    surname, given = p.surname_py, p.given_py
    line1 = ("POCHN" + surname + "<<" + given).ljust(44, "<")[:44]
    personal = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + _digits(rng, 12)
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
    partial = rng.choice(prefixes) + _digits(rng, length - 7)
    number = partial + luhn_check_digit(partial)
    groups = [number[i:i + 4] for i in range(0, 16, 4)] + ([number[16:]] if length > 16 else [])
    issue = _date(rng, 2016, 2025)
    expiry = _add_years(issue, rng.choice([5, 10]))
    return {"bank_name": bank, "card_number": " ".join(groups), "issue_date": issue.strftime("%m/%y"),
            "expiry_date": expiry.strftime("%m/%y"), "type": "借记卡" if is_debit else "贷记卡"}


def _transport_license(rng):
    city = rng.choice(CITIES)
    name = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + rng.choice(["运输", "物流", "货运"]) + "有限公司"
    _, model, vtype, (unladen, gross, load), dims = TRUCKS[0]
    district, division = rng.choice(city[4])
    tons = rng.choice([2, 5, 8, 10, 15, 18, 25])
    return {"owner_name": name, "license_number": division + _digits(rng, 6),
            "vehicle_number": _plate(rng, city), "vehicle_type": rng.choice(["重型厢式货车", "中型厢式货车", "重型仓栅式货车", "轻型厢式货车"]),
            "maximum_capacity": f"{tons}吨", "vehicle_size": f"{dims}mm",
            "issuing_authority": f"{city[1]}{district}道路运输管理所", "issue_date": _cn_date(_date(rng, 2014, 2025)),
            "owner_address": _seller_address(rng, city), "economic_type": rng.choice(["有限责任公司", "私营企业", "个体"]),
            "business_certificate": f"{city[2][0]}交运管许可货字{division}{_digits(rng, 6)}号",
            "business_scope": rng.choice(["普通货运", "普通货运,货物专用运输(集装箱)", "道路普通货物运输"])}


def _party(rng):
    name, city = _company(rng)
    branch, account = _bank_account(rng, city)
    return name, _uscc(rng, city), f"{_seller_address(rng, city)} {_phone(rng, city)}", f"{branch} {account}", city


def _vat_invoice(rng):
    kind = rng.choices(["增值税专用发票", "增值税普通发票", "增值税电子普通发票"], [0.45, 0.3, 0.25])[0]
    special = kind == "增值税专用发票"
    seller = _party(rng)
    buyer = _party(rng)
    rate = rng.choice([13, 6, 9, 3]) if special else rng.choice([13, 6, 3, 1])
    rows, total_amount, total_tax = [], Decimal(0), Decimal(0)
    for name, spec, unit, (lo, hi) in rng.sample(ITEMS, rng.choice([1, 1, 2, 2, 3, 4])):
        qty = rng.choice([1, 1, 2, 3, 5, 10, 20]) if unit not in ("次", "项") else 1
        price = _money(rng.uniform(lo, hi))
        amount = _money(price * qty)
        tax = _money(amount * rate / 100)
        total_amount += amount
        total_tax += tax
        rows.append({"name": name, "specification": spec, "unit": unit, "quantity": str(qty),
                     "unit_price": f"{price:.2f}", "amount": f"{amount:.2f}", "tax_rate": f"{rate}%", "tax": f"{tax:.2f}"})
    total = total_amount + total_tax
    year = rng.randint(2017, 2025)
    code = seller[4][4][0][1][:4] + f"{year % 100:02d}" + _digits(rng, 4) if special else \
        "0" + seller[4][4][0][1][:4] + f"{year % 100:02d}" + _digits(rng, 3) + ("11" if kind.endswith("电子普通发票") else _digits(rng, 2))
    p = _Person(rng)
    return {"type": kind, "code": code, "number": _digits(rng, 8),
            "issue_date": _cn_date(_date(rng, year, year)),
            "check_code": " ".join(_digits(rng, 5) for _ in range(4)), "machine_number": "6" + _digits(rng, 11),
            "buyer_name": buyer[0], "buyer_id": buyer[1], "buyer_address": buyer[2], "buyer_bank": buyer[3],
            "seller_name": seller[0], "seller_id": seller[1], "seller_address": seller[2], "seller_bank": seller[3],
            "subtotal_amount": _yuan(total_amount), "subtotal_tax": _yuan(total_tax), "total": _yuan(total),
            "total_in_words": money_in_words(total), "remarks": rng.choice(["", f"订单号：{_digits(rng, 12)}", "项目：系统维护", "合同号：HT" + _digits(rng, 8)]) or "--",
            "receiver": _Person(rng).name, "reviewer": _Person(rng).name, "issuer": p.name,
            "item_list": rows, "_province": seller[4][0].rstrip("省市")}


def _vat_roll(rng):
    seller_name, city = _company(rng)
    rows, total = [], Decimal(0)
    for name, (lo, hi) in rng.sample(ROLL_ITEMS, rng.choice([1, 1, 2, 3])):
        qty = rng.choice([1, 1, 2, 3])
        price = _money(rng.randint(lo, hi))
        amount = price * qty
        total += amount
        rows.append({"name": name, "quantity": str(qty), "unit_price": f"{price:.2f}", "amount": f"{amount:.2f}"})
    buyer_name, bcity = _company(rng)
    year = rng.randint(2017, 2025)
    return {"code": "0" + city[4][0][1][:4] + f"{year % 100:02d}" + _digits(rng, 5), "number": _digits(rng, 8),
            "issue_date": _ymd(_date(rng, year, year)), "check_code": _digits(rng, 20),
            "machine_number": "6" + _digits(rng, 11), "buyer_name": buyer_name, "buyer_id": _uscc(rng, bcity),
            "seller_name": seller_name, "seller_id": _uscc(rng, city), "total": _yuan(total),
            "total_in_words": money_in_words(total, yuan="元"), "item_list": rows,
            "_province": city[0].rstrip("省市"), "_cashier": _Person(rng).name}


def _mvs_invoice(rng):
    p = _Person(rng)
    seller_name, city = _company(rng)
    seller_name = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + "汽车销售服务有限公司"
    wmi, model, vtype, origin, *_ = rng.choice(VEHICLES)
    year = rng.randint(2017, 2025)
    total = _money(rng.randint(90, 380) * 1000 + rng.choice([0, 0, 500, 800]))
    exclusive = _money(total / Decimal("1.13"))
    tax = total - exclusive
    district, division = rng.choice(city[4])
    branch, account = _bank_account(rng, city)
    return {"code": "1" + division[:4] + f"{year % 100:02d}" + _digits(rng, 5), "number": _digits(rng, 8),
            "issue_date": _ymd(_date(rng, year, year)), "machine_number": "6" + _digits(rng, 11),
            "buyer_name": p.name, "buyer_id": p.id_number, "seller_name": seller_name,
            "seller_id": _uscc(rng, city), "seller_address": _seller_address(rng, city),
            "seller_phone": _phone(rng, city), "seller_bank": branch, "seller_account": account,
            "vehicle_type": {"小型轿车": "轿车", "小型普通客车": "多用途乘用车"}[vtype],
            "brand_model": model, "manufacturing_location": origin,
            "quality_certificate": "W" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + _digits(rng, 12),
            "engine_number": _engine_no(rng), "vehicle_identification_number": _vin(rng, wmi, year),
            "tax_rate": "13%", "tax": _yuan(tax), "tax_exclusive_price": _yuan(exclusive), "total": _yuan(total),
            "total_chinese": money_in_words(total), "tax_authority": f"国家税务总局{city[1]}{district}税务局",
            "tax_authority_code": division + _digits(rng, 5), "_province": city[0].rstrip("省市")}


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
    return {"code": "1" + city[4][0][1][:4] + "1" + _digits(rng, 6), "number": _digits(rng, 8),
            "phone_number": rng.choice(["96123", "12328", "68351150", "96900"]),
            "taxi_number": city[2] + "-" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5)),
            "certificate_number": _digits(rng, 6), "date": _ymd(_date(rng, year, year)),
            "boarding_time": f"{start_h:02d}:{start_m:02d}", "alighting_time": f"{end // 60 % 24:02d}:{end % 60:02d}",
            "unit_price": f"{price:.2f}元", "distance": f"{distance:.1f}km",
            "waiting_time": f"00:{wait_s // 60:02d}:{wait_s % 60:02d}", "total": f"{fare:.2f}元",
            "_province": city[1].rstrip("市")}


def _train(rng):
    (a, a_py), (b, b_py) = rng.sample(STATIONS, 2)
    p = _Person(rng)
    d = _date(rng, 2016, 2025)
    hh, mm = rng.randint(6, 21), rng.choice(range(0, 60, 5))
    kind = rng.choice("GGGDDKZT")
    hsr = kind in "GD"
    cat = rng.choice(["二等座", "二等座", "一等座"]) if hsr else rng.choice(["硬座", "硬卧", "新空调硬座"])
    price = _money(rng.randint(50, 900) + rng.choice([0, 0.5]))
    seat = f"{rng.randint(1, 16):02d}车{rng.randint(1, 20):02d}{rng.choice('ABCDF')}号" if hsr else f"{rng.randint(1, 18):02d}车{rng.randint(1, 118):03d}号"
    masked = p.id_number[:10] + "****" + p.id_number[14:]
    return {"ticket_id": rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + _digits(rng, 6), "check_port": f"{rng.randint(1, 30)}{rng.choice(['', 'A', 'B'])}",
            "train_number": kind + str(rng.randint(1, 9999 if hsr else 999)), "departure_station": a,
            "destination_station": b, "departure_time": f"{d.year}年{d.month:02d}月{d.day:02d}日{hh:02d}:{mm:02d}开",
            "seat_number": seat, "ticket_price": f"￥{price:.1f}元", "seat_category": cat,
            "id_number": masked, "name": p.name, "sale_location": rng.choice(STATIONS)[0] + "售",
            "_py": (a_py, b_py), "_serial": _digits(rng, 21)}


def _quota(rng):
    city = rng.choice(CITIES)
    value = rng.choice([1, 2, 5, 10, 10, 20, 50, 50, 100])
    year = rng.randint(2015, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{year % 100:02d}" + _digits(rng, 5), "number": _digits(rng, 8),
            "amount": f"￥{value:.2f}", "location": city[1].rstrip("市"), "_words": money_in_words(value, yuan="元").rstrip("整")}


def _toll(rng):
    city = rng.choice(CITIES)
    road = rng.choice(TOLL_ROADS)
    a, b = rng.sample(TOLL_PLACES, 2)
    year = rng.randint(2016, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{year % 100:02d}" + _digits(rng, 5), "number": _digits(rng, 8),
            "entry": f"{road}{a}站", "exit": f"{road}{b}站", "amount": f"￥{rng.randint(5, 180)}.00",
            "vehicle_type": rng.choice(["一型车", "一型车", "二型车", "客1", "货2"]),
            "date": _ymd(_date(rng, year, year)), "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            "_province": city[0].rstrip("省市")}


def _flight(rng):
    p = _Person(rng)
    n = rng.choice([1, 1, 2])
    ports = rng.sample(AIRPORTS, n + 1)
    d = _date(rng, 2016, 2025)
    rows = []
    fare = Decimal(0)
    for i in range(n):
        carrier, code = rng.choice(CARRIERS)
        day = d + dt.timedelta(days=i * rng.randint(0, 3))
        rows.append({"departure_station": ports[i][0], "destination_station": ports[i + 1][0], "carrier": carrier,
                     "flight": code + str(rng.randint(1000, 9899)), "cabin_class": rng.choice("YYYBMHKLF"),
                     "date": f"{day.day:02d}{MONTHS[day.month - 1]}", "time": f"{rng.randint(6, 22):02d}{rng.choice(range(0, 60, 5)):02d}",
                     "_codes": (ports[i][1], ports[i + 1][1])})
        fare += _money(rng.randint(28, 220) * 10)
    fund = _money(50 * n)
    fuel = _money(rng.choice([0, 10, 20, 30, 60]) * n)
    other = _money(0)
    total = fare + fund + fuel + other
    city = rng.choice(CITIES)
    company = city[1].rstrip("市") + rng.choice(COMPANY_WORDS) + rng.choice(["航空服务有限公司", "国际旅行社有限公司", "票务代理有限公司"])
    return {"serial_number": _digits(rng, 10, True), "passenger_name": p.name, "id_number": p.id_number,
            "e_ticket_number": rng.choice(["781", "999", "784", "880", "876"]) + _digits(rng, 10),
            "check_code": _digits(rng, 4), "fare": f"CNY {fare:.2f}", "caac_development_fund": f"CN {fund:.2f}",
            "fuel_surcharge": f"YQ {fuel:.2f}", "other_taxes": f"{other:.2f}", "total": f"CNY {total:.2f}",
            "issue_date": _ymd(d - dt.timedelta(days=rng.randint(0, 20))), "agent_code": city[4][0][1][:2] + _digits(rng, 6),
            "issue_organization": company, "itinerary_list": rows}


# --- the newer API's types (optional extras) -------------------------------------------------

BUS_STATIONS = ["北京六里桥", "北京赵公口", "天津通莎", "上海长途汽车客运总站", "杭州汽车南站", "南京中央门",
                "广州省汽车客运站", "深圳罗湖汽车站", "青岛长途汽车站", "烟台港", "大连港", "舟山沈家门"]
RIDE_PROVIDERS = ["滴滴出行", "T3出行", "曹操出行", "高德打车", "首汽约车"]
CAR_TYPES = ["快车", "特惠快车", "专车", "优享", "拼车"]


def _bus_ship(rng):
    a, b = rng.sample(BUS_STATIONS, 2)
    city = rng.choice(CITIES)
    d = _date(rng, 2016, 2025)
    return {"code": "1" + city[4][0][1][:4] + f"{d.year % 100:02d}" + _digits(rng, 5), "number": _digits(rng, 8),
            "departure_station": a, "destination_station": b, "date": _ymd(d),
            "time": f"{rng.randint(6, 20):02d}:{rng.choice(range(0, 60, 10)):02d}",
            "amount": f"￥{rng.randint(15, 260)}.00", "name": _Person(rng).name,
            "_kind": "船票" if any(w in a + b for w in ("港", "沈家门")) else "汽车票", "_province": city[0].rstrip("省市")}


def _ride(rng):
    n = rng.randint(1, 4)
    city = rng.choice(CITIES)
    start = _date(rng, 2019, 2025)
    rows, total = [], Decimal(0)
    day = start
    for i in range(n):
        day = day + dt.timedelta(days=rng.randint(0, 3))
        dist = Decimal(rng.randint(15, 350)) / 10
        amount = _money(Decimal(rng.uniform(1.8, 3.2)) * dist + 8)
        total += amount
        rows.append({"car_type": rng.choice(CAR_TYPES), "pick_up_time": f"{day.month:02d}-{day.day:02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}",
                     "city": city[1].rstrip("市"), "start_place": _seller_address(rng, city)[len(city[1]):][:14],
                     "end_place": _seller_address(rng, city)[len(city[1]):][:14], "distance": f"{dist:.1f}",
                     "amount": f"{amount:.2f}"})
    return {"service_provider": rng.choice(RIDE_PROVIDERS), "application_date": _ymd(day + dt.timedelta(days=rng.randint(0, 5))),
            "trip_start_date": _ymd(start), "trip_end_date": _ymd(day), "phone_number": "1" + rng.choice("3589") + _digits(rng, 9),
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
