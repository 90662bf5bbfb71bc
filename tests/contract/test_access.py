"""Who may see what, over a real socket: offices kept apart, identity from the token only,
every broken token or proof refused with a Norwegian 401, a missing scope 403.

Office A is the demo office (`ihr`), office B the legevakt; both sign in as registered
clients of the sandbox authority with keys of their own.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import ECKey

from client import Forbidden, IhrClient, NotFound, Unauthorized, ValidationProblem
from client.auth import HelseIdAuth
from ihr.helseid import SCOPE_API, SCOPE_AUDIT
from ihr.models import (
    CancelInput,
    CollectionInput,
    GroupInput,
    ItemInput,
    OrderInput,
    SpecimenCollection,
)
from tests.contract.conftest import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from tests.helseid import auth_for

OFFICE_B, DOCTOR_B = "99200218", "990100571"
CRP = "NPU19748"


def order_for(office: str, requester: str) -> OrderInput:
    return OrderInput(
        patient_id=DEMO_PATIENT_ID, requester_hpr=requester, office_her_id=office, items=[ItemInput(service_code=CRP)]
    )


@pytest.fixture
def office_b(signed_in: Any) -> IhrClient:
    return signed_in(OFFICE_B, DOCTOR_B)


async def test_office_b_cannot_touch_office_a_orders(ihr: IhrClient, office_b: IhrClient) -> None:
    order = await ihr.create_order(order_for(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), str(uuid.uuid4()))
    barcode = order.specimens[0].id
    attempts = [
        office_b.get_order(order.id),
        office_b.get_events(order.id),
        office_b.get_messages(order.id),
        office_b.send_order(order.id),
        office_b.cancel(order.id, CancelInput(reason="Feil pasient")),
        office_b.update_order(order.id, order_for(OFFICE_B, DOCTOR_B)),
        office_b.register_collection(
            order.id,
            CollectionInput(specimens=[SpecimenCollection(specimen_id=barcode, collected_at=datetime.now(UTC) - timedelta(minutes=1), collected_by="B")]),
        ),
        office_b.lookup_specimen(barcode),
        office_b.report_prints(order.id, [barcode]),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as ei:  # the same 404 as an unknown id: nothing to probe
            await attempt
        assert "Fant ingen" in ei.value.message
    assert order.id not in [o.id for o in await office_b.list_orders()]
    assert order.id not in [o.id for o in await office_b.list_orders(patient=DEMO_PATIENT_ID)]
    # office A's order is as it was: not sent, not cancelled, not collected
    again = await ihr.get_order(order.id)
    assert again.status == order.status and again.specimens[0].collected_at is None
    assert order.id in [o.id for o in await ihr.list_orders(patient=DEMO_PATIENT_ID)]


async def test_an_order_is_made_for_the_signed_in_office_only(office_b: IhrClient) -> None:
    with pytest.raises(ValidationProblem) as ei:
        await office_b.create_order(order_for(DEMO_OFFICE_HER_ID, DOCTOR_B), str(uuid.uuid4()))
    assert ei.value.field_errors[0].path == "office_her_id"
    mine = await office_b.create_order(order_for(OFFICE_B, DOCTOR_B), str(uuid.uuid4()))
    assert mine.office_her_id == OFFICE_B


async def test_office_b_cannot_change_office_a_groups(ihr: IhrClient, office_b: IhrClient) -> None:
    shared = await ihr.create_group(GroupInput(name=f"Kontor A {uuid.uuid4().hex[:6]}", service_codes=[CRP], scope="office"))
    personal = await ihr.create_group(GroupInput(name=f"Min {uuid.uuid4().hex[:6]}", service_codes=[CRP], scope="personal"))
    for group in (shared, personal):
        assert group.id not in [g.id for g in await office_b.list_groups()]
        with pytest.raises(Forbidden):
            await office_b.update_group(group.id, GroupInput(name="Kapret", service_codes=[CRP], scope=group.scope))
        with pytest.raises(Forbidden):
            await office_b.delete_group(group.id)
    assert {shared.id, personal.id} <= {g.id for g in await ihr.list_groups()}


async def test_forged_identity_headers_change_nothing(sandbox: Any, ihr: IhrClient, tmp_path: Any) -> None:
    """The headers the service used to believe, sent by office B as office A's doctor."""
    order = await ihr.create_order(order_for(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), str(uuid.uuid4()))
    group = await ihr.create_group(GroupInput(name=f"Min {uuid.uuid4().hex[:6]}", service_codes=[CRP], scope="personal"))
    forged = {"X-IHR-User": DEMO_REQUESTER_HPR, "X-IHR-Office": DEMO_OFFICE_HER_ID}
    auth = auth_for(sandbox, tmp_path, office=OFFICE_B, hpr=DOCTOR_B)
    async with httpx.AsyncClient(base_url=sandbox.url, auth=auth, headers=forged, timeout=10) as b:
        assert (await b.get(f"/orders/{order.id}")).status_code == 404
        assert (await b.post(f"/orders/{order.id}/cancel", json={"reason": "x"})).status_code == 404
        assert (await b.delete(f"/groups/{group.id}")).status_code == 403
        listed = (await b.get("/orders", params={"patient": DEMO_PATIENT_ID})).json()
        assert order.id not in [o["id"] for o in listed]
        mine = (await b.get("/groups")).json()
        assert group.id not in [g["id"] for g in mine]


# ---- broken tokens and proofs: 401 with a Norwegian problem ------------------------------


def claims_of(token: str) -> dict[str, Any]:
    return json.loads(jws.extract_compact(token.encode()).payload)


async def signed_in_auth(sandbox: Any, tmp_path: Any) -> HelseIdAuth:
    auth = auth_for(sandbox, tmp_path)
    auth.session.sign_in_sync()
    return auth


def broken(sandbox: Any, auth: HelseIdAuth, url: str) -> dict[str, dict[str, str]]:
    """Headers for GET `url`, each broken in one way."""
    session, authority = auth.session, sandbox.app.state.authority
    good = session.headers("GET", url)
    token = good["Authorization"].split(" ", 1)[1]
    claims = claims_of(token)

    def with_token(**changes: Any) -> dict[str, str]:
        forged = authority.sign_access_token({**claims, **changes})
        return {"Authorization": f"DPoP {forged}", "DPoP": session.proof("GET", url, forged)}

    now = int(time.time())
    other_key = ECKey.generate_key("P-256")
    from joserfc import jwt

    bad_signature = jwt.encode({"alg": "ES256", "typ": "at+jwt"}, claims, other_key)
    replay = session.headers("GET", url)
    httpx.get(url, headers=replay, timeout=10)  # used once
    return {
        "expired token": with_token(iat=now - 900, nbf=now - 900, exp=now - 600),
        "token for another audience": with_token(aud="nhn:annen-tjeneste"),
        "token from another issuer": with_token(iss="https://falsk-autoritet.example"),
        "bad signature": {"Authorization": f"DPoP {bad_signature}", "DPoP": session.proof("GET", url, bad_signature)},
        "token without its proof": {"Authorization": good["Authorization"]},
        "proof for another URL": {**good, "DPoP": session.proof("GET", url.replace("/catalog", "/groups"), token)},
        "proof for another method": {**good, "DPoP": session.proof("POST", url, token)},
        "proof for another key": with_token(cnf={"jkt": other_key.thumbprint()}),
        "replayed proof": replay,
    }


async def test_broken_tokens_and_proofs_get_a_norwegian_401(sandbox: Any, tmp_path: Any) -> None:
    url = sandbox.url + "/catalog"
    auth = await signed_in_auth(sandbox, tmp_path)
    assert httpx.get(url, headers=auth.session.headers("GET", url), timeout=10).status_code == 200
    details = {}
    for name, headers in broken(sandbox, auth, url).items():
        r = httpx.get(url, headers=headers, timeout=10)
        assert r.status_code == 401, name
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.headers["www-authenticate"].startswith("DPoP")
        details[name] = r.json()["detail"]
    assert "utløpt" in details["expired token"]
    assert "annen tjeneste" in details["token for another audience"]
    assert "signaturen" in details["bad signature"]
    assert "Mangler DPoP-bevis" in details["token without its proof"]
    assert "annen adresse" in details["proof for another URL"]
    assert "annen metode" in details["proof for another method"]
    assert "brukt før" in details["replayed proof"]


async def test_a_missing_scope_is_403(sandbox: Any, signed_in: Any) -> None:
    clerk = signed_in(scopes=(SCOPE_API,))
    with pytest.raises(Forbidden) as ei:
        await clerk.get_audit(DEMO_PATIENT_ID)
    assert "nhn:ihr/audit" in ei.value.message
    officer = signed_in(scopes=(SCOPE_AUDIT,))  # the privacy officer reads the log, nothing else
    assert (await officer.get_audit(DEMO_PATIENT_ID)).patient_id == DEMO_PATIENT_ID
    with pytest.raises(Forbidden):
        await officer.get_patient(DEMO_PATIENT_ID)


async def test_a_refused_token_is_renewed_by_the_client(sandbox: Any, tmp_path: Any) -> None:
    """The authority's key changed (as after a restart): the token the client holds is
    refused, and the client signs in once more and carries on."""
    counter: list[tuple[str, int]] = []

    async def seen(response: httpx.Response) -> None:
        counter.append((response.request.url.path, response.status_code))

    async with IhrClient(sandbox.url, auth_for(sandbox, tmp_path), event_hooks={"response": [seen]}) as ihr:
        await ihr.get_patient(DEMO_PATIENT_ID)
        sandbox.app.state.authority.rotate_signing_key()
        assert (await ihr.get_patient(DEMO_PATIENT_ID)).id == DEMO_PATIENT_ID
    patient = f"/api/v1/patients/{DEMO_PATIENT_ID}"
    assert counter == [
        ("/connect/token", 400), ("/connect/token", 200),  # the DPoP nonce round trip, then a token
        (patient, 200), (patient, 401), ("/connect/token", 200), (patient, 200),
    ]


async def test_without_sign_in_nothing_is_shown(sandbox: Any) -> None:
    async with IhrClient(sandbox.url, None) as ihr:
        with pytest.raises(Unauthorized) as ei:
            await ihr.search_patients("Bjørnstad")
    assert "Mangler tilgangsbevis" in ei.value.message
