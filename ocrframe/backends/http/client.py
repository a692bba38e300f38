"""The contract client: one image in, the service's answer (or its error code) out.

:class:`ContractClient` checks the image against the contract's limits, builds the body,
sends it through :func:`~.transport.send` (one ``requests.Session`` whose pool is sized to
the worker count, the shared :class:`~.retry.RateLimiter`, the :class:`~.retry.RetryPolicy`),
reads the answer and counts it in :class:`~.stats.CallStats`.
:class:`~ocrframe.backends.huawei.HuaweiCloud` and :class:`~.service.HTTPService` only add
endpoints and credentials.
"""

from __future__ import annotations

import json
import threading
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from ...contract import MAX_BASE64_BYTES, MAX_SIDE, MIN_SIDE, ImageInput, Limits, RequestOptions, build_body, check_image
from ...errors import ApiError, AuthenticationError
from ...secret import Secret, scrub
from ...types import Status
from .retry import RateLimiter, RetryPolicy
from .stats import CallStats, billable_documents
from .transport import AttemptFailure, error_from_body, make_session, normalize_timeout, send

__all__ = ["ContractClient"]


class ContractClient:
    """The client logic shared by the HTTP backends (see :mod:`ocrframe.backends.http`).

    Subclasses set ``identity``, pass the request URL and an auth object, and may override
    :meth:`_url`. Thread-safe: one object serves every worker thread.
    """

    parallelism = "thread"
    default_workers = 8
    _runtime = ("_session", "_limiter", "_lock", "stats")

    def __init__(self, url: str, *, auth=None, timeout=(10.0, 60.0), max_retries: int = 3,
                 retry: RetryPolicy | None = None, qps: float | None = None, burst: int = 1,
                 pool_size: int | None = None, check_images: bool = True, max_side: int = MAX_SIDE,
                 min_side: int = MIN_SIDE, max_base64_bytes: int = MAX_BASE64_BYTES,
                 headers: Mapping[str, str] | None = None, verify: bool | str = True,
                 trust_env: bool = True, secrets: Iterable = (), share_secrets: bool = False):
        self._url_value = url
        self.share_secrets = share_secrets
        self._auth = auth
        self.timeout = normalize_timeout(timeout)
        self.retry = retry if retry is not None else RetryPolicy(max_retries=max_retries)
        self.qps = qps
        self.burst = burst
        self.pool_size = pool_size or max(self.default_workers, 16)
        self.check_images = check_images
        self.limits = Limits(min_side=min_side, max_side=max_side, max_base64_bytes=max_base64_bytes)
        self._headers = {"Content-Type": "application/json;charset=UTF-8", **(headers or {})}
        self._verify = verify
        self._trust_env = trust_env
        self._static_secrets = [x if isinstance(x, Secret) else Secret(x, share=share_secrets) for x in secrets if x]
        self.stats = CallStats()
        self._init_runtime()

    def _init_runtime(self):
        self._lock = threading.Lock()
        self._session = make_session(self.pool_size, verify=self._verify, trust_env=self._trust_env)
        self._limiter = RateLimiter(self.qps, self.burst)

    # pickling (process pools, Dask): the session, locks and limiter are rebuilt per process
    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in self._runtime}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.stats = CallStats()
        self._init_runtime()

    def __dask_tokenize__(self):
        # Dask hashes graph objects; never by pickling the credentials
        return (type(self).__name__, self.identity, repr(self.timeout), repr(self.retry), self.qps)

    def resize_pool(self, workers: int) -> None:
        """Grow the connection pool to ``workers`` connections (call before a batch starts)."""
        with self._lock:
            if workers > self.pool_size:
                old = self._session
                self.pool_size = workers
                self._session = make_session(workers, verify=self._verify, trust_env=self._trust_env)
                old.close()

    def close(self) -> None:
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _url(self) -> str:
        return self._url_value

    @property
    def _secrets(self) -> list:
        """Values to scrub from messages: given secrets plus the auth's current ones."""
        extra = self._auth.secrets() if hasattr(self._auth, "secrets") else []
        return self._static_secrets + list(extra)

    def _parse_answer(self, resp) -> dict:
        try:
            obj = json.loads(resp.content)
        except (ValueError, UnicodeDecodeError) as e:
            self.stats.add(unreadable_answers=1)
            raise AttemptFailure(ApiError.of(
                Status.BAD_RESPONSE,
                f"HTTP {resp.status_code} answer of {len(resp.content)} bytes is not valid JSON ({e}); not retried "
                "in this run: the service may have recognised (and billed) it. A later run asks again.",
                http_status=resp.status_code), True, unreadable=True) from None
        if isinstance(obj, dict) and isinstance(obj.get("result"), list):
            return obj
        if isinstance(obj, dict) and "error_code" in obj:
            code, msg = error_from_body(resp.content) or (Status.BAD_RESPONSE.code, "")
            raise AttemptFailure(ApiError(code, scrub(msg, self._secrets) or None), False)
        self.stats.add(unreadable_answers=1)
        got = type(obj).__name__ if not isinstance(obj, dict) else "keys " + ", ".join(map(str, list(obj)[:5]))
        raise AttemptFailure(ApiError.of(
            Status.BAD_RESPONSE, f"HTTP {resp.status_code} answer has no 'result' list (got {got}); not retried in "
                                 "this run: the service may have billed it. A later run asks again."),
            True, unreadable=True)

    def recognize(self, image: ImageInput, options: RequestOptions) -> dict:
        """POST one image; the 200 body as a dict, or :class:`ApiError` with the service's code."""
        self.stats.add(images=1)
        try:
            if image.data is not None:
                if self.check_images:
                    check_image(image.data, image.name, self.limits)
            else:
                _check_url(image.url, image.name)
            body = build_body(image, options)
            answer = send(self._session, "POST", self._url(), parse=self._parse_answer, data=body,
                          headers=self._headers, auth=self._auth, timeout=self.timeout, policy=self.retry,
                          limiter=self._limiter, stats=self.stats, secrets=self._secrets)
        except AuthenticationError as e:
            self.stats.error(e.code)
            if not getattr(e, "_explained", False):
                # the batch stops on this one error: say which client and what to check
                e.message = f"{e.message} -- every image would fail the same way; check the credentials, " \
                            f"permissions and project of {self!r}"
                e.args = (f"{e.code}: {e.message}",)
                e._explained = True
            raise
        except ApiError as e:
            self.stats.error(e.code)
            raise
        except Exception as e:  # a bug or an odd input must not kill the batch
            self.stats.error(Status.BACKEND_ERROR.code)
            raise ApiError.of(Status.BACKEND_ERROR,
                              scrub(f"{type(e).__name__}: {e}", self._secrets), transient=True) from None
        n = billable_documents(answer)
        self.stats.add(succeeded=1, documents=len(answer["result"]), billable_documents=n)
        return answer


def _check_url(url: str, name: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError.of(Status.INVALID_PARAMETER,
                          f"{name}: the service downloads http(s) URLs only (OBS gives https URLs), got {url!r}.")
