"""Dates and times out of range or implausible: a 422 naming the field, never a 500 (issue 13).

Each value here once gave a 500 (converting it to UTC overflowed) or was stored as if true.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ihr.models import Order
from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import FakeClock, assert_problem, order_body, paths, post_order

OVERFLOWING = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "0001-01-01"]


def no_unexpected(sandbox: EmbeddedSandbox) -> int:
    return sandbox.app.state.guard_stats.unexpected_errors


@pytest.mark.parametrize("since", OVERFLOWING)
def test_list_since_out_of_range(sandbox: EmbeddedSandbox, client: httpx.Client, since: str) -> None:
    before = no_unexpected(sandbox)
    problem = assert_problem(client.get("/orders", params={"since": since}), 422)
    assert paths(problem) == {"since": "Datoen må være mellom 01.01.1900 og 31.12.2100."}
    assert no_unexpected(sandbox) == before


def collect(client: httpx.Client, order: Order, at: str) -> httpx.Response:
    spec = order.specimens[0].id
    return client.post(
        f"/orders/{order.id}/collection",
        json={"specimens": [{"specimen_id": spec, "collected_at": at, "collected_by": "Kari"}]},
    )


@pytest.fixture
def order(client: httpx.Client) -> Order:
    r = post_order(client, order_body())
    assert r.status_code == 201, r.text
    return Order.model_validate(r.json())


@pytest.mark.parametrize("at", OVERFLOWING)
def test_collection_time_out_of_range(sandbox: EmbeddedSandbox, client: httpx.Client, order: Order, at: str) -> None:
    before = no_unexpected(sandbox)
    problem = assert_problem(collect(client, order, at), 422)
    assert paths(problem) == {"specimens[0].collected_at": "Tidspunktet må være mellom 01.01.1900 og 31.12.2100."}
    assert no_unexpected(sandbox) == before


def test_collection_before_birth_or_order_or_in_the_future(
    clock: FakeClock, client: httpx.Client, order: Order
) -> None:
    born = order.patient.birth_date
    early = assert_problem(collect(client, order, "1900-01-01T08:00:00+01:00"), 422)
    assert early["detail"] == f"Tidspunktet kan ikke være før pasienten ble født ({born:%d.%m.%Y})."
    week_before = (clock() - timedelta(days=7)).isoformat()
    stale = assert_problem(collect(client, order, week_before), 422)
    assert stale["detail"].startswith("Tidspunktet kan ikke være mer enn et døgn før bestillingen ble laget")
    ahead = assert_problem(collect(client, order, (clock() + timedelta(hours=1)).isoformat()), 422)
    assert ahead["detail"] == "Tidspunktet kan ikke være fram i tid."
    assert Order.model_validate(client.get(f"/orders/{order.id}").json()).specimens[0].collected_at is None
    assert collect(client, order, (clock() - timedelta(minutes=10)).isoformat()).status_code == 200


@pytest.mark.parametrize("at", OVERFLOWING[:2] + ["0001-01-01T00:00"])
def test_last_dose_out_of_range(sandbox: EmbeddedSandbox, client: httpx.Client, at: str) -> None:
    before = no_unexpected(sandbox)
    body = order_body(["NPU02613"], answers={"siste_dose_tid": at})  # S-Litium
    problem = assert_problem(post_order(client, body), 422)
    assert paths(problem) == {"answers.siste_dose_tid": "Tidspunktet må være mellom 01.01.1900 og 31.12.2100."}
    assert no_unexpected(sandbox) == before


def test_last_dose_in_the_future_or_before_birth(clock: FakeClock, client: httpx.Client) -> None:
    future = order_body(["NPU02613"], answers={"siste_dose_tid": (clock() + timedelta(days=1)).isoformat()})
    assert paths(assert_problem(post_order(client, future), 422)) == {
        "answers.siste_dose_tid": "Tidspunktet kan ikke være fram i tid."
    }
    ancient = order_body(["NPU02613"], answers={"siste_dose_tid": "1901-01-01T08:00"})
    assert paths(assert_problem(post_order(client, ancient), 422))["answers.siste_dose_tid"].startswith(
        "Tidspunktet kan ikke være før pasienten ble født"
    )


def test_due_date_out_of_range(client: httpx.Client) -> None:
    answers = {"gravid": True, "svangerskapsuke": 20, "termindato": "0001-01-01"}
    problem = assert_problem(post_order(client, order_body(["LOK-MB-RUB", "NPU01951"], answers=answers)), 422)
    assert paths(problem) == {"answers.termindato": "Datoen må være mellom 01.01.1900 og 31.12.2100."}


def test_nan_answer_is_one_problem_on_its_path(client: httpx.Client) -> None:
    body = order_body(["LOK-MB-RUB"], answers={"gravid": True, "svangerskapsuke": math.nan})
    r = client.post("/orders", content=json.dumps(body), headers={"Idempotency-Key": "nan-1", "content-type": "application/json"})
    problem = assert_problem(r, 422)
    assert [e["path"] for e in problem["errors"]] == ["answers.svangerskapsuke"]
    assert "Mangler svar" not in problem["detail"] + problem["errors"][0]["detail"]


OFFSETS = st.sampled_from([timezone(timedelta(hours=h)) for h in (-12, -5, 0, 1, 2, 14)]) | st.just(None)
# Times near the edges of the calendar and of the bounds (where conversion overflows, or a
# bound is one minute away), drawn as often as times of any year.
EDGES = [datetime.min, datetime(1900, 1, 1), datetime(2100, 12, 31, 23, 59), datetime.max]


def near(edge: datetime, minutes: int, tz: timezone | None) -> datetime:
    try:
        moment = edge + timedelta(minutes=minutes)
    except OverflowError:
        moment = edge
    return moment.replace(tzinfo=tz, microsecond=0)


MOMENTS = st.builds(near, st.sampled_from(EDGES), st.integers(-2000, 2000), OFFSETS) | st.datetimes(timezones=OFFSETS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=MOMENTS)
def test_any_time_is_an_answer_never_a_500(
    sandbox: EmbeddedSandbox, client: httpx.Client, order: Order, moment: datetime
) -> None:
    """Any time of any year with or without an offset, as `since` and as a collection time: 200 or a 422
    on that field (the same order throughout: a 200 registers it, which a later time may change)."""
    before = no_unexpected(sandbox)
    listed = client.get("/orders", params={"since": moment.isoformat()})
    assert listed.status_code in (200, 422), listed.text
    if listed.status_code == 422:
        assert paths(listed.json()).keys() == {"since"}
    collected = collect(client, order, moment.isoformat())
    assert collected.status_code in (200, 422), collected.text
    if collected.status_code == 422:
        assert paths(collected.json()).keys() == {"specimens[0].collected_at"}
    assert no_unexpected(sandbox) == before
