"""Structured logs: one JSON object per line, never image data, URLs' queries or secrets.

Request logs are emitted by the app as ``log.info("request", extra={"fields": {...}})``;
:class:`JsonFormatter` writes the record's message as ``event`` plus those fields.

Examples
--------
>>> import logging
>>> rec = logging.LogRecord("ocrframe.server", logging.INFO, __file__, 1, "request", None, None)
>>> rec.fields = {"status": 200, "request_id": "abc"}
>>> line = JsonFormatter().format(rec)
>>> '"event": "request"' in line and '"status": 200' in line
True
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import time
import uuid

__all__ = ["JsonFormatter", "configure_logging", "log", "new_request_id"]

log = logging.getLogger("ocrframe.server")

_RID_PREFIX = uuid.uuid4().hex[:16]
_RID_COUNTER = itertools.count(1)


def new_request_id() -> str:
    """32 hex digits: a random per-process prefix and a counter (unique, and cheaper than
    one uuid4 per request); it ties a request's answer to its log lines."""
    return f"{_RID_PREFIX}{next(_RID_COUNTER):016x}"


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            out["exception"] = record.exc_info[0].__name__
            out["traceback"] = self.formatException(record.exc_info)[-4000:]
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream=None) -> None:
    """JSON lines on stderr for the server's and uvicorn's loggers (uvicorn's access log is
    replaced by the server's own request log)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("ocrframe.server", "uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        lg.setLevel(level.upper())
        lg.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
