"""Drawing: Chinese-capable fonts for matplotlib, and documents drawn over their images.

The CJK font ships inside the ``mplfonts`` package (Noto Sans CJK SC), registered with
matplotlib on first use: no download, no system font needed.

Examples
--------
>>> import ocrframe
>>> from ocrframe.datasets import load_sample
>>> images, truth = load_sample()
>>> disp = DocumentsDisplay.from_frame(truth[truth["image"] == truth["image"].iloc[0]]).plot()
>>> len(disp.axes_), len(disp.quads_) >= 1
(1, True)
"""

from __future__ import annotations

import contextlib
import math
import os
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .types import REGISTRY, DocType, Status

__all__ = ["cjk_font", "cjk_rc", "type_label", "load_rgb", "type_colors", "DocumentsDisplay"]

_LABELS = {"zh", "en"}
#: how the "no document" category is shown
NONE = "(none)"


def check_matplotlib(caller: str):
    """``matplotlib.pyplot``, or an ImportError naming the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # pragma: no cover
        raise ImportError(f"{caller} needs matplotlib: pip install 'ocrframe[plot]'") from None
    import matplotlib.pyplot as plt

    return plt


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Register the CJK font shipped in ``mplfonts`` with matplotlib; its family name.

    Returns None (and Chinese text may show as boxes) when ``mplfonts`` is absent.
    """
    try:
        import mplfonts
    except ImportError:
        return None
    from matplotlib import font_manager

    base = os.path.join(os.path.dirname(mplfonts.__file__), "fonts")
    for name in ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf"):
        path = os.path.join(base, name)
        if os.path.exists(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


@contextlib.contextmanager
def cjk_rc():
    """A matplotlib rc context whose sans-serif font renders Chinese."""
    import matplotlib as mpl

    fam = cjk_font()
    rc = {"axes.unicode_minus": False}
    if fam:
        rc["font.sans-serif"] = [fam, *[f for f in mpl.rcParams["font.sans-serif"] if f != fam]]
        # a concrete family list is stored in each Text's FontProperties at creation, so
        # the figure still finds the CJK font when drawn outside this context
        rc["font.family"] = [fam, "sans-serif"]
    with mpl.rc_context(rc):
        yield


def type_label(t: Any, labels: str = "zh") -> str:
    """Display name of a document type: Chinese (``银行卡``) or the wire name.

    Examples
    --------
    >>> type_label("bankcard"), type_label("bankcard", "en")
    ('银行卡', 'bankcard')
    """
    if labels not in _LABELS:
        raise ValueError(f"labels={labels!r}; allowed: 'zh', 'en'")
    if t is None or (isinstance(t, float) and math.isnan(t)) or str(t) == NONE:
        return "(无)" if labels == "zh" else NONE
    s = str(t)
    if labels == "en":
        return s
    try:
        return REGISTRY[DocType(s)].name_zh
    except ValueError:
        return s


def load_rgb(path: Any) -> np.ndarray | None:
    """An image file as an RGB array, or None when it is missing or unreadable."""
    if path is None or not isinstance(path, (str, os.PathLike)) or not os.path.exists(path):
        return None
    try:
        from PIL import Image

        with Image.open(path) as im:
            return np.asarray(im.convert("RGB"))
    except Exception:  # noqa: BLE001 - a picture is not worth a crash
        return None


def type_colors() -> dict[str, tuple]:
    """One stable colour per document type (tab20, in registry order)."""
    plt = check_matplotlib("type_colors")
    cmap = plt.get_cmap("tab20")
    return {t.value: cmap(i % 20) for i, t in enumerate(DocType)}


class DocumentsDisplay:
    """Documents drawn over their images: quads, types and statuses (and truth, dashed).

    Compute with :meth:`from_frame`, draw with :meth:`plot` (scikit-learn's Display
    pattern). Prefer ``docs.ocr.plot()``.

    Parameters
    ----------
    groups : list of (key, image array or None, DataFrame)
        One entry per image: its rows of the documents frame.
    truth_groups : dict, optional
        Per key, the truth rows to draw dashed.
    """

    def __init__(self, groups: list, truth_groups: dict | None = None):
        self.groups = groups
        self.truth_groups = truth_groups or {}

    @classmethod
    def from_frame(cls, docs: pd.DataFrame, *, col: str = "path", truth: pd.DataFrame | None = None,
                   max_images: int = 12) -> "DocumentsDisplay":
        """Group a documents frame by image (``col``), at most ``max_images`` of them."""
        if col not in docs.columns:
            raise KeyError(f"column {col!r} not in the frame; pass col= naming the image path column")
        keys = list(dict.fromkeys(docs[col].tolist()))[:max_images]
        groups = [(k, load_rgb(k), docs[docs[col] == k]) for k in keys]
        truth_groups = {}
        if truth is not None:
            if col not in truth.columns:
                raise KeyError(f"truth has no column {col!r} to match images by")
            truth_groups = {k: truth[truth[col] == k] for k in keys}
        return cls(groups, truth_groups)

    def plot(self, *, axes=None, ncols: int | None = None, labels: str = "zh", line_kw: dict | None = None,
             text_kw: dict | None = None, figsize: tuple | None = None) -> "DocumentsDisplay":
        """Draw; returns self with ``figure_``, ``axes_`` and ``quads_`` (the patches)."""
        plt = check_matplotlib("DocumentsDisplay.plot")
        from matplotlib.patches import Polygon

        n = max(1, len(self.groups))
        ncols = ncols or min(n, 3)
        nrows = math.ceil(n / ncols)
        colors = type_colors()
        with cjk_rc():
            if axes is None:
                fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (5.5 * ncols, 4.5 * nrows), squeeze=False)
                axes = list(axes.ravel())
            else:
                axes = list(np.atleast_1d(axes).ravel())
                fig = axes[0].figure
            self.quads_ = []
            for ax, (key, img, rows) in zip(axes, self.groups):
                if img is not None:
                    ax.imshow(img)
                else:
                    ax.set_facecolor("#eee")
                    ax.invert_yaxis()
                for _, r in self.truth_groups.get(key, pd.DataFrame()).iterrows():
                    if r.get("location") is not None:
                        ax.add_patch(Polygon(np.asarray(r["location"], float), closed=True, fill=False,
                                             ls="--", lw=1.2, ec="white"))
                problems = []
                for _, r in rows.iterrows():
                    loc = r["location"]
                    if loc is None:
                        if r["status"] != Status.OK.code:
                            problems.append(f"{r['status']}: {r['status_msg']}")
                        continue
                    q = np.asarray(loc, float)
                    c = colors.get(str(r["type"]), "red")
                    patch = Polygon(q, closed=True, fill=False, lw=2.2, ec=c, **(line_kw or {}))
                    ax.add_patch(patch)
                    self.quads_.append(patch)
                    ax.plot(*q[0], "o", color=c, ms=5)  # the document's own top-left corner
                    text = type_label(r["type"], labels)
                    if r["status"] != Status.OK.code:
                        text += f" [{r['status']}]"
                    ax.text(q[0, 0], q[0, 1] - 6, text, color="white", fontsize=8, va="bottom",
                            bbox=dict(fc=c, ec="none", pad=1.5), **(text_kw or {}))
                name = os.path.basename(str(key)) if isinstance(key, (str, os.PathLike)) else str(key)[:30]
                found = int(rows["doc"].notna().sum())
                title = f"{name}: {found} 个票证" if labels == "zh" else f"{name}: {found} documents"
                if problems:
                    title += "\n" + "; ".join(problems)[:80]
                ax.set_title(title, fontsize=9)
                ax.set_xticks([])
                ax.set_yticks([])
            for ax in axes[len(self.groups):]:
                ax.axis("off")
            fig.tight_layout()
        self.figure_, self.axes_ = fig, axes[: len(self.groups)]
        return self
