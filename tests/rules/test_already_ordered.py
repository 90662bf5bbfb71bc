"""A service already ordered for the patient today, or in an order still open, warns for
every service (issue 18, item 4): `ihr.rules.ordering.already_ordered`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ihr.models import Catalog, OrderStatus, OrderSummary
from ihr.rules.ordering import already_ordered, already_ordered_warning, recent_duplicate

NOW = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)  # 15:05 in Oslo
CRP = "NPU19748"


def order(oid: str, at: datetime, status: OrderStatus, *codes: str) -> OrderSummary:
    return OrderSummary(
        id=oid, patient_id="15838512345", patient_name="Testesen, Kari", requester_hpr="9144900",
        status=status, created_at=at, updated_at=at, service_names=list(codes), service_codes=list(codes),
    )


def test_today_whatever_became_of_it_but_cancelled(catalog: Catalog) -> None:
    crp = catalog.service(CRP)
    assert crp.order_interval_days is None  # the interval warning never spoke for it
    assert recent_duplicate(crp, [(CRP, NOW - timedelta(hours=1))], NOW) is None
    morning = order("R1", NOW - timedelta(hours=6), OrderStatus.RESULT_READY, CRP)
    assert already_ordered(CRP, [morning], NOW) == morning
    assert already_ordered_warning(crp, morning, NOW) == \
        "P-CRP er allerede bestilt i dag kl. 09:05 (svar klart)"
    cancelled = order("R2", NOW - timedelta(hours=1), OrderStatus.CANCELLED, CRP)
    assert already_ordered(CRP, [cancelled], NOW) is None
    later = order("R3", NOW - timedelta(minutes=5), OrderStatus.SAVED, CRP)
    assert already_ordered(CRP, [morning, later, cancelled], NOW) == later  # the latest
    assert already_ordered("NPU03429", [morning, later], NOW) is None  # another service


def test_an_earlier_day_only_while_the_order_is_open(catalog: Catalog) -> None:
    crp = catalog.service(CRP)
    last_week = NOW - timedelta(days=7)
    for status in (OrderStatus.SAVED, OrderStatus.SENT, OrderStatus.ACCEPTED, OrderStatus.IN_ANALYSIS,
                   OrderStatus.PARTLY_REJECTED):
        open_one = order("R4", last_week, status, CRP)
        assert already_ordered(CRP, [open_one], NOW) == open_one, status
    for status in (OrderStatus.RESULT_READY, OrderStatus.CANCELLED, OrderStatus.REJECTED):
        assert already_ordered(CRP, [order("R5", last_week, status, CRP)], NOW) is None, status
    open_one = order("R4", last_week, OrderStatus.SENT, CRP)
    assert already_ordered_warning(crp, open_one, NOW) == \
        "P-CRP står i en bestilling fra 15.11.2026 som ikke er ferdig (sendt)"


def test_the_day_is_the_norwegian_one(catalog: Catalog) -> None:
    just_after_midnight = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)  # 01:30 in Oslo: today there
    late_yesterday = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)  # 23:30 in Oslo on the 21st
    done = OrderStatus.RESULT_READY
    assert already_ordered(CRP, [order("R6", late_yesterday, done, CRP)], just_after_midnight) is None
    assert already_ordered(CRP, [order("R7", just_after_midnight - timedelta(minutes=20), done, CRP)],
                           just_after_midnight) is not None
