"""The print queue: no label is lost. A job that did not print stays, with its labels, until
it prints, the secretary confirms it came out, or she drops it.

Table `print_queue` in the same SQLite file as the print journal (one connection). A job is
stored before its first attempt, so a crash while printing leaves it queued, and it stays
across restarts. Every attempt is a journal entry carrying the job's `queue_id`; the one that
printed says where (`PrintJournal.printed_on`). The queue holds the job's ZPL, which shows
the patient's name and fødselsnummer: the ZPL is deleted as soon as the job is done or
dropped (with SQLite's secure_delete, so it is gone from the file too), and only jobs still
waiting keep it (the journal never holds it).

States: `waiting` (not sent, or failed: retry or send elsewhere), `unconfirmed` (sent, not
confirmed: confirm, retry or send elsewhere), `done`, `dropped`.

    queue = PrintQueue(journal)
    result = queue.submit(labels, printer, user="...", size=size)   # as print_labels
    for job in queue.waiting(): ...                                 # what is left
    queue.retry(job.id, printer, user="...")                        # same or another printer
    queue.confirm(job.id, user="...")                               # an unconfirmed job came out
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from printing.journal import PrintJournal, Reason, utc_now
from printing.labels import LabelData
from printing.layout import LabelSize, Layout
from printing.service import Job, PrintResult, prepare_job, send_job
from printing.transports import Printer

State = Literal["waiting", "unconfirmed", "done", "dropped"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS print_queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,          -- ISO 8601, UTC
    specimen_ids TEXT NOT NULL,          -- JSON list
    copies       INTEGER NOT NULL,
    label_count  INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    reason_text  TEXT,
    user         TEXT NOT NULL,          -- who submitted it
    printer_url  TEXT NOT NULL,          -- where it was last sent
    state        TEXT NOT NULL CHECK (state IN ('waiting', 'unconfirmed', 'done', 'dropped')),
    message      TEXT,                   -- Norwegian: why it is still waiting
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_job_id  INTEGER,                -- the journal entry of the last attempt
    zpl          BLOB                    -- the job; NULL once done or dropped
);
CREATE INDEX IF NOT EXISTS print_queue_state ON print_queue (state);
"""


@dataclass(frozen=True, slots=True)
class QueuedJob:
    id: int
    created_at: datetime
    specimen_ids: tuple[str, ...]
    copies: int
    label_count: int
    user: str
    printer_url: str
    state: State
    message: str | None
    attempts: int
    last_job_id: int | None
    reason: Reason = "first"


class UnknownJob(LookupError):
    """No job with this id is waiting in the queue (done, dropped or never there)."""

    message = "Utskriftsjobben finnes ikke i køen lenger"


class PrintQueue:
    """The queue in the journal's SQLite file."""

    def __init__(self, journal: PrintJournal) -> None:
        self.journal = journal
        self._conn = journal.connection
        # Deleted ZPL is overwritten, not left in the file's free space (some SQLite builds,
        # Debian's among them, have this on already; others do not).
        self._conn.execute("PRAGMA secure_delete = ON")
        with self._conn:
            self._conn.executescript(SCHEMA)

    def submit(
        self,
        labels: Sequence[LabelData | Layout],
        printer: Printer,
        *,
        copies: int = 1,
        reason: Reason = "first",
        reason_text: str | None = None,
        user: str,
        size: LabelSize | None = None,
    ) -> PrintResult:
        """Queue the job and print it on `printer`; arguments and errors as `print_labels`.

        When it does not print (failed or unconfirmed) it stays in the queue.
        """
        job = prepare_job(labels, copies=copies, reason=reason, reason_text=reason_text, size=size)
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO print_queue (created_at, specimen_ids, copies, label_count, reason,"
                " reason_text, user, printer_url, state, zpl)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?)",
                (utc_now(), json.dumps(list(job.specimen_ids)), job.copies, job.label_count,
                 job.reason, job.reason_text, user, printer.url, job.data),
            )
        assert cur.lastrowid is not None  # an INSERT always has one
        return self._attempt(cur.lastrowid, job, printer, user)

    def retry(self, queue_id: int, printer: Printer, *, user: str) -> PrintResult:
        """Send a waiting or unconfirmed job again: to its printer, or to another one.

        Raises `UnknownJob` when the job is no longer waiting.
        """
        row = self._conn.execute(
            "SELECT specimen_ids, copies, reason, reason_text, label_count, zpl FROM print_queue"
            " WHERE id = ? AND state IN ('waiting', 'unconfirmed')",
            (queue_id,),
        ).fetchone()
        if row is None:
            raise UnknownJob(queue_id)
        job = Job(bytes(row[5]), tuple(json.loads(row[0])), row[1], row[2], row[3], row[4])
        return self._attempt(queue_id, job, printer, user)

    def confirm(self, queue_id: int, *, user: str) -> None:
        """The secretary saw the labels of an unconfirmed job come out: printed, done."""
        row = self._conn.execute(
            "SELECT last_job_id FROM print_queue WHERE id = ? AND state = 'unconfirmed'",
            (queue_id,),
        ).fetchone()
        if row is None:
            raise UnknownJob(queue_id)
        self.journal.confirm(row[0], user=user)
        self._finish(queue_id, "done", None)

    def drop(self, queue_id: int) -> None:
        """Take a job out of the queue without printing it (the order was cancelled, ...)."""
        if self.job(queue_id).state not in ("waiting", "unconfirmed"):
            raise UnknownJob(queue_id)
        self._finish(queue_id, "dropped", None)

    def waiting(self) -> list[QueuedJob]:
        """Jobs not known to be printed (waiting and unconfirmed), oldest first."""
        return self._select("WHERE state IN ('waiting', 'unconfirmed') ORDER BY id")

    def job(self, queue_id: int) -> QueuedJob:
        found = self._select("WHERE id = ?", (queue_id,))
        if not found:
            raise UnknownJob(queue_id)
        return found[0]

    # ---- internals ------------------------------------------------------------------------

    def _attempt(self, queue_id: int, job: Job, printer: Printer, user: str) -> PrintResult:
        with self._conn:
            self._conn.execute(
                "UPDATE print_queue SET printer_url = ?, attempts = attempts + 1 WHERE id = ?",
                (printer.url, queue_id),
            )
        result = send_job(job, printer, self.journal, user=user, queue_id=queue_id)
        states: dict[str, State] = {"ok": "done", "failed": "waiting", "unconfirmed": "unconfirmed"}
        state = states[result.outcome]
        self._finish(queue_id, state, None if result.ok else result.message, result.job_id)
        return result

    def _finish(self, queue_id: int, state: State, message: str | None,
                last_job_id: int | None = None) -> None:
        keep = state in ("waiting", "unconfirmed")
        with self._conn:
            self._conn.execute(
                "UPDATE print_queue SET state = ?, message = ?,"
                " last_job_id = COALESCE(?, last_job_id),"
                " zpl = CASE WHEN ? THEN zpl ELSE NULL END WHERE id = ?",
                (state, message, last_job_id, keep, queue_id),
            )

    def _select(self, where: str, args: tuple = ()) -> list[QueuedJob]:
        rows = self._conn.execute(
            "SELECT id, created_at, specimen_ids, copies, label_count, user, printer_url, state,"
            f" message, attempts, last_job_id, reason FROM print_queue {where}",
            args,
        ).fetchall()
        return [
            QueuedJob(r[0], datetime.fromisoformat(r[1]), tuple(json.loads(r[2])), r[3], r[4],
                      r[5], r[6], r[7], r[8], r[9], r[10], r[11])
            for r in rows
        ]
