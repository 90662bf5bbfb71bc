"""Follow-up rules, without Textual: why an order was rejected, what may still be cancelled,
and the body that corrects it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ihr.models import Answer, AppRecError, EventKind, ItemStatus, Order, OrderStatus, StatusEvent
from ihr.rules.followup import correctable, correction_input, open_items, rejections

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
PATIENT = "15880099903"  # synthetic (month + 80)
HPR = "9144900"
OFFICE = "81234"


def order(*requisitions: dict[str, Any], status: str = "avvist", **extra: Any) -> Order:
    data: dict[str, Any] = {
        "id": "o1", "office_her_id": OFFICE, "status": status, "created_at": NOW, "updated_at": NOW,
        "patient": {"id": PATIENT, "family_name": "Testesen", "given_name": "Tove", "sex": "K",
                    "birth_date": "1990-01-01"},
        "requester": {"hpr": HPR, "name": "Lege Test", "office_her_id": OFFICE},
        "requisitions": list(requisitions),
    }
    return Order.model_validate(data | extra)


def req(rid: str, status: str, *items: tuple[str, ItemStatus]) -> dict[str, Any]:
    return {"id": rid, "number": rid.upper(), "kind": "rekvisisjon", "discipline": "klinisk_kjemi",
            "lab_her_id": "L1", "status": status,
            "items": [{"id": f"{rid}-{code}", "service_code": code, "name": code, "status": st} for code, st in items]}


def apprec(rid: str, status: OrderStatus, minutes: int, *codes: str) -> StatusEvent:
    return StatusEvent(order_id="o1", requisition_id=rid, at=NOW + timedelta(minutes=minutes),
                       kind=EventKind.APPREC, status=status, text="",
                       errors=[AppRecError(code=c, text=f"feil {c}") for c in codes])


def test_the_latest_apprec_of_each_rejected_requisition_says_why() -> None:
    o = order(req("r1", "avvist", ("A", ItemStatus.ORDERED)), req("r2", "akseptert", ("B", ItemStatus.ORDERED)))
    events = [apprec("r1", OrderStatus.REJECTED, 1, "E20"), apprec("r1", OrderStatus.REJECTED, 2, "E35"),
              apprec("r2", OrderStatus.ACCEPTED, 2)]
    found = rejections(o, events, lambda her: f"Lab {her}")
    assert [(r.requisition_number, r.lab, [e.code for e in r.errors]) for r in found] == [("R1", "Lab L1", ["E35"])]
    assert correctable(o)


def test_a_cancelled_requisition_is_no_longer_rejected() -> None:
    o = order(req("r1", "kansellert", ("A", ItemStatus.CANCELLED)), status="kansellert")
    assert rejections(o, [apprec("r1", OrderStatus.REJECTED, 1, "E35")]) == []
    assert not correctable(o) and open_items(o) == []


def test_a_partly_rejected_requisition_is_listed_with_its_refused_analysis() -> None:
    o = order(req("r1", "delvis_avvist", ("A", ItemStatus.ORDERED), ("B", ItemStatus.CANCELLED)),
              status="delvis_avvist")
    found = rejections(o, [apprec("r1", OrderStatus.PARTLY_REJECTED, 1, "E71")])
    assert [r.status for r in found] == [OrderStatus.PARTLY_REJECTED]
    assert not correctable(o)  # only a wholly rejected requisition is corrected and sent again


def test_only_ordered_items_of_live_requisitions_may_be_cancelled() -> None:
    o = order(req("r1", "sendt", ("A", ItemStatus.ORDERED), ("B", ItemStatus.PERFORMED)),
              req("r2", "kansellert", ("C", ItemStatus.ORDERED)), status="sendt")
    assert [(r.id, i.service_code) for r, i in open_items(o)] == [("r1", "A")]


def test_correction_keeps_items_and_answers_and_replaces_what_was_corrected() -> None:
    o = order(req("r1", "avvist", ("A", ItemStatus.ORDERED), ("B", ItemStatus.CANCELLED)),
              priority="haster", comment="gammel",
              answers=[Answer(key="fastende", value=False), Answer(key="x", value=3)])
    body = correction_input(o, patient_id=PATIENT, requester_hpr="1", comment=" ny ", answers={"fastende": True})
    assert [(i.service_code, i.lab_her_id) for i in body.items] == [("A", "L1")]
    assert body.answers == {"fastende": True, "x": 3} and body.comment == "ny" and body.priority == "haster"
    assert body.office_her_id == OFFICE and body.patient_id == PATIENT
