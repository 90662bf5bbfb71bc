"""Messages that workers post back to the app: the one way I/O results come home.

Workers never touch widgets. They post one of these; the app's handlers own the state.
Failures are not messages: a worker raises, and the app's one `Worker.StateChanged`
handler turns the error into a Norwegian message for the step that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ihr.models import Group, Order, OrderSummary, Patient, Requester


@dataclass
class IndexReady(Message):
    """Start-up: the search index from the cached catalog, before the models have loaded."""

    index: Any  # ihr.rules.search.CatalogIndex of SearchEntry
    etag: str | None  # the cached copy's version


@dataclass
class Peeked(Message):
    """Start-up: the banner's patient and requester, before the models have loaded."""

    patient: Any  # client.peek.PatientPeek or None
    requester: Any  # client.peek.RequesterPeek or None


@dataclass
class CatalogReady(Message):
    result: Any  # client.api.CatalogResult
    index: Any  # ihr.rules.search.CatalogIndex; None: keep the one from `IndexReady`


@dataclass
class GroupsReady(Message):
    groups: list[Group]


@dataclass
class RequesterReady(Message):
    requester: Requester


@dataclass
class PatientReady(Message):
    patient: Patient
    history: list[OrderSummary]


@dataclass
class PatientsFound(Message):
    query: str
    patients: list[Patient]


@dataclass
class OrderStored(Message):
    order: Order


@dataclass
class LabelsPrinted(Message):
    count: int
    where: str
    result: Any = None


@dataclass
class CollectionStored(Message):
    order: Order


@dataclass
class OrderSent(Message):
    order: Order


@dataclass
class GroupChanged(Message):
    text: str


@dataclass
class SpecimenFound(Message):
    text: str
