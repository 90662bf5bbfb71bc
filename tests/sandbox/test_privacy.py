"""No fødselsnummer, no name, no token, key or proof in the logs, and no stderr noise when embedded."""

from __future__ import annotations

import logging

import httpx
import pytest

from sandbox.seed.people import LAB_UNKNOWN_PATIENT_IDS, seed_patients
from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import order_body, post_order


def test_logs_hold_no_patient_id_or_name(
    sandbox: EmbeddedSandbox, client: httpx.Client, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the service's, uvicorn's, httpx's, the client's
    patient = next(p for p in seed_patients() if p.id in LAB_UNKNOWN_PATIENT_IDS)
    client.get(f"/patients/{patient.id}")
    client.get("/patients/01010112345")
    client.get("/patients", params={"q": patient.family_name})
    order = post_order(client, order_body(["NPU19748"], patient_id=patient.id)).json()
    client.get("/orders", params={"patient": patient.id})
    client.post(f"/orders/{order['id']}/send")
    sandbox.app.state.hub.run_due()
    client.get(f"/orders/{order['id']}/messages")
    post_order(client, order_body(["TULL"], patient_id=patient.id))
    session = client.auth.session  # type: ignore[union-attr]
    session.forget()
    client.get("/catalog")  # a sign-in, logged or not, in the middle of it all
    signed = session.headers("GET", f"{sandbox.url}/catalog")
    token = signed["Authorization"].split()[1]
    key = session.credentials.key.as_dict(private=True)["d"]

    everything = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for secret in (token, token.split(".")[2], signed["DPoP"].split(".")[2], key, "client_assertion="):
        assert secret not in everything
    service = [r for r in caplog.records if r.name.split(".")[0] in ("sandbox", "uvicorn")]
    assert any(order["id"] in r.getMessage() for r in service)  # order ids are logged
    for record in service:
        text = record.getMessage()
        for secret in (patient.id, "01010112345", patient.family_name, patient.given_name):
            assert secret not in text, (record.name, text)
    assert not [r for r in service if r.name == "uvicorn.access"]
    out, err = capfd.readouterr()
    assert patient.id not in out + err and token not in out + err
    assert err == ""
