"""Issue 18, item 3: the dates secretaries type, and when a clinical date can be true
(`ihr.rules.dates`, used through `ihr.rules.questions` by the app and the service)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ihr.models import AnswerType, Question
from ihr.rules.dates import BAD_DATE, clinical_date_problem, parse_date, parse_date_time, understood
from ihr.rules.questions import parse_answer, validate_answers

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 10, 0)
ONSET = Question(key="symptomdebut", text="Dato for symptomdebut", type=AnswerType.DATE)
DUE = Question(key="termindato", text="Termindato", type=AnswerType.DATE, future_allowed=True)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1.12.26", date(2026, 12, 1)), ("01.12.2026", date(2026, 12, 1)), ("01122026", date(2026, 12, 1)),
        ("2026-12-01", date(2026, 12, 1)), ("i dag", TODAY), ("I dag ", TODAY), ("idag", TODAY),
        ("i går", date(2026, 12, 6)), ("igår", date(2026, 12, 6)), ("i  forgårs", date(2026, 12, 5)),
        ("3.4.98", date(1998, 4, 3)), ("3.4.30", date(2030, 4, 3)),  # a two-digit year: the nearest
    ],
)
def test_what_secretaries_type_is_read(text: str, day: date) -> None:
    assert parse_date(text, TODAY) == day


@pytest.mark.parametrize("text", ["31.02.26", "1/12/26", "i morgen kanskje", "1.12", "", "32.1.2026"])
def test_what_is_not_a_date_is_refused_in_norwegian(text: str) -> None:
    with pytest.raises(ValueError, match="Ugyldig dato"):
        parse_date(text, TODAY)


def test_a_date_and_a_time() -> None:
    assert parse_date_time("i går 22:00", TODAY) == datetime(2026, 12, 6, 22, 0)
    assert parse_date_time("1.12.26 kl 8.30", TODAY) == datetime(2026, 12, 1, 8, 30)


def test_a_past_event_is_not_after_today_nor_before_birth_and_a_due_date_may_be_ahead() -> None:
    assert clinical_date_problem(date(2030, 1, 1), today=TODAY) == "Datoen kan ikke være fram i tid (i dag er 07.12.2026)."
    assert clinical_date_problem(TODAY, today=TODAY) is None
    assert "før pasienten ble født" in (clinical_date_problem(date(1979, 1, 1), today=TODAY, born=date(1980, 1, 1)) or "")
    assert clinical_date_problem(date(2027, 5, 1), today=TODAY, future_allowed=True) is None


def test_the_answer_rule_applies_it_for_the_app_and_the_service() -> None:
    with pytest.raises(ValueError, match="fram i tid"):
        parse_answer(ONSET, "01.01.2030", now=NOW)
    assert parse_answer(ONSET, "i går", now=NOW) == "2026-12-06"
    assert parse_answer(DUE, "01.05.27", now=NOW) == "2027-05-01"
    [problem] = validate_answers([ONSET], {"symptomdebut": "2030-01-01"}, now=NOW)
    assert problem.path == "answers.symptomdebut" and "fram i tid" in problem.detail
    assert validate_answers([DUE], {"termindato": "2027-05-01"}, now=NOW) == []
    with pytest.raises(ValueError) as refused:
        parse_answer(ONSET, "31.02.2026", now=NOW)
    assert str(refused.value) == BAD_DATE


def test_the_field_says_what_it_understood() -> None:
    assert understood(date(2026, 12, 6), TODAY) == "Forstått: søndag 06.12.2026 (i går)"
    assert understood(date(2026, 12, 1), TODAY) == "Forstått: tirsdag 01.12.2026"
