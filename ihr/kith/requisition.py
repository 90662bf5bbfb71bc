"""One requisition (or imaging referral) as a KITH message: MsgHead v1.2 around a ServReq.

The ServReq follows what is publicly known of Rekvisisjon v1.6 (the official XSD is not
public here), so its shape is ours where the standard could not be checked:

    ServReq                              (namespace NS_REKVISISJON)
      MsgDescr V= DN=                    discipline (MBK, MIK, PAT, RAD)        # check
      IssueDate V=
      Id                                 requisition number
      Priority V="H" DN="Haster"         only for urgent orders                 # check
      ReqComment                         the order's comment, when there is one
      Requester/HCProf                   Name, Id (HPR), TypeId V="HPR" S=<HPR OID>
      Requester/Inst                     the office: Name, Id (HER), TypeId V="HER" S=<HER OID>
      ServProvider/Inst                  the lab: Name, Id (HER), TypeId V="HER" S=<HER OID>
      Patient
        Name, OffId, TypeOffId V=FNR|DNR|HNR, Sex, DateOfBirth
        InfItem*                         one per answer to this requisition's questions:
          Type V=<question key> DN=<question text>
          Observation/Description        the answer as text; Observation/Value V=<raw value>
                                           (Value only when it differs from the text)
        ReqInvestigation*                one per ordered item
          Id V=<code> S=<NLK/NCRP OID or "local"> DN=<name>
          RefAnalysedSubject/IdByRequester*   the specimens that carry it
        AnalysedSubject*                 one per specimen (container, label)
          IdByRequester                  the barcode
          Type DN=<material>
          Container V=<container code>
          CollectedSample/CollectedDate V=    when collected
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from lxml import etree

from ihr.kith.codes import DISCIPLINE_CODES, message_type_for
from ihr.kith.msghead import PERSON_IDENT_TEXTS, SEX_CODES, build_msghead, person_ident_type, sub, xs_datetime
from ihr.kith.namespaces import NS_REKVISISJON, OID_HER, OID_HPR, OID_LOCAL, OID_NCRP, OID_NLK
from ihr.models.catalog import AnswerType, AnswerValue, CodeSystem, Lab, Question, Service
from ihr.models.order import ItemStatus, Order, OrderItem, Priority, Requisition, Specimen
from ihr.models.people import Office, Requester

_R = f"{{{NS_REKVISISJON}}}"

CODE_SYSTEM_OIDS: dict[CodeSystem, str] = {
    CodeSystem.NLK: OID_NLK,
    CodeSystem.NCRP: OID_NCRP,
    CodeSystem.LOCAL: OID_LOCAL,  # check: the sandbox's own imaging codes, marked as local
}


def build_requisition_message(
    order: Order,
    requisition: Requisition,
    *,
    sender_office: Office,
    requester: Requester,
    lab: Lab,
    services: Mapping[str, Service],
    msg_id: str,
    gen_date: datetime,
) -> bytes:
    """The KITH message (MsgHead v1.2 with a ServReq) for one requisition of an order.

    `services` maps service codes to the catalog's services (for code systems and
    questions). Cancelled items are left out. Raises ValueError when the requisition is not
    part of the order, or an item's service is not in `services`.
    """
    if all(r.id != requisition.id for r in order.requisitions):
        raise ValueError(f"requisition {requisition.id} is not part of order {order.id}")
    servreq = build_servreq(
        order,
        requisition,
        sender_office=sender_office,
        requester=requester,
        lab=lab,
        services=services,
        issue_date=gen_date,
    )
    return build_msghead(
        msg_type=message_type_for(requisition),
        msg_id=msg_id,
        gen_date=gen_date,
        sender_name=sender_office.name,
        sender_her=sender_office.her_id,
        receiver_name=lab.name,
        receiver_her=lab.her_id,
        content=servreq,
        patient=order.patient,
        requester=requester,
        document_id=requisition.number,
    )


def active_items(requisition: Requisition) -> list[OrderItem]:
    return [i for i in requisition.items if i.status != ItemStatus.CANCELLED]


def requisition_specimens(order: Order, requisition: Requisition) -> list[Specimen]:
    """The order's specimens that belong to this requisition, in order of draw."""
    found = [s for s in order.specimens if s.requisition_id == requisition.id]
    return sorted(found, key=lambda s: (s.order_of_draw, s.id))


def requisition_answers(
    order: Order, requisition: Requisition, services: Mapping[str, Service]
) -> list[tuple[Question, AnswerValue]]:
    """The order's answers to the questions of this requisition's services, each once."""
    seen: set[str] = set()
    result: list[tuple[Question, AnswerValue]] = []
    for item in active_items(requisition):
        for question in _service(services, item).questions:
            if question.key in seen:
                continue
            seen.add(question.key)
            value = order.answer(question.key)
            if value is not None:
                result.append((question, value))
    return result


def answer_text(question: Question, value: AnswerValue) -> str:
    """The answer as a Norwegian text for the lab: Ja/Nei, choice display, value with unit."""
    if question.type == AnswerType.BOOLEAN or isinstance(value, bool):
        return "Ja" if value in (True, "true", "True", "ja", "Ja") else "Nei"
    if question.type == AnswerType.CHOICE:
        for choice in question.choices:
            if choice.code == value:
                return choice.display
    text = _value_literal(value)
    if question.unit and question.type in (AnswerType.INTEGER, AnswerType.DECIMAL):
        text = f"{text} {question.unit}"
    return text


def _value_literal(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _service(services: Mapping[str, Service], item: OrderItem) -> Service:
    try:
        return services[item.service_code]
    except KeyError:
        raise ValueError(f"service {item.service_code} ({item.name}) is not in the catalog given") from None


def _coded_id(parent: etree._Element, id_: str, type_v: str, oid: str, dn: str) -> None:
    sub(parent, _R + "Id", id_)
    sub(parent, _R + "TypeId", V=type_v, S=oid, DN=dn)


def build_servreq(
    order: Order,
    requisition: Requisition,
    *,
    sender_office: Office,
    requester: Requester,
    lab: Lab,
    services: Mapping[str, Service],
    issue_date: datetime,
) -> etree._Element:
    """The ServReq element (Rekvisisjon v1.6 style) for one requisition."""
    root = etree.Element(_R + "ServReq", nsmap={None: NS_REKVISISJON})
    code, name = DISCIPLINE_CODES[requisition.discipline]
    sub(root, _R + "MsgDescr", V=code, DN=name)
    sub(root, _R + "IssueDate", V=xs_datetime(issue_date))
    sub(root, _R + "Id", requisition.number)
    if order.priority == Priority.URGENT:
        sub(root, _R + "Priority", V="H", DN="Haster")
    if order.comment:
        sub(root, _R + "ReqComment", order.comment)

    req = sub(root, _R + "Requester")
    prof = sub(req, _R + "HCProf")
    sub(prof, _R + "Type", DN=requester.title)
    sub(prof, _R + "Name", requester.name)
    _coded_id(prof, requester.hpr, "HPR", OID_HPR, "HPR-nummer")
    inst = sub(req, _R + "Inst")
    sub(inst, _R + "Name", sender_office.name)
    _coded_id(inst, sender_office.her_id, "HER", OID_HER, "HER-id")

    provider = sub(sub(root, _R + "ServProvider"), _R + "Inst")
    sub(provider, _R + "Name", lab.name)
    _coded_id(provider, lab.her_id, "HER", OID_HER, "HER-id")

    patient = order.patient
    pat = sub(root, _R + "Patient")
    sub(pat, _R + "Name", f"{patient.family_name}, {patient.given_name}")
    sub(pat, _R + "OffId", patient.id)
    kind = person_ident_type(patient.id)
    sub(pat, _R + "TypeOffId", V=kind, DN=PERSON_IDENT_TEXTS[kind])
    sex_v, sex_dn = SEX_CODES[patient.sex]
    sub(pat, _R + "Sex", V=sex_v, DN=sex_dn)
    sub(pat, _R + "DateOfBirth", V=patient.birth_date.isoformat())

    for question, value in requisition_answers(order, requisition, services):
        inf = sub(pat, _R + "InfItem")
        sub(inf, _R + "Type", V=question.key, DN=question.text)
        obs = sub(inf, _R + "Observation")
        description = answer_text(question, value)
        sub(obs, _R + "Description", description)
        if _value_literal(value) != description:
            sub(obs, _R + "Value", V=_value_literal(value))

    specimens = requisition_specimens(order, requisition)
    for item in active_items(requisition):
        service = _service(services, item)
        inv = sub(pat, _R + "ReqInvestigation")
        sub(inv, _R + "Id", V=service.code, S=CODE_SYSTEM_OIDS[service.code_system], DN=service.name)
        for specimen in specimens:
            if specimen.id == item.specimen_id or item.service_code in specimen.service_codes:
                sub(sub(inv, _R + "RefAnalysedSubject"), _R + "IdByRequester", specimen.id)

    for specimen in specimens:
        subject = sub(pat, _R + "AnalysedSubject")
        sub(subject, _R + "IdByRequester", specimen.id)
        sub(subject, _R + "Type", DN=specimen.material)
        sub(subject, _R + "Container", V=specimen.container)
        if specimen.collected_at is not None:
            collected = sub(subject, _R + "CollectedSample")
            sub(collected, _R + "CollectedDate", V=xs_datetime(specimen.collected_at))
    return root
