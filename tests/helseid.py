"""Signed-in clients for the tests: a key of their own, registered with the sandbox they call.

Every client in the tests signs in like a HelseID client (private_key_jwt, DPoP-bound token,
a proof per request) against the real sandbox authority over loopback; none shares a static
token. `register` makes a key file (0600) and registers it; `settings_for` are settings that
sign in with it; `auth_for` is the `httpx.Auth` for plain httpx clients (sync or async).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from client.auth import HelseIdAuth
from client.signin import Credentials, Session, load_client_key, write_new_key
from ihr.helseid import SCOPE_API
from ihr.settings import Settings
from sandbox.seed.offices import org_nr_of
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

_ids = itertools.count(1)


def register(
    registrar: Any, folder: Path, *, office: str = DEMO_OFFICE_HER_ID, scopes: Iterable[str] = (SCOPE_API,)
) -> tuple[str, Path]:
    """A new client for `office` with `scopes` (in an EmbeddedSandbox or an Authority):
    (client id, private key file)."""
    client_id = f"testklient-{next(_ids)}"
    key_file = folder / f"{client_id}.jwk.json"
    registrar.register_client(client_id, write_new_key(key_file), office, scopes, "test")
    return client_id, key_file


def session_for(
    registrar: Any,
    folder: Path,
    authority: str,
    *,
    office: str = DEMO_OFFICE_HER_ID,
    hpr: str = DEMO_REQUESTER_HPR,
    scopes: Iterable[str] = (SCOPE_API,),
) -> Session:
    """A (not yet signed-in) session of a new client registered with `registrar`."""
    client_id, key_file = register(registrar, folder, office=office, scopes=scopes)
    return Session(Credentials(authority, client_id, load_client_key(key_file), office, hpr, org_nr_of(office)))


def settings_for(sandbox: Any, folder: Path, *, office: str = DEMO_OFFICE_HER_ID, **overrides: Any) -> Settings:
    """Settings of a newly registered client of `office` (more Settings fields as overrides;
    without `user_hpr` the app signs in for the requester, a doctor of the office)."""
    scopes = overrides.pop("scopes", (SCOPE_API,))
    client_id, key_file = register(sandbox, folder, office=office, scopes=scopes)
    values: dict[str, Any] = dict(
        api_url=sandbox.url,
        client_id=client_id,
        client_key_file=key_file,
        office_her_id=office,
        office_org_nr=org_nr_of(office),
        data_dir=folder,
    )
    values.update(overrides)
    return Settings(**values)


def auth_for(
    sandbox: Any,
    folder: Path,
    *,
    office: str = DEMO_OFFICE_HER_ID,
    hpr: str = DEMO_REQUESTER_HPR,
    scopes: Iterable[str] = (SCOPE_API,),
) -> HelseIdAuth:
    """Sign-in for a new client of `office`, acting for the health worker `hpr`."""
    settings = settings_for(sandbox, folder, office=office, scopes=tuple(scopes))
    return HelseIdAuth(Session(Credentials.from_settings(settings, hpr=hpr)))
