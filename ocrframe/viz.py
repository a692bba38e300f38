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

from ._warn import warn_missing_files
from .types import REGISTRY, DocType, Status

__all__ = ["cjk_font", "cjk_rc", "type_label", "load_rgb", "type_colors", "DocumentsDisplay", "Thumbnails"]

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
    import matplotlib.pyplot as plt

    # select the backend outside the rc context: in a notebook, loading the inline backend
    # turns interactive mode on, and leaving the context would turn it off again, so
    # every later figure would silently not be shown
    getattr(plt, "_get_backend_mod", lambda: None)()
    interactive = mpl.is_interactive()

    fam = cjk_font()
    rc = {"axes.unicode_minus": False}
    if fam:
        rc["font.sans-serif"] = [fam, *[f for f in mpl.rcParams["font.sans-serif"] if f != fam]]
        # a concrete family list is stored in each Text's FontProperties at creation, so
        # the figure still finds the CJK font when drawn outside this context
        rc["font.family"] = [fam, "sans-serif"]
    try:
        with mpl.rc_context(rc):
            yield
            interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


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


def _ink(color) -> str:
    """Black or white text, whichever reads better on ``color`` (tab20 has light shades)."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "white"


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
        warn_missing_files([k for k, img, _ in groups if img is None], "drawn as grey placeholders")
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
                            problems.append(f"{r['status']}: {r.get('status_msg', '')}")
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
                    ax.text(q[0, 0], q[0, 1] - 6, text, color=_ink(c), fontsize=8, va="bottom",
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


class Thumbnails:
    """Each document cropped and straightened, with its type, status and first fields, as HTML.

    A notebook shows it as a grid of cards (``_repr_html_``); prefer ``docs.ocr.thumbnails()``.
    The crops are small JPEGs embedded in the page; an image that cannot be read shows an
    empty card, a failed image its error code.

    Examples
    --------
    >>> from ocrframe.datasets import load_sample
    >>> images, truth = load_sample()
    >>> html = Thumbnails.from_frame(truth.head(2))._repr_html_()
    >>> html.count("<figure"), "data:image/jpeg;base64," in html
    (2, True)
    """

    def __init__(self, cards: list[dict]):
        self.cards = cards

    @classmethod
    def from_frame(cls, docs: pd.DataFrame, *, col: str = "path", max_docs: int = 24, height: int = 110,
                   n_fields: int = 3, labels: str = "zh") -> "Thumbnails":
        """Crop the first ``max_docs`` rows of a documents frame (``col`` holds the image paths)."""
        import base64
        import io

        from .geometry import rectify

        if col not in docs.columns:
            raise KeyError(f"column {col!r} not in the frame; pass col= naming the image path column")
        cards = []
        cache: dict = {}
        missing = []
        for _, r in docs.head(max_docs).iterrows():
            key = r[col]
            if key not in cache:
                cache = {key: load_rgb(key)}  # one image at a time: rows of an image are adjacent
                if cache[key] is None:
                    missing.append(key)
            img, src = cache[key], None
            loc = r.get("location")
            if img is not None and loc is not None:
                try:
                    crop = rectify(img, loc, keep_order=True)  # upright along the document's own corners
                    from PIL import Image

                    pil = Image.fromarray(crop)
                    pil.thumbnail((int(height * 2.2), height))
                    buf = io.BytesIO()
                    pil.save(buf, format="JPEG", quality=80)
                    src = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
                except Exception:  # noqa: BLE001 - a thumbnail is not worth a crash
                    src = None
            content = r.get("content") if isinstance(r.get("content"), dict) else {}
            fields = [(k, v) for k, v in content.items() if k != "confidence" and isinstance(v, (str, int, float))]
            name = os.path.basename(str(key)) if isinstance(key, (str, os.PathLike)) else str(key)[:30]
            doc = r.get("doc")
            cards.append({"src": src, "image": name, "doc": None if pd.isna(doc) else int(doc),
                          "type": type_label(r.get("type"), labels) if doc is not None and not pd.isna(doc) else "",
                          "status": str(r.get("status")), "msg": str(r.get("status_msg") or ""),
                          "fields": fields[:n_fields], "height": height})
        warn_missing_files(missing, "shown as empty cards")
        return cls(cards)

    def _repr_html_(self) -> str:
        import html as _html

        out = ["<div style='display:flex;flex-wrap:wrap;gap:8px;font-family:sans-serif;font-size:12px'>"]
        for c in self.cards:
            ok = c["status"] == Status.OK.code
            border = "#4a4" if ok else "#d33"
            out.append(f"<figure style='margin:0;padding:4px;border:1px solid {border};border-radius:4px;"
                       f"width:{int(c['height'] * 2.2)}px'>")
            if c["src"]:
                out.append(f"<img src='{c['src']}' style='max-width:100%;max-height:{c['height']}px;display:block'>")
            else:
                out.append(f"<div style='height:{c['height'] // 2}px;background:#eee'></div>")
            head = f"<b>{_html.escape(c['type'])}</b> " if c["type"] else ""
            where = f"{c['image']} #{c['doc']}" if c["doc"] is not None else c["image"]
            out.append(f"<figcaption>{head}<span style='color:#666'>{_html.escape(where)}</span>")
            if not ok:
                out.append(f"<br><span style='color:#d33'>{_html.escape(c['status'])}: "
                           f"{_html.escape(c['msg'][:80])}</span>")
            for k, v in c["fields"]:
                out.append(f"<br><span style='color:#666'>{_html.escape(str(k))}</span> {_html.escape(str(v)[:40])}")
            out.append("</figcaption></figure>")
        out.append("</div>")
        return "".join(out)

    def __repr__(self) -> str:
        return f"<Thumbnails: {len(self.cards)} documents (shown as HTML in a notebook)>"
