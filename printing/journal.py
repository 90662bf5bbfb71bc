"""The print journal: every label job, in the local SQLite file (table `print_jobs`).

A job (one attempt to print) is written as `pending` before it is sent and set to `ok`,
`failed` or `unconfirmed` when the outcome is known, so a crash in between never leaves a job
that looks printed. `unconfirmed` means sent, with nothing to confirm it reached a printer
(the `terminal:` printer when the terminal does not answer): never printed, unless the
secretary confirms it by sight (`confirmed_by`). Jobs of the print queue carry its
`queue_id`, so every attempt at one queued job, and the printer that finally printed it,
can be found. The journal holds specimen ids, never a patient's name or fødselsnummer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ihr.privatefiles import private_file

Reason = Literal["first", "reprint"]
Outcome = Literal["pending", "ok", "failed", "unconfirmed"]

TABLE = """
CREATE TABLE {name} (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,          -- ISO 8601, UTC
    finished_at  TEXT,
    specimen_ids TEXT NOT NULL,          -- JSON list of specimen ids (barcodes)
    copies       INTEGER NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('first', 'reprint')),
    reason_text  TEXT,                   -- free text, required for a reprint
    printer_url  TEXT NOT NULL,
    user         TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'failed', 'unconfirmed')),
    error        TEXT,                   -- Norwegian message when failed or unconfirmed
    queue_id     INTEGER,                -- the print queue's job this attempt belongs to
    confirmed_by TEXT                    -- who saw an unconfirmed job's labels come out
)
"""
COLUMNS = ("id, created_at, finished_at, specimen_ids, copies, reason, reason_text, printer_url,"
           " user, outcome, error, queue_id, confirmed_by")
OLD_COLUMNS = ("id, created_at, finished_at, specimen_ids, copies, reason, reason_text,"
               " printer_url, user, outcome, error")


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
    queue_id: int | None = None
    confirmed_by: str | None = None

    @property
    def printed(self) -> bool:
        return self.outcome == "ok"


class PrintJournal:
    """The `print_jobs` table in the SQLite file at `path` (created when missing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            private_file(self.path)  # the owner's alone (0600), as the app's other stores
        self._conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
        _create_or_upgrade(self._conn)

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection, which the print queue shares (one file, one writer)."""
        return self._conn

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
        queue_id: int | None = None,
    ) -> int:
        """Record a job about to be sent; returns its id. Outcome: pending."""
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO print_jobs (created_at, specimen_ids, copies, reason, reason_text,"
                " printer_url, user, outcome, queue_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
                (utc_now(), json.dumps(list(specimen_ids)), copies, reason, reason_text,
                 printer_url, user, queue_id),
            )
        assert cur.lastrowid is not None  # an INSERT always has one
        return cur.lastrowid

    def finish(
        self, job_id: int, *, ok: bool, error: str | None = None, unconfirmed: bool = False
    ) -> None:
        """Set the outcome: `ok`, `failed` (with `error`) or, sent, `unconfirmed`."""
        outcome = "ok" if ok else ("unconfirmed" if unconfirmed else "failed")
        with self._conn:
            self._conn.execute(
                "UPDATE print_jobs SET outcome = ?, error = ?, finished_at = ? WHERE id = ?",
                (outcome, None if ok else (error or "Ukjent feil"), utc_now(), job_id),
            )

    def confirm(self, job_id: int, *, user: str) -> None:
        """An `unconfirmed` job whose labels `user` saw come out: now printed."""
        with self._conn:
            self._conn.execute(
                "UPDATE print_jobs SET outcome = 'ok', confirmed_by = ? "
                "WHERE id = ? AND outcome = 'unconfirmed'",
                (user, job_id),
            )

    def entries(self, specimen_id: str | None = None, limit: int = 200) -> list[JournalEntry]:
        """Newest first; only jobs that include `specimen_id` when given."""
        rows = self._conn.execute(f"SELECT {COLUMNS} FROM print_jobs ORDER BY id DESC").fetchall()
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
                    queue_id=row[11], confirmed_by=row[12],
                )
            )
            if len(out) >= limit:
                break
        return out

    def was_printed(self, specimen_id: str) -> bool:
        """True when a job with this specimen ended `ok` (a new print is then a reprint)."""
        return any(e.printed for e in self.entries(specimen_id, limit=10_000))

    def last_printed(self, specimen_ids: Sequence[str]) -> JournalEntry | None:
        """The newest printed job with any of these specimens (an order's labels), or None."""
        wanted = set(specimen_ids)
        return next((e for e in self.entries(limit=10_000) if e.printed and wanted & set(e.specimen_ids)), None)

    def printed_on(self, specimen_id: str) -> str | None:
        """The printer URL of the latest printed job with this specimen, or None."""
        return next((e.printer_url for e in self.entries(specimen_id, limit=10_000) if e.printed), None)


def _create_or_upgrade(conn: sqlite3.Connection) -> None:
    """Create `print_jobs`, or rebuild one from before `unconfirmed`, keeping every row.

    SQLite cannot change a CHECK constraint in place; the old rows are copied as they are,
    in one transaction that also keeps a second process from doing the same at once.
    """
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'print_jobs'"
        ).fetchone()
        if found is None:
            conn.execute(TABLE.format(name="print_jobs"))
        elif "'unconfirmed'" not in found[0]:
            conn.execute(TABLE.format(name="print_jobs_new"))
            conn.execute(f"INSERT INTO print_jobs_new ({OLD_COLUMNS})"
                         f" SELECT {OLD_COLUMNS} FROM print_jobs")
            conn.execute("DROP TABLE print_jobs")
            conn.execute("ALTER TABLE print_jobs_new RENAME TO print_jobs")
        conn.execute("CREATE INDEX IF NOT EXISTS print_jobs_created ON print_jobs (created_at)")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
