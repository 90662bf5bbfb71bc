"""The access token kept between starts: the EPJ starts `ihr` once per patient, every few
minutes, and a start within the token's life should not sign in again.

Against the real sandbox over loopback (its own, so rotating the authority's key here does
not disturb other tests); each "start" is a new `Session` over the same data dir, as a new
process would make. The requests each start sends are counted with httpx event hooks.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from client import IhrClient
from client.auth import HelseIdAuth
from client.peek import peek_patient
from client.signin import TOKEN_FILE, Credentials, Session, TokenStore
from ihr.settings import Settings
from sandbox.seed.offices import secretary_of
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from sandbox.server import EmbeddedSandbox
from tests.helseid import settings_for

TOKEN_REQUEST = "/connect/token"
PATIENT = f"/api/v1/patients/{DEMO_PATIENT_ID}"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path_factory.mktemp("kept") / "sandbox.sqlite3", lab_delay_s=0) as sb:
        yield sb


def start(settings: Settings, hpr: str = DEMO_REQUESTER_HPR, clock: Any = time.time) -> Session:
    """What one start of `ihr` makes: a session over the data dir's token file."""
    credentials = Credentials.from_settings(settings, hpr=hpr)
    return Session(credentials, clock=clock, store=TokenStore(settings.data_dir / TOKEN_FILE))


async def requests_of(settings: Settings, session: Session) -> list[tuple[str, int]]:
    """Fetch the demo patient with `session`; the (path, status) of every request sent."""
    sent: list[tuple[str, int]] = []

    async def seen(response: httpx.Response) -> None:
        sent.append((response.request.url.path, response.status_code))

    async with IhrClient(settings.api_url, HelseIdAuth(session), event_hooks={"response": [seen]}) as ihr:
        assert (await ihr.get_patient(DEMO_PATIENT_ID)).id == DEMO_PATIENT_ID
    return sent


async def test_a_start_within_the_tokens_life_does_not_sign_in(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    settings = settings_for(sandbox, tmp_path)
    assert await requests_of(settings, start(settings)) == [(TOKEN_REQUEST, 400), (TOKEN_REQUEST, 200), (PATIENT, 200)]
    # the next patient from the EPJ: the kept token and the service's nonce, no round trip
    assert await requests_of(settings, start(settings)) == [(PATIENT, 200)]
    token_file = tmp_path / TOKEN_FILE
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600  # as private as the client's key


def test_the_start_up_peek_uses_the_kept_token(sandbox: EmbeddedSandbox, tmp_path: Path, monkeypatch: Any) -> None:
    """The banner's standard-library GET, with the token and DPoP key an earlier start kept."""
    settings = settings_for(sandbox, tmp_path)
    start(settings).sign_in_sync()
    authority = sandbox.app.state.authority
    sign_ins: list[object] = []
    issue = authority.issue
    monkeypatch.setattr(authority, "issue", lambda *a: sign_ins.append(a) or issue(*a))  # counts, then issues
    session = start(settings)
    assert not session.needs_token()
    patient = peek_patient(settings.api_url, session, DEMO_PATIENT_ID)
    assert patient is not None and patient.id == DEMO_PATIENT_ID
    assert sign_ins == []


async def test_a_kept_token_the_service_refuses_is_replaced(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """The authority's key changed (as after a restart): the kept token is refused once, the
    client signs in and carries on, and the next start uses the new token."""
    settings = settings_for(sandbox, tmp_path)
    await requests_of(settings, start(settings))
    sandbox.app.state.authority.rotate_signing_key()
    assert await requests_of(settings, start(settings)) == [
        (PATIENT, 401), (TOKEN_REQUEST, 200), (PATIENT, 200)
    ]
    assert await requests_of(settings, start(settings)) == [(PATIENT, 200)]


async def test_a_token_is_kept_for_its_health_worker_only(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    """A token attests the health worker it was issued for: another at the keyboard signs in."""
    settings = settings_for(sandbox, tmp_path)
    await requests_of(settings, start(settings))
    other = start(settings, hpr=secretary_of(DEMO_OFFICE_HER_ID))
    assert other.needs_token()
    assert await requests_of(settings, other) == [(TOKEN_REQUEST, 400), (TOKEN_REQUEST, 200), (PATIENT, 200)]
    assert await requests_of(settings, start(settings)) == [(PATIENT, 200)]  # the first one's is still kept


def test_a_token_near_its_expiry_is_not_used(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    settings = settings_for(sandbox, tmp_path)
    start(settings).sign_in_sync()  # the sandbox's tokens live 300 s
    assert not start(settings, clock=lambda: time.time() + 200).needs_token()
    assert start(settings, clock=lambda: time.time() + 290).needs_token()  # renewed 30 s before


def test_a_token_file_others_can_read_is_not_used(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    settings = settings_for(sandbox, tmp_path)
    start(settings).sign_in_sync()
    token_file = tmp_path / TOKEN_FILE
    os.chmod(token_file, 0o644)
    session = start(settings)
    assert session.needs_token()
    session.sign_in_sync()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600  # written anew, private


def test_a_damaged_token_file_only_costs_a_sign_in(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    settings = settings_for(sandbox, tmp_path)
    token_file = tmp_path / TOKEN_FILE
    token_file.write_text('{"not": "what we wrote"', encoding="utf-8")
    os.chmod(token_file, 0o600)
    session = start(settings)
    assert session.needs_token()
    session.sign_in_sync()
    assert not start(settings).needs_token()
