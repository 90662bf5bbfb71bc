"""A first look at the patient and the requester, for the banner, before the client has loaded.

`ihr` with a patient from the EPJ should show who the order is for as soon as the screen is
up. The full client (httpx, pydantic, the models) takes about 0.3 s to import on a thin
client's CPU; this module needs only the standard library and `client.signin` (joserfc), so
the banner is filled while that import runs. It uses the token an earlier start kept (the
EPJ starts `ihr` once per patient; `client.signin.TokenStore`), or else signs in on its own
(one token request, in the standard library), and sends each GET with its DPoP proof like
the full client: the service has no unauthenticated path. It is a preview and nothing more: a short timeout, no
retries, and any failure (no answer, refused sign-in, a bad key file) is None, because the
full client asks again right after and reports what went wrong in Norwegian. Nothing is
logged (the path holds a fødselsnummer, the headers a token and a proof).
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from ihr.person import ShownPerson
from ihr.settings import Settings


@dataclass(frozen=True, slots=True)
class PatientPeek(ShownPerson):
    """The fields of `ihr.models.Patient` that the banner shows."""

    id: str
    family_name: str
    given_name: str
    birth_date: date
    sex: str


@dataclass(frozen=True, slots=True)
class RequesterPeek:
    """The fields of `ihr.models.Requester` that the banner shows."""

    hpr: str
    name: str


def get_json(api_url: str, session: Any, path: str, timeout: float = 2.0) -> Any:
    """GET `api_url/path` signed by a signed-in `client.signin.Session`; the JSON of a 200, else None."""
    full = api_url.rstrip("/") + "/" + path
    url = urlsplit(full)
    try:
        if url.scheme == "https":
            import ssl

            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                url.hostname or "", url.port, timeout=timeout, context=ssl.create_default_context()
            )
        elif url.scheme == "http":
            conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeout)
        else:
            return None
        try:
            for retry in (False, True):  # once more when the service asks for a DPoP nonce
                conn.request(
                    "GET",
                    url.path,
                    headers={
                        **session.headers("GET", full),
                        "Accept": "application/json",
                        "User-Agent": "ihr-client/0.1",
                    },
                )
                resp = conn.getresponse()
                body = resp.read()
                session.note_nonce(resp.getheader("DPoP-Nonce"))
                asked = resp.status == 401 and "use_dpop_nonce" in (resp.getheader("WWW-Authenticate") or "")
                if retry or not asked:
                    break
        finally:
            conn.close()
        return json.loads(body) if resp.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None


def peek_banner(
    settings: Settings, patient_id: str | None, hpr: str | None, office_her_id: str | None = None
) -> tuple[PatientPeek | None, RequesterPeek | None]:
    """Sign in as the settings' client for the health worker at the keyboard (`user_hpr`;
    the requester `hpr` when none is set), unless a kept token is still valid, then peek at
    the patient and the requester `hpr`.

    The session is the process's shared one: the full client takes it over, token and all."""
    user = settings.user_hpr or hpr
    if not (hpr and user):
        return None, None  # no health worker to sign in for: the full client reports it
    from client.signin import shared_session

    try:
        session = shared_session(settings, hpr=user, office_her_id=office_her_id)
        if session.needs_token():
            session.sign_in_sync()
    except Exception:  # noqa: BLE001 - a preview: the full client signs in and reports in Norwegian
        return None, None
    api_url = settings.api_url
    return (
        peek_patient(api_url, session, patient_id) if patient_id else None,
        peek_requester(api_url, session, hpr),
    )


def peek_patient(api_url: str, session: Any, patient_id: str, timeout: float = 2.0) -> PatientPeek | None:
    """The patient as `GET /patients/{id}` has it, or None (no answer, not found, not JSON)."""
    data = get_json(api_url, session, "patients/" + quote(patient_id, safe=""), timeout)
    try:
        return PatientPeek(
            id=str(data["id"]),
            family_name=str(data["family_name"]),
            given_name=str(data["given_name"]),
            birth_date=date.fromisoformat(data["birth_date"]),
            sex=str(data["sex"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def peek_requester(api_url: str, session: Any, hpr: str, timeout: float = 2.0) -> RequesterPeek | None:
    """The requester as `GET /requesters/{hpr}` has it, or None."""
    data = get_json(api_url, session, "requesters/" + quote(hpr, safe=""), timeout)
    try:
        return RequesterPeek(hpr=str(data["hpr"]), name=str(data["name"]))
    except (KeyError, TypeError):
        return None
