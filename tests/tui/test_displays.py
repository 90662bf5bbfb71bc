"""Issue 18, items 10 and 12: each display says what is so.

Pilot walk-throughs against the sandbox over a real socket, on the clock of
tests/tui/test_followup.py (the labs answer when the test moves it).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.tui.conftest import FIXED_NOW
from tests.tui.helpers import type_text, wait_for
from tests.tui.test_followup import (  # noqa: F401  (fixtures: the sandbox on the test's clock, fast polling)
    _fast_polling,
    clock,
    make_order,
    open_detail,
    open_worklist,
    sandbox,
    static_text,
)

CRP, NATRIUM = "NPU19748", "NPU03429"  # both heparin plasma: P-Natrium can be added to the CRP tube


def message_lines(detail: Any) -> dict[int, str]:
    """The message list: number -> heading and summary, one line."""
    text = static_text(detail, "#detail-messages")
    found: dict[int, str] = {}
    current = 0
    for line in text.splitlines():
        head = re.match(r"^(\d+)\. ", line)
        if head:
            current = int(head.group(1))
            found[current] = line.strip()
        elif current and line.strip():
            found[current] += "  " + line.strip()
    return found


async def test_after_an_add_on_each_message_counts_the_analyses_it_carried(app_factory: Any, settings: Any) -> None:
    order = await make_order(settings, [CRP, "NOR05172"], collected_at=FIXED_NOW - timedelta(minutes=30), send=True)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        crp_tube = next(s.id for s in order.specimens if CRP in s.service_codes)
        dialog.query_one("#addon-specimens").focus()
        for _ in range(len(order.specimens)):
            if dialog.specimen_id == crp_tube:
                break
            await pilot.press("down")
        assert dialog.specimen_id == crp_tube
        dialog.query_one("#addon-search").focus()
        await type_text(pilot, NATRIUM)
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter", "f7")
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: "Tillegg" in static_text(detail, "#detail-messages"))
        lines = message_lines(detail)
        xml = {i: m.xml for i, m in enumerate(detail.messages, 1)}
        new = next(i for i, line in lines.items() if "REQ_LAB Ny" in line)
        added = next(i for i, line in lines.items() if "REQ_LAB Tillegg" in line)
        assert xml[new].count("<Investigation>") == 2 and "2 analyser" in lines[new]  # as sent, before the add-on
        assert "lagt til" not in lines[new]
        assert xml[added].count("<Investigation>") == 3 and "3 analyser (1 lagt til)" in lines[added]


async def test_a_tube_registered_in_the_order_detail_before_sending_completes_the_review(app_factory: Any) -> None:
    """Ctrl+T in the order detail registers the urine before the order is sent: the review no
    longer says "delvis prøvetatt", and F9 says nothing of tubes to come (it said "Ikke tatt
    ennå: ." with an empty list)."""
    from tests.tui.helpers import saved_on_review, step_done

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        order = await saved_on_review(pilot, "crp", "hb", "u-strimmel")
        await pilot.press("f7")
        await step_done(pilot, "print")
        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        await pilot.press("down", "down", "space", "enter")  # the urine (Rør 3/3) comes later
        await wait_for(pilot, lambda: app.session.draft.steps["collect"].state == "partial")

        await pilot.press("f10")  # the worklist, from the review
        await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded)
        detail = await open_detail(pilot, order.id)
        await pilot.press("ctrl+t")  # the urine came back
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Delvis" not in static_text(detail, "#detail-overview"))

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        steps = " ".join(static_text(app.screen, "#review-steps").split())
        assert "delvis prøvetatt" not in steps and "mangler" not in steps
        assert "Registrer prøvetaking ferdig Prøvetaking registrert for 3 rør" in steps
        await pilot.press("f9")
        await step_done(pilot, "send")
        sent = app.session.draft.steps["send"].text
        assert sent == "Sendt: 1 rekvisisjon." and "Ikke tatt ennå" not in static_text(app.screen, "#status")


def box_cells(shot: Any, needle: str) -> str:
    """The checkbox drawn on the first line with `needle` (three cells, before the text)."""
    box = re.compile(r"(\[.\]|▐.▌)\s+" + re.escape(needle))
    found = next((m for m in map(box.search, shot.lines) if m), None)
    assert found, shot.text
    return found.group(1)


async def test_in_16_colours_a_ticked_box_reads_apart_from_an_unticked_one(app_factory: Any, settings: Any) -> None:
    """Issue 18, item 10: the reprint and cancel lists drew "▐X▌" for both, apart by colour only."""
    from tests.tui.test_small_defects import screen

    order = await make_order(settings, [CRP, "NOR05172"], send=True)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await pilot.press("f6")  # reprint: every label ticked; Space unticks the first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        await pilot.press("space")
        await pilot.pause()
        shot = screen(app, 16)
        unticked, ticked = box_cells(shot, "Rør 1/2"), box_cells(shot, "Rør 2/2")
        assert unticked.strip() and ticked.strip() and unticked != ticked, (unticked, ticked)
        labels = app.screen.query_one("#reprint-labels")
        assert labels.checked == [value for _, value in labels.lines[1:]]  # what it shows is what it prints
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)

        await pilot.press("f8")  # cancel: nothing ticked; Down Space ticks the first item
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        await pilot.press("down", "space")
        await pilot.pause()
        shot = screen(app, 16)
        whole, first, second = (box_cells(shot, name) for name in ("Hele rekvisisjon", "P-CRP", "B-Hemoglobin"))
        assert first != whole and first != second and whole == second, (whole, first, second)


async def test_a_collection_time_too_long_before_the_order_is_refused_in_the_dialog(
    app_factory: Any, settings: Any
) -> None:
    """Ctrl+T in the order detail: a time more than a day before the order is said in the dialog,
    which stays open with what was typed (the service refused it only after it had closed)."""
    from tests.tui.helpers import type_text as typed

    order = await make_order(settings, [CRP], send=True)  # made FIXED_NOW, its tube not taken
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        dialog = app.screen
        field = dialog.query_one("#collect-time")
        field.focus()
        field.value = ""
        await typed(pilot, "18.11.2026 09:00")
        await pilot.press("f8")
        await wait_for(pilot, lambda: "før bestillingen ble laget" in static_text(dialog, "#collect-error"))
        assert app.screen is dialog and field.value == "18.11.2026 09:00"
        field.value = ""
        await typed(pilot, "20.11.2026 08:45")  # this morning: fine
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: detail.order.specimens[0].collected_at is not None)


async def test_f9_on_an_unsent_order_in_the_order_view_sends_it_after_a_yes(app_factory: Any, settings: Any) -> None:
    """F9 "Rett og send" on an order saved but not sent did nothing (its key was disabled): an
    order whose draft is gone could then never be sent."""
    from tests.tui.test_workflow import fetch_order

    order = await make_order(settings, [CRP])  # saved, never sent
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        assert app.screen.question == "Bestillingen er lagret, men ikke sendt til laboratoriet. Sende den nå?"
        await pilot.press("n")  # no: nothing sent
        await wait_for(pilot, lambda: app.screen is detail)
        assert (await fetch_order(settings, order.id)).status.value == "lagret"
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: app.screen is detail and "Sendt: 1 rekvisisjon." in static_text(detail, "#status"))
        await wait_for(pilot, lambda: detail.order.status.value != "lagret")
    assert (await fetch_order(settings, order.id)).status.value in ("sendt", "transportkvittert")



async def test_the_reviews_page_down_is_in_the_key_bar_and_pages(app_factory: Any) -> None:
    """Issue 18, item 12: at 80x24 the review's body is taller than its room; PgDn was not named."""
    from tests.tui.helpers import saved_on_review

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await saved_on_review(pilot, "crp", "hb", "homocystein")
        keys = " ".join(static_text(app.screen, "KeyBar").split())
        assert "PgDn Bla ned" in keys, keys
        body = app.screen.query_one("#review-body")
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("pageup")
        await wait_for(pilot, lambda: body.scroll_y == 0)


async def test_ctrl_u_opens_the_print_queue_outside_the_review(app_factory: Any) -> None:
    """Issue 18, item 12: Ctrl+U worked only on the review, though the start-up notice names it."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintQueueDialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "worklist" and type(app.screen).__name__ == "WorklistScreen")


async def test_a_result_ready_order_says_the_result_is_in_the_journal(
    app_factory: Any, settings: Any, sandbox: Any, clock: Any  # noqa: F811
) -> None:
    """Issue 18, item 10: "svar klart" stood beside "Ingen svar." (no answers to questions)."""
    from tests.tui.test_followup import step

    order = await make_order(settings, [CRP], collected_at=FIXED_NOW - timedelta(minutes=10), send=True)
    step(sandbox, clock, 5)  # received, analysed: svar klart
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await wait_for(pilot, lambda: detail.order.status.value == "svar_klart")
        head = " ".join(static_text(detail, "#detail-head").split())
        assert "svar klart – se svaret i journalen (EPJ)" in head, head
        overview = static_text(detail, "#detail-overview")
        assert "Ingen svar." not in overview and "Ingen spørsmål besvart." in overview


async def test_the_cancel_reason_is_ours_not_the_labs_reply(app_factory: Any, settings: Any) -> None:
    """Issue 18, item 10: the timeline read "Venter på svar fra laboratoriet: Dobbeltbestilt"."""
    order = await make_order(settings, [CRP, "NOR05172"], send=True)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        dialog = app.screen
        await pilot.press("down", "space")
        dialog.query_one("#cancel-reason").focus()
        await type_text(pilot, "Dobbeltbestilt")
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen is detail and "Dobbeltbestilt" in static_text(detail, "#detail-timeline"))
        timeline = " ".join(static_text(detail, "#detail-timeline").split())
        assert "laboratoriet: Dobbeltbestilt" not in timeline
        assert "Årsak: Dobbeltbestilt. Venter på svar fra laboratoriet." in timeline, timeline
