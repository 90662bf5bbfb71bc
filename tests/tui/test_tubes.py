"""Issue 11: one tube numbering on screen and label, and collection per tube.

Real parts: the sandbox over loopback, the local SQLite file, the file printer (its ZPL is
read back), the KITH message the sandbox sent to the lab, checked against the official XSDs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ihr.localtime import OSLO
from tests.kith.conftest import SCHEMA_DIR
from tests.tui.conftest import FIXED_NOW
from tests.tui.helpers import saved_on_review, step_done, wait_for
from tests.tui.test_followup import open_detail, static_text
from tests.tui.test_workflow import fetch_order

# CRP (heparin, rank 3), Hb and homocystein (two EDTA tubes, both rank 4): the labels used
# to say "Rør 3", "Rør 4", "Rør 4" while the review said 1, 2, 3.
SAME_RANK = ("crp", "hb", "homocystein")


async def worklist(pilot: Any) -> None:
    app = pilot.app
    await pilot.press("f10")
    await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded)


def numbers_by_id(text: str, ids: list[str], pattern: str) -> dict[str, str]:
    """For each specimen id: the tube number on the line that names it (`pattern` finds it)."""
    found = {}
    for line in text.splitlines():
        for sid in ids:
            if sid in line:
                match = re.search(pattern, line)
                assert match, line
                found[sid] = match.group(1)
    return found


def zpl_by_id(spool: Path) -> dict[str, str]:
    """Specimen id (its barcode) -> the ZPL of its label, from every job the printer got."""
    found = {}
    for job in spool.glob("*.zpl"):
        for label in job.read_text(encoding="utf-8").split("^XA")[1:]:
            barcode = re.search(r"\^BC[^\^]*\^FH\^FD([^\^]+)\^FS", label)
            assert barcode, label
            found[barcode.group(1)] = label
    return found


def labels_by_id(spool: Path) -> dict[str, str]:
    """Specimen id -> the "n/m" printed on its label."""
    found = {}
    for sid, label in zpl_by_id(spool).items():
        tube = re.search(r"Rør (\d+/\d+)", label)
        assert tube, label
        found[sid] = tube.group(1)
    return found


async def test_the_tube_numbers_on_screen_and_on_every_label_agree(app_factory: Any, spool: Path) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        order = await saved_on_review(pilot, *SAME_RANK)
        ids = [s.id for s in order.specimens]
        assert len(ids) == 3 and sorted(s.order_of_draw for s in order.specimens) == [3, 4, 4]
        review = numbers_by_id(static_text(app.screen, "#review-tubes"), ids, r"^\s*(\d+)\s")
        assert sorted(review.values()) == ["1", "2", "3"]

        await pilot.press("f7")
        await step_done(pilot, "print")
        printed = labels_by_id(spool)
        assert printed == {sid: f"{n}/3" for sid, n in review.items()}  # the same number, every label

        await pilot.press("f8")  # the collection dialog numbers them so too
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        listed = app.screen.query_one("#collect-tubes").lines
        assert numbers_by_id("\n".join(line for line, _ in listed), ids, r"Rør (\d+)/3") == review
        await pilot.press("escape")

        await worklist(pilot)
        detail = await open_detail(pilot, order.id)
        tubes = [line for line in static_text(detail, "#detail-overview").splitlines() if "Rør " in line]
        shown = numbers_by_id("\n".join(tubes), ids, r"Rør (\d+)/3")  # the specimens, not the items
        assert shown == review


async def test_two_of_three_tubes_now_the_urine_later(
    app_factory: Any, settings: Any, spool: Path
) -> None:
    from ihr.kith import validate

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        order = await saved_on_review(pilot, "crp", "hb", "u-strimmel")
        urine = next(s for s in order.specimens if s.material == "Urin")
        assert urine.order_of_draw == 9  # the last of three: Rør 3/3

        await pilot.press("f8")  # before the labels: asked first (issue 18, item 6)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        tubes = app.screen.query_one("#collect-tubes")
        assert tubes.checked == [s.id for s in sorted(order.specimens, key=lambda s: s.order_of_draw)]  # all
        await pilot.press("down", "down", "space")  # the urine comes later
        assert urine.id not in tubes.checked and len(tubes.checked) == 2
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.draft.steps["collect"].state == "partial")
        steps = static_text(app.screen, "#review-steps")
        assert "delvis prøvetatt" in steps and "mangler Rør 3/3 (Urinrør" in steps
        assert "20.11.2026 09:30" in steps  # Europe/Oslo, the app's clock

        await pilot.press("f7")  # every label now, the urine's to go with the patient, its time blank
        await step_done(pilot, "print")
        taken = {sid: re.search(r"Tatt: ([^\^]*)\^FS", label).group(1)
                 for sid, label in zpl_by_id(spool).items()}
        assert taken.pop(urine.id).startswith("_5F_5F")  # "____" to write in (ZPL-escaped)
        assert set(taken.values()) == {"20.11.26 09:30"}

        await pilot.press("f9")  # sending is allowed with a tube still open, and says so
        await step_done(pilot, "send")
        assert "Ikke tatt ennå: Rør 3/3" in app.session.draft.steps["send"].text

        messages = await app.client.get_messages(order.id)
        lab = [m for m in messages if m.direction == "ut"]
        assert lab
        if SCHEMA_DIR.is_dir():  # the official XSDs (not shipped with the project; tests/kith)
            assert all(validate(m.xml.encode(), "msghead", SCHEMA_DIR) == [] for m in lab)
        xml = "".join(m.xml for m in lab)
        assert xml.count("<CollectedDate") == 2 and xml.count("<RequestedSubject") == 1
        assert re.search(rf"RequestedSubject>.*?<IdByServProv>{urine.id}<", xml, re.S)

        await worklist(pilot)  # the list says it too: two of three tubes taken
        rows = app.screen.query_one("#worklist")
        await wait_for(pilot, lambda: str(rows.get_cell(order.id, "tubes")) == "2/3")
        detail = await open_detail(pilot, order.id)
        assert "Delvis prøvetatt – mangler Rør 3/3 (Urinrør" in static_text(detail, "#detail-overview")
        await pilot.press("ctrl+t")  # the urine came back
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        assert [sid for _, sid in app.screen.tubes] == [urine.id]  # only the open tube
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Delvis" not in static_text(detail, "#detail-overview"))
        overview = static_text(detail, "#detail-overview")
        assert overview.count("tatt 20.11.26 09:30 av Test Sekretær") == 3  # Norwegian time, each tube

    final = await fetch_order(settings, order.id)
    assert all(s.collected_at == FIXED_NOW.astimezone(OSLO) for s in final.specimens)
