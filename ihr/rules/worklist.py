"""Narrowing the worklist to the work: which orders need the secretary, on which day.

The filters are the questions a reception asks of its day: what was saved but never sent,
what waits for a sample (a tube not yet taken: urine brought later), what was sent an hour
ago or more and has no receipt from the lab yet, and what the lab refused. A search finds
an order by its requisition number or a specimen id (a label in hand).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from ihr.localtime import OSLO
from ihr.models import OrderStatus, OrderSummary

#: How long a sent order may wait for the lab's receipt before it is looked at.
NO_RECEIPT_AFTER = timedelta(hours=1)

REFUSED = frozenset({OrderStatus.REJECTED, OrderStatus.PARTLY_REJECTED})


class WorkFilter(StrEnum):
    ALL = "alle"
    UNSENT = "ikke_sendt"  # saved, not sent
    WAITING_SAMPLE = "venter_pa_prove"  # a tube not yet taken
    NO_RECEIPT = "uten_kvittering"  # sent an hour ago or more, no receipt yet
    REFUSED = "avvist"  # the lab refused all or part of it


WORK_FILTER_TEXTS: dict[WorkFilter, str] = {
    WorkFilter.ALL: "alle",
    WorkFilter.UNSENT: "lagret, ikke sendt",
    WorkFilter.WAITING_SAMPLE: "venter på prøve",
    WorkFilter.NO_RECEIPT: "sendt, ingen kvittering på over en time",
    WorkFilter.REFUSED: "avvist",
}


def matches(summary: OrderSummary, work: WorkFilter, now: datetime) -> bool:
    """The order is among those `work` asks for, at `now`."""
    match work:
        case WorkFilter.ALL:
            return True
        case WorkFilter.UNSENT:
            return summary.status == OrderStatus.SAVED
        case WorkFilter.WAITING_SAMPLE:
            return summary.status != OrderStatus.CANCELLED and summary.tubes_taken < summary.tubes
        case WorkFilter.NO_RECEIPT:
            # the status moves on with the transport receipt; until then `updated_at` is the send
            return summary.status == OrderStatus.SENT and now - summary.updated_at >= NO_RECEIPT_AFTER
        case WorkFilter.REFUSED:
            return summary.status in REFUSED


def on_day(summary: OrderSummary, day: date) -> bool:
    """Ordered on `day` (Norwegian time)."""
    return summary.created_at.astimezone(OSLO).date() == day


def found_by(summary: OrderSummary, typed: str) -> bool:
    """The order has a requisition number or specimen id that starts with what is typed
    (case and spaces ignored: "r0010", "1000 017")."""
    key = "".join(typed.split()).upper()
    if not key:
        return True
    return any(n.upper().startswith(key) for n in summary.requisition_numbers) or any(
        s.startswith(key) for s in summary.specimen_ids
    )


def narrowed(
    summaries: list[OrderSummary], *, work: WorkFilter, day: date | None, typed: str, now: datetime
) -> list[OrderSummary]:
    """The orders the worklist shows: on `day` (None: any), of the `work` asked for, found by
    what is typed in the search."""
    return [
        s
        for s in summaries
        if (day is None or on_day(s, day)) and matches(s, work, now) and found_by(s, typed)
    ]
