"""What the fake cloud does with each request: faults, fault plans, deterministic answers.

:class:`Fault` is one request's fate (a throttle, a 5xx, a dropped connection, a body cut
off or garbled, a stall, an ``AIS`` error, or exactly the bytes given); a :class:`FaultPlan`
picks faults for a share of first attempts, deterministically per image; :func:`answer_for`
is the 200 body for an image key; :class:`Record` is one request as the server saw it.

Examples
--------
>>> plan = FaultPlan(rate=1.0, seed=3)
>>> plan("img-key", 1) is not None, plan("img-key", 3)
(True, None)
>>> [d["status"]["error_code"] for d in answer_for("0123456789abcdef")["result"]][:1]
['AIS.0000']
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

__all__ = ["Fault", "FaultPlan", "Record", "answer_for"]


_TYPES = ("quota_invoice", "taxi_invoice", "train_ticket", "bankcard", "toll_invoice")


@dataclass(frozen=True)
class Fault:
    """What the server does with one request."""

    kind: str = "ok"  # ok | status | drop | truncate | stall | garbage | html | raw
    status: int = 200
    code: str | None = None
    message: str = ""
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes = b""  # for "raw": the exact body sent with `status`

    @classmethod
    def ok(cls, delay: float = 0.0) -> "Fault":
        return cls("ok", delay=delay)

    @classmethod
    def throttle(cls, retry_after: str | None = "1") -> "Fault":
        return cls("status", 429, "APIGW.0308", "The request is throttled.", retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> "Fault":
        return cls("status", status, "AIS.0500", "Internal server error.")

    @classmethod
    def html(cls, status: int = 502) -> "Fault":
        return cls("html", status)

    @classmethod
    def api_error(cls, code: str = "AIS.0103", status: int = 400,
                  message: str = "The image size does not meet the requirements.") -> "Fault":
        return cls("status", status, code, message)

    @classmethod
    def drop(cls) -> "Fault":
        return cls("drop")

    @classmethod
    def truncate(cls) -> "Fault":
        return cls("truncate")

    @classmethod
    def stall(cls, delay: float) -> "Fault":
        """Headers and half the body, then ``delay`` seconds of silence, then the connection closes."""
        return cls("stall", delay=delay)

    @classmethod
    def garbage(cls) -> "Fault":
        return cls("garbage")

    @classmethod
    def raw(cls, status: int, body: bytes, retry_after: str | None = None) -> "Fault":
        """Answer ``status`` with exactly ``body`` (a hostile or malformed answer)."""
        return cls("raw", status, retry_after=retry_after, body=body)

    @classmethod
    def slow(cls, delay: float) -> "Fault":
        return cls("ok", delay=delay)


class FaultPlan:
    """Fail a share of *first* attempts, in mixed ways, deterministically per image.

    ``FaultPlan(rate=0.2, seed=1)(key, attempt)`` gives a fault for about 20 % of keys on
    their first attempt (and a second fault for a quarter of those on their second
    attempt), None otherwise. All faults here are recoverable by a retrying client.
    """

    KINDS = ("throttle", "server_error", "unavailable", "drop", "truncate", "garbage", "html")

    def __init__(self, rate: float = 0.2, seed: int = 0, kinds=KINDS, retry_after: str = "0"):
        self.rate = rate
        self.seed = seed
        self.kinds = tuple(kinds)
        self.retry_after = retry_after

    def _fault(self, kind: str) -> Fault:
        return {
            "throttle": Fault.throttle(self.retry_after),
            "server_error": Fault.server_error(500),
            "unavailable": Fault.server_error(503),
            "drop": Fault.drop(),
            "truncate": Fault.truncate(),
            "garbage": Fault.garbage(),
            "html": Fault.html(502),
        }[kind]

    def __call__(self, key: str, attempt: int) -> Fault | None:
        rng = random.Random(f"{self.seed}:{key}")
        if rng.random() >= self.rate:
            return None
        first, second, again = rng.choice(self.kinds), rng.choice(self.kinds), rng.random() < 0.25
        if attempt == 1:
            return self._fault(first)
        if attempt == 2 and again:
            return self._fault(second)
        return None


def answer_for(key: str) -> dict:
    """The deterministic 200 body for an image key: 1-3 documents, some not recognised."""
    h = hashlib.sha256(key.encode()).digest()
    n = 1 + h[0] % 3
    docs = []
    for i in range(n):
        failed = h[1] % 4 == 0 and i == n - 1
        x0 = 10 + 300 * i
        doc = {
            "status": {"error_code": "AIS.0104" if failed else "AIS.0000",
                       "error_msg": "The image is not supported or the image quality is poor." if failed
                       else "Succeeded."},
            "type": _TYPES[(h[2] + i) % len(_TYPES)],
            "location": [[x0, 20], [x0 + 280, 20], [x0 + 280, 200], [x0, 200]],
            "content": {} if failed else {"code": f"{h[3 + i]:03d}{key[:6]}", "number": key[6:14],
                                          "amount": f"￥{h[6] % 100}.00", "location": "上海",
                                          "confidence": {"code": 0.97, "number": 0.95, "amount": 0.99,
                                                         "location": 0.9}},
        }
        docs.append(doc)
    return {"result": docs}


@dataclass
class Record:
    """One request as the server saw it."""

    t: float
    path: str
    key: str | None
    attempt: int
    fault: str
    status: int | None  # None: no answer (dropped)
    auth: str  # none | token | aksk | iam
    headers: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # the request body without image/url
