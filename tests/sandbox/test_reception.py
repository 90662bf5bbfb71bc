"""The simulated labs receive like a lab: the official example messages are accepted, and
the same messages with one required element removed are refused with an 8221 code.

The example files are loaded from ../shared/standards/kith (they name the standard's own
test persons; nothing of them is copied here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ihr.kith import build_apprec, build_requisition_message, parse_apprec, parse_msghead
from ihr.kith.codes import APPREC_ERRORS
from ihr.models import AppRecStatus
from sandbox.labs import LabVerdict
from sandbox.reception import receive
from tests.kith.factories import GEN_DATE, LABS, OFFICE, REQUESTER, SERVICES, make_wide_order

KITH_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "kith"
EXAMPLES = sorted((KITH_DIR / "rekvisisjon-eksempler").glob("*.xml"))
R = "{http://www.kith.no/xmlstds/rekvisisjon/2012-02-15}"

# Skipped only where the standards folder is absent; where it is there, the examples must be.
needs_standards = pytest.mark.skipif(not KITH_DIR.is_dir(), reason=f"no KITH standards folder {KITH_DIR}")


@needs_standards
def test_the_examples_are_there() -> None:
    assert len(EXAMPLES) == 10


@needs_standards
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_official_example_is_accepted(example: Path) -> None:
    received = receive(example.read_bytes(), kith_dir=KITH_DIR)
    assert received.accepted, received.errors
    assert received.service_type in {"N", "A", "M", "C"}


# One element the XSD or the profile requires, removed: (example, path from Message, code).
REMOVALS = [
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/ServType", "T02"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/MsgDescr", "T02"),
    ("Rekvisisjon_lab_v1-6_Ny", "MsgId", "T02"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/Patient/OffId", "T02"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/ServProvider", "T02"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/Patient/Name", "E32"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq", "T99"),
    ("Rekvisisjon_lab_v1-6_Ny", "ServReq/Patient", "E30"),
    ("Rekvisisjon_lab_v1-6_Tillegg", "ServReq/ReqInvestigation", "X99"),  # the one with ServType A
    ("Rekvisisjon_lab_v1-6_Kansellering", "ServReq/Requester", "T02"),
    ("Rekvisisjon_radiologi-MR-v1-6_Ny", "ServReq/ReqInvestigation", "X99"),
    ("Rekvisisjon_radiologi-MR-v1-6_Endring", "ServReq/IssueDate", "T02"),
    ("Rekvisisjon_radiologi-MR-v1-6_Kansellering", "ServReq/Patient/TypeOffId", "T02"),
    ("Rekvisisjon_radiologi_enkel_v1-6_Ny", "ServReq/Requester/HCP/Inst/Id", "X99"),
    ("Rekvisisjon_radiologi_enkel_fra_kommune_v1-6_Ny", "Type", "T02"),
]


def without(example: str, path: str) -> bytes:
    root = etree.parse(str(KITH_DIR / "rekvisisjon-eksempler" / f"{example}.xml")).getroot()
    el = root.find("/".join(R + p for p in path.split("/")))
    assert el is not None, path
    el.getparent().remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@needs_standards
@pytest.mark.parametrize(("example", "path", "code"), REMOVALS, ids=[f"{e}-{p}" for e, p, _ in REMOVALS])
def test_example_without_a_required_element_is_refused_with_an_8221_code(example: str, path: str, code: str) -> None:
    received = receive(without(example, path), kith_dir=KITH_DIR)
    assert not received.accepted
    assert [e.code for e in received.errors] == [code]
    assert code in APPREC_ERRORS
    assert received.errors[0].details  # a Norwegian explanation for the secretary


@needs_standards
def test_the_refusal_travels_as_an_apprec_avvist() -> None:
    """The lab's refusal as the receipt the office gets: status 2 Avvist, the 8221 code, Norwegian text."""
    order = make_wide_order()
    req = order.requisitions[0]
    xml = build_requisition_message(
        order, req, sender_office=OFFICE, requester=REQUESTER, lab=LABS[req.lab_her_id],
        services=SERVICES, msg_id="m-1", gen_date=GEN_DATE,
    )
    broken = xml.replace(b"<ServType V=\"N\" DN=\"Ny\"/>", b"", 1)
    received = receive(broken, kith_dir=KITH_DIR, lab_her_id=req.lab_her_id)
    verdict = LabVerdict(AppRecStatus.REJECTED, received.errors)
    apprec = build_apprec(
        original=parse_msghead(broken), status=verdict.status, errors=verdict.errors, msg_id="a-1",
        gen_date=GEN_DATE, sender_her=req.lab_her_id, receiver_her=OFFICE.her_id,
    )
    result = parse_apprec(apprec)
    assert result.status == AppRecStatus.REJECTED and result.status_text == "Avvist"
    assert [(e.code, e.text) for e in result.errors] == [("T02", "XML validerer ikke")]


@needs_standards
def test_a_message_for_another_lab_is_refused() -> None:
    order = make_wide_order()
    req = order.requisitions[0]
    xml = build_requisition_message(
        order, req, sender_office=OFFICE, requester=REQUESTER, lab=LABS[req.lab_her_id],
        services=SERVICES, msg_id="m-1", gen_date=GEN_DATE,
    )
    assert receive(xml, kith_dir=KITH_DIR, lab_her_id=req.lab_her_id).accepted
    assert [e.code for e in receive(xml, kith_dir=KITH_DIR, lab_her_id="123").errors] == ["E21"]


@needs_standards
def test_not_xml_and_not_a_requisition() -> None:
    assert [e.code for e in receive(b"<Message", kith_dir=KITH_DIR).errors] == ["T01"]
    assert [e.code for e in receive(b"<AppRec/>", kith_dir=KITH_DIR).errors] == ["T10"]


def test_without_the_xsds_the_profile_checks_still_refuse() -> None:
    """Where the standards folder is absent the labs skip the schema step, not the rest."""
    order = make_wide_order()
    req = order.requisitions[0]
    xml = build_requisition_message(
        order, req, sender_office=OFFICE, requester=REQUESTER, lab=LABS[req.lab_her_id],
        services=SERVICES, msg_id="m-1", gen_date=GEN_DATE,
    )
    assert receive(xml, kith_dir=None, lab_her_id=req.lab_her_id).accepted
    nameless = xml.replace(b"<Name>Br\xc3\xa5ten, Kari S\xc3\xb8vik</Name>", b"", 1)
    assert nameless != xml
    assert [e.code for e in receive(nameless, kith_dir=None).errors] == ["E32"]
    assert [e.code for e in receive(b"<Message", kith_dir=None).errors] == ["T01"]
