"""Keys typed faster than the screen updates (a fast typist, a scanner) land where meant."""

from __future__ import annotations

from typing import Any

from textual import events

from tests.tui.helpers import add, on_questions, ready, type_text, wait_for


async def test_text_typed_right_after_tab_goes_to_the_next_field(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "hcg")
        await add(pilot, "rtg thorax")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        rows = app.screen.rows
        rows["siste_menstruasjon"].field.focus()
        await type_text(pilot, "i går")
        await pilot.pause()
        # one burst, as a terminal delivers it: Ctrl+U, Tab, text — no waiting in between
        for key, char in [("ctrl+u", None), ("tab", "\t"), *[(c, c) for c in "Hoste"]]:
            app.post_message(events.Key(key, char))  # as the driver queues them
        await pilot.pause(0.5)
        await wait_for(pilot, lambda: rows["problemstilling"].field.value == "Hoste")
        assert rows["siste_menstruasjon"].field.value == ""


async def test_backspace_in_a_burst_keeps_its_place(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        search = app.screen.query_one("#search")
        search.focus()
        for key, char in [("c", "c"), ("r", "r"), ("x", "x"), ("backspace", None), ("p", "p"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # as the driver queues them
        await wait_for(pilot, lambda: app.session.draft.codes == ["NPU19748"])  # P-CRP, not what "crx" finds
        assert search.value == ""


async def test_arrows_typed_in_the_search_field_move_the_results_in_a_burst(app_factory: Any) -> None:
    """"ct", Down, Enter: the second result goes into the basket, typed slowly or in a burst."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        results = app.screen.query_one("#results")
        await type_text(pilot, "ct")
        await wait_for(pilot, lambda: len(results.rows) > 2)
        second = results.rows[1].code
        await pilot.press("down", "enter")  # one at a time
        await wait_for(pilot, lambda: app.session.draft.codes == [second])
        await type_text(pilot, "ct")
        await wait_for(pilot, lambda: len(results.rows) > 2 and results.cursor_row == 0)
        third = results.rows[2].code
        for key, char in [("pagedown", None), ("pageup", None), ("down", None), ("down", None), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # one burst
        await wait_for(pilot, lambda: len(app.session.draft.codes) == 2)
        assert app.session.draft.codes == [second, third]


async def test_a_question_brought_up_in_a_burst_takes_the_keys_typed_after_tab(app_factory: Any) -> None:
    """"j" (a metal implant), Tab, "Hi" in one burst: "Beskriv implantatet" appears below the
    answer, and Tab goes to it, not past it to the next question."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, "mr caput", showing="metallimplantat")
        rows = app.screen.rows
        assert not rows["implantat_beskrivelse"].display
        rows["metallimplantat"].field.focus()
        await pilot.pause()
        for key, char in [("j", "j"), ("tab", "\t"), ("H", "H"), ("i", "i")]:
            app.post_message(events.Key(key, char))  # as the driver queues them
        await wait_for(pilot, lambda: rows["implantat_beskrivelse"].field.value == "Hi")
        assert app.focused is rows["implantat_beskrivelse"].field
        assert app.session.draft.answers.get("insulinpumpe") is None
