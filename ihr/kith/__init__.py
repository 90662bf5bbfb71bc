"""KITH XML with lxml: MsgHead v1.2 around a Rekvisisjon v1.6 Message, AppRec v1.0, code lists.

Used by the sandbox's message hub (build requisitions, answer with AppRecs) and by the
client (read AppRecs). Everything read from outside goes through a hardened parser.
"""

from ihr.kith.apprec import AppRecResult, build_apprec, parse_apprec
from ihr.kith.codes import MessageType, ServiceType, error_text, message_type_for, status_text
from ihr.kith.msghead import MsgHeadInfo, build_msghead, parse_msghead
from ihr.kith.requisition import build_requisition_message
from ihr.kith.schemas import SchemaNotFoundError, validate
from ihr.kith.xmlsafe import KithParseError

__all__ = [
    "AppRecResult",
    "KithParseError",
    "MessageType",
    "MsgHeadInfo",
    "SchemaNotFoundError",
    "ServiceType",
    "build_apprec",
    "build_msghead",
    "build_requisition_message",
    "error_text",
    "message_type_for",
    "parse_apprec",
    "parse_msghead",
    "status_text",
    "validate",
]
