"""Ordering rules: requisitions per lab and discipline, patient limits, recent duplicates,
services already ordered (today, or in an order still open)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from ihr.localtime import format_no, local
from ihr.models import Discipline, OrderStatus, OrderSummary, Patient, Service

RequisitionKind = Literal["rekvisisjon", "henvisning"]


def requisition_kind(discipline: Discipline) -> RequisitionKind:
    """Imaging goes as a referral (henvisning); everything else as a requisition."""
    return "henvisning" if discipline is Discipline.RADIOLOGY else "rekvisisjon"


def requisition_key(service: Service, lab_her_id: str) -> tuple[str, Discipline]:
    """One requisition per receiving lab (HER-id) and discipline."""
    return (lab_her_id, service.discipline)


def group_into_requisitions(
    items: Iterable[tuple[Service, str]],
) -> dict[tuple[str, Discipline], list[Service]]:
    """(service, lab HER-id) pairs grouped per requisition, in order of first appearance.

    A service that appears twice for the same requisition is kept once.
    """
    out: dict[tuple[str, Discipline], list[Service]] = {}
    seen: set[tuple[str, Discipline, str]] = set()
    for service, lab in items:
        key = requisition_key(service, lab)
        if (*key, service.code) in seen:
            continue
        seen.add((*key, service.code))
        out.setdefault(key, []).append(service)
    return out


def preferred_lab(service: Service) -> str | None:
    """The service's preferred performing lab (the first listed), if any."""
    return service.labs[0] if service.labs else None


def patient_refusal(service: Service, patient: Patient, today: date) -> str | None:
    """None when the service may be ordered for this patient today, else why not (Norwegian)."""
    if service.sex is not None and patient.sex != service.sex:
        who = "kvinner" if service.sex == "K" else "menn"
        return f"{service.name} kan bare bestilles for {who}"
    age = patient.age_on(today)
    lo, hi = service.min_age_years, service.max_age_years
    if (lo is not None and age < lo) or (hi is not None and age > hi):
        if lo is not None and hi is not None:
            limit = f"mellom {lo} og {hi} år"
        elif lo is not None:
            limit = f"fra {lo} år"
        else:
            limit = f"til og med {hi} år"
        return f"{service.name} kan bare bestilles for pasienter {limit} (pasienten er {age} år)"
    return None


def recent_duplicate(
    service: Service, history: Iterable[tuple[str, datetime]], now: datetime
) -> datetime | None:
    """The latest earlier order of this service within its `order_interval_days`, if any.

    For a warning ("P-... ble bestilt dd.mm.åååå") that never blocks the order. History
    entries after `now` (clock skew, orders made elsewhere) count as recent too.
    """
    if service.order_interval_days is None:
        return None
    window = timedelta(days=service.order_interval_days)
    recent = [at for code, at in history if code == service.code and now - at <= window]
    return max(recent, default=None)


def duplicate_warning(service: Service, last: datetime) -> str:
    """The Norwegian warning text for `recent_duplicate`'s answer."""
    return (
        f"{service.name} ble bestilt {format_no(last, '%d.%m.%Y')}, for under "
        f"{service.order_interval_days} dager siden"
    )


#: An order in one of these is still open: made, or on its way through the lab, and not yet
#: answered, cancelled or refused by the lab. A service in it is being done already.
OPEN_STATUSES = frozenset({
    OrderStatus.DRAFT, OrderStatus.SAVED, OrderStatus.SENT, OrderStatus.TRANSPORT_RECEIPT,
    OrderStatus.ACCEPTED, OrderStatus.PARTLY_REJECTED, OrderStatus.RECEIVED, OrderStatus.IN_ANALYSIS,
})


def already_ordered(code: str, orders: Iterable[OrderSummary], now: datetime) -> OrderSummary | None:
    """The patient's latest order that already holds the service `code`: made today (Norwegian
    date of `now`, whatever became of it, unless cancelled) or still open (`OPEN_STATUSES`,
    whenever it was made). None when there is none.

    For every service, with or without an order interval (`recent_duplicate`): a warning
    that never blocks the order, as the same analysis twice the same day is nearly always
    a mistake, and sometimes meant (a control later in the day).
    """
    today = local(now).date()
    found = [
        order for order in orders
        if code in order.service_codes and order.status is not OrderStatus.CANCELLED
        and (local(order.created_at).date() == today or order.status in OPEN_STATUSES)
    ]
    return max(found, key=lambda order: order.created_at, default=None)


def already_ordered_warning(service: Service, order: OrderSummary, now: datetime) -> str:
    """The Norwegian warning for `already_ordered`'s answer: when, and how far it has come
    (the order is found in the patient's history by its time; its id says nothing to her)."""
    status = order.status.value.replace("_", " ")
    if local(order.created_at).date() == local(now).date():
        return f"{service.name} er allerede bestilt i dag kl. {format_no(order.created_at, '%H:%M')} ({status})"
    return f"{service.name} står i en bestilling fra {format_no(order.created_at, '%d.%m.%Y')} " \
           f"som ikke er ferdig ({status})"
