"""Requisition messages: MsgHead v1.2 around a complete Rekvisisjon v1.6 `Message`.

Every kind of message the project sends (lab, microbiology, pathology, CT, MR; Ny, Tillegg,
Endring, Kansellering) validates against MsgHead-v1_2.xsd and Rekvisisjon-v1.6.xsd loaded
together, and carries only code values of the national code lists (volven-kodeverk.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from ihr.kith import build_apprec, build_requisition_message, parse_msghead, validate
from ihr.kith.codes import APPREC_ERRORS, MATERIAL_CODES, ServiceType
from ihr.kith.namespaces import (
    NS_MSGHEAD,
    NS_REKVISISJON,
    OID_ICPC2,
    OID_NCRP,
    OID_NLK,
    OID_UNSPECIFIED_LAB,
)
from ihr.models import AppRecError, AppRecStatus, Order, Requisition
from tests.kith.factories import (
    GEN_DATE,
    LABS,
    OFFICE,
    REQUESTER,
    SERVICES,
    make_order,
    make_wide_order,
)

NS = {"mh": NS_MSGHEAD, "r": NS_REKVISISJON}
VOLVEN_PREFIX = "2.16.578.1.12.4.1.1."


def build(
    order: Order,
    requisition_id: str,
    msg_id: str = "msg-1",
    service_type: ServiceType = ServiceType.NEW,
    **kw: object,
) -> bytes:
    requisition = next(r for r in order.requisitions if r.id == requisition_id)
    return build_requisition_message(
        order,
        requisition,
        sender_office=OFFICE,
        requester=REQUESTER,
        lab=LABS[requisition.lab_her_id],
        services=SERVICES,
        msg_id=msg_id,
        gen_date=GEN_DATE,
        service_type=service_type,
        **kw,  # type: ignore[arg-type]
    )


def servreq(xml: bytes) -> etree._Element:
    found = etree.fromstring(xml).xpath(
        "/mh:MsgHead/mh:Document/mh:RefDoc/mh:Content/r:Message/r:ServReq", namespaces=NS
    )
    assert len(found) == 1
    return found[0]


def every_message() -> Iterator[tuple[str, bytes]]:
    """(name, XML) of every kind of message: each discipline, N / A / M / C, collected or not."""
    for collected in (True, False):
        order = make_wide_order(collected=collected)
        for req in order.requisitions:
            first = req.items[0].id
            name = f"{req.id}-{'collected' if collected else 'to-collect'}"
            yield f"{name}-N", build(order, req.id)
            yield f"{name}-A", build(order, req.id, service_type=ServiceType.ADDITION, added_item_ids=[first])
            yield f"{name}-M", build(order, req.id, service_type=ServiceType.CHANGE, reason="Rettet")
            yield f"{name}-C", build(order, req.id, service_type=ServiceType.CANCEL, reason="Feil pasient")
            if len(req.items) > 1:
                yield f"{name}-M-cancels-one", build(
                    order, req.id, service_type=ServiceType.CHANGE, cancelled_item_ids=[first]
                )
    urgent = make_order(urgent=True)
    yield "lab-urgent-N", build(urgent, "rq-mbk")


MESSAGES = dict(every_message())


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_validates_against_msghead_and_rekvisisjon_xsd(schema_dir: Path, name: str) -> None:
    assert validate(MESSAGES[name], "msghead", schema_dir) == []


def test_the_message_kinds_are_all_there() -> None:
    kinds = {(parse_msghead(x).msg_type, servreq(x).find("r:ServType", NS).get("V")) for x in MESSAGES.values()}
    for msg_type in ("REQ_LAB", "REQ_MBIO", "REQ_HIST", "REQ_CYT", "REQ_RTG"):
        assert {(msg_type, t) for t in "NAMC"} <= kinds
    descrs = {servreq(x).find("r:MsgDescr", NS).get("V") for x in MESSAGES.values()}
    assert {"CLIN", "MBIO", "HIST", "CYTO", "CT", "AN", "RTG"} <= descrs


def test_the_xsd_check_is_real(schema_dir: Path) -> None:
    """The Rekvisisjon inside the envelope is validated too: a ServReq without ServType fails."""
    xml = build(make_order(), "rq-mbk")
    root = etree.fromstring(xml)
    req = root.xpath("//r:ServReq", namespaces=NS)[0]
    req.remove(req.find("r:ServType", NS))
    errors = validate(etree.tostring(root), "msghead", schema_dir)
    assert errors and "ServType" in " ".join(errors)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_no_empty_elements(name: str) -> None:
    """Every element carries something: text, an attribute or children."""
    empty = [
        etree.QName(el).localname
        for el in etree.fromstring(MESSAGES[name]).iter()
        if not (el.text or "").strip() and not el.attrib and len(el) == 0
    ]
    assert empty == []


# ---- every code is a legal one --------------------------------------------------------------

# Coded elements without an S attribute (CS): their code list by element path (HIS 80821, MsgHead).
CS_LISTS = {
    ("MsgInfo", "Type"): "8279",
    ("HealthcareProfessional", "TypeHealthcareProfessional"): "9060",
    ("Patient", "Sex"): "3101",
    ("RefDoc", "MsgType"): "8114",
    ("Message", "Type"): "8279",
    ("ServReq", "ServType"): "7309",
    ("ServReq", "PaymentCat"): "4101",
    ("ServReq", "MsgDescr"): "8202",
    ("ServReq", "RequestedPrioReport"): "8115",
    ("Patient", "TypeOffId"): "8327",
    ("InfItem", "Type"): "8233",
    ("Inst", "TypeId"): "9051",
    ("HCPerson", "TypeId"): "8116",
    ("ReasonAsText", "Heading"): "8231",
    ("ReqInvestigation", "ServType"): "7309",
}
# Code systems outside the Volven extract, checked against what they may hold here.
EXTERNAL = {
    OID_NLK: {s.code for s in SERVICES.values()},
    OID_NCRP: {s.code for s in SERVICES.values()} | {"ZTX0EA"},
    OID_UNSPECIFIED_LAB: {s.code for s in SERVICES.values() if s.code.startswith("LOK-")},
    OID_ICPC2: {"L15"},
    VOLVEN_PREFIX + "8351": {code for code, _ in MATERIAL_CODES.values()},
}
TIME_ELEMENTS = {"GenDate", "IssueDate", "DateOfBirth", "CollectedDate", "ReqDate"}


@pytest.fixture(scope="module")
def volven(schema_dir: Path) -> dict[str, dict[str, str]]:
    return json.loads((schema_dir / "volven-kodeverk.json").read_text(encoding="utf-8"))


def coded_elements(xml: bytes) -> Iterator[tuple[str, etree._Element]]:
    """(parent/element, element) of every element with a code value V (times excepted)."""
    for el in etree.fromstring(xml).iter():
        name = etree.QName(el).localname
        if "V" in el.attrib and name not in TIME_ELEMENTS:
            yield f"{etree.QName(el.getparent()).localname}/{name}", el


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_code_is_in_its_national_code_list(volven: dict[str, dict[str, str]], name: str) -> None:
    checked = 0
    for where, el in coded_elements(MESSAGES[name]):
        code, system, dn = el.get("V"), el.get("S"), el.get("DN")
        if system in EXTERNAL:
            assert code in EXTERNAL[system], (where, code, system)
        elif system is not None:
            assert system.startswith(VOLVEN_PREFIX), (where, system)
            codes = volven[system.removeprefix(VOLVEN_PREFIX)]
            assert code in codes, (where, code, system)
            assert dn == codes[code], (where, dn, codes[code])
        else:
            parent, element = where.split("/")
            codes = volven[CS_LISTS[(parent, element)]]
            assert code in codes, (where, code)
            # The display text is Volven's (4101 "1" carries a long explanation after the name).
            assert dn and codes[code].startswith(dn), (where, dn, codes[code])
        checked += 1
    assert checked >= 8


APPREC_CS_LISTS = {
    ("AppRec", "MsgType"): "8279",
    ("OriginalMsgId", "MsgType"): "8279",
    ("AppRec", "Status"): "8258",
    ("Inst", "TypeId"): "9051",
}


@pytest.mark.parametrize("status", list(AppRecStatus))
def test_every_code_of_the_labs_apprecs_is_in_its_code_list(volven: dict[str, dict[str, str]], status: AppRecStatus) -> None:
    """The sandbox's labs answer with AppRecs: every error code of 8221 the labs use, each status."""
    errors = [AppRecError(code=code, text=text) for code, text in APPREC_ERRORS.items()]
    xml = build_apprec(
        original=parse_msghead(build(make_order(), "rq-mbk")), status=status, errors=errors, msg_id="a",
        gen_date=GEN_DATE, sender_her="1", receiver_her="2", sender_name="Lab", receiver_name="Kontor",
    )
    seen = set()
    for where, el in coded_elements(xml):
        code, system, dn = el.get("V"), el.get("S"), el.get("DN")
        list_id = system.removeprefix(VOLVEN_PREFIX) if system else APPREC_CS_LISTS[tuple(where.split("/"))]
        assert volven[list_id].get(code) == dn, (where, code, dn)
        seen.add(list_id)
    assert seen == {"8279", "8258", "8221", "9051"}


def test_imaging_without_a_confirmed_ncrp_code_goes_as_text() -> None:
    """HIS 1175 6.3: no code, the examination as OT in NCRP."""
    ids = servreq(build(make_wide_order(), "rq-mr")).xpath("r:ReqInvestigation/r:Investigation/r:Id", namespaces=NS)
    assert [(i.get("V"), i.get("S"), i.get("OT")) for i in ids] == [
        ("SNG0AG", OID_NCRP, None),
        (None, OID_NCRP, "UL abdomen"),
    ]


# ---- what the lab needs --------------------------------------------------------------------


def test_ids_travel_as_the_standard_says() -> None:
    """MsgId per message; ServReq/Id the same in every message; number and barcodes as the service's ids."""
    order = make_order()
    new = build(order, "rq-mbk", msg_id="a")
    cancel = build(order, "rq-mbk", msg_id="b", service_type=ServiceType.CANCEL, reason="x")
    for xml, msg_id in ((new, "a"), (cancel, "b")):
        message = etree.fromstring(xml).xpath("//r:Message", namespaces=NS)[0]
        assert message.findtext("r:MsgId", namespaces=NS) == msg_id
        assert message.findtext("r:ServReq/r:Id", namespaces=NS) == "rq-mbk"
        assert message.findtext("r:ServReq/r:ServProvId", namespaces=NS) == "R2026-000101"
    barcodes = servreq(new).xpath("r:ReqInvestigation/r:AnalysedSubject/r:IdByServProv/text()", namespaces=NS)
    assert barcodes == ["100000033", "100000025", "100000017"]  # in order of draw


def test_lab_items_are_grouped_per_specimen_and_coded_with_nlk() -> None:
    req = servreq(build(make_order(), "rq-mbk"))
    groups = [
        (inv.findtext("r:AnalysedSubject/r:IdByServProv", namespaces=NS), inv.xpath("r:Investigation/r:Id/@V", namespaces=NS))
        for inv in req.findall("r:ReqInvestigation", NS)
    ]
    assert groups == [("100000033", ["NPU19748", "NPU03577"]), ("100000025", ["NOR05172"]), ("100000017", ["NPU02192"])]
    assert set(req.xpath("r:ReqInvestigation/r:Investigation/r:Id/@S", namespaces=NS)) == {OID_NLK}


def test_requester_title_is_a_code_not_part_of_the_given_name() -> None:
    xml = build(make_order(), "rq-mbk")
    hcp = etree.fromstring(xml).find("mh:MsgInfo/mh:Sender/mh:Organisation/mh:HealthcareProfessional", NS)
    assert hcp.findtext("mh:GivenName", namespaces=NS) == "Åse"
    assert hcp.findtext("mh:FamilyName", namespaces=NS) == "Ødegård"
    assert hcp.find("mh:TypeHealthcareProfessional", NS).get("V") == "LE"
    person = servreq(xml).find("r:Requester/r:HCP/r:Inst/r:HCPerson", NS)
    assert person.findtext("r:Name", namespaces=NS) == "Åse Ødegård"
    assert (person.findtext("r:Id", namespaces=NS), person.find("r:TypeId", NS).get("V")) == (REQUESTER.hpr, "HPR")


def test_answers_travel_as_clinical_information_of_their_own_requisition() -> None:
    def infos(requisition_id: str) -> list[str]:
        req = servreq(build(make_order(), requisition_id))
        return req.xpath("r:Patient/r:InfItem[r:Type/@V='OPPL']/r:Observation/r:Description/text()", namespaces=NS)

    assert infos("rq-mbk") == [
        "Er pasienten fastende?: Ja",
        "Svangerskapsuke: 14 uker",
        "Faste legemidler: Levaxin 50 µg, Ibux ved behov — «ærlig» svar",
    ]
    assert infos("rq-mik") == ["Symptomer: Svie ved vannlating", "Faste legemidler: Levaxin 50 µg, Ibux ved behov — «ærlig» svar"]
    # The CT is cancelled: its kreatinin question does not travel; the problem statement is ReasonAsText.
    assert infos("rq-rad") == ["Svangerskapsuke: 14 uker"]


def test_mr_referral_carries_contraindications_problem_and_modality_statement() -> None:
    req = servreq(build(make_wide_order(), "rq-mr"))
    coded = req.xpath("r:Patient/r:InfItem[r:Type/@V='NB']/r:Observation/r:CodedDescr", namespaces=NS)
    assert [(c.get("V"), c.get("S")) for c in coded] == [
        ("NOPAC", VOLVEN_PREFIX + "8210"),
        ("IVK", VOLVEN_PREFIX + "8210"),
        ("KLA", VOLVEN_PREFIX + "8209"),
    ]
    assert req.findtext("r:ReasonAsText/r:TextResultValue", namespaces=NS).startswith("Hoste i 3 uker")
    assert req.find("r:ReasonAsText/r:Heading", NS).get("V") == "PROB"
    statement = req.find("r:Comment/r:TextCode", NS)
    assert (statement.get("V"), statement.get("S"), statement.get("DN")) == ("1", VOLVEN_PREFIX + "8274", "Tillatelse")
    assert req.find("r:MsgDescr", NS).get("V") == "AN"  # MR and ultrasound together


def test_order_fields_payment_copy_diagnosis_clinical_info() -> None:
    req = servreq(build(make_wide_order(), "rq-ct"))
    assert req.find("r:PaymentCat", NS).get("V") == "RE"
    assert req.findtext("r:CopyDest/r:HCP/r:Inst/r:HCPerson/r:Id", namespaces=NS) == "9876543"
    diagnosis = req.xpath("r:Patient/r:InfItem[r:Type/@V='H']/r:Observation/r:CodedDescr", namespaces=NS)[0]
    assert (diagnosis.get("V"), diagnosis.get("S")) == ("L15", OID_ICPC2)
    info = req.xpath("r:Patient/r:InfItem[r:Type/@V='OPPL']/r:Observation/r:Description/text()", namespaces=NS)
    assert info[0] == "Vondt i kneet etter fall for 3 uker siden."
    spec = req.find("r:ReqInvestigation/r:Investigation/r:Spec", NS)
    assert (spec.get("V"), spec.get("DN")) == ("ZTX0EA", "Intravenøs kontrast")
    # Defaults: an order without them is ordinary and carries none of them.
    plain = servreq(build(make_order(), "rq-mbk"))
    assert plain.find("r:PaymentCat", NS).get("DN") == "Ordinær pasient"
    assert plain.find("r:CopyDest", NS) is None and plain.find("r:Comment", NS) is None


def test_addition_sends_the_new_as_a_and_the_ordered_as_h() -> None:
    order = make_order()
    req = servreq(build(order, "rq-mbk", service_type=ServiceType.ADDITION, added_item_ids=["it4"]))
    kinds = [
        (inv.find("r:ServType", NS).get("V"), inv.xpath("r:Investigation/r:Id/@V", namespaces=NS))
        for inv in req.findall("r:ReqInvestigation", NS)
    ]
    assert kinds == [("A", ["NPU03577"]), ("H", ["NPU19748"]), ("H", ["NOR05172"]), ("H", ["NPU02192"])]


def test_cancellation_carries_the_reason_and_no_investigations() -> None:
    req = servreq(build(make_order(), "rq-mbk", service_type=ServiceType.CANCEL, reason="Feil pasient"))
    assert req.find("r:ServType", NS).get("V") == "C"
    assert req.findtext("r:Comment/r:TextResultValue", namespaces=NS) == "Feil pasient"
    assert req.find("r:ReqInvestigation", NS) is None


def test_change_that_cancels_an_item_marks_it_c() -> None:
    req = servreq(build(make_order(), "rq-mbk", service_type=ServiceType.CHANGE, cancelled_item_ids=["it3"]))
    kinds = {inv.xpath("string(r:Investigation/r:Id/@V)", namespaces=NS): inv.find("r:ServType", NS).get("V")
             for inv in req.findall("r:ReqInvestigation", NS)}
    assert kinds["NOR05172"] == "C" and kinds["NPU02192"] == "N"


def test_collection_time_only_when_collected() -> None:
    collected = servreq(build(make_order(collected=True), "rq-mik"))
    dates = collected.xpath("r:ReqInvestigation/r:AnalysedSubject/r:CollectedSample/r:CollectedDate/@V", namespaces=NS)
    assert dates == ["2026-11-20T09:12:00+01:00"]
    to_collect = servreq(build(make_order(collected=False), "rq-mik"))
    assert to_collect.xpath("r:ReqInvestigation/r:AnalysedSubject/r:CollectedSample", namespaces=NS) == []
    assert to_collect.xpath("r:ReqInvestigation/r:AnalysedSubject/r:Type/text()", namespaces=NS) == ["Urin"]


def test_urgent_and_comment() -> None:
    urgent = servreq(build(make_order(urgent=True), "rq-mbk"))
    assert urgent.find("r:RequestedPrioReport", NS).get("V") == "H"
    assert urgent.findtext("r:ReqComment", namespaces=NS) == "Pasienten er redd for stikk. Bruk sommerfugl."
    assert servreq(build(make_order(), "rq-mbk")).find("r:RequestedPrioReport", NS).get("V") == "N"


def test_message_is_utf8_with_norwegian_letters_intact() -> None:
    xml = build(make_order(), "rq-mbk")
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    text = xml.decode("utf-8")
    assert "Bråten" in text and "Ødegård" in text and "«ærlig» svar" in text


def test_unknown_service_and_foreign_requisition_are_refused() -> None:
    order = make_order()
    requisition = order.requisitions[0]
    services = {k: v for k, v in SERVICES.items() if k != "NPU19748"}
    with pytest.raises(ValueError, match="NPU19748"):
        build_requisition_message(
            order, requisition, sender_office=OFFICE, requester=REQUESTER, lab=LABS["9990101"],
            services=services, msg_id="m", gen_date=GEN_DATE,
        )
    stranger = Requisition(**{**requisition.model_dump(), "id": "rq-other"})
    with pytest.raises(ValueError, match="not part of order"):
        build_requisition_message(
            order, stranger, sender_office=OFFICE, requester=REQUESTER, lab=LABS["9990101"],
            services=SERVICES, msg_id="m", gen_date=GEN_DATE,
        )


def test_text_of_several_lines_travels_with_its_line_breaks(schema_dir: Path) -> None:
    """Issue 18: clinical information, the problem statement and the comment keep every line.
    The anyType elements (Description, ReasonAsText/TextResultValue) break lines with an XHTML
    <br/> (HIS 80821 4.3, HITS 1155) followed by the LF; ReqComment (kith:ST) with the LF."""
    xhtml = "http://www.w3.org/1999/xhtml"
    wide = make_wide_order()
    answers = [
        a.model_copy(update={"value": "Hodepine i 3 uker.\r\nSpørsmål om tumor?"}) if a.key == "problemstilling" else a
        for a in wide.answers
    ]
    order = wide.model_copy(update={
        "clinical_info": "Hoste i 3 uker.\nCRP 45 hos oss 01.12.\nAllergi: penicillin",
        "comment": "Ring før timen.\nPasienten har rullestol.",
        "answers": answers,
    })
    for requisition_id in ("rq-ct", "rq-mbk"):
        assert validate(build(order, requisition_id), "msghead", schema_dir) == []
    ct = servreq(build(order, "rq-ct"))
    info = ct.xpath("r:Patient/r:InfItem[r:Type/@V='OPPL']/r:Observation/r:Description", namespaces=NS)[0]
    assert "".join(info.itertext()) == "Hoste i 3 uker.\nCRP 45 hos oss 01.12.\nAllergi: penicillin"
    assert [br.tag for br in info] == [f"{{{xhtml}}}br"] * 2
    reason = ct.find("r:ReasonAsText/r:TextResultValue", NS)
    assert "".join(reason.itertext()) == "Hodepine i 3 uker.\nSpørsmål om tumor?"
    assert len(reason.findall(f"{{{xhtml}}}br")) == 1
    lab = servreq(build(order, "rq-mbk"))
    assert lab.findtext("r:ReqComment", namespaces=NS) == "Ring før timen.\nPasienten har rullestol."
