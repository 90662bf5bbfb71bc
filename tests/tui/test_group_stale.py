"""A group someone else changed first: the app says so and shows the group as it now is.

Issue 13: thirty concurrent edits of one group all answered 200 and 29 were lost. The app's
edit now carries the version the secretary saw (If-Match); the service refuses a stale one
(412) and the app explains, keeping nothing of the refused edit.
"""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import DEMO_OFFICE_HER_ID
from tests.tui.helpers import ready, type_text, wait_for
from tests.tui.test_groups_and_keys import toasts
from tui import strings as S


async def test_a_stale_group_edit_is_explained_and_the_list_shows_the_other_edit(app_factory: Any, sandbox: Any) -> None:
    from ihr.models import Group

    db = sandbox.app.state.db
    shared = Group(id="grp-felles", name="Felles pakke", service_codes=["NPU19748"], scope="office",
                   office_her_id=DEMO_OFFICE_HER_ID)
    db.put_group(shared)
    app = app_factory()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        seen = next(g for g in app.session.groups if g.id == shared.id)
        app.screen.query_one("#group-list").highlighted = app.session.groups.index(seen)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupNameDialog")
        # meanwhile a colleague renames it
        db.put_group(shared.model_copy(update={"name": "Kollegaens pakke", "updated_at": sandbox.app.state.orders.now()}))
        await pilot.press("ctrl+u")
        await type_text(pilot, "Min pakke")
        await pilot.press("enter")
        await wait_for(pilot, lambda: S.group_stale("Min pakke")[:40] in toasts(app))
        now = next(g for g in app.session.groups if g.id == shared.id)
        assert now.name == "Kollegaens pakke"  # the colleague's edit stands, and is shown
        assert db.group(shared.id).name == "Kollegaens pakke"
