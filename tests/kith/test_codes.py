from __future__ import annotations

import pytest

from ihr.kith.codes import (
    APPREC_ERRORS,
    MessageType,
    error_text,
    message_type_for,
    message_type_text,
    status_text,
)
from ihr.models import AppRecStatus
from tests.kith.factories import make_order


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("E10", "Ugyldig meldingsidentifikator"),
        ("E21", "Mottaker finnes ikke"),
        ("E31", "Pasientens fødselsnummer er feil"),
        ("E35", "Pasienten finnes ikke i mottakersystemet"),
        ("T01", "Ikke XML / ikke 'well formed' / uleselig"),
        ("T02", "XML validerer ikke"),
        ("e35", "Pasienten finnes ikke i mottakersystemet"),
        (" X99 ", "Annen feil"),
    ],
)
def test_error_texts_are_norwegian(code: str, expected: str) -> None:
    assert error_text(code) == expected


def test_unknown_error_code_has_a_readable_fallback() -> None:
    assert error_text("Q42") == "Ukjent feilkode Q42"
    assert error_text("") == "Ukjent feilkode (tom)"


def test_every_required_code_is_in_the_list() -> None:
    assert {"E10", "E20", "E21", "E31", "E35", "T01", "T02"} <= APPREC_ERRORS.keys()


def test_status_texts() -> None:
    assert status_text(AppRecStatus.OK) == "OK"
    assert status_text("2") == "Avvist"
    assert status_text(AppRecStatus.OK_WITH_ERRORS) == "OK, feil i delmelding"
    assert status_text("7") == "Ukjent status 7"


def test_message_type_per_requisition() -> None:
    order = make_order()
    types = {r.id: message_type_for(r) for r in order.requisitions}
    assert types == {"rq-mbk": MessageType.REQ_LAB, "rq-mik": MessageType.REQ_MBIO, "rq-rad": MessageType.REQ_RTG}
    assert message_type_text("APPREC") == "Applikasjonskvittering"
    assert message_type_text("UKJENT_TYPE") == "UKJENT_TYPE"
