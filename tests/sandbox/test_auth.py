"""Every endpoint under /api/v1 needs the bearer token, including ones added later."""

from __future__ import annotations

import re

import httpx
import pytest

from sandbox.app import api_endpoints
from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import assert_problem

BAD_HEADERS = [
    {},
    {"Authorization": "Bearer feil-nøkkel".encode()},
    {"Authorization": "Bearer sandbox-token-men-lengre"},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic c2FuZGJveDpzYW5kYm94"},
    {"Authorization": "sandbox-token"},
]


def api_routes(sandbox: EmbeddedSandbox) -> list[tuple[str, str]]:
    return [(m, re.sub(r"\{[^}]+\}", "x1", p)) for m, p in api_endpoints(sandbox.app) if p.startswith("/api/v1")]


def test_the_api_has_the_documented_endpoints(sandbox: EmbeddedSandbox) -> None:
    routes = {(m, p) for m, p in api_routes(sandbox)}
    for expected in [
        ("GET", "/api/v1/catalog"),
        ("GET", "/api/v1/patients/x1"),
        ("GET", "/api/v1/patients"),
        ("GET", "/api/v1/requesters/x1"),
        ("GET", "/api/v1/groups"),
        ("POST", "/api/v1/groups"),
        ("PUT", "/api/v1/groups/x1"),
        ("DELETE", "/api/v1/groups/x1"),
        ("POST", "/api/v1/orders"),
        ("GET", "/api/v1/orders"),
        ("GET", "/api/v1/orders/x1"),
        ("POST", "/api/v1/orders/x1/collection"),
        ("GET", "/api/v1/specimens/x1"),
    ]:
        assert expected in routes


def test_every_endpoint_refuses_a_missing_or_wrong_token(sandbox: EmbeddedSandbox) -> None:
    routes = api_routes(sandbox)
    assert len(routes) >= 13
    count_before = sandbox.app.state.db.count_orders()
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as anon:
        for method, path in routes + [("GET", "/api/v1/finnes-ikke"), ("GET", "/api/v1")]:
            for headers in BAD_HEADERS:
                body = {"json": {}} if method in ("POST", "PUT") else {}
                r = anon.request(method, path, headers=headers, **body)
                assert_problem(r, 401)
                assert r.headers["www-authenticate"].startswith("Bearer")
                assert "tilgangsnøkkel" in r.json()["detail"]
    assert sandbox.app.state.db.count_orders() == count_before


@pytest.mark.parametrize("path", ["/openapi.json"])
def test_openapi_describes_the_api_without_a_token(sandbox: EmbeddedSandbox, path: str) -> None:
    r = httpx.get(sandbox.base_url + path, timeout=10)
    assert r.status_code == 200
    doc = r.json()
    for method, template in api_endpoints(sandbox.app):
        if template.startswith("/api/v1"):
            assert method.lower() in doc["paths"][template]
    assert "HTTPBearer" in doc["components"]["securitySchemes"]
    assert "OrderInput" in doc["components"]["schemas"]
    assert "Problem" in doc["components"]["schemas"]


def test_the_right_token_passes(client: httpx.Client) -> None:
    assert client.get("/catalog").status_code == 200
