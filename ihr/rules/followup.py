"""After the order: why it was rejected, what may still be cancelled, the body that corrects it.

Pure functions of an `Order` and its status events; the app's order detail and its dialogs
show them, and tests call them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ihr.models import (
    AppRecError,
    ItemInput,
    ItemStatus,
    Order,
    OrderInput,
    OrderStatus,
    StatusEvent,
)

REJECTED = frozenset({OrderStatus.REJECTED, OrderStatus.PARTLY_REJECTED})


@dataclass(frozen=True)
class Rejection:
    requisition_number: str
    lab: str
    status: OrderStatus
    errors: list[AppRecError]


def rejections(
    order: Order, events: Iterable[StatusEvent], lab_name: Callable[[str], str] | None = None
) -> list[Rejection]:
    """Why the order (or parts of it) was rejected: the latest AppRec of each requisition
    that is rejected or partly rejected now, with its error codes and texts."""
    latest: dict[str, StatusEvent] = {}
    for ev in events:  # oldest first: the last AppRec of a requisition wins
        if ev.kind.value == "applikasjonskvittering" and ev.requisition_id:
            latest[ev.requisition_id] = ev
    out = []
    for req in order.requisitions:
        last = latest.get(req.id)
        if last is None or not last.errors or req.status == OrderStatus.CANCELLED:
            continue
        if req.status in REJECTED or last.status == OrderStatus.PARTLY_REJECTED:
            name = lab_name(req.lab_her_id) if lab_name else req.lab_her_id
            out.append(Rejection(req.number, name, last.status, list(last.errors)))
    return out


def correctable(order: Order) -> bool:
    """A requisition of the order was rejected, so the order may be corrected and sent again."""
    return any(r.status == OrderStatus.REJECTED for r in order.requisitions)


def correction_input(
    order: Order,
    *,
    patient_id: str,
    requester_hpr: str,
    comment: str | None,
    answers: dict[str, Any] | None = None,
) -> OrderInput:
    """The `PUT /orders/{id}` body that corrects a rejected order: its items (not the
    cancelled ones), answers and priority as they are, with the corrected fields (`answers`
    replaces the stored answers with the same keys)."""
    items = [
        ItemInput(service_code=i.service_code, lab_her_id=r.lab_her_id, out_of_region=r.out_of_region)
        for r in order.requisitions
        for i in r.items
        if i.status != ItemStatus.CANCELLED
    ]
    return OrderInput(
        patient_id=patient_id,
        requester_hpr=requester_hpr,
        office_her_id=order.office_her_id,
        priority=order.priority,
        items=items,
        answers={a.key: a.value for a in order.answers} | dict(answers or {}),
        comment=(comment or "").strip() or None,
    )


def open_items(order: Order) -> list[tuple[Any, Any]]:
    """(requisition, item) pairs that may still be cancelled."""
    return [
        (r, i)
        for r in order.requisitions
        if r.status != OrderStatus.CANCELLED
        for i in r.items
        if i.status == ItemStatus.ORDERED
    ]
