"""Issue 18, item 2 in the app: an answer belongs to the questions asked now.

The issue's walk: MR caput, Problemstilling "Hodepine", F9 removes the MR, CT thorax added.
The CT's problem statement is asked afresh (the field empty, the old answer offered under
it, Ctrl+G takes it), the review does not show "Hodepine" and the saved order does not carry
it. Pilot against the sandbox over a real socket. (`tests/tui/test_session.py` holds the same
rule without Textual.)
"""

from __future__ import annotations

from typing import Any

from tests.tui.helpers import add, ready, step_done, type_text, wait_for
from tests.tui.test_followup import static_text

MR_CAPUT, CT_THORAX = "SAA0AG", "SSC0AD"


async def test_a_problem_statement_does_not_outlive_the_service_that_asked_it(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "mr caput")
        assert app.session.draft.codes == [MR_CAPUT]
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "problemstilling" in app.screen.rows)
        app.screen.rows["problemstilling"].field.focus()
        await type_text(pilot, "Hodepine")
        await wait_for(pilot, lambda: app.session.draft.answers.get("problemstilling") == "Hodepine")

        await pilot.press("f3")
        await wait_for(pilot, lambda: app.current_mode == "order")
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.session.draft.codes == [])
        await add(pilot, "ct thorax")
        assert app.session.draft.codes == [CT_THORAX]

        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "siste_egfr" in app.screen.rows)
        row = app.screen.rows["problemstilling"]
        await wait_for(pilot, lambda: "Hodepine" in str(row.query_one(".question-error").content))
        assert row.field.value == ""  # asked afresh: the old answer is offered under it, not in it
        assert "Problemstilling" in static_text(app.screen, "#questions-missing")

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        assert "Hodepine" not in static_text(app.screen, "#review-summary")

        # taken on purpose: Ctrl+G in the field puts the offered answer in, as if typed
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions")
        row.field.focus()
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.session.draft.answers.get("problemstilling") == "Hodepine")
        assert row.field.value == "Hodepine"
        app.screen.rows["siste_egfr"].field.focus()
        await type_text(pilot, "60")
        await wait_for(pilot, lambda: "siste_egfr_dato" in app.screen.rows and app.screen.rows["siste_egfr_dato"].display)
        app.screen.rows["siste_egfr_dato"].field.focus()
        await type_text(pilot, "i går")
        app.screen.rows["kontrastallergi"].field.focus()
        await pilot.press("n")
        app.screen.fields["__modality__"].field.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.missing_answers() == [])
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")
        await step_done(pilot, "save")
        order = app.session.draft.order
        assert order.answer("problemstilling") == "Hodepine" and order.answer("pacemaker") is None
