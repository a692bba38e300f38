"""Field correctness of matched documents: one row per true or predicted field.

For every TP pair of the matches frame the true and the predicted contents are
flattened to dotted keys (``item_list.0.amount``) and joined on the key. Rows of a
nested list (invoice items, flight segments) are first aligned row by row: the
predicted rows are assigned to the true rows that they resemble most (optimal
assignment on field similarity), so one missed item does not shift every later item
into an error.

Each row says whether the field is present on both sides, ``missing`` (a true value
the prediction lacks or left empty) or ``spurious`` (a predicted value with no true
value), whether it matches exactly, whether it matches after normalisation by the
field's kind (:mod:`ocrframe.normalize`), its character error rate against the true
value (Levenshtein distance / true length, via rapidfuzz) and the predicted
confidence.

Examples
--------
>>> from ocrframe.evaluate._testing import docs
>>> from ocrframe.evaluate.matching import match_documents
>>> truth = docs({"a": [("quota_invoice", (0, 0, 10, 10),
...     {"code": "131001", "amount": "￥50.00", "location": "上海"})]}, labels=True)
>>> pred = docs({"a": [("quota_invoice", (0, 0, 10, 10),
...     {"code": "131007", "amount": "50元", "number": "12",
...      "confidence": {"code": 0.7, "amount": 0.99, "number": 0.5}})]})
>>> f = field_table(match_documents(pred, truth), pred, truth)
>>> f[["field", "true_value", "pred_value", "presence"]]
      field true_value pred_value  presence
0      code     131001     131007      both
1    amount     ￥50.00        50元      both
2  location         上海        NaN   missing
3    number        NaN         12  spurious
>>> f[["exact", "normalized", "cer", "confidence"]]
   exact  normalized       cer  confidence
0  False       False  0.166667        0.70
1  False        True  0.666667        0.99
2  False       False  1.000000         NaN
3  False       False       NaN        0.50
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..frames import flatten_content
from ..normalize import normalize_many
from ..types import FieldKind, REGISTRY, DocType

__all__ = ["field_table", "field_summary", "align_list_rows", "cer"]

PRESENCE_DTYPE = pd.CategoricalDtype(["both", "missing", "spurious"])
_ROW = re.compile(r"\.\d+(?=\.|$)")


def cer(true: Sequence[Any], pred: Sequence[Any]) -> np.ndarray:
    """Character error rate of aligned strings: Levenshtein distance / len(true).

    An empty true string gives 0 when the prediction is empty too, else NaN.

    >>> cer(["张三丰", "abc", ""], ["张三", "abd", ""]).round(4)
    array([0.3333, 0.3333, 0.    ])
    """
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cpdist

    t = ["" if v is None else str(v) for v in true]
    p = ["" if v is None else str(v) for v in pred]
    if len(t) != len(p):
        raise ValueError(f"cer: {len(t)} true strings but {len(p)} predicted")
    if not t:
        return np.empty(0)
    d = np.asarray(cpdist(t, p, scorer=Levenshtein.distance, workers=-1), dtype=float)
    n = np.fromiter((len(s) for s in t), dtype=float, count=len(t))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 0, d / np.maximum(n, 1), np.where(d == 0, 0.0, np.nan))
    return out


def _row_similarity(t: dict, p: dict) -> float:
    from rapidfuzz.fuzz import ratio

    keys = set(t) | set(p)
    if not keys:
        return 0.0
    return sum(ratio(str(t.get(k, "")), str(p.get(k, ""))) for k in keys) / (100.0 * len(keys))


def align_list_rows(true_rows: list, pred_rows: list) -> list[int]:
    """For each predicted row, the index of the true row it is matched to.

    Rows are assigned one to one maximising summed field similarity (rapidfuzz ratio);
    predicted rows left over get indices after the last true row.

    >>> align_list_rows([{"name": "笔"}, {"name": "纸"}, {"name": "墨"}], [{"name": "纸"}, {"name": "墨"}])
    [1, 2]
    """
    from scipy.optimize import linear_sum_assignment

    nt, npr = len(true_rows), len(pred_rows)
    if nt == 0 or npr == 0:
        return list(range(nt, nt + npr))
    s = np.array([[_row_similarity(t if isinstance(t, dict) else {"": t}, p if isinstance(p, dict) else {"": p})
                   for t in true_rows] for p in pred_rows])
    # prefer the positional pairing on ties
    s += 1e-9 * (np.arange(npr)[:, None] == np.arange(nt)[None, :])
    r, c = linear_sum_assignment(s, maximize=True)
    out = [-1] * npr
    for i, j in zip(r, c):
        out[i] = int(j)
    nxt = nt
    for i in range(npr):
        if out[i] < 0:
            out[i] = nxt
            nxt += 1
    return out


def _realign(pc: dict, tc: dict) -> dict:
    """The predicted content with its list rows moved to the positions of their true rows."""
    lists = [k for k, v in pc.items() if isinstance(v, list) and k != "confidence" and isinstance(tc.get(k), list)]
    if not lists:
        return pc
    out = dict(pc)
    conf = dict(pc.get("confidence") or {}) if isinstance(pc.get("confidence"), dict) else {}
    for k in lists:
        rows = pc[k]
        pos = align_list_rows(tc[k], rows)
        if pos == list(range(len(rows))):
            continue
        n = max(pos) + 1 if pos else 0
        new_rows: list = [{} for _ in range(n)]
        crow = conf.get(k)
        new_conf: list = [{} for _ in range(n)]
        for i, j in enumerate(pos):
            new_rows[j] = rows[i]
            if isinstance(crow, list) and i < len(crow):
                new_conf[j] = crow[i]
        out[k] = new_rows
        if isinstance(crow, list):
            conf[k] = new_conf
    if conf:
        out["confidence"] = conf
    return out


def _present(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, float) and np.isnan(v):
        return False
    return str(v).strip() != ""


_KIND_CACHE: dict[tuple[str, str], str] = {}


def _kind_of(doc_type: Any, group: str) -> str:
    key = (str(doc_type), group)
    k = _KIND_CACHE.get(key)
    if k is None:
        try:
            k = REGISTRY[DocType(str(doc_type))].kind_of(group).value
        except ValueError:
            k = FieldKind.TEXT.value
        _KIND_CACHE[key] = k
    return k


def field_table(matches: pd.DataFrame, pred: pd.DataFrame, truth: pd.DataFrame, *,
                on: str | Sequence[str] = "path", align_lists: bool = True) -> pd.DataFrame:
    """The long field-correctness frame for the matched (TP) documents.

    Parameters
    ----------
    matches : DataFrame
        From :func:`~ocrframe.evaluate.matching.match_documents` on ``pred`` / ``truth``.
    pred, truth : DataFrame
        The documents frames that were matched.
    on : str or list of str, default "path"
        The image key columns carried over from ``matches``.
    align_lists : bool, default True
        Align nested list rows by similarity before comparing (else by position).

    Returns
    -------
    DataFrame
        The key, ``pred`` / ``truth`` (row positions), ``true_type``, ``pred_type``,
        ``field`` (dotted key), ``field_group`` (the key without row numbers,
        ``item_list.amount``), ``kind``, ``true_value``, ``pred_value``,
        ``confidence``, ``presence`` (both / missing / spurious), ``exact``,
        ``normalized``, ``cer``, ``true_norm``, ``pred_norm``.
    """
    cols = [on] if isinstance(on, str) else list(on)
    tp = matches[matches["outcome"].to_numpy() == "TP"]
    prow = tp["pred"].to_numpy(dtype=np.int64)
    trow = tp["truth"].to_numpy(dtype=np.int64)
    pcont = pred["content"].to_numpy()[prow]
    tcont = truth["content"].to_numpy()[trow]

    pair: list[int] = []
    keys: list[str] = []
    tvals: list[Any] = []
    pvals: list[Any] = []
    confs: list[float] = []
    nan = float("nan")
    for k in range(len(tp)):
        tc = tcont[k] or {}
        pc = pcont[k] or {}
        if align_lists and pc and tc:
            pc = _realign(pc, tc)
        pd_ = {f: (v, c) for f, v, c in flatten_content(pc)} if pc else {}
        for f, v, _c in (flatten_content(tc) if tc else ()):
            pv, pconf = pd_.pop(f, (None, None))
            pair.append(k)
            keys.append(f)
            tvals.append(v)
            pvals.append(pv)
            confs.append(nan if pconf is None else pconf)
        for f, (pv, pconf) in pd_.items():
            pair.append(k)
            keys.append(f)
            tvals.append(None)
            pvals.append(pv)
            confs.append(nan if pconf is None else pconf)

    pair_a = np.asarray(pair, dtype=np.intp)
    n = len(pair_a)
    tv = np.empty(n, dtype=object)
    tv[:] = tvals
    pv = np.empty(n, dtype=object)
    pv[:] = pvals
    fields = pd.Series(np.asarray(keys, dtype=object))
    # per distinct key: group name; per distinct (type, group): kind
    fcodes, funiq = pd.factorize(fields, sort=False)
    groups_u = np.array([_ROW.sub("", f) for f in funiq], dtype=object)
    group = groups_u[fcodes] if n else np.empty(0, dtype=object)
    ttype = tp["true_type"].to_numpy()[pair_a] if n else np.empty(0, dtype=object)
    ptype = tp["pred_type"].to_numpy()[pair_a] if n else np.empty(0, dtype=object)
    tt_str = pd.Series(ttype, dtype=object).astype(str).to_numpy()
    combo = pd.Series(tt_str + "\x1f" + group.astype(str)) if n else pd.Series([], dtype=object)
    ccodes, cuniq = pd.factorize(combo, sort=False)
    kinds_u = np.array([_kind_of(*c.split("\x1f", 1)) for c in cuniq], dtype=object)
    kind = kinds_u[ccodes] if n else np.empty(0, dtype=object)

    tpres = np.fromiter((_present(v) for v in tv), dtype=bool, count=n)
    ppres = np.fromiter((_present(v) for v in pv), dtype=bool, count=n)
    keep = tpres | ppres
    sel = np.flatnonzero(keep)
    tv, pv, kind, group, tpres, ppres = tv[sel], pv[sel], kind[sel], group[sel], tpres[sel], ppres[sel]
    pair_a = pair_a[sel]
    fields_arr = fields.to_numpy()[sel]
    conf_arr = np.asarray(confs, dtype=float)[sel]
    tv = np.where(tpres, tv, None)
    pv = np.where(ppres, pv, None)

    presence = np.where(tpres & ppres, 0, np.where(tpres, 1, 2)).astype(np.int8)
    tnorm = normalize_many(tv, kind)
    pnorm = normalize_many(pv, kind)
    both = presence == 0
    tstr = np.array(["" if v is None else str(v) for v in tv], dtype=object)
    pstr = np.array(["" if v is None else str(v) for v in pv], dtype=object)
    exact = both & (tstr == pstr)
    normalized = both & (tnorm == pnorm)
    cer_v = np.full(len(tv), np.nan)
    cer_v[presence == 1] = 1.0
    if both.any():
        cer_v[both] = cer(tstr[both], pstr[both])

    base = tp.iloc[pair_a]
    out = base[cols].reset_index(drop=True)
    out["pred"] = base["pred"].to_numpy()
    out["truth"] = base["truth"].to_numpy()
    out["true_type"] = base["true_type"].to_numpy()
    out["pred_type"] = base["pred_type"].to_numpy()
    out["field"] = fields_arr
    out["field_group"] = group
    out["kind"] = kind
    out["true_value"] = tv
    out["pred_value"] = pv
    out["confidence"] = np.where(ppres, conf_arr, np.nan)
    out["presence"] = pd.Categorical.from_codes(presence, dtype=PRESENCE_DTYPE)
    out["exact"] = exact
    out["normalized"] = normalized
    out["cer"] = cer_v
    out["true_norm"] = tnorm
    out["pred_norm"] = pnorm
    return out


def field_summary(fields: pd.DataFrame, *, by: str = "field") -> pd.DataFrame:
    """Accuracy per field (or per type / overall) from :func:`field_table`.

    Parameters
    ----------
    by : {"field", "type", "all"}, default "field"
        ``field`` groups by (true type, field group), ``type`` by true type.

    Returns
    -------
    DataFrame
        ``n`` (rows), ``n_true`` (true values), ``exact`` and ``normalized`` accuracy
        (over the true values), ``missing`` / ``spurious`` counts, ``mean_cer``,
        ``mean_confidence``.
    """
    keys = _by_columns(by)
    f = fields.assign(_t=(fields["presence"] != "spurious").to_numpy(),
                      _m=(fields["presence"] == "missing").to_numpy(),
                      _s=(fields["presence"] == "spurious").to_numpy(),
                      _true_type=fields["true_type"].astype(str))
    f["_e"] = f["exact"] & f["_t"]
    f["_n"] = f["normalized"] & f["_t"]
    g = f.groupby(keys, sort=True, observed=True) if keys else f.groupby(np.zeros(len(f), int))
    out = pd.DataFrame({
        "n": g.size(),
        "n_true": g["_t"].sum(),
        "exact": g["_e"].sum() / g["_t"].sum().replace(0, np.nan),
        "normalized": g["_n"].sum() / g["_t"].sum().replace(0, np.nan),
        "missing": g["_m"].sum(),
        "spurious": g["_s"].sum(),
        "mean_cer": g["cer"].mean(),
        "mean_confidence": g["confidence"].mean(),
    })
    if not keys:
        out.index = pd.Index(["all"], name="scope")[: len(out)]
    else:
        out.index = out.index.set_names(["type", "field"][: len(keys)] if by != "type" else ["type"])
    return out


_BY = {"field": ["_true_type", "field_group"], "type": ["_true_type"], "all": []}


def _by_columns(by: str) -> list[str]:
    if by not in _BY:
        raise ValueError(f"by={by!r}; allowed: {', '.join(repr(b) for b in _BY)}")
    return _BY[by]
