"""Snapshots of the worklist, the order detail and its dialogs at 80x24 and 120x36.

Deterministic data: a fresh sandbox on a clock the test moves (`step`), three orders made
the same way every run (a rejected one for a patient the lab does not know, an accepted
one with a taken sample, a saved one), the app's clock fixed, no cursor blinking.
Update with `uv run pytest tests/tui/test_followup_snapshots.py --snapshot-update` and LOOK.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.tui.conftest import FIXED_NOW, people
from tests.tui.helpers import ready, type_text, wait_for
from tests.tui.test_followup import _fast_polling, clock, make_order, open_detail, sandbox, step  # noqa: F401

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


async def orders(settings: Any, sb: Any, clk: Any) -> dict[str, Any]:
    unknown = sorted(people.LAB_UNKNOWN_PATIENT_IDS)[0]
    rejected = await make_order(settings, ["NPU19748"], patient=unknown, send=True)
    accepted = await make_order(
        settings, ["NOR05172", "NPU19748"], send=True, collected_at=FIXED_NOW - timedelta(hours=1)
    )
    saved = await make_order(settings, ["NPU03577"])
    step(sb, clk, 2)  # transport receipts, then the AppRecs
    return {"rejected": rejected, "accepted": accepted, "saved": saved}


async def worklist(pilot: Any) -> Any:
    await ready(pilot)
    await pilot.press("f10")
    app = pilot.app
    await wait_for(pilot, lambda: app.current_mode == "worklist" and len(app.screen.shown) == 3)
    await wait_for(pilot, lambda: any(s.status == "avvist" for s in app.screen.shown))
    await pilot.pause()
    return app.screen


async def detail(pilot: Any, order: Any) -> Any:
    await worklist(pilot)
    screen = await open_detail(pilot, order.id)
    await wait_for(pilot, lambda: bool(screen.events))
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_worklist(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        await orders(settings, sandbox, clock)
        await worklist(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_detail_rejected(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["rejected"])

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_detail_accepted(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        screen = await detail(pilot, made["accepted"])
        screen.query_one("#detail-body").scroll_end(animate=False)  # the timeline and the messages
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_reprint_dialog(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["accepted"])
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ReprintDialog")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_addon_dialog_refused(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["accepted"])
        await pilot.press("f7")
        app = pilot.app
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        assert dialog.specimen_id == made["accepted"].specimens[0].id  # the heparin tube, drawn first
        await type_text(pilot, "NPU02593")  # B-Leukocytter needs EDTA blood: refused on heparin plasma
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter", "f7")
        await wait_for(pilot, lambda: not dialog.busy and "EDTA" in str(dialog.query_one("#addon-error").content))
        await type_text(pilot, "kalium")
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_dialog(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["accepted"])
        await pilot.press("f8")
        app = pilot.app
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        await pilot.press("down", "space")
        app.screen.query_one("#cancel-reason").focus()
        await type_text(pilot, "Dobbeltbestilt")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_correct_dialog(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["rejected"])
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CorrectDialog")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_correct_dialog_with_answers(snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, size: Any) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        order = await make_order(settings, ["NPU02192"], requester="990100683", answers={"fastende": False}, send=True)
        step(sandbox, clock, 2)  # rejected: E20
        await ready(pilot)
        await pilot.press("f10")
        app = pilot.app
        await wait_for(pilot, lambda: app.current_mode == "worklist" and len(app.screen.shown) == 1)
        screen = await open_detail(pilot, order.id)
        await wait_for(pilot, lambda: bool(screen.events))
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CorrectDialog")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)
