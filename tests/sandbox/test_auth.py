"""Every API route refuses a request without a valid DPoP-bound token and proof, and the
token endpoint signs in only registered clients with a fresh, well-formed assertion."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from client.signin import Session
from ihr.helseid import ASSERTION_TYPE, SCOPE_API, Attestation, trust_framework
from sandbox.seed.offices import org_nr_of
from sandbox.server import EmbeddedSandbox
from tests.helseid import session_for
from tests.sandbox.conftest import assert_problem

OTHER_OFFICE = "99200218"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture
def session(sandbox: EmbeddedSandbox, keys: Path) -> Session:
    s = session_for(sandbox, keys, sandbox.base_url)
    s.sign_in_sync()
    return s


def openapi_routes(sandbox: EmbeddedSandbox) -> list[tuple[str, str]]:
    """(METHOD, concrete path) of every /api/v1 route the OpenAPI document names."""
    doc = httpx.get(sandbox.base_url + "/openapi.json", timeout=10).json()
    out = []
    for template, ops in doc["paths"].items():
        if template.startswith("/api/v1"):
            for method in ops:
                out.append((method.upper(), re.sub(r"\{[^}]+\}", "x1", template)))
    return out


def bad_credentials(session: Session, url: str, method: str) -> Iterator[tuple[str, dict[str, str]]]:
    """What a request without a valid token and proof may carry, each with its own name."""
    good = session.headers(method, url)
    token = good["Authorization"].split(" ", 1)[1]
    yield "nothing", {}
    yield "bearer instead of DPoP", {"Authorization": f"Bearer {token}", "DPoP": session.proof(method, url, token)}
    yield "token without proof", {"Authorization": good["Authorization"]}
    yield "proof without token", {"DPoP": good["DPoP"]}
    yield "garbage token", {"Authorization": "DPoP abc.def.ghi", "DPoP": session.proof(method, url, "abc.def.ghi")}
    yield "proof for another method", {**good, "DPoP": session.proof("PATCH", url, token)}
    yield "proof for another URL", {**good, "DPoP": session.proof(method, url + "/annet", token)}
    yield "proof for another token", {**good, "DPoP": session.proof(method, url, token + "x")}


def test_every_route_in_openapi_refuses_without_a_valid_token_and_proof(
    sandbox: EmbeddedSandbox, session: Session
) -> None:
    routes = openapi_routes(sandbox)
    assert len(routes) >= 17
    before = sandbox.app.state.db.count_orders()
    with httpx.Client(timeout=10) as anon:
        for method, path in routes + [("GET", "/api/v1/finnes-ikke"), ("GET", "/api/v1")]:
            url = sandbox.base_url + path
            for name, headers in bad_credentials(session, url, method):
                body = {"json": {}} if method in ("POST", "PUT") else {}
                r = anon.request(method, url, headers=headers, **body)
                assert r.status_code == 401, (method, path, name)
                assert_problem(r, 401)
                assert r.headers["www-authenticate"].startswith("DPoP")
    assert sandbox.app.state.db.count_orders() == before


def test_a_valid_token_and_proof_pass_once(sandbox: EmbeddedSandbox, session: Session) -> None:
    url = sandbox.url + "/catalog"
    headers = session.headers("GET", url)
    assert httpx.get(url, headers=headers, timeout=10).status_code == 200
    replayed = httpx.get(url, headers=headers, timeout=10)
    assert "brukt før" in assert_problem(replayed, 401)["detail"]


def test_openapi_describes_the_security_scheme(sandbox: EmbeddedSandbox) -> None:
    doc = httpx.get(sandbox.base_url + "/openapi.json", timeout=10).json()
    scheme = doc["components"]["securitySchemes"]["HelseID"]
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/connect/token"
    assert "DPoP" in scheme["description"]
    assert doc["paths"]["/api/v1/orders"]["post"]["security"] == [{"HelseID": [SCOPE_API]}]
    assert doc["paths"]["/api/v1/audit"]["get"]["security"] == [{"HelseID": ["nhn:ihr/audit"]}]
    assert "/connect/token" in doc["paths"]


# ---- the token endpoint ------------------------------------------------------------------


def token_request(sandbox: EmbeddedSandbox, session: Session, **claims: object) -> httpx.Response:
    """A token request whose assertion has `claims` changed (None: left out)."""
    c = session.credentials
    now = int(time.time())
    base: dict[str, object] = {
        "iss": c.client_id, "sub": c.client_id, "aud": sandbox.base_url, "iat": now, "exp": now + 60,
        "jti": uuid.uuid4().hex, "authorization_details": [trust_framework(c.attestation())],
    }
    base.update(claims)
    assertion = c.key.sign({}, {k: v for k, v in base.items() if v is not None})
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    url = sandbox.base_url + "/connect/token"
    return httpx.post(url, data=form, headers={"DPoP": session.proof("POST", url)}, timeout=10)


def test_the_token_endpoint_signs_in_a_registered_client(sandbox: EmbeddedSandbox, session: Session) -> None:
    r = token_request(sandbox, session)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "DPoP" and body["expires_in"] > 60 and body["scope"] == SCOPE_API
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("claims", "status", "error"),
    [
        ({"iss": "ukjent-klient", "sub": "ukjent-klient"}, 401, "invalid_client"),
        ({"aud": "https://annen-autoritet.example"}, 401, "invalid_client"),
        ({"exp": int(time.time()) + 600}, 401, "invalid_client"),  # lives longer than 60 s
        ({"iat": int(time.time()) - 300, "exp": int(time.time()) - 250}, 401, "invalid_client"),  # expired
        ({"jti": None}, 401, "invalid_client"),
        ({"authorization_details": [trust_framework(Attestation("990100217", org_nr_of(OTHER_OFFICE)))]}, 403, "access_denied"),
        ({"authorization_details": None}, 400, "invalid_request"),  # no health worker
    ],
)
def test_the_token_endpoint_refuses_bad_assertions(
    sandbox: EmbeddedSandbox, session: Session, claims: dict[str, object], status: int, error: str
) -> None:
    r = token_request(sandbox, session, **claims)
    assert r.status_code == status, r.text
    assert r.json()["error"] == error
    assert r.json()["error_description"]  # Norwegian, for the client's message


def test_an_assertion_is_used_once_and_needs_a_dpop_proof(sandbox: EmbeddedSandbox, session: Session) -> None:
    url, headers, body = session.token_request()
    assert httpx.post(url, content=body, headers=headers, timeout=10).status_code == 200
    headers["DPoP"] = session.proof("POST", url)
    again = httpx.post(url, content=body, headers=headers, timeout=10)
    assert again.status_code == 401 and "brukt før" in again.json()["error_description"]
    url, headers, body = session.token_request()
    del headers["DPoP"]
    assert httpx.post(url, content=body, headers=headers, timeout=10).json()["error"] == "invalid_dpop_proof"


def test_a_client_signs_in_for_its_registered_scopes_only(sandbox: EmbeddedSandbox, session: Session) -> None:
    url, headers, body = session.token_request()
    body += b"&scope=nhn%3Aihr%2Faudit"
    r = httpx.post(url, content=body, headers=headers, timeout=10)
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"


def test_the_jwks_and_discovery_are_public(sandbox: EmbeddedSandbox) -> None:
    conf = httpx.get(sandbox.base_url + "/.well-known/openid-configuration", timeout=10).json()
    assert conf["issuer"] == sandbox.base_url and conf["token_endpoint"].endswith("/connect/token")
    keys = httpx.get(conf["jwks_uri"], timeout=10).json()["keys"]
    assert keys and all("d" not in k for k in keys)
    assert json.dumps(keys)  # public keys only, as JSON
