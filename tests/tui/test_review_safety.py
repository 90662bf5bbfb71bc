"""Issue 18, item 6: F8 (collection) before the labels are printed asks first, and a failed
label print never lets a collection pass silently: tubes without labels get mixed up.

Real parts: the sandbox over loopback, the local SQLite file (print journal and queue). The
printer is `terminal:` in a headless app, which cannot be suspended for the terminal, so its
print fails (as in tests/tui/test_printing.py).
"""

from __future__ import annotations

from typing import Any

from tests.tui.helpers import saved_on_review, step_done, wait_for
from tests.tui.test_followup import static_text
from tests.tui.test_printing import build_app, print_step_settled, step
from tests.tui.test_workflow import fetch_order
from tui import strings as S


def screen_name(app: Any) -> str:
    return type(app.screen).__name__


async def test_collection_before_the_labels_are_printed_is_asked_and_a_failed_print_is_named(settings: Any) -> None:
    app = build_app(settings.copy_with(printer_url="terminal:"))
    async with app.run_test(size=(100, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")

        await pilot.press("f8")  # nothing printed yet
        await wait_for(pilot, lambda: screen_name(app) == "ConfirmDialog")
        assert app.screen.question == S.COLLECT_UNPRINTED
        await pilot.press("n")  # no: nothing registered, she is told why
        await wait_for(pilot, lambda: screen_name(app) == "ReviewScreen")
        assert S.COLLECT_PRINT_FIRST in static_text(app.screen, "#status")
        assert app.session.draft.steps["collect"].state == "pending"

        await pilot.press("f7")  # the print fails
        await print_step_settled(pilot)
        assert step(app)[0] == "failed"
        await pilot.press("f8")
        await wait_for(pilot, lambda: screen_name(app) == "ConfirmDialog")
        assert app.screen.question == S.COLLECT_PRINT_FAILED  # the failure is named
        await pilot.press("j")  # yes, all the same: the collection dialog as usual
        await wait_for(pilot, lambda: screen_name(app) == "CollectionDialog")
        await pilot.press("enter")
        await step_done(pilot, "collect")
        assert step(app)[0] == "failed"  # the print step still says the labels are not out
    stored = await fetch_order(settings, order.id)
    assert all(s.collected_at is not None for s in stored.specimens)


async def test_after_the_labels_are_printed_f8_asks_nothing(app_factory: Any) -> None:
    app = app_factory()  # the file printer
    async with app.run_test(size=(100, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await step_done(pilot, "print")
        await pilot.press("f8")
        await wait_for(pilot, lambda: screen_name(app) in ("CollectionDialog", "ConfirmDialog"))
        assert screen_name(app) == "CollectionDialog"
