"""The Huawei Cloud OCR auto-classification service as an ocrframe backend.

Examples
--------
Credentials from the environment variables the official SDK reads
(``HUAWEICLOUD_SDK_AK``, ``HUAWEICLOUD_SDK_SK``, ``HUAWEICLOUD_SDK_PROJECT_ID``,
optionally ``HUAWEICLOUD_SDK_SECURITY_TOKEN``)::

    >>> cloud = ocrframe.HuaweiCloud(region="cn-north-4")             # doctest: +SKIP
    >>> docs = df.ocr.classify(col="path", backend=cloud)              # doctest: +SKIP

or explicitly: ``HuaweiCloud(region=..., project_id=..., ak=..., sk=...)``, a ready IAM
token ``token=...``, or an IAM user ``username=..., password=..., domain=...`` whose token
is fetched, cached and refreshed before it expires.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from datetime import datetime
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlsplit

from ..contract import MAX_SIDE
from ..errors import ApiError, AuthenticationError
from ..secret import Secret, read_credentials_file, strip_userinfo
from ..types import Status
from .http.auth import AKSKAuth, TokenAuth
from .http.client import ContractClient
from .http.retry import RetryPolicy
from .http.transport import AttemptFailure, make_session, normalize_timeout, send

__all__ = ["HuaweiCloud", "IamTokenProvider", "ENV"]

log = logging.getLogger("ocrframe.backends")

#: the environment variables the official SDK documents (huaweicloudsdkcore 3.1.219:
#: auth/provider.py EnvCredentialProvider, auth/internal.py IamHelper, region/provider.py)
ENV = {
    "ak": "HUAWEICLOUD_SDK_AK",
    "sk": "HUAWEICLOUD_SDK_SK",
    "project_id": "HUAWEICLOUD_SDK_PROJECT_ID",
    "security_token": "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "iam_endpoint": "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    # the official SDK's credentials file (INI, section [basic]: ak, sk, project_id, security_token)
    "credentials_file": "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    # endpoint override per service and region, e.g. HUAWEICLOUD_SDK_REGION_OCR_CN_NORTH_4
    "endpoint_prefix": "HUAWEICLOUD_SDK_REGION_OCR_",
}
_PATH = "/v2/{project_id}/ocr/auto-classification"


def _https(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else "https://" + url


class IamTokenProvider:
    """An IAM user token (``POST /v3/auth/tokens``), cached and refreshed before expiry.

    Thread-safe: one thread fetches while the others wait for its token. The token is
    refreshed ``refresh_margin`` seconds before ``expires_at`` (at most half its life), and
    at once when the service answers 401 with it. If a refresh fails while the old token
    is still valid, the old one is kept.

    Parameters
    ----------
    iam_endpoint : str
        e.g. ``https://iam.cn-north-4.myhuaweicloud.com``.
    username, password, domain : str
        The IAM user, its password and the account (domain) name.
    project_id, project_name : str, optional
        The token's scope: the project id, or its name (the region, e.g. ``cn-north-4``).
    """

    def __init__(self, iam_endpoint: str, username: str, password: str | Secret, domain: str, *,
                 project_id: str | None = None, project_name: str | None = None,
                 timeout=(10.0, 30.0), retry: RetryPolicy | None = None, session=None,
                 refresh_margin: float = 3600.0, clock: Callable[[], float] = time.time, share: bool = False):
        if not (username and password and domain):
            raise ValueError("IAM password auth needs username, password and domain (the account name)")
        if not (project_id or project_name):
            raise ValueError("IAM password auth needs a project_id or a region to scope the token")
        self.iam_endpoint = _https(iam_endpoint)
        self.username = username
        self.domain = domain
        self._password = password if isinstance(password, Secret) else Secret(password, share=share)
        self.project_id = project_id
        self.project_name = project_name
        self.timeout = normalize_timeout(timeout)
        self.retry = retry or RetryPolicy()
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._session = session
        self._lock = threading.Lock()
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._refresh_at = 0.0
        self.fetches = 0

    def secrets(self) -> list:
        return [self._password] + ([self._token] if self._token else [])

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_lock"] = None
        state["_session"] = None
        state["_token"] = None  # each process fetches its own token; the password pickles as its Secret does
        state["_expires_at"] = state["_refresh_at"] = 0.0
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"IamTokenProvider({self.iam_endpoint!r}, username={self.username!r}, "
                f"domain={self.domain!r}, password='***')")

    def get(self) -> str:
        """A valid token, fetching one when none is cached or it is due for refresh."""
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._refresh_at:
                try:
                    self._fetch()
                except ApiError:
                    if self._token is not None and now < self._expires_at - 5:
                        log.warning("IAM token refresh failed; the current token is valid for %.0f s more",
                                    self._expires_at - now)
                        self._refresh_at = now + min(60.0, (self._expires_at - now) / 2)
                    else:
                        raise
            return self._token.reveal()

    def invalidate(self, token: str | None) -> bool:
        """Forget ``token`` (the one a 401 answered) so the next :meth:`get` fetches anew.

        Returns True when a new token may help: always, unless the same token keeps
        failing right after it was fetched by this very call chain.
        """
        with self._lock:
            if self._token is not None and (token is None or self._token.reveal() == token):
                self._token = None
            return True

    def _body(self) -> bytes:
        scope = {"project": {"id": self.project_id}} if self.project_id else {"project": {"name": self.project_name}}
        return json.dumps({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self.username, "password": self._password.reveal(), "domain": {"name": self.domain}}}},
            "scope": scope}}).encode("utf-8")

    def _fetch(self) -> None:

        if self._session is None:
            self._session = make_session(2)
        t0 = self._clock()

        def parse(resp):
            token = resp.headers.get("X-Subject-Token")
            if not token:
                raise AttemptFailure(
                    ApiError.of(Status.BAD_RESPONSE, "IAM answered without an X-Subject-Token header."), False)
            try:
                info = resp.json().get("token", {})
            except ValueError:
                info = {}
            return token, info

        try:
            token, info = send(self._session, "POST", f"{self.iam_endpoint}/v3/auth/tokens?nocatalog=true",
                               parse=parse, data=self._body(), headers={"Content-Type": "application/json;charset=utf8"},
                               timeout=self.timeout, policy=self.retry, secrets=[self._password])
        except AuthenticationError as e:
            raise AuthenticationError(
                e.code, f"IAM refused the password of user {self.username!r} in account {self.domain!r}: {e.message}",
                http_status=e.http_status, transient=False) from None
        self.fetches += 1
        self._token = Secret(token)
        expires = _parse_time(info.get("expires_at")) if isinstance(info, dict) else None
        life = (expires - time.time()) if expires else 3600.0  # unknown: assume an hour
        life = max(life, 1.0)
        self._expires_at = t0 + life
        self._refresh_at = t0 + life - min(self.refresh_margin, life / 2)
        project = info.get("project") if isinstance(info, dict) else None
        if not self.project_id and isinstance(project, dict) and project.get("id"):
            self.project_id = project["id"]
        log.debug("IAM token for %s valid %.0f s", self.username, life)


def _parse_time(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class HuaweiCloud(ContractClient):
    """Huawei Cloud OCR auto-classification (``POST /v2/{project_id}/ocr/auto-classification``).

    Parameters
    ----------
    region : str, optional
        e.g. ``"cn-north-4"``: gives the endpoint ``https://ocr.{region}.myhuaweicloud.com``
        and the IAM endpoint. Required unless ``endpoint`` is given.
    project_id : str, optional
        Defaults to ``HUAWEICLOUD_SDK_PROJECT_ID``; with password auth, the token's project.
    endpoint : str, optional
        Explicit service endpoint (``HUAWEICLOUD_SDK_REGION_OCR_<REGION>`` otherwise, as the SDK).
    token : str, optional
        A ready IAM token (sent as ``X-Auth-Token``; not refreshed).
    ak, sk : str, optional
        Access keys for ``SDK-HMAC-SHA256`` request signing (default: ``HUAWEICLOUD_SDK_AK`` /
        ``HUAWEICLOUD_SDK_SK``); ``security_token`` for temporary keys
        (``HUAWEICLOUD_SDK_SECURITY_TOKEN``).
    username, password, domain : str, optional
        An IAM user: its token is fetched from ``iam_endpoint`` and refreshed before expiry.
    iam_endpoint : str, optional
        Default ``HUAWEICLOUD_SDK_IAM_ENDPOINT`` or ``https://iam.{region}.myhuaweicloud.com``.
    credentials_file : str, optional
        The official SDK's credentials file (INI; section ``[basic]`` with ``ak``, ``sk``,
        optional ``project_id`` and ``security_token``); default
        ``HUAWEICLOUD_SDK_CREDENTIALS_FILE`` or ``~/.huaweicloud/credentials`` when no other
        credentials are found. Keys read from a file (or the environment) are re-read by
        every worker process; they never cross to it in clear.
    share_secrets : bool, default False
        Secrets given as arguments refuse to be pickled (process pools and Dask workers
        receive backends pickled); True lets them cross in clear. Prefer the environment
        or a credentials file.
    enterprise_project_id : str, optional
        Sent as ``Enterprise-Project-Id``.
    qps : float or None, default 10
        Client-side limit on requests per second, shared by all worker threads (retries
        count too). Set it to your account's quota for the API; None disables it. 10 is a
        conservative guess at the default quota (Huawei documents 10/s for several AI APIs),
        not a figure read for this API.
    burst : int, default 1
        Requests that may leave at once after a quiet spell (1: evenly spaced).
    timeout : float or (connect, read), default (10, 60)
    max_retries : int, default 3
        See :class:`~ocrframe.backends.http.RetryPolicy` (``retry=`` for all knobs).
    pool_size : int, optional
        Connections kept open; default ``max(16, default_workers)``; match the worker count.
    check_images : bool, default True
        Refuse images over the contract's limits before sending (codes ``AIS.0101``-``0103``).
    max_side : int, default 8000
        Longest accepted side in pixels, as in the original document; newer SDK text allows
        8192 (``max_side=ocrframe.contract.MAX_SIDE_NEWER``).

    Notes
    -----
    Exactly one way of authenticating may be given as arguments; with none, the SDK's
    environment variables are read. Secrets are never shown in reprs, logs or error
    messages, and never enter :attr:`identity` (the response store's key).
    """

    default_workers = 8

    def __init__(self, region: str | None = None, project_id: str | None = None, *, endpoint: str | None = None,
                 token: str | None = None, ak: str | None = None, sk: str | None = None,
                 security_token: str | None = None, username: str | None = None, password: str | None = None,
                 domain: str | None = None, iam_endpoint: str | None = None,
                 enterprise_project_id: str | None = None, qps: float | None = 10, burst: int = 1,
                 timeout=(10.0, 60.0),
                 max_retries: int = 3, retry: RetryPolicy | None = None, pool_size: int | None = None,
                 check_images: bool = True, max_side: int = MAX_SIDE, verify: bool | str = True,
                 trust_env: bool = True, token_refresh_margin: float = 3600.0,
                 env: Mapping[str, str] | None = None, credentials_file: str | None = None,
                 share_secrets: bool = False):
        environ = os.environ if env is None else env
        if endpoint is None and region is None:
            raise ValueError("HuaweiCloud needs region= (e.g. 'cn-north-4') or endpoint=")
        env = environ
        if endpoint is None:
            endpoint = env.get(ENV["endpoint_prefix"] + region.replace("-", "_").upper()) or \
                f"https://ocr.{region}.myhuaweicloud.com"
        self.region = region
        self.endpoint = _https(endpoint)
        self.project_id = project_id or env.get(ENV["project_id"]) or None

        given = [name for name, ok in (("token", token), ("ak/sk", ak or sk),
                                       ("username/password", username or password)) if ok]
        if len(given) > 1:
            raise ValueError(f"give one way to authenticate, got {' and '.join(given)}")
        given_env = env if env is not os.environ else None

        def secret(value):  # an argument: shared with workers only on request
            return None if not value else value if isinstance(value, Secret) else Secret(value, share=share_secrets)

        token, sk, security_token, password = map(secret, (token, sk, security_token, password))
        if not given:
            ak = env.get(ENV["ak"])
            sk = Secret.from_env(ENV["sk"], given_env)
            security_token = security_token or Secret.from_env(ENV["security_token"], given_env)
            path = credentials_file or env.get(ENV["credentials_file"])
            if not (ak and sk) and (path or env is os.environ):
                path = path or os.path.join(os.path.expanduser("~"), ".huaweicloud", "credentials")
                if os.path.isfile(path):
                    keys = read_credentials_file(path, "basic")
                    ak = keys.get("ak")
                    sk = Secret.from_file(path, "basic", "sk")
                    if keys.get("security_token"):
                        security_token = Secret.from_file(path, "basic", "security_token")
                    project_id = project_id or keys.get("project_id")
                    self.project_id = self.project_id or keys.get("project_id") or None
            if not (ak and sk):
                raise ValueError(
                    "HuaweiCloud needs credentials: token=, ak= and sk=, username=/password=/domain=, "
                    f"the environment variables {ENV['ak']} and {ENV['sk']}, or a credentials file "
                    f"({ENV['credentials_file']})")
        headers = {"Enterprise-Project-Id": enterprise_project_id} if enterprise_project_id else {}
        retry_policy = retry if retry is not None else RetryPolicy(max_retries=max_retries)
        self._provider = None
        if token:
            self.auth_method = "token"
            auth = TokenAuth(token, share=share_secrets)
        elif username or password:
            if region is None and iam_endpoint is None and not env.get(ENV["iam_endpoint"]):
                raise ValueError("password auth needs region= or iam_endpoint= to find IAM")
            iam = iam_endpoint or env.get(ENV["iam_endpoint"]) or f"https://iam.{region}.myhuaweicloud.com"
            self.auth_method = "iam-password"
            self._provider = IamTokenProvider(iam, username, password, domain, project_id=self.project_id,
                                              project_name=region, timeout=timeout, retry=retry_policy,
                                              refresh_margin=token_refresh_margin, share=share_secrets)
            auth = TokenAuth(self._provider)
        else:
            if not (ak and sk):
                raise ValueError("AK/SK signing needs both ak= and sk=")
            self.auth_method = "aksk"
            extra = {"X-Project-Id": self.project_id}
            if security_token:
                extra["X-Security-Token"] = security_token
            auth = AKSKAuth(ak, sk, extra_headers=extra, share=share_secrets)
        if self.project_id is None and self._provider is None:
            raise ValueError(f"HuaweiCloud needs project_id= (or {ENV['project_id']}) with {self.auth_method} auth")
        secrets = [s for s in (sk, security_token, password, token) if s]
        super().__init__(self.endpoint, auth=auth, timeout=timeout, retry=retry_policy, qps=qps, burst=burst,
                         pool_size=pool_size, check_images=check_images, max_side=max_side, headers=headers,
                         verify=verify, trust_env=trust_env, secrets=secrets, share_secrets=share_secrets)
        if self._provider is not None:
            self._provider._session = self._session
        host = urlsplit(self.endpoint).netloc
        #: the response store's key part: the service, never the credentials or project
        self.identity = f"huawei-cloud:{host}/v2/ocr/auto-classification"

    def _init_runtime(self):
        super()._init_runtime()
        if getattr(self, "_provider", None) is not None:
            self._provider._session = self._session

    def _url(self) -> str:
        pid = self.project_id
        if pid is None:  # password auth without a project id: the token names it
            self._provider.get()
            pid = self.project_id = self._provider.project_id
            if pid is None:
                raise ApiError.of(Status.INVALID_PARAMETER, "IAM did not name the token's project; pass project_id=")
        return self.endpoint + _PATH.format(project_id=quote(pid, safe=""))

    def __repr__(self) -> str:
        return (f"HuaweiCloud(region={self.region!r}, endpoint={strip_userinfo(self.endpoint)!r}, "
                f"project_id={self.project_id!r}, auth={self._auth!r}, qps={self.qps})")
