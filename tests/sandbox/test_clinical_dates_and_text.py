"""Issue 18, items 1 and 3, the service's side: the same rule as the app's, over a real socket.

A property test: for any date the secretary may type (as dd.mm.åååå, as d.m.åå, or "i
dag"/"i går") in "Dato for symptomdebut", and any pregnancy week, the app (`OrderSession`,
the patient and today as the app has them) refuses it exactly when the service answers 422
on that answer's path. And the service refuses text a message cannot carry with a Norwegian
reason that says where it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ihr.localtime import OSLO
from ihr.models import Catalog, Patient
from ihr.rules.moments import EARLIEST, LATEST
from sandbox.seed.people import DEMO_PATIENT_ID
from tests.sandbox.conftest import FakeClock, assert_problem, order_body, paths, post_order
from tui.session import OrderSession

RESP_PCR = "LOK-MB-RESP"  # asks "Dato for symptomdebut" (a past event, optional)
RUBELLA = "LOK-MB-RUB"  # asks "Er pasienten gravid?" and then the pregnancy week


@pytest.fixture(scope="module")
def app_session(client: httpx.Client, clock: FakeClock) -> OrderSession:
    """The app's session as it stands with the demo patient open, on the service's clock."""
    session = OrderSession(clock=lambda: clock().astimezone(OSLO))
    session.catalog = Catalog.model_validate(client.get("/catalog").json())
    session.patient = Patient.model_validate(client.get(f"/patients/{DEMO_PATIENT_ID}").json())
    return session


def question(session: OrderSession, code: str, key: str) -> Any:
    assert session.catalog is not None
    return next(q for q in session.catalog.service(code).questions if q.key == key)


def typed_forms(day: date, today: date) -> list[str]:
    forms = [f"{day:%d.%m.%Y}"]
    if abs(day.year - today.year) < 50:  # a two-digit year means the nearest one
        forms.append(f"{day.day}.{day.month}.{day:%y}")
    words = {0: "i dag", 1: "i går"}
    if (today - day).days in words:
        forms.append(words[(today - day).days])
    return forms


def service_refuses(client: httpx.Client, codes: list[str], answers: dict[str, Any], path: str) -> bool:
    response = post_order(client, order_body(codes, answers=answers))
    if response.status_code in (200, 201):
        return False
    return path in paths(assert_problem(response, 422))


def near(center: date, days: int = 3) -> st.SearchStrategy[date]:
    return st.integers(-days, days).map(lambda n: center + timedelta(days=n))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_app_and_service_refuse_the_same_clinical_dates(
    data: st.DataObject, app_session: OrderSession, client: httpx.Client
) -> None:
    assert app_session.patient is not None
    today = app_session.clock().date()
    born = app_session.patient.birth_date
    day = data.draw(
        st.one_of(near(today), near(born), st.dates(date(1890, 1, 1), date(2110, 12, 31))), label="day"
    )
    onset = question(app_session, RESP_PCR, "symptomdebut")
    refused_by_service = service_refuses(client, [RESP_PCR], {"symptomdebut": day.isoformat()}, "answers.symptomdebut")
    # what both must hold to: a past event is not after today, nor before birth, nor out of the bounds
    assert refused_by_service == (day > today or day < born or not EARLIEST <= day <= LATEST), day
    for text in typed_forms(day, today):
        try:
            value = app_session.parse_answer(onset, text)
        except ValueError:
            refused_by_app = True
        else:
            assert value == day.isoformat(), text
            refused_by_app = False
        assert refused_by_app == refused_by_service, (text, day)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weeks=st.integers(-3, 60))
def test_app_and_service_refuse_the_same_pregnancy_weeks(
    weeks: int, app_session: OrderSession, client: httpx.Client
) -> None:
    week = question(app_session, RUBELLA, "svangerskapsuke")
    answers = {"gravid": True, "svangerskapsuke": weeks}
    refused_by_service = service_refuses(client, [RUBELLA], answers, "answers.svangerskapsuke")
    try:
        app_session.parse_answer(week, str(weeks))
        refused_by_app = False
    except ValueError:
        refused_by_app = True
    assert refused_by_app == refused_by_service == (not 1 <= weeks <= 45)


def test_a_future_egfr_date_is_refused_by_the_service(client: httpx.Client, clock: FakeClock) -> None:
    """The issue's case: "Dato for siste eGFR" 01.01.2030 before a CT with contrast."""
    answers = {"siste_egfr": 60, "siste_egfr_dato": "2030-01-01", "kontrastallergi": False}
    problem = assert_problem(post_order(client, order_body(["SSC0AD"], answers=answers)), 422)
    today = clock().astimezone(OSLO).date()
    assert paths(problem)["answers.siste_egfr_dato"] == f"Datoen kan ikke være fram i tid (i dag er {today:%d.%m.%Y})."


def test_text_a_message_cannot_carry_is_refused_with_where_it_is(client: httpx.Client) -> None:
    body = order_body(clinical_info="Hoste i 3 uker.\nCRP\x1b[31m 45")
    problem = assert_problem(post_order(client, body), 422)
    detail = paths(problem)["clinical_info"]
    assert "U+001B" in detail and "linje 2, plass 4" in detail


def test_lines_are_stored_with_lf(client: httpx.Client) -> None:
    body = order_body(clinical_info="Hoste i 3 uker.\r\nAllergi: penicillin", comment="Ring\rfør")
    response = post_order(client, body)
    assert response.status_code in (200, 201), response.text
    order = response.json()
    assert order["clinical_info"] == "Hoste i 3 uker.\nAllergi: penicillin" and order["comment"] == "Ring\nfør"
