"""Snapshots in 16 and 256 colours, at 80x24 and 120x36, of the screens whose look depends on
the palette or the width: the lists with a header and a highlighted row (catalog results,
patient search, worklist), the order detail's header, the questions with a unit.

`tests/tui/screenshots.py` reduces each screenshot as a 16- or 256-colour terminal shows it (the
true-colour snapshots are in test_snapshots.py and test_followup_snapshots.py). Update with
`uv run pytest tests/tui/test_snapshots_colours.py --snapshot-update`, render the SVGs to PNG
(`rsvg-convert`) and LOOK: in 16 colours the highlighted row must stand apart from the header.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.helpers import ready, type_text, wait_for
from tests.tui.screenshots import COLOURS, show_in
from tests.tui.test_followup import _fast_polling, clock, sandbox  # noqa: F401
from tests.tui.test_followup_snapshots import detail, orders, worklist
from tests.tui.test_small_defects import at_the_egfr_question
from tests.tui.test_snapshots import SIZES, basket


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", SIZES)
def test_order_builder(snap_compare: Any, app_factory: Any, monkeypatch: Any, size: Any, colours: int) -> None:
    """Results with the cursor on P-Vitamin B12 and its support panel (a note, no marker)."""
    show_in(monkeypatch, colours)

    async def run_before(pilot: Any) -> None:
        await basket(pilot)
        await type_text(pilot, "b12")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", SIZES)
def test_patient_search(snap_compare: Any, app_factory: Any, monkeypatch: Any, size: Any, colours: int) -> None:
    show_in(monkeypatch, colours)

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await type_text(pilot, "bjørnstad")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#patient-results").row_count > 0)
        pilot.app.screen.query_one("#patient-results").focus()
        await pilot.pause()

    assert snap_compare(app_factory(context=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", SIZES)
def test_worklist(
    snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, monkeypatch: Any, size: Any, colours: int  # noqa: F811
) -> None:
    show_in(monkeypatch, colours)

    async def run_before(pilot: Any) -> None:
        await orders(settings, sandbox, clock)
        await worklist(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", SIZES)
def test_detail_header(
    snap_compare: Any, app_factory: Any, settings: Any, sandbox: Any, clock: Any, monkeypatch: Any, size: Any, colours: int  # noqa: F811
) -> None:
    """The order detail's header: the whole requester, also at 80 columns."""
    show_in(monkeypatch, colours)

    async def run_before(pilot: Any) -> None:
        made = await orders(settings, sandbox, clock)
        await detail(pilot, made["accepted"])

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", SIZES)
def test_questions_with_a_unit(snap_compare: Any, app_factory: Any, monkeypatch: Any, size: Any, colours: int) -> None:
    """CT with contrast asks the last eGFR: its unit once, in the label."""
    show_in(monkeypatch, colours)

    assert snap_compare(app_factory(), terminal_size=size, run_before=at_the_egfr_question)
