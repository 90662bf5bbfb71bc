"""parse_msghead: the service side reads what it needs to answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ihr.kith import KithParseError, parse_msghead
from ihr.kith.msghead import person_ident_type
from tests.kith.factories import FNR_KARI, FNR_OLE, GEN_DATE, make_order
from tests.kith.test_requisition import build


@pytest.mark.parametrize(
    ("requisition_id", "msg_type", "receiver"),
    [("rq-mbk", "REQ_LAB", "9990101"), ("rq-mik", "REQ_MBIO", "9990102"), ("rq-rad", "REQ_RTG", "9990103")],
)
def test_round_trip_gives_back_the_ids(requisition_id: str, msg_type: str, receiver: str) -> None:
    order = make_order()
    info = parse_msghead(build(order, requisition_id, msg_id=f"m-{requisition_id}"))
    assert info.msg_id == f"m-{requisition_id}"
    assert info.msg_type == msg_type
    assert info.sender_her == "9990001"
    assert info.receiver_her == receiver
    assert info.patient_id == FNR_KARI
    assert info.gen_date == GEN_DATE
    assert info.sender_name == "Fjordbyen legesenter"
    requisition = next(r for r in order.requisitions if r.id == requisition_id)
    assert info.requisition_number == requisition.number


VENDOR_MSGHEAD = """<?xml version="1.0" encoding="ISO-8859-1"?>
<mh:MsgHead xmlns:mh="http://www.kith.no/xmlstds/msghead/2006-05-24">
  <mh:MsgInfo>
    <mh:Type V="REQ_LAB" DN="Rekvisisjon"/>
    <mh:MIGversion>v1.2 2006-05-24</mh:MIGversion>
    <mh:GenDate>2026-11-20T08:15:00Z</mh:GenDate>
    <mh:MsgId>5f1c2a90-0000-4000-8000-000000000001</mh:MsgId>
    <mh:Sender><mh:Organisation>
      <mh:OrganisationName>Eksempel legekontor</mh:OrganisationName>
      <mh:Ident><mh:Id>974600000</mh:Id><mh:TypeId V="ENH" DN="Organisasjonsnummer"/></mh:Ident>
      <mh:Ident><mh:Id>9990002</mh:Id><mh:TypeId V="HER" DN="HER-id"/></mh:Ident>
    </mh:Organisation></mh:Sender>
    <mh:Receiver><mh:Organisation>
      <mh:OrganisationName>Sykehuset</mh:OrganisationName>
      <mh:Ident><mh:Id>9990100</mh:Id><mh:TypeId V="HER" DN="HER-id"/></mh:Ident>
      <mh:Organisation>
        <mh:OrganisationName>Medisinsk biokjemi</mh:OrganisationName>
        <mh:Ident><mh:Id>9990101</mh:Id><mh:TypeId V="HER" DN="HER-id"/></mh:Ident>
      </mh:Organisation>
    </mh:Organisation></mh:Receiver>
    <mh:Patient>
      <mh:FamilyName>Gr\xf8nn</mh:FamilyName>
      <mh:Ident><mh:Id>{fnr}</mh:Id><mh:TypeId V="FNR"/></mh:Ident>
    </mh:Patient>
  </mh:MsgInfo>
  <mh:Document><mh:RefDoc><mh:MsgType V="XML"/></mh:RefDoc></mh:Document>
</mh:MsgHead>
"""


def test_vendor_message_with_prefixes_latin1_and_nested_receiver() -> None:
    info = parse_msghead(VENDOR_MSGHEAD.format(fnr=FNR_OLE).encode("iso-8859-1"))
    assert info.msg_id == "5f1c2a90-0000-4000-8000-000000000001"
    assert info.sender_her == "9990002"  # the HER ident, not the org number
    assert info.receiver_her == "9990101"  # the innermost unit: the department
    assert info.patient_id == FNR_OLE
    assert info.gen_date == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert info.requisition_number is None


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"", "tom"),
        (b"dette er ikke XML", "ikke gyldig XML"),
        (b"<MsgHead><MsgInfo>", "ikke gyldig XML"),
        (b"<AppRec xmlns='http://www.kith.no/xmlstds/apprec/2004-11-21'/>", "ikke en hodemelding"),
        (b"<MsgHead xmlns='http://www.kith.no/xmlstds/msghead/2006-05-24'/>", "MsgInfo"),
        (
            b"<MsgHead xmlns='http://www.kith.no/xmlstds/msghead/2006-05-24'><MsgInfo>"
            b"<Type V='REQ_LAB'/><GenDate>2026-01-01T00:00:00</GenDate></MsgInfo></MsgHead>",
            "MsgId",
        ),
        (
            b"<MsgHead xmlns='http://www.kith.no/xmlstds/msghead/2006-05-24'><MsgInfo>"
            b"<Type V='REQ_LAB'/><GenDate>i morgen</GenDate><MsgId>1</MsgId></MsgInfo></MsgHead>",
            "gyldig tidspunkt",
        ),
    ],
)
def test_bad_input_raises_kith_parse_error_in_norwegian(xml: bytes, message: str) -> None:
    with pytest.raises(KithParseError, match=message):
        parse_msghead(xml)


def test_person_ident_types() -> None:
    assert person_ident_type(FNR_KARI) == "FNR"  # synthetic: month + 80
    assert person_ident_type("52839049402") == "DNR"  # day + 40
    assert person_ident_type("12439049402") == "HNR"  # month + 40
    assert person_ident_type("ukjent") == "FNR"


def test_gen_date_without_offset_is_kept_naive() -> None:
    order = make_order()
    from ihr.kith import build_requisition_message
    from tests.kith.factories import LABS, OFFICE, REQUESTER, SERVICES

    naive = datetime(2026, 11, 20, 10, 0, 0)
    xml = build_requisition_message(
        order, order.requisitions[0], sender_office=OFFICE, requester=REQUESTER,
        lab=LABS["9990101"], services=SERVICES, msg_id="m", gen_date=naive,
    )
    assert parse_msghead(xml).gen_date == naive
    assert parse_msghead(xml).gen_date.tzinfo is None
    assert timedelta(0) == parse_msghead(xml).gen_date - naive


def test_xxe_in_msghead_is_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    xml = (
        f'<!DOCTYPE m [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<MsgHead xmlns='http://www.kith.no/xmlstds/msghead/2006-05-24'><MsgInfo>"
        "<Type V='REQ_LAB'/><GenDate>2026-01-01T00:00:00</GenDate><MsgId>&xxe;</MsgId></MsgInfo></MsgHead>"
    ).encode()
    with pytest.raises(KithParseError, match="DOCTYPE") as info:
        parse_msghead(xml)
    assert "HEMMELIG" not in str(info.value)
