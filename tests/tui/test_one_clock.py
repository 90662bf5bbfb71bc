"""One clock: the collection time reads the same in the dialog, the review, the label, the
order detail and the KITH message, in Norwegian time, whatever the machine's zone (issue 11,
defect 5: in UTC the dialog said 08:12 and the label 09:12)."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ihr.localtime import OSLO
from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, make_client
from tests.tui.helpers import saved_on_review, step_done, wait_for


@pytest.fixture
def sandbox(tmp_path: Path) -> Any:
    """Overrides the conftest's: the service's clock is the real one, as the app's is here."""
    from tests.tui.conftest import server

    with server.EmbeddedSandbox(db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=30) as sb:
        yield sb


@pytest.fixture(params=["UTC", "America/New_York"])
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


async def test_the_collection_time_is_norwegian_everywhere(machine_zone: str, settings: Any, spool: Path) -> None:
    from tui.app import make_app
    from tui.context import LaunchContext

    context = LaunchContext(DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    app = make_app(settings, make_client(settings), context=context, owns_client=True)  # the real clock
    async with app.run_test(size=(120, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f8")  # before the labels: asked first (issue 18, item 6)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        typed = app.screen.query_one("#collect-time").value  # "dd.mm.åååå tt:mm", prefilled with now
        now_oslo = datetime.now(OSLO).strftime("%d.%m.%Y %H:%M")
        assert typed[-5:] == now_oslo[-5:] or abs(int(typed[-2:]) - int(now_oslo[-2:])) <= 1
        await pilot.press("enter")
        await step_done(pilot, "collect")
        assert typed in app.session.draft.steps["collect"].text  # the review's step
        await pilot.press("f7")
        await step_done(pilot, "print")
        zpl = "".join(p.read_text(encoding="utf-8") for p in spool.glob("*.zpl"))
        label_time = f"{typed[:6]}{typed[8:10]} {typed[-5:]}"  # the label says dd.mm.åå tt:mm
        assert f"Tatt: {label_time}" in zpl
        await pilot.press("f9")
        await step_done(pilot, "send")
        order = app.session.draft.order
        messages = await app.client.get_messages(order.id)
        collected = order.specimens[0].collected_at
        assert collected.astimezone(OSLO).strftime("%d.%m.%Y %H:%M") == typed
        stamps = [datetime.fromisoformat(v) for msg in messages for v in re.findall(r'CollectedDate V="([^"]+)"', msg.xml)]
        assert stamps and all(stamp == collected for stamp in stamps)  # the same instant, with its offset
