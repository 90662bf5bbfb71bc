"""Catalog with ETag, patients, requesters."""

from __future__ import annotations

from typing import Any

import httpx

from ihr.models import Catalog, PatientSearchResult, Requester
from sandbox.seed.people import DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, seed_patients
from tests.sandbox.conftest import assert_problem


def test_catalog_has_an_etag_and_answers_304(client: httpx.Client) -> None:
    r = client.get("/catalog")
    assert r.status_code == 200
    catalog = Catalog.model_validate(r.json())
    assert catalog.services and catalog.labs and catalog.containers
    etag = r.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = client.get("/catalog", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/catalog", headers={"If-None-Match": f'W/{etag}'}).status_code == 304
    assert client.get("/catalog", headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    stale = client.get("/catalog", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.headers["etag"] == etag
    assert client.get("/catalog").headers["etag"] == etag  # computed once, stable


def test_patient_by_id_and_unknown_patient(client: httpx.Client) -> None:
    r = client.get(f"/patients/{DEMO_PATIENT_ID}")
    assert r.status_code == 200
    assert r.json()["id"] == DEMO_PATIENT_ID
    problem = assert_problem(client.get("/patients/01010199999"), 404)
    assert "01010199999" not in problem["detail"]  # never echo a fødselsnummer


def test_patient_search_by_name_parts_and_number(client: httpx.Client) -> None:
    patients = seed_patients()
    target = patients[0]
    family = target.family_name.upper()
    given = target.given_name.split()[0].lower()
    found = PatientSearchResult.model_validate(client.get("/patients", params={"q": f"{given} {family}"}).json())
    assert [p.id for p in found.patients] == [target.id]

    by_number = client.get("/patients", params={"q": f"{target.id[:6]} {target.id[6:]}"}).json()
    assert [p["id"] for p in by_number["patients"]] == [target.id]

    partial = client.get("/patients", params={"q": target.family_name[:3].lower()}).json()["patients"]
    assert target.id in [p["id"] for p in partial]

    assert client.get("/patients", params={"q": "Ingenslags Navnesen"}).json() == {"patients": [], "more": False}
    problem = assert_problem(client.get("/patients"), 422)
    assert problem["errors"][0]["path"] == "q"


def test_requester_by_hpr(client: httpx.Client) -> None:
    r = client.get(f"/requesters/{DEMO_REQUESTER_HPR}")
    assert r.status_code == 200
    assert Requester.model_validate(r.json()).hpr == DEMO_REQUESTER_HPR
    assert_problem(client.get("/requesters/123"), 404)


def test_the_offices_requesters_and_only_theirs(signed_in: Any) -> None:
    from sandbox.seed.people import seed_requesters

    def listed(office: str, hpr: str) -> list[str]:
        r = signed_in(office, hpr).get("/requesters")
        assert r.status_code == 200
        return [Requester.model_validate(x).hpr for x in r.json()]

    for office in {r.office_her_id for r in seed_requesters()}:
        someone = next(r for r in seed_requesters() if r.office_her_id == office)
        assert sorted(listed(office, someone.hpr)) == sorted(r.hpr for r in seed_requesters() if r.office_her_id == office)


def test_unknown_paths_and_methods_are_problems(client: httpx.Client) -> None:
    assert_problem(client.get("/finnes-ikke"), 404)
    assert_problem(client.delete("/catalog"), 405)
    assert_problem(client.get("/orders/ukjent-id"), 404)
