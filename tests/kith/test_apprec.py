"""AppRec v1.0: built ones validate and round-trip; other vendors' ones read in Norwegian;
hostile input raises KithParseError and never resolves an entity."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from ihr.kith import KithParseError, build_apprec, parse_apprec, parse_msghead, validate
from ihr.kith.namespaces import NS_APPREC
from ihr.models import AppRecError, AppRecStatus
from tests.kith.factories import make_order
from tests.kith.test_requisition import build

OSLO = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 20, 9, 31, 5, tzinfo=OSLO)
NS = {"a": NS_APPREC}


def original():
    return parse_msghead(build(make_order(), "rq-mbk", msg_id="orig-42"))


def apprec(status: AppRecStatus, errors: list[AppRecError]) -> bytes:
    info = original()
    return build_apprec(
        original=info,
        status=status,
        errors=errors,
        msg_id="ar-1",
        gen_date=NOW,
        sender_her=info.receiver_her,
        receiver_her=info.sender_her,
        sender_name="Fjordbyen sykehus, Avdeling for medisinsk biokjemi",
    )


E35 = AppRecError(code="E35", text="Pasienten finnes ikke i mottakersystemet")
CASES = {
    "ok": (AppRecStatus.OK, []),
    "rejected-e35": (AppRecStatus.REJECTED, [E35]),
    "ok-errors-in-parts": (
        AppRecStatus.OK_WITH_ERRORS,
        [
            AppRecError(code="E31", text="Pasientens fødselsnummer er feil"),
            AppRecError(code="X99", text="Annen feil", details="Analysen NPU99999 utføres ikke her – sendt videre"),
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_built_apprec_validates_against_apprec_xsd(schema_dir: Path, case: str) -> None:
    assert validate(apprec(*CASES[case]), "apprec", schema_dir) == []


def test_the_apprec_xsd_check_is_real(schema_dir: Path) -> None:
    root = etree.fromstring(apprec(*CASES["rejected-e35"]))
    status = root.find("a:Status", NS)
    status.set("S", "2.16.578.1.12.4.1.1.8258")  # Status is a CS: no S attribute allowed
    assert validate(etree.tostring(root), "apprec", schema_dir)


def test_round_trip_ok() -> None:
    result = parse_apprec(apprec(*CASES["ok"]))
    assert result.status is AppRecStatus.OK
    assert result.status_text == "OK"
    assert result.errors == []
    assert result.original_msg_id == "orig-42"
    assert result.original_msg_type == "REQ_LAB"
    assert result.msg_id == "ar-1"
    assert result.gen_date == NOW
    assert (result.sender_her, result.receiver_her) == ("9990101", "9990001")


def test_round_trip_rejected_with_e35() -> None:
    result = parse_apprec(apprec(*CASES["rejected-e35"]))
    assert result.status is AppRecStatus.REJECTED
    assert result.status_text == "Avvist"
    assert result.errors == [AppRecError(code="E35", text="Pasienten finnes ikke i mottakersystemet")]


def test_round_trip_ok_with_errors_in_parts() -> None:
    result = parse_apprec(apprec(*CASES["ok-errors-in-parts"]))
    assert result.status is AppRecStatus.OK_WITH_ERRORS
    assert result.status_text == "OK, feil i delmelding"
    assert [(e.code, e.text, e.details) for e in result.errors] == [
        ("E31", "Pasientens fødselsnummer er feil", None),
        ("X99", "Annen feil", "Analysen NPU99999 utføres ikke her – sendt videre"),
    ]


def test_built_apprec_element_order_and_codes() -> None:
    root = etree.fromstring(apprec(*CASES["rejected-e35"]))
    assert [etree.QName(c).localname for c in root] == [
        "MsgType", "MIGversion", "SoftwareName", "GenDate", "Id", "Sender", "Receiver",
        "Status", "Error", "OriginalMsgId",
    ]
    error = root.find("a:Error", NS)
    assert (error.get("V"), error.get("S"), error.get("DN")) == (
        "E35", "2.16.578.1.12.4.1.1.8221", "Pasienten finnes ikke i mottakersystemet",
    )
    assert root.find("a:Status", NS).get("DN") == "Avvist"
    orig = root.find("a:OriginalMsgId", NS)
    assert [etree.QName(c).localname for c in orig] == ["MsgType", "IssueDate", "Id"]
    assert orig.findtext("a:Id", namespaces=NS) == "orig-42"


OTHER_VENDOR = """<?xml version="1.0" encoding="utf-8"?>
<ar:AppRec xmlns:ar="http://www.kith.no/xmlstds/apprec/2004-11-21">
  <ar:MsgType V="APPREC"/>
  <ar:MIGversion>v1.0 2004-11-21</ar:MIGversion>
  <ar:GenDate>2026-11-20T10:02:11.123+01:00</ar:GenDate>
  <ar:Id>9b2f6c3e-1111-4000-8000-00000000abcd</ar:Id>
  <ar:Sender><ar:HCP><ar:Inst><ar:Name>Lab</ar:Name><ar:Id>9990101</ar:Id><ar:TypeId V="HER"/></ar:Inst></ar:HCP></ar:Sender>
  <ar:Receiver><ar:HCP><ar:Inst><ar:Id>9990001</ar:Id><ar:TypeId V="HER"/></ar:Inst></ar:HCP></ar:Receiver>
  <ar:Status V="{status}"/>
  {errors}
  <ar:OriginalMsgId><ar:MsgType V="REQ_LAB"/><ar:IssueDate>2026-11-20T09:30:00+01:00</ar:IssueDate><ar:Id>orig-42</ar:Id></ar:OriginalMsgId>
</ar:AppRec>
"""


def vendor(status: str = "2", errors: str = "") -> bytes:
    return OTHER_VENDOR.format(status=status, errors=errors).encode("utf-8")


def test_vendor_apprec_without_dn_maps_e35_to_norwegian(schema_dir: Path) -> None:
    xml = vendor(errors='<ar:Error V="E35" S="2.16.578.1.12.4.1.1.8221"/>')
    assert validate(xml, "apprec", schema_dir) == []  # a fair vendor message
    result = parse_apprec(xml)
    assert result.status is AppRecStatus.REJECTED
    assert result.status_text == "Avvist"
    assert result.errors == [AppRecError(code="E35", text="Pasienten finnes ikke i mottakersystemet")]
    assert result.msg_id == "9b2f6c3e-1111-4000-8000-00000000abcd"
    assert result.original_msg_id == "orig-42"


def test_vendor_apprec_with_english_dn_is_shown_in_norwegian() -> None:
    xml = vendor(errors='<ar:Error V="E35" DN="Patient not found"/>')
    error = parse_apprec(xml).errors[0]
    assert error.text == "Pasienten finnes ikke i mottakersystemet"
    assert error.details == "Patient not found"  # kept, never shown as the text


def test_vendor_apprec_with_swapped_v_and_s() -> None:
    xml = vendor(errors='<ar:Error V="2.16.578.1.12.4.1.1.8221" S="X99" DN="Fødselsnummeret tilhører en testbruker"/>')
    error = parse_apprec(xml).errors[0]
    assert (error.code, error.text, error.details) == ("X99", "Annen feil", "Fødselsnummeret tilhører en testbruker")


def test_vendor_apprec_with_unknown_code() -> None:
    errors = parse_apprec(vendor(errors='<ar:Error V="E77"/><ar:Error V="E88" DN="Noe gikk galt"/>')).errors
    assert [(e.code, e.text) for e in errors] == [("E77", "Ukjent feilkode E77"), ("E88", "Noe gikk galt")]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"", "tom"),
        (b"OK", "ikke gyldig XML"),
        (b"\x00\x01\x02", "ikke gyldig XML"),
        (b"<AppRec><Status V='1'>", "ikke gyldig XML"),
        (b"<html><body>502 Bad Gateway</body></html>", "ikke en applikasjonskvittering"),
        (vendor(status=""), "mangler status"),
        (vendor(status="9"), "ukjent status"),
        (vendor().replace(b'<ar:Status V=""/>', b"").replace(b'<ar:Status V="2"/>', b""), "mangler status"),
        (vendor().replace(b"<ar:Id>orig-42</ar:Id>", b""), "OriginalMsgId"),
    ],
)
def test_bad_apprec_raises_kith_parse_error(xml: bytes, message: str) -> None:
    with pytest.raises(KithParseError, match=message):
        parse_apprec(xml)


@pytest.mark.parametrize(
    "error",
    ['<ar:Error V="X99">&xxe;</ar:Error>', '<ar:Error V="X99" DN="&xxe;"/>'],
    ids=["in-text", "in-attribute"],
)
def test_xxe_file_entity_is_refused_and_never_resolved(tmp_path: Path, error: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE ar [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        + OTHER_VENDOR.split("\n", 1)[1].format(status="2", errors=error)
    ).encode()
    with pytest.raises(KithParseError) as info:
        parse_apprec(xml)
    assert "HEMMELIG" not in str(info.value)


def test_entity_expansion_bomb_is_refused() -> None:
    def value(i: int) -> str:
        return f"&l{i - 1};" * 10 if i else "lol"

    lol = "".join(f'<!ENTITY l{i} "{value(i)}">' for i in range(10))
    xml = f'<?xml version="1.0"?><!DOCTYPE AppRec [{lol}]><AppRec><Status V="1" DN="&l9;"/></AppRec>'
    with pytest.raises(KithParseError):
        parse_apprec(xml.encode())


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "HEMMELIG">')
    xml = f'<?xml version="1.0"?><!DOCTYPE AppRec SYSTEM "{dtd.as_uri()}"><AppRec/>'.encode()
    with pytest.raises(KithParseError, match="DOCTYPE"):
        parse_apprec(xml)


def test_parser_never_resolves_entities_even_below_the_doctype_check(tmp_path: Path) -> None:
    """The hardened parser itself keeps entities unresolved (defence in depth)."""
    from ihr.kith.xmlsafe import _parser

    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    xml = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]><r>&xxe;</r>'.encode()
    root = etree.fromstring(xml, parser=_parser())
    assert "HEMMELIG" not in etree.tostring(root).decode()


def test_gen_dates_with_microseconds_round_trip(schema_dir: Path) -> None:
    info = original()
    precise = datetime(2026, 11, 20, 9, 31, 5, 123456, tzinfo=OSLO)
    xml = build_apprec(
        original=info, status=AppRecStatus.OK, errors=[], msg_id="ar-2",
        gen_date=precise, sender_her="9990101", receiver_her="9990001",
    )
    assert validate(xml, "apprec", schema_dir) == []
    assert parse_apprec(xml).gen_date == precise
