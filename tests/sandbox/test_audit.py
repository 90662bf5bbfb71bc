"""The access log: one row per access to a patient's data, with who did it; append-only and
hash-chained, so an edit or a removed row in the SQLite file is found; readable per patient
under its own scope. And the name search: three letters at least, a limit per client."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ihr.helseid import SCOPE_AUDIT
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from sandbox.server import EmbeddedSandbox
from tests.helseid import auth_for
from tests.sandbox.conftest import FakeClock, assert_problem, order_body, post_order

OFFICE_B, DOCTOR_B = "99200218", "990100571"
COLLEAGUE = "990100349"


def rows(sandbox: EmbeddedSandbox, patient: str = DEMO_PATIENT_ID) -> list[dict[str, Any]]:
    return sandbox.app.state.db.audit_rows(patient_id=patient)


def test_each_patient_access_adds_exactly_one_row(
    sandbox: EmbeddedSandbox, clock: FakeClock, signed_in: Callable[..., httpx.Client]
) -> None:
    colleague = signed_in(DEMO_OFFICE_HER_ID, COLLEAGUE)
    client_id = colleague.auth.session.credentials.client_id  # type: ignore[union-attr]
    order: dict[str, Any] = {}

    def create() -> httpx.Response:
        r = post_order(colleague, order_body(["NPU19748"]))
        order.update(r.json())
        return r

    def collect() -> httpx.Response:
        at = (clock() - timedelta(minutes=5)).isoformat()
        specimens = [{"specimen_id": s["id"], "collected_at": at, "collected_by": "Sekretær"} for s in order["specimens"]]
        return colleague.post(f"/orders/{order['id']}/collection", json={"specimens": specimens})

    steps: list[tuple[str, Callable[[], httpx.Response], str | None]] = [
        ("patient.read", lambda: colleague.get(f"/patients/{DEMO_PATIENT_ID}"), None),
        ("patient.search", lambda: colleague.get("/patients", params={"q": DEMO_PATIENT_ID}), None),
        ("order.create", create, "order"),
        ("order.read", lambda: colleague.get(f"/orders/{order['id']}"), "order"),
        ("order.list", lambda: colleague.get("/orders", params={"patient": DEMO_PATIENT_ID}), None),
        ("order.collection", collect, "order"),
        ("specimen.lookup", lambda: colleague.get(f"/specimens/{order['specimens'][0]['id']}"), "specimen"),
        ("labels.print", lambda: colleague.post(f"/orders/{order['id']}/prints",
                                                 json={"specimen_ids": [order["specimens"][0]["id"]]}), "specimen"),
        ("order.send", lambda: colleague.post(f"/orders/{order['id']}/send"), "order"),
        ("order.events", lambda: colleague.get(f"/orders/{order['id']}/events"), "order"),
        ("order.messages", lambda: colleague.get(f"/orders/{order['id']}/messages"), "order"),
    ]
    for action, call, obj in steps:
        before = rows(sandbox)
        r = call()
        assert r.status_code < 300, (action, r.text)
        after = rows(sandbox)
        assert len(after) == len(before) + 1, action
        row = after[-1]
        assert (row["action"], row["office_her_id"], row["hpr"], row["client_id"]) == (
            action, DEMO_OFFICE_HER_ID, COLLEAGUE, client_id
        )
        expected = {"order": order.get("id"), "specimen": order["specimens"][0]["id"] if order else None}.get(obj or "")
        assert row["object"] == expected, action

    # what does not touch a patient's data logs nothing; refused requests log nothing
    before = len(sandbox.app.state.db.audit_rows())
    colleague.get("/catalog")
    colleague.get(f"/requesters/{DEMO_REQUESTER_HPR}")
    signed_in(OFFICE_B, DOCTOR_B).get(f"/orders/{order['id']}")  # another office: 404
    httpx.get(f"{sandbox.url}/patients/{DEMO_PATIENT_ID}")  # no token: 401
    assert len(sandbox.app.state.db.audit_rows()) == before


def test_a_name_search_logs_each_patient_found(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    total = len(sandbox.app.state.db.audit_rows())
    found = client.get("/patients", params={"q": "sen"}).json()["patients"]
    assert len(found) > 1
    logged = sandbox.app.state.db.audit_rows()[total:]
    assert sorted(r["patient_id"] for r in logged) == sorted(p["id"] for p in found)
    assert {r["action"] for r in logged} == {"patient.search"}


@pytest.fixture
def fresh(tmp_path: Any) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=0, searches_per_minute=3) as sb:
        yield sb


def tamper(sandbox: EmbeddedSandbox, sql: str) -> None:
    """Change the SQLite file behind the service's back (the triggers dropped first)."""
    with sqlite3.connect(sandbox.db_path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        conn.execute(sql)


def read_log(sandbox: EmbeddedSandbox, tmp_path: Any) -> dict[str, Any]:
    auth = auth_for(sandbox, tmp_path, scopes=(SCOPE_AUDIT,))
    r = httpx.get(f"{sandbox.url}/audit", params={"patient": DEMO_PATIENT_ID}, auth=auth, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit SET hpr = '990100458' WHERE seq = 2",
        "UPDATE audit SET action = 'patient.search' WHERE seq = 1",
        "DELETE FROM audit WHERE seq = 2",
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
    ],
    ids=["edited health worker", "edited action", "row removed", "last row removed"],
)
def test_an_edited_or_removed_row_is_found_by_the_chain(fresh: EmbeddedSandbox, tmp_path: Any, sql: str) -> None:
    auth = auth_for(fresh, tmp_path)
    with httpx.Client(base_url=fresh.url, auth=auth, timeout=10) as c:
        for _ in range(3):
            assert c.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 200
    db = fresh.app.state.db
    assert db.audit_chain_break() is None
    assert read_log(fresh, tmp_path)["chain_intact"] is True
    tamper(fresh, sql)
    assert db.audit_chain_break() is not None
    assert read_log(fresh, tmp_path)["chain_intact"] is False


def test_the_log_refuses_update_and_delete(fresh: EmbeddedSandbox, tmp_path: Any) -> None:
    with httpx.Client(base_url=fresh.url, auth=auth_for(fresh, tmp_path), timeout=10) as c:
        c.get(f"/patients/{DEMO_PATIENT_ID}")
    with sqlite3.connect(fresh.db_path) as conn:
        for sql in ("UPDATE audit SET hpr = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


def test_the_privacy_officer_reads_one_patient_for_the_own_office(fresh: EmbeddedSandbox, tmp_path: Any) -> None:
    a = auth_for(fresh, tmp_path)
    b = auth_for(fresh, tmp_path, office=OFFICE_B, hpr=DOCTOR_B)
    httpx.get(f"{fresh.url}/patients/{DEMO_PATIENT_ID}", auth=a, timeout=10)
    httpx.get(f"{fresh.url}/patients/{DEMO_PATIENT_ID}", auth=b, timeout=10)
    log = read_log(fresh, tmp_path)
    assert [(e["office_her_id"], e["hpr"], e["action"]) for e in log["entries"]] == [
        (DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, "patient.read"),
        (DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, "audit.read"),  # reading the log is logged too
    ]
    clerk = httpx.get(f"{fresh.url}/audit", params={"patient": DEMO_PATIENT_ID}, auth=a, timeout=10)
    assert "nhn:ihr/audit" in assert_problem(clerk, 403)["detail"]


# ---- the name search --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["a", "Ås", "a b c", "Å. B."])
def test_a_name_search_needs_three_letters(client: httpx.Client, query: str) -> None:
    problem = assert_problem(client.get("/patients", params={"q": query}), 422)
    assert "minst 3 bokstaver" in problem["detail"]


def test_name_searches_are_limited_per_client(fresh: EmbeddedSandbox, tmp_path: Any) -> None:
    a = httpx.Client(base_url=fresh.url, auth=auth_for(fresh, tmp_path), timeout=10)
    b = httpx.Client(base_url=fresh.url, auth=auth_for(fresh, tmp_path), timeout=10)
    with a, b:
        for _ in range(3):  # searches_per_minute=3 in this sandbox
            assert a.get("/patients", params={"q": "sen"}).status_code == 200
        refused = a.get("/patients", params={"q": "sen"})
        problem = assert_problem(refused, 429)
        assert "For mange navnesøk" in problem["detail"] and int(refused.headers["retry-after"]) > 0
        assert b.get("/patients", params={"q": "sen"}).status_code == 200  # another client
        assert a.get("/patients", params={"q": DEMO_PATIENT_ID}).status_code == 200  # by number: no limit
        assert a.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 200
