"""Any server that speaks the contract (``ocrframe serve``, a gateway, a mock) as a backend.

Examples
--------
>>> svc = HTTPService("http://127.0.0.1:8000")
>>> svc.url
'http://127.0.0.1:8000/v2/ocrframe/ocr/auto-classification'
>>> svc.identity
'http:127.0.0.1:8000/v2/ocrframe/ocr/auto-classification'
>>> svc = HTTPService("http://user:pw@10.0.0.5:8080/v1.0/ocr/auto-classification")
>>> svc.url, "pw" in repr(vars(svc))
('http://10.0.0.5:8080/v1.0/ocr/auto-classification', False)
>>> svc
HTTPService('http://10.0.0.5:8080/v1.0/ocr/auto-classification', auth=BasicAuth('user', password='***'), qps=None)
"""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote, unquote, urlsplit

from ...contract import MAX_SIDE
from ...secret import Secret, strip_userinfo
from .auth import AKSKAuth, BasicAuth, TokenAuth
from .client import ContractClient
from .retry import RetryPolicy

__all__ = ["HTTPService"]

_SUFFIX = "/ocr/auto-classification"


class HTTPService(ContractClient):
    """A contract-speaking server at ``base_url``, with the cloud client's retries and limits.

    Parameters
    ----------
    base_url : str
        ``http(s)://host:port`` (requests go to ``/v2/{project_id}/ocr/auto-classification``)
        or a full URL ending in ``/ocr/auto-classification`` (used as is).
    project_id : str, default "ocrframe"
        The path's project segment.
    token : str, optional
        Sent as ``X-Auth-Token``.
    ak, sk : str, optional
        Sign requests with ``SDK-HMAC-SHA256`` instead. (``user:password@`` in ``base_url``
        becomes HTTP basic auth; the password, like ``token`` and ``sk``, is kept as a
        :class:`~ocrframe.secret.Secret`.)
    share_secrets : bool, default False
        Let the secrets be pickled in clear (process pools, Dask); see :mod:`ocrframe.secret`.
    qps : float, optional
        Client-side limit on requests per second (all threads); None = unlimited.
    timeout, max_retries, retry, pool_size, check_images, max_side, headers, verify, trust_env
        As for :class:`~ocrframe.backends.huawei.HuaweiCloud`.
    """

    default_workers = 8

    def __init__(self, base_url: str, project_id: str = "ocrframe", *, token: str | None = None,
                 ak: str | None = None, sk: str | None = None, qps: float | None = None, burst: int = 1,
                 timeout=(10.0, 60.0), max_retries: int = 3, retry: RetryPolicy | None = None,
                 pool_size: int | None = None, check_images: bool = True, max_side: int = MAX_SIDE,
                 headers: Mapping[str, str] | None = None, verify: bool | str = True, trust_env: bool = True,
                 share_secrets: bool = False):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http(s) URL such as 'http://127.0.0.1:8000', got {base_url!r}")
        if token and (ak or sk):
            raise ValueError("give token= or ak=/sk=, not both")
        base = base_url.rstrip("/")
        if parts.path.rstrip("/").endswith(_SUFFIX):
            url = base
        else:
            url = f"{base}/v2/{quote(project_id, safe='')}{_SUFFIX}"
        if parts.password is not None and (token or ak or sk):
            raise ValueError("give one way to authenticate: user:password@ in the URL, token= or ak=/sk=")
        if token:
            auth = TokenAuth(token, share=share_secrets)
        elif ak or sk:
            auth = AKSKAuth(ak, sk, extra_headers={"X-Project-Id": project_id}, share=share_secrets)
        elif parts.username is not None:
            auth = BasicAuth(unquote(parts.username), Secret(unquote(parts.password or ""), share=share_secrets))
        else:
            auth = None
        url = strip_userinfo(url)
        self.url = url
        self.project_id = project_id
        super().__init__(url, auth=auth, timeout=timeout, max_retries=max_retries, retry=retry, qps=qps,
                         burst=burst, pool_size=pool_size, check_images=check_images, max_side=max_side,
                         headers=headers, verify=verify, trust_env=trust_env, share_secrets=share_secrets)
        clean = urlsplit(strip_userinfo(url))
        #: the response store's key part: the server and path (no credentials)
        self.identity = f"http:{clean.netloc}{clean.path}"

    def __repr__(self) -> str:
        return f"HTTPService({strip_userinfo(self.url)!r}, auth={self._auth!r}, qps={self.qps})"

