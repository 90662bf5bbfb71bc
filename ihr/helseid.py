"""What the client and the sandbox agree on about HelseID-style sign-in: names and shapes.

The acting health worker (the person at the keyboard, a helsesekretær as often as a doctor)
and her office travel as one `authorization_details` entry of the type NHN's trust framework
(tillitsrammeverket) defines, in the client assertion and, checked and completed by the
authority, in the access token: `practitioner` (`hpr_nr`, `authorization`, `legal_entity`,
`point_of_care` as organisation numbers, `department`) and `care_relationship`
(`purpose_of_use`; the data model's text names it `care_relation`, HelseID's tokens
`care_relationship`: both are read). Offices are known here by organisation number; their
HER-ids stay for the KITH messages. Pure data: no JOSE, no HTTP.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
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
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"  # HPR-nummer (Helsepersonellregisteret)
HER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.2"  # HER-id (Adresseregisteret): for messages only
ORG_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.101"  # organisasjonsnummer (Enhetsregisteret)
AUTHORIZATION_SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.9060"  # kategori helsepersonell (HPR)
PURPOSE_OF_USE_SYSTEM = "urn:oid:2.16.840.1.113883.1.11.20448"  # HL7 PurposeOfUse
# HelseID's access-token claims naming the client's organisation (parent: the legal entity).
ORGNR_PARENT_CLAIM = "helseid://claims/client/claims/orgnr_parent"
ORGNR_CHILD_CLAIM = "helseid://claims/client/claims/orgnr_child"
# The care relationship the sign-in attests: ordering for the office's own patients.
TREATMENT = {"code": "TREAT", "text": "Behandling", "system": PURPOSE_OF_USE_SYSTEM}
AUTHORIZATIONS = {"LE": "Lege", "HE": "Helsesekretær", "SP": "Sykepleier"}  # of kodeverk 9060 (a few)
DOCTOR = "LE"


@dataclass(frozen=True)
class Attestation:
    """What a sign-in attests of the acting health worker, in the trust framework's terms
    (`tillitsrammeverk-informasjons-og-datamodell`, 4.3 and 4.4): her HPR number and
    authorisation, the legal entity and the point of care as organisation numbers, an
    optional department, and the purpose of use of the care relationship."""

    hpr: str
    point_of_care: str  # organisasjonsnummer
    legal_entity: str = ""  # organisasjonsnummer; empty: the point of care itself
    authorization: str = ""  # a code of kodeverk 9060 ("LE", "HE"), when attested
    department: str = ""
    purpose_of_use: str = TREATMENT["code"]
    names: Mapping[str, str] = field(default_factory=dict)  # point_of_care/legal_entity -> name

    @property
    def legal_entity_or_point(self) -> str:
        return self.legal_entity or self.point_of_care


def _org(number: str, name: str = "") -> dict[str, str]:
    entry = {"id": number, "system": ORG_SYSTEM, "authority": "https://www.brreg.no"}
    if name:
        entry["name"] = name
    return entry


def trust_framework(who: Attestation) -> dict[str, Any]:
    """The attestation as an `authorization_details` entry of the trust framework."""
    practitioner: dict[str, Any] = {
        "hpr_nr": {"id": who.hpr, "system": HPR_SYSTEM, "authority": "https://www.helsedirektoratet.no/"},
        "legal_entity": _org(who.legal_entity_or_point, who.names.get("legal_entity", "")),
        "point_of_care": _org(who.point_of_care, who.names.get("point_of_care", "")),
    }
    if who.authorization:
        practitioner["authorization"] = {
            "code": who.authorization,
            "text": AUTHORIZATIONS.get(who.authorization, ""),
            "system": AUTHORIZATION_SYSTEM,
            "assigner": "https://www.helsedirektoratet.no/",
        }
    if who.department:
        practitioner["department"] = {"id": who.department, "name": who.names.get("department", who.department)}
    purpose = dict(TREATMENT) if who.purpose_of_use == TREATMENT["code"] else {"code": who.purpose_of_use}
    return {
        "type": TRUST_FRAMEWORK_TYPE,
        "practitioner": practitioner,
        "care_relationship": {"purpose_of_use": purpose},
    }


class AttestationError(ValueError):
    """An `authorization_details` entry that is not the trust framework's shape (Norwegian)."""


def _ident(part: Any, system: str, what: str) -> str:
    if not isinstance(part, dict):
        return ""
    value, given = part.get("id"), part.get("system")
    if given is not None and given != system:
        raise AttestationError(f"{what} må oppgis med system {system}.")
    return str(value).strip() if isinstance(value, str | int) else ""


def attested(claims: Mapping[str, Any]) -> Attestation | None:
    """The trust-framework attestation of a claim set; None when there is none;
    AttestationError when there is one of the wrong shape (a HER-id as point of care, say)."""
    for detail in claims.get("authorization_details") or []:
        if not (isinstance(detail, dict) and detail.get("type") == TRUST_FRAMEWORK_TYPE):
            continue
        p = detail.get("practitioner")
        if not isinstance(p, dict):
            raise AttestationError("authorization_details mangler practitioner.")
        point = _ident(p.get("point_of_care"), ORG_SYSTEM, "Behandlingsstedet (point_of_care)")
        legal = _ident(p.get("legal_entity"), ORG_SYSTEM, "Virksomheten (legal_entity)")
        hpr = _ident(p.get("hpr_nr"), HPR_SYSTEM, "HPR-nummeret (hpr_nr)")
        auth = p.get("authorization")
        code = str(auth.get("code") or "") if isinstance(auth, dict) else ""
        dept = p.get("department")
        care = detail.get("care_relationship") or detail.get("care_relation") or {}
        purpose = (care.get("purpose_of_use") or {}) if isinstance(care, dict) else {}
        return Attestation(
            hpr=hpr,
            point_of_care=point,
            legal_entity=legal,
            authorization=code,
            department=str(dept.get("id") or "") if isinstance(dept, dict) else "",
            purpose_of_use=str(purpose.get("code") or "") if isinstance(purpose, dict) else "",
        )
    return None


def token_hash(access_token: str) -> str:
    """`ath` of RFC 9449: base64url(SHA-256(access token)) without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
