"""Issue 11, defect 7: labels the print journal has as printed are never printed again
without a question; a second print is a reprint with a reason, in the journal and the
patient's access log. Across a restart too: the draft comes back from the local file and
the journal is asked.

Real parts: the sandbox over loopback, the local SQLite file (autosave, print journal),
the file printer (one file a job).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ihr.localtime import format_no
from printing.journal import PrintJournal
from tests.tui.helpers import ready, saved_on_review, step_done, wait_for
from tests.tui.test_followup import static_text


def jobs(spool: Path) -> int:
    """Print jobs the printer got (the file printer writes one file a job)."""
    return len(list(spool.glob("*.zpl")))


async def access_log(sandbox: Any, tmp_path: Path, patient: str) -> list[str]:
    """The label actions the office's privacy officer sees: labels.print / labels.reprint."""
    from client.api import IhrClient
    from ihr.helseid import SCOPE_AUDIT
    from tests.helseid import auth_for

    async with IhrClient(sandbox.url, auth_for(sandbox, tmp_path / "personvern", scopes=(SCOPE_AUDIT,))) as officer:
        log = await officer.get_audit(patient)
    return [e.action for e in log.entries if e.action.startswith("labels.")]


async def asked_again(pilot: Any) -> str:
    """F7 on a printed order: the reprint dialog opens with the question; its text."""
    app = pilot.app
    await pilot.press("f7")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
    return static_text(app.screen, "#reprint-question")


def journal(app: Any) -> list[Any]:
    with PrintJournal(app.journal_path) as j:
        return list(reversed(j.entries()))


async def test_f7_twice_asks_before_printing_again_and_the_reprint_has_its_reason(
    app_factory: Any, spool: Path, sandbox: Any, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await step_done(pilot, "print")
        assert jobs(spool) == 1

        question = await asked_again(pilot)
        printed = journal(app)[0].finished_at
        assert question == f"Etikettene er skrevet ut {format_no(printed)}. Skrive ut på nytt?"
        await pilot.press("escape")  # no: nothing printed
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert jobs(spool) == 1
        await pilot.press("ctrl+o")  # another printer: the same question first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        assert static_text(app.screen, "#reprint-question") == question
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")

        await asked_again(pilot)
        dialog = app.screen
        await pilot.press("f6")  # yes, but without a reason: refused
        assert "hvorfor" in static_text(dialog, "#reprint-error") and jobs(spool) == 1
        dialog.query_one("#reprint-reason").focus()
        await pilot.press("s")  # "Skadet etikett"
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert "skrevet ut på nytt (Skadet etikett)" in static_text(app.screen, "#status")
    assert jobs(spool) == 2
    assert [(e.reason, e.reason_text, e.outcome) for e in journal(app)] == [
        ("first", None, "ok"), ("reprint", "Skadet etikett", "ok")]
    assert await access_log(sandbox, tmp_path, order.patient.id) == ["labels.print", "labels.reprint"]


async def test_after_a_restart_the_restored_draft_knows_its_labels_were_printed(
    app_factory: Any, spool: Path, sandbox: Any, tmp_path: Path
) -> None:
    first = app_factory()
    async with first.run_test(size=(120, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await step_done(pilot, "print")
    assert jobs(spool) == 1

    again = app_factory()  # quit and start again: the draft comes back from the local file
    async with again.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: again.session.draft.order is not None)
        assert again.session.draft.order.id == order.id
        await pilot.press("f5")
        await wait_for(pilot, lambda: again.current_mode == "review")
        await wait_for(pilot, lambda: again.session.draft.steps["print"].state == "done")
        steps = static_text(again.screen, "#review-steps")
        assert re.search(r"Skriv ut etiketter\s+ferdig\s+Skrevet ut \d\d\.\d\d\.\d{4} \d\d:\d\d", steps), steps

        assert (await asked_again(pilot)).endswith("Skrive ut på nytt?")
        dialog = again.screen
        dialog.query_one("#reprint-reason").focus()
        await pilot.press("e")  # "Etiketten falt av"
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(again.screen).__name__ == "ReviewScreen")
    assert jobs(spool) == 2
    assert [(e.reason, e.reason_text) for e in journal(again)] == [("first", None), ("reprint", "Etiketten falt av")]
    assert await access_log(sandbox, tmp_path, order.patient.id) == ["labels.print", "labels.reprint"]
