"""The contract tests' peer: the sandbox IHR service on a real loopback port.

One `EmbeddedSandbox` per test session (its state accumulates, so every test makes its own
orders and groups with fresh keys and names); tests that need a service that goes away
start their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from client import CatalogCache, IhrClient
from ihr.helseid import SCOPE_API
from sandbox import server as sandbox_server
from sandbox.seed import people
from tests.helseid import auth_for

DEMO_PATIENT_ID: str = people.DEMO_PATIENT_ID
DEMO_REQUESTER_HPR: str = people.DEMO_REQUESTER_HPR
DEMO_OFFICE_HER_ID: str = people.DEMO_OFFICE_HER_ID


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"
    with sandbox_server.EmbeddedSandbox(db_path=db, lab_delay_s=0.2) as sb:
        yield sb


@pytest.fixture(scope="session")
def routes(sandbox: Any) -> set[tuple[str, str]]:
    """(METHOD, path template) pairs the sandbox offers, from its OpenAPI document."""
    root = sandbox.url.rsplit("/api/v1", 1)[0]
    for url in (f"{root}/openapi.json", f"{sandbox.url}/openapi.json"):
        r = httpx.get(url, timeout=10)
        if r.status_code == 200:
            doc = r.json()
            out = set()
            for path, ops in doc.get("paths", {}).items():
                short = path.removeprefix("/api/v1")
                for method in ops:
                    out.add((method.upper(), short))
            return out
    return set()


def require(routes: set[tuple[str, str]], method: str, path: str) -> None:
    """The sandbox's OpenAPI document describes the endpoint under test (docs/API.md)."""
    assert routes, "the sandbox serves no OpenAPI document"
    assert any(m == method and _same(p, path) for m, p in routes), f"the sandbox has no {method} {path}"


def _same(a: str, b: str) -> bool:
    sa, sb = a.strip("/").split("/"), b.strip("/").split("/")
    return len(sa) == len(sb) and all(x == y or (x.startswith("{") and y.startswith("{")) for x, y in zip(sa, sb, strict=False))


class Counter:
    """httpx event hook: every response's (method, path, status)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int]] = []

    async def __call__(self, response: httpx.Response) -> None:
        self.seen.append((response.request.method, response.request.url.path, response.status_code))


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
async def ihr(sandbox: Any, tmp_path: Path, counter: Counter) -> AsyncIterator[IhrClient]:
    async with IhrClient(
        sandbox.url,
        auth_for(sandbox, tmp_path),
        cache=CatalogCache(tmp_path / "ihr.sqlite3"),
        backoff_s=0.05,
        event_hooks={"response": [counter]},
    ) as client:
        yield client


@pytest.fixture
async def signed_in(sandbox: Any, tmp_path: Path) -> AsyncIterator[Any]:
    """`signed_in(office, hpr, scopes)`: another client, signed in for that office and health worker."""
    clients: list[IhrClient] = []

    def make(office: str = DEMO_OFFICE_HER_ID, hpr: str = DEMO_REQUESTER_HPR, scopes: tuple[str, ...] = (SCOPE_API,)) -> IhrClient:
        client = IhrClient(sandbox.url, auth_for(sandbox, tmp_path, office=office, hpr=hpr, scopes=scopes), backoff_s=0.05)
        clients.append(client)
        return client

    yield make
    for c in clients:
        await c.aclose()
