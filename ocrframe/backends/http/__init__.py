"""The HTTP clients: :class:`HTTPService` (any server speaking the contract) and what
:class:`~ocrframe.backends.huawei.HuaweiCloud` shares with it.

One file per job:

================  ==========================================================================
``retry.py``      :class:`RetryPolicy` (when and how long to wait), :class:`RateLimiter`
                  (the QPS limit every worker thread shares)
``transport.py``  :func:`make_session` (one ``requests.Session``, one pool), :func:`send`
                  (the send loop with retries) and the mapping of faults to error codes
``auth.py``       :class:`TokenAuth` (fixed or refreshed IAM tokens), :class:`BasicAuth`,
                  :class:`AKSKAuth` (``SDK-HMAC-SHA256`` signing)
``stats.py``      :class:`CallStats` (calls, retries, waits, billed documents),
                  :func:`billable_documents`, :func:`estimate_cost`
``client.py``     :class:`ContractClient`: image checks, body, send, answer, statistics
``service.py``    :class:`HTTPService`
================  ==========================================================================

Retries are done in one loop (:func:`send`), not by urllib3's ``Retry``: every attempt must
pass the shared QPS limiter and be counted, a 401 may refresh an IAM token once, and the
rule about *what* may be retried depends on whether the service may already have done (and
billed) the work:

===========================================  =========  ================================
fault                                        retried?   why
===========================================  =========  ================================
connection refused / DNS / connect timeout   yes        never reached the service
connection dropped before any answer         yes        no answer to keep
429 (``Retry-After`` honoured), 500/502/     yes        the service says "later"
503/504
2xx whose body is cut off or not JSON        **no**     it arrived, so it may be billed:
                                                        an error row a later run retries;
                                                        ``retry_unreadable_answers`` opts
                                                        in; counted in
                                                        ``stats["unreadable_answers"]``
read timeout (request sent, no answer yet)   **no**     it may still be recognised and
                                                        billed; ``retry_read_timeouts``
                                                        opts in
4xx (``AIS.0101``..``AIS.0105``...)          no         the same request fails again
401 / 403 (gateway, IAM, service not         no         :class:`AuthenticationError`:
enabled)                                                the batch stops
===========================================  =========  ================================

Secrets (tokens, secret keys, passwords) live in :class:`~ocrframe.secret.Secret` wrappers,
never appear in a repr or ``vars()``, and every message built from a response or an exception
is scrubbed of them (:func:`ocrframe.secret.scrub`). A client crosses to a worker process
without its secrets in clear: those read from the environment or a credentials file are
re-read there, others refuse to be pickled unless the client was built with
``share_secrets=True``.

Examples
--------
>>> from ocrframe.backends.http import HTTPService, RetryPolicy, estimate_cost
>>> HTTPService("http://127.0.0.1:8000", retry=RetryPolicy(max_retries=1)).retry.max_retries
1
>>> estimate_cost(1_000, price_per_1000=25.0)
25.0
"""

from __future__ import annotations

from .auth import AKSKAuth, BasicAuth, TokenAuth
from .client import ContractClient
from .retry import RateLimiter, RetryPolicy, parse_retry_after
from .service import HTTPService
from .stats import CallStats, billable_documents, estimate_cost
from .transport import AttemptFailure, error_from_body, make_session, map_http_error, normalize_timeout, send

__all__ = [
    "HTTPService", "ContractClient", "RetryPolicy", "RateLimiter", "parse_retry_after", "CallStats",
    "billable_documents", "estimate_cost", "TokenAuth", "BasicAuth", "AKSKAuth", "make_session", "send",
    "normalize_timeout", "AttemptFailure", "error_from_body", "map_http_error",
]
