"""Receipts, status events and the KITH messages exchanged with the labs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from ihr.models.catalog import Model
from ihr.models.order import OrderStatus


class EventKind(StrEnum):
    CREATED = "opprettet"
    COLLECTED = "prøvetatt"
    SENT = "sendt"
    TRANSPORT_RECEIPT = "transportkvittering"
    APPREC = "applikasjonskvittering"
    LAB_STATUS = "laboratoriestatus"
    ADDON = "etterrekvirering"
    CANCEL_REQUESTED = "kansellering_sendt"  # a Kansellering went out; the lab has not answered
    CANCELLED = "kansellert"
    CHANGED = "endring_sendt"  # a corrected requisition went out as an Endring


class AppRecStatus(StrEnum):
    """Code list 8258."""

    OK = "1"
    REJECTED = "2"
    OK_WITH_ERRORS = "3"


class AppRecError(Model):
    code: str  # code list 8221, e.g. "E35"
    text: str  # Norwegian display text
    details: str | None = None


class StatusEvent(Model):
    order_id: str
    requisition_id: str | None = None
    at: datetime
    kind: EventKind
    status: OrderStatus
    text: str  # Norwegian, for the timeline
    errors: list[AppRecError] = Field(default_factory=list)


class KithMessage(Model):
    id: str
    order_id: str
    requisition_id: str | None
    direction: Literal["ut", "inn"]
    msg_type: str  # code list 8279: REQ_LAB, REQ_MBIO, REQ_HIST, REQ_CYT, REQ_RTG, APPREC
    msg_id: str
    # Requisitions: the ServReq's ServType (7309: N Ny, A Tillegg, C Kansellering, M Endring).
    service_type: str | None = None
    # AppRecs: the MsgId of the message this receipt answers.
    answers_msg_id: str | None = None
    at: datetime
    xml: str
