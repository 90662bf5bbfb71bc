"""The order's lifecycle as KITH messages, against the sandbox over a real loopback socket.

Each test reads what the service sent (`GET /orders/{id}/messages`) as the lab would: the
Rekvisisjon v1.6 inside the MsgHead, its ServType (Ny, Tillegg, Kansellering, Endring), the
codes; and the lab's AppRec to each message. The simulated labs validate every message
against the official XSDs before they accept it (sandbox.reception), so an AppRec OK also
says the message was valid.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from client import CatalogCache, IhrClient
from ihr.kith import parse_apprec
from ihr.models import (
    AddOnInput,
    CancelInput,
    CollectionInput,
    ItemStatus,
    KithMessage,
    Order,
    OrderStatus,
    SpecimenCollection,
)
from tests.contract.conftest import people, sandbox_server
from tests.contract.test_contract import CRP, KALIUM, collected_order, key, order_input
from tests.helseid import auth_for

R = {"r": "http://www.kith.no/xmlstds/rekvisisjon/2012-02-15"}
MR_KNEE = "SNG0AG"
MR_ANSWERS = {
    "problemstilling": "Smerter og hevelse i høyre kne etter fall, spørsmål om menisk.",
    "pacemaker": False,
    "intrakranielle_klips": False,
    "metall_i_oye": False,
    "cochleaimplantat": False,
    "nevrostimulator": False,
    "metallimplantat": False,
    "klaustrofobi": True,
}


@pytest.fixture(scope="module")
def slow_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A sandbox whose labs take 1 s per step: time to see a cancellation wait for the lab."""
    db = tmp_path_factory.mktemp("slowlab") / "sandbox.sqlite3"
    with sandbox_server.EmbeddedSandbox(db_path=db, lab_delay_s=1.0) as sb:
        yield sb


@pytest.fixture
async def lab(slow_lab: Any, tmp_path: Path) -> AsyncIterator[IhrClient]:
    async with IhrClient(
        slow_lab.url, auth_for(slow_lab, tmp_path), cache=CatalogCache(tmp_path / "ihr.sqlite3"), backoff_s=0.05,
    ) as client:
        yield client


def content(message: KithMessage) -> etree._Element:
    """The Rekvisisjon `Message` inside the MsgHead."""
    return etree.fromstring(message.xml.encode("utf-8")).xpath("//r:Message", namespaces=R)[0]


def servtype(message: KithMessage) -> str:
    return content(message).find("r:ServReq/r:ServType", R).get("V")


async def wait_until(ihr: IhrClient, order_id: str, done: Callable[[Order, list[KithMessage]], bool]) -> tuple[Order, list[KithMessage]]:
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        order, messages = await ihr.get_order(order_id), await ihr.get_messages(order_id)
        if done(order, messages) or asyncio.get_running_loop().time() > deadline:
            return order, messages
        await asyncio.sleep(0.05)


def answer_to(messages: list[KithMessage], out: KithMessage) -> KithMessage | None:
    return next((m for m in messages if m.msg_type == "APPREC" and m.answers_msg_id == out.msg_id), None)


async def collected_order_on(ihr: IhrClient, *codes: str, **kw: Any) -> Order:
    order = await ihr.create_order(order_input(*codes, **kw), idempotency_key=key())
    if order.specimens:
        now = datetime.now(UTC) - timedelta(minutes=5)
        order = await ihr.register_collection(
            order.id,
            CollectionInput(specimens=[SpecimenCollection(specimen_id=s.id, collected_at=now, collected_by="T") for s in order.specimens]),
        )
    return order


async def test_lab_and_mr_order_goes_out_as_rekvisisjon_v16_and_is_accepted(lab: IhrClient) -> None:
    order = await collected_order_on(lab, CRP, MR_KNEE, answers=MR_ANSWERS, modality_change_allowed=True)
    await lab.send_order(order.id)
    order, messages = await wait_until(
        lab, order.id, lambda o, ms: sum(m.msg_type == "APPREC" for m in ms) == 2
    )
    out = {m.msg_type: m for m in messages if m.direction == "ut"}
    assert set(out) == {"REQ_LAB", "REQ_RTG"}
    mr = content(out["REQ_RTG"])
    codes = mr.xpath("r:ServReq/r:Patient/r:InfItem/r:Observation/r:CodedDescr", namespaces=R)
    assert {(c.get("V"), c.get("S")) for c in codes} == {
        ("NOPAC", "2.16.578.1.12.4.1.1.8210"), ("NOIVK", "2.16.578.1.12.4.1.1.8210"),
        ("NOMEY", "2.16.578.1.12.4.1.1.8210"), ("NOCOC", "2.16.578.1.12.4.1.1.8210"),
        ("NONEV", "2.16.578.1.12.4.1.1.8210"), ("KLA", "2.16.578.1.12.4.1.1.8209"),
    }
    statement = mr.find("r:ServReq/r:Comment/r:TextCode", R)
    assert (statement.get("V"), statement.get("S")) == ("1", "2.16.578.1.12.4.1.1.8274")
    assert mr.find("r:ServReq/r:ReqInvestigation/r:Investigation/r:Id", R).get("V") == MR_KNEE
    for message in out.values():
        assert servtype(message) == "N"
        apprec = answer_to(messages, message)
        assert apprec is not None and parse_apprec(apprec.xml.encode()).status_text == "OK"


async def test_add_on_after_sending_goes_out_as_a_tillegg(lab: IhrClient) -> None:
    order = await collected_order(lab, KALIUM)
    await lab.send_order(order.id)
    await wait_until(lab, order.id, lambda o, ms: o.status == OrderStatus.ACCEPTED)
    tube = next(s for s in order.specimens if KALIUM in s.service_codes)
    await lab.add_on(order.id, AddOnInput(specimen_id=tube.id, service_codes=["NPU03429"]))  # natrium
    order, messages = await wait_until(
        lab, order.id, lambda o, ms: any(m.direction == "ut" and servtype(m) == "A" and answer_to(ms, m) for m in ms)
    )
    out = [m for m in messages if m.direction == "ut"]
    assert [servtype(m) for m in out] == ["N", "A"]
    assert out[0].msg_id != out[1].msg_id
    tillegg = content(out[1])
    kinds = {
        inv.find("r:ServType", R).get("V"): inv.xpath("r:Investigation/r:Id/@V", namespaces=R)
        for inv in tillegg.findall("r:ServReq/r:ReqInvestigation", R)
    }
    assert kinds == {"A": ["NPU03429"], "H": [KALIUM]}
    assert tillegg.findtext("r:ServReq/r:Id", namespaces=R) == content(out[0]).findtext("r:ServReq/r:Id", namespaces=R)
    assert parse_apprec(answer_to(messages, out[1]).xml.encode()).status_text == "OK"


async def test_cancellation_after_sending_waits_for_the_lab(lab: IhrClient) -> None:
    order = await collected_order(lab, CRP)
    await lab.send_order(order.id)
    req = order.requisitions[0]
    cancelled = await lab.cancel(order.id, CancelInput(requisition_id=req.id, reason="Feil pasient valgt"))
    # Sent, not yet confirmed: still ordered, with the cancellation pending.
    item = cancelled.requisitions[0].items[0]
    assert item.status == ItemStatus.ORDERED and item.cancel_requested_at is not None
    assert cancelled.requisitions[0].status != OrderStatus.CANCELLED
    kinds = [e.kind.value for e in await lab.get_events(order.id)]
    assert "kansellering_sendt" in kinds and "kansellert" not in kinds

    order, messages = await wait_until(lab, order.id, lambda o, ms: o.status == OrderStatus.CANCELLED)
    assert order.requisitions[0].status == OrderStatus.CANCELLED
    assert order.requisitions[0].items[0].status == ItemStatus.CANCELLED
    kansellering = [m for m in messages if m.direction == "ut" and servtype(m) == "C"]
    assert len(kansellering) == 1
    assert content(kansellering[0]).findtext("r:ServReq/r:Comment/r:TextResultValue", namespaces=R) == "Feil pasient valgt"
    confirmation = answer_to(messages, kansellering[0])
    assert confirmation is not None and parse_apprec(confirmation.xml.encode()).status_text == "OK"
    events = await lab.get_events(order.id)
    confirmed = next(e for e in events if e.kind.value == "kansellert")
    assert confirmed.at >= confirmation.at


async def test_correction_after_rejection_goes_out_as_an_endring(lab: IhrClient) -> None:
    unknown_at_lab = sorted(people.LAB_UNKNOWN_PATIENT_IDS)[0]
    order = await collected_order_on(lab, CRP, patient_id=unknown_at_lab)
    await lab.send_order(order.id)
    await wait_until(lab, order.id, lambda o, ms: o.status == OrderStatus.REJECTED)
    await lab.update_order(order.id, order_input(CRP, patient_id=unknown_at_lab, comment="Rettet"))
    await lab.send_order(order.id)
    _, messages = await wait_until(lab, order.id, lambda o, ms: sum(m.msg_type == "APPREC" for m in ms) == 2)
    out = [m for m in messages if m.direction == "ut"]
    assert [servtype(m) for m in out] == ["N", "M"]
    assert len({m.msg_id for m in out}) == 2


async def test_text_xml_cannot_carry_gets_422_and_no_order(slow_lab: Any, tmp_path: Path) -> None:
    body = order_input(CRP).model_dump(mode="json")
    async with httpx.AsyncClient(base_url=slow_lab.url, auth=auth_for(slow_lab, tmp_path)) as http:
        before = (await http.get("/orders", params={"patient": body["patient_id"]})).json()
        for field, value in (("comment", "Ring\u0000meg"), ("clinical_info", "Ring\u001bmeg")):
            r = await http.post("/orders", json={**body, field: value}, headers={"Idempotency-Key": key()})
            assert r.status_code == 422, r.text
            problem = r.json()
            assert [e["path"] for e in problem["errors"]] == [field]
            assert "kontrolltegn" in problem["errors"][0]["detail"]
        r = await http.post(
            "/orders", json={**body, "items": [{"service_code": MR_KNEE}], "answers": {"problemstilling": "Vondt\ufffe"}},
            headers={"Idempotency-Key": key()},
        )
        assert r.status_code == 422 and [e["path"] for e in r.json()["errors"]] == ["answers.problemstilling"]
        assert (await http.get("/orders", params={"patient": body["patient_id"]})).json() == before
        r = await http.post(
            "/orders/finnes-ikke/cancel", json={"requisition_id": "x", "reason": "Bel\u0007l"},
        )
        assert r.status_code == 422 and [e["path"] for e in r.json()["errors"]] == ["reason"]
