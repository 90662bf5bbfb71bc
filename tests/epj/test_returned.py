"""The order handed back to the journal as FHIR: validated by `fhir.resources`, read back
with the same requisition numbers and barcodes, and updated (never duplicated) on send and
cancellation; posted to a journal's FHIR endpoint with the same HelseID sign-in.

Real parts: the sandbox over a loopback socket (orders, requisition numbers, barcodes, the
sign-in), and the journal's FHIR endpoint (`sandbox.journal`) on another loopback port,
behind the sandbox's own token and DPoP check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from client.epj import JournalReturn
from ihr.epj.returned import read_returned
from ihr.models import (
    AddOnInput,
    CancelInput,
    CollectionInput,
    ItemInput,
    OrderInput,
    SpecimenCollection,
)
from sandbox.journal import EmbeddedJournal
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from sandbox.server import EmbeddedSandbox
from tests.helseid import settings_for
from tests.tui.conftest import make_client

AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
KREATININ, CRP, TSH, NATRIUM = "NPU18016", "NPU19748", "NPU03577", "NPU03429"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path / "s.sqlite3", lab_delay_s=60) as sb:
        yield sb


def order_input() -> OrderInput:
    return OrderInput(
        patient_id=DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR, office_her_id=DEMO_OFFICE_HER_ID,
        items=[ItemInput(service_code=KREATININ), ItemInput(service_code=CRP), ItemInput(service_code=TSH)],
    )


def service_requests(filed: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {url: r for url, r in filed.items() if r["resourceType"] == "ServiceRequest"}


async def test_the_returned_bundle_validates_and_round_trips(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    client = make_client(settings_for(sandbox, tmp_path))
    folder = tmp_path / "journal-inn"
    try:
        catalog = (await client.get_catalog()).catalog
        order = await client.create_order(order_input(), idempotency_key="k-1")
        await JournalReturn(str(folder)).hand_back(client, order, catalog, AT)
    finally:
        await client.aclose()
    (written,) = folder.glob("*.json")
    data = written.read_bytes()
    back = read_returned(data)  # fhir.resources validates it
    assert back.order_id == order.id
    assert back.requisition_numbers == {r.number for r in order.requisitions}
    assert sorted(back.specimen_ids) == sorted(s.id for s in order.specimens)
    by_item = {i.item_id: i for i in back.items}
    for req in order.requisitions:
        for item in req.items:
            got = by_item[item.id]
            assert (got.requisition_number, got.code, got.performer_her_id) == (req.number, item.service_code, req.lab_her_id)
            assert got.specimen_ids == (item.specimen_id,)
    raw = json.loads(data)
    assert raw["type"] == "transaction" and all(e["request"]["method"] == "PUT" for e in raw["entry"])
    codes = {e["resource"]["code"]["coding"][0]["system"] for e in raw["entry"] if e["resource"]["resourceType"] == "ServiceRequest"}
    assert codes == {"urn:oid:2.16.578.1.12.4.1.1.7280"}  # NLK


async def test_posted_to_the_journals_fhir_endpoint_signed_in_and_updated_on_send_add_on_and_cancel(
    sandbox: EmbeddedSandbox, tmp_path: Path
) -> None:
    with EmbeddedJournal(sandbox.app.state.authority) as journal:
        client = make_client(settings_for(sandbox, tmp_path))
        handed = JournalReturn(return_url=journal.url)
        changed: list[Any] = []
        client.order_changed = changed.append  # the app hands each of these back
        try:
            catalog = (await client.get_catalog()).catalog
            order = await client.create_order(order_input(), idempotency_key="k-2")
            await handed.hand_back(client, changed[-1], catalog, AT)
            saved = service_requests(journal.filed.resources)
            assert len(saved) == 3 and {r["status"] for r in saved.values()} == {"draft"}
            assert {r["requisition"]["value"] for r in saved.values()} == {r.number for r in order.requisitions}

            await client.send_order(order.id)
            await handed.hand_back(client, changed[-1], catalog, AT)
            assert {r["status"] for r in service_requests(journal.filed.resources).values()} == {"active"}

            # an add-on on the heparin tube, once taken: a fourth request on the same barcode
            taken = datetime.now(UTC) - timedelta(minutes=5)
            await client.register_collection(order.id, CollectionInput(specimens=[
                SpecimenCollection(specimen_id=s.id, collected_at=taken, collected_by="Test") for s in order.specimens
            ]))
            heparin = next(i.specimen_id for r in order.requisitions for i in r.items if i.service_code == KREATININ)
            assert heparin is not None
            await client.add_on(order.id, AddOnInput(specimen_id=heparin, service_codes=[NATRIUM]))
            await handed.hand_back(client, changed[-1], catalog, AT)
            added = [r for r in service_requests(journal.filed.resources).values() if r["code"]["coding"][0]["code"] == NATRIUM]
            assert len(added) == 1 and added[0]["specimen"] == next(
                r["specimen"] for r in service_requests(journal.filed.resources).values()
                if r["code"]["coding"][0]["code"] == KREATININ
            )

            tsh = next(i for r in order.requisitions for i in r.items if i.service_code == TSH)
            await client.cancel(order.id, CancelInput(item_ids=[tsh.id], reason="Feilbestilt"))
            await handed.hand_back(client, changed[-1], catalog, AT)
        finally:
            await client.aclose()
        filed = service_requests(journal.filed.resources)
        assert len(filed) == 4  # updated in place, never a second copy; the add-on one more
        status = {r["code"]["coding"][0]["code"]: r["status"] for r in filed.values()}
        # sent already: the Kansellering waits for the lab's answer
        assert status == {KREATININ: "active", CRP: "active", NATRIUM: "active", TSH: "on-hold"}
        specimens = [r for r in journal.filed.resources.values() if r["resourceType"] == "Specimen"]
        assert all(s["status"] == "available" and s["collection"]["collectedDateTime"] for s in specimens)
        # five changes the client reported (the collection too); this test handed back four
        assert journal.filed.bundles == 4 and len(changed) == 5
        # who sent it is who signed in: the office and the health worker in the token
        assert {(s.office_her_id, s.hpr) for s in journal.filed.senders} == {(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR)}


async def test_the_journals_endpoint_refuses_a_bundle_without_sign_in(sandbox: EmbeddedSandbox) -> None:
    with EmbeddedJournal(sandbox.app.state.authority) as journal:
        async with httpx.AsyncClient() as http:
            answer = await http.post(journal.url, json={"resourceType": "Bundle", "type": "transaction"})
        assert answer.status_code == 401
        assert journal.filed.bundles == 0


async def test_a_hand_back_that_fails_says_so_in_norwegian(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    import socket

    from client.epj import ReturnFailed

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    blocked = tmp_path / "ikke-en-mappe"
    blocked.write_text("", encoding="utf-8")  # a file where the folder should be
    client = make_client(settings_for(sandbox, tmp_path))
    try:
        order = await client.create_order(order_input(), idempotency_key="k-3")
        for target in (JournalReturn(return_url=f"http://127.0.0.1:{closed}/fhir"), JournalReturn(str(blocked / "inn"))):
            with pytest.raises(ReturnFailed) as failed:
                await target.hand_back(client, order, None, AT)
            assert failed.value.message.startswith("Bestillingen ble ikke levert til journalen:")
            assert DEMO_PATIENT_ID not in failed.value.message
    finally:
        await client.aclose()
