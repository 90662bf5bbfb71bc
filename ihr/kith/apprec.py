"""AppRec v1.0: the application receipt (applikasjonskvittering) a lab sends back.

`build_apprec` writes it in the element order AppRec-v1.0.xsd requires. `parse_apprec`
reads one from any vendor: the Norwegian error texts come from code list 8221 in
`ihr.kith.codes`, never from the sender's DN alone (it may be missing or English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from ihr.kith.codes import (
    error_text,
    is_known_error,
    message_type_text,
    status_text,
)
from ihr.kith.msghead import (
    MsgHeadInfo,
    child,
    children,
    parse_xs_datetime,
    path,
    sub,
    text_of,
    xs_datetime,
)
from ihr.kith.namespaces import MIG_APPREC, NS_APPREC, OID_APPREC_ERROR
from ihr.kith.xmlsafe import KithParseError, local_name, parse_untrusted
from ihr.models.receipts import AppRecError, AppRecStatus

_A = f"{{{NS_APPREC}}}"

_OID = re.compile(r"^\d+(\.\d+)+$")


@dataclass(frozen=True, slots=True)
class AppRecResult:
    """An AppRec as the client shows it: status and errors in Norwegian."""

    status: AppRecStatus
    status_text: str
    errors: list[AppRecError]
    original_msg_id: str
    msg_id: str
    gen_date: datetime
    original_msg_type: str | None = None
    sender_her: str | None = None
    receiver_her: str | None = None
    raw_status_text: str | None = field(default=None, repr=False)  # the sender's own DN


def _inst(parent: etree._Element, her_id: str, name: str | None) -> None:
    inst = sub(sub(parent, _A + "HCP"), _A + "Inst")
    if name:
        sub(inst, _A + "Name", name)
    sub(inst, _A + "Id", her_id)
    sub(inst, _A + "TypeId", V="HER", DN="HER-id")


def build_apprec(
    *,
    original: MsgHeadInfo,
    status: AppRecStatus,
    errors: list[AppRecError],
    msg_id: str,
    gen_date: datetime,
    sender_her: str,
    receiver_her: str,
    sender_name: str | None = None,
    receiver_name: str | None = None,
    software_name: str | None = "ihr",
) -> bytes:
    """An AppRec v1.0 document (UTF-8 bytes) that answers `original`.

    Each error becomes Error V=<code> S=<8221 OID> DN=<Norwegian text>, with its details in
    OT. A rejection (status 2) or "OK, feil i delmelding" (3) should carry at least one
    error; that is the caller's business, not checked here.
    """
    status = AppRecStatus(status)
    root = etree.Element(_A + "AppRec", nsmap={None: NS_APPREC})
    sub(root, _A + "MsgType", V="APPREC", DN=message_type_text("APPREC"))
    sub(root, _A + "MIGversion", MIG_APPREC)
    if software_name:
        sub(root, _A + "SoftwareName", software_name)
    sub(root, _A + "GenDate", xs_datetime(gen_date))
    sub(root, _A + "Id", msg_id)
    _inst(sub(root, _A + "Sender"), sender_her, sender_name)
    _inst(sub(root, _A + "Receiver"), receiver_her, receiver_name)
    sub(root, _A + "Status", V=status.value, DN=status_text(status))
    for error in errors:
        text = error_text(error.code) if is_known_error(error.code) else error.text
        sub(root, _A + "Error", V=error.code, S=OID_APPREC_ERROR, DN=text, OT=error.details or None)
    orig = sub(root, _A + "OriginalMsgId")
    sub(orig, _A + "MsgType", V=original.msg_type, DN=original.msg_type_text or message_type_text(original.msg_type))
    sub(orig, _A + "IssueDate", xs_datetime(original.gen_date))
    sub(orig, _A + "Id", original.msg_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _hcp_her(party: etree._Element | None) -> str | None:
    inst = path(party, "HCP", "Inst")
    if inst is None:
        return None
    type_id = child(inst, "TypeId")
    if type_id is None or (type_id.get("V") or "").strip().upper() in ("HER", ""):
        return text_of(child(inst, "Id"))
    for extra in children(inst, "AdditionalId"):
        extra_type = child(extra, "Type")
        if extra_type is not None and (extra_type.get("V") or "").strip().upper() == "HER":
            return text_of(child(extra, "Id"))
    return None


def _error(el: etree._Element) -> AppRecError:
    code = (el.get("V") or "").strip()
    system = (el.get("S") or "").strip()
    # Some senders swap V and S (V="2.16.578.1.12.4.1.1.8221" S="X99"): read what they meant.
    if _OID.match(code) and system and not _OID.match(system):
        code = system
    code = code.upper()
    dn = (el.get("DN") or "").strip() or text_of(el)
    ot = (el.get("OT") or "").strip() or None
    if not code:
        return AppRecError(code="", text="Feil uten feilkode", details=ot or dn)
    if is_known_error(code):
        text = error_text(code)
        details = ot
        if details is None and dn and dn.casefold() != text.casefold():
            # The sender's own words may add something (they always do for X99, T99, S99).
            details = dn
        return AppRecError(code=code, text=text, details=details)
    return AppRecError(code=code, text=dn or error_text(code), details=ot)


def parse_apprec(xml: bytes) -> AppRecResult:
    """Read an AppRec v1.0 from any sender. Raises KithParseError (Norwegian message)."""
    root = parse_untrusted(xml, what="Kvitteringen")
    if local_name(root) != "AppRec":
        raise KithParseError(
            f"Meldingen er ikke en applikasjonskvittering (rotelement {local_name(root)!r})."
        )
    status_el = child(root, "Status")
    raw_status = (status_el.get("V") or "").strip() if status_el is not None else ""
    if not raw_status:
        raise KithParseError("Applikasjonskvitteringen mangler status.")
    try:
        status = AppRecStatus(raw_status)
    except ValueError:
        raise KithParseError(f"Applikasjonskvitteringen har ukjent status {raw_status!r}.") from None

    original = child(root, "OriginalMsgId")
    original_msg_id = text_of(child(original, "Id"))
    if not original_msg_id:
        raise KithParseError("Applikasjonskvitteringen sier ikke hvilken melding den svarer på (OriginalMsgId).")
    original_type = child(original, "MsgType")

    return AppRecResult(
        status=status,
        status_text=status_text(status),
        errors=[_error(e) for e in children(root, "Error")],
        original_msg_id=original_msg_id,
        msg_id=text_of(child(root, "Id")) or "",
        gen_date=parse_xs_datetime(text_of(child(root, "GenDate")), what="Kvitteringens GenDate"),
        original_msg_type=(original_type.get("V") if original_type is not None else None) or None,
        sender_her=_hcp_her(child(root, "Sender")),
        receiver_her=_hcp_her(child(root, "Receiver")),
        raw_status_text=(status_el.get("DN") if status_el is not None else None) or None,
    )
