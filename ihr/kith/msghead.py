"""MsgHead v1.2: the envelope (hodemelding) around every KITH business document.

`build_msghead` writes the envelope in the element order MsgHead-v1_2.xsd requires;
`parse_msghead` reads the ids the receiving side needs to answer with an AppRec.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ihr.kith.codes import HCP_CATEGORY, MessageType, message_type_text
from ihr.kith.namespaces import (
    MIG_MSGHEAD,
    NS_MSGHEAD,
    OID_IDENT_TYPE,
    OID_PERSON_IDENT_TYPE,
)
from ihr.kith.xmlsafe import KithParseError, local_name, parse_untrusted
from ihr.models.people import Patient, Requester

_M = f"{{{NS_MSGHEAD}}}"

# Code list 3101 kjønn (the MsgHead Sex element is a CS: V and DN only).
SEX_CODES: dict[str, tuple[str, str]] = {"M": ("1", "Mann"), "K": ("2", "Kvinne")}

PERSON_IDENT_TEXTS = {"FNR": "Fødselsnummer", "DNR": "D-nummer", "HNR": "H-nummer"}


@dataclass(frozen=True, slots=True)
class MsgHeadInfo:
    """What the receiver of a MsgHead needs to know about it (and to answer it)."""

    msg_id: str
    msg_type: str
    sender_her: str
    receiver_her: str
    patient_id: str | None
    gen_date: datetime
    msg_type_text: str | None = None
    sender_name: str | None = None
    receiver_name: str | None = None
    requisition_number: str | None = None  # ServReq/ServProvId (else Id) when the content is a requisition
    #: The requisition's services as the message carries them: the ServType (7309: N, A, H,
    #: C) of each ReqInvestigation/Investigation, in document order.
    investigations: tuple[str, ...] = ()


def person_ident_type(person_id: str) -> str:
    """FNR, DNR or HNR for an 11-digit Norwegian person id (8116).

    D-nummer: day + 40. H-nummer: month + 40. Synthetic test numbers (month + 80) are
    fødselsnumre in form. No check-digit validation here: that lives in ihr.rules.
    """
    digits = person_id.strip()
    if len(digits) == 11 and digits.isdigit():
        day, month = int(digits[0:2]), int(digits[2:4])
        if 41 <= day <= 71:
            return "DNR"
        if 41 <= month <= 52:
            return "HNR"
    return "FNR"


def xs_datetime(value: datetime) -> str:
    """An xs:dateTime, with the offset when the value has one.

    Fractions of a second are kept (when there are any), so a parsed GenDate equals the
    datetime that was written.
    """
    return value.isoformat()


def parse_xs_datetime(text: str | None, *, what: str) -> datetime:
    if not text or not text.strip():
        raise KithParseError(f"{what} mangler.")
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise KithParseError(f"{what} er ikke et gyldig tidspunkt: {text.strip()!r}.") from None


# ---- building ----------------------------------------------------------------------------


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """A child element; attributes with None values are left out."""
    el = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _ident(parent: etree._Element, id_: str, type_v: str, type_s: str, type_dn: str) -> None:
    ident = sub(parent, _M + "Ident")
    sub(ident, _M + "Id", id_)
    sub(ident, _M + "TypeId", V=type_v, S=type_s, DN=type_dn)


def _organisation(
    parent: etree._Element, name: str, her_id: str, requester: Requester | None = None
) -> etree._Element:
    org = sub(parent, _M + "Organisation")
    sub(org, _M + "OrganisationName", name)
    _ident(org, her_id, "HER", OID_IDENT_TYPE, "HER-id")
    if requester is not None:
        hcp = sub(org, _M + "HealthcareProfessional")
        category = HCP_CATEGORY.get(requester.title.casefold())
        if category is not None:  # 9060: the title as a code, never in the name
            sub(hcp, _M + "TypeHealthcareProfessional", V=category[0], DN=category[1])
        given, family = requester.person_name
        if family:
            sub(hcp, _M + "FamilyName", family)
        if given:
            sub(hcp, _M + "GivenName", given)
        _ident(hcp, requester.hpr, "HPR", OID_PERSON_IDENT_TYPE, "HPR-nummer")
    return org


def _patient(parent: etree._Element, patient: Patient) -> None:
    el = sub(parent, _M + "Patient")
    sub(el, _M + "FamilyName", patient.family_name)
    sub(el, _M + "GivenName", patient.given_name)
    sub(el, _M + "DateOfBirth", patient.birth_date.isoformat())
    v, dn = SEX_CODES[patient.sex]
    sub(el, _M + "Sex", V=v, DN=dn)
    kind = person_ident_type(patient.id)
    _ident(el, patient.id, kind, OID_PERSON_IDENT_TYPE, PERSON_IDENT_TEXTS[kind])


def build_msghead(
    *,
    msg_type: MessageType | str,
    msg_id: str,
    gen_date: datetime,
    sender_name: str,
    sender_her: str,
    receiver_name: str,
    receiver_her: str,
    content: etree._Element,
    patient: Patient | None = None,
    requester: Requester | None = None,
    document_id: str | None = None,
) -> bytes:
    """A MsgHead v1.2 document (UTF-8 bytes) with `content` as its one Document.

    `requester` goes into Sender/Organisation/HealthcareProfessional. No Ack element: the
    national guidelines say an application receipt is always sent (HIS 80821, ServReq/Ack).
    """
    root = etree.Element(_M + "MsgHead", nsmap={None: NS_MSGHEAD})
    info = sub(root, _M + "MsgInfo")
    type_value = str(msg_type)
    sub(info, _M + "Type", V=type_value, DN=message_type_text(type_value))
    sub(info, _M + "MIGversion", MIG_MSGHEAD)
    sub(info, _M + "GenDate", xs_datetime(gen_date))
    sub(info, _M + "MsgId", msg_id)
    _organisation(sub(info, _M + "Sender"), sender_name, sender_her, requester)
    _organisation(sub(info, _M + "Receiver"), receiver_name, receiver_her)
    if patient is not None:
        _patient(info, patient)

    document = sub(root, _M + "Document")
    ref = sub(document, _M + "RefDoc")
    sub(ref, _M + "IssueDate", V=xs_datetime(gen_date))
    sub(ref, _M + "MsgType", V="XML", DN="XML-instans")
    if document_id is not None:
        sub(ref, _M + "Id", document_id)
    sub(ref, _M + "MimeType", "text/xml")
    sub(ref, _M + "Content").append(content)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---- parsing ------------------------------------------------------------------------------


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Children with this local name, whatever their namespace."""
    if el is None:
        return []
    return [c for c in el if local_name(c) == name]


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    found = children(el, name)
    return found[0] if found else None


def path(el: etree._Element | None, *names: str) -> etree._Element | None:
    for name in names:
        el = child(el, name)
    return el


def text_of(el: etree._Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def _ident_value(el: etree._Element | None, types: set[str]) -> str | None:
    for ident in children(el, "Ident"):
        type_id = child(ident, "TypeId")
        if type_id is not None and (type_id.get("V") or "").strip().upper() in types:
            value = text_of(child(ident, "Id"))
            if value:
                return value
    return None


def _organisation_her(party: etree._Element | None) -> tuple[str, str | None]:
    """The HER-id and name of the innermost organisation unit that has a HER-id."""
    org = child(party, "Organisation")
    her, name = "", None
    while org is not None:
        value = _ident_value(org, {"HER"})
        if value:
            her, name = value, text_of(child(org, "OrganisationName"))
        org = child(org, "Organisation")
    return her, name


def parse_msghead(xml: bytes) -> MsgHeadInfo:
    """Read the envelope of a MsgHead v1.2 document. Raises KithParseError (Norwegian)."""
    root = parse_untrusted(xml, what="Hodemeldingen")
    if local_name(root) != "MsgHead":
        raise KithParseError(f"Meldingen er ikke en hodemelding (rotelement {local_name(root)!r}).")
    info = child(root, "MsgInfo")
    if info is None:
        raise KithParseError("Hodemeldingen mangler MsgInfo.")
    msg_id = text_of(child(info, "MsgId"))
    if not msg_id:
        raise KithParseError("Hodemeldingen mangler meldingsidentifikator (MsgId).")
    type_el = child(info, "Type")
    msg_type = (type_el.get("V") or "").strip() if type_el is not None else ""
    if not msg_type:
        raise KithParseError("Hodemeldingen mangler meldingstype (Type).")
    gen_date = parse_xs_datetime(text_of(child(info, "GenDate")), what="Hodemeldingens GenDate")
    sender_her, sender_name = _organisation_her(child(info, "Sender"))
    receiver_her, receiver_name = _organisation_her(child(info, "Receiver"))

    patient = child(info, "Patient")
    patient_id = _ident_value(patient, {"FNR", "DNR", "HNR"})
    if patient_id is None and patient is not None:
        patient_id = text_of(path(patient, "Ident", "Id"))

    requisition_number = None
    investigations: list[str] = []
    for document in children(root, "Document"):
        servreq = path(document, "RefDoc", "Content", "Message", "ServReq")
        if servreq is not None:
            requisition_number = text_of(child(servreq, "ServProvId")) or text_of(child(servreq, "Id"))
            for req in children(servreq, "ReqInvestigation"):
                kind_el = child(req, "ServType")
                kind = (kind_el.get("V") or "").strip() if kind_el is not None else ""
                investigations += [kind] * len(children(req, "Investigation"))
            break

    return MsgHeadInfo(
        msg_id=msg_id,
        msg_type=msg_type,
        sender_her=sender_her,
        receiver_her=receiver_her,
        patient_id=patient_id,
        gen_date=gen_date,
        msg_type_text=(type_el.get("DN") if type_el is not None else None) or None,
        sender_name=sender_name,
        receiver_name=receiver_name,
        requisition_number=requisition_number,
        investigations=tuple(investigations),
    )
