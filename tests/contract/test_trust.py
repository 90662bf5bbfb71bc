"""HelseID as NHN defines it, over a real socket: the real client (`client.auth.HelseIdAuth`,
`IhrClient`) against a real sandbox, one item of issue 19's "Found" after the other.

- DPoP nonces: the token endpoint asks (400 use_dpop_nonce), the client signs again once
  with the nonce it was given and keeps the latest; the API asks when a nonce is stale.
- The trust framework's data model in the assertion and the token (organisation numbers,
  orgnr_parent), the health worker checked against the office's staff: the person at the
  keyboard (a helsesekretær) signs in, the requester must be a doctor of the office, and
  the access log names both.
- A token for office B never opens office A's data, whatever HPR number it claims.
- Idempotency keys are the client's own; nbf is checked; register-client refuses an unknown
  office; PEM keys made by openssl sign in (`test_pem_keys.py`).
- Look-ups of unknown fødselsnumre are limited per client (429) and logged.

Each test has a sandbox of its own where it counts on state (limits, the log).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from client import IhrClient, ValidationProblem
from client.auth import HelseIdAuth
from client.errors import AccessRefused, IhrError
from client.signin import Credentials, Session, load_client_key
from ihr.helseid import (
    ASSERTION_TYPE,
    ORG_SYSTEM,
    ORGNR_PARENT_CLAIM,
    SCOPE_API,
    SCOPE_AUDIT,
    Attestation,
    trust_framework,
)
from ihr.models import GroupInput, ItemInput, OrderInput
from sandbox.authority import NONCE_WINDOW_S, Nonces
from sandbox.seed.offices import OFFICES, STAFF, org_nr_of, secretary_of
from sandbox.server import EmbeddedSandbox
from tests.contract.conftest import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from tests.helseid import register

OFFICE_B, DOCTOR_B = "99200218", "990100571"
SECRETARY_A = secretary_of(DEMO_OFFICE_HER_ID)
CRP = "NPU19748"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=3600) as sb:
        yield sb


def session(sb: EmbeddedSandbox, folder: Path, office: str = DEMO_OFFICE_HER_ID, hpr: str = SECRETARY_A,
            scopes: tuple[str, ...] = (SCOPE_API,), claimed_office: str | None = None) -> Session:
    """A client registered for `office`, signing in for `hpr` (at `claimed_office`'s org number)."""
    client_id, key = register(sb, folder, office=office, scopes=scopes)
    org = org_nr_of(claimed_office or office)
    return Session(Credentials(sb.base_url, client_id, load_client_key(key), office, hpr, org))


def client(sb: EmbeddedSandbox, s: Session, hook: Any = None) -> IhrClient:
    hooks = {"response": [hook]} if hook else None
    return IhrClient(sb.url, HelseIdAuth(s), backoff_s=0.05, event_hooks=hooks)


def order(office: str, requester: str) -> OrderInput:
    return OrderInput(
        patient_id=DEMO_PATIENT_ID, requester_hpr=requester, office_her_id=office, items=[ItemInput(service_code=CRP)]
    )


def token_claims(sb: EmbeddedSandbox, s: Session) -> dict[str, Any]:
    """The access token's claims, verified with the authority's published JWKS."""
    keys = KeySet.import_key_set(httpx.get(sb.base_url + "/.well-known/openid-configuration/jwks", timeout=10).json())
    token = s.headers("GET", sb.url)["Authorization"].split(" ", 1)[1]
    return dict(jwt.decode(token, keys).claims)


# ---- 1. DPoP nonces -------------------------------------------------------------------------


async def test_the_nonce_round_trip(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """The token endpoint asks for a nonce; the client signs again once with it, keeps the
    latest from every answer, and when the API finds its nonce stale, signs that request
    again once with the new one."""
    seen: list[tuple[str, int, str | None]] = []

    async def hook(response: httpx.Response) -> None:
        proof = response.request.headers.get("DPoP", "")
        nonce = json.loads(jwt_payload(proof)).get("nonce") if proof else None
        seen.append((response.request.url.path, response.status_code, nonce))

    s = session(sandbox, tmp_path)
    async with client(sandbox, s, hook) as ihr:
        await ihr.get_patient(DEMO_PATIENT_ID)
        current = sandbox.app.state.authority.nonces.current()
        assert seen == [
            ("/connect/token", 400, None),  # use_dpop_nonce
            ("/connect/token", 200, current),  # signed again with the nonce it was given
            (f"/api/v1/patients/{DEMO_PATIENT_ID}", 200, current),
        ]
        seen.clear()
        s.note_nonce("A" * 32, sandbox.url)  # a nonce the service never gave (as one that has expired)
        await ihr.get_patient(DEMO_PATIENT_ID)
        patient = f"/api/v1/patients/{DEMO_PATIENT_ID}"
        assert [(p, status) for p, status, _ in seen] == [(patient, 401), (patient, 200)]  # once more, no sign-in
        assert seen[-1][2] == current


def jwt_payload(compact: str) -> str:
    import base64

    part = compact.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")


def test_a_token_request_without_a_nonce_is_asked_for_one_and_nothing_is_used_up(
    sandbox: EmbeddedSandbox, tmp_path: Path
) -> None:
    s = session(sandbox, tmp_path)
    url, headers, body = s.token_request()
    asked = httpx.post(url, content=body, headers=headers, timeout=10)
    assert asked.status_code == 400 and asked.json()["error"] == "use_dpop_nonce"
    s.note_nonce(asked.headers["DPoP-Nonce"], url)
    headers["DPoP"] = s.proof("POST", url)  # the same assertion, a proof with the nonce
    assert httpx.post(url, content=body, headers=headers, timeout=10).status_code == 200


def test_the_client_keeps_each_servers_nonce(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """HelseID and the API are different servers with nonces of their own (RFC 9449 9)."""
    s = session(sandbox, tmp_path)
    s.note_nonce("N" * 32, "https://helseid-sts.test.nhn.no/connect/token")
    s.note_nonce("M" * 32, "https://ihr.example.no/api/v1/orders")
    assert json.loads(jwt_payload(s.proof("POST", "https://helseid-sts.test.nhn.no/connect/token")))["nonce"] == "N" * 32
    assert json.loads(jwt_payload(s.proof("GET", "https://ihr.example.no/api/v1/catalog")))["nonce"] == "M" * 32


def test_nonces_expire() -> None:
    now = [1_000_000.0]
    nonces = Nonces(b"s" * 32, lambda: now[0])
    given = nonces.current()
    assert nonces.valid(given)
    now[0] += NONCE_WINDOW_S  # the next window: still good
    assert nonces.valid(given)
    now[0] += NONCE_WINDOW_S  # the one after: expired
    assert not nonces.valid(given) and nonces.valid(nonces.current())
    assert not Nonces(b"t" * 32, lambda: now[0]).valid(nonces.current())  # another secret


# ---- 2. The trust framework's data model -------------------------------------------------


def test_the_token_carries_the_organisation_and_the_attested_details(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    s = session(sandbox, tmp_path)
    s.sign_in_sync()
    claims = token_claims(sandbox, s)
    office = next(o for o in OFFICES if o.her_id == DEMO_OFFICE_HER_ID)
    assert claims[ORGNR_PARENT_CLAIM] == office.org_nr == "999200109"
    detail = claims["authorization_details"][0]
    practitioner = detail["practitioner"]
    assert practitioner["hpr_nr"]["id"] == SECRETARY_A
    assert practitioner["authorization"]["code"] == "HE"  # from the register: a helsesekretær
    for part in ("legal_entity", "point_of_care"):
        assert practitioner[part]["id"] == office.org_nr and practitioner[part]["system"] == ORG_SYSTEM
        assert practitioner[part]["name"] == office.name
    assert detail["care_relationship"]["purpose_of_use"]["code"] == "TREAT"


def assertion_with(s: Session, sb: EmbeddedSandbox, **claims: Any) -> httpx.Response:
    """A token request whose assertion has `claims` changed, with a valid nonce."""
    c = s.credentials
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": c.client_id, "sub": c.client_id, "aud": sb.base_url, "iat": now, "exp": now + 60,
        "jti": uuid.uuid4().hex, "authorization_details": [trust_framework(c.attestation())],
    }
    base.update(claims)
    url = sb.base_url + "/connect/token"
    s.note_nonce(sb.app.state.authority.nonces.current(), url)
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": c.key.sign({}, {k: v for k, v in base.items() if v is not None})}
    return httpx.post(url, data=form, headers={"DPoP": s.proof("POST", url)}, timeout=10)


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        # the old shape: the office as a HER-id
        ({"point_of_care": {"id": DEMO_OFFICE_HER_ID, "system": "urn:oid:2.16.578.1.12.4.1.2"}}, 400, "invalid_request"),
        ({"point_of_care": {"id": org_nr_of(OFFICE_B), "system": ORG_SYSTEM}}, 403, "access_denied"),
        ({"legal_entity": {"id": org_nr_of(OFFICE_B), "system": ORG_SYSTEM}}, 403, "access_denied"),
        ({"authorization": {"code": "LE"}}, 403, "access_denied"),  # a secretary claiming to be a doctor
        ({"hpr_nr": {"id": "123"}}, 403, "access_denied"),
        ({"hpr_nr": None}, 400, "invalid_request"),
    ],
    ids=["her-id as point of care", "another point of care", "another legal entity", "wrong authorisation",
         "unknown hpr", "no hpr"],
)
def test_the_practitioner_is_checked_against_the_register(
    sandbox: EmbeddedSandbox, tmp_path: Path, change: dict[str, Any], status: int, error: str
) -> None:
    s = session(sandbox, tmp_path)
    detail = trust_framework(s.credentials.attestation())
    for key, value in change.items():
        if value is None:
            del detail["practitioner"][key]
        else:
            detail["practitioner"][key] = value
    r = assertion_with(s, sandbox, authorization_details=[detail])
    assert r.status_code == status, r.text
    assert r.json()["error"] == error and r.json()["error_description"]


def test_an_assertion_not_yet_valid_is_refused(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    s = session(sandbox, tmp_path)
    now = int(time.time())
    r = assertion_with(s, sandbox, nbf=now + 3600)
    assert r.status_code == 401 and "ikke gyldig ennå" in r.json()["error_description"]
    assert assertion_with(s, sandbox, nbf=now).status_code == 200


# ---- 3. The health worker: the person at the keyboard, checked ---------------------------


async def test_office_b_never_opens_office_a_under_any_claimed_hpr(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """Office B's client claims every health worker there is (A's doctor, A's secretary, its
    own staff, a made-up number): it signs in only as its own staff, and then sees none of
    A's orders or personal groups and cannot order in the name of A's doctor."""
    a = session(sandbox, tmp_path / "a")
    async with client(sandbox, a) as ihr_a:
        made = await ihr_a.create_order(order(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), uuid.uuid4().hex)
        mine = await ihr_a.create_group(GroupInput(name="Sekretærens egen", service_codes=[CRP], scope="personal"))
    claimed = sorted({m.hpr for m in STAFF} | {"123", "990100217"})
    signed_in = []
    for hpr in claimed:
        b = session(sandbox, tmp_path / f"b{hpr}", office=OFFICE_B, hpr=hpr)
        async with client(sandbox, b) as ihr_b:
            try:
                groups = await ihr_b.list_groups()
            except AccessRefused:
                assert hpr not in {m.hpr for m in STAFF if m.office_her_id == OFFICE_B}
                continue
            signed_in.append(hpr)
            assert mine.id not in {g.id for g in groups}
            with pytest.raises(IhrError) as refused:
                await ihr_b.get_order(made.id)
            assert refused.value.status == 404
            with pytest.raises(ValidationProblem):  # A's doctor is no requester of B's
                await ihr_b.create_order(order(OFFICE_B, DEMO_REQUESTER_HPR), uuid.uuid4().hex)
    assert signed_in == sorted(m.hpr for m in STAFF if m.office_her_id == OFFICE_B)
    # and B's client claiming A's point of care: refused at sign-in
    b_as_a = session(sandbox, tmp_path / "ba", office=OFFICE_B, hpr=SECRETARY_A, claimed_office=DEMO_OFFICE_HER_ID)
    async with client(sandbox, b_as_a) as ihr:
        with pytest.raises(AccessRefused):
            await ihr.get_patient(DEMO_PATIENT_ID)


async def test_the_secretary_orders_for_a_doctor_and_the_log_names_both(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    s = session(sandbox, tmp_path)
    async with client(sandbox, s) as ihr:
        with pytest.raises(ValidationProblem) as refused:  # she is no doctor: no requester
            await ihr.create_order(order(DEMO_OFFICE_HER_ID, SECRETARY_A), uuid.uuid4().hex)
        assert refused.value.status == 422
        with pytest.raises(ValidationProblem):  # B's doctor is not A's
            await ihr.create_order(order(DEMO_OFFICE_HER_ID, DOCTOR_B), uuid.uuid4().hex)
        made = await ihr.create_order(order(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), uuid.uuid4().hex)
    officer = session(sandbox, tmp_path / "po", hpr=DEMO_REQUESTER_HPR, scopes=(SCOPE_AUDIT,))
    async with client(sandbox, officer) as ihr:
        log = await ihr.get_audit(DEMO_PATIENT_ID)
    created = [e for e in log.entries if e.action == "order.create" and e.object == made.id]
    assert [(e.hpr, e.requester_hpr) for e in created] == [(SECRETARY_A, DEMO_REQUESTER_HPR)]


async def test_personal_groups_are_per_office_and_health_worker(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    secretary = session(sandbox, tmp_path / "s")
    doctor = session(sandbox, tmp_path / "d", hpr=DEMO_REQUESTER_HPR)
    async with client(sandbox, secretary) as ihr_s, client(sandbox, doctor) as ihr_d:
        made = await ihr_s.create_group(GroupInput(name="Tones pakke", service_codes=[CRP], scope="personal"))
        assert made.owner_hpr == SECRETARY_A and made.office_her_id == DEMO_OFFICE_HER_ID
        assert made.id in {g.id for g in await ihr_s.list_groups()}
        assert made.id not in {g.id for g in await ihr_d.list_groups()}


# ---- 4. Idempotency keys are the client's own ------------------------------------------


async def test_another_clients_key_is_another_key(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    key = uuid.uuid4().hex
    async with client(sandbox, session(sandbox, tmp_path / "a")) as a, client(
        sandbox, session(sandbox, tmp_path / "b", office=OFFICE_B, hpr=DOCTOR_B)
    ) as b:
        first = await a.create_order(order(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), key)
        other = await b.create_order(order(OFFICE_B, DOCTOR_B), key)  # was 422 "allerede brukt"
        assert other.id != first.id
        assert (await a.create_order(order(DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR), key)).id == first.id


# ---- 5. register-client refuses an unknown office, takes either number ----------------


def test_register_client_takes_either_number_and_refuses_an_unknown_office(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "s.sqlite3"

    def run(office: str, name: str) -> subprocess.CompletedProcess[str]:
        args = ["sandbox", "register-client", "--db", str(db), "--client-id", name, "--office", office,
                "--key", str(tmp_path / f"{name}.json"), "--new-key"]
        code = f"from tui.cli import main; main({args!r})"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)

    by_org = run("999200214", "legevakt")
    assert by_org.returncode == 0, by_org.stderr
    assert 'office_her_id = "99200218"' in by_org.stdout and 'office_org_nr = "999200214"' in by_org.stdout
    assert run("99200325", "sykehjem").returncode == 0
    unknown = run("999999999", "ukjent")
    assert unknown.returncode == 2 and "kjenner ikke kontoret" in unknown.stderr


# ---- 7. Unknown fødselsnumre: limited per client, logged --------------------------------


def test_unknown_fodselsnumre_are_limited_per_client_and_logged(
    sandbox: EmbeddedSandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from sandbox.deps import UNKNOWN_IDS
    from sandbox.seed.people import seed_patients, synthetic_id

    known = {p.id for p in seed_patients()}
    from datetime import date

    unknown = [n for n in (synthetic_id(date(1970, 1, 1 + i), "K", 100 + i) for i in range(UNKNOWN_IDS + 2)) if n not in known]
    s = session(sandbox, tmp_path)
    other = session(sandbox, tmp_path / "o", hpr=DEMO_REQUESTER_HPR)
    with caplog.at_level(logging.INFO, logger="sandbox"), httpx.Client(
        base_url=sandbox.url, auth=HelseIdAuth(s), timeout=10
    ) as c, httpx.Client(base_url=sandbox.url, auth=HelseIdAuth(other), timeout=10) as o:
        statuses = [c.get(f"/patients/{n}").status_code for n in unknown[:UNKNOWN_IDS]]
        assert statuses == [404] * UNKNOWN_IDS
        refused = c.get(f"/patients/{unknown[UNKNOWN_IDS]}")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "ukjente fødselsnumre" in refused.json()["detail"]
        # a number that exists waits too: trying numbers must not tell who exists
        assert c.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 429
        assert c.get("/patients", params={"q": DEMO_PATIENT_ID}).status_code == 429
        assert o.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 200  # another client is not held up
    lines = [r.getMessage() for r in caplog.records if "fødselsnummer" in r.getMessage()]
    assert len([line for line in lines if line.startswith("unknown fødselsnummer looked up")]) == UNKNOWN_IDS
    assert len([line for line in lines if "refused" in line]) == 3
    assert not any(n in line for n in unknown + [DEMO_PATIENT_ID] for line in lines)  # never the number


def test_the_attestation_of_another_office_is_not_the_clients(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """A doctor of B attested by A's client (A's point of care): not on A's staff."""
    s = session(sandbox, tmp_path, hpr=DOCTOR_B)
    r = assertion_with(s, sandbox, authorization_details=[trust_framework(Attestation(DOCTOR_B, org_nr_of(DEMO_OFFICE_HER_ID)))])
    assert r.status_code == 403 and "ikke registrert ved dette behandlingsstedet" in r.json()["error_description"]
