"""One requisition as a KITH message: MsgHead v1.2 around a Rekvisisjon v1.6 `Message`.

Built as HIS 80821:2014 (Rekvirering av medisinske tjenester v1.6) describes it, with the
profiles for laboratory medicine (HIS 1160) and radiology (HIS 1175), and HISD 1154 for
changes and cancellations. The official XSD and examples are in ../shared/standards/kith.

    Message                               (namespace NS_REKVISISJON)
      Type V=REQ_LAB|REQ_MBIO|REQ_HIST|REQ_CYT|REQ_RTG (8279), MIGversion, GenDate, MsgId (UUID)
      ServReq
        ServType (7309)                    N Ny, A Tillegg, M Endring, C Kansellering
        IssueDate                          when the order was written (the same in every message)
        PaymentCat (4101)                  the order's payment category, "1" ordinær pasient
        ReqComment                         the order's comment (unless it is the problem statement);
                                           kith:ST, its line breaks as LF
        MsgDescr (8202)                    CLIN, MBIO, HIST, CYTO; CT, MR, RTG, UL, MA for imaging
        Id                                 the requisition's document id: the same in N, A, M, C
        ServProvId                         the requisition number the IHR service allocated
        RequestedPrioReport (8115)         N Normal, H Høy (urgent orders)
        Patient: Sex (3101), DateOfBirth, Name, OffId, TypeOffId (8327), InfItem*:
          diagnosis (H, ICPC-2), clinical information (OPPL), answers as text (OPPL),
          answers coded by the catalog (NB, e.g. 8210 MR contraindications, 8209 MR information)
        ServProvider/HCP/Inst              the lab: Name, Id, TypeId HER (9051)
        Requester/HCP/Inst                 the office (HER) and HCPerson: the doctor (HPR, 8116)
        CopyDest*/HCP/Inst                 copy recipients, like the requester
        ReasonAsText                       imaging: the problem statement (heading PROB); its
                                           TextResultValue and the InfItems' Description are
                                           anyType: a line break is an XHTML <br/> (HITS 1155)
        Comment                            imaging: 8274 may the radiologist change modality;
                                           cancellations: the reason
        ReqInvestigation*                  per specimen (lab) or per examination (imaging):
          ServType                         N; A for added, H for the ones already ordered (A);
                                           C for items cancelled in an Endring
          Investigation/Id V S DN          NLK (7280) / NCRP (7270) / local codes (8212, with OT)
          AnalysedSubject                  CollectedSample/CollectedDate (or RequestedSubject),
                                           Type or TypeCoded (8351), IdByServProv = the barcode
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from lxml import etree

from ihr.kith.codes import (
    CODED_FACT_TEXTS,
    INFO_TYPE_TEXTS,
    MATERIAL_CODES,
    MSG_DESCR_TEXTS,
    PRIORITY_TEXTS,
    SERVICE_TYPE_TEXTS,
    ServiceType,
    message_type_for,
    message_type_text,
    msg_descr_for,
)
from ihr.kith.msghead import (
    PERSON_IDENT_TEXTS,
    SEX_CODES,
    build_msghead,
    person_ident_type,
    sub,
    xs_datetime,
)
from ihr.kith.namespaces import (
    MIG_REKVISISJON,
    NS_REKVISISJON,
    NS_XHTML,
    OID_ICPC2,
    OID_MATERIAL,
    OID_NCRP,
    OID_NLK,
    OID_UNSPECIFIED_LAB,
    VOLVEN_OID_PREFIX,
)
from ihr.models.catalog import (
    AnswerType,
    AnswerValue,
    CodeSystem,
    Discipline,
    Lab,
    Question,
    QuestionRole,
    Service,
)
from ihr.models.order import (
    PAYMENT_CATEGORY_TEXTS,
    CopyRecipient,
    ItemStatus,
    Order,
    OrderItem,
    Priority,
    Requisition,
    Specimen,
)
from ihr.models.people import Office, Requester
from ihr.rules.text import normalise_line_breaks

_R = f"{{{NS_REKVISISJON}}}"


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
    service_type: ServiceType = ServiceType.NEW,
    added_item_ids: Collection[str] = (),
    cancelled_item_ids: Collection[str] = (),
    reason: str | None = None,
) -> bytes:
    """The KITH message (MsgHead v1.2 around a Rekvisisjon v1.6 Message) for one requisition.

    `service_type` N sends the requisition's open items; A (Tillegg) sends `added_item_ids`
    as A and the other open items as H; M (Endring) sends the complete requisition again,
    `cancelled_item_ids` as C; C (Kansellering) cancels the whole requisition, with `reason`.
    `services` maps service codes to the catalog's services. Raises ValueError when the
    requisition is not part of the order, or an item's service is not in `services`.
    """
    if all(r.id != requisition.id for r in order.requisitions):
        raise ValueError(f"requisition {requisition.id} is not part of order {order.id}")
    msg_type = message_type_for(requisition, services)
    message = etree.Element(_R + "Message", nsmap={None: NS_REKVISISJON})
    sub(message, _R + "Type", V=msg_type.value, DN=message_type_text(msg_type))
    sub(message, _R + "MIGversion", MIG_REKVISISJON)
    sub(message, _R + "GenDate", V=xs_datetime(gen_date))
    sub(message, _R + "MsgId", msg_id)
    message.append(
        build_servreq(
            order,
            requisition,
            sender_office=sender_office,
            requester=requester,
            lab=lab,
            services=services,
            service_type=service_type,
            added_item_ids=set(added_item_ids),
            cancelled_item_ids=set(cancelled_item_ids),
            reason=reason,
        )
    )
    return build_msghead(
        msg_type=msg_type,
        msg_id=msg_id,
        gen_date=gen_date,
        sender_name=sender_office.name,
        sender_her=sender_office.her_id,
        receiver_name=lab.name,
        receiver_her=lab.her_id,
        content=message,
        patient=order.patient,
        requester=requester,
        document_id=requisition.id,
    )


def open_items(requisition: Requisition) -> list[OrderItem]:
    """The items the lab is (still) asked to do: not cancelled."""
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
    for item in open_items(requisition):
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
        return "Ja" if _is_yes(value) else "Nei"
    if question.type == AnswerType.CHOICE:
        for choice in question.choices:
            if choice.code == value:
                return choice.display
    text = _value_literal(value)
    if question.unit and question.type in (AnswerType.INTEGER, AnswerType.DECIMAL):
        text = f"{text} {question.unit}"
    return text


def answer_code(question: Question, value: AnswerValue) -> tuple[str, str, str] | None:
    """(code, OID, display text) of a yes/no answer the catalog codes (`Question.kith`), or None."""
    coding = question.kith
    if coding is None:
        return None
    code = coding.if_yes if _is_yes(value) else coding.if_no
    if code is None:
        return None
    text = CODED_FACT_TEXTS.get(coding.code_list, {}).get(code, question.text)
    return code, VOLVEN_OID_PREFIX + coding.code_list, text


def _is_yes(value: AnswerValue) -> bool:
    return value in (True, "true", "True", "ja", "Ja")


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


# ---- the ServReq ------------------------------------------------------------------------------


def build_servreq(
    order: Order,
    requisition: Requisition,
    *,
    sender_office: Office,
    requester: Requester,
    lab: Lab,
    services: Mapping[str, Service],
    service_type: ServiceType = ServiceType.NEW,
    added_item_ids: set[str] | None = None,
    cancelled_item_ids: set[str] | None = None,
    reason: str | None = None,
) -> etree._Element:
    """The ServReq element of one requisition (see the module docstring for its content)."""
    added = added_item_ids or set()
    cancelled = cancelled_item_ids or set()
    imaging = requisition.discipline == Discipline.RADIOLOGY
    answers = requisition_answers(order, requisition, services)
    problem = _problem_statement(order, requisition, services, answers)

    root = etree.Element(_R + "ServReq", nsmap={None: NS_REKVISISJON})
    sub(root, _R + "ServType", V=service_type.value, DN=SERVICE_TYPE_TEXTS[service_type])
    sub(root, _R + "IssueDate", V=xs_datetime(order.created_at))
    sub(root, _R + "PaymentCat", V=order.payment_category.value, DN=PAYMENT_CATEGORY_TEXTS[order.payment_category])
    if order.comment and order.comment.strip() and order.comment != problem:
        sub(root, _R + "ReqComment", order.comment.strip())
    descr = msg_descr_for(requisition, services)
    sub(root, _R + "MsgDescr", V=descr, DN=MSG_DESCR_TEXTS[descr])
    sub(root, _R + "Id", requisition.id)
    sub(root, _R + "ServProvId", requisition.number)
    prio = "H" if order.priority == Priority.URGENT else "N"
    sub(root, _R + "RequestedPrioReport", V=prio, DN=PRIORITY_TEXTS[prio])

    _patient(root, order, answers)
    _hcp(sub(root, _R + "ServProvider"), lab.name, lab.her_id)
    _hcp(sub(root, _R + "Requester"), sender_office.name, sender_office.her_id, requester)
    for copy in order.copy_recipients:
        _copy_dest(root, copy)

    if service_type == ServiceType.CANCEL:
        comment = sub(root, _R + "Comment")
        sub(comment, _R + "TextResultValue", (reason or "").strip() or "Hele rekvisisjonen kanselleres")
        return root

    if problem:
        reason_el = sub(root, _R + "ReasonAsText")
        sub(reason_el, _R + "Heading", V="PROB", DN="Aktuell problemstilling")
        formatted_text(sub(reason_el, _R + "TextResultValue"), problem)
    if imaging and order.modality_change_allowed is not None:
        code = "1" if order.modality_change_allowed else "2"
        text = CODED_FACT_TEXTS["8274"][code]
        sub(sub(root, _R + "Comment"), _R + "TextCode", V=code, S=VOLVEN_OID_PREFIX + "8274", DN=text)
    if reason and service_type == ServiceType.CHANGE:
        sub(sub(root, _R + "Comment"), _R + "TextResultValue", reason.strip())

    def item_type(item: OrderItem) -> ServiceType:
        if item.id in cancelled:
            return ServiceType.CANCEL
        if service_type == ServiceType.ADDITION:
            return ServiceType.ADDITION if item.id in added else ServiceType.HISTORY
        return ServiceType.NEW

    items = [i for i in requisition.items if i.status != ItemStatus.CANCELLED or i.id in cancelled]
    if imaging:
        for item in items:
            _req_investigation(root, item_type(item), [_service(services, item)], None, order.created_at)
        return root
    specimens = {s.id: s for s in requisition_specimens(order, requisition)}
    groups: dict[tuple[str | None, ServiceType], list[Service]] = {}
    for item in items:
        spec = item.specimen_id if item.specimen_id in specimens else None
        if spec is None:  # an item linked through the tube that carries its service
            spec = next((sid for sid, s in specimens.items() if item.service_code in s.service_codes), None)
        groups.setdefault((spec, item_type(item)), []).append(_service(services, item))
    order_of = {sid: n for n, sid in enumerate(specimens)}
    # The added ones first, as in the official Tillegg example; then in order of draw.
    for (spec_id, kind), group in sorted(
        groups.items(), key=lambda g: (g[0][1] != ServiceType.ADDITION, order_of.get(g[0][0] or "", len(order_of)))
    ):
        _req_investigation(root, kind, group, specimens.get(spec_id or ""), order.created_at)
    return root


def _problem_statement(
    order: Order, requisition: Requisition, services: Mapping[str, Service], answers: list[tuple[Question, AnswerValue]]
) -> str | None:
    """The clinical question (HIS 1175 6.4): the answer to the catalog's problem-statement
    question, or, for imaging without such a question, the order's comment."""
    for question, value in answers:
        if question.role == QuestionRole.PROBLEM_STATEMENT and str(value).strip():
            return str(value).strip()
    if requisition.discipline == Discipline.RADIOLOGY and order.comment and order.comment.strip():
        asks = any(
            q.role == QuestionRole.PROBLEM_STATEMENT for i in open_items(requisition) for q in _service(services, i).questions
        )
        if not asks:
            return order.comment
    return None


def _patient(root: etree._Element, order: Order, answers: list[tuple[Question, AnswerValue]]) -> None:
    patient = order.patient
    pat = sub(root, _R + "Patient")
    sex_v, sex_dn = SEX_CODES[patient.sex]
    sub(pat, _R + "Sex", V=sex_v, DN=sex_dn)
    sub(pat, _R + "DateOfBirth", V=patient.birth_date.isoformat())
    sub(pat, _R + "Name", f"{patient.family_name}, {patient.given_name}")
    sub(pat, _R + "OffId", patient.id)
    kind = person_ident_type(patient.id)
    sub(pat, _R + "TypeOffId", V=kind, DN=PERSON_IDENT_TEXTS[kind])
    if order.diagnosis is not None:
        _inf_item(pat, "H", coded=(order.diagnosis.code, OID_ICPC2, order.diagnosis.text))
    if order.clinical_info and order.clinical_info.strip():
        _inf_item(pat, "OPPL", text=order.clinical_info.strip())
    for question, value in answers:
        if question.role != QuestionRole.CLINICAL:
            continue
        if question.kith is not None:
            coded = answer_code(question, value)
            if coded is not None:
                _inf_item(pat, "NB", coded=coded)
            continue
        text = answer_text(question, value).strip()
        if text:
            _inf_item(pat, "OPPL", text=f"{question.text}: {text}")


def _inf_item(
    parent: etree._Element, type_v: str, *, text: str | None = None, coded: tuple[str, str, str] | None = None
) -> None:
    inf = sub(parent, _R + "InfItem")
    obs = sub(inf, _R + "Observation")
    if text is not None:
        formatted_text(sub(obs, _R + "Description"), text)
    if coded is not None:
        code, oid, display = coded
        sub(obs, _R + "CodedDescr", V=code, S=oid, DN=display)
    sub(inf, _R + "Type", V=type_v, DN=INFO_TYPE_TEXTS[type_v])


def formatted_text(element: etree._Element, text: str) -> None:
    """Text of several lines in an anyType element (ReasonAsText/TextResultValue,
    Observation/Description), which HIS 80821 4.3 lets carry simple XHTML formatting
    (HITS 1155): each line break an XHTML `<br/>` followed by the LF, as in that standard's
    own example, so a display that renders XHTML and one that reads the plain text both
    show the lines apart. One line is plain text, as before."""
    first, *rest = normalise_line_breaks(text).split("\n")
    element.text = first
    for line in rest:
        br = etree.SubElement(element, f"{{{NS_XHTML}}}br", nsmap={None: NS_XHTML})
        br.tail = "\n" + line


def _hcp(parent: etree._Element, name: str, her_id: str, person: Requester | None = None) -> None:
    inst = sub(sub(parent, _R + "HCP"), _R + "Inst")
    sub(inst, _R + "Name", name)
    sub(inst, _R + "Id", her_id)
    sub(inst, _R + "TypeId", V="HER", DN="HER-id")
    if person is not None:
        _hc_person(inst, person.display_name, person.hpr)


def _hc_person(inst: etree._Element, name: str, hpr: str) -> None:
    el = sub(inst, _R + "HCPerson")
    sub(el, _R + "Name", name)
    sub(el, _R + "Id", hpr)
    sub(el, _R + "TypeId", V="HPR", DN="HPR-nummer")


def _copy_dest(root: etree._Element, copy: CopyRecipient) -> None:
    """The copy's recipient: her office by HER-id, and she by her own HER-id (the address
    register's, as the official examples address persons) with her HPR number beside it;
    by HPR number alone when her HER-id is not known."""
    inst = sub(sub(sub(root, _R + "CopyDest"), _R + "HCP"), _R + "Inst")
    sub(inst, _R + "Name", copy.office_name)
    sub(inst, _R + "Id", copy.office_her_id)
    sub(inst, _R + "TypeId", V="HER", DN="HER-id")
    if copy.her_id is None:
        _hc_person(inst, copy.name, copy.hpr)
        return
    person = sub(inst, _R + "HCPerson")
    sub(person, _R + "Name", copy.name)
    sub(person, _R + "Id", copy.her_id)
    sub(person, _R + "TypeId", V="HER", DN="HER-id")
    extra = sub(person, _R + "AdditionalId")
    sub(extra, _R + "Id", copy.hpr)
    sub(extra, _R + "Type", V="HPR", DN="HPR-nummer")


def _investigation_id(inv: etree._Element, service: Service) -> None:
    match service.code_system:
        case CodeSystem.NLK:
            sub(inv, _R + "Id", V=service.code, S=OID_NLK, DN=service.name)
        case CodeSystem.NCRP:
            sub(inv, _R + "Id", V=service.code, S=OID_NCRP, DN=service.name)
            if service.ncrp_spec is not None:
                sub(inv, _R + "Spec", V=service.ncrp_spec[0], S=OID_NCRP, DN=service.ncrp_spec[1])
        case _ if service.discipline == Discipline.RADIOLOGY:
            # No confirmed NCRP code: the examination as text in NCRP (HIS 1175 6.3).
            sub(inv, _R + "Id", S=OID_NCRP, OT=service.name)
        case _:
            # A local code: "Uspesifisert laboratoriekodeverk", S and OT always (HIS 80821 4.4).
            sub(inv, _R + "Id", V=service.code, S=OID_UNSPECIFIED_LAB, DN=service.name, OT=service.name)


def _req_investigation(
    root: etree._Element,
    kind: ServiceType,
    services: list[Service],
    specimen: Specimen | None,
    requested: datetime,
) -> None:
    req = sub(root, _R + "ReqInvestigation")
    sub(req, _R + "ServType", V=kind.value, DN=SERVICE_TYPE_TEXTS[kind])
    for service in services:
        _investigation_id(sub(req, _R + "Investigation"), service)
    if specimen is None:
        return
    subject = sub(req, _R + "AnalysedSubject")
    if specimen.collected_at is not None:
        sub(sub(subject, _R + "CollectedSample"), _R + "CollectedDate", V=xs_datetime(specimen.collected_at))
    else:  # to be collected: the sample is requested, not yet taken
        sub(sub(subject, _R + "RequestedSubject"), _R + "ReqDate", V=xs_datetime(requested))
    coded = MATERIAL_CODES.get(specimen.material.casefold())
    if coded is not None:
        sub(subject, _R + "TypeCoded", V=coded[0], S=OID_MATERIAL, DN=coded[1])
    else:
        sub(subject, _R + "Type", specimen.material)
    sub(subject, _R + "IdByServProv", specimen.id)
