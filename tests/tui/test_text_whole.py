"""Issue 18, item 1: what the secretary types or pastes reaches the lab whole.

Pilot walk-throughs against the sandbox over a real socket: a pasted text of three lines in
Kliniske opplysninger and a comment typed over two lines (Enter breaks the line) are on the
review and the order detail with every line, are stored so, and travel in the Rekvisisjon
with their line breaks. A paste with what XML cannot carry is refused whole, in place, with
its position; a paste of several lines into a field of one line is refused, never cut.

Pastes are posted to the app as the terminal's `Paste` event, so they take the app's own
route (`tui.keys`) to the focused field.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from textual import events

from tests.tui.conftest import make_client
from tests.tui.helpers import add, ready, step_done, type_text, wait_for
from tests.tui.test_followup import open_detail, static_text

CRP = "NPU19748"
NS = {"r": "http://www.kith.no/xmlstds/rekvisisjon/2012-02-15"}
PASTED = "Hoste i 3 uker.\r\nCRP 45 hos oss 01.12.\r\nAllergi: penicillin\r\n"  # as copied from a document
LINES = "Hoste i 3 uker.\nCRP 45 hos oss 01.12.\nAllergi: penicillin"


async def paste(pilot: Any, text: str) -> None:
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def test_lines_typed_and_pasted_reach_the_review_the_order_and_the_lab_whole(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    from tui.screens.questions import CLINICAL_KEY, PROBLEMSTILLING_KEY

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, CRP)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and CLINICAL_KEY in app.screen.fields)
        screen = app.screen
        screen.fields[CLINICAL_KEY].field.focus()
        await paste(pilot, PASTED)
        await wait_for(pilot, lambda: app.session.draft.clinical_info == LINES)
        screen.fields[PROBLEMSTILLING_KEY].field.focus()
        await type_text(pilot, "Ring før timen.")
        await pilot.press("enter")
        await type_text(pilot, "Bruker rullestol.")
        await wait_for(pilot, lambda: app.session.draft.comment == "Ring før timen.\nBruker rullestol.")

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        summary = static_text(app.screen, "#review-summary")
        for line in [*LINES.split("\n"), "Ring før timen.", "Bruker rullestol."]:
            assert line in summary
        await pilot.press("f6")
        await step_done(pilot, "save")
        await pilot.press("f8")  # before the labels: asked first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        await pilot.press("enter")
        await step_done(pilot, "collect")
        await pilot.press("f9")
        await step_done(pilot, "send")
        order = app.session.draft.order
        assert order.clinical_info == LINES and order.comment == "Ring før timen.\nBruker rullestol."

        client = make_client(settings)
        try:
            (lab,) = [m for m in await client.get_messages(order.id) if m.msg_type == "REQ_LAB"]
        finally:
            await client.aclose()
        req = etree.fromstring(lab.xml.encode("utf-8"))
        (info,) = req.xpath("//r:InfItem[r:Type/@V='OPPL']/r:Observation/r:Description", namespaces=NS)
        assert "".join(info.itertext()) == LINES
        assert req.xpath("string(//r:ReqComment)", namespaces=NS) == "Ring før timen.\nBruker rullestol."

        await pilot.press("f10")
        await wait_for(pilot, lambda: app.current_mode == "worklist")
        detail = await open_detail(pilot, order.id)
        await wait_for(pilot, lambda: "Allergi: penicillin" in static_text(detail, "#detail-overview"))
        shown = static_text(detail, "#detail-overview")
        for line in [*LINES.split("\n"), "Ring før timen.", "Bruker rullestol."]:
            assert line in shown


async def test_a_paste_is_refused_whole_with_the_position_of_what_a_message_cannot_carry(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    from tui.screens.questions import CLINICAL_KEY, DIAGNOSIS_TEXT_KEY

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, CRP)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and CLINICAL_KEY in app.screen.fields)
        screen = app.screen
        row = screen.fields[CLINICAL_KEY]
        row.field.focus()
        await type_text(pilot, "Hei")
        await paste(pilot, "Hoste i 3 uker.\nCRP\x07 45\x1b[31m rød\x1b[0m")
        await wait_for(pilot, lambda: row.error.display)
        error = str(row.error.content)
        assert "U+0007" in error and "linje 2, plass 4" in error and "ikke satt inn" in error
        assert row.field.value == "Hei" and app.session.draft.clinical_info == "Hei"  # nothing of it went in
        await paste(pilot, "Hoste\x1b[31m")
        await wait_for(pilot, lambda: "U+001B" in str(row.error.content))
        assert "plass 6" in str(row.error.content) and row.field.value == "Hei"

        # a field of one line takes no lines: refused, not cut to the first
        text = screen.fields[DIAGNOSIS_TEXT_KEY]
        text.field.focus()
        await paste(pilot, "Hoste\nFeber")
        await wait_for(pilot, lambda: text.error.display)
        assert "2 linjer" in str(text.error.content) and text.field.value == ""
        await paste(pilot, "Akutt bronkitt")
        await wait_for(pilot, lambda: app.session.draft.diagnosis_text == "Akutt bronkitt")
