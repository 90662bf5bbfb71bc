"""Routing by health region (ihr.rules.routing), for every seed office and every service.

The default performer of every service is a lab in the office's own region (the nearest where
several are); the service refuses an order to a lab outside the region without a reason
(422, in Norwegian, on the item's `lab_her_id`) and accepts it with one, and the requisition
keeps the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ihr.models import AnswerType, Catalog, Office, Order, Question, Service
from ihr.rules.questions import questions_for
from ihr.rules.routing import default_performer, distance_km, in_region
from sandbox.seed.catalog import seed_catalog
from sandbox.seed.people import seed_offices, seed_patients, seed_requesters
from tests.sandbox.conftest import assert_problem, order_body, paths, post_order

CATALOG = seed_catalog()
OFFICES = seed_offices()
PATIENTS = seed_patients()
WOMAN = PATIENTS[0]  # 36 years old: every service for women and for both sexes
MAN = next(p for p in PATIENTS if p.sex == "M" and 1960 <= p.birth_date.year <= 1990)
REASON = {"code": "fritt_behandlingsvalg", "text": "Pasienten ønsker å bli undersøkt der."}


def doctor_of(office: Office) -> str:
    return next(r.hpr for r in seed_requesters() if r.office_her_id == office.her_id)


def outside(service: Service, office: Office) -> str:
    """A lab outside the office's region that performs the service."""
    labs = [CATALOG.lab(h) for h in service.labs]
    return next(lab.her_id for lab in labs if not in_region(lab, office))


def answers(services: list[Service]) -> dict[str, Any]:
    """A valid answer to every question the services ask (No to the yes/no questions)."""
    def value(q: Question) -> Any:
        match q.type:
            case AnswerType.BOOLEAN:
                return False
            case AnswerType.CHOICE:
                return q.choices[0].code
            case AnswerType.INTEGER | AnswerType.DECIMAL:
                return int(q.min or 1) + 1
            case AnswerType.DATE:
                return "2026-11-01"
            case AnswerType.DATETIME:
                return "2026-11-21T08:00:00+01:00"
            case _:
                return "Ja, se henvisning."

    return {q.key: value(q) for q in questions_for(services)}


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.name)
def test_every_service_goes_by_default_to_the_nearest_lab_in_the_offices_region(office: Office) -> None:
    assert office.health_region
    for service in CATALOG.services:
        lab = CATALOG.lab(default_performer(service, office, CATALOG) or "")
        assert lab.health_region == office.health_region, (office.name, service.name, lab.short_name)
        in_reach = [CATALOG.lab(h) for h in service.labs if CATALOG.lab(h).health_region == office.health_region]
        assert distance_km(office, lab) == min(distance_km(office, other) for other in in_reach)


def test_the_seed_offices_go_to_their_own_hospitals() -> None:
    mr_kne = CATALOG.service("SNG0AG")
    crp = CATALOG.service("NPU19748")
    by_name = {o.name: o for o in OFFICES}
    expected = {"Solbakken legekontor": "OUS", "Elvebredden legevakt": "St. Olav", "Furulund sykehjem": "Ahus"}
    for name, hospital in expected.items():
        for service in (mr_kne, crp):
            lab = CATALOG.lab(default_performer(service, by_name[name], CATALOG) or "")
            assert lab.short_name.startswith(hospital), (name, service.name, lab.short_name)


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.name)
def test_the_service_refuses_an_order_outside_the_region_without_a_reason_and_takes_it_with_one(
    office: Office, signed_in: Callable[..., httpx.Client]
) -> None:
    client = signed_in(office.her_id, doctor_of(office))
    served = Catalog.model_validate(client.get("/catalog").json())
    assert served == CATALOG
    for patient in (WOMAN, MAN):
        services = [s for s in CATALOG.services if s.sex in (None, patient.sex)]
        if patient is MAN:
            services = [s for s in services if s.sex == "M"]
        elsewhere = [outside(s, office) for s in services]
        body = order_body(
            patient_id=patient.id, requester_hpr=doctor_of(office), office_her_id=office.her_id,
            answers=answers(services),
        )
        body["items"] = [{"service_code": s.code, "lab_her_id": lab} for s, lab in zip(services, elsewhere, strict=True)]

        refused = paths(assert_problem(post_order(client, body), 422))
        for i, service in enumerate(services):
            detail = refused.get(f"items[{i}].lab_her_id", "")
            assert "utenfor kontorets helseregion" in detail and office.health_region in detail, (service.name, refused)

        for item in body["items"]:
            item["out_of_region"] = REASON
        r = post_order(client, body)
        assert r.status_code == 201, r.text
        order = Order.model_validate(r.json())
        assert {(i.service_code, req.lab_her_id) for req in order.requisitions for i in req.items} == {
            (s.code, lab) for s, lab in zip(services, elsewhere, strict=True)
        }
        assert all(req.out_of_region is not None and req.out_of_region.text == REASON["text"]
                   for req in order.requisitions)


def test_without_a_lab_the_service_routes_in_the_region(signed_in: Callable[..., httpx.Client]) -> None:
    trondheim = next(o for o in OFFICES if o.municipality == "Trondheim")
    client = signed_in(trondheim.her_id, doctor_of(trondheim))
    body = order_body(["NPU19748", "LOK-MB-URIN"], requester_hpr=doctor_of(trondheim), office_her_id=trondheim.her_id)
    r = post_order(client, body)
    assert r.status_code == 201, r.text
    labs = {CATALOG.lab(req.lab_her_id).health_region for req in Order.model_validate(r.json()).requisitions}
    assert labs == {"Helse Midt-Norge"}
