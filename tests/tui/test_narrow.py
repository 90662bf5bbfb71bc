"""At 80x24 nothing the secretary checks is cut off (issue 18, item 12): the patient's sex
in the search results and in the banner (with the longest name of the seed), the requester
under it, and which services a worklist row holds. Read off the screen as she sees it."""

from __future__ import annotations

import re
from typing import Any

from ihr.rules.identifiers import format_person_id
from sandbox.seed import people
from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, FIXED_NOW, make_client
from tests.tui.helpers import ready, type_text, wait_for
from tests.tui.screenshots import Screen

LONGEST = max(people.seed_patients(), key=lambda p: len(p.display_name))


def screen(app: Any) -> Screen:
    return Screen.of(app.export_screenshot(), (app.size.width, app.size.height))


async def test_sex_and_requester_are_shown_for_the_longest_name(app_factory: Any) -> None:
    assert len(LONGEST.display_name) >= 50  # "Christophersen Fjellheim, Maria Kristine Elisabeth"
    sex = {"K": "kvinne", "M": "mann"}[LONGEST.sex]
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_text(pilot, LONGEST.family_name.split()[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#patient-results").row_count == 1)
        shot = screen(app)
        header = shot.lines[shot.row("Fødselsnummer")]
        row = shot.lines[shot.row(format_person_id(LONGEST.id))]
        assert "Kjønn" in header, shot.text
        assert row.rstrip().endswith(sex), shot.text
        assert f" {LONGEST.age_on(FIXED_NOW.date())} " in row

        await pilot.press("enter")  # the one found: open her
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order")
        await pilot.pause()
        shot = screen(app)
        first, second = shot.lines[0], shot.lines[1]
        assert format_person_id(LONGEST.id) in first and f"{LONGEST.age_on(FIXED_NOW.date())} år" in first
        assert first.rstrip().endswith(sex), shot.text
        assert second.lstrip().startswith("Rekvirent:"), shot.text  # not pushed off by a wrapped line
        assert first.lstrip().startswith(LONGEST.family_name.split()[0])  # the name, shortened at its end


async def test_a_worklist_row_says_every_service_or_how_many_more(app_factory: Any, settings: Any) -> None:
    from ihr.models import ItemInput, OrderInput

    codes = ["NPU19748", "NPU19763", "NPU27300", "NPU03429"]  # P-CRP, P-Ferritin, B-HbA1c, P-Natrium
    client = make_client(settings)
    try:
        order = await client.create_order(
            OrderInput(patient_id=people.DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR,
                       office_her_id=DEMO_OFFICE_HER_ID, items=[ItemInput(service_code=c) for c in codes]),
            idempotency_key="fire-analyser",
        )
    finally:
        await client.aclose()
    names = [item.name for req in order.requisitions for item in req.items]
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded and app.screen.shown)
        await pilot.pause()
        shot = screen(app)
        row = shot.lines[shot.row(order.created_at.astimezone(FIXED_NOW.tzinfo).strftime("%H:%M"))]
        shown = [name for name in names if name in row]
        more = re.search(r"\+(\d+)\b", row)
        assert shown == names[: len(shown)] and shown, row  # whole names, in order
        assert len(shown) == len(names) or (more is not None and len(shown) + int(more[1]) == len(names)), row
        assert "…" not in row.split("lagret")[0].split(names[0])[1], row  # no name cut in the middle


def test_services_text_keeps_whole_names_and_counts_the_rest() -> None:
    from tui.present import services_text

    names = ["P-CRP", "P-Ferritin", "B-HbA1c", "P-Natrium"]
    assert services_text(names, 80) == "P-CRP, P-Ferritin, B-HbA1c, P-Natrium"
    assert services_text(names, 21) == "P-CRP, P-Ferritin +2"
    assert services_text(names, 8) == "P-CRP +3"
    assert services_text(names, 6) == "P-… +3"
    assert services_text(["P-Kolesterol"], 8) == "P-Koles…"
    assert services_text([], 8) == ""
