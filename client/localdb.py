"""The app's one local SQLite file, as the client's stores use it.

Each store (catalog cache, outbox) owns one table in the shared file and creates it on
first use, owner-only (0600); a lock keeps one thread at a time inside a store.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ihr.privatefiles import private_file


class LocalStore:
    """Base of a store with one table, `SCHEMA`, in the local SQLite file at `db_path`."""

    SCHEMA: str = ""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            private_file(self.db_path)  # 0600 before SQLite writes a byte (ihr.privatefiles)
        con = sqlite3.connect(self.db_path, timeout=10.0)
        if not self._ready:
            with con:
                con.execute(self.SCHEMA)
            self._ready = True
        return con

    @contextmanager
    def _session(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own for one call, one thread at a time; closed afterwards."""
        with self._lock:
            con = self._connect()
            try:
                yield con
            finally:
                con.close()
