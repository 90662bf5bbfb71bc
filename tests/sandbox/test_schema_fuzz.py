"""Property-based fuzz of the whole API from its own /openapi.json (schemathesis, issue 13).

Schemathesis reads the sandbox's published schema and generates requests for every
operation, valid ones and ones that break the schema (wrong types, missing fields, values
out of range). Each is sent signed in (a DPoP proof for its own method and URL, through the
client's `HelseIdAuth`) to the real sandbox over loopback. What must hold, whatever the
input: never a 5xx, and every 4xx of the API is problem+json with a Norwegian detail.
Bounded (`EXAMPLES` per operation, no shrinking) to stay within seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from ihr.helseid import SCOPE_API, SCOPE_AUDIT
from sandbox.app import API_PREFIX
from sandbox.problems import PROBLEM_JSON, TITLES
from sandbox.server import EmbeddedSandbox
from tests.helseid import auth_for

EXAMPLES = 12
# What FastAPI, Starlette and pydantic say in English when a handler is bypassed.
ENGLISH = ("Not Found", "Method Not Allowed", "Input should", "Field required", "Unprocessable", "Internal Server")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedSandbox, httpx.Client]]:
    with EmbeddedSandbox(lab_delay_s=0) as sandbox:
        auth = auth_for(sandbox, tmp_path_factory.mktemp("fuzzkeys"), scopes=(SCOPE_API, SCOPE_AUDIT))
        with httpx.Client(auth=auth, timeout=10) as http:
            yield sandbox, http


@pytest.fixture(scope="module")
def api_schema(fuzzed: tuple[EmbeddedSandbox, httpx.Client]) -> schemathesis.schemas.BaseSchema:
    sandbox, _ = fuzzed
    doc = httpx.get(f"{sandbox.base_url}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(doc)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES, no_shrink=True
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_problems_on_4xx(case: schemathesis.Case, fuzzed: tuple[EmbeddedSandbox, httpx.Client]) -> None:
    sandbox, http = fuzzed
    kwargs = case.as_transport_kwargs(base_url=sandbox.base_url)
    kwargs.pop("cookies", None)
    response = http.request(**kwargs)
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if 400 <= response.status_code < 500 and case.path.startswith(API_PREFIX):
        assert response.headers["content-type"].startswith(PROBLEM_JSON), f"{where}: {response.headers}"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"] in TITLES.values(), f"{where}: {problem}"
        assert problem["detail"] and not any(e in problem["detail"] for e in ENGLISH), f"{where}: {problem}"
    assert sandbox.app.state.guard_stats.unexpected_errors == 0
