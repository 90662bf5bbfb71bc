"""What the client and the sandbox agree on about HelseID-style sign-in: names and shapes.

The acting office and health worker travel as one `authorization_details` entry of the type
HelseID's trust framework (tillitsrammeverket) defines, in the client assertion and, copied
by the authority, in the access token. Pure data: no JOSE, no HTTP.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

API_AUDIENCE = "nhn:ihr"
SCOPE_API = "nhn:ihr/api"  # orders, groups, people, catalog, specimens
SCOPE_AUDIT = "nhn:ihr/audit"  # the access log, for the office's privacy officer
SCOPES: dict[str, str] = {
    SCOPE_API: "Bestille, følge opp og slå opp pasienter og rekvirenter",
    SCOPE_AUDIT: "Lese tilgangsloggen for én pasient (personvernombud)",
}

TOKEN_PATH = "/connect/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_MAX_LIFE_S = 60
TRUST_FRAMEWORK_TYPE = "nhn:tillitsrammeverk:parameters"
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"  # HPR-nummer
HER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.2"  # HER-id


def trust_framework(office_her_id: str, hpr: str) -> dict[str, Any]:
    """The office and health worker as an `authorization_details` entry of the trust framework."""
    return {
        "type": TRUST_FRAMEWORK_TYPE,
        "practitioner": {
            "hpr_nr": {"id": hpr, "system": HPR_SYSTEM},
            "point_of_care": {"id": office_her_id, "system": HER_SYSTEM},
        },
    }


def attested(claims: Mapping[str, Any]) -> tuple[str | None, str]:
    """(office HER-id or None when not attested, HPR number or "") from a claim set."""
    for detail in claims.get("authorization_details") or []:
        if isinstance(detail, dict) and detail.get("type") == TRUST_FRAMEWORK_TYPE:
            practitioner = detail.get("practitioner")
            p: dict[str, Any] = practitioner if isinstance(practitioner, dict) else {}
            office = (p.get("point_of_care") or {}).get("id")
            hpr = (p.get("hpr_nr") or {}).get("id")
            return (str(office) if office else None), (str(hpr) if hpr else "")
    return None, ""


def token_hash(access_token: str) -> str:
    """`ath` of RFC 9449: base64url(SHA-256(access token)) without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
