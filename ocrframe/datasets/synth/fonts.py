"""Fonts for the synthetic renderer: CJK faces from ``mplfonts``, monospace from matplotlib.

Nothing is downloaded: both packages ship their font files inside the wheel.
Faces are loaded once per (face, size) and cached.

Examples
--------
>>> from ocrframe.datasets.synth.fonts import font
>>> font("sans", 24).size
24
"""

from __future__ import annotations

import functools
import os

__all__ = ["FACES", "font", "font_path"]

#: face name -> (package, relative file) ; "sans"/"serif"/"hei" are CJK, "mono" is Latin
FACES = {
    "sans": ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),
    "serif": ("mplfonts", "fonts/NotoSerifCJKsc-Regular.otf"),
    "hei": ("mplfonts", "fonts/SimHei.ttf"),
    "monocjk": ("mplfonts", "fonts/NotoSansMonoCJKsc-Regular.otf"),
    "mono": ("matplotlib", "mpl-data/fonts/ttf/DejaVuSansMono.ttf"),
    "monob": ("matplotlib", "mpl-data/fonts/ttf/DejaVuSansMono-Bold.ttf"),
    "latin": ("matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf"),
    "latinb": ("matplotlib", "mpl-data/fonts/ttf/DejaVuSans-Bold.ttf"),
}


@functools.lru_cache(maxsize=None)
def font_path(face: str) -> str:
    """The file of a font face, from the package that ships it.

    Raises ``ImportError`` naming the ``synth`` extra when the package is missing.
    """
    try:
        package, rel = FACES[face]
    except KeyError:
        raise ValueError(f"unknown font face {face!r}; known: {', '.join(FACES)}") from None
    try:
        mod = __import__(package)
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(f"the synthetic generator needs {package}: pip install 'ocrframe[synth]'") from exc
    path = os.path.join(os.path.dirname(mod.__file__), rel)
    if not os.path.exists(path):  # pragma: no cover
        raise FileNotFoundError(f"font {face!r} not found at {path}")
    return path


@functools.lru_cache(maxsize=512)
def font(face: str, size: int):
    """A cached ``PIL.ImageFont.FreeTypeFont`` for ``face`` at ``size`` pixels."""
    from PIL import ImageFont

    return ImageFont.truetype(font_path(face), int(size))
