"""The outbox survives a crash, and submitting it again never makes a second order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from client import IhrClient, Outbox, ServiceUnavailable, submit_pending
from ihr.models import OrderInput
from tests.client.conftest import Close, Reply, make_order_input, order_json


class IdempotentService:
    """A minimal stand-in for POST /orders with Idempotency-Key semantics.

    The real service's behaviour is checked in tests/contract; this one can also be told
    to make the order and then drop the connection before answering (a lost response).
    """

    def __init__(self) -> None:
        self.orders: dict[str, tuple[bytes, str]] = {}
        self.drop_response_once = False
        self.down = False

    def __call__(self, req: Any, n: int) -> Any:
        if self.down:
            return Reply(503)
        key = req.headers["idempotency-key"]
        oi = OrderInput.model_validate_json(req.body)
        if oi.comment == "refuse":
            return Reply(422, {"title": "Ugyldig", "status": 422, "detail": "Bestillingen har feil.", "errors": []})
        if key in self.orders:
            body, oid = self.orders[key]
            if body != req.body:
                return Reply(422, {"title": "Ugyldig", "status": 422, "detail": "Nøkkelen er brukt.", "errors": []})
            return Reply(200, order_json(oid, oi))
        oid = f"ord-{len(self.orders) + 1}"
        self.orders[key] = (req.body, oid)
        if self.drop_response_once:
            self.drop_response_once = False
            return Close()
        return Reply(201, order_json(oid, oi))


def test_outbox_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "ihr.sqlite3"
    box = Outbox(db)
    oi = make_order_input(comment="Haster litt")
    box.put("k1", oi)
    box.put("k2", make_order_input())
    del box
    reopened = Outbox(db)
    pending = reopened.pending()
    assert [p.key for p in pending] == ["k1", "k2"]
    assert pending[0].order_input == oi
    assert reopened.remove("k1") is True
    assert reopened.remove("k1") is False
    assert len(Outbox(db)) == 1


def test_outbox_stores_only_the_order_input(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "ihr.sqlite3"
    Outbox(db).put("k1", make_order_input())
    con = sqlite3.connect(db)
    cols = [r[1] for r in con.execute("PRAGMA table_info(outbox)")]
    (body,) = con.execute("SELECT order_input FROM outbox").fetchone()
    con.close()
    assert cols == ["idempotency_key", "order_input", "created_at"]
    assert set(json.loads(body)) == set(OrderInput.model_fields)


async def test_lost_response_then_crash_then_submit_pending_makes_one_order(scripted: Any, tmp_path: Path) -> None:
    db = tmp_path / "ihr.sqlite3"
    service = IdempotentService()
    service.drop_response_once = True
    server = await scripted(service)
    oi = make_order_input()

    # The TUI: put in the outbox, then post. The service makes the order, the answer is lost,
    # and (max_retries=0 here) the app "crashes" before trying again.
    Outbox(db).put("key-A", oi)
    async with IhrClient(server.url, None, max_retries=0) as ihr:
        try:
            await ihr.create_order(oi, idempotency_key="key-A")
        except ServiceUnavailable:
            pass
        else:  # pragma: no cover
            raise AssertionError("expected the dropped connection to fail")
    assert len(service.orders) == 1

    # Next start: a new Outbox on the same file, submit twice.
    box = Outbox(db)
    async with IhrClient(server.url, None) as ihr:
        first = await submit_pending(ihr, box)
        second = await submit_pending(ihr, box)
    assert [(k, o.id) for k, o in first.accepted] == [("key-A", "ord-1")]
    assert first.all_sent and second.accepted == [] and second.remaining == 0
    assert len(service.orders) == 1
    assert box.pending() == []


async def test_submit_pending_keeps_what_is_refused_and_stops_when_down(scripted: Any, tmp_path: Path) -> None:
    service = IdempotentService()
    server = await scripted(service)
    box = Outbox(tmp_path / "ihr.sqlite3")
    box.put("bad", make_order_input(comment="refuse"))
    box.put("good", make_order_input())
    async with IhrClient(server.url, None, backoff_s=0.01) as ihr:
        res = await submit_pending(ihr, box)
        assert [k for k, _ in res.refused] == ["bad"]
        assert res.refused[0][1].message == "Bestillingen har feil."
        assert [k for k, _ in res.accepted] == ["good"]
        assert res.remaining == 1 and [p.key for p in box.pending()] == ["bad"]

        box.put("later", make_order_input(comment="Ny"))
        service.down = True
        res = await submit_pending(ihr, box)
    assert isinstance(res.stopped_by, ServiceUnavailable)
    assert res.remaining == 2
    assert {p.key for p in box.pending()} == {"bad", "later"}


async def test_an_unreadable_row_is_quarantined_and_reported_once(scripted: Any, tmp_path: Path) -> None:
    """Issue 13: a broken row was skipped but counted as remaining for ever."""
    import sqlite3

    service = IdempotentService()
    server = await scripted(service)
    db = tmp_path / "ihr.sqlite3"
    box = Outbox(db)
    box.put("good", make_order_input())
    box.put("broken", make_order_input())
    con = sqlite3.connect(db)
    con.execute("UPDATE outbox SET order_input = '{\"patient_id\": ' WHERE idempotency_key = 'broken'")
    con.commit()
    async with IhrClient(server.url, None, backoff_s=0.01) as ihr:
        first = await submit_pending(ihr, box)
        assert [k for k, _ in first.accepted] == ["good"]
        assert first.quarantined == 1 and first.remaining == 0 and first.all_sent
        again = await submit_pending(ihr, box)
    assert again.quarantined == 0 and again.remaining == 0  # reported once, not waiting for ever
    assert len(box) == 0
    kept = con.execute("SELECT idempotency_key, order_input FROM outbox_quarantine").fetchall()
    assert kept == [("broken", '{"patient_id": ')]  # kept as it was, for whoever repairs it
    con.close()
