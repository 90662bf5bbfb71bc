"""Groups: office and personal, CRUD with owner and office rules (who acts: the token)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR
from tests.sandbox.conftest import assert_problem, paths

OTHER_HPR = "990100349"
OTHER_OFFICE = "99200218"
OTHER_OFFICE_SECRETARY = "990200212"


@pytest.fixture(scope="module")
def colleague(signed_in: Callable[..., httpx.Client]) -> httpx.Client:
    return signed_in(DEMO_OFFICE_HER_ID, OTHER_HPR)


@pytest.fixture(scope="module")
def elsewhere(signed_in: Callable[..., httpx.Client]) -> httpx.Client:
    return signed_in(OTHER_OFFICE, OTHER_OFFICE_SECRETARY)  # her own office's staff: a sign-in checks it


def names(client: httpx.Client) -> set[str]:
    r = client.get("/groups")
    assert r.status_code == 200
    return {g["name"] for g in r.json()}


def test_list_shows_office_groups_and_only_my_personal_ones(
    client: httpx.Client, colleague: httpx.Client, elsewhere: httpx.Client
) -> None:
    mine = client.get("/groups").json()
    scopes = {g["scope"] for g in mine}
    assert scopes == {"office", "personal"}
    assert any(g["name"] == "Diabetes årskontroll" for g in mine)
    assert all(g["owner_hpr"] == DEMO_REQUESTER_HPR for g in mine if g["scope"] == "personal")

    assert all(g["scope"] == "office" for g in colleague.get("/groups").json())
    assert not any(g["name"] == "Diabetes årskontroll" for g in elsewhere.get("/groups").json())
    # asking for another office or health worker changes nothing: the token says who asks
    forged = client.get("/groups", params={"office": OTHER_OFFICE, "hpr": OTHER_HPR}).json()
    assert forged == mine


def test_create_edit_delete_a_personal_group(client: httpx.Client, colleague: httpx.Client) -> None:
    body = {"name": "Min sjekk", "service_codes": ["NPU19748", "NOR05172"], "scope": "personal"}
    r = client.post("/groups", json=body)
    assert r.status_code == 201, r.text
    group = r.json()
    seen = {"If-Match": r.headers["ETag"]}
    assert group["owner_hpr"] == DEMO_REQUESTER_HPR and group["scope"] == "personal"
    assert "Min sjekk" in names(client)
    assert "Min sjekk" not in names(colleague)

    other = colleague.put(f"/groups/{group['id']}", json=body, headers=seen)
    problem = assert_problem(other, 403)
    assert "eier" in problem["detail"]
    assert_problem(colleague.delete(f"/groups/{group['id']}"), 403)
    # the old identity headers are not believed
    forged = {"X-IHR-User": DEMO_REQUESTER_HPR, "X-IHR-Office": DEMO_OFFICE_HER_ID}
    assert_problem(colleague.delete(f"/groups/{group['id']}", headers=forged), 403)

    changed = client.put(f"/groups/{group['id']}", json={**body, "name": "Min nye sjekk"}, headers=seen)
    assert changed.status_code == 200 and changed.json()["name"] == "Min nye sjekk"
    assert client.delete(f"/groups/{group['id']}", headers={"If-Match": changed.headers["ETag"]}).status_code == 204
    assert_problem(client.delete(f"/groups/{group['id']}"), 404)
    assert_problem(client.put(f"/groups/{group['id']}", json=body), 404)


def test_office_groups_are_edited_from_their_own_office(
    client: httpx.Client, colleague: httpx.Client, elsewhere: httpx.Client
) -> None:
    body = {"name": "Kontorets pakke", "service_codes": ["NPU03577"], "scope": "office"}
    made = client.post("/groups", json=body)
    group = made.json()
    assert group["office_her_id"] == DEMO_OFFICE_HER_ID and group["owner_hpr"] is None
    assert "Kontorets pakke" in names(colleague)
    assert_problem(elsewhere.put(f"/groups/{group['id']}", json=body), 403)
    assert_problem(elsewhere.delete(f"/groups/{group['id']}", headers={"X-IHR-Office": DEMO_OFFICE_HER_ID}), 403)
    changed = colleague.put(f"/groups/{group['id']}", json=body, headers={"If-Match": made.headers["ETag"]})
    assert changed.status_code == 200
    assert colleague.delete(f"/groups/{group['id']}", headers={"If-Match": changed.headers["ETag"]}).status_code == 204


def test_group_validation(client: httpx.Client) -> None:
    bad = {"name": "Feil", "service_codes": ["NPU19748", "XXX999"]}
    problem = assert_problem(client.post("/groups", json=bad), 422)
    assert "XXX999" in paths(problem)["service_codes[1]"]
    problem = assert_problem(client.post("/groups", json={"name": "", "service_codes": []}), 422)
    assert {"name", "service_codes"} <= set(paths(problem))
