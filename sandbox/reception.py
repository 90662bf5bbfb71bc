"""How a simulated lab receives a requisition, before it looks at the patient or the work.

`receive` does what a lab's message reception does first, in this order, and stops at the
first failure with the 8221 error a lab would answer with in an AppRec "Avvist":

1. the bytes are XML, without DOCTYPE                                           T01
2. it is a MsgHead v1.2 around a Rekvisisjon v1.6 `Message` (or a bare `Message`,
   as the official example files are)                                           T10
3. it validates against MsgHead-v1_2.xsd + Rekvisisjon-v1.6.xsd (when the folder
   with the XSDs is there: `default_kith_dir()`)                                T02
4. the content the standard and its profiles require (HIS 80821, HIS 1160 lab,
   HIS 1175 radiology, HISD 1154 changes and cancellations):
   - a requisition type of 8279 and the MIG version v1.6                        T10
   - a message id                                                               E10
   - a ServReq with a 7309 service type (N, A, M, C) and a 8202 type the
     profile of the message type allows                                         T99
   - a patient with a Norwegian person id (8327) and a name                     E30 E31 E32
   - this lab as the service provider                                           E21
   - a requester with a HER-id                                                  X99
   - investigations coded in the profile's code system (NLK 7280 or 8212 with
     OT for laboratories, NCRP 7270 for radiology); an add-on (A) has at least
     one added investigation; a new one (N) or a change (M) has at least one      X99

`Received` carries what the lab needs afterwards; its `errors` are empty when the message
was accepted for processing. Texts for the secretary are Norwegian.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ihr.kith.codes import (
    LAB_MSG_DESCRS,
    RADIOLOGY_MSG_DESCRS,
    REQUISITION_TYPES,
    ServiceType,
    error_text,
)
from ihr.kith.msghead import child, children, path, text_of
from ihr.kith.namespaces import (
    MIG_REKVISISJON,
    NS_MSGHEAD,
    NS_REKVISISJON,
    OID_NCRP,
    OID_NLK,
    OID_UNSPECIFIED_LAB,
)
from ihr.kith.schemas import schemas_available, validate
from ihr.kith.xmlsafe import KithParseError, local_name, parse_untrusted
from ihr.models import AppRecError

# Where the KITH XSDs are: IHR_KITH_DIR, else the workspace's shared standards folder.
KITH_DIR_ENV = "IHR_KITH_DIR"


def default_kith_dir() -> Path | None:
    """The folder with the KITH XSDs, or None when there is none (then step 3 is skipped)."""
    configured = os.environ.get(KITH_DIR_ENV, "").strip()
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "standards" / "kith")
    return next((c for c in candidates if schemas_available(c)), None)


@dataclass
class Received:
    """A requisition as the lab read it."""

    errors: list[AppRecError] = field(default_factory=list)
    msg_type: str = ""
    msg_id: str = ""
    service_type: str = ""
    document_id: str = ""  # ServReq/Id: the same in every message about the requisition
    requisition_number: str | None = None  # ServReq/ServProvId
    patient_id: str | None = None
    requester_hpr: str | None = None
    investigations: list[tuple[str, str]] = field(default_factory=list)  # (ServType, code or text)

    @property
    def accepted(self) -> bool:
        return not self.errors


def _refused(received: Received, code: str, details: str) -> Received:
    received.errors.append(AppRecError(code=code, text=error_text(code), details=details))
    return received


def receive(xml: bytes, *, kith_dir: Path | None, lab_her_id: str | None = None) -> Received:
    """Read a requisition the way a lab does (see the module docstring). Never raises for bad input."""
    received = Received()
    try:
        root = parse_untrusted(xml, what="Meldingen")
    except KithParseError as exc:
        return _refused(received, "T01", str(exc))

    if etree.QName(root).namespace == NS_MSGHEAD and local_name(root) == "MsgHead":
        message = path(root, "Document", "RefDoc", "Content", "Message")
        schema = "msghead"
    else:
        message, schema = root, "rekvisisjon"
    if message is None or local_name(message) != "Message" or etree.QName(message).namespace != NS_REKVISISJON:
        return _refused(
            received, "T10", "Laboratoriet tar imot rekvisisjoner etter Rekvisisjon v1.6 (HIS 80821), i en hodemelding."
        )

    if kith_dir is not None:
        problems = validate(xml, schema, kith_dir)  # type: ignore[arg-type]
        if problems:
            return _refused(received, "T02", f"Meldingen følger ikke XML-skjemaet. Første feil: {problems[0]}")

    return _check_content(received, message, lab_her_id)


def _v(el: etree._Element | None) -> str:
    return (el.get("V") or "").strip() if el is not None else ""


def _check_content(received: Received, message: etree._Element, lab_her_id: str | None) -> Received:
    received.msg_type = _v(child(message, "Type"))
    if received.msg_type not in REQUISITION_TYPES:
        return _refused(received, "T10", f"Meldingstypen «{received.msg_type}» er ikke en rekvisisjon (kodeverk 8279).")
    if text_of(child(message, "MIGversion")) != MIG_REKVISISJON:
        return _refused(received, "T10", f"Laboratoriet støtter bare versjon «{MIG_REKVISISJON}» av rekvisisjonen.")
    received.msg_id = text_of(child(message, "MsgId")) or ""
    if not received.msg_id:
        return _refused(received, "E10", "Meldingen mangler meldingsidentifikator (MsgId).")

    servreq = child(message, "ServReq")
    if servreq is None:
        return _refused(received, "T99", "Meldingen inneholder ingen rekvisisjon (ServReq).")
    received.service_type = _v(child(servreq, "ServType"))
    legal_types = {t.value for t in ServiceType if t != ServiceType.HISTORY}
    if received.service_type not in legal_types:
        return _refused(received, "T99", f"Ugyldig tjenestetype «{received.service_type}» (kodeverk 7309: N, A, M eller C).")
    descr = _v(child(servreq, "MsgDescr"))
    allowed = RADIOLOGY_MSG_DESCRS if received.msg_type == "REQ_RTG" else LAB_MSG_DESCRS
    if descr not in allowed:
        return _refused(received, "T99", f"Type rekvisisjon «{descr}» er ikke tillatt for {received.msg_type} (kodeverk 8202).")
    received.document_id = text_of(child(servreq, "Id")) or ""
    received.requisition_number = text_of(child(servreq, "ServProvId"))

    patient = child(servreq, "Patient")
    received.patient_id = text_of(child(patient, "OffId"))
    if patient is None or not received.patient_id:
        return _refused(received, "E30", "Rekvisisjonen mangler pasientens fødselsnummer.")
    id_type = _v(child(patient, "TypeOffId"))
    if id_type not in {"FNR", "DNR", "HNR"} or not (len(received.patient_id) == 11 and received.patient_id.isdigit()):
        return _refused(received, "E31", "Pasientens identifikator er ikke et norsk fødselsnummer, D-nummer eller H-nummer.")
    if not text_of(child(patient, "Name")):
        return _refused(received, "E32", "Rekvisisjonen mangler pasientens navn.")

    provider_ids = _her_ids(path(servreq, "ServProvider", "HCP", "Inst"))
    if lab_her_id is not None and lab_her_id not in provider_ids:
        return _refused(received, "E21", "Rekvisisjonen er ikke adressert til dette laboratoriet.")
    requester = path(servreq, "Requester", "HCP", "Inst")
    if not _her_ids(requester):
        return _refused(received, "X99", "Rekvisisjonen mangler rekvirentens HER-id.")
    for person in children(requester, "HCPerson"):
        if _v(child(person, "TypeId")) == "HPR":
            received.requester_hpr = text_of(child(person, "Id"))

    return _check_investigations(received, servreq)


def _her_ids(inst: etree._Element | None) -> set[str]:
    """The HER-ids of an institution and its departments."""
    found: set[str] = set()
    for unit in [inst, *children(inst, "Dept")]:
        if unit is not None and _v(child(unit, "TypeId")) == "HER" and text_of(child(unit, "Id")):
            found.add(text_of(child(unit, "Id")) or "")
    return found


def _check_investigations(received: Received, servreq: etree._Element) -> Received:
    radiology = received.msg_type == "REQ_RTG"
    systems = {OID_NCRP} if radiology else {OID_NLK, OID_UNSPECIFIED_LAB}
    for req in children(servreq, "ReqInvestigation"):
        kind = _v(child(req, "ServType"))
        for inv in children(req, "Investigation"):
            for id_el in children(inv, "Id"):
                system = (id_el.get("S") or "").strip()
                code = (id_el.get("V") or "").strip()
                text = (id_el.get("OT") or "").strip()
                if system not in systems:
                    expected = "NCRP (7270)" if radiology else "Norsk laboratoriekodeverk (7280)"
                    return _refused(received, "X99", f"Undersøkelsen «{code or text}» er ikke kodet i {expected}.")
                if not code and not text or (system == OID_UNSPECIFIED_LAB and not text):
                    return _refused(received, "X99", "En undersøkelse mangler kode eller tekst.")
                received.investigations.append((kind, code or text))
    kinds = {kind for kind, _ in received.investigations}
    if received.service_type == ServiceType.ADDITION and ServiceType.ADDITION not in kinds:
        return _refused(received, "X99", "Tilleggsrekvisisjonen inneholder ingen nye undersøkelser (tjenestetype A).")
    if received.service_type in (ServiceType.NEW, ServiceType.CHANGE) and not received.investigations:
        return _refused(received, "X99", "Rekvisisjonen inneholder ingen undersøkelser.")
    return received
