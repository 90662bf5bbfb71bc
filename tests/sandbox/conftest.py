"""Fixtures for the sandbox tests: one embedded service per module, over a real socket.

Clients sign in like HelseID clients (`tests.helseid`): `client` acts for the demo office
and requester, `signed_in(office, hpr)` for anyone else.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from ihr.helseid import SCOPE_API
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from sandbox.server import EmbeddedSandbox
from tests.helseid import auth_for

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

ENGLISH_LEAKS = ("field required", "not found", "there was an error", "internal server error",
                 "method not allowed", "value error", "input should be", "unprocessable")


class FakeClock:
    """A clock the tests move by hand (thread-safe)."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sandbox(clock: FakeClock) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(lab_delay_s=0, clock=clock) as sb:
        yield sb


@pytest.fixture(scope="module")
def signed_in(
    sandbox: EmbeddedSandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., httpx.Client]]:
    """`signed_in(office, hpr)`: an httpx client signed in for that office and health worker."""
    folder = tmp_path_factory.mktemp("keys")
    clients: dict[tuple[str, str, tuple[str, ...]], httpx.Client] = {}

    def make(
        office: str = DEMO_OFFICE_HER_ID, hpr: str = DEMO_REQUESTER_HPR, scopes: tuple[str, ...] = (SCOPE_API,)
    ) -> httpx.Client:
        key = (office, hpr, scopes)
        if key not in clients:
            auth = auth_for(sandbox, folder, office=office, hpr=hpr, scopes=scopes)
            clients[key] = httpx.Client(base_url=sandbox.url, auth=auth, timeout=10)
        return clients[key]

    yield make
    for c in clients.values():
        c.close()


@pytest.fixture(scope="module")
def client(signed_in: Callable[..., httpx.Client]) -> httpx.Client:
    return signed_in()


def order_body(codes: list[str] | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient_id": DEMO_PATIENT_ID,
        "requester_hpr": DEMO_REQUESTER_HPR,
        "office_her_id": DEMO_OFFICE_HER_ID,
        "items": [{"service_code": c} for c in (codes or ["NPU19748"])],
        "answers": {},
    }
    body.update(overrides)
    return body


def post_order(client: httpx.Client, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    return client.post("/orders", json=body, headers={"Idempotency-Key": key or uuid.uuid4().hex})


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """A problem+json answer with this status and a Norwegian (not FastAPI's English) detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"].strip()
    text = (problem["detail"] + " " + " ".join(e["detail"] for e in problem.get("errors", []))).lower()
    for leak in ENGLISH_LEAKS:
        assert leak not in text, problem
    return problem


def paths(problem: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e["detail"] for e in problem["errors"]}
