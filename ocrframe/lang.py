"""Display language: how types, fields and summary rows are named in Chinese or English,
and the CJK font that draws them (matplotlib figures and HTML pages).

The one home of display names and fonts: drawing (:mod:`ocrframe.viz`), the figures and
the report of an evaluation (:mod:`ocrframe.evaluation`) all read them from here. The
CJK font ships inside the ``mplfonts`` package (Noto Sans CJK SC): no download, no
system font needed.

Examples
--------
>>> type_label("bankcard"), type_label("bankcard", "en"), type_label(None)
('银行卡', 'bankcard', '(无)')
>>> field_label("quota_invoice", "amount")
'定额发票·金额'
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import os
from functools import lru_cache
from typing import Any

import pandas as pd

from ._warn import renamed_keywords
from .types import REGISTRY, DocType

__all__ = ["LANGS", "NONE", "AVERAGES", "SUMMARY_ROWS", "check_lang", "type_label", "field_label", "with_zh",
           "check_matplotlib", "cjk_font", "cjk_rc", "font_face"]

#: the display languages: Chinese names, or the wire names
LANGS = ("zh", "en")
#: how the "no document" category is shown (the background label of type confusion)
NONE = "(none)"
#: the summary rows of a classification report, in scikit-learn's order
AVERAGES = ("micro avg", "macro avg", "weighted avg")
#: row labels of summary rows (averages and the pooled ``all``): no type name, set in bold
SUMMARY_ROWS = (*AVERAGES, "all")
#: the CJK font files of ``mplfonts``, the first one found wins
_FONT_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")


def check_lang(lang: str) -> str:
    """``lang`` when it is a display language, else a ``ValueError`` naming the allowed ones."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r}; allowed: {', '.join(repr(x) for x in LANGS)}")
    return lang


@renamed_keywords(labels="lang")
def type_label(t: Any, lang: str = "zh") -> str:
    """Display name of a document type: Chinese (``银行卡``) or the wire name.

    Examples
    --------
    >>> type_label("bankcard"), type_label("bankcard", "en")
    ('银行卡', 'bankcard')
    """
    check_lang(lang)
    if t is None or (isinstance(t, float) and math.isnan(t)) or str(t) == NONE:
        return "(无)" if lang == "zh" else NONE
    s = str(t)
    if lang == "en":
        return s
    try:
        return REGISTRY[DocType(s)].name_zh
    except ValueError:
        return s


def field_label(t: Any, field: str, lang: str = "zh") -> str:
    """Display name of a field of a type: ``类型·字段`` (a list row's field as
    ``列表·字段``), or ``type.field`` in English.

    Examples
    --------
    >>> field_label("vat_invoice", "item_list.amount"), field_label("bankcard", "card_number", "en")
    ('增值税发票·明细·金额', 'bankcard.card_number')
    """
    if check_lang(lang) == "en":
        return f"{t}.{field}"
    try:
        sch = REGISTRY[DocType(str(t))]
        name = sch.field(field).label_zh or field
        head = field.split(".")[0]
        lst = next((x for x in sch.lists if x.name == head and "." in field), None)
        if lst is not None and lst.label_zh:
            name = f"{lst.label_zh}·{name}"
    except (ValueError, KeyError):
        name = field
    return f"{type_label(t, 'zh')}·{name}"


def with_zh(df: pd.DataFrame) -> pd.DataFrame:
    """Insert the Chinese type name (``名称``) after a ``type`` index (blank on summary rows).

    Examples
    --------
    >>> with_zh(pd.DataFrame({"f1": [0.9, 0.8]}, index=pd.Index(["bankcard", "macro avg"], name="type")))
                名称   f1
    type               
    bankcard   银行卡  0.9
    macro avg       0.8
    """
    if df.index.name != "type" or not len(df):
        return df
    names = ["" if t in SUMMARY_ROWS else type_label(t, "zh") for t in df.index]
    return df.assign(**{"名称": names})[["名称", *df.columns]]


# ----------------------------------------------------------------------------- fonts
def check_matplotlib(caller: str):
    """``matplotlib.pyplot``, or an ImportError naming the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # pragma: no cover
        raise ImportError(f"{caller} needs matplotlib: pip install 'ocrframe[plot]'") from None
    import matplotlib.pyplot as plt

    return plt


def _font_path() -> str | None:
    """The CJK font file shipped in ``mplfonts``, or None when it is not installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    base = os.path.join(os.path.dirname(mplfonts.__file__), "fonts")
    return next((p for p in (os.path.join(base, n) for n in _FONT_FILES) if os.path.exists(p)), None)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Register the CJK font shipped in ``mplfonts`` with matplotlib; its family name.

    Returns None (and Chinese text may show as boxes) when ``mplfonts`` is absent.
    """
    path = _font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


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


#: the family name an HTML page's stylesheet uses for the embedded CJK font
HTML_FONT_FAMILY = "ocrframe CJK"


def font_face(text: str) -> str:
    """An ``@font-face`` rule embedding the CJK font of ``mplfonts``, subset to the
    characters of ``text`` (so Chinese renders on machines without CJK fonts, and the
    page stays self-contained). Empty when mplfonts or fontTools is missing."""
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    path = _font_path()
    if path is None or not path.endswith("NotoSansCJKsc-Regular.otf"):
        return ""
    chars = "".join(sorted(set(text) | set(map(chr, range(32, 127)))))
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = []
    opts.hinting = False
    opts.notdef_outline = True
    font = TTFont(path, lazy=True)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'{HTML_FONT_FAMILY}';src:url(data:font/otf;base64,{b64}) format('opentype');}}"
