"""Which guided questions the journal answers (`ihr.rules.journal`), from bundles made by
the FHIR library and read by `ihr.epj.launch`, against the sandbox's own catalog."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ihr.epj.launch import parse_launch_bundle
from ihr.rules.journal import journal_answers
from ihr.rules.questions import questions_for
from sandbox.seed.catalog import seed_catalog
from sandbox.seed.journal import (
    APIXABAN,
    EGFR,
    LITHIUM,
    METFORMIN,
    PREGNANCY_STATUS,
    Lab,
    launch_bundle,
)
from sandbox.seed.people import DEMO_PATIENT_ID

TODAY = date(2026, 11, 20)
CATALOG = seed_catalog()
CT_CONTRAST = CATALOG.service("SSC0AD")  # CT thorax med kontrast: eGFR, its date, metformin
QUESTIONS = questions_for([CT_CONTRAST, CATALOG.service("SSD0AD")])  # + pregnancy (CT abdomen)


def answers(**kwargs: object) -> dict[str, object]:
    record = parse_launch_bundle(launch_bundle(DEMO_PATIENT_ID, **kwargs).model_dump_json())  # type: ignore[arg-type]
    return journal_answers(QUESTIONS, record.entries, today=TODAY, now=datetime(2026, 11, 20, 9, 30))  # type: ignore[return-value]


def test_a_recent_egfr_answers_the_egfr_and_its_date() -> None:
    taken = TODAY - timedelta(days=40)
    found = answers(labs=[Lab(EGFR, 52.0, taken, "mL/min/{1.73_m2}")])
    egfr, egfr_date = found["siste_egfr"], found["siste_egfr_dato"]
    assert (egfr.value, egfr.when, egfr.usable) == (52.0, taken, True)  # type: ignore[attr-defined]
    assert (egfr_date.value, egfr_date.usable) == (taken.isoformat(), True)  # type: ignore[attr-defined]


def test_the_newest_egfr_wins() -> None:
    found = answers(labs=[Lab(EGFR, 70.0, TODAY - timedelta(days=200), "mL/min"), Lab(EGFR, 48.0, TODAY - timedelta(days=5), "mL/min")])
    assert found["siste_egfr"].value == 48.0  # type: ignore[attr-defined]


def test_an_egfr_older_than_three_months_is_shown_as_old_and_not_used() -> None:
    found = answers(labs=[Lab(EGFR, 52.0, TODAY - timedelta(days=120), "mL/min")])
    egfr = found["siste_egfr"]
    assert not egfr.usable  # type: ignore[attr-defined]
    assert egfr.problem == "Eldre enn 3 måneder – ikke brukt"  # type: ignore[attr-defined]
    assert not found["siste_egfr_dato"].usable  # type: ignore[attr-defined]
    # the boundary: exactly 92 days old is still in time
    assert answers(labs=[Lab(EGFR, 52.0, TODAY - timedelta(days=92), "mL/min")])["siste_egfr"].usable  # type: ignore[attr-defined]


def test_an_egfr_the_question_refuses_is_not_used() -> None:
    found = answers(labs=[Lab(EGFR, 160.0, TODAY - timedelta(days=3), "mL/min")])  # the question allows 5-150
    assert not found["siste_egfr"].usable and "150" in found["siste_egfr"].problem  # type: ignore[attr-defined]


def test_metformin_in_use_answers_the_metformin_question() -> None:
    found = answers(medications=[METFORMIN], medication_date=TODAY - timedelta(days=30))
    assert (found["bruker_metformin"].value, found["bruker_metformin"].usable) == (True, True)  # type: ignore[attr-defined]
    # without a date, it is in use as of the handover
    assert answers(medications=[METFORMIN])["bruker_metformin"].when == TODAY  # type: ignore[attr-defined]


def test_other_medicines_say_nothing_about_metformin() -> None:
    assert "bruker_metformin" not in answers(medications=[LITHIUM, APIXABAN])


def test_pregnancy_status_answers_whether_she_is_pregnant() -> None:
    assert answers(labs=[Lab(PREGNANCY_STATUS, False, TODAY - timedelta(days=2))])["gravid"].value is False  # type: ignore[attr-defined]
    assert answers(labs=[Lab(PREGNANCY_STATUS, True, TODAY - timedelta(days=2))])["gravid"].value is True  # type: ignore[attr-defined]
    assert not answers(labs=[Lab(PREGNANCY_STATUS, False, TODAY - timedelta(days=40))])["gravid"].usable  # type: ignore[attr-defined]


def test_the_catalog_says_which_codes_answer_which_question() -> None:
    q = {q.key: q for q in QUESTIONS}
    assert q["siste_egfr"].journal is not None and "http://loinc.org|62238-1" in q["siste_egfr"].journal.codes
    assert q["siste_egfr"].journal.max_age_days == 92
    assert q["bruker_metformin"].journal is not None and q["bruker_metformin"].journal.codes == ["http://www.whocc.no/atc|A10BA02"]
    # ... and the catalog the service serves says it too
    dumped = CATALOG.service("SSC0AD").model_dump(mode="json")
    assert any(x.get("journal") for x in dumped["questions"])


def test_the_medication_in_use_answers_faste_medisiner_by_name() -> None:
    """Lithium and an anticoagulant in the journal: "Faste medisiner" (P-INR, S-Litium's
    hormone neighbours) gets their names."""
    record = parse_launch_bundle(
        launch_bundle(DEMO_PATIENT_ID, medications=[LITHIUM, APIXABAN], medication_date=TODAY).model_dump_json()
    )
    inr = questions_for([CATALOG.service("NPU01685")])  # P-INR asks for the fixed medication
    found = journal_answers(inr, record.entries, today=TODAY)
    assert (found["faste_medisiner"].value, found["faste_medisiner"].usable) == ("Litium, Apixaban", True)
