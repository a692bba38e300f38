"""The response store: raw answers in an SQLite file, keyed by image + backend + options.

Raw responses are the source of truth. Keying by the image's content hash, the
backend's identity and the request options means a re-run, or a run resumed after a
crash, never asks a backend twice for the same image: the cloud bills per document.
Every answer is committed as it arrives (WAL journal), so a ``kill -9`` loses at most
the images that were in flight. Transient failures (timeouts, throttling, 5xx) are
never stored, so a later run tries them again.

Examples
--------
>>> import tempfile, os
>>> from ocrframe.store import ResponseStore
>>> path = os.path.join(tempfile.mkdtemp(), "runs.sqlite")
>>> with ResponseStore(path) as store:
...     key = store.key("ab" * 32, "replay", "{}")
...     store.put(key, image_hash="ab" * 32, backend="replay", options="{}", image="a.jpg",
...               body={"result": []})
...     store.get(key)
{'result': []}
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterator

__all__ = ["ResponseStore", "open_store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key        TEXT PRIMARY KEY,
    image_hash TEXT NOT NULL,
    backend    TEXT NOT NULL,
    options    TEXT NOT NULL,
    image      TEXT NOT NULL,
    is_error   INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created    REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_image ON answers(image_hash);
"""


class ResponseStore:
    """An SQLite file of raw answers (200 bodies and final error bodies).

    Parameters
    ----------
    path : str or Path
        The SQLite file; created with its folder if missing.

    Notes
    -----
    One connection, guarded by a lock, so a store can be shared by threads. Several
    processes may open the same file (SQLite locking, WAL journal, 30 s busy timeout).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._con.execute("PRAGMA journal_mode=WAL")
            self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise ValueError(f"{self.path} is not a usable ocrframe response store ({e}); "
                             "pass a new file name or delete the file") from None
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(image_hash: str, backend: str, options: str) -> str:
        """The store key: a hash of image content hash, backend identity and options JSON."""
        raw = "\x1f".join((image_hash, backend, options)).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()

    def get(self, key: str) -> dict | None:
        """The stored body for a key (an answer or an error body), or None."""
        with self._lock:
            row = self._con.execute("SELECT body FROM answers WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.misses += 1
                return None
            self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, *, image_hash: str, backend: str, options: str, image: str, body: dict,
            is_error: bool = False) -> None:
        """Save a raw body; committed immediately."""
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._con.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, image_hash, backend, options, image, int(is_error), text, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._con.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return self._con.execute("SELECT 1 FROM answers WHERE key = ?", (key,)).fetchone() is not None

    def records(self, backend: str | None = None) -> Iterator[dict[str, Any]]:
        """Every stored answer as a dict (image, image_hash, backend, options, body, is_error)."""
        sql = "SELECT image, image_hash, backend, options, is_error, body FROM answers"
        args: tuple = ()
        if backend is not None:
            sql += " WHERE backend = ?"
            args = (backend,)
        with self._lock:
            rows = self._con.execute(sql + " ORDER BY created, key", args).fetchall()
        for image, image_hash, be, options, is_error, body in rows:
            yield {"image": image, "image_hash": image_hash, "backend": be, "options": json.loads(options),
                   "is_error": bool(is_error), "body": json.loads(body)}

    def export_jsonl(self, path: str | os.PathLike, *, backend: str | None = None) -> int:
        """Write the answers as a saved-answers file (:mod:`ocrframe.contract`'s one format, read by
        Replay and ``ocrframe evaluate``): one ``{"image", "sha256", "response"|"error"}`` line each.

        Returns the number of lines written.
        """
        from .contract import SavedAnswer, write_saved_answers

        return write_saved_answers(path, (
            SavedAnswer(rec["image"], rec["body"], rec["is_error"], rec["image_hash"], rec["options"] or None)
            for rec in self.records(backend)))

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> "ResponseStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResponseStore({str(self.path)!r})"


def open_store(store: "ResponseStore | str | os.PathLike | None") -> tuple["ResponseStore | None", bool]:
    """Accept a store, a path or None; returns (store, whether we opened it and must close it)."""
    if store is None or isinstance(store, ResponseStore):
        return store, False
    if isinstance(store, (str, os.PathLike)):
        return ResponseStore(store), True
    raise TypeError(f"store must be a path or a ResponseStore, got {type(store).__name__}")
