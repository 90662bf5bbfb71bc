"""docs/API.md, endpoint by endpoint, spoken by `IhrClient` to the sandbox over loopback."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from client import (
    CatalogCache,
    Conflict,
    Forbidden,
    IhrClient,
    IhrError,
    NotFound,
    Outbox,
    PayloadTooLarge,
    ServiceUnavailable,
    StaleEdit,
    Unauthorized,
    ValidationProblem,
    submit_pending,
)
from ihr.models import (
    AddOnInput,
    CancelInput,
    CollectionInput,
    GroupInput,
    ItemInput,
    Order,
    OrderInput,
    OrderStatus,
    SpecimenCollection,
)
from ihr.rules.groups import STALE as GROUP_STALE
from ihr.rules.groups import version_tag
from ihr.rules.specimen_ids import is_valid_specimen_id, make_specimen_id
from tests.contract.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    Counter,
    people,
    require,
    sandbox_server,
)
from tests.helseid import auth_for

CRP, KALIUM, HB = "NPU19748", "NPU03230", "NOR05172"
PSA = "NPU08669"  # men only; the demo patient is a woman
RUBELLA = "LOK-MB-RUB"  # asks gravid -> svangerskapsuke (required when gravid)
STALE = re.compile(r"^IHR-tjenesten svarer ikke – viser katalogen fra \d\d\.\d\d\.\d{4} \d\d:\d\d$")


def key() -> str:
    return str(uuid.uuid4())


def order_input(*codes: str, **kw: Any) -> OrderInput:
    base: dict[str, Any] = dict(
        patient_id=DEMO_PATIENT_ID,
        requester_hpr=DEMO_REQUESTER_HPR,
        office_her_id=DEMO_OFFICE_HER_ID,
        items=[ItemInput(service_code=c) for c in (codes or (CRP,))],
    )
    base.update(kw)
    return OrderInput(**base)


async def new_order(ihr: IhrClient, *codes: str, **kw: Any) -> Order:
    return await ihr.create_order(order_input(*codes, **kw), idempotency_key=key())


async def collected_order(ihr: IhrClient, *codes: str) -> Order:
    order = await new_order(ihr, *codes)
    now = datetime.now(UTC) - timedelta(minutes=5)
    return await ihr.register_collection(
        order.id,
        CollectionInput(
            specimens=[
                SpecimenCollection(specimen_id=s.id, collected_at=now, collected_by="Helsesekretær Test")
                for s in order.specimens
            ]
        ),
    )


# ---- catalog ----------------------------------------------------------------------------


async def test_catalog_etag_and_304(ihr: IhrClient, counter: Counter) -> None:
    first = await ihr.get_catalog()
    assert first.from_cache is False and first.etag
    assert any(s.code == CRP for s in first.catalog.services)
    second = await ihr.get_catalog()
    assert (second.from_cache, second.stale_reason) == (True, None)
    assert second.catalog.version == first.catalog.version
    statuses = [st for m, p, st in counter.seen if p.endswith("/catalog")]
    assert statuses == [200, 304]


async def test_catalog_from_cache_when_the_service_is_down(tmp_path: Path) -> None:
    cache_file = tmp_path / "ihr.sqlite3"
    with sandbox_server.EmbeddedSandbox(db_path=tmp_path / "sb.sqlite3", lab_delay_s=0.2) as sb:
        auth = auth_for(sb, tmp_path)
        async with IhrClient(sb.url, auth, cache=CatalogCache(cache_file)) as ihr:
            fresh = await ihr.get_catalog()
        url = sb.url
    # The sandbox has stopped: its port is closed (and so is its authority).
    async with IhrClient(url, auth, cache=CatalogCache(cache_file), backoff_s=0.05) as ihr:
        res = await ihr.get_catalog()
        with pytest.raises(ServiceUnavailable):
            await ihr.get_patient(DEMO_PATIENT_ID)
    assert res.from_cache is True
    assert res.stale_reason and STALE.match(res.stale_reason), res.stale_reason
    assert res.catalog.version == fresh.catalog.version
    # No cache and no service: ServiceUnavailable with the Norwegian text.
    async with IhrClient(url, auth, cache=CatalogCache(tmp_path / "empty.sqlite3"), backoff_s=0.05) as ihr:
        with pytest.raises(ServiceUnavailable) as ei:
            await ihr.get_catalog()
    assert ei.value.message == "Får ikke kontakt med IHR-tjenesten. Arbeidet ditt er ikke tapt."


# ---- auth and not found ------------------------------------------------------------------


async def test_without_a_sign_in_the_service_says_so(sandbox: Any) -> None:
    async with IhrClient(sandbox.url, None) as ihr:
        with pytest.raises(Unauthorized) as ei:
            await ihr.get_patient(DEMO_PATIENT_ID)
        with pytest.raises(Unauthorized):
            await ihr.get_catalog()
    assert ei.value.status == 401 and ei.value.message
    assert ei.value.problem is not None and ei.value.problem.status == 401
    assert DEMO_PATIENT_ID not in ei.value.message


async def test_not_found(ihr: IhrClient) -> None:
    with pytest.raises(NotFound) as ei:
        await ihr.get_patient("01019912345")
    assert ei.value.message
    with pytest.raises(NotFound):
        await ihr.get_requester("990000000")
    with pytest.raises(NotFound):
        await ihr.get_order("no-such-order")
    with pytest.raises(NotFound):
        await ihr.get_events("no-such-order")


# ---- people ----------------------------------------------------------------------------


async def test_patients_and_requesters(ihr: IhrClient) -> None:
    p = await ihr.get_patient(DEMO_PATIENT_ID)
    assert p.id == DEMO_PATIENT_ID and p.sex == "K"
    by_name = await ihr.search_patients(p.family_name[:5])
    assert DEMO_PATIENT_ID in [x.id for x in by_name.patients]
    by_id = await ihr.search_patients(DEMO_PATIENT_ID)
    assert [x.id for x in by_id.patients] == [DEMO_PATIENT_ID]
    none = await ihr.search_patients("Zzyzxqq")
    assert none.patients == []
    r = await ihr.get_requester(DEMO_REQUESTER_HPR)
    assert r.hpr == DEMO_REQUESTER_HPR and r.office_her_id == DEMO_OFFICE_HER_ID


# ---- groups ----------------------------------------------------------------------------


async def test_groups_crud(ihr: IhrClient, signed_in: Any) -> None:
    colleague = signed_in(DEMO_OFFICE_HER_ID, "990100349")
    before = await ihr.list_groups(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR)
    name = f"Min gruppe {uuid.uuid4().hex[:6]}"
    g = await ihr.create_group(GroupInput(name=name, service_codes=[CRP, HB], scope="personal"))
    assert g.name == name and g.scope == "personal" and g.owner_hpr == DEMO_REQUESTER_HPR
    listed = await ihr.list_groups(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR)
    assert g.id in [x.id for x in listed] and len(listed) == len(before) + 1
    other = await colleague.list_groups()
    assert g.id not in [x.id for x in other]  # someone else's personal group is not listed

    changed = await ihr.update_group(
        g.id, GroupInput(name=name + " v2", service_codes=[CRP], scope="personal"), version=version_tag(g)
    )
    assert (changed.id, changed.name, changed.service_codes) == (g.id, name + " v2", [CRP])
    with pytest.raises(Forbidden) as ei:
        await colleague.update_group(g.id, GroupInput(name="Kapret", service_codes=[CRP], scope="personal"))
    assert ei.value.message
    with pytest.raises(Forbidden):
        await colleague.delete_group(g.id)

    await ihr.delete_group(g.id, version=version_tag(changed))
    with pytest.raises(NotFound):
        await ihr.delete_group(g.id, version=version_tag(changed))
    with pytest.raises(NotFound):
        await ihr.update_group(g.id, GroupInput(name="x", service_codes=[CRP]))
    assert g.id not in [x.id for x in await ihr.list_groups(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR)]


async def test_a_stale_group_edit_is_refused_and_nothing_is_lost(ihr: IhrClient, signed_in: Any) -> None:
    """Issue 13: concurrent edits of one group all answered 200 and all but one were lost.
    Each edit now names the version it was made from; the later one gets 412 (`StaleEdit`)."""
    colleague = signed_in(DEMO_OFFICE_HER_ID, "990100349")
    g = await ihr.create_group(GroupInput(name=f"Felles {uuid.uuid4().hex[:6]}", service_codes=[CRP], scope="office"))
    edits = [GroupInput(name=f"{g.name} {i}", service_codes=[CRP, HB], scope="office") for i in range(30)]
    outcomes = await asyncio.gather(
        *(c.update_group(g.id, e, version=version_tag(g)) for c, e in zip([ihr, colleague] * 15, edits, strict=False)),
        return_exceptions=True,
    )
    won = [o for o in outcomes if not isinstance(o, BaseException)]
    lost = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(won) == 1 and len(lost) == 29
    assert all(isinstance(e, StaleEdit) and e.status == 412 for e in lost)
    assert lost[0].message == GROUP_STALE  # the service's Norwegian words
    [now] = [x for x in await ihr.list_groups() if x.id == g.id]
    assert now.name == won[0].name  # the one that won is what stands
    with pytest.raises(StaleEdit):  # deleting the version before the change: refused as well
        await ihr.delete_group(g.id, version=version_tag(g))
    with pytest.raises(IhrError) as missing:
        await ihr.update_group(g.id, edits[0])  # no version at all
    assert missing.value.status == 428 and "If-Match" in missing.value.message
    await ihr.delete_group(g.id, version=version_tag(now))


async def test_group_with_unknown_code_is_refused(ihr: IhrClient) -> None:
    with pytest.raises(ValidationProblem) as ei:
        await ihr.create_group(GroupInput(name="Feil", service_codes=["NPU00000X"]))
    assert ei.value.field_errors and ei.value.field_errors[0].path.startswith("service_codes")


# ---- orders ----------------------------------------------------------------------------


async def test_create_order_is_idempotent(ihr: IhrClient, counter: Counter) -> None:
    k = key()
    oi = order_input(CRP, KALIUM, comment="Idempotens")
    first = await ihr.create_order(oi, idempotency_key=k)
    again = await ihr.create_order(oi, idempotency_key=k)
    assert again.id == first.id
    assert [st for m, p, st in counter.seen if m == "POST" and p.endswith("/orders")] == [201, 200]
    assert [s.id for s in again.specimens] == [s.id for s in first.specimens]
    history = await ihr.list_orders(patient=DEMO_PATIENT_ID)
    assert [o.id for o in history].count(first.id) == 1
    # A different body with a used key is refused, and makes nothing.
    with pytest.raises(ValidationProblem):
        await ihr.create_order(order_input(HB), idempotency_key=k)
    assert len(await ihr.list_orders(patient=DEMO_PATIENT_ID)) == len(history)


async def test_concurrent_posts_with_one_key_make_one_order(ihr: IhrClient) -> None:
    k = key()
    oi = order_input(CRP, comment=f"Samtidig {k[:6]}")
    orders = await asyncio.gather(*(ihr.create_order(oi, idempotency_key=k) for _ in range(5)))
    assert len({o.id for o in orders}) == 1
    history = await ihr.list_orders(patient=DEMO_PATIENT_ID)
    assert [o.id for o in history].count(orders[0].id) == 1


async def test_order_allocates_specimens_and_requisitions(ihr: IhrClient) -> None:
    order = await new_order(ihr, CRP, KALIUM, HB)
    assert order.status == OrderStatus.SAVED
    assert order.patient.id == DEMO_PATIENT_ID and order.requester.hpr == DEMO_REQUESTER_HPR
    assert order.requisitions and all(r.number for r in order.requisitions)
    codes = {i.service_code for r in order.requisitions for i in r.items}
    assert codes == {CRP, KALIUM, HB}
    assert order.specimens and all(is_valid_specimen_id(s.id) for s in order.specimens)
    assert await ihr.get_order(order.id) == order


@pytest.mark.parametrize(
    ("oi", "path"),
    [
        (order_input("NPU99999"), "items[0].service_code"),
        (order_input(CRP, PSA), "items[1]"),  # not for a woman
        (order_input(CRP, patient_id="01019912345"), "patient_id"),
        (order_input(CRP, requester_hpr="990000000"), "requester_hpr"),
        (order_input(CRP, office_her_id="99999999"), "office_her_id"),
        (order_input(RUBELLA, answers={"gravid": True}), "answers.svangerskapsuke"),
        (order_input(RUBELLA, answers={"gravid": True, "svangerskapsuke": 99}), "answers.svangerskapsuke"),
        (order_input(RUBELLA, answers={"gravid": "kanskje"}), "answers.gravid"),
    ],
    ids=["unknown-code", "wrong-sex", "unknown-patient", "unknown-requester", "unknown-office",
         "missing-required", "out-of-bounds", "wrong-type"],
)
async def test_order_validation_has_field_paths(ihr: IhrClient, oi: OrderInput, path: str) -> None:
    with pytest.raises(ValidationProblem) as ei:
        await ihr.create_order(oi, idempotency_key=key())
    paths = [e.path for e in ei.value.field_errors]
    assert any(p == path or p.startswith(path + ".") for p in paths), paths
    assert all(e.detail for e in ei.value.field_errors)
    assert ei.value.message


async def test_answers_to_disabled_questions_are_dropped(ihr: IhrClient) -> None:
    order = await new_order(ihr, RUBELLA, answers={"gravid": False, "svangerskapsuke": 12})
    assert order.answer("gravid") is False
    assert order.answer("svangerskapsuke") is None


async def test_too_large_body(ihr: IhrClient) -> None:
    # model_construct skips the model's own max_length so the service's 1 MB limit is reached.
    huge = OrderInput.model_construct(**{**order_input(CRP).__dict__, "comment": "x" * 1_100_000})
    with pytest.raises(PayloadTooLarge) as ei:
        await ihr.create_order(huge, idempotency_key=key())
    assert ei.value.message


async def test_list_orders_filters(ihr: IhrClient) -> None:
    t0 = datetime.now(UTC) - timedelta(seconds=1)
    a = await new_order(ihr, CRP)
    b = await new_order(ihr, HB)
    recent = await ihr.list_orders(patient=DEMO_PATIENT_ID, since=t0)
    ids = [o.id for o in recent]
    assert ids[:2] == [b.id, a.id]  # newest first
    assert all(o.patient_id == DEMO_PATIENT_ID for o in recent)
    saved = await ihr.list_orders(patient=DEMO_PATIENT_ID, status=OrderStatus.SAVED)
    assert a.id in [o.id for o in saved] and all(o.status == OrderStatus.SAVED for o in saved)
    both = await ihr.list_orders(patient=DEMO_PATIENT_ID, status=[OrderStatus.SAVED, OrderStatus.CANCELLED])
    assert a.id in [o.id for o in both]
    assert all(o.status in (OrderStatus.SAVED, OrderStatus.CANCELLED) for o in both)
    ready = await ihr.list_orders(patient=DEMO_PATIENT_ID, status="svar_klart")
    assert a.id not in [o.id for o in ready]
    future = await ihr.list_orders(since=datetime.now(UTC) + timedelta(days=1))
    assert future == []


async def test_list_orders_follows_every_page(ihr: IhrClient, counter: Counter) -> None:
    """More orders than one page (issue 13: the list once stopped at 500 without a word)."""
    from sandbox.app import DEFAULT_PAGE

    t0 = datetime.now(UTC) - timedelta(seconds=1)
    made = await asyncio.gather(*(new_order(ihr, CRP) for _ in range(DEFAULT_PAGE + 5)))
    counter.seen.clear()
    listed = [o.id for o in await ihr.list_orders(since=t0)]
    assert {o.id for o in made} <= set(listed) and len(listed) == len(set(listed))  # every one, none twice
    assert [(m, p) for m, p, _ in counter.seen] == [("GET", "/api/v1/orders")] * 2


async def test_collection_and_specimen_lookup(ihr: IhrClient) -> None:
    order = await collected_order(ihr, CRP, HB)
    assert all(s.collected_at is not None and s.collected_by == "Helsesekretær Test" for s in order.specimens)
    spec = order.specimens[0]
    found = await ihr.lookup_specimen(spec.id)
    assert found.order_id == order.id and found.specimen.id == spec.id

    wrong = spec.id[:-1] + str((int(spec.id[-1]) + 1) % 10)
    with pytest.raises(ValidationProblem) as ei:
        await ihr.lookup_specimen(wrong)
    assert ei.value.status == 400 and ei.value.message

    unused = make_specimen_id(987_654_321)
    with pytest.raises(NotFound):
        await ihr.lookup_specimen(unused)


async def test_collection_with_unknown_specimen_is_refused(ihr: IhrClient) -> None:
    order = await new_order(ihr, CRP)
    bad = CollectionInput(
        specimens=[SpecimenCollection(specimen_id=make_specimen_id(987_654_320), collected_at=datetime.now(UTC), collected_by="X")]
    )
    with pytest.raises((ValidationProblem, NotFound)):
        await ihr.register_collection(order.id, bad)


async def test_update_order(ihr: IhrClient, routes: Any) -> None:
    require(routes, "PUT", "/orders/{id}")
    order = await new_order(ihr, CRP)
    changed = await ihr.update_order(order.id, order_input(CRP, HB, comment="Rettet"))
    assert changed.id == order.id and changed.comment == "Rettet"
    assert {i.service_code for r in changed.requisitions for i in r.items} == {CRP, HB}


# ---- send, receipts, add-ons, cancel ------------------------------------------------------


async def _wait_for_events(ihr: IhrClient, order_id: str, min_count: int, timeout: float = 10.0) -> list[Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        events = await ihr.get_events(order_id)
        if len(events) >= min_count or asyncio.get_running_loop().time() > deadline:
            return events
        await asyncio.sleep(0.1)


async def test_send_events_and_messages(ihr: IhrClient, routes: Any) -> None:
    require(routes, "POST", "/orders/{id}/send")
    order = await collected_order(ihr, CRP, KALIUM)
    sent = await ihr.send_order(order.id)
    assert sent.status == OrderStatus.SENT
    events = await _wait_for_events(ihr, order.id, 4)
    kinds = [e.kind.value for e in events]
    assert kinds[0] == "opprettet" and "sendt" in kinds
    assert [e.at for e in events] == sorted(e.at for e in events)  # oldest first
    assert any(k in kinds for k in ("transportkvittering", "applikasjonskvittering"))
    require(routes, "GET", "/orders/{id}/messages")
    messages = await ihr.get_messages(order.id)
    out = [m for m in messages if m.direction == "ut"]
    assert out and all(m.xml.lstrip().startswith("<") for m in out)
    assert len(out) == len(sent.requisitions)


async def test_add_on(ihr: IhrClient, routes: Any) -> None:
    require(routes, "POST", "/orders/{id}/addons")
    order = await collected_order(ihr, KALIUM)
    tube = next(s for s in order.specimens if KALIUM in s.service_codes)
    updated = await ihr.add_on(order.id, AddOnInput(specimen_id=tube.id, service_codes=["NPU03429"]))  # natrium
    items = [i for r in updated.requisitions for i in r.items if i.service_code == "NPU03429"]
    assert items and items[0].added_on is not None
    # A material that does not fit the tube: refused with the reason.
    with pytest.raises(Conflict) as ei:
        await ihr.add_on(order.id, AddOnInput(specimen_id=tube.id, service_codes=[HB]))  # EDTA blood
    assert ei.value.message and ei.value.status == 409


async def test_cancel(ihr: IhrClient, routes: Any) -> None:
    require(routes, "POST", "/orders/{id}/cancel")
    order = await new_order(ihr, CRP, HB)
    req = order.requisitions[0]
    cancelled = await ihr.cancel(order.id, CancelInput(requisition_id=req.id, reason="Feil pasient valgt"))
    again = next(r for r in cancelled.requisitions if r.id == req.id)
    assert again.status == OrderStatus.CANCELLED or all(i.status.value == "kansellert" for i in again.items)
    with pytest.raises((ValidationProblem, NotFound)):
        await ihr.cancel(order.id, CancelInput(requisition_id="no-such-requisition", reason="x"))


async def _wait_for_status(ihr: IhrClient, order_id: str, want: set[OrderStatus], timeout: float = 20.0) -> Order:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        order = await ihr.get_order(order_id)
        if order.status in want or asyncio.get_running_loop().time() > deadline:
            return order
        await asyncio.sleep(0.1)


async def test_lifecycle_to_result_then_nothing_can_be_undone(ihr: IhrClient, routes: Any) -> None:
    require(routes, "POST", "/orders/{id}/send")
    order = await collected_order(ihr, CRP)
    await ihr.send_order(order.id)
    with pytest.raises(Conflict):  # already sent
        await ihr.send_order(order.id)
    done = await _wait_for_status(ihr, order.id, {OrderStatus.RESULT_READY})
    assert done.status == OrderStatus.RESULT_READY
    assert all(i.status.value == "utført" for r in done.requisitions for i in r.items)
    kinds = [e.kind.value for e in await ihr.get_events(order.id)]
    assert "transportkvittering" in kinds and "applikasjonskvittering" in kinds and "laboratoriestatus" in kinds
    messages = await ihr.get_messages(order.id)
    assert {m.direction for m in messages} == {"ut", "inn"}
    assert any(m.msg_type == "APPREC" and m.direction == "inn" for m in messages)
    with pytest.raises(Conflict) as ei:
        await ihr.cancel(order.id, CancelInput(requisition_id=done.requisitions[0].id, reason="For sent"))
    assert ei.value.message and ei.value.status == 409
    require(routes, "PUT", "/orders/{id}")
    with pytest.raises(Conflict):
        await ihr.update_order(order.id, order_input(CRP, comment="For sent"))


async def test_rejected_order_is_corrected_and_sent_again(ihr: IhrClient, routes: Any) -> None:
    require(routes, "PUT", "/orders/{id}")
    require(routes, "POST", "/orders/{id}/send")
    unknown_at_lab = sorted(people.LAB_UNKNOWN_PATIENT_IDS)[0]
    order = await ihr.create_order(order_input(CRP, patient_id=unknown_at_lab), idempotency_key=key())
    now = datetime.now(UTC) - timedelta(minutes=5)
    await ihr.register_collection(
        order.id,
        CollectionInput(specimens=[SpecimenCollection(specimen_id=s.id, collected_at=now, collected_by="T") for s in order.specimens]),
    )
    await ihr.send_order(order.id)
    rejected = await _wait_for_status(ihr, order.id, {OrderStatus.REJECTED, OrderStatus.PARTLY_REJECTED})
    assert rejected.status == OrderStatus.REJECTED
    events = await ihr.get_events(order.id)
    errors = [err for e in events for err in e.errors]
    assert errors and errors[0].code and errors[0].text  # AppRec error, e.g. E35 "Pasient ikke funnet"
    corrected = await ihr.update_order(
        order.id, order_input(CRP, patient_id=unknown_at_lab, comment="Rettet etter avvisning")
    )
    assert corrected.id == order.id and corrected.comment == "Rettet etter avvisning"
    resent = await ihr.send_order(order.id)
    assert resent.status == OrderStatus.SENT


# ---- outbox against the real idempotency ---------------------------------------------------


async def test_submit_pending_never_makes_a_second_order(ihr: IhrClient, tmp_path: Path) -> None:
    box = Outbox(tmp_path / "ihr.sqlite3")
    oi = order_input(CRP, comment=f"Utboks {uuid.uuid4().hex[:6]}")
    k = key()
    box.put(k, oi)
    made = await ihr.create_order(oi, idempotency_key=k)  # accepted, but "crashed" before remove()
    res = await submit_pending(ihr, Outbox(tmp_path / "ihr.sqlite3"))
    assert [(kk, o.id) for kk, o in res.accepted] == [(k, made.id)]
    assert box.pending() == []
    history = await ihr.list_orders(patient=DEMO_PATIENT_ID)
    assert [o.id for o in history].count(made.id) == 1


# ---- privacy -------------------------------------------------------------------------------


async def test_logs_hold_no_fodselsnummer_or_name(ihr: IhrClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    p = await ihr.get_patient(DEMO_PATIENT_ID)
    await ihr.search_patients(p.family_name)
    await ihr.search_patients(DEMO_PATIENT_ID)
    await ihr.list_orders(patient=DEMO_PATIENT_ID)
    order = await new_order(ihr, CRP)
    await ihr.get_order(order.id)
    with pytest.raises(NotFound):
        await ihr.get_patient("01019912345")
    mine = [r for r in caplog.records if r.name.split(".")[0] in ("httpx", "httpcore", "ihr")]
    assert any(r.name == "httpx" for r in mine)
    text = "\n".join(r.getMessage() for r in caplog.records)  # the sandbox's own lines too
    for secret in (DEMO_PATIENT_ID, "01019912345", p.family_name, p.given_name):
        assert secret not in text
