"""Drawing primitives for the document renderers: a two-layer canvas, guilloche, seals.

A layout function draws a document by calling :class:`Canvas` methods. Each call is either
*static* (titles, field labels, grid lines, background patterns: the same for every
document of a style) or *dynamic* (the values). The renderer runs a layout once in static
mode to build a cached template, then once per document in dynamic mode on a copy of it,
so the expensive part (patterns, dozens of labels) is drawn once per style.

Examples
--------
>>> c = Canvas((200, 100), bg=(255, 255, 255), mode="all")
>>> c.text((10, 10), "姓名", 20)
>>> c.img.size
(200, 100)
"""

from __future__ import annotations

import functools
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .fonts import font

__all__ = ["Canvas", "guilloche", "gradient", "fit_size", "text_width"]

Color = tuple


def text_width(s: str, size: int, face: str = "sans") -> float:
    """Width in pixels of ``s`` set in ``face`` at ``size``."""
    return font(face, size).getlength(s)


def fit_size(s: str, size: int, max_w: float, face: str = "sans", min_size: int = 10) -> int:
    """The largest size <= ``size`` at which ``s`` fits in ``max_w`` pixels."""
    w = text_width(s, size, face)
    if w <= max_w or not s:
        return size
    return max(min_size, int(size * max_w / w))


_LATIN_FALLBACK = {"mono": "monocjk", "monob": "monocjk", "latin": "sans", "latinb": "hei"}


class Canvas:
    """A document image being drawn, in one of three modes: static, dynamic or all."""

    def __init__(self, size=None, bg=(255, 255, 255), mode: str = "all", img: Image.Image | None = None):
        self.img = img if img is not None else Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.img)
        self.mode = mode
        self.w, self.h = self.img.size
        self.offset = (0, 0)  # where the values land off their boxes (misregistered printing)
        self.drawn: list[str] = []  # every value text, in drawing order (tests check the labels against it)
        self.print_layer: Image.Image | None = None  # where printed text goes when its print is degraded
        self._print_draw: ImageDraw.ImageDraw | None = None

    def use_print_layer(self) -> None:
        """Send printed text (values and printer-made labels) to :attr:`print_layer`, a white
        image of the same size, so print faults can be applied to it alone
        (:func:`~ocrframe.datasets.synth.printing.apply`)."""
        self.print_layer = Image.new("RGB", self.img.size, (255, 255, 255))
        self._print_draw = ImageDraw.Draw(self.print_layer)

    def on(self, dyn: bool) -> bool:
        """Whether an element of this kind (dynamic or static) is drawn in this pass."""
        return self.mode == "all" or (self.mode == "dynamic") == dyn

    # -- text ---------------------------------------------------------------------------------
    def text(self, xy, s: str, size: int, *, face: str = "sans", fill=(0, 0, 0), anchor: str = "la",
             dyn: bool = False, bold: bool = False, max_w: float | None = None, spacing: float = 0.0,
             form: bool = False, record: bool = True) -> None:
        """Draw ``s`` at ``xy`` (PIL anchor), shrinking to ``max_w`` and letter-spacing if asked.

        A dynamic text is printed by the document's printer (onto :attr:`print_layer` when
        there is one, shifted by :attr:`offset`), unless ``form``: then it belongs to the
        preprinted form even though it varies (a title naming the province). ``record``:
        list it in :attr:`drawn` (values; not printer-made labels).
        """
        if not self.on(dyn) or not s:
            return
        draw = self.draw
        if dyn:
            if record:
                self.drawn.append(s)
            if not form:
                if self._print_draw is not None:
                    draw = self._print_draw
                if self.offset != (0, 0):
                    xy = (xy[0] + self.offset[0], xy[1] + self.offset[1])
        if face in _LATIN_FALLBACK and any(ord(ch) > 0x2FFF for ch in s):
            face = _LATIN_FALLBACK[face]  # DejaVu has no CJK nor the full-width ￥
        if max_w:
            size = fit_size(s, size, max_w, face)
        f = font(face, size)
        stroke = max(1, size // 28) if bold else 0
        if spacing:
            x, y = xy
            total = sum(f.getlength(ch) for ch in s) + spacing * (len(s) - 1)
            if anchor[0] == "m":
                x -= total / 2
            elif anchor[0] == "r":
                x -= total
            # one baseline for every character, whatever its own extent (一 has almost none)
            ascent, descent = f.getmetrics()
            y += {"a": ascent, "t": ascent, "m": (ascent - descent) / 2, "s": 0, "b": -descent, "d": -descent}.get(anchor[1], 0)
            for ch in s:
                draw.text((x, y), ch, font=f, fill=fill, anchor="ls", stroke_width=stroke, stroke_fill=fill)
                x += f.getlength(ch) + spacing
            return
        draw.text(xy, s, font=f, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=fill)

    def value(self, xy, s: str, size: int, **kw) -> None:
        """Draw a value (a dynamic text)."""
        kw.setdefault("fill", (20, 20, 20))
        self.text(xy, s, size, dyn=True, **kw)

    def printed(self, xy, s: str, size: int, **kw) -> None:
        """Draw a label the printer prints with the values (a thermal slip's ``车号:``): drawn
        in the dynamic pass, on the print layer, but not a value."""
        kw.setdefault("fill", (20, 20, 20))
        self.text(xy, s, size, dyn=True, record=False, **kw)

    def wrap(self, xy, s: str, size: int, width: float, *, face: str = "sans", line_h: float = 1.35,
             dyn: bool = True, fill=(20, 20, 20), max_lines: int = 4, bold: bool = False) -> None:
        """Draw ``s`` broken into lines of at most ``width`` pixels (CJK: break anywhere)."""
        if not self.on(dyn) or not s:
            return
        f = font(face, size)
        lines, cur = [], ""
        for ch in s:
            if f.getlength(cur + ch) > width and cur:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
        if len(lines) > max_lines:  # too long: shrink and retry
            return self.wrap(xy, s, int(size * 0.88), width, face=face, line_h=line_h, dyn=dyn, fill=fill,
                             max_lines=max_lines, bold=bold)
        x, y = xy
        for i, line in enumerate(lines):
            self.text((x, y + i * size * line_h), line, size, face=face, fill=fill, dyn=dyn, bold=bold)

    # -- shapes -------------------------------------------------------------------------------
    def rect(self, box, *, outline=None, fill=None, width: int = 1, radius: int = 0, dyn: bool = False) -> None:
        if not self.on(dyn):
            return
        if radius:
            self.draw.rounded_rectangle(box, radius=radius, outline=outline, fill=fill, width=width)
        else:
            self.draw.rectangle(box, outline=outline, fill=fill, width=width)

    def line(self, pts, *, fill=(0, 0, 0), width: int = 1, dyn: bool = False) -> None:
        if self.on(dyn):
            self.draw.line(pts, fill=fill, width=width)

    def hlines(self, x0, x1, ys, **kw) -> None:
        for y in ys:
            self.line([(x0, y), (x1, y)], **kw)

    def vlines(self, y0, y1, xs, **kw) -> None:
        for x in xs:
            self.line([(x, y0), (x, y1)], **kw)

    def ellipse(self, box, *, outline=None, fill=None, width: int = 1, dyn: bool = False) -> None:
        if self.on(dyn):
            self.draw.ellipse(box, outline=outline, fill=fill, width=width)

    def paste(self, im: Image.Image, xy, *, dyn: bool = False, mask: Image.Image | None = None) -> None:
        if self.on(dyn):
            if im.mode == "RGBA" and mask is None:
                self.img.paste(im, tuple(int(v) for v in xy), im)
            else:
                self.img.paste(im, tuple(int(v) for v in xy), mask)

    def background(self, arr: np.ndarray) -> None:
        """Replace the whole image by an RGB array (static)."""
        if self.on(False):
            self.img.paste(Image.fromarray(arr))

    # -- composites ---------------------------------------------------------------------------
    def seal(self, center, radius, *, ring_text: str = "", center_text: str = "", bottom_text: str = "",
             color=(215, 35, 35), oval: float = 1.0, star: bool = True, dyn: bool = False, alpha: int = 200,
             size: int | None = None) -> None:
        """A red round or oval stamp with text along the ring, a star or text in the middle."""
        if not self.on(dyn):
            return
        if dyn:
            self.drawn += [ring_text, center_text, bottom_text]
        im = stamp(radius, ring_text, center_text, bottom_text, color, oval, star, alpha, size)
        cx, cy = center
        self.img.paste(im, (int(cx - im.width / 2), int(cy - im.height / 2)), im)

    def stamp_box(self, box, lines, *, color=(215, 35, 35), size=18, dyn: bool = False) -> None:
        """A rectangular stamp (e.g. a licence's issuing authority) with centred lines."""
        if not self.on(dyn):
            return
        if dyn:
            self.drawn.append("".join(lines))
        x0, y0, x1, y1 = box
        layer = Image.new("RGBA", (int(x1 - x0), int(y1 - y0)), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        d.rectangle((1, 1, layer.width - 2, layer.height - 2), outline=color + (170,), width=3)
        n = len(lines)
        for i, s in enumerate(lines):
            sz = fit_size(s, size, layer.width - 16, "hei")
            d.text((layer.width / 2, layer.height * (i + 1) / (n + 1)), s, font=font("hei", sz),
                   fill=color + (165,), anchor="mm")
        self.img.paste(layer, (int(x0), int(y0)), layer)


@functools.lru_cache(maxsize=256)
def stamp(radius, ring_text, center_text, bottom_text, color, oval, star, alpha, size) -> Image.Image:
    """An RGBA stamp image (cached: the same company always gets the same seal)."""
    rx, ry = radius, int(radius / oval)
    pad = 4
    im = Image.new("RGBA", (2 * rx + 2 * pad, 2 * ry + 2 * pad), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    col = tuple(color) + (alpha,)
    cx, cy = rx + pad, ry + pad
    d.ellipse((pad, pad, pad + 2 * rx, pad + 2 * ry), outline=col, width=max(3, rx // 22))
    if star:
        r = rx * 0.22
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            rr = r if k % 2 == 0 else r * 0.4
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=col)
    if ring_text:
        n = len(ring_text)
        fs = size or max(10, int(min(rx, ry) * 0.26))
        f = font("hei", fs)
        span = math.radians(min(250, 18 * n + 60))
        for i, ch in enumerate(ring_text):
            a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
            x = cx + (rx - fs * 0.85) * math.cos(a)
            y = cy + (ry - fs * 0.85) * math.sin(a)
            g = Image.new("RGBA", (fs + 6, fs + 6), (0, 0, 0, 0))
            ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=f, fill=col, anchor="mm")
            g = g.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
            im.alpha_composite(g, (int(x - g.width / 2), int(y - g.height / 2)))
    if center_text:
        fs = max(9, int(rx * 0.17))
        fs = fit_size(center_text, fs, rx * 1.5, "mono")
        d.text((cx, cy + (ry * 0.1 if star else 0)), center_text, font=font("mono", fs), fill=col, anchor="mm")
    if bottom_text:
        fs = max(10, int(rx * 0.2))
        fs = fit_size(bottom_text, fs, rx * 1.2, "hei")
        d.text((cx, cy + ry * 0.55), bottom_text, font=font("hei", fs), fill=col, anchor="mm")
    return im


def gradient(w: int, h: int, c0, c1, horizontal: bool = True) -> np.ndarray:
    """A linear two-colour gradient as an (h, w, 3) uint8 array."""
    t = np.linspace(0, 1, w if horizontal else h, dtype=np.float32)
    c0, c1 = np.asarray(c0, np.float32), np.asarray(c1, np.float32)
    line = c0[None, :] * (1 - t[:, None]) + c1[None, :] * t[:, None]
    arr = np.broadcast_to(line[None, :, :], (h, w, 3)) if horizontal else np.broadcast_to(line[:, None, :], (h, w, 3))
    return np.ascontiguousarray(arr).astype(np.uint8)


def guilloche(w: int, h: int, base, ink, *, seed: int = 0, density: float = 1.0, strength: float = 0.35,
              rosette: bool = True) -> np.ndarray:
    """A security background: interfering sine bands and a rosette, as an (h, w, 3) uint8 array.

    ``base`` is the paper colour and ``ink`` the line colour; ``strength`` how much ink shows.
    Deterministic in ``seed``.
    """
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = xx / w, yy / h
    field = np.zeros((h, w), np.float32)
    for _ in range(3):
        fx, fy = rng.uniform(2, 6), rng.uniform(1, 4)
        ph = rng.uniform(0, 6.28)
        field += np.sin(2 * np.pi * (fx * u + 0.15 * np.sin(2 * np.pi * fy * v + ph)) * 6 * density)
    lines = (np.abs(np.sin(field * 2.2)) < 0.22).astype(np.float32)
    if rosette:
        cx, cy = rng.uniform(0.55, 0.8), rng.uniform(0.35, 0.65)
        r = np.hypot((u - cx) * w / h, v - cy)
        th = np.arctan2(v - cy, (u - cx) * w / h)
        ros = np.abs(np.sin(r * 90 * density + 4 * np.sin(th * 12))) < 0.18
        lines = np.maximum(lines, ros * (r < 0.42))
    a = lines[..., None] * strength
    out = np.asarray(base, np.float32) * (1 - a) + np.asarray(ink, np.float32) * a
    return out.astype(np.uint8)


def soften(im: Image.Image, radius: float = 0.6) -> Image.Image:
    """A slight blur, so printed text does not look like a vector rendering."""
    return im.filter(ImageFilter.GaussianBlur(radius))


def table(c: Canvas, v: dict, origin, width: float, rows, *, row_h: float, label_w: float = 150,
          line=(60, 60, 60), label_fill=(30, 30, 30), value_fill=(20, 20, 20), label_size: int = 20,
          en_size: int = 11, value_size: int = 26, value_face: str = "hei", grid: bool = True,
          line_w: int = 2) -> list[tuple]:
    """A bordered form: rows of cells ``(zh_label, en_label, key, share[, value_rows[, label_w]])``.

    Labels and grid are static, values (``v[key]``, wrapped to fit) dynamic. A row is drawn
    ``value_rows`` (default 1) rows tall. Returns each cell's value box, keyed like the rows.
    """
    x0, y = origin
    boxes = []
    if grid:
        top = y
    for row in rows:
        nrows = max((cell[4] if len(cell) > 4 else 1) for cell in row)
        h = row_h * nrows
        x = x0
        for cell in row:
            zh, en, key, share = cell[:4]
            cw = width * share
            lw = (cell[5] if len(cell) > 5 else label_w) if zh else 0
            if zh:
                ly = y + h / 2 - (8 if en else 0)
                c.text((x + lw / 2, ly), zh, label_size, face="hei", fill=label_fill, anchor="mm",
                       max_w=lw - 10)
                if en:
                    c.text((x + lw / 2, ly + label_size * 0.95), en, en_size, face="latin", fill=label_fill,
                           anchor="mm", max_w=lw - 8)
                if grid:
                    c.line([(x + lw, y), (x + lw, y + h)], fill=line, width=1)
            if key:
                val = v[key] if isinstance(key, str) else key(v)
                vw = cw - lw - 16
                if nrows == 1:
                    c.value((x + lw + 10, y + h / 2), val, value_size, face=value_face, anchor="lm",
                            max_w=vw, fill=value_fill)
                else:
                    c.wrap((x + lw + 10, y + 10), val, value_size, vw, face=value_face, fill=value_fill,
                           max_lines=int(nrows * row_h / (value_size * 1.35)))
                boxes.append((key, (x + lw, y, x + cw, y + h)))
            if grid and x > x0:
                c.line([(x, y), (x, y + h)], fill=line, width=1)
            x += cw
        y += h
        if grid:
            c.line([(x0, y), (x0 + width, y)], fill=line, width=1)
    if grid:
        c.rect((x0, top, x0 + width, y), outline=line, width=line_w)
    return boxes


def qr_like(seed: int, n: int = 29) -> np.ndarray:
    """A QR-code-looking boolean matrix: three finder patterns and seeded random modules."""
    rng = np.random.default_rng(seed)
    m = rng.random((n, n)) < 0.5
    for r, c in [(0, 0), (0, n - 7), (n - 7, 0)]:
        m[r:r + 7, c:c + 7] = True
        m[r + 1:r + 6, c + 1:c + 6] = False
        m[r + 2:r + 5, c + 2:c + 5] = True
    return m


def paste_qr(c: "Canvas", seed: int, xy, size: int, *, color=(25, 25, 30), dyn: bool = True) -> None:
    """Draw a QR-like code of ``size`` pixels at ``xy``."""
    if not c.on(dyn):
        return
    m = Image.fromarray((qr_like(seed) * 255).astype(np.uint8)).resize((size, size), Image.NEAREST)
    c.img.paste(color, (int(xy[0]), int(xy[1])), m)
