"""What a client did, counted: calls, retries, waits, errors and the documents the service bills.

Answers served from the response store are not calls and are not counted here.
"""

from __future__ import annotations

import collections
import threading
from typing import Mapping

from ...types import Status

__all__ = ["CallStats", "billable_documents", "estimate_cost"]


class CallStats:
    """Thread-safe counters of what a backend did in this process (the bill's evidence).

    ``billable_documents`` counts documents with status ``AIS.0000`` in answers actually
    received (answers served from the response store are not calls and are not billed);
    ``unreadable_answers`` counts 2xx answers whose body could not be read: the service
    may have billed them.
    """

    _FIELDS = ("images", "succeeded", "failed", "requests", "retries", "throttled",
               "documents", "billable_documents", "unreadable_answers", "token_refreshes")

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._c = dict.fromkeys(self._FIELDS, 0)
            self._errors: collections.Counter = collections.Counter()
            self._waited = 0.0

    def add(self, **counts: int) -> None:
        with self._lock:
            for k, v in counts.items():
                self._c[k] += v

    def error(self, code: str) -> None:
        with self._lock:
            self._c["failed"] += 1
            self._errors[code] += 1

    def waited(self, seconds: float) -> None:
        with self._lock:
            self._waited += seconds

    def snapshot(self) -> dict:
        """A plain dict: counts, ``errors`` by code, ``wait_seconds`` (limiter + backoff)."""
        with self._lock:
            out = dict(self._c)
            out["errors"] = dict(self._errors)
            out["wait_seconds"] = round(self._waited, 3)
            return out

    def since(self, before: dict) -> dict:
        """What happened after ``before`` (an earlier :meth:`snapshot`): one run's figures.

        Examples
        --------
        >>> s = CallStats(); s.add(requests=2); before = s.snapshot()
        >>> s.add(requests=3, billable_documents=4); s.error("AIS.0103")
        >>> d = s.since(before); d["requests"], d["billable_documents"], d["errors"]
        (3, 4, {'AIS.0103': 1})
        """
        now = self.snapshot()
        out = {k: now[k] - before.get(k, 0) for k in self._FIELDS}
        errs = {k: v - before.get("errors", {}).get(k, 0) for k, v in now["errors"].items()}
        out["errors"] = {k: v for k, v in errs.items() if v}
        out["wait_seconds"] = round(now["wait_seconds"] - before.get("wait_seconds", 0.0), 3)
        return out

    def __getitem__(self, key: str):
        return self.snapshot()[key]

    def __repr__(self) -> str:
        s = self.snapshot()
        return f"CallStats(images={s['images']}, requests={s['requests']}, billable_documents={s['billable_documents']})"


def billable_documents(body: Mapping) -> int:
    """Documents the service bills for in one 200 answer: those with status ``AIS.0000``.

    Examples
    --------
    >>> ok = {"status": {"error_code": "AIS.0000"}}; bad = {"status": {"error_code": "AIS.0104"}}
    >>> billable_documents({"result": [ok, ok, bad]})
    2
    """
    result = body.get("result") if isinstance(body, Mapping) else None
    if not isinstance(result, list):
        return 0
    ok = Status.OK.code
    return sum(1 for d in result if isinstance(d, Mapping) and isinstance(d.get("status"), Mapping)
               and d["status"].get("error_code") == ok)


def estimate_cost(n_images: int, *, docs_per_image: float = 1.0, price_per_1000: float) -> float:
    """A budget before a run: images x documents per image x price per 1 000 documents.

    Only successfully recognised documents are billed, so this is an upper bound when
    ``docs_per_image`` counts every document on the images. Look the price up on the
    provider's pricing page; ocrframe does not ship prices.

    Examples
    --------
    >>> estimate_cost(20_000, docs_per_image=1.5, price_per_1000=25.0)
    750.0
    """
    if n_images < 0 or docs_per_image < 0 or price_per_1000 < 0:
        raise ValueError("n_images, docs_per_image and price_per_1000 must be >= 0")
    return round(n_images * docs_per_image * price_per_1000 / 1000.0, 6)
