"""A first look at the patient and the requester, for the banner, before the client has loaded.

`ihr` with a patient from the EPJ should show who the order is for as soon as the screen is
up. The full client (httpx, pydantic, the models) takes about 0.3 s to import on a thin
client's CPU; this module needs only the standard library, so the banner is filled while
that import runs. It is a preview and nothing more: one GET, a short timeout, no retries,
and any failure is None, because the full client asks again right after and reports what
went wrong in Norwegian. Nothing is logged (the path holds a fødselsnummer).
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from ihr.person import ShownPerson


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


def get_json(api_url: str, token: str, path: str, timeout: float = 2.0) -> Any | None:
    """GET `api_url/path` with the bearer token; the decoded JSON of a 200, else None."""
    url = urlsplit(api_url.rstrip("/") + "/" + path)
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
            conn.request(
                "GET",
                url.path,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json", "User-Agent": "ihr-client/0.1"},
            )
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        return json.loads(body) if resp.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None


def peek_patient(api_url: str, token: str, patient_id: str, timeout: float = 2.0) -> PatientPeek | None:
    """The patient as `GET /patients/{id}` has it, or None (no answer, not found, not JSON)."""
    data = get_json(api_url, token, "patients/" + quote(patient_id, safe=""), timeout)
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


def peek_requester(api_url: str, token: str, hpr: str, timeout: float = 2.0) -> RequesterPeek | None:
    """The requester as `GET /requesters/{hpr}` has it, or None."""
    data = get_json(api_url, token, "requesters/" + quote(hpr, safe=""), timeout)
    try:
        return RequesterPeek(hpr=str(data["hpr"]), name=str(data["name"]))
    except (KeyError, TypeError):
        return None
