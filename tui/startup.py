"""Start-up: from `ihr` typed (or started by the EPJ) to a screen the secretary can work on.

The EPJ starts `ihr` once per patient, so this is felt on every patient. The first screen is
drawn before the client loads (httpx, pydantic and the models take about 0.3 s). Meanwhile,
with the standard library alone, the search list of the cached catalog (`IndexReady`) and
the patient's and requester's banner (`Peeked`) are put on screen; a service chosen from
that list waits in the session (`OrderSession.pending`) until catalog and patient are there.
Then the client loads in a thread and the validated catalog, requester, patient and groups
replace the previews, each posted to the app as it arrives.

`start` is the one job that does all of this; the app runs it with `tui.work.run_job`.
When it ends, loaded or failed, it turns Python's garbage collector back on: `tui.cli`
turns it off for the start-up (why: `tui.cli._run_app`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

from client.cache import CatalogCache
from client.errors import IhrError
from client.peek import peek_banner
from ihr.rules.search import CatalogIndex, search_entries
from tui import messages as m
from tui import workflow

if TYPE_CHECKING:
    from tui.ports import IhrPort

log = logging.getLogger("ihr.tui.startup")

#: How long start-up waits for the previews before loading the full client anyway (s).
PREVIEW_WAIT_S = 0.5


async def start(app: IhrPort, client_factory: Callable[[], Any] | None) -> Message:
    """Load the client (with `client_factory`, unless the app has one), the catalog, the
    requester, the EPJ's patient and the groups; post each to the app as it arrives."""
    session = app.session
    session.starting = True
    try:
        if client_factory is not None:
            previews = [asyncio.ensure_future(_preview_index(app)), asyncio.ensure_future(_peek(app))]
            await asyncio.wait(previews, timeout=PREVIEW_WAIT_S)
            app.client = await asyncio.to_thread(client_factory)
        client = app.client
        result = await client.get_catalog()
        index = None
        if result.etag is None or result.etag != session.index_etag:
            index = await asyncio.to_thread(build_index, result.catalog)
        # one request at a time: the client's DPoP nonce is shared by its requests
        found = await _office(client, session.office_her_id or getattr(client, "office_her_id", None))
        if found is not None:  # before the catalog: a service chosen then is routed by it
            app.post_message(m.OfficeReady(found))
        app.post_message(m.CatalogReady(result, index))
        context = session.context
        if context.requester_hpr:
            app.post_message(m.RequesterReady(await client.get_requester(context.requester_hpr)))
        if context.patient_id:
            app.post_message(await workflow.fetch_patient(client, context.patient_id))
        groups = await client.list_groups(office=session.office_her_id or None, hpr=session.worker_hpr or None)
        app.post_message(m.GroupsReady(groups))
        return m.StartedUp()
    finally:
        session.starting = False
        gc.enable()  # off since `tui.cli` started the app: start-up is over


async def _office(client: Any, her_id: str | None) -> Any:
    """The office with its health region (`ihr.rules.routing`), or None: a service that does
    not know it, or a failure; then requisitions go to the catalog's first listed lab."""
    if not her_id:
        return None
    try:
        return await client.get_office(her_id)
    except IhrError as exc:
        log.warning("office not found for routing: %s", type(exc).__name__)
        return None


def build_index(catalog: Any) -> Any:
    """The search index (off the event loop), then give the parse garbage back to the OS."""

    index = CatalogIndex(catalog.services)
    index.prepare_typos()
    gc.collect()
    try:  # glibc keeps freed memory of the catalog's JSON parse unless asked
        import ctypes  # start-up seam

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    return index


async def _preview_index(app: IhrPort) -> None:
    """The search index from the cached catalog's JSON (no pydantic), if one is cached."""
    settings = app.settings

    def build() -> tuple[Any, str | None] | None:
        cached = CatalogCache(settings.db_path).load_body(settings.api_url.rstrip("/"))
        if cached is None:
            return None
        return CatalogIndex(search_entries(cached.body)), cached.etag

    try:
        built = await asyncio.to_thread(build)
    except (OSError, ValueError, sqlite3.Error):  # no usable copy: the full load reports
        return
    if built is not None:
        app.post_message(m.IndexReady(*built))


async def _peek(app: IhrPort) -> None:
    """The banner's patient and requester, asked with the standard library (no pydantic).

    It signs in first, unless an earlier start kept a token that is still valid
    (`client.peek.peek_banner`); the full client takes that session over.
    """
    settings, context, office = app.settings, app.session.context, app.session.office_her_id
    banner = await asyncio.to_thread(peek_banner, settings, context.patient_id, context.requester_hpr, office or None)
    app.post_message(m.Peeked(*banner))
