"""Orders being built but not yet sent, autosaved so a crash loses nothing.

One row per patient and office (one open order each), written by the TUI a moment after
each change to the basket, answers, priority, comment or requester, and removed once the
order is sent or the secretary deliberately discards it. Only what the open work needs:
patient id, requester HPR, office HER-id, the basket as (service code, lab HER-id), the
answers as typed and as parsed, priority, comment, the payment category, copy recipients' HPR-numre,
diagnosis code and text, clinical information, the imaging modality statement, the draft's
idempotency key (made with the draft, so two sessions that restore it save one order), the
body of the last save attempt and the order id the service gave back. No
name, no address. Table `drafts` in the app's one SQLite file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from client.localdb import LocalStore

log = logging.getLogger("ihr.client.drafts")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    patient_id    TEXT NOT NULL,
    office_her_id TEXT NOT NULL,
    body          TEXT NOT NULL,
    idem_key      TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (patient_id, office_her_id)
)
"""


@dataclass
class DraftSnapshot:
    """An open order as it stands, in plain JSON-able values."""

    patient_id: str
    office_her_id: str = ""
    requester_hpr: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (service code, lab HER-id)
    answers: dict[str, Any] = field(default_factory=dict)  # parsed: bool | int | float | str
    raw_answers: dict[str, str] = field(default_factory=dict)  # as typed
    priority: str = "normal"
    comment: str = ""
    idempotency_key: str | None = None  # the draft's own, made with it: whoever saves it makes one order
    submitted: str | None = None  # the OrderInput JSON that went with the key
    order_id: str | None = None  # set once the service holds the order
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The order's other fields (tui.draft.OrderDraft says what each is); absent in older rows.
    payment_category: str = "1"
    copy_to_gp: str | None = None  # HPR-nummer
    copy_other: str = ""  # HPR-numre as typed
    diagnosis_code: str = ""
    diagnosis_text: str = ""
    clinical_info: str = ""
    modality_change: bool | None = None

    def to_json(self) -> str:
        data = asdict(self)
        data["items"] = [list(pair) for pair in self.items]
        data["updated_at"] = self.updated_at.isoformat()
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> DraftSnapshot:
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["items"] = [(str(code), str(lab)) for code, lab in known.get("items", [])]
        known["updated_at"] = datetime.fromisoformat(known["updated_at"])
        return cls(**known)


class DraftStore(LocalStore):
    """`DraftStore(db_path)`: put, get and remove the open order of a patient."""

    SCHEMA = _SCHEMA

    def put(self, snapshot: DraftSnapshot) -> None:
        """Keep this draft (replaces the patient's earlier one at the same office)."""
        if not snapshot.patient_id:
            raise ValueError("a draft needs a patient id")
        body = snapshot.to_json()
        with self._session() as con:
            with con:
                con.execute(
                    "INSERT OR REPLACE INTO drafts (patient_id, office_her_id, body, idem_key, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        snapshot.patient_id,
                        snapshot.office_her_id,
                        body,
                        snapshot.idempotency_key,
                        snapshot.updated_at.isoformat(),
                    ),
                )

    def get(self, patient_id: str, office_her_id: str | None = None) -> DraftSnapshot | None:
        """The patient's open draft (at this office; any office when None, newest first)."""
        sql = "SELECT body FROM drafts WHERE patient_id = ?"
        args: tuple[str, ...] = (patient_id,)
        if office_her_id is not None:
            sql += " AND office_her_id = ?"
            args += (office_her_id,)
        sql += " ORDER BY updated_at DESC LIMIT 1"
        with self._session() as con:
            row = con.execute(sql, args).fetchone()
        if row is None:
            return None
        try:
            return DraftSnapshot.from_json(row[0])
        except (ValueError, KeyError, TypeError):
            log.warning("drafts: skipping an unreadable row")
            return None

    def remove(self, patient_id: str, office_her_id: str | None = None) -> bool:
        """Forget the patient's draft (sent, or discarded). True if there was one."""
        sql = "DELETE FROM drafts WHERE patient_id = ?"
        args: tuple[str, ...] = (patient_id,)
        if office_her_id is not None:
            sql += " AND office_her_id = ?"
            args += (office_her_id,)
        with self._session() as con:
            with con:
                cur = con.execute(sql, args)
        return cur.rowcount > 0

    def mark_saved(self, idempotency_key: str, order_id: str) -> bool:
        """The order saved under this key now exists (e.g. sent again from the outbox)."""
        with self._session() as con:
            row = con.execute("SELECT body FROM drafts WHERE idem_key = ?", (idempotency_key,)).fetchone()
            if row is None:
                return False
            snap = DraftSnapshot.from_json(row[0])
            snap.order_id = order_id
            with con:
                con.execute("UPDATE drafts SET body = ? WHERE idem_key = ?", (snap.to_json(), idempotency_key))
        return True

    def __len__(self) -> int:
        with self._session() as con:
            (n,) = con.execute("SELECT COUNT(*) FROM drafts").fetchone()
        return int(n)
