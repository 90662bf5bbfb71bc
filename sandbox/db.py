"""The sandbox's SQLite store (stdlib sqlite3, WAL).

One connection shared by the request threads and the lab simulator, serialised by a
re-entrant lock: the sandbox is small, and a single writer makes idempotent creates and
sequence allocation atomic without any retry logic. `transaction()` holds the lock and a
`BEGIN IMMEDIATE` for a whole read-check-write step.

Domain objects are stored as their JSON (`model_dump(mode="json")`) next to the columns
that are searched or indexed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ihr.models import (
    Group,
    KithMessage,
    Office,
    Order,
    OrderStatus,
    Patient,
    Requester,
    StatusEvent,
)
from ihr.privatefiles import private_file

SCHEMA_VERSION = 2  # 2: orders.office_her_id, clients, audit

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS patients (
    id TEXT PRIMARY KEY,
    search TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requesters (hpr TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offices (her_id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    office_her_id TEXT,
    owner_hpr TEXT,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_office ON groups (office_her_id);
CREATE INDEX IF NOT EXISTS groups_owner ON groups (owner_hpr);
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    seq INTEGER NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_patient ON orders (patient_id);
CREATE INDEX IF NOT EXISTS orders_status ON orders (status);
CREATE INDEX IF NOT EXISTS orders_created ON orders (created_at);
CREATE TABLE IF NOT EXISTS specimens (id TEXT PRIMARY KEY, order_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS specimens_order ON specimens (order_id);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_order ON events (order_id);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_order ON messages (order_id);
CREATE TABLE IF NOT EXISTS lab_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    due_at TEXT NOT NULL,
    order_id TEXT NOT NULL,
    requisition_id TEXT,
    step TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS lab_jobs_due ON lab_jobs (done, due_at);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY,
    jwk TEXT NOT NULL,
    office_her_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    office_her_id TEXT NOT NULL,
    hpr TEXT NOT NULL,
    client_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_patient ON audit (patient_id, office_her_id);
CREATE TABLE IF NOT EXISTS staff (
    hpr TEXT NOT NULL,
    office_her_id TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (hpr, office_her_id)
);
CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_bucket ON hits (bucket, at);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    count INTEGER NOT NULL,
    head TEXT NOT NULL,
    jws TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"""

# Columns added after the first schema: (table, column, definition), added to older files.
_ADDED_COLUMNS = [
    ("orders", "office_her_id", "TEXT NOT NULL DEFAULT ''"),
    ("audit", "requester_hpr", "TEXT"),
]
_ADDED_INDEXES = ["CREATE INDEX IF NOT EXISTS orders_office ON orders (office_her_id, created_at)"]

AUDIT_GENESIS = "0" * 64


def _dump(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def _iso(moment: datetime) -> str:
    """A sortable UTC text for a timestamp (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def patient_search_text(patient: Patient) -> str:
    return f" {patient.given_name} {patient.family_name} ".casefold()


class Database:
    """The store. `path=None` makes a file in a fresh temporary folder, removed on `close()`."""

    def __init__(self, path: Path | None = None) -> None:
        self._tmpdir: Path | None = None
        if path is None:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="ihr-sandbox-"))
            path = self._tmpdir / "sandbox.sqlite3"
        self.path = Path(path)
        private_file(self.path)  # patients' data: the owner's alone (0600)
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._depth = 0
        with self.lock:
            self._conn.executescript(SCHEMA)
            for table, column, definition in _ADDED_COLUMNS:
                have = {r["name"] for r in self._conn.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            for index in _ADDED_INDEXES:
                self._conn.execute(index)
            self._conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        self._closed = False

    # ---- plumbing ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one IMMEDIATE transaction (nested calls join the outer one)."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._depth -= 1
                if outer:
                    self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self.lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    # ---- meta and seeding ---------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def is_seeded(self) -> bool:
        return self.meta("seeded") is not None

    def seed(
        self,
        *,
        patients: Sequence[Patient],
        requesters: Sequence[Requester],
        offices: Sequence[Office],
        groups: Sequence[Group],
        stamp: str,
    ) -> None:
        """Load the synthetic population once (a no-op when this file was seeded before)."""
        with self.transaction() as c:
            if self.is_seeded():
                return
            c.executemany(
                "INSERT OR REPLACE INTO patients (id, search, json) VALUES (?, ?, ?)",
                [(p.id, patient_search_text(p), _dump(p)) for p in patients],
            )
            c.executemany(
                "INSERT OR REPLACE INTO requesters (hpr, json) VALUES (?, ?)",
                [(r.hpr, _dump(r)) for r in requesters],
            )
            c.executemany(
                "INSERT OR REPLACE INTO offices (her_id, json) VALUES (?, ?)",
                [(o.her_id, _dump(o)) for o in offices],
            )
            for g in groups:
                self.put_group(g)
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', ?)", (stamp,))

    # ---- people ---------------------------------------------------------------------------

    def patient(self, patient_id: str) -> Patient | None:
        rows = self._query("SELECT json FROM patients WHERE id = ?", (patient_id,))
        return Patient.model_validate_json(rows[0]["json"]) if rows else None

    def search_patients(self, parts: Sequence[str], *, limit: int = 50) -> list[Patient]:
        """Patients whose name contains every part (case-insensitive), sorted by name: at
        most `limit` + 1 (one more than is shown says there are more)."""
        if not parts:
            return []
        where = " AND ".join("instr(search, ?) > 0" for _ in parts)
        rows = self._query(f"SELECT json FROM patients WHERE {where}", [p.casefold() for p in parts])
        found = [Patient.model_validate_json(r["json"]) for r in rows]
        found.sort(key=lambda p: (p.family_name.casefold(), p.given_name.casefold(), p.id))
        return found[: limit + 1]

    def requester(self, hpr: str) -> Requester | None:
        rows = self._query("SELECT json FROM requesters WHERE hpr = ?", (hpr,))
        return Requester.model_validate_json(rows[0]["json"]) if rows else None

    def requesters_of(self, office_her_id: str) -> list[Requester]:
        """The office's requesting doctors, by name."""
        rows = self._query("SELECT json FROM requesters")
        found = [r for r in (Requester.model_validate_json(row["json"]) for row in rows) if r.office_her_id == office_her_id]
        return sorted(found, key=lambda r: (r.person_name[1].casefold(), r.person_name[0].casefold(), r.hpr))

    def put_offices(self, offices: Sequence[Office]) -> None:
        """Store or replace offices (reference data: a reused file gets their health region)."""
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO offices (her_id, json) VALUES (?, ?)",
                [(o.her_id, _dump(o)) for o in offices],
            )

    def office(self, her_id: str) -> Office | None:
        rows = self._query("SELECT json FROM offices WHERE her_id = ?", (her_id,))
        return Office.model_validate_json(rows[0]["json"]) if rows else None

    def offices(self) -> list[Office]:
        return [Office.model_validate_json(r["json"]) for r in self._query("SELECT json FROM offices ORDER BY her_id")]

    def office_by_number(self, number: str) -> Office | None:
        """The office whose HER-id or organisation number this is."""
        number = number.strip()
        return next((o for o in self.offices() if number and number in (o.her_id, o.org_nr)), None)

    def has_staff(self) -> bool:
        return bool(self._query("SELECT 1 FROM staff LIMIT 1"))

    def put_staff(self, members: Sequence[Mapping[str, str]], offices: Sequence[Office]) -> None:
        """Register staff (dicts with hpr, name, title, authorization, office_her_id) and
        the offices as they are known now (with their organisation numbers)."""
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO offices (her_id, json) VALUES (?, ?)", [(o.her_id, _dump(o)) for o in offices]
            )
            c.executemany(
                "INSERT OR REPLACE INTO staff (hpr, office_her_id, json) VALUES (?, ?, ?)",
                [(m["hpr"], m["office_her_id"], json.dumps(dict(m), ensure_ascii=False)) for m in members],
            )

    def staff_member(self, hpr: str, office_her_id: str) -> dict[str, str] | None:
        """The health worker `hpr` as registered at the office, or None when she is not."""
        rows = self._query("SELECT json FROM staff WHERE hpr = ? AND office_her_id = ?", (hpr, office_her_id))
        return dict(json.loads(rows[0]["json"])) if rows else None

    # ---- replay caches and rate limits (shared by every process on this file) -------------

    def first_use(self, key: str, until: float, now: float) -> bool:
        """Remember `key` until `until` (epoch s); False when it was seen and has not expired."""
        with self.transaction() as c:
            self._prune(c, now)
            c.execute("DELETE FROM seen WHERE key = ? AND until <= ?", (key, now))
            return c.execute("INSERT OR IGNORE INTO seen (key, until) VALUES (?, ?)", (key, until)).rowcount == 1

    def hit(self, bucket: str, *, limit: int, window_s: float, now: float, record: bool = True) -> int:
        """Count one hit in `bucket`: 0 when it is within `limit` per `window_s`, else the
        seconds until the bucket has room again (and the hit is not counted). `record=False`
        only asks."""
        with self.transaction() as c:
            self._prune(c, now)
            rows = c.execute(
                "SELECT at FROM hits WHERE bucket = ? AND at > ? ORDER BY at", (bucket, now - window_s)
            ).fetchall()
            if len(rows) >= limit:
                return max(1, int(rows[0]["at"] + window_s - now) + 1)
            if record:
                c.execute("INSERT INTO hits (bucket, at) VALUES (?, ?)", (bucket, now))
            return 0

    _next_prune = 0.0
    PRUNE_EVERY_S = 10.0
    HIT_WINDOW_MAX_S = 3600.0  # no rate limit looks further back

    def _prune(self, c: sqlite3.Connection, now: float) -> None:
        if now < self._next_prune:
            return
        self._next_prune = now + self.PRUNE_EVERY_S
        c.execute("DELETE FROM seen WHERE until <= ?", (now,))
        c.execute("DELETE FROM hits WHERE at <= ?", (now - self.HIT_WINDOW_MAX_S,))

    # ---- groups ---------------------------------------------------------------------------

    def group(self, group_id: str) -> Group | None:
        rows = self._query("SELECT json FROM groups WHERE id = ?", (group_id,))
        return Group.model_validate_json(rows[0]["json"]) if rows else None

    def groups_for(self, *, office: str | None, hpr: str | None) -> list[Group]:
        """Regional groups (no office), the office's groups and the user's personal ones
        (hers at this office: a health worker at two offices has two sets)."""
        rows = self._query(
            "SELECT json FROM groups WHERE (scope = 'office' AND (office_her_id IS NULL OR office_her_id = ?))"
            " OR (scope = 'personal' AND owner_hpr = ? AND office_her_id = ?)",
            (office or "\x00", hpr or "\x00", office or "\x00"),
        )
        groups = [Group.model_validate_json(r["json"]) for r in rows]
        groups.sort(key=lambda g: (g.scope != "office", g.name.casefold(), g.id))
        return groups

    def put_group(self, group: Group) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO groups (id, scope, office_her_id, owner_hpr, json)"
                " VALUES (?, ?, ?, ?, ?)",
                (group.id, group.scope, group.office_her_id, group.owner_hpr, _dump(group)),
            )

    def delete_group(self, group_id: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM groups WHERE id = ?", (group_id,))

    # ---- sequences ------------------------------------------------------------------------

    def next_value(self, name: str, *, start: int = 1) -> int:
        """Allocate the next number of a named sequence (first value: `start`)."""
        with self.transaction() as c:
            row = c.execute("SELECT value FROM sequences WHERE name = ?", (name,)).fetchone()
            value = start if row is None else row["value"] + 1
            c.execute("INSERT OR REPLACE INTO sequences (name, value) VALUES (?, ?)", (name, value))
            return value

    # ---- orders ---------------------------------------------------------------------------

    def order(self, order_id: str) -> Order | None:
        rows = self._query("SELECT json FROM orders WHERE id = ?", (order_id,))
        return Order.model_validate_json(rows[0]["json"]) if rows else None

    def save_order(self, order: Order) -> None:
        """Insert or replace an order, keeping its specimen index in step."""
        with self.transaction() as c:
            row = c.execute("SELECT seq FROM orders WHERE id = ?", (order.id,)).fetchone()
            seq = row["seq"] if row else self.next_value("order_rows")
            c.execute(
                "INSERT OR REPLACE INTO orders"
                " (id, patient_id, office_her_id, status, created_at, updated_at, seq, json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    order.id,
                    order.patient.id,
                    order.office_her_id,
                    str(order.status),
                    _iso(order.created_at),
                    _iso(order.updated_at),
                    seq,
                    _dump(order),
                ),
            )
            c.execute("DELETE FROM specimens WHERE order_id = ?", (order.id,))
            c.executemany(
                "INSERT OR REPLACE INTO specimens (id, order_id) VALUES (?, ?)",
                [(s.id, order.id) for s in order.specimens],
            )

    def count_orders(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM orders")[0]["n"])

    def list_orders(
        self,
        *,
        office_her_id: str,
        patient_id: str | None = None,
        since: datetime | None = None,
        statuses: Sequence[OrderStatus] = (),
        limit: int = 500,
        after: tuple[str, int] | None = None,
    ) -> tuple[list[Order], tuple[str, int] | None]:
        """One office's orders, newest first (by creation time, then insertion), `limit` at a
        time: (the page, the position of its last row when more follow, else None). `after`
        is such a position: the page begins with the row after it (keyset paging, so rows
        added meanwhile neither repeat nor push rows off the page)."""
        where: list[str] = ["office_her_id = ?"]
        params: list[Any] = [office_her_id]
        if patient_id:
            where.append("patient_id = ?")
            params.append(patient_id)
        if since is not None:
            where.append("created_at >= ?")
            params.append(_iso(since))
        if statuses:
            where.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(str(s) for s in statuses)
        if after is not None:
            where.append("(created_at < ? OR (created_at = ? AND seq < ?))")
            params.extend([after[0], after[0], after[1]])
        sql = "SELECT json, created_at, seq FROM orders WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, seq DESC LIMIT ?"
        params.append(limit + 1)
        rows = self._query(sql, params)
        page = rows[:limit]
        more = (page[-1]["created_at"], page[-1]["seq"]) if len(rows) > limit else None
        return [Order.model_validate_json(r["json"]) for r in page], more

    def order_id_for_specimen(self, specimen_id: str) -> str | None:
        rows = self._query("SELECT order_id FROM specimens WHERE id = ?", (specimen_id,))
        return rows[0]["order_id"] if rows else None

    # ---- idempotency ----------------------------------------------------------------------

    def idempotency(self, key: str) -> tuple[str, str] | None:
        """(order_id, body_hash) stored for a key, or None."""
        rows = self._query("SELECT order_id, body_hash FROM idempotency WHERE key = ?", (key,))
        return (rows[0]["order_id"], rows[0]["body_hash"]) if rows else None

    def put_idempotency(self, key: str, order_id: str, body_hash: str, at: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO idempotency (key, order_id, body_hash, created_at) VALUES (?, ?, ?, ?)",
                (key, order_id, body_hash, _iso(at)),
            )

    # ---- events and messages --------------------------------------------------------------

    def add_event(self, event: StatusEvent) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO events (order_id, json) VALUES (?, ?)", (event.order_id, _dump(event)))

    def events(self, order_id: str) -> list[StatusEvent]:
        rows = self._query("SELECT json FROM events WHERE order_id = ? ORDER BY seq", (order_id,))
        return [StatusEvent.model_validate_json(r["json"]) for r in rows]

    def add_message(self, message: KithMessage) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO messages (id, order_id, json) VALUES (?, ?, ?)",
                (message.id, message.order_id, _dump(message)),
            )

    def messages(self, order_id: str) -> list[KithMessage]:
        rows = self._query("SELECT json FROM messages WHERE order_id = ? ORDER BY seq", (order_id,))
        return [KithMessage.model_validate_json(r["json"]) for r in rows]

    # ---- lab jobs (the simulated labs' schedule) -----------------------------------------

    def add_job(
        self,
        *,
        due_at: datetime,
        order_id: str,
        requisition_id: str | None,
        step: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO lab_jobs (due_at, order_id, requisition_id, step, data) VALUES (?, ?, ?, ?, ?)",
                (_iso(due_at), order_id, requisition_id, step, json.dumps(data or {})),
            )

    def due_jobs(self, now: datetime, *, limit: int = 100) -> list[sqlite3.Row]:
        return self._query(
            "SELECT * FROM lab_jobs WHERE done = 0 AND due_at <= ? ORDER BY due_at, seq LIMIT ?",
            (_iso(now), limit),
        )

    def next_job_due(self) -> str | None:
        rows = self._query("SELECT min(due_at) AS due FROM lab_jobs WHERE done = 0")
        return rows[0]["due"] if rows else None

    def claim_job(self, seq: int) -> bool:
        """Mark a job done if nobody did yet (call inside the transaction that runs it)."""
        with self.transaction() as c:
            return c.execute("UPDATE lab_jobs SET done = 1 WHERE seq = ? AND done = 0", (seq,)).rowcount == 1

    def finish_job(self, seq: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE lab_jobs SET done = 1 WHERE seq = ?", (seq,))

    def pending_jobs(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM lab_jobs WHERE done = 0")[0]["n"])

    # ---- the client registry ------------------------------------------------------------

    def put_client(self, client_id: str, jwk: str, office_her_id: str, scopes: Sequence[str], name: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO clients (client_id, jwk, office_her_id, scopes, name) VALUES (?, ?, ?, ?, ?)",
                (client_id, jwk, office_her_id, " ".join(scopes), name),
            )

    def client(self, client_id: str) -> dict[str, Any] | None:
        """A registered client: jwk (JSON text), office_her_id, scopes (list), name."""
        rows = self._query("SELECT * FROM clients WHERE client_id = ?", (client_id,))
        if not rows:
            return None
        row = dict(rows[0])
        row["scopes"] = row["scopes"].split()
        return row

    # ---- the access log (append-only, hash-chained) ------------------------------------

    def append_audit(
        self,
        *,
        at: datetime,
        office_her_id: str,
        hpr: str,
        client_id: str,
        patient_id: str,
        action: str,
        obj: str | None,
        requester_hpr: str | None = None,
    ) -> int:
        """Append one access, chained to the previous row by its hash (see `audit_hash`);
        its seq. `hpr` is the health worker at the keyboard, `requester_hpr` the order's
        requesting doctor when the access concerns an order."""
        with self.transaction() as c:
            last = c.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            prev = last["hash"] if last else AUDIT_GENESIS
            fields = (_iso(at), office_her_id, hpr, client_id, patient_id, action, obj)
            cur = c.execute(
                "INSERT INTO audit (at, office_her_id, hpr, client_id, patient_id, action, object, requester_hpr,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*fields, requester_hpr, prev, audit_hash(prev, _hashed(fields, requester_hpr))),
            )
            return int(cur.lastrowid or 0)

    def audit_rows(self, *, patient_id: str | None = None, office_her_id: str | None = None) -> list[dict[str, Any]]:
        """Rows of the access log in order, optionally for one patient and office."""
        where, params = [], []
        if patient_id is not None:
            where.append("patient_id = ?")
            params.append(patient_id)
        if office_her_id is not None:
            where.append("office_her_id = ?")
            params.append(office_her_id)
        sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq"
        return [dict(r) for r in self._query(sql, params)]

    def audit_checkpoints(self) -> list[str]:
        """The signed checkpoints kept here (compact JWS), oldest first (`sandbox.auditlog`)."""
        return [r["jws"] for r in self._query("SELECT jws FROM audit_checkpoints ORDER BY seq")]

    def audit_chain_break(self) -> int | None:
        """The seq of the first row whose chain does not hold (edited, or a row before it
        deleted), or None when the whole log is intact."""
        prev = AUDIT_GENESIS
        expected_seq = None
        rows = self.audit_rows()
        for row in rows:
            fields = _hashed(tuple(row[k] for k in AUDIT_FIELDS), row.get("requester_hpr"))
            if row["prev_hash"] != prev or row["hash"] != audit_hash(prev, fields):
                return int(row["seq"])
            if expected_seq is not None and row["seq"] != expected_seq:
                return int(row["seq"])
            prev, expected_seq = row["hash"], row["seq"] + 1
        # The chain cannot see rows cut off at the end; SQLite's AUTOINCREMENT counter can.
        issued = self._query("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")
        if issued and int(issued[0]["seq"]) != (rows[-1]["seq"] if rows else 0):
            return (rows[-1]["seq"] + 1) if rows else 1
        return None


AUDIT_FIELDS = ("at", "office_her_id", "hpr", "client_id", "patient_id", "action", "object")


def _hashed(fields: tuple[Any, ...], requester_hpr: str | None) -> tuple[Any, ...]:
    """The fields a row's hash covers: the requester only where there is one (so rows
    written before the column existed keep their hashes)."""
    return fields if requester_hpr is None else (*fields, requester_hpr)


def audit_hash(prev: str, fields: Sequence[Any]) -> str:
    """SHA-256 over the previous row's hash and this row's fields, as canonical JSON."""
    text = json.dumps([prev, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
