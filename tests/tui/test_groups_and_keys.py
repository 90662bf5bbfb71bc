"""Groups, priority, discipline filter, palette, help and the change-patient question."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, people
from tests.tui.helpers import add, palette_hits, ready, type_text, wait_for
from tui import strings as S


def toasts(app: Any) -> str:
    """The notifications on screen, as text."""
    return " ".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_group_into_basket_then_make_rename_delete_own(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        stoffskifte = next(g for g in app.session.groups if g.name == "Stoffskifte")
        index = app.session.groups.index(stoffskifte)
        await pilot.press(*(["down"] * index), "enter")
        await wait_for(pilot, lambda: app.current_mode == "order" and len(app.session.draft.items) == 2)
        assert set(app.session.draft.codes) == set(stoffskifte.service_codes)

        # a personal group from the basket
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupNameDialog")
        await type_text(pilot, "Min TSH")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(g.name == "Min TSH" for g in app.session.groups))
        mine = next(g for g in app.session.groups if g.name == "Min TSH")
        assert mine.scope == "personal" and set(mine.service_codes) == set(stoffskifte.service_codes)

        # rename it, then delete it
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        await pilot.press(*(["down"] * app.session.groups.index(mine)), "ctrl+e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupNameDialog")
        await pilot.press("ctrl+u")
        await type_text(pilot, "Min TSH 2")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(g.name == "Min TSH 2" for g in app.session.groups))
        assert set(next(g for g in app.session.groups if g.name == "Min TSH 2").service_codes) == set(mine.service_codes)
        screen = app.screen
        assert type(screen).__name__ == "GroupsDialog"
        screen.refresh_groups()
        mine = next(g for g in app.session.groups if g.name == "Min TSH 2")
        screen.query_one("#group-list").highlighted = app.session.groups.index(mine)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: not any(g.name == "Min TSH 2" for g in app.session.groups))


async def test_typed_letters_find_a_group_in_a_burst(app_factory: Any) -> None:
    from textual import events

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        diabetes = next(g for g in app.session.groups if g.name == "Diabetes årskontroll")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        for ch in "årskon":  # one burst, then Enter
            app.post_message(events.Key(ch, ch))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: app.current_mode == "order" and app.session.draft.items)
        assert set(app.session.draft.codes) == set(diabetes.service_codes)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        await type_text(pilot, "finnes ikke")
        assert S.GROUPS_NO_MATCH in str(app.screen.query_one("#group-list").get_option_at_index(0).prompt)


async def test_a_regional_group_is_refused_alike_by_the_app_and_the_service(app_factory: Any, sandbox: Any) -> None:
    """One rule (`ihr.rules.groups`): the app offers no edit the service would refuse."""
    from client.errors import Forbidden
    from ihr.models import Group, GroupInput
    from ihr.rules.groups import REGIONAL

    regional = Group(id="grp-region", name="Regional pakke", service_codes=["NPU19748"], scope="office")
    sandbox.app.state.db.put_group(regional)  # the region's, as the service holds it (no office)
    app = app_factory()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await ready(pilot)
        group = next(g for g in app.session.groups if g.id == "grp-region")
        with pytest.raises(Forbidden) as refused:
            await app.client.update_group(
                group.id, GroupInput(name="Min versjon", service_codes=["NPU19748"]),
                user_hpr=DEMO_REQUESTER_HPR, office_her_id=DEMO_OFFICE_HER_ID,
            )
        assert refused.value.message == REGIONAL

        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        app.screen.query_one("#group-list").highlighted = app.session.groups.index(group)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: S.GROUP_NOT_OWN in toasts(app))
        assert type(app.screen).__name__ == "GroupsDialog"  # no rename dialog for it


async def test_priority_discipline_remove(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await pilot.press("f8")
        assert app.session.draft.priority == "haster"
        assert "HASTER" in str(app.screen.query_one("#banner").render())
        await pilot.press("f7")  # klinisk kjemi only
        assert app.screen.discipline is not None
        app.screen.query_one("#search").value = ""
        await type_text(pilot, "rtg")
        await pilot.pause()
        assert app.screen.query_one("#results").row_count == 0
        await pilot.press("f9")  # removes the last one when the basket has no highlight
        assert app.session.draft.items == []


async def test_change_patient_with_unsaved_work_asks_first(app_factory: Any) -> None:
    app = app_factory()
    other = people.seed_patients()[1].id
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        app.open_patient(other)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("n")
        await pilot.pause()
        assert app.session.draft.codes == ["NPU19748"] and app.session.patient.id != other
        app.open_patient(other)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.patient is not None and app.session.patient.id == other)
        assert app.session.draft.items == []


async def test_palette_and_help_are_norwegian(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpDialog")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NorwegianCommandPalette")
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Søk etter kommandoer …"
        await type_text(pilot, "haster")
        await wait_for(pilot, lambda: palette_hits(app) > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.draft.priority == "haster")


async def test_catalog_from_cache_when_service_is_down(app_factory: Any, sandbox: Any, settings: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:  # first start fills the disk cache
        await ready(pilot)
    sandbox.stop()
    from tests.tui.conftest import make_client
    from tui.app import make_app
    from tui.context import LaunchContext

    offline = make_app(settings, make_client(settings), context=LaunchContext(), owns_client=True)
    async with offline.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: offline.session.catalog is not None)
        assert offline.session.catalog_note.startswith("Katalog fra hurtiglager")
        assert "hurtiglager" in str(offline.screen.query_one("#banner").render())


async def test_keymap_from_settings_remaps_a_binding_by_id(settings: Any) -> None:
    from tests.tui.conftest import (
        DEMO_OFFICE_HER_ID,
        DEMO_PATIENT_ID,
        DEMO_REQUESTER_HPR,
        fixed_clock,
        make_client,
    )
    from tui.app import make_app
    from tui.context import LaunchContext

    remapped = settings.copy_with(keymap={"groups": "f12"})
    app = make_app(
        remapped,
        make_client(remapped),
        context=LaunchContext(DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID),
        clock=fixed_clock,
        owns_client=True,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f12")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")


async def test_start_without_service_or_cache_retries_until_it_answers(settings: Any, sandbox: Any) -> None:
    """Nothing cached and the service down: a Norwegian message, then it comes by itself."""
    import socket

    from tests.tui.conftest import make_client
    from tui.app import make_app
    from tui.context import LaunchContext

    with socket.socket() as s:  # a port where nobody listens
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/api/v1"
    app = make_app(settings, make_client(settings, url=dead), context=LaunchContext(), owns_client=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Prøver igjen om 5 s" in str(app.screen.query_one("#status").render()))
        await app.client.aclose()
        app.client = make_client(settings)  # the service is back
        app.load_start()
        await wait_for(pilot, lambda: app.session.catalog is not None)


async def test_unknown_patient_from_the_epj_says_so(app_factory: Any) -> None:
    app = app_factory(patient="05855010005")  # valid-looking, not in the sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.catalog is not None)
        await wait_for(pilot, lambda: "Fant ingen pasient" in str(app.screen.query_one("#status").render()))
        assert "Prøver igjen" not in str(app.screen.query_one("#status").render())


async def test_edit_own_group_replaces_its_services_with_the_basket(app_factory: Any) -> None:
    from textual.widgets import Checkbox

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupNameDialog")
        await type_text(pilot, "Bare CRP")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(g.name == "Bare CRP" for g in app.session.groups))
        await add(pilot, "tsh")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsDialog")
        mine = next(g for g in app.session.groups if g.name == "Bare CRP")
        app.screen.query_one("#group-list").highlighted = app.session.groups.index(mine)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupNameDialog")
        app.screen.query_one("#group-replace", Checkbox).value = True
        app.screen.query_one("#group-name").focus()
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: set(next(g for g in app.session.groups if g.name == "Bare CRP").service_codes) == set(app.session.draft.codes)
        )
        assert len(app.session.draft.codes) == 2
