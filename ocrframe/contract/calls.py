"""The one way to call a backend: :func:`call_backend` never raises and gives an
:class:`Outcome` (plain data that crosses process boundaries); the process-pool helpers."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ApiError, AuthenticationError
from ..types import Status
from .requests import ImageInput, RequestOptions


@dataclass(frozen=True)
class Outcome:
    """What one backend call gave, as plain data (it crosses process boundaries).

    ``kind`` is ``"ok"`` (``body`` is the 200 answer), ``"error"`` (a request-level
    :class:`ApiError`: ``code``, ``message``, ``http_status``, ``transient``), ``"auth"``
    (credentials refused: the batch stops) or ``"crash"`` (the backend raised something
    else, or answered no ``result`` list: a bug, never a dead batch or server).
    """

    kind: str
    body: dict | None = None
    code: str | None = None
    message: str | None = None
    http_status: int | None = None
    transient: bool = False

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def error(self) -> ApiError:
        """The failure as an exception (``AuthenticationError`` for ``"auth"``)."""
        if self.kind == "ok":
            raise ValueError("a successful outcome has no error")
        cls = AuthenticationError if self.kind == "auth" else ApiError
        return cls(self.code, self.message, http_status=self.http_status, transient=self.transient)


def call_backend(backend, image: ImageInput, options: RequestOptions) -> Outcome:
    """Call ``backend.recognize(image, options)``; never raises.

    Examples
    --------
    >>> class Broken:
    ...     identity = "broken"
    ...     def recognize(self, image, options):
    ...         raise KeyError("county")
    >>> o = call_backend(Broken(), ImageInput("a", data=b"x"), RequestOptions())
    >>> o.kind, o.code, o.message
    ('crash', 'OCRFRAME.0007', "The backend failed unexpectedly: KeyError: 'county'")
    """
    try:
        body = backend.recognize(image, options)
    except AuthenticationError as e:
        return Outcome("auth", code=e.code, message=e.message, http_status=e.http_status, transient=False)
    except ApiError as e:
        return Outcome("error", code=e.code, message=e.message, http_status=e.http_status, transient=e.transient)
    except Exception as e:  # a backend bug must not kill a batch or a server
        return Outcome("crash", code=Status.BACKEND_ERROR.code,
                       message=f"{Status.BACKEND_ERROR.message[:-1]}: {type(e).__name__}: {str(e)[:300]}",
                       http_status=500, transient=True)
    if not isinstance(body, dict) or not isinstance(body.get("result"), list):
        got = type(body).__name__ if not isinstance(body, dict) else "keys " + ", ".join(map(str, list(body)[:5]))
        return Outcome("crash", code=Status.BACKEND_ERROR.code,
                       message=f"{Status.BACKEND_ERROR.message[:-1]}: the answer has no 'result' list (got {got}).",
                       http_status=500, transient=True)
    return Outcome("ok", body=body)


_WORKER_BACKEND = None


def init_worker(backend) -> None:
    """Process-pool initializer: the backend this worker process calls."""
    global _WORKER_BACKEND
    _WORKER_BACKEND = backend


def worker_backend():
    """The backend :func:`init_worker` set in this process (None elsewhere)."""
    return _WORKER_BACKEND


def call_in_worker(image: ImageInput, options: RequestOptions) -> Outcome:
    """:func:`call_backend` with the backend :func:`init_worker` set (process pools)."""
    return call_backend(_WORKER_BACKEND, image, options)
