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
>>> from ocrframe.testing.frames import docs
>>> from ocrframe.evaluation.matching import match_documents
>>> truth = docs({"a": [("quota_invoice", (0, 0, 10, 10),
...     {"code": "131001", "amount": "￥50.00", "location": "上海"})]}, truth=True)
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

import gc
import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..normalize import normalize_many
from ..types import FieldKind, REGISTRY, DocType
from .groups import SCOPE, group_columns, output_names

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


def _realign_list(t_rows: list, p_rows: list, c_rows: Any) -> tuple[list, Any]:
    """Predicted list rows (and their confidence rows) moved to their true rows' positions."""
    if len(t_rows) == len(p_rows) and all(
            isinstance(t, dict) and isinstance(p, dict) and any(t.get(k) == v for k, v in p.items())
            for t, p in zip(t_rows, p_rows)):
        return p_rows, c_rows  # positional pairing already agrees row by row
    pos = align_list_rows(t_rows, p_rows)
    if pos == list(range(len(p_rows))):
        return p_rows, c_rows
    n = max(pos) + 1 if pos else 0
    rows: list = [{} for _ in range(n)]
    crows: list = [{} for _ in range(n)]
    for i, j in enumerate(pos):
        rows[j] = p_rows[i]
        if isinstance(c_rows, list) and i < len(c_rows):
            crows[j] = c_rows[i]
    return rows, (crows if isinstance(c_rows, list) else c_rows)


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


def _flatten_all(tcont: np.ndarray, pcont: np.ndarray, align_lists: bool):
    """Flatten true and predicted contents of every pair (keys as :func:`~ocrframe.frames.flatten_content`).

    Flat contents (no nested lists or objects: most documents) are appended a whole
    dict at a time with C-level ``extend``/``map``, keeping their ``confidence`` entry
    for the caller to drop; nested ones are unrolled inline.
    """
    from itertools import repeat

    nan = float("nan")
    t_pair: list[int] = []
    t_key: list[str] = []
    t_val: list[Any] = []
    p_pair: list[int] = []
    p_key: list[str] = []
    p_val: list[Any] = []
    p_conf: list[Any] = []
    tpa, tka, tva = t_pair.append, t_key.append, t_val.append
    ppa, pka, pva, pca = p_pair.append, p_key.append, p_val.append, p_conf.append

    def cnum(c):
        return c if isinstance(c, (int, float)) and not isinstance(c, bool) else nan

    for k in range(len(tcont)):
        tc = tcont[k]
        pc = pcont[k]
        if tc:
            ts = set(map(type, tc.values()))
            if list in ts or dict in ts:
                for key, v in tc.items():
                    if key == "confidence":
                        continue
                    if type(v) is list:
                        for i, row in enumerate(v):
                            if type(row) is dict:
                                pre = f"{key}.{i}."
                                for kk, vv in row.items():
                                    tpa(k)
                                    tka(pre + kk)
                                    tva(vv)
                            else:
                                tpa(k)
                                tka(f"{key}.{i}")
                                tva(row)
                    elif type(v) is dict:
                        for kk, vv in v.items():
                            tpa(k)
                            tka(f"{key}.{kk}")
                            tva(vv)
                    else:
                        tpa(k)
                        tka(key)
                        tva(v)
            else:
                t_pair.extend(repeat(k, len(tc)))
                t_key.extend(tc.keys())
                t_val.extend(tc.values())
        if pc:
            conf = pc.get("confidence")
            if not isinstance(conf, dict):
                conf = {}
            ps = set(map(type, pc.values()))
            if dict in ps and len(ps) == 1 + (str in ps) and "confidence" in pc and \
                    sum(type(v) is dict for v in pc.values()) == 1:
                ps = ps - {dict}  # the only dict is the confidence object: flat
            if list in ps or dict in ps:
                for key, v in pc.items():
                    if key == "confidence":
                        continue
                    c = conf.get(key)
                    if type(v) is list:
                        if align_lists and tc and type(tc.get(key)) is list:
                            v, c = _realign_list(tc[key], v, c)
                        clist = c if type(c) is list else ()
                        for i, row in enumerate(v):
                            crow = clist[i] if i < len(clist) else None
                            if type(row) is dict:
                                pre = f"{key}.{i}."
                                cd = crow if type(crow) is dict else {}
                                for kk, vv in row.items():
                                    ppa(k)
                                    pka(pre + kk)
                                    pva(vv)
                                    pca(cnum(cd.get(kk)))
                            else:
                                ppa(k)
                                pka(f"{key}.{i}")
                                pva(row)
                                pca(cnum(crow))
                    elif type(v) is dict:
                        cd = c if type(c) is dict else {}
                        for kk, vv in v.items():
                            ppa(k)
                            pka(f"{key}.{kk}")
                            pva(vv)
                            pca(cnum(cd.get(kk)))
                    else:
                        ppa(k)
                        pka(key)
                        pva(v)
                        pca(cnum(c))
            else:
                p_pair.extend(repeat(k, len(pc)))
                p_key.extend(pc.keys())
                p_val.extend(pc.values())
                p_conf.extend(map(conf.get, pc.keys(), repeat(nan)))
    return t_pair, t_key, t_val, p_pair, p_key, p_val, p_conf


def _obj(values) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def _present_mask(v: np.ndarray) -> np.ndarray:
    s = pd.Series(v, dtype=object)
    ok = s.notna().to_numpy().copy()
    if ok.any():
        txt = s[ok].astype(str).str.strip()
        ok[ok] = (txt != "").to_numpy()
    return ok


def _conf_array(raw) -> np.ndarray:
    if isinstance(raw, np.ndarray) and raw.dtype == np.float64:
        return raw
    try:
        out = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        out = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=np.float64)
    return out


def field_table(matches: pd.DataFrame, pred: pd.DataFrame, truth: pd.DataFrame, *,
                on: str | Sequence[str] = "path", align_lists: bool = True) -> pd.DataFrame:
    """The long field-correctness frame for the matched (TP) documents.

    Parameters
    ----------
    matches : DataFrame
        From :func:`~ocrframe.evaluation.matching.match_documents` on ``pred`` / ``truth``.
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
        ``normalized``, ``cer``, and ``true_norm`` / ``pred_norm`` (the normalised
        values, given where both are present and the raw values differ). One row per
        field that has a value on at least one side; true fields first, then the
        spurious ones, per document.
    """
    cols = [on] if isinstance(on, str) else list(on)
    tp = matches[matches["outcome"].to_numpy() == "TP"]
    prow = tp["pred"].to_numpy(dtype=np.int64)
    trow = tp["truth"].to_numpy(dtype=np.int64)
    pcont = pred["content"].to_numpy()[prow]
    tcont = truth["content"].to_numpy()[trow]
    # millions of small new objects: the cyclic GC would rescan every live content dict
    # again and again (superlinear time); none of them form cycles
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        t_pair, t_key, t_val, p_pair, p_key, p_val, p_conf = _flatten_all(tcont, pcont, align_lists)
    finally:
        if gc_was_on:
            gc.enable()

    # join true and predicted fields on (pair, key) with integer keys
    nt, npr = len(t_key), len(p_key)
    kcodes, kuniq = pd.factorize(np.asarray(t_key + p_key, dtype=object), sort=False)
    conf_code = np.flatnonzero(np.asarray(kuniq, dtype=object) == "confidence")
    if len(conf_code):  # the flat fast path kept the ``confidence`` entries: drop them
        drop = kcodes == conf_code[0]
        kt, kp = ~drop[:nt], ~drop[nt:]
        t_pair = np.asarray(t_pair, dtype=np.int64)[kt]
        t_val = _obj(t_val)[kt]
        p_pair = np.asarray(p_pair, dtype=np.int64)[kp]
        p_val = _obj(p_val)[kp]
        p_conf = _conf_array(p_conf)[kp]
        kcodes = np.concatenate([kcodes[:nt][kt], kcodes[nt:][kp]])
        nt, npr = int(kt.sum()), int(kp.sum())
    K = max(len(kuniq), 1)
    tk = np.asarray(t_pair, dtype=np.int64) * K + kcodes[:nt]
    pk = np.asarray(p_pair, dtype=np.int64) * K + kcodes[nt:]
    order = np.argsort(pk, kind="stable")
    pks = pk[order]
    pos = np.searchsorted(pks, tk)
    hit = pos < len(pks)
    hit[hit] = pks[pos[hit]] == tk[hit]
    t_match = np.where(hit, order[np.minimum(pos, max(len(pks) - 1, 0))], -1) if len(pks) else np.full(nt, -1)
    p_used = np.zeros(npr, bool)
    p_used[t_match[t_match >= 0]] = True
    spur = np.flatnonzero(~p_used)

    tvals, pvals, pconf = _obj(t_val), _obj(p_val), _conf_array(p_conf)
    kuniq = np.asarray(kuniq, dtype=object)
    n = nt + len(spur)
    pair = np.concatenate([np.asarray(t_pair, dtype=np.int64), np.asarray(p_pair, dtype=np.int64)[spur]])
    key = np.concatenate([kcodes[:nt], kcodes[nt:][spur]])
    tv = np.concatenate([tvals, np.full(len(spur), None, dtype=object)])
    pidx = np.concatenate([t_match, spur])
    pv = np.where(pidx >= 0, pvals[np.maximum(pidx, 0)] if npr else None, None).astype(object)
    conf = np.where(pidx >= 0, pconf[np.maximum(pidx, 0)] if npr else np.nan, np.nan)
    seq = np.arange(n)
    ordr = np.lexsort((seq, pair))  # per pair: its true fields, then its spurious ones
    pair, key, tv, pv, conf = pair[ordr], key[ordr], tv[ordr], pv[ordr], conf[ordr]

    tpres, ppres = _present_mask(tv), _present_mask(pv)
    keep = np.flatnonzero(tpres | ppres)
    pair, key, tv, pv, conf, tpres, ppres = (x[keep] for x in (pair, key, tv, pv, conf, tpres, ppres))
    tv = np.where(tpres, tv, None)
    pv = np.where(ppres, pv, None)

    # field group and kind from integer codes
    groups_u = np.array([_ROW.sub("", f) for f in kuniq], dtype=object)
    gcodes_u, guniq = pd.factorize(groups_u, sort=False)
    gcode = gcodes_u[key] if len(key) else np.empty(0, np.intp)
    ttypes = pd.Categorical(tp["true_type"])
    tcode = ttypes.codes.astype(np.int64)[pair] if len(pair) else np.empty(0, np.int64)
    G = max(len(guniq), 1)
    combo = tcode * G + gcode
    cu, cinv = np.unique(combo, return_inverse=True)
    cats = np.asarray(ttypes.categories, dtype=object)
    kinds_u = np.array([_kind_of(cats[c // G] if c >= 0 else "", guniq[c % G]) for c in cu], dtype=object)
    kind = kinds_u[cinv.reshape(-1)] if len(combo) else np.empty(0, dtype=object)

    presence = np.where(tpres & ppres, 0, np.where(tpres, 1, 2)).astype(np.int8)
    both = presence == 0
    exact = both.copy()
    if both.any():
        exact[both] = tv[both] == pv[both]
        diff = np.flatnonzero(both & ~exact)
        # str() for the rare non-string value that equals as text
        exact[diff] = [str(a) == str(b) for a, b in zip(tv[diff], pv[diff])]
    todo = np.flatnonzero(both & ~exact)
    tnorm = np.full(len(tv), None, dtype=object)
    pnorm = np.full(len(tv), None, dtype=object)
    normalized = exact.copy()
    cer_v = np.where(presence == 1, 1.0, np.where(exact, 0.0, np.nan))
    if len(todo):
        tnorm[todo] = normalize_many(tv[todo], kind[todo])
        pnorm[todo] = normalize_many(pv[todo], kind[todo])
        normalized[todo] = tnorm[todo] == pnorm[todo]
        cer_v[todo] = cer(tv[todo], pv[todo])

    base = tp.iloc[pair]
    out = base[cols].reset_index(drop=True)
    out["pred"] = base["pred"].to_numpy()
    out["truth"] = base["truth"].to_numpy()
    out["true_type"] = base["true_type"].to_numpy()
    out["pred_type"] = base["pred_type"].to_numpy()
    out["field"] = pd.Categorical.from_codes(key.astype(np.int64), categories=pd.Index(kuniq, dtype=object)) \
        if len(kuniq) else pd.Categorical([])
    out["field_group"] = pd.Categorical.from_codes(gcode.astype(np.int64), categories=pd.Index(guniq, dtype=object)) \
        if len(guniq) else pd.Categorical([])
    out["kind"] = pd.Categorical(kind, categories=[k.value for k in FieldKind])
    out["true_value"] = tv
    out["pred_value"] = pv
    out["confidence"] = np.where(ppres, conf, np.nan)
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
    keys = group_columns(by)
    f = fields.assign(_t=(fields["presence"] != "spurious").to_numpy(),
                      _m=(fields["presence"] == "missing").to_numpy(),
                      _s=(fields["presence"] == "spurious").to_numpy(),
                      true_type=fields["true_type"].astype(str))
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
        out.index = pd.Index(["all"], name=SCOPE)[: len(out)]
    else:
        out.index = out.index.set_names(output_names(keys))
    return out
