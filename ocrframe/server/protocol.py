"""uvicorn's HTTP protocol with the contract's JSON for the errors it answers by itself.

A request the HTTP parser refuses before the application sees it (a non-numeric
``Content-Length``, a malformed request line, an oversized header) is answered by uvicorn
with a plain-text 400. :func:`contract_protocol` gives uvicorn's own protocol class (the
one ``http="auto"`` picks) with that answer replaced by the contract's error body
``{"error_code": "AIS.0101", "error_msg": ...}``, an ``X-Request-Id`` and
``Connection: close``.

Examples
--------
>>> cls = contract_protocol()
>>> cls.__name__.startswith("Contract"), callable(cls.send_400_response)
(True, True)
"""

from __future__ import annotations

import json

from ..types import Status
from .logs import new_request_id

__all__ = ["contract_protocol", "protocol_error_body"]


def protocol_error_body(reason: str) -> bytes:
    """The 400 body for a request refused by the HTTP parser."""
    return json.dumps({"error_code": Status.INVALID_PARAMETER.code,
                       "error_msg": f"{Status.INVALID_PARAMETER.message[:-1]}: malformed HTTP request "
                                    f"({reason.rstrip('.')})."}).encode("ascii")


def contract_protocol(base: type | None = None) -> type:
    """A subclass of ``base`` (default: uvicorn's auto-selected HTTP protocol) whose
    parser-level 400 answers carry the contract's JSON."""
    if base is None:
        from uvicorn.protocols.http.auto import AutoHTTPProtocol as base  # noqa: N813

    def send_400_response(self, msg: str) -> None:
        body = protocol_error_body(msg)
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in getattr(self.server_state, "default_headers", ()):
            head.append(name + b": " + value + b"\r\n")
        head += [b"content-type: application/json\r\n",
                 b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                 b"x-request-id: " + new_request_id().encode("ascii") + b"\r\n",
                 b"connection: close\r\n\r\n", body]
        if not self.transport.is_closing():
            self.transport.write(b"".join(head))
            self.transport.close()

    return type(f"Contract{base.__name__}", (base,), {"send_400_response": send_400_response,
                                                      "__module__": __name__})
