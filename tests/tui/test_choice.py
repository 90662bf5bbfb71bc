"""The one-line choice of the guided questions: one key answers, and a burst keeps its order."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App, ComposeResult

from tests.tui.helpers import add, ready, wait_for
from tui.widgets.choice import ChoiceField

YES_NO = [("Ja", "ja"), ("Nei", "nei")]
SITES = [("Førstestråleurin", "urin"), ("Cervix", "cervix"), ("Urethra", "urethra"), ("Rektum", "rektum")]


class Form(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield ChoiceField(YES_NO, id="gravid")
        yield ChoiceField(SITES, "cervix", id="sted")

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        self.changes.append((event.field.id or "", event.value))


def field(app: Form, name: str) -> ChoiceField:
    return app.query_one(f"#{name}", ChoiceField)


async def test_a_letter_answers_and_shows_the_answer() -> None:
    app = Form()
    async with app.run_test() as pilot:
        gravid = field(app, "gravid")
        assert gravid.value is None and "Velg" in str(gravid.render())
        assert "j/n" in str(gravid.render())  # the keys, as a hint
        await pilot.press("n")
        assert gravid.value == "nei" and "Nei" in str(gravid.render())
        await pilot.press("J")
        assert gravid.value == "ja"
        assert app.changes == [("gravid", "nei"), ("gravid", "ja")]


async def test_arrows_step_and_wrap_backspace_clears_digits_do_nothing() -> None:
    app = Form()
    async with app.run_test() as pilot:
        app.query_one("#sted").focus()
        sted = field(app, "sted")
        assert sted.value == "cervix"  # the answer given before
        await pilot.press("right", "right")
        assert sted.value == "rektum"
        await pilot.press("right")
        assert sted.value == "urin"  # wrapped
        await pilot.press("left")
        assert sted.value == "rektum"
        await pilot.press("1", "2", "3")  # a scanner's digits: no answer changes
        assert sted.value == "rektum"
        await pilot.press("backspace")
        assert sted.value is None
        await pilot.press("left")
        assert sted.value == "rektum"  # from none, Left is the last
        await pilot.press("u")
        assert sted.value == "urethra"  # the one beginning with U ("Førstestråleurin" does not)
        await pilot.press("u")
        assert sted.value == "urethra"
        assert "←/→" not in str(sted.render()) and "f/c/u/r" in str(sted.render())


async def test_a_burst_of_answers_and_tabs_lands_where_it_was_typed(app_factory: Any) -> None:
    """On the questions screen: "n", Tab, "j" in one burst answers fastende Nei and gravid Ja."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "glukose")
        await add(pilot, "hcg")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        rows = app.screen.rows
        rows["fastende"].field.focus()
        await pilot.pause()
        for key, character in (("n", "n"), ("tab", "\t"), ("j", "j")):  # no awaiting between
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: "gravid" in app.session.draft.answers)
        assert app.session.draft.answers["fastende"] is False
        assert app.session.draft.answers["gravid"] is True
        assert rows["svangerskapsuke"].display  # asked now that she is pregnant


async def test_two_options_with_the_same_letter_are_reached_in_turn() -> None:
    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield ChoiceField([("Før menopause", "for"), ("Etter menopause", "etter"), ("Før puberteten", "pub")])

    app = Two()
    async with app.run_test() as pilot:
        choice: Any = app.query_one(ChoiceField)
        choice.focus()
        await pilot.press("f")
        assert choice.value == "for"
        await pilot.press("f")
        assert choice.value == "pub"
        await pilot.press("f")
        assert choice.value == "for"
        assert "←/→" in str(choice.render())  # two share a letter: the arrows are the hint
