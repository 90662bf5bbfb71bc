"""`IhrClient.from_settings` signs in with the key file the settings name, and refuses a bad one."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from client import AccessRefused, ClockWrong, IhrClient
from client.auth import HelseIdAuth
from client.signin import Credentials, Session, write_new_key
from ihr.settings import Settings, SettingsError
from sandbox.seed.offices import DEMO_OFFICE_ORG_NR
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from tests.helseid import register


def settings_of(authority: Any, tmp_path: Path, **kw: Any) -> Settings:
    client_id, key_file = register(authority, tmp_path)
    values: dict[str, Any] = dict(
        api_url=authority.url, client_id=client_id, client_key_file=key_file, data_dir=tmp_path,
        office_her_id=DEMO_OFFICE_HER_ID, office_org_nr=DEMO_OFFICE_ORG_NR, request_timeout_s=3.0,
    )
    values.update(kw)
    return Settings(**values)


async def test_from_settings_signs_in_and_reaches_the_service(authority: Any, tmp_path: Path) -> None:
    settings = settings_of(authority, tmp_path)
    async with IhrClient.from_settings(settings, user_hpr=DEMO_REQUESTER_HPR) as ihr:
        assert ihr.cache is not None and ihr.cache.db_path == tmp_path / "ihr.sqlite3"
        assert ihr.office_her_id == DEMO_OFFICE_HER_ID and ihr.user_hpr == DEMO_REQUESTER_HPR
        assert ihr.http.timeout.read == 3.0
        assert (await ihr.get_patient(DEMO_PATIENT_ID)).id == DEMO_PATIENT_ID


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "nokkel.json"
    write_new_key(key)
    os.chmod(key, 0o644)
    with pytest.raises(SettingsError) as ei:
        Settings(client_key_file=key)
    assert "chmod 600" in str(ei.value) and "andre" in str(ei.value)
    os.chmod(key, 0o600)
    assert Settings(client_key_file=key).client_key_file == key


def test_a_missing_client_id_or_key_is_a_norwegian_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="Klient-id mangler"):
        IhrClient.from_settings(Settings(data_dir=tmp_path), user_hpr=DEMO_REQUESTER_HPR)
    with pytest.raises(SettingsError, match="Finner ikke nøkkelfilen"):
        IhrClient.from_settings(
            Settings(data_dir=tmp_path, client_id="x", client_key_file=tmp_path / "borte.json"),
            user_hpr=DEMO_REQUESTER_HPR,
        )


async def test_an_unregistered_key_is_access_refused(authority: Any, tmp_path: Path) -> None:
    settings = settings_of(authority, tmp_path)
    write_new_key(settings.client_key_file)  # a new key the authority does not know
    async with IhrClient.from_settings(settings, user_hpr=DEMO_REQUESTER_HPR) as ihr:
        with pytest.raises(AccessRefused) as ei:
            await ihr.get_patient(DEMO_PATIENT_ID)
    assert ei.value.message.startswith("IHR nekter tilgang")


async def test_a_wrong_clock_is_named(authority: Any, tmp_path: Path) -> None:
    """This machine's clock ten minutes behind: assertion and proof are refused, and the
    message says the clock is wrong (the service's Date header shows by how much)."""
    settings = settings_of(authority, tmp_path)
    credentials = Credentials.from_settings(settings, hpr=DEMO_REQUESTER_HPR)
    auth = HelseIdAuth(Session(credentials, clock=lambda: time.time() - 600))
    async with IhrClient(settings.api_url, auth) as ihr:
        with pytest.raises(ClockWrong) as ei:
            await ihr.get_patient(DEMO_PATIENT_ID)
    assert "Klokken på denne maskinen går 10 min etter" in ei.value.message
