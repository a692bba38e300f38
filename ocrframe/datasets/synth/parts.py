"""Parts many Chinese documents share: paper, dashed rules, the supervision seal, vertical labels.

The one home of the drawing helpers that several layout modules use (they import them
from here, never from each other).

Examples
--------
>>> from ocrframe.datasets.synth.draw import Canvas
>>> c = Canvas((300, 200), mode="all")
>>> c.background(paper((250, 250, 247))(None, (300, 200)))
>>> dashed(c, 100, 10, 290)
>>> supervision_seal(c, (150, 60), "上海", r=40)
>>> len(cipher(3, lines=2, width=10)[1])
10
"""

from __future__ import annotations

import random

import numpy as np

from .draw import Canvas

__all__ = ["MONO", "paper", "dashed", "supervision_seal", "vertical", "cipher", "scratch_panel", "code_and_number"]

#: how printers set values on receipts: a monospaced CJK face in near-black
MONO = dict(face="monocjk", fill=(25, 25, 35))


def paper(base=(250, 250, 247)):
    """A background function: plain paper of colour ``base`` with faint horizontal fibres."""
    def bg(style, size):
        rng = np.random.default_rng(size[1])
        arr = np.empty((size[1], size[0], 3), np.uint8)
        arr[:] = base
        arr = arr.astype(np.int16) - rng.integers(0, 6, (size[1], 1, 1), dtype=np.int16)
        return arr.clip(0, 255).astype(np.uint8)
    return bg


def dashed(c: Canvas, y, x0, x1, *, fill=(90, 90, 100), dash=10, dyn=False) -> None:
    """A horizontal dashed rule at ``y`` from ``x0`` to ``x1``."""
    x = x0
    while x < x1:
        c.line([(x, y), (min(x + dash, x1), y)], fill=fill, width=2, dyn=dyn)
        x += 2 * dash


def supervision_seal(c: Canvas, center, province: str, *, dyn: bool = True, r: int = 62) -> None:
    """The oval 全国统一发票监制章 at the top of Chinese invoices."""
    c.seal(center, r, ring_text="全国统一发票监制章", center_text="", bottom_text=f"{province}税务局",
           oval=1.45, star=False, dyn=dyn, alpha=120, size=15)


def vertical(c: Canvas, x, y0, y1, s: str, size: int, fill) -> None:
    """Characters stacked top to bottom, spread over [y0, y1] (static)."""
    n = len(s)
    for i, ch in enumerate(s):
        c.text((x, y0 + (y1 - y0) * (i + 0.5) / n), ch, size, face="hei", fill=fill, anchor="mm")


def cipher(seed: int, lines: int = 4, width: int = 28) -> list[str]:
    """The 密码区 block: deterministic noise in the invoice cipher alphabet."""
    rng = random.Random(seed)
    return ["".join(rng.choice("0123456789+-*/<>") for _ in range(width)) for _ in range(lines)]


def scratch_panel(c: Canvas, box, seed: int, *, label: str = "刮开区", fill=(178, 178, 184)) -> None:
    """A silver scratch-off panel (lottery invoices): grey, speckled, with its label (static)."""
    x0, y0, x1, y1 = box
    c.rect(box, fill=fill, outline=(150, 150, 156), width=2)
    rng = random.Random(seed)
    for _ in range(int((x1 - x0) * (y1 - y0) / 90)):
        x, y = rng.uniform(x0 + 2, x1 - 2), rng.uniform(y0 + 2, y1 - 2)
        g = rng.randint(150, 215)
        c.line([(x, y), (x + 1, y)], fill=(g, g, g + 4))
    c.text(((x0 + x1) / 2, (y0 + y1) / 2), label, int(min(26, (y1 - y0) * 0.45)), face="hei",
           fill=(120, 120, 126), anchor="mm")


def code_and_number(c: Canvas, v: dict, xy, *, ink, step: float, value_dx: float, label_size: int = 20,
                    value_size: int = 22, code_fill=(30, 30, 30), number_fill=(180, 30, 40)) -> None:
    """发票代码 and 发票号码, each value after its label, one line under the other (preprinted)."""
    x, y = xy
    for i, (label, key, fill) in enumerate((("发票代码", "code", code_fill), ("发票号码", "number", number_fill))):
        c.text((x, y + i * step), label, label_size, face="hei", fill=ink)
        c.value((x + value_dx, y + i * step - 2), v[key], value_size, face="monob", fill=fill, form=True)
