"""Messages that jobs post back to the app: the one way I/O results come home.

Jobs never touch widgets. They return one of these (`tui.work.run_job` posts it); the app's
handlers own the state. A job that fails posts `tui.work.JobFailed` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from datetime import datetime

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
class StartedUp(Message):
    """Start-up has loaded everything; what the outbox holds may go now."""


@dataclass
class GroupsReady(Message):
    groups: list[Group]
    changed: str | None = None  # the name of the group just saved
    deleted: str | None = None  # the name of the group just deleted
    stale: str | None = None  # the group someone else changed first: nothing was saved


@dataclass
class RequesterReady(Message):
    requester: Requester
    chosen: bool = False  # chosen by the secretary (Ctrl+R), not handed over by the EPJ


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
    found: bool = False  # the service already held it under the draft's key (saved elsewhere)


@dataclass
class OrderRestored(Message):
    """The order of a restored draft, as the service holds it."""

    order: Order
    draft: Any  # tui.draft.OrderDraft: the restored draft it belongs to


@dataclass
class OutboxSent(Message):
    """Orders from the outbox that the service accepted: (idempotency key, order)."""

    stored: list[tuple[str, Order]] = field(default_factory=list)


@dataclass
class LabelsPrinted(Message):
    """A print job's attempt (or the secretary's confirmation) and its outcome."""

    result: Any  # printing.service.PrintResult: ok, failed (kept queued) or unconfirmed
    order_id: str | None = None  # the order the labels belong to, when the job knew it
    confirmed: bool = False  # printed because the secretary saw the labels come out


@dataclass
class PrintedBefore(Message):
    """What the print journal has of an order's labels: printed `when` (None: never)."""

    order_id: str
    when: datetime | None
    # What the key wants: "print" (F7) or "elsewhere" (Ctrl+O) when never printed, and
    # else the question whether to print again; "" only to show the step.
    then: str = ""


@dataclass
class PrintJobRead(Message):
    """One job of the print queue as it is now (`printing.queue.QueuedJob`)."""

    job: Any


@dataclass
class PrintQueueRead(Message):
    """The print jobs not known to be printed (`printing.queue.QueuedJob`), oldest first."""

    jobs: list[Any]


@dataclass
class CollectionStored(Message):
    order: Order


@dataclass
class OrderSent(Message):
    order: Order


@dataclass
class SpecimenFound(Message):
    """A scanned label's order, with the scanned specimen chosen."""

    order: Order
    specimen_ids: list[str]


@dataclass
class Notice(Message):
    """Something for the status line."""

    text: str
