"""A damaged or locked local SQLite file: kept aside, what can be read saved, a new file begun.

Drafts, unsent orders (the outbox) and the print journal share one SQLite file in the data
folder. If that file is garbage, cut short, or held locked by another process, every store
would raise `sqlite3.DatabaseError` and the app would stop. `recover_local_file` runs before
the app opens any store: it tries the file (a quick integrity check and a write lock, with
a short wait), and if the file cannot be used it

1. moves it (with SQLite's journal and WAL files beside it) aside under a dated name in the
   same folder: kept for recovery, never deleted;
2. reads from the kept copy what it can, row by row, without taking any lock
   (`immutable=1`): the outbox first (an order the service has not accepted must not
   vanish), then the drafts; rows on damaged pages are lost, the file still has them;
3. puts those rows into a new file, so the app goes on as usual.

It answers with a `Recovery` whose `.message` tells the secretary what happened, in
Norwegian, without a name or a fødselsnummer. The catalog cache is not copied (it is
fetched again); neither is the print journal (the kept file has it).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ihr.privatefiles import FILE_MODE, private_dir, private_file

log = logging.getLogger("ihr.client.recovery")

LOCK_WAIT_S = 2.0  # how long a lock held by another process is waited for at start



def _tables() -> list[tuple[str, tuple[str, ...], str]]:
    """(table, its columns, the schema that creates it), in the order they are saved.
    Imported late: the check runs before every start, the stores load pydantic."""
    from client.drafts import DraftStore
    from client.outbox import Outbox

    return [
        ("outbox", ("idempotency_key", "order_input", "created_at"), Outbox.SCHEMA),
        ("drafts", ("patient_id", "office_her_id", "body", "idem_key", "updated_at"), DraftStore.SCHEMA),
    ]


@dataclass(frozen=True)
class Recovery:
    """What `recover_local_file` did: where the old file went and what was saved from it."""

    kept_as: Path
    locked: bool  # another process held it; otherwise it was damaged
    orders: int  # unsent orders (outbox rows) saved into the new file
    drafts: int

    @property
    def message(self) -> str:
        why = (
            "Den lokale datafilen var låst av et annet program (kjører IHR et annet sted?)"
            if self.locked
            else "Den lokale datafilen var skadet"
        )
        orders = "1 usendt bestilling" if self.orders == 1 else f"{self.orders} usendte bestillinger"
        saved = f"Hentet tilbake {orders} og {self.drafts} utkast."
        return (
            f"{why}. Den er lagt til side som {self.kept_as.name} i {self.kept_as.parent} (ikke slettet). "
            f"{saved} Programmet fortsetter med en ny fil."
        )


def _problem(path: Path) -> str | None:
    """Why the file cannot be used ("locked" or "damaged"), or None when it can."""
    try:
        con = sqlite3.connect(path, timeout=LOCK_WAIT_S)
    except sqlite3.Error:
        return "damaged"
    try:
        (verdict,) = con.execute("PRAGMA quick_check(1)").fetchone()
        if verdict != "ok":
            return "damaged"
        con.execute("BEGIN IMMEDIATE")  # another process's lock shows here, after the wait
        con.rollback()
    except sqlite3.OperationalError as exc:
        return "locked" if "locked" in str(exc) or "busy" in str(exc) else "damaged"
    except sqlite3.DatabaseError:
        return "damaged"
    finally:
        con.close()
    return None


def _move_aside(path: Path, now: datetime, locked: bool) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}-{'laast' if locked else 'skadet'}-{stamp}{path.suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = kept.with_name(f"{path.stem}-{'laast' if locked else 'skadet'}-{stamp}-{n}{path.suffix}")
    for suffix in ("-journal", "-wal", "-shm"):  # SQLite's files belong with the file they serve
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(kept.with_name(kept.name + suffix))
    path.rename(kept)
    kept.chmod(FILE_MODE)  # it may be from before 0600 was the rule
    return kept


def _salvage(kept: Path, fresh: Path) -> dict[str, int]:
    """Copy every readable row of the known tables from `kept` into `fresh`; counts per table."""
    tables = _tables()
    counts = {table: 0 for table, _, _ in tables}
    try:
        old = sqlite3.connect(f"file:{kept}?mode=ro&immutable=1", uri=True)
        # A file cut short claims more pages than it has; SQLite then refuses it whole
        # unless the schema is "writable" (read-only here: nothing is written).
        old.execute("PRAGMA writable_schema = ON")
    except sqlite3.Error:
        return counts
    new = sqlite3.connect(private_file(fresh))
    try:
        for table, columns, schema in tables:
            with new:
                new.execute(schema)
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            try:
                rows = old.execute(f"SELECT {names} FROM {table}")  # noqa: S608 - fixed names
                while True:
                    row = rows.fetchone()
                    if row is None:
                        break
                    with new:
                        new.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", row)  # noqa: S608
                    counts[table] += 1
            except sqlite3.DatabaseError:  # a damaged page or no such table: keep what was read
                continue
    finally:
        old.close()
        new.close()
    return counts


def recover_local_file(
    data_dir: Path, db_path: Path, *, now: Callable[[], datetime] = datetime.now
) -> Recovery | None:
    """Make the data folder the owner's alone; if the local file cannot be used, keep it
    aside and begin a new one with what could be read (see the module docstring)."""
    private_dir(data_dir)
    if not db_path.exists():
        return None
    problem = _problem(db_path)
    if problem is None:
        private_file(db_path)  # a file from before 0600 was the rule
        return None
    kept = _move_aside(db_path, now(), locked=problem == "locked")
    counts = _salvage(kept, db_path)
    log.warning("local file unusable (%s): kept aside, %d outbox and %d draft rows saved",
                problem, counts["outbox"], counts["drafts"])
    return Recovery(kept_as=kept, locked=problem == "locked", orders=counts["outbox"], drafts=counts["drafts"])
