"""Start-up from the command line: the banner and the search list come before the full client.

`ihr` loads httpx, pydantic and the models (the client) in a thread after its first screen.
Meanwhile the patient's banner (one standard-library GET) and the search list (the cached
catalog's JSON) are already on screen, and a service chosen then goes into the basket as
soon as catalog and patient have loaded. Here the client factory waits on an event, so the
tests look at the screen while the client is still "loading", against the real sandbox.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any

from tests.tui.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    fixed_clock,
    make_client,
)
from tests.tui.helpers import ready, type_text, wait_for


def banner(app: Any) -> str:
    return str(app.screen.query_one("#banner").render())


def result_names(app: Any) -> list[str]:
    return [row.name for row in app.screen.query_one("#results").rows]


async def fill_catalog_cache(settings: Any) -> None:
    """A working day: the catalog was fetched on an earlier start."""
    client = make_client(settings)
    async with client:
        await client.get_catalog()


async def search(pilot: Any, query: str, expected: str) -> None:
    """Type a query into the order builder and wait until `expected` is in the list."""
    await type_text(pilot, query)
    await wait_for(pilot, lambda: expected in result_names(pilot.app))


def held_app(settings: Any, release: threading.Event, patient: str = DEMO_PATIENT_ID) -> Any:
    from tui.app import make_app
    from tui.context import LaunchContext

    def client_factory() -> Any:
        release.wait(10)
        return make_client(settings)

    return make_app(
        settings,
        None,
        context=LaunchContext(patient, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID),
        clock=fixed_clock,
        owns_client=True,
        client_factory=client_factory,
    )


async def test_banner_and_search_are_there_before_the_client_has_loaded(settings: Any) -> None:
    await fill_catalog_cache(settings)
    release = threading.Event()
    app = held_app(settings, release)
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: "Bjørnstad" in banner(app) and "ikke valgt" not in banner(app))
            peeked = banner(app)  # name, fødselsnummer, age and sex; the requester
            assert peeked.splitlines()[0] == "Bjørnstad, Åse Marie  178590 11284  36 år  kvinne"
            assert peeked.splitlines()[1].startswith("Rekvirent: ") and DEMO_REQUESTER_HPR in peeked
            await search(pilot, "crp", "P-CRP")
            assert result_names(app)[0] == "P-CRP"
            assert app.client is None and app.session.catalog is None and app.session.patient is None  # still loading
        finally:
            release.set()
        await ready(pilot)
        assert banner(app) == peeked  # the same, now from the validated patient and requester
        assert app.session.patient_peek is None and app.session.requester_peek is None


async def test_a_service_chosen_before_the_client_loaded_goes_into_the_basket(settings: Any) -> None:
    await fill_catalog_cache(settings)
    release = threading.Event()
    app = held_app(settings, release)
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: app.session.index is not None)
            await search(pilot, "crp", "P-CRP")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.draft.items == []  # not yet: the checks need the catalog and the patient
            assert "Henter katalogen" in str(app.screen.query_one("#status").render())
            # but the basket shows it at once, waiting for the checks
            assert "1 analyse," in str(app.screen.query_one("#basket-title").render())
            assert basket_lines(app) == ["Sjekkes når katalogen er lastet", "  P-CRP"]
        finally:
            release.set()
        await ready(pilot)
        await wait_for(pilot, lambda: [s.name for s, _ in app.session.draft.items] == ["P-CRP"])
        assert "Sjekkes når katalogen er lastet" not in basket_lines(app) and "  P-CRP" in basket_lines(app)


def basket_lines(app: Any) -> list[str]:
    basket = app.screen.query_one("#basket")
    return [str(basket.get_option_at_index(i).prompt) for i in range(basket.option_count)]


async def test_without_a_cached_catalog_the_search_waits_for_the_client(settings: Any) -> None:
    release = threading.Event()
    app = held_app(settings, release)
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: "Bjørnstad" in banner(app))
            await type_text(pilot, "tsh")
            await asyncio.sleep(0.2)
            await pilot.pause()
            assert app.session.index is None and result_names(app) == []
            assert "Henter katalogen" in str(app.screen.query_one("#search-info").render())
        finally:
            release.set()
        await wait_for(pilot, lambda: "P-TSH" in result_names(app))  # typed ahead, searched on arrival
        assert result_names(app)[0] == "P-TSH"


async def test_the_banner_waits_for_the_client_when_the_patient_is_unknown(settings: Any) -> None:
    await fill_catalog_cache(settings)
    release = threading.Event()
    app = held_app(settings, release, patient="05855010005")  # valid-looking, not in the sandbox
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: app.session.index is not None)
            await asyncio.sleep(0.2)
            await pilot.pause()
            assert app.session.patient_peek is None
            assert "Ingen pasient valgt" in banner(app)
        finally:
            release.set()
        await wait_for(pilot, lambda: "Fant ingen pasient" in str(app.screen.query_one("#status").render()))


async def test_a_patient_peeked_but_never_loaded_leaves_the_banner(settings: Any, sandbox: Any) -> None:
    """The service goes away between the peek and the full load: no unconfirmed banner stays."""
    await fill_catalog_cache(settings)
    release = threading.Event()
    app = held_app(settings, release)
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: "Bjørnstad" in banner(app) and app.session.index is not None)
            await search(pilot, "crp", "P-CRP")
            await pilot.press("enter")
            sandbox.stop()
        finally:
            release.set()
        await wait_for(pilot, lambda: app.session.catalog is not None and not app.session.starting)
        await pilot.pause()
        assert "Ingen pasient valgt" in banner(app)
        assert "Får ikke kontakt med IHR-tjenesten" in str(app.screen.query_one("#status").render())
        assert app.session.draft.items == []  # not put in for nobody: it waits for the patient


async def test_garbage_collection_is_back_on_once_start_up_is_over(settings: Any) -> None:
    """`ihr` turns Python's garbage collector off for its start-up (`tui.cli`); the start-up
    turns it back on when it is over, or a session of hours would keep all its garbage."""
    release = threading.Event()
    release.set()
    gc.disable()  # as `tui.cli` does before the app is made
    try:
        app = held_app(settings, release)
        async with app.run_test(size=(120, 36)) as pilot:
            await ready(pilot)
            await wait_for(pilot, lambda: not app.session.starting)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_garbage_collection_is_back_on_when_start_up_fails(settings: Any, sandbox: Any) -> None:
    release = threading.Event()
    release.set()
    sandbox.stop()  # no service, and no catalog cached: the start-up fails
    gc.disable()
    try:
        app = held_app(settings, release)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: "Får ikke kontakt" in str(app.screen.query_one("#status").render()))
            assert gc.isenabled()
    finally:
        gc.enable()
