"""Retry policy against a real loopback server: GETs and POST /orders retry, nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from client import IhrClient, ServiceUnavailable
from ihr.models import AddOnInput, CancelInput, CollectionInput, GroupInput, SpecimenCollection
from tests.client.conftest import Close, Hang, Reply, make_order_input, make_patient, order_json

FAST = dict(backoff_s=0.01, timeout=2.0)


def client_for(server: Any, **kw: Any) -> IhrClient:
    opts = {**FAST, **kw}
    return IhrClient(server.url, None, **opts)


async def test_get_retried_after_two_503(scripted: Any) -> None:
    patient = make_patient().model_dump(mode="json")
    server = await scripted(lambda req, n: Reply(503) if n < 2 else Reply(200, patient))
    async with client_for(server) as ihr:
        p = await ihr.get_patient(patient["id"])
    assert p.family_name == "Testesen"
    assert [r.method for r in server.requests] == ["GET", "GET", "GET"]


async def test_get_retried_after_dropped_connection(scripted: Any) -> None:
    patient = make_patient().model_dump(mode="json")
    server = await scripted(lambda req, n: Close() if n == 0 else Reply(200, patient))
    async with client_for(server) as ihr:
        await ihr.get_patient(patient["id"])
    assert len(server.requests) == 2


async def test_get_retried_after_timeout(scripted: Any) -> None:
    patient = make_patient().model_dump(mode="json")
    server = await scripted(lambda req, n: Hang(3.0) if n == 0 else Reply(200, patient))
    async with client_for(server, timeout=1.0) as ihr:
        await ihr.get_patient(patient["id"])
    assert len(server.requests) == 2


async def test_get_gives_up_after_bounded_retries(scripted: Any) -> None:
    server = await scripted(lambda req, n: Reply(503))
    async with client_for(server, max_retries=2) as ihr:
        with pytest.raises(ServiceUnavailable) as ei:
            await ihr.get_order("x")
    assert len(server.requests) == 3
    assert ei.value.message == "Får ikke kontakt med IHR-tjenesten. Arbeidet ditt er ikke tapt."


async def test_500_is_not_retried(scripted: Any) -> None:
    server = await scripted(lambda req, n: Reply(500))
    async with client_for(server) as ihr:
        with pytest.raises(ServiceUnavailable):
            await ihr.list_orders()
    assert len(server.requests) == 1


async def test_connection_refused_is_service_unavailable() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    async with IhrClient(f"http://127.0.0.1:{port}/api/v1", None, backoff_s=0.01) as ihr:
        with pytest.raises(ServiceUnavailable):
            await ihr.get_patient("1")


async def test_create_order_retried_with_the_same_key(scripted: Any) -> None:
    oi = make_order_input()
    script = [Close(), Reply(503), Hang(3.0)]

    def handler(req: Any, n: int) -> Any:
        return script[n] if n < len(script) else Reply(201, order_json("ord-9", oi))

    server = await scripted(handler)
    async with client_for(server, timeout=1.0, max_retries=3) as ihr:
        order = await ihr.create_order(oi, idempotency_key="key-123")
    assert order.id == "ord-9"
    assert len(server.requests) == 4
    assert {r.headers["idempotency-key"] for r in server.requests} == {"key-123"}
    assert {r.body for r in server.requests} == {server.requests[0].body}
    assert all(r.method == "POST" and r.path == "/api/v1/orders" for r in server.requests)


async def test_create_order_200_for_a_known_key_is_the_order(scripted: Any) -> None:
    server = await scripted(lambda req, n: Reply(200, order_json("ord-7")))
    async with client_for(server) as ihr:
        order = await ihr.create_order(make_order_input(), idempotency_key="k")
    assert order.id == "ord-7"


def _collection() -> CollectionInput:
    from datetime import UTC, datetime

    return CollectionInput(
        specimens=[SpecimenCollection(specimen_id="1", collected_at=datetime.now(UTC), collected_by="Sekretær")]
    )


NEVER_RETRIED = {
    "collection": lambda c: c.register_collection("o1", _collection()),
    "send": lambda c: c.send_order("o1"),
    "addons": lambda c: c.add_on("o1", AddOnInput(specimen_id="1", service_codes=["X"])),
    "cancel": lambda c: c.cancel("o1", CancelInput(reason="Feil pasient")),
    "create_group": lambda c: c.create_group(GroupInput(name="G", service_codes=["X"])),
    "update_group": lambda c: c.update_group("g1", GroupInput(name="G", service_codes=["X"])),
    "delete_group": lambda c: c.delete_group("g1"),
    "update_order": lambda c: c.update_order("o1", make_order_input()),
}


@pytest.mark.parametrize("failure", ["503", "close", "timeout"])
@pytest.mark.parametrize("call", sorted(NEVER_RETRIED))
async def test_other_writes_are_never_retried(scripted: Any, call: str, failure: str) -> None:
    action = {"503": Reply(503), "close": Close(), "timeout": Hang(2.0)}[failure]
    server = await scripted(lambda req, n: action)
    async with client_for(server, timeout=0.5, max_retries=5) as ihr:
        with pytest.raises(ServiceUnavailable):
            await NEVER_RETRIED[call](ihr)
    assert len(server.requests) == 1


async def test_retry_after_is_honoured_when_short(scripted: Any) -> None:
    import time

    patient = make_patient().model_dump(mode="json")
    server = await scripted(
        lambda req, n: Reply(503, headers={"Retry-After": "0.3"}) if n == 0 else Reply(200, patient)
    )
    async with client_for(server) as ihr:
        t0 = time.monotonic()
        await ihr.get_patient("1")
    assert time.monotonic() - t0 >= 0.25
