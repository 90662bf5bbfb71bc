"""KITH code lists used in the messages, with Norwegian display texts.

- 8221 Feil i applikasjonskvittering (AppRec error codes)
- 8258 Status for applikasjonskvittering
- 8279 Meldingens funksjon (message types), 8202 type of requisition, 7309 service type
- the smaller lists a requisition uses (8115, 8233, 8209, 8210, 8274, 9060, 8351)

Display texts are Volven's (../shared/standards/kith/volven-kodeverk.json); the tests check
every code the project writes against that file.

Texts for 8221 are Volven's, as two independent public implementations (NAV eMottak and
Digdir's NHN adapter) also write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from ihr.models.catalog import Discipline, Service
from ihr.models.order import ItemStatus, Requisition
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
    "E33": "Pasientens etternavn mangler",
    "E34": "Pasientens fornavn mangler",
    "E35": "Pasienten finnes ikke i mottakersystemet",
    "E36": "Pasientopplysninger er utilstrekkelige",
    "E53": "Pasientens fødselsnummer eller D-nummer finnes ikke registrert i Folkeregisteret.",
    "E54": "Pasientens fødselsnummer er ikke registrert i mottagersystemet",
    # S: signature and certificate
    "S01": "Feil på signatur",
    "S02": "Ugyldig sertifikat",
    "S03": "Tilbaketrukket sertifikat",
    "S99": "Annen feil på signatur eller sertifikat",
    # T: technical format
    "T01": "Ikke XML / ikke 'well formed' / uleselig",
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

    REQ_LAB = "REQ_LAB"
    REQ_MBIO = "REQ_MBIO"
    REQ_HIST = "REQ_HIST"
    REQ_CYT = "REQ_CYT"
    REQ_RTG = "REQ_RTG"
    APPREC = "APPREC"


MESSAGE_TYPE_TEXTS: dict[MessageType, str] = {
    MessageType.REQ_LAB: "Rekvisisjon-Laboratoriemedisin",
    MessageType.REQ_MBIO: "Rekvisisjon-Mikrobiologi",
    MessageType.REQ_HIST: "Rekvisisjon-Histologi",
    MessageType.REQ_CYT: "Rekvisisjon-Cytologi",
    MessageType.REQ_RTG: "Rekvisisjon-Radiologi",
    MessageType.APPREC: "Applikasjonskvittering",
}

REQUISITION_TYPES = frozenset(t for t in MessageType if t.startswith("REQ_"))


def message_type_text(msg_type: str) -> str:
    try:
        return MESSAGE_TYPE_TEXTS[MessageType(msg_type)]
    except ValueError:
        return msg_type


# ---- 8202 type of requisition (ServReq/MsgDescr) -------------------------------------------

MSG_DESCR_TEXTS: dict[str, str] = {
    "CLIN": "Medisinsk biokjemi",
    "MBIO": "Mikrobiologi",
    "HIST": "Histologi",
    "CYTO": "Cytologi",
    "LAB": "Laboratoriemedisin",
    "CT": "Computertomografi",
    "MR": "Magnettomografi",
    "RTG": "Røntgen",
    "UL": "Ultralyd",
    "MA": "Mammografi",
    "SCI": "Scintigrafi",
    "AN": "Annet",
}

# The 8202 values each profile allows (HIS 1160 5.2 for the labs, HIS 1175 5.2 for radiology).
LAB_MSG_DESCRS = frozenset({"CLIN", "CYTO", "HIST", "LAB", "MBIO", "OBD", "AN"})
RADIOLOGY_MSG_DESCRS = frozenset({"CT", "MA", "MR", "RTG", "SCI", "UL", "AN"})

_DISCIPLINE_MSG_DESCR: dict[Discipline, str] = {
    Discipline.LAB: "CLIN",
    Discipline.MICRO: "MBIO",
    Discipline.PATHOLOGY: "HIST",
    Discipline.RADIOLOGY: "AN",
}


def msg_descr_for(requisition: Requisition, services: Mapping[str, Service]) -> str:
    """The 8202 type of one requisition: its open services' own (`Service.msg_descr`: CT,
    MR, CYTO, ...) when they agree, else the discipline's (imaging of mixed modalities: AN)."""
    own = {
        services[i.service_code].msg_descr
        for i in requisition.items
        if i.service_code in services and i.status != ItemStatus.CANCELLED
    }
    if len(own) == 1 and None not in own:
        return str(own.pop())
    if requisition.discipline == Discipline.PATHOLOGY:
        return "HIST"  # histology and cytology together go as histology
    return _DISCIPLINE_MSG_DESCR[requisition.discipline]


def message_type_for(requisition: Requisition, services: Mapping[str, Service] | None = None) -> MessageType:
    """The 8279 message type of the requisition (HIS 1160 and HIS 1175, 5.2)."""
    match requisition.discipline:
        case Discipline.RADIOLOGY:
            return MessageType.REQ_RTG
        case Discipline.MICRO:
            return MessageType.REQ_MBIO
        case Discipline.PATHOLOGY:
            if services is not None and msg_descr_for(requisition, services) == "CYTO":
                return MessageType.REQ_CYT
            return MessageType.REQ_HIST
        case _:
            return MessageType.REQ_LAB


# ---- the other code lists the requisition uses -------------------------------------------


class ServiceType(StrEnum):
    """Code list 7309 Tjenestetype, as HISD 1154 uses it for changes and cancellations."""

    NEW = "N"
    ADDITION = "A"
    CHANGE = "M"
    CANCEL = "C"
    HISTORY = "H"


SERVICE_TYPE_TEXTS: dict[ServiceType, str] = {
    ServiceType.NEW: "Ny",
    ServiceType.ADDITION: "Tillegg",
    ServiceType.CHANGE: "Endring",
    ServiceType.CANCEL: "Kansellering",
    ServiceType.HISTORY: "Historikk",
}

PRIORITY_TEXTS = {"N": "Normal", "H": "Høy"}  # 8115 Ønsket svarprioritet

# 8233 Type klinisk opplysning (InfItem/Type), the values the requisitions use.
INFO_TYPE_TEXTS = {
    "OPPL": "Klinisk opplysning",
    "NB": "Spesielle hensyn av betydning for behandlingen",
    "H": "Hoveddiagnose",
}

# Coded clinical facts (KithCoding.code_list) with their display texts from Volven.
CODED_FACT_TEXTS: dict[str, dict[str, str]] = {
    "8209": {  # MR-opplysninger
        "AMM": "Amming",
        "GR23": "Graviditet 2. eller 3. trimester",
        "INS": "Insulin-/morfinpumpe",
        "IVK": "Intravenøs kanyle med metall",
        "KLA": "Klaustrofobi",
        "KOM": "Kommunikasjons-problemer",
        "MFJ": "Metall som kan fjernes (klips, proteser, høreapparat, sminke, piercing, gebiss)",
        "MPR": "Metallprotese etter kirurgi",
        "PRY": "Pasienten kan ikke ligge på ryggen",
    },
    "8210": {  # MR-kontraindikasjoner
        "ANN": "Annet implantat av magnetisk materiale",
        "COC": "Cochleaimplantat (øre)",
        "GR1": "Graviditet 1. trimester",
        "IVK": "Intrakranielle vaskulære klips",
        "MEY": "Metallfremmedlegeme i øye",
        "NEV": "Nevrostimulator",
        "NOCOC": "Ikke Cochleaimplantat (øre)",
        "NOGR1": "Ikke Graviditet 1. trimester",
        "NOIVK": "Ikke Intrakranielle vaskulære klips",
        "NOMEY": "Ikke Metallfremmedlegeme i øye",
        "NONEV": "Ikke Nevrostimulator",
        "NOPAC": "Ikke Pacemaker elektrode",
        "PAC": "Pacemaker elektrode",
        "XXX": "Ingen kjente kontraindikasjoner",
    },
    "8274": {"1": "Tillatelse", "2": "Reservasjon"},  # Anbefaling om supplerende undersøkelse
}

# 9060 Kategori helsepersonell, for a requester's title (MsgHead TypeHealthcareProfessional).
HCP_CATEGORY: dict[str, tuple[str, str]] = {
    "lege": ("LE", "Lege"),
    "fastlege": ("LE", "Lege"),
    "turnuslege": ("LE", "Lege"),
    "overlege": ("LE", "Lege"),
    "sykepleier": ("SP", "Sykepleier"),
    "jordmor": ("JO", "Jordmor"),
    "psykolog": ("PS", "Psykolog"),
    "tannlege": ("TL", "Tannlege"),
}

# 8351 Prøvemateriale: not in the Volven extract; only the values the official examples use
# (Rekvisisjon_lab_v1-6_Ny.xml). Other materials travel as text in AnalysedSubject/Type.
MATERIAL_CODES: dict[str, tuple[str, str]] = {
    "serum": ("S", "Serum"),
    "plasma": ("P", "Plasma"),
}
