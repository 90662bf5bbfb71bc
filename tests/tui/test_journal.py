"""Answers from the journal (EPJ), through the app: a FHIR launch bundle, made with the FHIR
library and read as `ihr --epj` reads it, answers the guided questions it holds; each such
answer is marked "fra journalen, dd.mm.åååå" on the questions screen, the review and the
order detail, and stored with its date in the order; an answer too old is shown and not
used. The saved and sent order goes back to the journal as FHIR (`epj_return_dir`).

Pilot walk-throughs against the sandbox over a real socket, on the tests' fixed clock
(20.11.2026).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ihr.epj.returned import read_returned
from sandbox.seed.journal import EGFR, METFORMIN, Lab, launch_bundle
from tests.tui.conftest import DEMO_PATIENT_ID, fixed_clock, make_client
from tests.tui.helpers import add, ready, step_done, type_text, wait_for
from tests.tui.test_followup import static_text
from tui.context import LaunchContext, read_launch_file

TODAY = date(2026, 11, 20)
CT_THORAX = "SSC0AD"  # CT thorax med kontrast: eGFR and its date before contrast
KREATININ = "NPU18016"  # a tube, so the returned order has a barcode


def journal_app(settings: Any, tmp_path: Path, **bundle: Any) -> Any:
    """The app started as `ihr --epj FILE` is: the bundle written (0600) and read back."""
    from tui.app import make_app

    path = tmp_path / "epj-oppstart.json"
    path.write_text(launch_bundle(DEMO_PATIENT_ID, **bundle).model_dump_json(), encoding="utf-8")
    path.chmod(0o600)
    context: LaunchContext = read_launch_file(path)
    assert context.journal is not None
    return make_app(settings, make_client(settings), context=context, clock=fixed_clock, owns_client=True)


async def questions(pilot: Any, *services: str) -> Any:
    app = pilot.app
    await ready(pilot)
    for code in services:
        await add(pilot, code)
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.current_mode == "questions" and "siste_egfr" in app.screen.rows)
    return app.screen


def journal_line(screen: Any, key: str) -> str:
    line = screen.rows[key].query_one(".question-journal")
    return str(line.content) if line.display else ""


async def test_egfr_from_the_journal_is_marked_everywhere_stored_with_its_date_and_handed_back(
    settings: Any, tmp_path: Path
) -> None:
    from tui.screens.questions import MODALITY_KEY

    returned = tmp_path / "epj-retur"
    settings = settings.copy_with(epj_return_dir=str(returned))
    taken = TODAY - timedelta(days=20)
    app = journal_app(settings, tmp_path, labs=[Lab(EGFR, 64.0, taken, "mL/min/{1.73_m2}")])
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await questions(pilot, CT_THORAX, KREATININ)
        egfr = screen.rows["siste_egfr"]
        await wait_for(pilot, lambda: journal_line(screen, "siste_egfr") == "fra journalen, 31.10.2026")
        assert egfr.field.value == "64"
        assert screen.rows["siste_egfr_dato"].field.value == "31.10.2026"
        assert journal_line(screen, "siste_egfr_dato") == "fra journalen, 31.10.2026"
        assert "eGFR" not in static_text(screen, "#questions-missing")

        # the secretary can change it: then it is hers, and the line says what the journal had
        egfr.field.focus()
        await pilot.press("end", "backspace")
        await type_text(pilot, "5")
        await wait_for(pilot, lambda: journal_line(screen, "siste_egfr").startswith("Endret"))
        assert journal_line(screen, "siste_egfr") == "Endret – journalen sier 64 ml/min/1,73m² (31.10.2026)"
        assert app.session.draft.answers["siste_egfr"] == 65.0
        await pilot.press("backspace")
        await type_text(pilot, "4")  # back to the journal's value: the journal's again
        await wait_for(pilot, lambda: journal_line(screen, "siste_egfr") == "fra journalen, 31.10.2026")

        # what she still types: the problem statement and the modality statement
        screen.rows["problemstilling"].field.focus()
        await type_text(pilot, "Lungeemboli?")
        screen.fields[MODALITY_KEY].field.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: not app.session.missing_answers())

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        summary = static_text(app.screen, "#review-summary")
        assert "Siste eGFR: 64 ml/min/1,73m²  (fra journalen, 31.10.2026)" in summary
        assert "Dato for siste eGFR: 31.10.2026  (fra journalen, 31.10.2026)" in summary
        assert "Problemstilling: Lungeemboli?" in summary and "Lungeemboli?  (fra journalen" not in summary
        await pilot.press("f6")
        await step_done(pilot, "save")
        order = app.session.draft.order

        # stored in the order, as the service has it
        client = make_client(settings)
        try:
            stored = await client.get_order(order.id)
        finally:
            await client.aclose()
        dates = {a.key: a.journal_date for a in stored.answers}
        assert dates["siste_egfr"] == taken and dates["siste_egfr_dato"] == taken
        assert dates["problemstilling"] is None

        # handed back to the journal when saved: one ServiceRequest per item, the barcodes
        await wait_for(pilot, lambda: len(list(returned.glob("*.json"))) == 1)
        (saved_file,) = returned.glob("*.json")
        assert saved_file.stat().st_mode & 0o777 == 0o600
        back = read_returned(saved_file.read_bytes())  # validated by fhir.resources
        assert back.order_id == order.id and back.patient_id == DEMO_PATIENT_ID
        assert back.requisition_numbers == {r.number for r in order.requisitions}
        assert sorted(back.specimen_ids) == sorted(s.id for s in order.specimens) and back.specimen_ids
        assert {(i.code, i.status) for i in back.items} == {(CT_THORAX, "draft"), (KREATININ, "draft")}
        assert {i.performer_her_id for i in back.items} == {r.lab_her_id for r in order.requisitions}

        # ... and again when sent
        await pilot.press("f9")
        await step_done(pilot, "send")
        await wait_for(pilot, lambda: len(list(returned.glob("*.json"))) == 2)
        latest = max(returned.glob("*.json"), key=lambda p: p.name)
        sent = read_returned(latest.read_bytes())
        assert {i.status for i in sent.items} == {"active"}
        assert sent.requisition_numbers == back.requisition_numbers and sent.specimen_ids == back.specimen_ids

        # the order detail (F10, Enter) marks it too
        from tests.tui.test_followup import open_detail

        await pilot.press("f10")
        detail = await open_detail(pilot, order.id)
        overview = static_text(detail, "#detail-overview")
        assert "Siste eGFR: 64 ml/min/1,73m²  (fra journalen, 31.10.2026)" in overview


async def test_an_egfr_older_than_three_months_is_shown_as_old_and_not_used(settings: Any, tmp_path: Path) -> None:
    app = journal_app(settings, tmp_path, labs=[Lab(EGFR, 52.0, TODAY - timedelta(days=120), "mL/min/{1.73_m2}")])
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await questions(pilot, CT_THORAX)
        await wait_for(pilot, lambda: journal_line(screen, "siste_egfr") != "")
        assert journal_line(screen, "siste_egfr") == (
            "I journalen: 52 ml/min/1,73m² fra 23.07.2026 – Eldre enn 3 måneder – ikke brukt"
        )
        assert screen.rows["siste_egfr"].field.value == ""
        assert "siste_egfr" not in app.session.draft.answers
        assert "Mangler svar: Siste eGFR" in static_text(screen, "#questions-missing")


async def test_metformin_in_the_journal_answers_the_metformin_question_and_its_diagnosis_is_offered(settings: Any, tmp_path: Path) -> None:
    app = journal_app(
        settings, tmp_path, labs=[Lab(EGFR, 40.0, TODAY - timedelta(days=10), "mL/min/{1.73_m2}")],
        medications=[METFORMIN], medication_date=TODAY - timedelta(days=60),
        conditions=[("T90", "Diabetes type 2", TODAY - timedelta(days=400))],
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await questions(pilot, CT_THORAX)
        # eGFR 40 (at most 45) asks about metformin; the journal lists it in use
        await wait_for(pilot, lambda: screen.rows["bruker_metformin"].display)
        assert screen.rows["bruker_metformin"].field.value == "ja"
        assert journal_line(screen, "bruker_metformin") == "fra journalen, 21.09.2026"
        assert app.session.draft.answers["bruker_metformin"] is True

        # the journal's diagnoses are offered in the empty ICPC-2 field; its code brings its text
        from tui.screens.questions import DIAGNOSIS_CODE_KEY, DIAGNOSIS_TEXT_KEY

        code = screen.fields[DIAGNOSIS_CODE_KEY].field
        assert code.placeholder == "journalen: T90 Diabetes type 2"
        code.focus()
        await type_text(pilot, "t90")
        await wait_for(pilot, lambda: app.session.draft.diagnosis_text == "Diabetes type 2")
        assert screen.fields[DIAGNOSIS_TEXT_KEY].field.value == "Diabetes type 2"


async def test_a_restored_draft_keeps_its_answers_marked_as_the_journals(
    settings: Any, sandbox: Any, tmp_path: Path, spool: Path
) -> None:
    """After a crash the EPJ starts `ihr` again with the same bundle: the restored answers
    that are the journal's are marked so again (the draft on disk holds no marks)."""
    from client.drafts import DraftStore
    from tests.tui.conftest import DEMO_OFFICE_HER_ID, make_settings
    from tests.tui.test_drafts import copy_db

    labs = [Lab(EGFR, 64.0, TODAY - timedelta(days=20), "mL/min/{1.73_m2}")]
    app = journal_app(settings, tmp_path, labs=labs)
    async with app.run_test(size=(100, 40)) as pilot:
        await questions(pilot, CT_THORAX)
        await wait_for(pilot, lambda: (d := DraftStore(settings.db_path).get(DEMO_PATIENT_ID, DEMO_OFFICE_HER_ID))
                       is not None and d.answers.get("siste_egfr") == 64.0)
        after = make_settings(sandbox, tmp_path / "after-crash", spool)
        copy_db(settings.db_path, after.db_path)

    app2 = journal_app(after, tmp_path / "after-crash", labs=labs)
    async with app2.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app2.session.draft.codes == [CT_THORAX])
        await pilot.press("f4")
        await wait_for(pilot, lambda: app2.current_mode == "questions" and "siste_egfr" in app2.screen.rows)
        await wait_for(pilot, lambda: journal_line(app2.screen, "siste_egfr") == "fra journalen, 31.10.2026")
        assert app2.screen.rows["siste_egfr"].field.value == "64"
