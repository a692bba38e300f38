"""Card-sized documents: resident ID card (both sides), bank card, passport data page."""

from __future__ import annotations

import functools
import math

from PIL import Image, ImageDraw

from ocrframe.types import DocType

from .draw import Canvas, gradient, guilloche
from .layout import Layout, register

BLUE_LABEL = (40, 95, 160)
INK = (25, 25, 30)


def portrait(c: Canvas, box, *, bg=(225, 228, 232), tone=(95, 95, 105), dyn=False) -> None:
    """A photo placeholder: plain backdrop with a head-and-shoulders silhouette."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if c.on(dyn):
        c.paste(_silhouette(x1 - x0, y1 - y0, bg, tone), (x0, y0), dyn=dyn)


@functools.lru_cache(maxsize=32)
def _silhouette(w: int, h: int, bg, tone) -> Image.Image:
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    cx = w / 2
    d.ellipse((w * 0.04, h * 0.66, w * 0.96, h * 1.5), fill=tone)
    d.rectangle((cx - w * 0.09, h * 0.5, cx + w * 0.09, h * 0.72), fill=tuple(v + 25 for v in tone))
    d.ellipse((cx - w * 0.21, h * 0.17, cx + w * 0.21, h * 0.6), fill=tuple(v + 35 for v in tone))
    d.chord((cx - w * 0.23, h * 0.12, cx + w * 0.23, h * 0.46), 180, 360, fill=(35, 30, 30))
    return im


# --- resident ID card, portrait side ---------------------------------------------------------

def _id_portrait(c: Canvas, v: dict, style) -> None:
    lab = dict(size=25, fill=BLUE_LABEL, face="hei")
    c.text((62, 62), "姓  名", **lab)
    c.value((170, 56), v["name"], 32, face="hei")
    c.text((62, 132), "性  别", **lab)
    c.value((170, 128), v["sex"], 29, face="hei")
    c.text((268, 132), "民  族", **lab)
    c.value((370, 128), v["ethnicity"], 29, face="hei")
    c.text((62, 198), "出  生", **lab)
    c.value((170, 194), v["birth"], 29, face="hei")
    c.text((62, 264), "住  址", **lab)
    c.wrap((170, 260), v["address"], 28, 380, face="hei", line_h=1.3, max_lines=3)
    c.text((62, 455), "公民身份号码", **lab)
    c.value((268, 448), v["number"], 36, face="monob", spacing=1.5)
    portrait(c, (572, 78, 810, 372), bg=(232, 238, 240))


register(DocType.ID_CARD_PORTRAIT_SIDE, Layout(
    size=lambda s: (856, 540),
    style=lambda rng, v: (rng.randrange(3),),
    background=lambda s, size: guilloche(size[0], size[1], (236, 240, 238), (120, 170, 205), seed=11 + s[0], strength=0.3),
    draw=_id_portrait, radius=0.06))


# --- resident ID card, emblem side -----------------------------------------------------------

def emblem(c: Canvas, center, r: float) -> None:
    """A simplified national emblem: red disc, gold ring, five stars."""
    cx, cy = center
    c.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(205, 30, 35), outline=(225, 180, 60), width=max(3, int(r / 12)))
    for k, (dx, dy, rr) in enumerate([(0, -0.35, 0.28), (-0.42, -0.05, 0.11), (-0.25, 0.18, 0.11), (0.25, 0.18, 0.11), (0.42, -0.05, 0.11)]):
        sx, sy, s = cx + dx * r, cy + dy * r, rr * r
        pts = []
        for i in range(10):
            a = -math.pi / 2 + i * math.pi / 5
            q = s if i % 2 == 0 else s * 0.4
            pts.append((sx + q * math.cos(a), sy + q * math.sin(a)))
        if c.on(False):
            c.draw.polygon(pts, fill=(245, 205, 70))
    c.rect((cx - r * 0.45, cy + r * 0.45, cx + r * 0.45, cy + r * 0.62), fill=(245, 205, 70))


def _id_emblem(c: Canvas, v: dict, style) -> None:
    emblem(c, (150, 150), 92)
    c.text((560, 118), "中华人民共和国", 44, face="hei", fill=INK, anchor="mm", spacing=6)
    c.text((560, 222), "居民身份证", 66, face="hei", fill=INK, anchor="mm", spacing=14, bold=True)
    lab = dict(size=25, fill=INK, face="hei")
    c.text((190, 402), "签发机关", **lab)
    c.value((330, 398), v["issue"], 28, face="hei", max_w=480)
    c.text((190, 466), "有效期限", **lab)
    c.value((330, 462), f"{v['valid_from']}-{v['valid_to']}", 28, face="hei", max_w=480)


register(DocType.ID_CARD_EMBLEM_SIDE, Layout(
    size=lambda s: (856, 540),
    style=lambda rng, v: (rng.randrange(3),),
    background=lambda s, size: guilloche(size[0], size[1], (242, 238, 226), (205, 160, 120), seed=21 + s[0], strength=0.3),
    draw=_id_emblem, radius=0.06))


# --- bank card -------------------------------------------------------------------------------

BANK_COLORS = {"中国工商银行": ((196, 22, 28), (120, 10, 20)), "中国建设银行": ((20, 70, 150), (10, 35, 90)),
               "中国农业银行": ((0, 130, 110), (0, 80, 70)), "中国银行": ((170, 20, 40), (90, 10, 20)),
               "招商银行": ((200, 30, 40), (60, 60, 70)), "交通银行": ((25, 60, 130), (70, 110, 170)),
               "中国邮政储蓄银行": ((0, 120, 70), (20, 70, 40))}


def _bank_background(style, size):
    bank, variant = style[0], style[2]
    c0, c1 = BANK_COLORS[bank]
    if variant == 1:  # light card with a coloured band
        arr = gradient(size[0], size[1], (235, 235, 238), (205, 208, 215))
        arr[: size[1] // 5] = c0
        return arr
    base = gradient(size[0], size[1], c0, c1)
    pattern = guilloche(size[0], size[1], (0, 0, 0), (255, 255, 255), seed=len(bank), strength=1.0, rosette=True)
    return (base.astype("float32") * (1 - 0.12 * pattern[..., :1] / 255)).astype("uint8")


def _bankcard(c: Canvas, v: dict, style) -> None:
    bank, debit, variant = style
    fg = (255, 255, 255) if variant == 0 else (30, 30, 40)
    c.value((52, 30 if variant == 1 else 48), v["bank_name"], 42, face="hei", fill=(255, 255, 255), bold=True)
    # chip
    c.rect((92, 196, 196, 276), fill=(214, 180, 95), outline=(150, 120, 60), width=2, radius=12)
    c.line([(92, 236), (196, 236)], fill=(150, 120, 60), width=2)
    c.line([(144, 196), (144, 276)], fill=(150, 120, 60), width=2)
    # embossed card number: light glyphs with a dark lower-right edge
    num = v["card_number"]
    size = 50 if len(num) <= 19 else 43
    c.value((61, 337), num, size, face="monob", fill=(40, 40, 40), spacing=1)
    c.value((58, 334), num, size, face="monob", fill=(245, 245, 240) if variant == 0 else (60, 60, 70), spacing=1)
    c.text((250, 420), "VALID FROM", 16, face="latin", fill=fg)
    c.value((372, 410), v["issue_date"], 30, face="monob", fill=fg)
    c.text((490, 420), "GOOD THRU", 16, face="latin", fill=fg)
    c.value((600, 410), v["expiry_date"], 30, face="monob", fill=fg)
    c.value((58, 470), v["type"], 30, face="hei", fill=fg)
    # UnionPay mark
    x, y = 660, 420
    for k, col in enumerate([(220, 30, 40), (20, 60, 140), (0, 140, 130)]):
        if c.on(False):
            c.draw.polygon([(x + k * 48 + 14, y), (x + k * 48 + 62, y), (x + k * 48 + 48, y + 84), (x + k * 48, y + 84)], fill=col)
    c.text((x + 85, y + 30), "银联", 30, face="hei", fill=(255, 255, 255), anchor="mm", bold=True)
    c.text((x + 85, y + 64), "UnionPay", 17, face="latinb", fill=(255, 255, 255), anchor="mm")


register(DocType.BANKCARD, Layout(
    size=lambda s: (856, 540),
    style=lambda rng, v: (v["bank_name"], v["type"], rng.choice((0, 0, 1))),
    background=_bank_background, draw=_bankcard, radius=0.05))


# --- passport data page ----------------------------------------------------------------------

def _passport(c: Canvas, v: dict, style) -> None:
    loc = v["extra_info"]["local_language"]
    lab = dict(size=16, fill=(70, 60, 90), face="sans")
    val = dict(face="latinb", fill=INK)
    c.text((500, 28), "中华人民共和国", 30, face="serif", fill=(80, 40, 90), anchor="mt", spacing=6)
    c.text((500, 68), "PEOPLE'S REPUBLIC OF CHINA", 20, face="latin", fill=(80, 40, 90), anchor="mt")
    c.text((40, 34), "护照", 26, face="serif", fill=(80, 40, 90))
    c.text((40, 68), "PASSPORT", 16, face="latin", fill=(80, 40, 90))
    portrait(c, (40, 130, 300, 470), bg=(236, 236, 238))
    x1, x2, x3 = 330, 470, 690
    c.text((x1, 110), "类型/Type", **lab)
    c.value((x1, 130), v["passport_type"], 26, **val)
    c.text((x2, 110), "国家码/Country Code", **lab)
    c.value((x2, 130), v["country_code"], 26, **val)
    c.text((x3, 110), "护照号/Passport No.", **lab)
    c.value((x3, 128), v["passport_number"], 30, face="monob", fill=(150, 30, 40))
    c.text((x1, 170), "姓/Surname", **lab)
    c.value((x1, 188), loc["surname"], 26, face="hei")
    c.value((x1 + 40 * len(loc["surname"]) + 10, 190), v["surname"], 26, **val)
    c.text((x1, 232), "名/Given names", **lab)
    c.value((x1, 250), loc["given_name"], 26, face="hei")
    c.value((x1 + 30 * len(loc["given_name"]) + 20, 252), v["given_name"], 26, **val)
    c.text((x1, 294), "性别/Sex", **lab)
    c.value((x1, 312), f"{loc['sex']}/{v['sex']}", 26, face="hei")
    c.text((x2, 294), "国籍/Nationality", **lab)
    c.value((x2, 312), f"中国/{v['nationality']}", 26, face="hei")
    c.text((x1, 354), "出生日期/Date of birth", **lab)
    c.value((x1, 372), v["date_of_birth"], 27, **val)
    c.text((x3 - 40, 354), "出生地点/Place of birth", **lab)
    c.value((x3 - 40, 372), f"{loc['place_of_birth']}/{v['place_of_birth']}", 26, face="hei")
    c.text((x1, 414), "签发日期/Date of issue", **lab)
    c.value((x1, 432), v["date_of_issue"], 27, **val)
    c.text((x3 - 40, 414), "签发地点/Place of issue", **lab)
    c.value((x3 - 40, 432), f"{loc['place_of_issue']}/{v['place_of_issue']}", 26, face="hei")
    c.text((x1, 474), "有效期至/Date of expiry", **lab)
    c.value((x1, 492), v["date_of_expiry"], 27, **val)
    c.text((x3 - 40, 474), "签发机关/Authority", **lab)
    c.value((x3 - 40, 492), loc["issuing_authority"], 22, face="hei")
    c.value((x3 - 40, 522), v["issuing_authority"], 19, face="latin", max_w=330)
    c.text((40, 492), "持照人签名/Signature", 14, face="sans", fill=(70, 60, 90))
    c.line([(0, 566), (1000, 566)], fill=(200, 190, 205), width=1)
    ex = v["extra_info"]
    c.value((34, 588), ex["machine_code1"], 33, face="mono", fill=(15, 15, 20), spacing=1.0)
    c.value((34, 640), ex["machine_code2"], 33, face="mono", fill=(15, 15, 20), spacing=1.0)


register(DocType.PASSPORT, Layout(
    size=lambda s: (1000, 705),
    style=lambda rng, v: (rng.randrange(3),),
    background=lambda s, size: guilloche(size[0], size[1], (240, 232, 238), (175, 130, 170), seed=31 + s[0], strength=0.28),
    draw=_passport, radius=0.02))
