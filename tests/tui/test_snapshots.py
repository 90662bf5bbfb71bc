"""Snapshots of every screen and dialog at 80x24 and 120x36, with deterministic data.

The sandbox runs on a fixed clock with a fresh database per test (so requisition numbers and
specimen ids are the same every run); the app's clock is fixed too; no cursor blinks.
Update with `uv run pytest tests/tui/test_snapshots.py --snapshot-update` and LOOK at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.helpers import add, palette_hits, ready, step_done, type_text, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


async def basket(pilot: Any) -> None:
    await ready(pilot)
    for q in ("crp", "hcg", "rtg thorax"):
        await add(pilot, q)


@pytest.mark.parametrize("size", SIZES)
def test_patient_search(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await type_text(pilot, "bjørnstad")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#patient-results").row_count > 0)
        await pilot.pause()

    assert snap_compare(app_factory(context=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_order_builder(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await basket(pilot)
        pilot.app.screen.query_one("#search").value = ""
        await type_text(pilot, "kol")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_groups_dialog(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "GroupsDialog")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_questions(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await basket(pilot)
        await pilot.press("f4")
        app = pilot.app
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        app.screen.rows["gravid"].field.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.draft.answers.get("gravid") is True)
        app.screen.rows["problemstilling"].field.focus()
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


async def _answered(pilot: Any) -> None:
    app = pilot.app
    await basket(pilot)
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
    app.screen.rows["gravid"].field.focus()
    await pilot.press("n")
    await wait_for(pilot, lambda: app.session.draft.answers.get("gravid") is False)
    app.screen.rows["problemstilling"].field.focus()
    await type_text(pilot, "Langvarig hoste, røyker")
    app.screen.fields["__modality__"].field.focus()  # asked on every imaging referral
    await pilot.press("j")
    await wait_for(pilot, lambda: app.session.draft.modality_change is True)
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.current_mode == "review")


@pytest.mark.parametrize("size", SIZES)
def test_review_before_save(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app_factory(), terminal_size=size, run_before=_answered)


@pytest.mark.parametrize("size", SIZES)
def test_review_saved_and_printed(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _answered(pilot)
        await pilot.press("f6")
        await step_done(pilot, "save")
        await pilot.press("f7")
        await step_done(pilot, "print")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_collection_dialog(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _answered(pilot)
        await pilot.press("f6")
        await step_done(pilot, "save")
        await pilot.press("f8")  # before the labels: asked first (issue 18, item 6)
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CollectionDialog")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HelpDialog")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_change_patient(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        from tests.tui.conftest import people

        await ready(pilot)
        await add(pilot, "crp")
        other = people.seed_patients()[1].id
        pilot.app.open_patient(other)
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmDialog")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_command_palette(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "NorwegianCommandPalette")
        await type_text(pilot, "skriv")
        await wait_for(pilot, lambda: palette_hits(pilot.app) == 3)  # the three the snapshot shows

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_group_name_dialog(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await basket(pilot)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "GroupNameDialog")
        await type_text(pilot, "Min gruppe")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_requester_dialog(snap_compare: Any, app_factory: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: pilot.app.current_mode == "review")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "RequesterDialog")
        doctors = pilot.app.screen.query_one("#requester-list")
        await wait_for(pilot, lambda: doctors.option_count > 1)  # the office's doctors have come
        await pilot.press("down")  # the first of them, into the field

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)
