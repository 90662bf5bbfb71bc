"""Problem documents and status codes become typed errors with Norwegian messages."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from joserfc import jws

from client import (
    Conflict,
    Forbidden,
    IhrClient,
    IhrError,
    NotFound,
    NotSupported,
    PayloadTooLarge,
    Unauthorized,
    UnexpectedResponse,
    ValidationProblem,
)
from ihr.models import AddOnInput
from tests.client.conftest import PATIENT_ID, Reply, make_order_input, make_patient

PROBLEM = "application/problem+json"


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> Reply:
    body = {"type": "about:blank", "title": "Feil", "status": status, "detail": detail, "errors": errors or []}
    return Reply(status, body, content_type=PROBLEM)


@pytest.mark.parametrize(
    ("status", "cls", "default"),
    [
        (401, Unauthorized, Unauthorized.default_message),
        (403, Forbidden, Forbidden.default_message),
        (404, NotFound, NotFound.default_message),
        (405, NotSupported, NotSupported.default_message),
        (409, Conflict, Conflict.default_message),
        (413, PayloadTooLarge, PayloadTooLarge.default_message),
        (422, ValidationProblem, ValidationProblem.default_message),
        (400, ValidationProblem, ValidationProblem.default_message),
        (418, IhrError, IhrError.default_message),
    ],
)
async def test_status_without_problem_gives_generic_norwegian_text(
    scripted: Any, status: int, cls: type[IhrError], default: str
) -> None:
    server = await scripted(lambda req, n: Reply(status, b"", content_type="text/plain"))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(cls) as ei:
            await ihr.get_order("o1")
    assert type(ei.value) is cls
    assert ei.value.message == default
    assert ei.value.status == status
    assert ei.value.problem is None


async def test_service_detail_wins(scripted: Any) -> None:
    server = await scripted(lambda req, n: problem(401, "Tokenet er trukket tilbake."))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(Unauthorized) as ei:
            await ihr.get_patient(PATIENT_ID)
    assert ei.value.message == "Tokenet er trukket tilbake."
    assert str(ei.value) == "Tokenet er trukket tilbake."


async def test_field_errors(scripted: Any) -> None:
    errs = [
        {"path": "items[0].service_code", "detail": "Ukjent analysekode"},
        {"path": "answers.svangerskapsuke", "detail": "Må besvares"},
    ]
    server = await scripted(lambda req, n: problem(422, "Bestillingen har feil.", errs))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(ValidationProblem) as ei:
            await ihr.create_order(make_order_input(), idempotency_key="k")
    assert [e.path for e in ei.value.field_errors] == ["items[0].service_code", "answers.svangerskapsuke"]
    assert ei.value.field_errors[1].detail == "Må besvares"
    assert len(server.requests) == 1  # a 422 is an answer, never retried


async def test_fastapi_default_validation_shape_is_understood(scripted: Any) -> None:
    body = {"detail": [{"loc": ["body", "items", 0, "service_code"], "msg": "Field required", "type": "missing"}]}
    server = await scripted(lambda req, n: Reply(422, body))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(ValidationProblem) as ei:
            await ihr.create_order(make_order_input(), idempotency_key="k")
    assert [e.path for e in ei.value.field_errors] == ["items[0].service_code"]
    assert ei.value.message == ValidationProblem.default_message  # English msg not shown


async def test_conflict_carries_reason(scripted: Any) -> None:
    server = await scripted(lambda req, n: problem(409, "Holdbarheten for prøven er utløpt."))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(Conflict) as ei:
            await ihr.add_on("o1", AddOnInput(specimen_id="1", service_codes=["X"]))
    assert ei.value.message == "Holdbarheten for prøven er utløpt."


async def test_body_of_the_wrong_shape_is_unexpected_response(scripted: Any) -> None:
    server = await scripted(lambda req, n: Reply(200, {"hello": "world"}))
    async with IhrClient(server.url, None) as ihr:
        with pytest.raises(UnexpectedResponse) as ei:
            await ihr.get_patient(PATIENT_ID)
    assert "IHR-tjenesten" in ei.value.message


async def test_a_signed_in_client_sends_a_dpop_token_and_a_proof_per_request(
    scripted: Any, signed_in: Any
) -> None:
    patient = make_patient().model_dump(mode="json")
    server = await scripted(lambda req, n: Reply(200, patient))
    async with IhrClient(server.url, signed_in()) as ihr:
        await ihr.get_patient(PATIENT_ID)
        await ihr.get_patient(PATIENT_ID)
    first, second = server.requests
    assert first.path == f"/api/v1/patients/{PATIENT_ID}"
    assert first.headers["authorization"].startswith("DPoP ")
    assert first.headers["authorization"] == second.headers["authorization"]  # one sign-in
    proofs = [jws.extract_compact(r.headers["dpop"].encode()) for r in (first, second)]
    claims = [json.loads(p.payload) for p in proofs]
    assert claims[0]["htm"] == "GET" and claims[0]["htu"] == f"{server.url}/patients/{PATIENT_ID}"
    assert claims[0]["jti"] != claims[1]["jti"]  # a fresh proof each time
    assert proofs[0].protected["typ"] == "dpop+jwt" and "d" not in proofs[0].protected["jwk"]


async def test_no_fnr_or_name_in_logs(scripted: Any, signed_in: Any, caplog: pytest.LogCaptureFixture) -> None:
    """httpx logs the full URL at INFO; the client's filter masks it, its own lines use templates."""
    patient = make_patient().model_dump(mode="json")
    server = await scripted(
        lambda req, n: Reply(503)
        if n == 0
        else Reply(
            200,
            patient if "/patients/" in req.path else {"patients": [patient]} if "/patients" in req.path else [],
        )
    )
    caplog.set_level(logging.DEBUG)
    async with IhrClient(server.url, signed_in(), backoff_s=0.01) as ihr:
        await ihr.get_patient(PATIENT_ID)
        await ihr.search_patients("Testesen Tove")
        await ihr.list_orders(patient=PATIENT_ID)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request" in text  # httpx did log ...
    assert "/patients/{id}" in text  # ... and so did the client
    assert PATIENT_ID not in text
    assert "Testesen" not in text
    token = server.requests[0].headers["authorization"].split()[1]
    assert token not in text and server.requests[0].headers["dpop"] not in text and "DPoP " not in text
