"""Orders not yet accepted by the IHR service, kept on disk so nothing is lost.

The TUI puts an order here (with its idempotency key) *before* it posts it, and removes it
once the service has accepted it. After a crash or while the service is down, the order
waits here; `submit_pending` sends it again with its original key, so the service returns
the order it may already have made instead of making a second one.

Only the minimum is stored: the `OrderInput` JSON (patient id, requester, office, items,
answers, comment), the key and the time it was put. A row goes as soon as the order is
accepted. Table `outbox` in the app's one SQLite file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from client.errors import IhrError, ServiceUnavailable, Unauthorized
from client.localdb import LocalStore
from ihr.models import Order, OrderInput

if TYPE_CHECKING:
    from client.api import IhrClient

log = logging.getLogger("ihr.client.outbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    idempotency_key TEXT PRIMARY KEY,
    order_input     TEXT NOT NULL,
    created_at      TEXT NOT NULL
)
"""

# Rows that no longer read as an order (a damaged file, an older version's format): moved
# here once, kept for whoever repairs them, and no longer counted as waiting.
_QUARANTINE = """
CREATE TABLE IF NOT EXISTS outbox_quarantine (
    idempotency_key TEXT PRIMARY KEY,
    order_input     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    quarantined_at  TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class PendingOrder:
    key: str
    order_input: OrderInput
    created_at: datetime


@dataclass
class SubmitResult:
    """What `submit_pending` did: accepted orders left the outbox, the others stay."""

    accepted: list[tuple[str, Order]] = field(default_factory=list)
    refused: list[tuple[str, IhrError]] = field(default_factory=list)  # needs the secretary
    stopped_by: IhrError | None = None  # service down or login expired: try again later
    remaining: int = 0
    quarantined: int = 0  # unreadable rows put aside by this call (each is reported once)

    @property
    def all_sent(self) -> bool:
        return self.remaining == 0


class Outbox(LocalStore):
    """`Outbox(db_path)`: put, list and remove orders waiting for the service."""

    SCHEMA = _SCHEMA

    def put(self, key: str, order_input: OrderInput) -> None:
        """Keep this order under its idempotency key (again: replaces the body, keeps the time)."""
        if not key:
            raise ValueError("idempotency key must not be empty")
        body = order_input.model_dump_json()
        now = datetime.now(UTC).isoformat()
        with self._session() as con:
            with con:
                con.execute(
                    "INSERT INTO outbox (idempotency_key, order_input, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(idempotency_key) DO UPDATE SET order_input = excluded.order_input",
                    (key, body, now),
                )

    def pending(self) -> list[PendingOrder]:
        """The orders waiting, oldest first (unreadable rows are quarantined: `quarantine`)."""
        return self.quarantine()[0]

    def quarantine(self) -> tuple[list[PendingOrder], int]:
        """(the orders waiting, how many unreadable rows were just moved to
        `outbox_quarantine`). A row that does not read as an order would otherwise be
        skipped at every try and counted as waiting for ever; moved, it is reported once
        and kept (never deleted) for whoever can repair it."""
        with self._session() as con:
            rows = con.execute(
                "SELECT idempotency_key, order_input, created_at FROM outbox ORDER BY created_at, rowid"
            ).fetchall()
            out: list[PendingOrder] = []
            broken: list[tuple[str, str, str]] = []
            for key, body, created in rows:
                try:
                    order_input = OrderInput.model_validate_json(body)
                    at = datetime.fromisoformat(created)
                except (ValueError, TypeError):
                    broken.append((key, body, created))
                    continue
                out.append(PendingOrder(key=key, order_input=order_input, created_at=at))
            if broken:
                now = datetime.now(UTC).isoformat()
                with con:
                    con.execute(_QUARANTINE)
                    for key, body, created in broken:
                        con.execute(
                            "INSERT OR REPLACE INTO outbox_quarantine VALUES (?, ?, ?, ?)",
                            (key, str(body), str(created), now),
                        )
                        con.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))
                log.warning("outbox: %d unreadable row(s) quarantined", len(broken))
        return out, len(broken)

    def get(self, key: str) -> PendingOrder | None:
        for p in self.pending():
            if p.key == key:
                return p
        return None

    def remove(self, key: str) -> bool:
        """Forget an order (accepted, or discarded by the secretary). True if it was there."""
        with self._session() as con:
            with con:
                cur = con.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))
        return cur.rowcount > 0

    def __len__(self) -> int:
        with self._session() as con:
            (n,) = con.execute("SELECT COUNT(*) FROM outbox").fetchone()
        return int(n)


async def submit_pending(
    client: IhrClient,
    outbox: Outbox,
    *,
    on_accepted: Callable[[str, Order], Awaitable[None] | None] | None = None,
) -> SubmitResult:
    """Send every pending order again with its original idempotency key.

    Accepted orders (201, or 200 for a key the service already knew) leave the outbox.
    An order the service refuses (validation, conflict, ...) stays for the secretary to
    correct or discard; the others are still tried. When the service is unreachable or the
    login has expired, it stops at once and everything left stays.
    """
    result = SubmitResult()
    waiting, result.quarantined = await asyncio.to_thread(outbox.quarantine)
    for p in waiting:
        try:
            order = await client.create_order(p.order_input, idempotency_key=p.key)
        except (ServiceUnavailable, Unauthorized) as exc:
            result.stopped_by = exc
            break
        except IhrError as exc:
            result.refused.append((p.key, exc))
            continue
        await asyncio.to_thread(outbox.remove, p.key)
        result.accepted.append((p.key, order))
        if on_accepted is not None:
            maybe = on_accepted(p.key, order)
            if maybe is not None:
                await maybe
    result.remaining = await asyncio.to_thread(len, outbox)
    log.info(
        "outbox: %d accepted, %d refused, %d remaining, %d quarantined",
        len(result.accepted),
        len(result.refused),
        result.remaining,
        result.quarantined,
    )
    return result
