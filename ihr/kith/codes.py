"""KITH code lists used in the messages, with Norwegian display texts.

- 8221 Feil i applikasjonskvittering (AppRec error codes)
- 8258 Status for applikasjonskvittering
- 8279 Meldingens funksjon (message types)

Texts for 8221 follow two independent public implementations that agree (NAV eMottak and
Digdir's NHN adapter). Values marked `# check` were not confirmed in a public source.
"""

from __future__ import annotations

from enum import StrEnum

from ihr.models.catalog import Discipline
from ihr.models.order import Requisition
from ihr.models.receipts import AppRecStatus

# ---- 8221 AppRec error codes ----------------------------------------------------------

APPREC_ERRORS: dict[str, str] = {
    # E: errors in the content (innhold)
    "E10": "Ugyldig meldingsidentifikator",
    "E20": "Lege finnes ikke",
    "E21": "Mottaker finnes ikke",
    "E30": "Pasientens fødselsnummer mangler",
    "E31": "Pasientens fødselsnummer er feil",
    "E32": "Pasientens navn mangler",
    "E35": "Pasienten finnes ikke i mottakersystemet",
    "E36": "Pasientopplysninger er utilstrekkelige",
    "E53": "Pasientens fødselsnummer eller D-nummer finnes ikke registrert i Folkeregisteret",
    "E54": "Pasientens fødselsnummer er ikke registrert i mottakersystemet",
    # S: signature and certificate
    "S01": "Feil på signatur",
    "S02": "Ugyldig sertifikat",
    "S03": "Tilbaketrukket sertifikat",
    "S99": "Annen feil på signatur eller sertifikat",
    # T: technical format
    "T01": "Ikke XML / ikke «well formed» / uleselig",
    "T02": "XML validerer ikke",
    "T10": "Støtter ikke meldingsformatet",
    "T99": "Annen feil på format",
    # X: other
    "X99": "Annen feil",
}

# The codes whose own text says little: the sender's DN or OT carries the real reason.
GENERIC_ERROR_CODES = frozenset({"S99", "T99", "X99"})


def error_text(code: str) -> str:
    """The Norwegian display text of an 8221 error code; a readable fallback when unknown."""
    key = (code or "").strip().upper()
    text = APPREC_ERRORS.get(key)
    if text is not None:
        return text
    return f"Ukjent feilkode {key}" if key else "Ukjent feilkode (tom)"


def is_known_error(code: str) -> bool:
    return (code or "").strip().upper() in APPREC_ERRORS


# ---- 8258 AppRec status -----------------------------------------------------------------

APPREC_STATUS_TEXTS: dict[AppRecStatus, str] = {
    AppRecStatus.OK: "OK",
    AppRecStatus.REJECTED: "Avvist",
    AppRecStatus.OK_WITH_ERRORS: "OK, feil i delmelding",
}


def status_text(status: AppRecStatus | str) -> str:
    """The Norwegian display text of an 8258 status; a readable fallback when unknown."""
    try:
        return APPREC_STATUS_TEXTS[AppRecStatus(str(status).strip())]
    except ValueError:
        return f"Ukjent status {status}"


# ---- 8279 message types -------------------------------------------------------------------


class MessageType(StrEnum):
    """Code list 8279 Meldingens funksjon (the subset ihr sends and receives)."""

    REQ_LAB = "REQ_LAB"  # check: name in 8279 not confirmed in a public source
    REQ_MBIO = "REQ_MBIO"  # check
    REQ_PAT = "REQ_PAT"  # check: pathology; may not exist in 8279
    REQ_RTG = "REQ_RTG"  # check
    HENVISNING = "HENVISNING"
    APPREC = "APPREC"


MESSAGE_TYPE_TEXTS: dict[MessageType, str] = {
    MessageType.REQ_LAB: "Rekvisisjon medisinsk biokjemi",  # check
    MessageType.REQ_MBIO: "Rekvisisjon mikrobiologi",  # check
    MessageType.REQ_PAT: "Rekvisisjon patologi",  # check
    MessageType.REQ_RTG: "Rekvisisjon radiologi",  # check
    MessageType.HENVISNING: "Henvisning",
    MessageType.APPREC: "Applikasjonskvittering",
}


def message_type_text(msg_type: str) -> str:
    try:
        return MESSAGE_TYPE_TEXTS[MessageType(msg_type)]
    except ValueError:
        return msg_type


def message_type_for(requisition: Requisition) -> MessageType:
    """The 8279 message type of the KITH message that carries this requisition.

    Imaging goes as a radiology requisition even when the order calls it a referral;
    a referral to any other discipline goes as HENVISNING.
    """
    match requisition.discipline:
        case Discipline.RADIOLOGY:
            return MessageType.REQ_RTG
        case _ if requisition.kind == "henvisning":
            return MessageType.HENVISNING
        case Discipline.MICRO:
            return MessageType.REQ_MBIO
        case Discipline.PATHOLOGY:
            return MessageType.REQ_PAT
        case _:
            return MessageType.REQ_LAB


# ---- 8202-like discipline codes used in ServReq/MsgDescr ---------------------------------

# check: the values of the "Type rekvisisjon/laboratoriemelding" list were not confirmed.
DISCIPLINE_CODES: dict[Discipline, tuple[str, str]] = {
    Discipline.LAB: ("MBK", "Medisinsk biokjemi"),
    Discipline.MICRO: ("MIK", "Mikrobiologi"),
    Discipline.PATHOLOGY: ("PAT", "Patologi"),
    Discipline.RADIOLOGY: ("RAD", "Radiologi"),
}
