"""Draft autosave: a crash in the middle of an order loses nothing.

Against the sandbox over a real socket. The crash is represented honestly: once the
autosave timer has written the draft (asserted by reading the SQLite file), the file is
copied as it stands, that copy is what the disk holds at the crash point, and the new app
starts on it. Whatever the first app does afterwards (its shutdown) never reaches the copy.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from client.drafts import DraftSnapshot, DraftStore
from tests.tui.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    fixed_clock,
    make_client,
    make_settings,
    people,
)
from tests.tui.helpers import add, handled, ready, saved_on_review, step_done, type_text, wait_for
from tui.app import make_app
from tui.context import LaunchContext
from tui.widgets.choice import ChoiceField

OTHER_PATIENT_ID: str = people.seed_patients()[1].id


def on_disk(db: Path, patient_id: str = DEMO_PATIENT_ID) -> DraftSnapshot | None:
    """The draft as a new process would read it from the file."""
    return DraftStore(db).get(patient_id, DEMO_OFFICE_HER_ID)


def copy_db(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def status(app: Any) -> str:
    return str(app.screen.query_one("#status").render())


def app_on(settings: Any, patient: str = DEMO_PATIENT_ID) -> Any:
    ctx = LaunchContext(patient, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    return make_app(settings, make_client(settings), context=ctx, clock=fixed_clock, owns_client=True)


async def test_crash_mid_order_restores_basket_and_answers(
    app_factory: Any, settings: Any, sandbox: Any, tmp_path: Path, spool: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert on_disk(settings.db_path) is None
        await add(pilot, "crp")
        await add(pilot, "hcg")
        await pilot.press("f8")  # haster
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        gravid = app.screen.rows["gravid"].field
        assert isinstance(gravid, ChoiceField)
        gravid.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.draft.answers.get("gravid") is True)
        app.screen.rows["svangerskapsuke"].field.focus()
        await type_text(pilot, "20")
        await wait_for(pilot, lambda: app.session.draft.answers.get("svangerskapsuke") == 20)
        # No flush forced: the autosave timer writes it by itself.
        await wait_for(
            pilot,
            lambda: (s := on_disk(settings.db_path)) is not None and s.answers.get("svangerskapsuke") == 20,
            timeout=5.0,
        )
        snap = on_disk(settings.db_path)
        assert snap is not None
        assert [code for code, _ in snap.items] == ["NPU19748", "NPU01951"]
        assert snap.priority == "haster"
        assert snap.raw_answers["svangerskapsuke"] == "20"
        assert snap.requester_hpr == DEMO_REQUESTER_HPR and snap.idempotency_key  # the draft's own key, before any save
        # ---- the crash point: the disk holds exactly this ----
        after = make_settings(sandbox, tmp_path / "after-crash", spool)
        copy_db(settings.db_path, after.db_path)

    app2 = app_on(after)
    async with app2.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app2.session.draft.codes == ["NPU19748", "NPU01951"])
        assert app2.session.draft.answers == {"gravid": True, "svangerskapsuke": 20}
        assert app2.session.draft.raw_answers == {"svangerskapsuke": "20"}
        assert app2.session.draft.priority == "haster" and "HASTER" in str(app2.screen.query_one("#banner").render())
        assert app2.session.draft.order is None
        assert "Gjenopprettet ulagret bestilling fra 20.11. kl. 09:30" in status(app2)
        # the restored answers are on the questions screen too
        await pilot.press("f4")
        await wait_for(pilot, lambda: app2.current_mode == "questions" and "svangerskapsuke" in app2.screen.rows)
        assert app2.screen.rows["svangerskapsuke"].field.value == "20"
        assert app2.screen.rows["svangerskapsuke"].display

        await pilot.press("f5")
        await wait_for(pilot, lambda: app2.current_mode == "review")
        await pilot.press("f6")
        await step_done(pilot, "save")
        key = app2.session.draft.idempotency_key
        order_id = app2.session.draft.order.id
        # written at once (not after the timer) when the order is stored
        await wait_for(pilot, lambda: (s := on_disk(after.db_path)) is not None and s.order_id == order_id, 2.0)
        saved = on_disk(after.db_path)
        assert saved is not None and saved.idempotency_key == key and saved.submitted
        await pilot.press("f9")
        await step_done(pilot, "send")
        await wait_for(pilot, lambda: on_disk(after.db_path) is None, timeout=5.0)


async def test_restored_after_save_is_not_saved_twice(
    app_factory: Any, settings: Any, sandbox: Any, tmp_path: Path, spool: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        order_id = app.session.draft.order.id
        await wait_for(pilot, lambda: (s := on_disk(settings.db_path)) is not None and s.order_id == order_id, 2.0)
        after = make_settings(sandbox, tmp_path / "after-crash", spool)
        copy_db(settings.db_path, after.db_path)

    app2 = app_on(after)
    async with app2.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app2.session.draft.order is not None, timeout=5.0)
        assert app2.session.draft.order.id == order_id and app2.session.draft.locked
        assert "Gjenopprettet lagret bestilling" in status(app2)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app2.current_mode == "review")
        await pilot.press("f6")
        await pilot.pause()
        assert app2.session.draft.order.id == order_id  # "already saved": no second order


async def test_other_patients_draft_is_not_shown(app_factory: Any, settings: Any) -> None:
    DraftStore(settings.db_path).put(
        DraftSnapshot(
            patient_id=DEMO_PATIENT_ID,
            office_her_id=DEMO_OFFICE_HER_ID,
            requester_hpr=DEMO_REQUESTER_HPR,
            items=[("NPU19748", ""), ("XX00000", "")],  # the second is no longer in the catalog
            answers={},
            comment="Feber",
            updated_at=datetime(2026, 11, 19, 13, 5, tzinfo=UTC),
        )
    )
    app = app_factory(patient=OTHER_PATIENT_ID)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert app.session.patient.id == OTHER_PATIENT_ID
        await handled(pilot)
        assert app.session.draft.items == [] and app.session.draft.comment == ""
        assert "Gjenopprettet" not in status(app)
        # opening the demo patient (as from the search or a scan) brings hers back
        assert app.open_patient(DEMO_PATIENT_ID)
        await wait_for(pilot, lambda: app.session.patient.id == DEMO_PATIENT_ID and app.session.draft.codes == ["NPU19748"])
        assert app.session.draft.comment == "Feber"
        text = status(app)
        assert "Gjenopprettet ulagret bestilling fra 19.11. kl. 14:05" in text
        assert "XX00000" in text
        # the other patient's (empty) work did not touch hers, and hers was kept without the
        # dropped service
        await wait_for(
            pilot,
            lambda: (s := on_disk(settings.db_path)) is not None and [c for c, _ in s.items] == ["NPU19748"],
            timeout=5.0,
        )
        assert on_disk(settings.db_path, OTHER_PATIENT_ID) is None
