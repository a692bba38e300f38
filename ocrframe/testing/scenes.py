"""Simple, legible mock-ups of cards and a few invoices on a background, with their truth.

Draws the card types (ID card sides, driving and vehicle licences, bank card, passport,
transport certificate) and quota / VAT invoices and train tickets with PIL and a CJK font
from ``mplfonts``, places one or more of them on a background with rotation and
perspective, and returns the image with its truth (type, quad, content). The real
synthetic scene generator is :mod:`ocrframe.datasets.synth`; this one exists so engine
tests need not depend on it. Needs the ``engine`` and ``synth`` extras (OpenCV, Pillow,
python-stdnum, mplfonts).

Examples
--------
>>> img, truth = make_scene(101, kinds=["bankcard"], max_angle=0)
>>> img.shape, [t["type"] for t in truth]
((1200, 1600, 3), ['bankcard'])
"""

from __future__ import annotations

import os
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from stdnum import luhn
from stdnum.cn import ric

__all__ = ["make_scene", "render_doc", "CARD_KINDS", "OTHER_KINDS"]

_FONT_DIR = None


def _font(size: int, mono: bool = False) -> ImageFont.FreeTypeFont:
    global _FONT_DIR
    if _FONT_DIR is None:
        import mplfonts

        _FONT_DIR = os.path.join(os.path.dirname(mplfonts.__file__), "fonts")
    name = "NotoSansMonoCJKsc-Regular.otf" if mono else "NotoSansCJKsc-Regular.otf"
    return ImageFont.truetype(os.path.join(_FONT_DIR, name), size)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
PLACES = ["北京市朝阳区建国路88号", "上海市浦东新区世纪大道100号", "广东省深圳市南山区科技园路1号",
          "浙江省杭州市西湖区文三路259号", "四川省成都市武侯区人民南路四段12号"]
AUTH = ["北京市公安局朝阳分局", "上海市公安局浦东分局", "深圳市公安局南山分局", "杭州市公安局西湖分局"]
PLATES = ["京A12345", "沪B6K789", "粤B88D21", "浙A3C456", "川A9X777"]


def _name(r):
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2)))


def _date(r, y0=1960, y1=2005, fmt="{y}-{m:02d}-{d:02d}"):
    return fmt.format(y=r.randint(y0, y1), m=r.randint(1, 12), d=r.randint(1, 28))


def _id_number(r, birth):
    body = f"{r.choice(['110105', '310115', '440305', '330106'])}{birth}{r.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body)


def _card_number(r):
    body = r.choice(["622202", "621700", "622848", "625807"]) + "".join(str(r.randint(0, 9)) for _ in range(9))
    return body + luhn.calc_check_digit(body)


def _vin(r):
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    base = "L" + "".join(r.choice(chars) for _ in range(16))
    vals = dict(zip("ABCDEFGH", range(1, 9)), **dict(zip("JKLMN", range(1, 6))), P=7, R=9,
                **dict(zip("STUVWXYZ", range(2, 10))), **{str(i): i for i in range(10)})
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    check = "0123456789X"[sum(vals[c] * wt for c, wt in zip(base, weights)) % 11]
    return base[:8] + check + base[9:]


def _mrz_check(s):
    w = [7, 3, 1]
    tot = 0
    for i, c in enumerate(s):
        v = int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
        tot += v * w[i % 3]
    return str(tot % 10)


def render_doc(kind: str, r: random.Random):
    """A document face as a PIL RGB image and its content dict (card-type core fields)."""
    W, H = (860, 540)
    bg = (236, 240, 246)
    lines: list[tuple[str, str | None, int]] = []  # (label, value) rows
    content: dict = {}
    title = None
    if kind == "id_card_portrait_side":
        bg = (232, 240, 248)
        y, m, d = r.randint(1960, 2003), r.randint(1, 12), r.randint(1, 28)
        num = _id_number(r, f"{y}{m:02d}{d:02d}")
        content = dict(name=_name(r), sex=r.choice("男女"), ethnicity="汉", birth=f"{y}年{m}月{d}日",
                       address=r.choice(PLACES), number=num)
        lines = [("姓名", content["name"]), ("性别", content["sex"] + "    民族 " + content["ethnicity"]),
                 ("出生", content["birth"]), ("住址", content["address"]), ("公民身份号码", num)]
    elif kind == "id_card_emblem_side":
        bg = (232, 240, 248)
        y = r.randint(2010, 2020)
        content = dict(issue=r.choice(AUTH), valid_from=f"{y}.0{r.randint(1, 9)}.1{r.randint(0, 9)}",
                       valid_to="")
        content["valid_to"] = f"{y + 20}" + content["valid_from"][4:]
        title = "中华人民共和国\n居民身份证"
        lines = [("签发机关", content["issue"]), ("有效期限", content["valid_from"] + "-" + content["valid_to"])]
    elif kind == "driver_license_front":
        bg = (236, 242, 236)
        title = "中华人民共和国机动车驾驶证"
        birth = _date(r)
        num = _id_number(r, birth.replace("-", ""))
        vf = _date(r, 2012, 2020)
        content = dict(number=num, name=_name(r), sex=r.choice("男女"), nationality="中国",
                       address=r.choice(PLACES), birth=birth, issue_date=_date(r, 2005, 2011),
                       **{"class": r.choice(["C1", "C2", "B2", "A1"])}, valid_from=vf,
                       valid_to=str(int(vf[:4]) + 10) + vf[4:], issuing_authority="北京市公安局公安交通管理局")
        lines = [("证号", num), ("姓名", content["name"] + "   性别 " + content["sex"] + "   国籍 中国"),
                 ("住址", content["address"]), ("出生日期", birth), ("初次领证日期", content["issue_date"]),
                 ("准驾车型", content["class"]), ("有效期限", vf + "至" + content["valid_to"])]
    elif kind == "driver_license_back":
        bg = (236, 242, 236)
        title = "中华人民共和国机动车驾驶证副页"
        num = _id_number(r, _date(r).replace("-", ""))
        content = dict(number=num, name=_name(r), file_number="".join(str(r.randint(0, 9)) for _ in range(12)),
                       record="请于" + _date(r, 2026, 2030, "{y}年{m}月{d}日") + "前提交身体条件证明")
        lines = [("证号", num), ("姓名", content["name"]), ("档案编号", content["file_number"]),
                 ("记录", content["record"])]
    elif kind == "vehicle_license_front":
        bg = (240, 236, 236)
        title = "中华人民共和国机动车行驶证"
        content = dict(number=r.choice(PLATES), vehicle_type="小型轿车", name=_name(r), address=r.choice(PLACES),
                       use_character="非营运", model="大众汽车牌SVW7" + str(r.randint(100, 999)), vin=_vin(r),
                       engine_no=str(r.randint(100000, 999999)), register_date=_date(r, 2010, 2020),
                       issue_date=_date(r, 2010, 2020), issuing_authority="北京市公安局公安交通管理局")
        lines = [("号牌号码", content["number"] + "   车辆类型 " + content["vehicle_type"]), ("所有人", content["name"]),
                 ("住址", content["address"]), ("使用性质", content["use_character"]), ("品牌型号", content["model"]),
                 ("车辆识别代号", content["vin"]), ("发动机号码", content["engine_no"]),
                 ("注册日期", content["register_date"] + "  发证日期 " + content["issue_date"])]
    elif kind == "vehicle_license_back":
        bg = (240, 236, 236)
        content = dict(number=r.choice(PLATES), file_no=str(r.randint(10 ** 11, 10 ** 12 - 1)),
                       approved_passengers=f"{r.choice([5, 7])}人", gross_mass=f"{r.randint(1500, 2500)}kg",
                       unladen_mass=f"{r.randint(1000, 1500)}kg", approved_load="--",
                       dimension=f"{r.randint(4000, 5000)}X1800X1500mm", traction_mass="--", remarks="无",
                       inspection_record="检验有效期至" + _date(r, 2026, 2030, "{y}年{m:02d}月"))
        lines = [("号牌号码", content["number"] + "   档案编号 " + content["file_no"]),
                 ("核定载人数", content["approved_passengers"] + "   总质量 " + content["gross_mass"]),
                 ("整备质量", content["unladen_mass"] + "   核定载质量 " + content["approved_load"]),
                 ("外廓尺寸", content["dimension"]), ("准牵引总质量", content["traction_mass"]),
                 ("备注", content["remarks"]), ("检验记录", content["inspection_record"])]
    elif kind == "bankcard":
        W, H = 856, 540
        bg = r.choice([(40, 80, 150), (170, 30, 40), (30, 120, 80)])
        num = _card_number(r)
        content = dict(bank_name=r.choice(["中国工商银行", "中国建设银行", "中国农业银行", "招商银行"]),
                       card_number=num, issue_date="", expiry_date=f"{r.randint(1, 12):02d}/{r.randint(27, 35)}",
                       type="借记卡")
    elif kind == "passport":
        W, H = 880, 620
        bg = (238, 236, 228)
        sur, giv = r.choice(["ZHANG", "WANG", "LI", "LIU"]), r.choice(["SAN", "WEI", "FANG", "XIAOMING"])
        pn = "E" + "".join(str(r.randint(0, 9)) for _ in range(8))
        b = _date(r, 1960, 2000)
        e = _date(r, 2027, 2034)
        iss = _date(r, 2017, 2024)
        sex = r.choice("MF")
        content = dict(passport_type="P", country_code="CHN", passport_number=pn, nationality="CHN",
                       surname=sur, given_name=giv, sex=sex, date_of_birth=b, date_of_expiry=e, date_of_issue=iss,
                       place_of_birth="北京", place_of_issue="北京", issuing_authority="中华人民共和国国家移民管理局")
        l1 = f"P<CHN{sur}<<{giv}".ljust(44, "<")
        bb, ee = b[2:].replace("-", ""), e[2:].replace("-", "")
        l2 = pn + _mrz_check(pn) + "CHN" + bb + _mrz_check(bb) + sex + ee + _mrz_check(ee)
        l2 = l2 + "<" * (42 - len(l2))
        comp = l2[0:10] + l2[13:20] + l2[21:43]
        l2 = l2 + _mrz_check(comp)
        content["extra_info"] = {"mrz1": l1, "mrz2": l2}
    elif kind == "transportation_license":
        bg = (236, 236, 244)
        title = "道路运输证"
        content = dict(owner_name=r.choice(["北京顺达物流有限公司", "上海快运有限公司"]), license_number="京交运管许可字" +
                       str(r.randint(100000, 999999)) + "号", vehicle_number=r.choice(PLATES), vehicle_type="重型货车",
                       maximum_capacity=f"{r.randint(10, 30)}吨", vehicle_size="9600X2400X3800mm",
                       issuing_authority="北京市交通运输局", issue_date=_date(r, 2015, 2023),
                       owner_address=r.choice(PLACES), economic_type="有限责任公司",
                       business_certificate="110" + str(r.randint(100000000, 999999999)), business_scope="普通货运")
        lines = [("业户名称", content["owner_name"]), ("地址", content["owner_address"]),
                 ("车辆号牌", content["vehicle_number"] + "  车辆类型 " + content["vehicle_type"]),
                 ("经营许可证", content["license_number"]), ("经济类型", content["economic_type"]),
                 ("吨(座)位", content["maximum_capacity"] + "  车辆尺寸 " + content["vehicle_size"]),
                 ("经营范围", content["business_scope"]), ("营运证号", content["business_certificate"]),
                 ("发证机关", content["issuing_authority"] + "  " + content["issue_date"])]
    elif kind == "quota_invoice":
        W, H = 500, 820
        bg = (246, 244, 240)
        title = "上海市定额发票"
        content = dict(code="1310" + str(r.randint(10 ** 7, 10 ** 8 - 1)), number=str(r.randint(10 ** 7, 10 ** 8 - 1)),
                       amount="￥" + r.choice(["10.00", "20.00", "50.00", "100.00"]), location="上海")
        lines = [("发票联", None), ("发票代码", content["code"]), ("发票号码", content["number"]),
                 ("金额", content["amount"])]
    elif kind == "vat_invoice":
        W, H = 1200, 760
        bg = (248, 248, 244)
        title = "北京增值税普通发票"
        content = dict(code=str(r.randint(10 ** 9, 10 ** 10 - 1)) + "11", number=str(r.randint(10 ** 7, 10 ** 8 - 1)))
        lines = [("发票代码", content["code"]), ("发票号码", content["number"]), ("开票日期", _date(r, 2019, 2024)),
                 ("购买方 名称", "北京某某科技有限公司"), ("纳税人识别号", "91110105MA01" + str(r.randint(100000, 999999))),
                 ("货物或应税劳务名称", "  规格型号  单位  数量  单价  金额  税率  税额"),
                 ("价税合计(大写)", "壹佰元整  (小写) ￥100.00"), ("销售方 名称", "上海某某贸易有限公司")]
    elif kind == "train_ticket":
        W, H = 860, 540
        bg = (200, 225, 240)
        content = dict(ticket_id="E0" + str(r.randint(10 ** 6, 10 ** 7 - 1)), train_number="G" + str(r.randint(1, 999)))
        lines = [(content["ticket_id"], "检票:12"), ("北京南站", content["train_number"] + "  上海虹桥站"),
                 ("2023年05月01日09:00开", "05车12A号"), ("￥553.0元", "二等座"),
                 ("仅供报销使用", None), ("1101051990****1234 张三", None)]
    else:
        raise ValueError(kind)

    img = Image.new("RGB", (W, H), bg)
    dr = ImageDraw.Draw(img)
    dark = kind == "bankcard"
    fg = (250, 250, 250) if dark else (20, 20, 30)
    lab = (250, 240, 200) if dark else (60, 70, 110)
    dr.rectangle([6, 6, W - 7, H - 7], outline=(120, 130, 150), width=3)
    y = 40
    if kind == "bankcard":
        dr.text((50, 40), content["bank_name"], font=_font(46), fill=fg)
        dr.text((W - 220, 50), "银联 UnionPay", font=_font(30), fill=fg)
        num = content["card_number"]
        grp = " ".join(num[i:i + 4] for i in range(0, len(num), 4))
        dr.text((50, 280), grp, font=_font(52, mono=True), fill=fg)
        dr.text((300, 370), "VALID THRU " + content["expiry_date"], font=_font(30, mono=True), fill=fg)
        dr.text((50, 450), content["type"] + " DEBIT", font=_font(30), fill=fg)
        return img, content
    if kind == "passport":
        dr.text((40, 30), "中华人民共和国  护照", font=_font(36), fill=fg)
        dr.text((500, 30), "PASSPORT", font=_font(36), fill=fg)
        dr.rectangle([40, 110, 250, 380], fill=(200, 200, 205))
        rows = [("类型/Type", "P"), ("国家码/Country Code", "CHN"), ("护照号/Passport No.", content["passport_number"]),
                ("姓/Surname", content["surname"]), ("名/Given names", content["given_name"]),
                ("性别/Sex", content["sex"] + "    国籍/Nationality 中国/CHN"),
                ("出生日期/Date of birth", content["date_of_birth"]),
                ("签发日期/Date of issue", content["date_of_issue"]),
                ("有效期至/Date of expiry", content["date_of_expiry"])]
        yy = 100
        for la, va in rows:
            dr.text((280, yy), la, font=_font(17), fill=lab)
            dr.text((520, yy - 4), va, font=_font(24), fill=fg)
            yy += 40
        f = _font(27, mono=True)
        dr.text((40, 480), content["extra_info"]["mrz1"], font=f, fill=fg)
        dr.text((40, 535), content["extra_info"]["mrz2"], font=f, fill=fg)
        return img, content
    if title:
        for tl in title.split("\n"):
            f = _font(40)
            tw = dr.textlength(tl, font=f)
            dr.text(((W - tw) / 2, y), tl, font=f, fill=fg)
            y += 60
        y += 10
    step = max(44, min(66, (H - y - 30) // max(1, len(lines))))
    for la, va in lines:
        dr.text((50, y), la, font=_font(28), fill=lab)
        if va:
            lw = dr.textlength(la, font=_font(28))
            dr.text((50 + lw + 24, y - 2), va, font=_font(30), fill=fg)
        y += step
    return img, content


CARD_KINDS = ["id_card_portrait_side", "id_card_emblem_side", "driver_license_front", "driver_license_back",
              "vehicle_license_front", "vehicle_license_back", "bankcard", "passport", "transportation_license"]
OTHER_KINDS = ["quota_invoice", "vat_invoice", "train_ticket"]


def _background(r, W, H):
    kind = r.choice(["plain", "grad", "noise"])
    base = np.array([r.randint(60, 200) for _ in range(3)], np.float32)
    if kind == "plain":
        a = np.ones((H, W, 3), np.float32) * base
    elif kind == "grad":
        g = np.linspace(0.7, 1.2, W, dtype=np.float32)[None, :, None]
        a = np.ones((H, W, 3), np.float32) * base * g
    else:
        a = np.ones((H, W, 3), np.float32) * base + np.random.default_rng(r.randint(0, 10**6)).normal(0, 18, (H, W, 3))
    return np.clip(a, 0, 255).astype(np.uint8)


def make_scene(seed: int, kinds: list[str] | None = None, W: int = 1600, H: int = 1200,
               max_angle: float = 20, perspective: float = 0.04):
    """A scene with 1-3 documents; returns (RGB ndarray, truth list of {type, location, content})."""
    r = random.Random(seed)
    if kinds is None:
        kinds = r.sample(CARD_KINDS + OTHER_KINDS, r.randint(1, 3))
    canvas = _background(r, W, H)
    truth = []
    n = len(kinds)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    cw, ch = W / cols, H / rows
    for i, kind in enumerate(kinds):
        doc, content = render_doc(kind, r)
        d = np.asarray(doc)
        h, w = d.shape[:2]
        cx, cy = (i % cols + 0.5) * cw, (i // cols + 0.5) * ch
        ang = r.choice([0, 0, 0, 90, 180, 270]) + r.uniform(-max_angle, max_angle) if max_angle else 0
        bw, bh = (w, h)
        rad = np.deg2rad(ang)
        ext_w = abs(bw * np.cos(rad)) + abs(bh * np.sin(rad))
        ext_h = abs(bw * np.sin(rad)) + abs(bh * np.cos(rad))
        s = min(cw * 0.9 / ext_w, ch * 0.9 / ext_h, 1.0)
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        pts = (src - [w / 2, h / 2]) * s
        R = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]])
        pts = pts @ R.T + [cx, cy]
        pts += np.array([[r.uniform(-1, 1), r.uniform(-1, 1)] for _ in range(4)]) * perspective * min(w, h) * s
        M = cv2.getPerspectiveTransform(src, pts.astype(np.float32))
        warped = cv2.warpPerspective(d, M, (W, H))
        mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), M, (W, H))
        canvas[mask > 128] = warped[mask > 128]
        truth.append({"type": kind, "location": np.rint(pts).astype(int).tolist(), "content": content})
    return canvas, truth


if __name__ == "__main__":  # pragma: no cover - manual preview
    import sys
    img, t = make_scene(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    Image.fromarray(img).save("/tmp/scene.png")
    print(t)
