"""The print journal: every label job, in the local SQLite file (table `print_jobs`).

A job is written as `pending` before it is sent and set to `ok` or `failed` when the outcome
is known, so a crash in between never leaves a job that looks printed. The journal holds
specimen ids, never a patient's name or fødselsnummer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Reason = Literal["first", "reprint"]
Outcome = Literal["pending", "ok", "failed"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,          -- ISO 8601, UTC
    finished_at  TEXT,
    specimen_ids TEXT NOT NULL,          -- JSON list of specimen ids (barcodes)
    copies       INTEGER NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('first', 'reprint')),
    reason_text  TEXT,                   -- free text, required for a reprint
    printer_url  TEXT NOT NULL,
    user         TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'failed')),
    error        TEXT                    -- Norwegian message when failed
);
CREATE INDEX IF NOT EXISTS print_jobs_created ON print_jobs (created_at);
"""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    created_at: datetime
    finished_at: datetime | None
    specimen_ids: tuple[str, ...]
    copies: int
    reason: Reason
    reason_text: str | None
    printer_url: str
    user: str
    outcome: Outcome
    error: str | None

    @property
    def printed(self) -> bool:
        return self.outcome == "ok"


class PrintJournal:
    """The `print_jobs` table in the SQLite file at `path` (created when missing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
        with self._conn:
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PrintJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(
        self,
        specimen_ids: Sequence[str],
        *,
        copies: int,
        reason: Reason,
        reason_text: str | None,
        printer_url: str,
        user: str,
    ) -> int:
        """Record a job about to be sent; returns its id. Outcome: pending."""
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO print_jobs (created_at, specimen_ids, copies, reason, reason_text,"
                " printer_url, user, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')",
                (_now(), json.dumps(list(specimen_ids)), copies, reason, reason_text,
                 printer_url, user),
            )
        return int(cur.lastrowid)

    def finish(self, job_id: int, *, ok: bool, error: str | None = None) -> None:
        with self._conn:
            self._conn.execute(
                "UPDATE print_jobs SET outcome = ?, error = ?, finished_at = ? WHERE id = ?",
                ("ok" if ok else "failed", None if ok else (error or "Ukjent feil"), _now(),
                 job_id),
            )

    def entries(self, specimen_id: str | None = None, limit: int = 200) -> list[JournalEntry]:
        """Newest first; only jobs that include `specimen_id` when given."""
        rows = self._conn.execute(
            "SELECT id, created_at, finished_at, specimen_ids, copies, reason, reason_text,"
            " printer_url, user, outcome, error FROM print_jobs ORDER BY id DESC"
        ).fetchall()
        out = []
        for row in rows:
            ids = tuple(json.loads(row[3]))
            if specimen_id is not None and specimen_id not in ids:
                continue
            out.append(
                JournalEntry(
                    id=row[0], created_at=datetime.fromisoformat(row[1]),
                    finished_at=datetime.fromisoformat(row[2]) if row[2] else None,
                    specimen_ids=ids, copies=row[4], reason=row[5], reason_text=row[6],
                    printer_url=row[7], user=row[8], outcome=row[9], error=row[10],
                )
            )
            if len(out) >= limit:
                break
        return out

    def was_printed(self, specimen_id: str) -> bool:
        """True when a job with this specimen ended `ok` (a new print is then a reprint)."""
        return any(e.printed for e in self.entries(specimen_id, limit=10_000))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
