"""Groups: office and personal, CRUD with owner and office rules."""

from __future__ import annotations

import httpx

from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR
from tests.sandbox.conftest import assert_problem, paths

OTHER_HPR = "990100349"
OTHER_OFFICE = "99200218"


def h(user: str = DEMO_REQUESTER_HPR, office: str = DEMO_OFFICE_HER_ID) -> dict[str, str]:
    return {"X-IHR-User": user, "X-IHR-Office": office}


def names(client: httpx.Client, office: str, hpr: str) -> set[str]:
    r = client.get("/groups", params={"office": office, "hpr": hpr})
    assert r.status_code == 200
    return {g["name"] for g in r.json()}


def test_list_shows_office_groups_and_only_my_personal_ones(client: httpx.Client) -> None:
    mine = client.get("/groups", params={"office": DEMO_OFFICE_HER_ID, "hpr": DEMO_REQUESTER_HPR}).json()
    scopes = {g["scope"] for g in mine}
    assert scopes == {"office", "personal"}
    assert any(g["name"] == "Diabetes årskontroll" for g in mine)
    assert all(g["owner_hpr"] == DEMO_REQUESTER_HPR for g in mine if g["scope"] == "personal")

    colleague = client.get("/groups", params={"office": DEMO_OFFICE_HER_ID, "hpr": OTHER_HPR}).json()
    assert all(g["scope"] == "office" for g in colleague)
    elsewhere = client.get("/groups", params={"office": OTHER_OFFICE, "hpr": OTHER_HPR}).json()
    assert not any(g["name"] == "Diabetes årskontroll" for g in elsewhere)


def test_create_edit_delete_a_personal_group(client: httpx.Client) -> None:
    body = {"name": "Min sjekk", "service_codes": ["NPU19748", "NOR05172"], "scope": "personal"}
    r = client.post("/groups", json=body, headers=h())
    assert r.status_code == 201, r.text
    group = r.json()
    assert group["owner_hpr"] == DEMO_REQUESTER_HPR and group["scope"] == "personal"
    assert "Min sjekk" in names(client, DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR)
    assert "Min sjekk" not in names(client, DEMO_OFFICE_HER_ID, OTHER_HPR)

    other = client.put(f"/groups/{group['id']}", json=body, headers=h(OTHER_HPR))
    problem = assert_problem(other, 403)
    assert "eier" in problem["detail"]
    assert_problem(client.delete(f"/groups/{group['id']}", headers=h(OTHER_HPR)), 403)

    changed = client.put(f"/groups/{group['id']}", json={**body, "name": "Min nye sjekk"}, headers=h())
    assert changed.status_code == 200 and changed.json()["name"] == "Min nye sjekk"
    assert client.delete(f"/groups/{group['id']}", headers=h()).status_code == 204
    assert_problem(client.delete(f"/groups/{group['id']}", headers=h()), 404)
    assert_problem(client.put(f"/groups/{group['id']}", json=body, headers=h()), 404)


def test_office_groups_are_edited_from_their_own_office(client: httpx.Client) -> None:
    body = {"name": "Kontorets pakke", "service_codes": ["NPU03577"], "scope": "office"}
    group = client.post("/groups", json=body, headers=h()).json()
    assert group["office_her_id"] == DEMO_OFFICE_HER_ID and group["owner_hpr"] is None
    assert "Kontorets pakke" in names(client, DEMO_OFFICE_HER_ID, OTHER_HPR)
    assert_problem(client.put(f"/groups/{group['id']}", json=body, headers=h(office=OTHER_OFFICE)), 403)
    assert client.put(f"/groups/{group['id']}", json=body, headers=h(OTHER_HPR)).status_code == 200
    assert client.delete(f"/groups/{group['id']}", headers=h(OTHER_HPR)).status_code == 204


def test_group_validation(client: httpx.Client) -> None:
    bad = {"name": "Feil", "service_codes": ["NPU19748", "XXX999"]}
    problem = assert_problem(client.post("/groups", json=bad, headers=h()), 422)
    assert "XXX999" in paths(problem)["service_codes[1]"]
    problem = assert_problem(client.post("/groups", json={"name": "", "service_codes": []}, headers=h()), 422)
    assert {"name", "service_codes"} <= set(paths(problem))
    assert_problem(client.post("/groups", json={"name": "X", "service_codes": ["NPU19748"]}), 400)
    assert_problem(client.post("/groups", json={"name": "X", "service_codes": ["NPU19748"]},
                               headers={"X-IHR-User": DEMO_REQUESTER_HPR}), 400)
