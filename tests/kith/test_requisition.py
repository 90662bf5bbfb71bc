"""Requisition messages: MsgHead v1.2 envelope validates, the ServReq carries what the lab needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ihr.kith import build_requisition_message, parse_msghead, validate
from ihr.kith.namespaces import NS_MSGHEAD, NS_REKVISISJON, OID_HPR, OID_LOCAL, OID_NLK
from ihr.models import Order, Requisition

from tests.kith.factories import (
    GEN_DATE,
    LABS,
    OFFICE,
    REQUESTER,
    SERVICES,
    make_order,
)

NS = {"mh": NS_MSGHEAD, "r": NS_REKVISISJON}


def build(order: Order, requisition_id: str, msg_id: str = "msg-1") -> bytes:
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
    )


def servreq(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    found = root.xpath("/mh:MsgHead/mh:Document/mh:RefDoc/mh:Content/r:ServReq", namespaces=NS)
    assert len(found) == 1
    return found[0]


CASES = [
    pytest.param("rq-mbk", True, False, id="lab-collected"),
    pytest.param("rq-mbk", False, False, id="lab-not-collected"),
    pytest.param("rq-mbk", True, True, id="lab-urgent"),
    pytest.param("rq-mik", True, False, id="microbiology-collected"),
    pytest.param("rq-mik", False, False, id="microbiology-not-collected"),
    pytest.param("rq-rad", False, False, id="imaging-referral"),
]


@pytest.mark.parametrize(("requisition_id", "collected", "urgent"), CASES)
def test_generated_message_validates_against_msghead_xsd(
    schema_dir: Path, requisition_id: str, collected: bool, urgent: bool
) -> None:
    xml = build(make_order(collected=collected, urgent=urgent), requisition_id)
    assert validate(xml, "msghead", schema_dir) == []


def test_the_xsd_check_is_real(schema_dir: Path) -> None:
    """A message with an element out of order fails, so the passing tests mean something."""
    xml = build(make_order(), "rq-mbk")
    root = etree.fromstring(xml)
    info = root.find(f"{{{NS_MSGHEAD}}}MsgInfo")
    msg_id = info.find(f"{{{NS_MSGHEAD}}}MsgId")
    info.remove(msg_id)
    info.append(msg_id)  # MsgId after Patient: not allowed
    errors = validate(etree.tostring(root), "msghead", schema_dir)
    assert errors and "MsgId" in " ".join(errors)


def test_message_is_utf8_with_norwegian_letters_intact() -> None:
    xml = build(make_order(), "rq-mbk")
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    text = xml.decode("utf-8")
    assert "Bråten" in text and "Ødegård" in text and "«ærlig» svar" in text


def test_msginfo_carries_type_ids_and_patient() -> None:
    order = make_order()
    root = etree.fromstring(build(order, "rq-mbk", msg_id="abc-123"))
    info = root.find("mh:MsgInfo", NS)
    assert info.find("mh:Type", NS).get("V") == "REQ_LAB"
    assert info.findtext("mh:MIGversion", namespaces=NS) == "v1.2 2006-05-24"
    assert info.findtext("mh:MsgId", namespaces=NS) == "abc-123"
    sender = info.find("mh:Sender/mh:Organisation/mh:Ident", NS)
    assert sender.findtext("mh:Id", namespaces=NS) == OFFICE.her_id
    type_id = sender.find("mh:TypeId", NS)
    assert (type_id.get("V"), type_id.get("S")) == ("HER", "2.16.578.1.12.4.1.1.9051")
    receiver = info.findtext("mh:Receiver/mh:Organisation/mh:Ident/mh:Id", namespaces=NS)
    assert receiver == LABS["9990101"].her_id
    patient = info.find("mh:Patient/mh:Ident", NS)
    assert patient.findtext("mh:Id", namespaces=NS) == order.patient.id
    assert patient.find("mh:TypeId", NS).get("V") == "FNR"
    assert patient.find("mh:TypeId", NS).get("S") == "2.16.578.1.12.4.1.1.8116"


def test_requisition_carries_every_specimen_barcode() -> None:
    order = make_order()
    for requisition in order.requisitions:
        req = servreq(build(order, requisition.id))
        barcodes = req.xpath("r:Patient/r:AnalysedSubject/r:IdByRequester/text()", namespaces=NS)
        expected = {s.id for s in order.specimens if s.requisition_id == requisition.id}
        assert set(barcodes) == expected
        assert len(barcodes) == len(expected)


def test_lab_items_are_coded_with_nlk_and_linked_to_their_tubes() -> None:
    order = make_order()
    req = servreq(build(order, "rq-mbk"))
    ids = req.xpath("r:Patient/r:ReqInvestigation/r:Id", namespaces=NS)
    assert [(i.get("V"), i.get("S"), i.get("DN")) for i in ids] == [
        ("NPU02192", OID_NLK, "P-Glukose"),
        ("NPU19748", OID_NLK, "P-CRP"),
        ("NOR05172", OID_NLK, "B-Hemoglobin"),
        ("NPU03577", OID_NLK, "P-TSH"),
    ]
    crp = req.xpath("r:Patient/r:ReqInvestigation[r:Id/@V='NPU19748']", namespaces=NS)[0]
    assert crp.xpath("r:RefAnalysedSubject/r:IdByRequester/text()", namespaces=NS) == ["100000033"]


def test_requester_hpr_and_service_provider_her() -> None:
    req = servreq(build(make_order(), "rq-mbk"))
    prof = req.find("r:Requester/r:HCProf", NS)
    assert prof.findtext("r:Id", namespaces=NS) == REQUESTER.hpr
    assert prof.find("r:TypeId", NS).get("V") == "HPR"
    assert prof.find("r:TypeId", NS).get("S") == OID_HPR == "2.16.578.1.12.4.1.4.4"
    assert req.findtext("r:ServProvider/r:Inst/r:Id", namespaces=NS) == "9990101"
    assert req.findtext("r:Id", namespaces=NS) == "R2026-000101"
    assert req.find("r:MsgDescr", NS).get("V") == "MBK"


def answers_in(req: etree._Element) -> dict[str, str]:
    return {
        item.find("r:Type", NS).get("V"): item.findtext("r:Observation/r:Description", namespaces=NS)
        for item in req.findall("r:Patient/r:InfItem", NS)
    }


def test_only_answers_for_this_requisitions_services() -> None:
    order = make_order()
    assert answers_in(servreq(build(order, "rq-mbk"))) == {
        "fastende": "Ja",
        "svangerskapsuke": "14 uker",
        "legemidler": "Levaxin 50 µg, Ibux ved behov — «ærlig» svar",
    }
    assert answers_in(servreq(build(order, "rq-mik"))) == {
        "symptomer": "Svie ved vannlating",
        "legemidler": "Levaxin 50 µg, Ibux ved behov — «ærlig» svar",
    }
    # The CT is cancelled: its kreatinin question does not travel.
    assert answers_in(servreq(build(order, "rq-rad"))) == {
        "problemstilling": "Hoste i 3 uker, røyker. Spørsmål om infiltrat/tumor?",
        "svangerskapsuke": "14 uker",
    }


def test_question_text_travels_with_the_answer() -> None:
    req = servreq(build(make_order(), "rq-mbk"))
    fasting = req.xpath("r:Patient/r:InfItem[r:Type/@V='fastende']", namespaces=NS)[0]
    assert fasting.find("r:Type", NS).get("DN") == "Er pasienten fastende?"
    assert fasting.find("r:Observation/r:Value", NS).get("V") == "true"


def test_imaging_referral_uses_local_codes_and_skips_cancelled_items() -> None:
    xml = build(make_order(), "rq-rad")
    assert parse_msghead(xml).msg_type == "REQ_RTG"
    req = servreq(xml)
    ids = req.xpath("r:Patient/r:ReqInvestigation/r:Id", namespaces=NS)
    assert [(i.get("V"), i.get("S")) for i in ids] == [("LOK-RTG-THX", OID_LOCAL)]
    assert req.findall("r:Patient/r:AnalysedSubject", NS) == []
    assert req.find("r:MsgDescr", NS).get("V") == "RAD"


def test_collection_time_only_when_collected() -> None:
    collected = servreq(build(make_order(collected=True), "rq-mik"))
    dates = collected.xpath("r:Patient/r:AnalysedSubject/r:CollectedSample/r:CollectedDate/@V", namespaces=NS)
    assert dates == ["2026-11-20T09:12:00+01:00"]
    not_collected = servreq(build(make_order(collected=False), "rq-mik"))
    assert not_collected.findall("r:Patient/r:AnalysedSubject/r:CollectedSample", NS) == []
    assert not_collected.find("r:Patient/r:AnalysedSubject/r:Type", NS).get("DN") == "Urin"


def test_urgent_and_comment() -> None:
    urgent = servreq(build(make_order(urgent=True), "rq-mbk"))
    assert urgent.find("r:Priority", NS).get("DN") == "Haster"
    assert urgent.findtext("r:ReqComment", namespaces=NS) == "Pasienten er redd for stikk. Bruk sommerfugl."
    assert servreq(build(make_order(), "rq-mbk")).find("r:Priority", NS) is None


def test_specimens_in_order_of_draw() -> None:
    req = servreq(build(make_order(), "rq-mbk"))
    assert req.xpath("r:Patient/r:AnalysedSubject/r:IdByRequester/text()", namespaces=NS) == [
        "100000033",  # heparin (3)
        "100000025",  # EDTA (4)
        "100000017",  # fluoride (9)
    ]


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
