"""After the order: sending, the labs' receipts and statuses, correction, add-ons, cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from ihr.kith import parse_apprec, parse_msghead, validate
from ihr.models import KithMessage, Order, StatusEvent
from sandbox.labs import LAB_UNKNOWN_REQUESTER_HPRS, STO_MB
from sandbox.seed.people import LAB_UNKNOWN_PATIENT_IDS, seed_patients
from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import (
    FakeClock,
    assert_problem,
    order_body,
    paths,
    post_order,
)

DELAY = 10.0
FURULUND = "99200325"
KITH_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "kith"
LAB_STATUSES = ["transportkvittert", "akseptert", "mottatt", "under_analyse", "svar_klart"]

FREE_CHOICE = {"code": "fritt_behandlingsvalg", "text": "Pasienten har valgt sykehuset selv."}


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sandbox(clock: FakeClock) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(lab_delay_s=DELAY, clock=clock) as sb:
        yield sb


def step(sandbox: EmbeddedSandbox, clock: FakeClock, n: int = 1) -> None:
    """Let the labs work for n delays."""
    for _ in range(n):
        clock.advance(DELAY)
        sandbox.app.state.hub.run_due()


def get(client: httpx.Client, order_id: str) -> Order:
    return Order.model_validate(client.get(f"/orders/{order_id}").json())


def create(client: httpx.Client, codes: list[str], **kw: object) -> Order:
    r = post_order(client, order_body(codes, **kw))
    assert r.status_code == 201, r.text
    return Order.model_validate(r.json())


def send(client: httpx.Client, order: Order) -> Order:
    r = client.post(f"/orders/{order.id}/send")
    assert r.status_code == 202, r.text
    return Order.model_validate(r.json())


def messages(client: httpx.Client, order_id: str) -> list[KithMessage]:
    return [KithMessage.model_validate(m) for m in client.get(f"/orders/{order_id}/messages").json()]


def events(client: httpx.Client, order_id: str) -> list[StatusEvent]:
    return [StatusEvent.model_validate(e) for e in client.get(f"/orders/{order_id}/events").json()]


def collect(client: httpx.Client, order: Order, at, specimen_id: str | None = None) -> Order:  # noqa: ANN001
    sid = specimen_id or order.specimens[0].id
    r = client.post(
        f"/orders/{order.id}/collection",
        json={"specimens": [{"specimen_id": sid, "collected_at": at.isoformat(), "collected_by": "Bioingeniør Per"}]},
    )
    assert r.status_code == 200, r.text
    return Order.model_validate(r.json())


# ---- send and the happy path ----------------------------------------------------------------


def test_send_stores_one_message_per_requisition_and_runs_the_status_sequence(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    order = create(client, ["NPU19748", "NOR05172", "LOK-MB-STREP", "SSC0AA"], answers={"problemstilling": "Hoste i 6 uker."})
    assert [m for m in messages(client, order.id)] == []
    sent = send(client, order)
    assert sent.status == "sendt" and {r.status for r in sent.requisitions} == {"sendt"}

    out = messages(client, order.id)
    assert sorted(m.msg_type for m in out) == ["REQ_LAB", "REQ_MBIO", "REQ_RTG"]
    assert {m.requisition_id for m in out} == {r.id for r in order.requisitions}
    assert all(m.direction == "ut" for m in out)
    for m in out:
        info = parse_msghead(m.xml.encode())
        req = next(r for r in order.requisitions if r.id == m.requisition_id)
        assert (info.msg_id, info.receiver_her, info.sender_her) == (m.msg_id, req.lab_her_id, order.office_her_id)
        assert info.patient_id == order.patient.id

    seen = [get(client, order.id).status]
    for _ in LAB_STATUSES:
        step(sandbox, clock)
        seen.append(get(client, order.id).status)
    assert seen == ["sendt", *LAB_STATUSES]
    final = get(client, order.id)
    assert {r.status for r in final.requisitions} == {"svar_klart"}
    assert {i.status for r in final.requisitions for i in r.items} == {"utført"}
    step(sandbox, clock, 3)
    assert get(client, order.id).status == "svar_klart"  # nothing after the answer

    inn = [m for m in messages(client, order.id) if m.direction == "inn"]
    assert len(inn) == 3 and {m.msg_type for m in inn} == {"APPREC"}
    for m in inn:
        result = parse_apprec(m.xml.encode())
        assert result.status == "1"
        assert result.original_msg_id in {o.msg_id for o in out}

    evs = events(client, order.id)
    kinds = [e.kind for e in evs]
    assert kinds[0] == "opprettet"
    assert kinds.count("sendt") == 3 and kinds.count("transportkvittering") == 3
    assert kinds.count("applikasjonskvittering") == 3 and kinds.count("laboratoriestatus") == 9
    assert [e.at for e in evs] == sorted(e.at for e in evs)
    assert evs[-1].status == "svar_klart"


@pytest.mark.skipif(not KITH_DIR.is_dir(), reason=f"KITH XSDs not found at {KITH_DIR}")
def test_messages_are_valid_against_the_kith_schemas(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    order = create(client, ["NPU19748", "LOK-MB-URIN", "LOK-RTG-KNE"], answers={"problemstilling": "Smerter."})
    send(client, order)
    step(sandbox, clock, 2)
    msgs = messages(client, order.id)
    assert {m.direction for m in msgs} == {"ut", "inn"}
    for m in msgs:
        schema = "apprec" if m.direction == "inn" else "msghead"
        assert validate(m.xml.encode(), schema, KITH_DIR) == [], m.msg_type


def test_send_twice_and_unknown_order(client: httpx.Client) -> None:
    order = create(client, ["NPU19748"])
    send(client, order)
    assert "sendt" in assert_problem(client.post(f"/orders/{order.id}/send"), 409)["detail"]
    assert_problem(client.post("/orders/finnes-ikke/send"), 404)
    assert_problem(client.get("/orders/finnes-ikke/events"), 404)
    assert_problem(client.get("/orders/finnes-ikke/messages"), 404)


def test_collection_after_sending(clock: FakeClock, client: httpx.Client) -> None:
    order = send(client, create(client, ["NPU19748"]))
    at = clock() - timedelta(minutes=5)
    collected = collect(client, order, at)  # first registration after sending: fine
    assert collected.specimens[0].collected_at is not None
    collect(client, order, at)  # the same again: fine
    r = client.post(
        f"/orders/{order.id}/collection",
        json={"specimens": [{"specimen_id": order.specimens[0].id,
                             "collected_at": (at - timedelta(hours=1)).isoformat(), "collected_by": "X"}]},
    )
    assert_problem(r, 409)


# ---- the AppRec outcomes ----------------------------------------------------------------------


def apprec_event(client: httpx.Client, order_id: str) -> StatusEvent:
    return next(e for e in events(client, order_id) if e.kind == "applikasjonskvittering")


def test_unknown_patient_is_rejected_with_e35_and_can_be_corrected(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    patient_id = sorted(LAB_UNKNOWN_PATIENT_IDS)[0]
    order = send(client, create(client, ["NPU19748"], patient_id=patient_id))
    step(sandbox, clock, 2)
    rejected = get(client, order.id)
    assert rejected.status == "avvist" and rejected.requisitions[0].status == "avvist"
    ev = apprec_event(client, order.id)
    assert [e.code for e in ev.errors] == ["E35"] and ev.status == "avvist"
    apprec = next(m for m in messages(client, order.id) if m.direction == "inn")
    assert parse_apprec(apprec.xml.encode()).status == "2"
    step(sandbox, clock, 3)
    assert get(client, order.id).status == "avvist"  # a rejected requisition goes no further

    # Correct the patient (PUT with a new OrderInput) and send again.
    good = next(p for p in seed_patients() if p.id not in LAB_UNKNOWN_PATIENT_IDS and p.sex == "M")
    r = client.put(f"/orders/{order.id}", json=order_body(["NPU19748"], patient_id=good.id))
    assert r.status_code == 200, r.text
    corrected = Order.model_validate(r.json())
    assert corrected.status == "lagret" and corrected.patient.id == good.id
    assert corrected.requisitions[0].number == order.requisitions[0].number  # same requisition number
    assert corrected.specimens[0].id == order.specimens[0].id  # the printed label still holds
    send(client, corrected)
    seen = []
    for _ in LAB_STATUSES:
        step(sandbox, clock)
        seen.append(get(client, order.id).status)
    assert seen == LAB_STATUSES
    assert len([m for m in messages(client, order.id) if m.direction == "ut"]) == 2


def test_correcting_is_refused_while_the_lab_has_it(client: httpx.Client) -> None:
    order = send(client, create(client, ["NPU19748"]))
    assert_problem(client.put(f"/orders/{order.id}", json=order_body(["NPU19748"])), 409)
    assert_problem(client.put("/orders/finnes-ikke", json=order_body(["NPU19748"])), 404)


def test_unknown_requester_is_rejected_with_e20(
    sandbox: EmbeddedSandbox, clock: FakeClock, signed_in: Callable[..., httpx.Client]
) -> None:
    hpr = sorted(LAB_UNKNOWN_REQUESTER_HPRS)[0]  # the tilsynslege at Furulund: her office orders
    client = signed_in(FURULUND, hpr)
    order = send(client, create(client, ["NPU19748"], requester_hpr=hpr, office_her_id=FURULUND))
    step(sandbox, clock, 2)
    assert get(client, order.id).status == "avvist"
    assert [e.code for e in apprec_event(client, order.id).errors] == ["E20"]


def test_an_analysis_the_lab_cannot_do_today_is_partly_rejected(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    body = order_body(["NPU19748", "NPU10267"])
    for item in body["items"]:  # a lab in another region: the patient's own choice
        item["lab_her_id"] = STO_MB
        item["out_of_region"] = FREE_CHOICE
    order = send(client, Order.model_validate(post_order(client, body).json()))
    step(sandbox, clock, 2)
    partly = get(client, order.id)
    assert partly.status == "delvis_avvist"
    items = {i.service_code: i.status for i in partly.requisitions[0].items}
    assert items == {"NPU19748": "bestilt", "NPU10267": "kansellert"}
    ev = apprec_event(client, order.id)
    assert ev.status == "delvis_avvist" and ev.errors and "reagensmangel" in (ev.errors[0].details or "")
    apprec = next(m for m in messages(client, order.id) if m.direction == "inn")
    assert parse_apprec(apprec.xml.encode()).status == "3"
    step(sandbox, clock, 3)
    done = get(client, order.id)
    assert done.status == "svar_klart"
    assert {i.service_code: i.status for i in done.requisitions[0].items} == {"NPU19748": "utført", "NPU10267": "kansellert"}


def test_a_requisition_with_nothing_the_lab_can_do_is_rejected_and_the_order_partly(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    body = order_body(["NPU10267", "LOK-MB-STREP"])
    body["items"][0]["lab_her_id"] = STO_MB
    body["items"][0]["out_of_region"] = FREE_CHOICE
    order = send(client, Order.model_validate(post_order(client, body).json()))
    step(sandbox, clock, 2)
    after = get(client, order.id)
    statuses = {r.discipline: r.status for r in after.requisitions}
    assert statuses == {"klinisk_kjemi": "avvist", "mikrobiologi": "akseptert"}
    assert after.status == "delvis_avvist"


# ---- add-ons --------------------------------------------------------------------------------------


def test_addon_within_stability_is_accepted_and_beyond_it_refused(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    order = create(client, ["NOR05172"])  # B-Hemoglobin: EDTA, room temperature, 24 h
    spec = order.specimens[0]
    refused = assert_problem(
        client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec.id, "service_codes": ["NPU02593"]}), 409
    )
    assert "ikke registrert tatt" in refused["detail"]

    order = collect(client, order, clock() - timedelta(hours=2))
    r = client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec.id, "service_codes": ["NPU02593"]})
    assert r.status_code == 200, r.text
    added = Order.model_validate(r.json())
    item = next(i for i in added.requisitions[0].items if i.service_code == "NPU02593")
    assert item.specimen_id == spec.id and item.added_on is not None
    assert len(added.specimens) == 1 and "NPU02593" in added.specimens[0].service_codes
    assert "etterrekvirering" in [e.kind for e in events(client, order.id)]

    wrong = assert_problem(
        client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec.id, "service_codes": ["NPU18016"]}), 409
    )
    assert "Heparinplasma" in wrong["detail"] and paths(wrong) == {"service_codes[0]": wrong["detail"]}

    clock.advance(23 * 3600)  # 25 hours after collection
    late = assert_problem(
        client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec.id, "service_codes": ["NPU03568"]}), 409
    )
    assert "Holdbarheten" in late["detail"] and "24 timer" in late["detail"]
    # HbA1c keeps 72 hours in EDTA at room temperature: still fine.
    ok = client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec.id, "service_codes": ["NPU27300"]})
    assert ok.status_code == 200, ok.text
    assert get(client, order.id).specimens[0].service_codes == sorted(["NOR05172", "NPU02593", "NPU27300"])


def test_addon_validation(clock: FakeClock, client: httpx.Client) -> None:
    order = collect(client, create(client, ["NOR05172"]), clock() - timedelta(minutes=30))
    spec = order.specimens[0].id
    problem = assert_problem(client.post(f"/orders/{order.id}/addons", json={"specimen_id": "0000000000", "service_codes": ["NPU02593"]}), 422)
    assert "specimen_id" in paths(problem)
    problem = assert_problem(client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec, "service_codes": ["TULL"]}), 422)
    assert "service_codes[0]" in paths(problem)
    problem = assert_problem(client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec, "service_codes": []}), 422)
    assert_problem(client.post("/orders/finnes-ikke/addons", json={"specimen_id": spec, "service_codes": ["NPU02593"]}), 404)


def test_addon_after_sending_goes_to_the_lab_and_after_the_answer_by_phone(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    order = collect(client, create(client, ["NOR05172"]), clock() - timedelta(minutes=30))
    send(client, order)
    step(sandbox, clock, 3)  # mottatt
    spec = order.specimens[0].id
    r = client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec, "service_codes": ["NPU02593"]})
    assert r.status_code == 200, r.text
    assert Order.model_validate(r.json()).status == "mottatt"
    out = [m for m in messages(client, order.id) if m.direction == "ut"]
    assert len(out) == 2  # the requisition again, with the add-on
    step(sandbox, clock, 2)
    assert get(client, order.id).status == "svar_klart"
    inn = [m for m in messages(client, order.id) if m.direction == "inn"]
    assert {parse_apprec(m.xml.encode()).original_msg_id for m in inn} == {m.msg_id for m in out}
    late = assert_problem(
        client.post(f"/orders/{order.id}/addons", json={"specimen_id": spec, "service_codes": ["NPU03568"]}), 409
    )
    assert "telefon" in late["detail"]


# ---- cancel ----------------------------------------------------------------------------------------


def test_cancel_items_and_requisitions(sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client) -> None:
    order = create(client, ["NPU19748", "NOR05172", "LOK-MB-STREP"])
    chem = next(r for r in order.requisitions if r.discipline == "klinisk_kjemi")
    micro = next(r for r in order.requisitions if r.discipline == "mikrobiologi")

    r = client.post(f"/orders/{order.id}/cancel", json={"item_ids": [chem.items[0].id], "reason": "Feilbestilt"})
    assert r.status_code == 200, r.text
    after = Order.model_validate(r.json())
    chem_after = next(x for x in after.requisitions if x.id == chem.id)
    assert [i.status for i in chem_after.items] == ["kansellert", "bestilt"] and chem_after.status == "lagret"

    r = client.post(f"/orders/{order.id}/cancel", json={"requisition_id": micro.id, "reason": "Tatt på legevakten"})
    after = Order.model_validate(r.json())
    assert next(x for x in after.requisitions if x.id == micro.id).status == "kansellert"
    assert after.status == "lagret"
    cancelled = [e for e in events(client, order.id) if e.kind == "kansellert"]
    assert len(cancelled) == 2 and "Tatt på legevakten" in cancelled[1].text

    sent = send(client, after)  # the cancelled requisition is not sent
    assert [m.requisition_id for m in messages(client, order.id)] == [chem.id]
    assert next(x for x in sent.requisitions if x.id == micro.id).status == "kansellert"

    step(sandbox, clock, 5)
    done = get(client, order.id)
    assert done.status == "svar_klart"
    problem = assert_problem(client.post(f"/orders/{order.id}/cancel", json={"requisition_id": chem.id, "reason": "x"}), 409)
    assert "utført" in problem["detail"]


def test_cancel_everything_and_validation(client: httpx.Client) -> None:
    order = create(client, ["NPU19748"])
    assert "requisition_id" in paths(assert_problem(client.post(f"/orders/{order.id}/cancel", json={"reason": "x"}), 422))
    assert "item_ids[0]" in paths(assert_problem(client.post(f"/orders/{order.id}/cancel", json={"item_ids": ["nei"], "reason": "x"}), 422))
    assert "reason" in paths(assert_problem(client.post(f"/orders/{order.id}/cancel", json={"requisition_id": order.requisitions[0].id, "reason": ""}), 422))
    r = client.post(f"/orders/{order.id}/cancel", json={"requisition_id": order.requisitions[0].id, "reason": "Pasienten reiste"})
    assert Order.model_validate(r.json()).status == "kansellert"
    assert_problem(client.post(f"/orders/{order.id}/send"), 409)
    assert_problem(client.post("/orders/finnes-ikke/cancel", json={"reason": "x", "item_ids": ["a"]}), 404)


def test_a_cancellation_the_lab_is_too_late_for_is_refused_and_leaves_the_items(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    """The lab finishes before the Kansellering arrives: its AppRec says Avvist (X99) and
    the items stay as the lab reported them, not cancelled."""
    order = create(client, ["NPU19748"])
    send(client, order)
    step(sandbox, clock, 4)  # ... under analyse
    clock.advance(DELAY / 2)  # the Kansellering arrives after the lab's "svar klart"
    r = client.post(f"/orders/{order.id}/cancel", json={"requisition_id": order.requisitions[0].id, "reason": "For sent"})
    assert r.status_code == 200, r.text
    assert Order.model_validate(r.json()).requisitions[0].items[0].cancel_requested_at is not None
    step(sandbox, clock, 1)
    done = get(client, order.id)
    assert done.status == "svar_klart"
    assert [(i.status, i.cancel_requested_at) for i in done.requisitions[0].items] == [("utført", None)]
    refusal = next(e for e in events(client, order.id) if "avvist kanselleringen" in e.text)
    assert [e.code for e in refusal.errors] == ["X99"]
    out = [m for m in messages(client, order.id) if m.direction == "ut"]
    assert [m.service_type for m in out] == ["N", "C"]


def test_cancelling_some_items_after_sending_sends_an_endring(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client
) -> None:
    order = create(client, ["NPU19748", "NPU03230"])
    send(client, order)
    step(sandbox, clock, 2)  # accepted
    crp = next(i for i in order.requisitions[0].items if i.service_code == "NPU19748")
    client.post(f"/orders/{order.id}/cancel", json={"item_ids": [crp.id], "reason": "Dobbeltbestilt"})
    step(sandbox, clock, 1)
    after = get(client, order.id)
    assert {i.service_code: i.status for i in after.requisitions[0].items} == {"NPU19748": "kansellert", "NPU03230": "bestilt"}
    out = [m for m in messages(client, order.id) if m.direction == "ut"]
    assert [m.service_type for m in out] == ["N", "M"]
    step(sandbox, clock, 3)
    assert {i.service_code: i.status for i in get(client, order.id).requisitions[0].items} == {
        "NPU19748": "kansellert", "NPU03230": "utført"
    }


@pytest.mark.skipif(not KITH_DIR.is_dir(), reason=f"KITH XSDs not found at {KITH_DIR}")
def test_a_message_the_lab_cannot_validate_is_rejected_with_t02(
    sandbox: EmbeddedSandbox, clock: FakeClock, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken sender (simulated: our builder never leaves out ServType) gets an AppRec
    "Avvist" with 8221 T02 and a Norwegian text, and the order shows the rejection."""
    import sandbox.hub as hub_module

    real = hub_module.build_requisition_message

    def broken(*args: object, **kw: object) -> bytes:
        return real(*args, **kw).replace(b'<ServType V="N" DN="Ny"/>', b"", 1)  # type: ignore[arg-type]

    monkeypatch.setattr(hub_module, "build_requisition_message", broken)
    order = create(client, ["NPU19748"])
    send(client, order)
    step(sandbox, clock, 2)
    rejected = get(client, order.id)
    assert rejected.status == "avvist"
    event = next(e for e in events(client, order.id) if e.errors)
    assert [(e.code, e.text) for e in event.errors] == [("T02", "XML validerer ikke")]
    assert "XML-skjemaet" in event.errors[0].details
    apprec = next(m for m in messages(client, order.id) if m.msg_type == "APPREC")
    assert parse_apprec(apprec.xml.encode()).status_text == "Avvist"
