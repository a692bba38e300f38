"""Quota invoices (定额发票): the forms of several provinces and cities.

Everything on a quota invoice is printed by the press (the code and number by its
numbering unit), so its variants differ in layout, not in print faults:

- ``classic``: a city's form, code and number at the top right, the amount in big
  capitals (``伍拾元``) over its digits (``￥50.00``);
- ``provincial``: a province's form (``广东省通用定额发票``, location ``广东``), the
  amount in big digits only (``50元``), code and number in the footer with colons;
- ``lottery`` (held out): a prize invoice with a scratch-off panel and a prize code,
  code and number at the top left, the amount in capitals beside ``¥50.00``;
- ``parking`` (held out): a small portrait parking receipt, the amount as ``5.00元``.
"""

from __future__ import annotations

from ocrframe.types import DocType

from .draw import Canvas, guilloche
from .formats import plain_money, province_of as _province_of
from .layout import Layout, register
from .parts import code_and_number, dashed, paper, scratch_panel, supervision_seal

RED = (180, 30, 40)
DARK = (30, 30, 30)


# --- classic -----------------------------------------------------------------------------------

def _classic(c: Canvas, v: dict, style) -> None:
    ink = (190, 40, 50) if style[0] == 0 else (30, 80, 150)
    c.value((c.w / 2, 22), f"{v['location']}市通用定额发票", 34, face="hei", fill=ink, anchor="mt", spacing=3, form=True)
    c.text((c.w / 2, 70), "发 票 联", 22, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (110, 120), v["location"], r=54)
    code_and_number(c, v, (430, 110), ink=ink, step=34, value_dx=100, value_size=24)
    c.rect((24, 190, c.w - 24, c.h - 24), outline=ink, width=3)
    c.value((c.w / 2, 215), v["_words"], 76, face="hei", fill=ink, anchor="mt", spacing=8, form=True)
    c.value((c.w / 2, 318), v["amount"], 34, face="monob", fill=ink, anchor="mt", form=True)


register(DocType.QUOTA_INVOICE, Layout(
    name="classic", size=lambda s: (720, 400), style=lambda rng, v: (rng.randrange(2),),
    background=lambda s, size: guilloche(size[0], size[1], (248, 244, 236) if s[0] == 0 else (240, 245, 250),
                                         (230, 180, 170) if s[0] == 0 else (170, 190, 225), seed=111 + s[0], strength=0.25),
    draw=_classic))


# --- provincial: big digits, code and number in the footer ---------------------------------------

def _provincial_values(v: dict, rng) -> dict:
    out = dict(v)
    province = _province_of(v["location"])
    out["location"], out["_title"] = province.rstrip("省市"), f"{province}通用定额发票"
    out["amount"] = f"{int(float(plain_money(v['amount'])))}元"
    return out


def _provincial(c: Canvas, v: dict, style) -> None:
    ink = (160, 50, 120) if style[0] else (40, 110, 70)
    c.value((c.w / 2, 20), v["_title"], 32, face="hei", fill=ink, anchor="mt", spacing=2, form=True)
    c.text((c.w / 2, 64), "发票联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 100, 96), v["location"], r=46)
    c.rect((20, 120, c.w - 20, 330), outline=ink, width=2)
    c.text((60, 210), "金额", 28, face="hei", fill=ink)
    c.value((c.w / 2 + 20, 225), v["amount"], 96, face="hei", fill=ink, anchor="mm", form=True)
    c.text((c.w / 2, 300), "(手写无效)", 18, face="hei", fill=ink, anchor="mt")
    for i, (label, key) in enumerate((("发票代码：", "code"), ("发票号码：", "number"))):
        y = 346 + i * 30
        c.text((40, y), label, 19, face="hei", fill=ink)
        c.value((40 + 19 * 5 + 4, y - 2), v[key], 22, face="monob", fill=RED if key == "number" else DARK, form=True)
    c.text((c.w - 40, 362), "开票日期:    年   月   日", 18, face="hei", fill=ink, anchor="ra")


register(DocType.QUOTA_INVOICE, Layout(
    name="provincial", size=lambda s: (680, 420), style=lambda rng, v: (rng.randrange(2),), adapt=_provincial_values,
    background=lambda s, size: guilloche(size[0], size[1], (246, 248, 244) if s[0] == 0 else (250, 244, 248),
                                         (170, 210, 180) if s[0] == 0 else (220, 180, 205), seed=121 + s[0],
                                         strength=0.2, rosette=False),
    draw=_provincial))


# --- lottery: a scratch-off prize panel, code and number at the top left ---------------------------

def _lottery_values(v: dict, rng) -> dict:
    out = dict(v)
    out["amount"] = "¥" + plain_money(v["amount"])
    out["_prize_code"] = "".join(rng.choice("0123456789") for _ in range(12))
    return out


def _lottery(c: Canvas, v: dict, style) -> None:
    ink = (200, 60, 40)
    c.text((24, 22), "发票代码", 18, face="hei", fill=ink)
    c.value((24, 46), v["code"], 22, face="monob", fill=DARK, form=True)
    c.text((24, 80), "发票号码", 18, face="hei", fill=ink)
    c.value((24, 104), v["number"], 24, face="monob", fill=RED, form=True)
    c.value((c.w / 2 + 70, 22), f"{v['location']}市通用定额发票", 32, face="hei", fill=ink, anchor="mt", form=True)
    c.text((c.w / 2 + 70, 64), "(有奖) 发 票 联", 20, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w - 76, 92), v["location"], r=44)
    c.line([(20, 140), (c.w - 20, 140)], fill=ink, width=2)
    c.value((40, 160), v["_words"], 64, face="hei", fill=ink, spacing=6, form=True)
    c.value((56, 250), v["amount"], 30, face="monob", fill=ink, form=True)
    scratch_panel(c, (c.w - 330, 160, c.w - 30, 240), seed=7, label="刮开区 兑奖")
    c.text((c.w - 330, 252), "兑奖密码", 18, face="hei", fill=ink)
    c.value((c.w - 240, 250), v["_prize_code"], 20, face="mono", fill=DARK, form=True)
    dashed(c, 300, 20, c.w - 20, fill=ink)
    c.text((40, 316), "本发票兑奖期限为开票之日起30日内，奖金以实际刮开为准。", 16, face="hei", fill=ink)
    c.text((40, 342), "奖区：一等奖 1000元  二等奖 100元  三等奖 10元", 16, face="hei", fill=ink)


register(DocType.QUOTA_INVOICE, Layout(
    name="lottery", heldout=True, size=lambda s: (760, 390), style=lambda rng, v: (0,), adapt=_lottery_values,
    background=lambda s, size: guilloche(size[0], size[1], (250, 246, 238), (235, 190, 160), seed=131, strength=0.18),
    draw=_lottery))


# --- parking: a small portrait receipt ---------------------------------------------------------------

def _parking_values(v: dict, rng) -> dict:
    out = dict(v)
    out["amount"] = plain_money(v["amount"]) + "元"
    return out


def _parking(c: Canvas, v: dict, style) -> None:
    ink = (30, 70, 140)
    c.value((c.w / 2, 20), f"{v['location']}市", 26, face="hei", fill=ink, anchor="mt", form=True)
    c.text((c.w / 2, 54), "停车收费定额发票", 26, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 90), "发 票 联", 18, face="hei", fill=ink, anchor="mt")
    supervision_seal(c, (c.w / 2, 150), v["location"], r=40)
    code_and_number(c, v, (30, 200), ink=ink, step=30, value_dx=88, label_size=17, value_size=20)
    c.rect((24, 270, c.w - 24, 420), outline=ink, width=2)
    c.text((c.w / 2, 284), "金 额", 20, face="hei", fill=ink, anchor="mt")
    c.value((c.w / 2, 360), v["amount"], 54, face="hei", fill=ink, anchor="mm", form=True)
    c.text((c.w / 2, 440), "车辆离场时请索取发票", 16, face="hei", fill=ink, anchor="mt")
    c.text((c.w / 2, 466), "停车场(盖章有效)", 16, face="hei", fill=ink, anchor="mt")


register(DocType.QUOTA_INVOICE, Layout(
    name="parking", heldout=True, size=lambda s: (340, 520), style=lambda rng, v: (0,), adapt=_parking_values,
    background=paper((244, 247, 250)), draw=_parking))
