"""Issue 18, items 9 and 12, the questions screen (F4) as a form, at 80x24.

F4 on a basket without guided questions puts the cursor in the first of the requisition's
fields and says so; the field with focus stays in sight when the screen comes back and when
the "Dette mangler" panel below grows; the problem statement (and every text field of
several lines) shows the whole text, not its tail; the diagnosis text says it is needed with
a code; an imaging referral's comment is not "til laboratoriet". Pilot against the sandbox.
"""

from __future__ import annotations

from typing import Any

from tests.tui.helpers import add, on_questions, ready, type_text, wait_for
from tests.tui.test_followup import static_text
from tui import strings as S

CRP = "NPU19748"


def in_sight(screen: Any, field: Any) -> bool:
    """The field lies wholly inside the scrolled area's visible part."""
    area = screen.query_one("#questions").region
    return field.region.height > 0 and area.y <= field.region.y and field.region.bottom <= area.bottom


async def test_f4_without_questions_puts_the_cursor_in_the_first_field_and_says_so(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    from tui.screens.questions import PROBLEMSTILLING_KEY

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_questions(pilot, CRP, showing=PROBLEMSTILLING_KEY)
        comment = app.screen.fields[PROBLEMSTILLING_KEY].field
        await wait_for(pilot, lambda: app.focused is comment)
        assert static_text(app.screen, "#questions-info").strip() == S.QUESTIONS_NONE_FIELDS
        await type_text(pilot, "Fastende")
        await wait_for(pilot, lambda: app.session.draft.comment == "Fastende")


async def test_the_focused_field_stays_in_sight(app_factory: Any, settings: Any, sandbox: Any) -> None:
    from tui.screens.questions import COPY_OTHER_KEY

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await add(pilot, CRP)
        await add(pilot, "mr kne")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and COPY_OTHER_KEY in app.screen.fields)
        screen = app.screen
        for key in ("pacemaker", "intrakranielle_klips", "metall_i_oye", "cochleaimplantat", "nevrostimulator",
                    "metallimplantat"):
            screen.rows[key].field.focus()
            await pilot.press("n")
        screen.rows["problemstilling"].field.focus()
        await type_text(pilot, "Meniskskade?")
        screen.fields["__modality__"].field.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.missing_answers() == [])
        copy = screen.fields[COPY_OTHER_KEY].field
        copy.focus()
        await wait_for(pilot, lambda: in_sight(screen, copy))

        # the panel below grows with what is wrong (five bad HPR-numre): the field stays in sight
        await type_text(pilot, "1,2,3,4,5")
        await wait_for(pilot, lambda: static_text(screen, "#questions-missing").count("HPR") >= 5)
        await wait_for(pilot, lambda: in_sight(screen, copy))

        # away and back (F3, F4) with the form scrolled to its top meanwhile: back in sight
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.current_mode == "order")
        screen.query_one("#questions").scroll_home(animate=False)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and app.focused is copy)
        await wait_for(pilot, lambda: in_sight(screen, copy))


async def test_a_long_problem_statement_is_shown_whole_over_several_lines(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_questions(pilot, "mr kne", showing="problemstilling")
        field = app.screen.rows["problemstilling"].field
        field.focus()
        text = "Smerter og hevelse i høyre kne etter fall på ski for tre uker siden, låsninger. Menisk?"
        await type_text(pilot, text)
        await wait_for(pilot, lambda: app.session.draft.answers.get("problemstilling") == text)
        await wait_for(pilot, lambda: field.region.height >= 2)
        shown = " ".join(field.render_line(y).text.strip() for y in range(field.region.height))
        assert shown.startswith("Smerter og hevelse") and shown.endswith("Menisk?")


async def test_the_diagnosis_text_and_the_imaging_comment_say_what_they_are(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    from tui.screens.questions import DIAGNOSIS_TEXT_KEY, PROBLEMSTILLING_KEY

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, "mr kne", showing=PROBLEMSTILLING_KEY)
        screen = app.screen
        assert screen.fields[DIAGNOSIS_TEXT_KEY].field.placeholder == S.DIAGNOSIS_TEXT_HINT != S.OPTIONAL
        label = str(screen.fields[PROBLEMSTILLING_KEY].label.content)
        assert label.startswith(S.COMMENT_IMAGING) and "laboratoriet" not in label
        await pilot.press("f3")
        await add(pilot, CRP)
        await pilot.press("f4")
        await wait_for(pilot, lambda: str(screen.fields[PROBLEMSTILLING_KEY].label.content).startswith(S.COMMENT_BOTH))
