"""Exceptions. A request-level failure carries the service's own code and message."""

from __future__ import annotations

from .types import Status

__all__ = ["OcrError", "ApiError", "ResponseValidationError", "AuthenticationError"]


class OcrError(Exception):
    """Base class of ocrframe's exceptions."""


class ApiError(OcrError):
    """A request-level failure: the image as a whole got no recognition result.

    Parameters
    ----------
    code : str
        The service's error code (``AIS.0103``) or ocrframe's client-side code
        (``OCRFRAME.0001``).
    message : str, optional
        A readable message; defaults to the registry's text for ``code``.
    http_status : int, optional
        The HTTP status the service answered (or a compatible server would).
    transient : bool, optional
        Whether trying again later may succeed (throttling, timeouts, 5xx). Transient
        failures are never cached in the response store. Defaults from the registry.

    Examples
    --------
    >>> e = ApiError.of(Status.IMAGE_SIZE)
    >>> e.code, e.http_status, e.to_body()["error_msg"]
    ('AIS.0103', 400, 'The image size does not meet the requirements.')
    """

    def __init__(self, code: str, message: str | None = None, *, http_status: int | None = None,
                 transient: bool | None = None):
        known = Status.from_code(code)
        self.code = code
        self.message = message or (known.message if known else "Request failed.")
        self.http_status = http_status if http_status is not None else (known.http_status if known else 400)
        if transient is None:
            transient = known.transient if known else self.http_status >= 500 or self.http_status == 429
        self.transient = transient
        super().__init__(f"{code}: {self.message}")

    @classmethod
    def of(cls, status: Status, message: str | None = None, **kw) -> "ApiError":
        """An error for a registry status, with an optional more specific message."""
        return cls(status.code, message or status.message, **kw)

    def to_body(self) -> dict:
        """The contract's error body: ``{"error_code": ..., "error_msg": ...}``."""
        return {"error_code": self.code, "error_msg": self.message}


class AuthenticationError(ApiError):
    """Credentials were refused: the batch stops instead of failing every image."""


class ResponseValidationError(OcrError, ValueError):
    """A response or labels document does not follow the contract.

    The message starts with the path of the offending value, e.g.
    ``result[2].location: expected 4 points, got 3``.
    """

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)
