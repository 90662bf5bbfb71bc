"""Issue 11's smaller desk defects, read off the screen as the secretary sees it.

- In 16 colours the highlighted row must not look like the column header.
- At 80x24 the order detail's header shows the whole requester.
- The eGFR unit is shown once: on the questions screen, in the review, the order detail and
  the KITH message.
(No developer marker in catalog texts: tests/seed/test_seed.py.)
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from tests.tui.conftest import make_client
from tests.tui.helpers import add, ready, type_text, wait_for
from tests.tui.screenshots import Screen, in_colours
from tests.tui.test_followup import (  # noqa: F401
    _fast_polling,
    clock,
    make_order,
    open_detail,
    open_worklist,
    sandbox,
)

EGFR_UNIT = "ml/min/1,73m²"


def screen(app: Any, colours: int | None = None) -> Screen:
    """What the terminal shows now (in true colour, or reduced to `colours` colours)."""
    svg = app.export_screenshot()
    return Screen.of(in_colours(svg, colours) if colours else svg, (app.size.width, app.size.height))


async def at_the_egfr_question(pilot: Any) -> None:
    """CT with contrast in the basket, the questions shown, the eGFR field focused."""
    app = pilot.app
    await ready(pilot)
    await add(pilot, "ct abdomen med kontrast")
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.current_mode == "questions" and "siste_egfr" in app.screen.rows)
    app.screen.rows["siste_egfr"].field.focus()
    await pilot.pause()


def assert_rows_apart(app: Any, header: str, cursor: str) -> None:
    """The header line and the highlighted line differ in background, at 16 and 256 colours."""
    for colours in (16, 256):
        shot = screen(app, colours)
        h, c = shot.row(header), shot.row(cursor)
        col = shot.lines[h].index(header)
        assert shot.backgrounds[h][col] != shot.backgrounds[c][col], (colours, shot.backgrounds[h][col])


async def test_in_16_colours_the_highlighted_row_is_not_the_header(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_text(pilot, "b12")  # the search field has focus, the list its cursor
        await wait_for(pilot, lambda: "NPU01700" in screen(app).text)
        assert_rows_apart(app, "Kode", "NPU01700")
        app.screen.query_one("#results").focus()
        await pilot.pause()
        assert_rows_apart(app, "Kode", "NPU01700")


async def test_in_16_colours_the_highlighted_patient_is_not_the_header(app_factory: Any) -> None:
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_text(pilot, "bjørnstad")
        await pilot.press("enter")
        table = app.screen.query_one("#patient-results")
        await wait_for(pilot, lambda: table.row_count > 0 and table.has_focus)
        assert_rows_apart(app, "Fødselsnummer", "178590")
        app.screen.query_one("#patient-query").focus()  # back to the field: the table's cursor blurred
        await pilot.pause()
        assert_rows_apart(app, "Fødselsnummer", "178590")


async def test_the_order_detail_header_shows_the_whole_requester(app_factory: Any, settings: Any) -> None:
    order = await make_order(settings, ["NPU19748"])
    requester = f"Rekvirent: {order.requester.name} (HPR {order.requester.hpr})"
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        await open_detail(pilot, order.id)
        await pilot.pause()
        shot = screen(app)
        assert requester in shot.lines[shot.row("Rekvirent:")]  # on a line of its own
        assert "Pasient:" in shot.text
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        shot = screen(app)
        line = shot.lines[shot.row("Pasient:")]
        assert requester in line  # wide enough: patient and requester share the line


async def test_the_egfr_unit_is_shown_once_when_asked_and_in_the_review(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 50)) as pilot:
        await at_the_egfr_question(pilot)
        assert screen(app).text.count(EGFR_UNIT) == 1  # the label; not the text or the field again
        await type_text(pilot, "62")
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.session.draft.answers.get("siste_egfr") == 62)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        shot = screen(app)
        line = shot.lines[shot.row("Siste eGFR")]
        assert line.strip() == f"Siste eGFR: 62 {EGFR_UNIT}"


async def test_the_egfr_unit_is_shown_once_in_the_order_detail_and_the_message(app_factory: Any, settings: Any) -> None:
    answers = {
        "problemstilling": "Magesmerter, spørsmål om abscess",
        "siste_egfr": 62,
        "siste_egfr_dato": "2026-11-18",
        "kontrastallergi": False,
    }
    order = await make_order(settings, ["SSD0AD"], answers=answers, send=True)
    client = make_client(settings)
    try:
        sent = [m for m in await client.get_messages(order.id) if m.direction == "ut"]
    finally:
        await client.aclose()
    info = etree.fromstring(sent[0].xml.encode()).xpath(
        "//*[local-name()='InfItem']//*[local-name()='Description']/text()"
    )
    assert f"Siste eGFR: 62 {EGFR_UNIT}" in info
    app = app_factory()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_worklist(pilot)
        await open_detail(pilot, order.id)
        await pilot.pause()
        shot = screen(app)
        assert shot.lines[shot.row("Siste eGFR")].strip() == f"Siste eGFR: 62 {EGFR_UNIT}"


async def test_at_80_columns_no_key_in_the_key_bar_is_apart_from_its_name(app_factory: Any) -> None:
    """The key bar wraps between keys: "F10" at the end of a line and "Arbeidsliste" on the
    next was Rich wrapping at the non-breaking space."""
    import re

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for key, marker in (("f3", "Grupper"), ("f5", "Ny bestilling"), ("f10", "Bytt liste")):
            await pilot.press(key)
            await wait_for(pilot, lambda: marker in screen(app).text)
            bar = screen(app).lines[-3:]
            assert not [line for line in bar if re.search(r"(F\d+|Ctrl\+\w|Esc|Enter)\s*$", line)], bar
