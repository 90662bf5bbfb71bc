"""The worklist narrowed to the work: a requisition number column, filters by status (F8),
by day (F9) and a search by requisition number or specimen id (Ctrl+F), the filter in the
header. Pilot against the sandbox over a real socket; its clock is set two hours before the
app's, so an order sent then has waited over an hour for the lab's receipt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.tui.conftest import FIXED_NOW
from tests.tui.helpers import type_text, wait_for
from tests.tui.test_followup import (  # noqa: F401  (fixtures: the sandbox on a hand-moved clock)
    FakeClock,
    _fast_polling,
    clock,
    make_order,
    open_worklist,
    sandbox,
    static_text,
)


async def test_filters_day_and_search_narrow_the_worklist(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    clock.advance(-2 * 3600)  # the orders were made and sent at 07:30, the app's clock says 09:30
    unsent = await make_order(settings, ["NPU19748"])
    sent = await make_order(settings, ["NPU19748", "NPU14924"], send=True)  # no tube taken, no receipt
    assert sent.status == "sendt"
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        worklist = await open_worklist(pilot)
        await wait_for(pilot, lambda: len(worklist.shown) == 2)
        table = worklist.query_one("#worklist")
        assert str(table.get_cell(sent.id, "number")) == sent.requisitions[0].number

        def listed() -> set[str]:
            return {s.id for s in worklist.shown}

        expected = [
            ("lagret, ikke sendt", {unsent.id}),
            ("venter på prøve", {unsent.id, sent.id}),
            ("sendt, ingen kvittering på over en time", {sent.id}),
            ("avvist", set()),
        ]
        for name, ids in expected:
            await pilot.press("f8")
            await wait_for(pilot, lambda name=name: f"filter: {name}" in static_text(worklist, "#worklist-title"))
            assert listed() == ids, name
        await pilot.press("f8")  # all again
        await wait_for(pilot, lambda: "filter:" not in static_text(worklist, "#worklist-title") and len(listed()) == 2)

        await pilot.press("ctrl+f")
        await type_text(pilot, sent.specimens[1].id)
        await wait_for(pilot, lambda: listed() == {sent.id})
        assert f"søk: {sent.specimens[1].id}" in static_text(worklist, "#worklist-title")
        await pilot.press("ctrl+u")  # the search emptied
        await type_text(pilot, unsent.requisitions[0].number.lower())
        await wait_for(pilot, lambda: listed() == {unsent.id})
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: len(listed()) == 2)

        worklist.query_one("#worklist").focus()
        await pilot.press("f9")  # yesterday: none of today's orders
        yesterday = (FIXED_NOW - timedelta(days=1)).strftime("%d.%m.%Y")
        await wait_for(pilot, lambda: worklist.loaded and yesterday in static_text(worklist, "#worklist-title"))
        assert listed() == set()
