"""The Textual application: state, workers and the screens of the ordering workflow.

`make_app(settings, client, printer=..., context=...)` builds it; `tui.cli` and the tests
call that. The app owns the state (catalog, patient, requester, the order draft); screens
show it and ask the app to change it; I/O runs in workers that post `tui.messages`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from tui import messages as m
from tui import strings as S
from tui.commands import IhrCommands, NorwegianCommandPalette
from tui.context import LaunchContext
from tui.draft import OrderDraft

if TYPE_CHECKING:  # the domain and pydantic load after the first screen is drawn
    from ihr.models import Catalog, Group, OrderSummary, Patient, Requester
    from ihr.settings import Settings

NORMAL, URGENT = "normal", "haster"  # ihr.models.Priority values (a StrEnum)

STEP_NAMES = {
    "save": S.STEP_SAVE,
    "print": S.STEP_PRINT,
    "collect": S.STEP_COLLECT,
    "send": S.STEP_SEND,
}


def _screen(module: str, name: str) -> Any:
    """Import a main screen when it is first shown (keeps cold start short)."""
    import importlib

    return getattr(importlib.import_module(f"tui.screens.{module}"), name)()


def _build_index(catalog: Any) -> Any:
    """The search index (off the event loop), then give the parse garbage back to the OS."""
    import gc

    from ihr.rules.search import CatalogIndex

    index = CatalogIndex(catalog.services)
    gc.collect()
    try:  # glibc keeps freed memory of the catalog's JSON parse unless asked
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    return index


class IhrApp(App[None]):
    """Patient -> order -> guided questions -> review, save, print, collect, send."""

    CSS_PATH = "app.tcss"
    TITLE = S.APP_TITLE
    SUB_TITLE = S.APP_SUBTITLE
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {IhrCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    MODES = {
        "patient": lambda: _screen("patient", "PatientScreen"),
        "order": lambda: _screen("order", "OrderScreen"),
        "questions": lambda: _screen("questions", "QuestionsScreen"),
        "review": lambda: _screen("review", "ReviewScreen"),
        "worklist": lambda: _screen("worklist", "WorklistScreen"),
    }
    DEFAULT_MODE = "patient"

    BINDINGS = [
        Binding("f1", "help", S.KEY_HELP, id="help"),
        Binding("f2", "go_patient", S.KEY_PATIENT, id="patient"),
        Binding("f3", "go_order", S.KEY_ORDER, id="order"),
        Binding("f4", "go_questions", S.KEY_QUESTIONS, id="questions"),
        Binding("f5", "go_review", S.KEY_REVIEW, id="review"),
        Binding("f10", "switch_mode('worklist')", S.KEY_WORKLIST, id="worklist"),
        Binding("ctrl+q", "request_quit", S.KEY_QUIT, id="quit", priority=True),
        Binding("ctrl+p", "command_palette", S.KEY_PALETTE, id="palette", priority=True),
        Binding("ctrl+c", "request_quit", show=False, id="quit_c", system=True),
        # Priority, so focus moves before the keys typed right after Tab are routed: a fast
        # typist or a scanner with a Tab suffix would otherwise type into the old field.
        Binding("tab", "focus_next", show=False, id="focus_next", priority=True),
        Binding("shift+tab", "focus_previous", show=False, id="focus_previous", priority=True),
    ]

    #: Eleven digits typed within this many seconds and then Enter are a scanner's.
    SCAN_WINDOW_S = 0.5

    patient: reactive[Patient | None] = reactive(None, init=False, always_update=True)
    requester: reactive[Requester | None] = reactive(None, init=False, always_update=True)
    priority: reactive[str] = reactive(NORMAL, init=False)
    catalog_note: reactive[str] = reactive("", init=False)
    #: `client.peek.PatientPeek` and `RequesterPeek`: what the banner shows at start-up until
    #: `patient` and `requester` have loaded.
    patient_peek: reactive[Any] = reactive(None, init=False)
    requester_peek: reactive[Any] = reactive(None, init=False)

    def __init__(
        self,
        settings: Settings,
        client: Any,
        *,
        printer: str | None = None,
        context: LaunchContext | None = None,
        outbox: Any = None,
        journal_path: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        owns_client: bool = False,
        client_factory: Callable[[], Any] | None = None,
    ) -> None:
        # With a patient from the EPJ, open straight on the order builder (no empty search
        # screen first); App.__init__ reads this to create the first screen stack.
        self.DEFAULT_MODE = "order" if context is not None and context.patient_id else "patient"
        super().__init__()
        self._owns_client = owns_client
        self._client_factory = client_factory
        self.context = context or LaunchContext()
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now().astimezone())
        self._outbox = outbox
        self.settings = settings
        self.client = client
        self.printer_url = printer or settings.printer_url
        self.office_her_id = self.context.office_her_id or settings.office_her_id
        self.journal_path = journal_path or settings.db_path  # the one SQLite file
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self.catalog: Catalog | None = None
        self.index: Any = None  # ihr.rules.search.CatalogIndex (of SearchEntry or Service)
        self._index_etag: str | None = None  # the catalog version the index was built from
        self._pending_codes: list[str] = []  # chosen before the catalog had loaded
        self._starting = False  # `load_start` is running
        self.groups: list[Group] = []
        self.history: list[OrderSummary] = []
        self._drafts: Any = None
        self._draft_timer: Any = None
        self._draft_io: Any = None
        self._draft_closed = False  # after unmount: write at once, on this thread
        self._draft_restore_pending: str | None = None
        self.draft = OrderDraft()
        self.last_labels: list[Any] = []
        self._keys: list[tuple[str, float]] = []
        self._start_attempts = 0

    # ---- outbox -----------------------------------------------------------------
    @property
    def outbox(self) -> Any:
        if self._outbox is None:
            from client.outbox import Outbox

            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self._outbox = Outbox(self.settings.db_path)
        return self._outbox

    # ---- draft autosave ---------------------------------------------------------------
    #: Changes to the draft within this many seconds go to disk in one write.
    AUTOSAVE_S = 0.5

    @property
    def draft(self) -> OrderDraft:
        return self._draft

    @draft.setter
    def draft(self, value: OrderDraft) -> None:
        self._draft = value
        value.on_change = self._draft_changed

    @property
    def drafts(self) -> Any:
        """The autosaved drafts (`client.drafts.DraftStore`) in the local SQLite file."""
        if self._drafts is None:
            from client.drafts import DraftStore

            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self._drafts = DraftStore(self.settings.db_path)
        return self._drafts

    def _draft_changed(self) -> None:
        """The draft changed: write it within `AUTOSAVE_S` (one write for a burst of changes)."""
        if self._draft_closed:
            self.flush_draft()
        elif self._draft_timer is None and self.is_running:
            self._draft_timer = self.set_timer(self.AUTOSAVE_S, self.flush_draft, name="autosave")

    def flush_draft(self) -> Any:
        """Write the open draft now (or forget it when there is nothing left to lose).

        The write runs on one background thread, in order; the returned future is done
        when the row is on disk (None when there is no patient or no store yet).
        """
        timer, self._draft_timer = self._draft_timer, None
        if timer is not None:
            timer.stop()
        store = self.drafts
        if store is None or self.patient is None:
            return None
        draft = self.draft
        office = self.office_her_id or ""
        if draft.dirty:
            hpr = self.requester.hpr if self.requester else (self.context.requester_hpr or "")
            job: tuple[Any, ...] = (store.put, draft.snapshot(self.patient.id, hpr, office, self.clock()))
        else:
            job = (store.remove, self.patient.id, office)
        if self._draft_closed:  # shutting down (a worker finishing late): no thread left
            from concurrent.futures import Future

            done: Future[Any] = Future()
            try:
                done.set_result(job[0](*job[1:]))
            except Exception as exc:  # noqa: BLE001 - logged by type, never raised into Textual
                done.set_exception(exc)
            _log_autosave_failure(done)
            return done
        if self._draft_io is None:
            from concurrent.futures import ThreadPoolExecutor

            self._draft_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ihr-autosave")
        future = self._draft_io.submit(*job)
        future.add_done_callback(_log_autosave_failure)
        return future

    def _restore_draft(self, patient_id: str) -> str:
        """Bring back the patient's autosaved draft, if any; the status text to show, or ""."""
        store = self.drafts
        if store is None:
            return ""
        if self.catalog is None:  # opened before the catalog came: restore when it does
            self._draft_restore_pending = patient_id
            return ""
        self._draft_restore_pending = None
        snap = store.get(patient_id, self.office_her_id or "")
        if snap is None:
            return ""
        draft, dropped = OrderDraft.restore(snap, self.catalog)
        self.draft = draft
        self.priority = draft.priority
        self.reset_screens()
        when = snap.updated_at.astimezone(self.clock().tzinfo)
        text = S.draft_restored(when, saved=snap.order_id is not None)
        if dropped:
            text += " " + S.draft_dropped(dropped)
            self._draft_changed()  # keep the basket as it now is
        if snap.requester_hpr and (self.requester is None or self.requester.hpr != snap.requester_hpr):
            self.restore_requester(snap.requester_hpr)
        if snap.order_id:
            self.restore_order(snap.order_id)
        return text

    @work(exclusive=True, group="requester", name="requester", exit_on_error=False)
    async def restore_requester(self, hpr: str) -> None:
        self.post_message(m.RequesterReady(await self.client.get_requester(hpr)))

    @work(exclusive=True, group="restore", name="restore", exit_on_error=False)
    async def restore_order(self, order_id: str) -> None:
        """A restored draft the service already holds: lock it, so it is not saved again."""
        draft = self.draft
        order = await self.client.get_order(order_id)
        if self.draft is not draft or draft.order is not None:
            return
        draft.order = order
        draft.steps["save"].state = "done"
        draft.steps["save"].text = S.saved([r.number for r in order.requisitions], len(order.specimens))
        if order.status.value not in ("utkast", "lagret"):
            draft.steps["send"].state = "done"
            draft.steps["send"].text = S.sent(len(order.requisitions))
            self.flush_draft()  # sent already: nothing left to keep
        self._refresh_screen()

    # ---- start-up -------------------------------------------------------------------
    #: How often to check that the terminal is still there (seconds).
    TERMINAL_CHECK_S = 2.0

    def on_mount(self) -> None:
        self.load_start()
        if not self.is_headless:
            self.set_interval(self.TERMINAL_CHECK_S, self.check_terminal, name="terminal-check")

    def check_terminal(self) -> None:
        """Quit when the terminal has hung up.

        A thin client that loses its SSH connection, or a terminal closed without SIGHUP
        reaching us, leaves stdin at end-of-file; Textual's input thread would then spin on
        it for ever. `poll` looks for the hang-up without reading (so it takes no keys) and
        writes nothing (so an idle screen stays silent). Work already saved is in the
        service or the outbox.
        """
        if terminal_hung_up():
            self.exit()

    async def on_unmount(self) -> None:
        if self._draft_timer is not None:  # a clean exit writes what the timer had not yet
            self.flush_draft()
        self._draft_closed = True
        if self._draft_io is not None:
            self._draft_io.shutdown(wait=True)
        if self._owns_client and self.client is not None:  # None: quit before it had loaded
            await self.client.aclose()

    #: How long start-up waits for the preview before loading the full client anyway (s).
    PREVIEW_WAIT_S = 0.5

    @work(exclusive=True, group="start", name="start", exit_on_error=False)
    async def load_start(self) -> None:
        self._starting = True
        try:
            await self._load_start()
        finally:
            self._starting = False

    async def _load_start(self) -> None:
        import asyncio

        if self._client_factory is not None:
            # `ihr` from the command line. The client (httpx, pydantic, the models: about
            # 0.3 s) loads after the first screen is drawn, in a thread so keys are taken.
            # First, with the standard library alone, the search list from the cached
            # catalog and the patient's banner: on screen while that import runs.
            preview = [asyncio.ensure_future(self._preview_index()), asyncio.ensure_future(self._peek())]
            await asyncio.wait(preview, timeout=self.PREVIEW_WAIT_S)
            self.client = await asyncio.to_thread(self._client_factory)
            self._client_factory = None
        result = await self.client.get_catalog()
        index = None
        if result.etag is None or result.etag != self._index_etag:
            index = await asyncio.to_thread(_build_index, result.catalog)
        self.post_message(m.CatalogReady(result, index))
        hpr = self.context.requester_hpr
        if hpr:
            self.post_message(m.RequesterReady(await self.client.get_requester(hpr)))
        if self.context.patient_id:
            await self._fetch_patient(self.context.patient_id)
        groups = await self.client.list_groups(office=self.office_her_id or None, hpr=hpr)
        self.post_message(m.GroupsReady(groups))
        await self._resend_outbox()

    async def _preview_index(self) -> None:
        """The search index from the cached catalog's JSON (no pydantic), if one is cached."""
        import asyncio

        from client.cache import CatalogCache
        from ihr.rules.search import CatalogIndex, search_entries

        def build() -> tuple[Any, str | None] | None:
            cached = CatalogCache(self.settings.db_path).load_body(self.settings.api_url.rstrip("/"))
            if cached is None:
                return None
            return CatalogIndex(search_entries(cached.body)), cached.etag

        try:
            built = await asyncio.to_thread(build)
        except (OSError, ValueError, sqlite3.Error):  # no usable copy: the full load reports
            return
        if built is not None:
            self.post_message(m.IndexReady(*built))

    async def _peek(self) -> None:
        """The banner's patient and requester, asked with the standard library (no pydantic)."""
        import asyncio

        from client.peek import peek_banner

        def peek() -> tuple[Any, Any]:
            return peek_banner(self.settings, self.context.patient_id, self.context.requester_hpr, self.office_her_id)

        self.post_message(m.Peeked(*await asyncio.to_thread(peek)))

    async def _resend_outbox(self) -> None:
        """Orders saved while IHR did not answer (or before a crash) go again, same key."""
        import asyncio

        from client.outbox import submit_pending

        outbox = self.outbox
        if not await asyncio.to_thread(len, outbox):
            return

        async def accepted(key: str, order: Any) -> None:
            # The draft saved under this key now has its order: it must not be saved again.
            if self.drafts is not None:
                await asyncio.to_thread(self.drafts.mark_saved, key, order.id)
            if self.draft.idempotency_key == key and self.draft.order is None:
                self.post_message(m.OrderStored(order))

        result = await submit_pending(self.client, outbox, on_accepted=accepted)
        if result.accepted:
            self.post_message(m.GroupChanged(S.outbox_resent(len(result.accepted))))
        elif result.remaining:
            self.post_message(m.GroupChanged(S.outbox_waiting(result.remaining)))

    def _retry_start(self) -> None:
        if self.catalog is None:
            self.load_start()

    async def _fetch_patient(self, patient_id: str) -> None:
        patient = await self.client.get_patient(patient_id)
        history = await self.client.list_orders(patient=patient.id)
        self.post_message(m.PatientReady(patient, history))

    @on(m.IndexReady)
    def _index_ready(self, message: m.IndexReady) -> None:
        if self.catalog is None:  # the full catalog has not overtaken the preview
            self.index, self._index_etag = message.index, message.etag
            self._refresh_screen()

    @on(m.Peeked)
    def _peeked(self, message: m.Peeked) -> None:
        if self.patient is None:
            self.patient_peek = message.patient
        if self.requester is None:
            self.requester_peek = message.requester

    @on(m.CatalogReady)
    def _catalog_ready(self, message: m.CatalogReady) -> None:
        result = message.result
        self.catalog = result.catalog
        if message.index is not None:  # else the preview's index is of this very version
            self.index, self._index_etag = message.index, result.etag
        if result.from_cache and result.stale_reason:
            self.catalog_note = S.banner_cache(result.stale_reason)
        else:
            self.catalog_note = ""
        restored = ""
        pending = self._draft_restore_pending
        if pending and self.patient is not None and self.patient.id == pending and not self.draft.dirty:
            restored = self._restore_draft(pending)
        self._refresh_screen()
        if restored:
            self.show_status(restored)
        self._add_pending()

    def _patient_loading(self) -> bool:
        """Start-up is still fetching the patient from the EPJ."""
        return bool(self.context.patient_id) and self.patient is None and self._starting

    def _add_pending(self) -> None:
        """Put in the services chosen before the catalog and the patient had loaded.

        They were chosen for the patient from the EPJ: they wait for her, and are dropped if
        another patient is opened instead.
        """
        if self.catalog is None or (self.context.patient_id and self.patient is None):
            return
        codes, self._pending_codes = self._pending_codes, []
        if self.patient is not None and self.patient.id != self.context.patient_id:
            return
        for code in codes:
            self.add_service(code)

    @on(m.GroupsReady)
    def _groups_ready(self, message: m.GroupsReady) -> None:
        self.groups = message.groups
        self._refresh_screen()

    @on(m.RequesterReady)
    def _requester_ready(self, message: m.RequesterReady) -> None:
        self.requester = message.requester
        self.requester_peek = None
        if self.draft.dirty:
            self._draft_changed()

    @on(m.PatientReady)
    def _patient_ready(self, message: m.PatientReady) -> None:
        self.history = message.history
        changed = self.patient is None or self.patient.id != message.patient.id
        if changed:
            if self._draft_timer is not None:
                self.flush_draft()  # the previous patient's last changes
            self.draft = OrderDraft()
            self.priority = NORMAL
        self.patient = message.patient
        self.patient_peek = None
        restored = self._restore_draft(message.patient.id) if changed else ""
        self.switch_mode("order")
        self._refresh_screen()
        if restored:
            self.show_status(restored)
        self._add_pending()

    # ---- patient --------------------------------------------------------------------
    def open_patient(self, text: str) -> bool:
        """Validate a fødselsnummer and open that patient; False (and a message) if wrong."""
        from ihr.rules.identifiers import InvalidPersonId, parse_person_id

        try:
            production = bool(self.settings and self.settings.production)
            pid = parse_person_id(text, allow_synthetic=not production)
        except InvalidPersonId as exc:
            self.notify(exc.message, title=S.ERROR_TITLE, severity="error")
            self.show_status(exc.message, "error")
            return False
        if self.patient is not None and self.patient.id == pid.value:
            self.switch_mode("order")
            return True

        def go(ok: bool | None) -> None:
            if ok:
                self.draft = OrderDraft()
                self.flush_draft()  # discarded deliberately: the old patient's draft goes
                self.reset_screens()
                self.fetch_patient(pid.value)

        if self.draft.dirty:
            from tui.dialogs.confirm import ConfirmDialog

            self.push_screen(ConfirmDialog(S.CONFIRM_CHANGE_PATIENT), go)
        else:
            go(True)
        return True

    @work(exclusive=True, group="patient", name="patient", exit_on_error=False)
    async def fetch_patient(self, patient_id: str) -> None:
        await self._fetch_patient(patient_id)

    @work(exclusive=True, group="patient_search", name="patient_search", exit_on_error=False)
    async def search_patients(self, query: str) -> None:
        result = await self.client.search_patients(query)
        self.post_message(m.PatientsFound(query, list(result.patients)))

    @on(m.PatientsFound)
    def _patients_found(self, message: m.PatientsFound) -> None:
        screen = self.get_screen_for_mode("patient")
        if screen is not None:
            screen.show_results(message.query, message.patients)

    # ---- scanner --------------------------------------------------------------------
    async def on_event(self, event: Any) -> None:
        from textual import events

        if (
            isinstance(event, events.Key)
            and not event.is_forwarded  # a key bubbling back up: already seen
            and not isinstance(self.screen, CommandPalette)
        ):
            if self._scanned(event):
                return
        await super().on_event(event)

    def _scanned(self, event: Any) -> bool:
        """Recognise 11 digits + Enter typed faster than a person types: a scanner."""
        now = time.monotonic()
        if event.key == "enter":
            keys = self._keys[-11:]
            self._keys.clear()
            if getattr(self.focused, "takes_scans", False):
                return False  # a field that asks for exactly this (correcting a fødselsnummer)
            if len(keys) == 11 and now - keys[0][1] <= self.SCAN_WINDOW_S:
                digits = "".join(ch for ch, _ in keys)
                self._strip_scanned(digits)
                self.call_later(self.open_patient, digits)
                return True
            keys = keys[-10:]
            if len(keys) == 10 and now - keys[0][1] <= self.SCAN_WINDOW_S:  # a specimen label
                from tui.followup import on_specimen_scanned

                digits = "".join(ch for ch, _ in keys)
                self._strip_scanned(digits)
                self.call_later(on_specimen_scanned, self, digits)
                return True
            return False
        if event.character is not None and event.character.isdigit() and len(event.key) == 1:
            self._keys.append((event.character, now))
            del self._keys[:-11]
        else:
            self._keys.clear()
        return False

    def _strip_scanned(self, digits: str) -> None:
        """Take the scanned digits out of the field they landed in."""
        from textual.widgets import Input

        focused = self.focused
        if isinstance(focused, Input):
            # It may already have been scanned into the patient search field, which is fine.
            def strip() -> None:
                if focused.value.endswith(digits):
                    focused.value = focused.value[: -len(digits)]

            self.call_later(strip)

    # ---- basket ---------------------------------------------------------------------
    def add_service(self, code: str) -> bool:
        """Put a service in the basket; True when it went in (a duplicate only warns)."""
        from ihr.rules.ordering import duplicate_warning, patient_refusal, recent_duplicate

        if self.catalog is None or self._patient_loading():
            # Chosen from the start-up search list: it goes in when catalog and patient are
            # there (the refusal and duplicate checks need both).
            self._pending_codes.append(code)
            self.show_status(S.CATALOG_LOADING)
            return True
        service = self.catalog.service(code)
        if self.draft.locked:
            self.show_status(S.ALREADY_SAVED, "warning")
            return False
        if self.patient is not None:
            reason = patient_refusal(service, self.patient, self.clock().date())
            if reason:
                self.show_status(S.refusal(service.name, reason), "error")
                self.notify(S.refusal(service.name, reason), severity="error")
                return False
        if not self.draft.add(service):
            self.show_status(S.already_in_basket(service.name), "warning")
            return False
        dup = recent_duplicate(service, self.history_pairs(), self.clock())
        if dup is not None:
            text = S.duplicate_notice(duplicate_warning(service, dup))
            self.show_status(text, "warning")
            self.notify(text, title=S.WARNING_TITLE, severity="warning")
        else:
            self.show_status(S.added(service.name))
        self._refresh_screen()
        return True

    def history_pairs(self) -> list[tuple[str, datetime]]:
        """The patient's earlier orders as (service code, ordered at), for duplicate warnings."""
        if self.catalog is None:
            return []
        by_name = {s.name: s.code for s in self.catalog.services}
        pairs = []
        for summary in self.history:
            if summary.status.value == "kansellert":
                continue
            for name in summary.service_names:
                code = by_name.get(name)
                if code is not None:
                    pairs.append((code, summary.created_at))
        return pairs

    def remove_service(self, code: str) -> None:
        if self.catalog is None:
            return
        if self.draft.locked:
            self.show_status(S.ALREADY_SAVED, "warning")
            return
        if self.draft.remove(code):
            self.show_status(S.removed(self.catalog.service(code).name))
            self._refresh_screen()

    def add_group(self, group: Group) -> None:
        if self.catalog is None:
            return
        n = 0
        for code in group.service_codes:
            try:
                service = self.catalog.service(code)
            except KeyError:
                continue
            if self.draft.add(service):
                n += 1
        self.show_status(S.group_added(group.name, n))
        self._refresh_screen()

    def action_toggle_priority(self) -> None:
        if self.draft.locked:
            self.show_status(S.ALREADY_SAVED, "warning")
            return
        self.draft.priority = NORMAL if self.draft.priority == URGENT else URGENT
        self.priority = self.draft.priority
        self.show_status(S.priority_now(self.draft.priority))

    def new_order(self) -> None:
        def go(ok: bool | None) -> None:
            if ok:
                self.draft = OrderDraft()
                self.flush_draft()  # a new order: the old draft goes
                self.priority = NORMAL
                self.reset_screens()
                self.switch_mode("order")
                self._refresh_screen()

        if self.draft.dirty:
            from tui.dialogs.confirm import ConfirmDialog

            self.push_screen(ConfirmDialog(S.CONFIRM_NEW_ORDER), go)
        else:
            go(True)

    # ---- groups ---------------------------------------------------------------------
    @work(exclusive=True, group="groups", name="groups", exit_on_error=False)
    async def save_group(self, group_id: str | None, name: str, codes: list[str], scope: str) -> None:
        from ihr.models import GroupInput

        body = GroupInput(name=name, service_codes=codes, scope=scope)  # type: ignore[arg-type]
        hpr = self.requester.hpr if self.requester else self.context.requester_hpr
        if group_id is None:
            await self.client.create_group(body, user_hpr=hpr, office_her_id=self.office_her_id or None)
        else:
            await self.client.update_group(group_id, body, user_hpr=hpr, office_her_id=self.office_her_id or None)
        self.post_message(m.GroupChanged(S.group_saved(name)))
        self.post_message(m.GroupsReady(await self.client.list_groups(office=self.office_her_id or None, hpr=hpr)))

    @work(exclusive=True, group="groups", name="groups", exit_on_error=False)
    async def delete_group(self, group: Group) -> None:
        hpr = self.requester.hpr if self.requester else self.context.requester_hpr
        await self.client.delete_group(group.id, user_hpr=hpr, office_her_id=self.office_her_id or None)
        self.post_message(m.GroupChanged(S.group_deleted(group.name)))
        self.post_message(m.GroupsReady(await self.client.list_groups(office=self.office_her_id or None, hpr=hpr)))

    @on(m.GroupChanged)
    def _group_changed(self, message: m.GroupChanged) -> None:
        self.show_status(message.text)

    def own_group(self, group: Group) -> bool:
        hpr = self.requester.hpr if self.requester else self.context.requester_hpr
        if group.scope == "personal":
            return bool(hpr) and group.owner_hpr == hpr
        return not group.office_her_id or group.office_her_id == self.office_her_id

    # ---- save, print, collect, send ------------------------------------------------------
    def _step(self, step: str, state: str, text: str = "") -> None:
        self.draft.steps[step].state = state
        self.draft.steps[step].text = text
        self._refresh_screen()

    def missing_answers(self) -> list[str]:
        from ihr.rules.questions import questions_for, validate_answers

        problems = validate_answers(questions_for(self.draft.services), self.draft.answers)
        out = [p.detail for p in problems]
        if self.needs_problemstilling() and not self.draft.comment.strip():
            out.append(S.PROBLEMSTILLING_REQUIRED)
        return out

    def needs_problemstilling(self) -> bool:
        """An imaging referral must state a clinical question. When the catalog asks it as a
        guided question (key `problemstilling`) that question carries it; otherwise the
        order's comment field does, and is then required."""
        services = self.draft.services
        if not any(s.requires_problemstilling for s in services):
            return False
        return not any(q.key == "problemstilling" for s in services for q in s.questions)

    def action_save(self) -> None:
        if self.draft.order is not None:
            self.show_status(S.ALREADY_SAVED, "warning")
            return
        if not self.draft.items:
            self.show_status(S.NOTHING_TO_SAVE, "warning")
            return
        if self.patient is None:
            self.show_status(S.NO_PATIENT, "error")
            return
        if self.requester is None:
            self.show_status(S.NO_REQUESTER, "error")
            return
        missing = self.missing_answers()
        if missing:
            self.switch_mode("questions")
            self._refresh_screen()
            self.show_status(S.QUESTIONS_MISSING + " " + "; ".join(missing), "error")
            return
        from ihr.rules.questions import clean_answers, questions_for

        self.draft.answers = clean_answers(questions_for(self.draft.services), self.draft.answers)
        body = self.draft.order_input(self.patient.id, self.requester.hpr, self.office_her_id)
        key = self.draft.key_for(body)
        self._step("save", "running", S.SAVING)
        self.save_order(body, key)

    @work(exclusive=True, group="save", name="save", exit_on_error=False)
    async def save_order(self, body: Any, key: str) -> None:
        import asyncio

        from client.errors import IhrError, ServiceUnavailable, Unauthorized

        # The draft on disk gets the key before the outbox does, so an order sent again from
        # the outbox after a crash and a save of the restored draft use the same key.
        written = self.flush_draft()
        if written is not None:
            await asyncio.wrap_future(written)
        outbox = self.outbox
        await asyncio.to_thread(outbox.put, key, body)
        try:
            order = await self.client.create_order(body, idempotency_key=key)
        except IhrError as exc:
            if not isinstance(exc, (ServiceUnavailable, Unauthorized)):
                # The service answered and refused it: nothing to send again later. The
                # basket and answers stay here to be corrected and saved anew.
                await asyncio.to_thread(outbox.remove, key)
            raise
        await asyncio.to_thread(outbox.remove, key)
        self.post_message(m.OrderStored(order))

    @on(m.OrderStored)
    def _order_stored(self, message: m.OrderStored) -> None:
        self.draft.order = message.order
        self.flush_draft()  # the order id, at once: a restored draft is then never saved twice
        self._step(
            "save", "done", S.saved([r.number for r in message.order.requisitions], len(message.order.specimens))
        )
        self.show_status(self.draft.steps["save"].text)

    def action_print(self) -> None:
        if self.draft.order is None:
            self.show_status(S.SAVE_FIRST, "warning")
            return
        self._step("print", "running", S.PRINTING)
        self.print_labels()

    def build_labels(self) -> list[Any]:
        from tui.labels import labels_for_order

        assert self.draft.order is not None and self.catalog is not None
        return labels_for_order(self.draft.order, self.catalog, self.draft.collected_at)

    @work(exclusive=True, group="print", name="print", exit_on_error=False)
    async def print_labels(self) -> None:
        import asyncio

        from tui.labels import send_to_printer

        labels = self.build_labels()
        where, result = await asyncio.to_thread(
            send_to_printer, labels, self.printer_url, self.journal_path, self.settings, self.settings.user or None
        )
        self.post_message(m.LabelsPrinted(len(labels), where, result))

    @on(m.LabelsPrinted)
    def _labels_printed(self, message: m.LabelsPrinted) -> None:
        scheme = self.printer_url.partition("://")[0].lower()
        self._step("print", "done", S.printed(message.count, S.PRINTER_KIND.get(scheme, scheme)))
        self.show_status(self.draft.steps["print"].text)

    def collect(self, when: datetime, who: str) -> None:
        if self.draft.order is None:
            self.show_status(S.SAVE_FIRST, "warning")
            return
        self.draft.collected_at = when
        self.draft.collected_by = who
        self._step("collect", "running", S.COLLECTING)
        self.register_collection(when, who)

    @work(exclusive=True, group="collect", name="collect", exit_on_error=False)
    async def register_collection(self, when: datetime, who: str) -> None:
        from ihr.models import CollectionInput, SpecimenCollection

        order = self.draft.order
        assert order is not None
        body = CollectionInput(
            specimens=[SpecimenCollection(specimen_id=s.id, collected_at=when, collected_by=who) for s in order.specimens]
        )
        self.post_message(m.CollectionStored(await self.client.register_collection(order.id, body)))

    @on(m.CollectionStored)
    def _collection_stored(self, message: m.CollectionStored) -> None:
        self.draft.order = message.order
        when = self.draft.collected_at
        text = S.collected(
            len(message.order.specimens),
            when.strftime("%d.%m.%Y %H:%M") if when else "",
            self.draft.collected_by or "",
        )
        self._step("collect", "done", text)
        self.show_status(text)

    def action_send(self) -> None:
        if self.draft.order is None:
            self.show_status(S.SAVE_FIRST, "warning")
            return
        if self.draft.steps["send"].state == "done":
            self.show_status(S.ALREADY_SENT, "warning")
            return
        self._step("send", "running", S.SENDING)
        self.send_order()

    @work(exclusive=True, group="send", name="send", exit_on_error=False)
    async def send_order(self) -> None:
        order = self.draft.order
        assert order is not None
        self.post_message(m.OrderSent(await self.client.send_order(order.id)))

    @on(m.OrderSent)
    def _order_sent(self, message: m.OrderSent) -> None:
        self.draft.order = message.order
        self._step("send", "done", S.sent(len(message.order.requisitions)))
        self.flush_draft()  # sent: the autosaved draft goes
        self.show_status(self.draft.steps["send"].text)

    # ---- the one place where failures come home -------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        text = getattr(error, "message", None) or S.UNEXPECTED_ERROR
        name = event.worker.name
        if not getattr(error, "message", None):
            self.log.error(f"worker {name} failed: {type(error).__name__}")
        if name == "start":  # what the peek showed is not confirmed: show what is
            self.patient_peek = self.requester_peek = None
        if name in STEP_NAMES:
            kept = name == "save" and type(error).__name__ in ("ServiceUnavailable", "Unauthorized")
            extra = " " + S.OUTBOX_KEPT if kept else ""
            self._step(name, "failed", S.failed(STEP_NAMES[name], text) + extra)
            self.show_status(self.draft.steps[name].text, "error")
            field_errors = getattr(error, "field_errors", None) or []
            for fe in field_errors[:5]:
                self.notify(fe.detail, title=S.ERROR_TITLE, severity="error")
        elif name == "start" and self.catalog is None:
            # No catalog yet (service down, nothing cached): try again, less and less often.
            self._start_attempts += 1
            delay = min(60.0, 5.0 * 2 ** (self._start_attempts - 1))
            text = S.start_failed(text, int(delay))
            self.show_status(text, "error")
            self.set_timer(delay, self._retry_start)
        else:
            if name in ("patient", "start") and type(error).__name__ == "NotFound":
                text = S.PATIENT_NOT_FOUND
            elif name == "requester" and type(error).__name__ == "NotFound":
                text = S.REQUESTER_NOT_FOUND
            self.show_status(text, "error")
        self.notify(text, title=S.ERROR_TITLE, severity="error", timeout=8)

    # ---- screens ------------------------------------------------------------------------
    def get_screen_for_mode(self, mode: str) -> Any:
        stack = self._screen_stacks.get(mode)
        return stack[0] if stack else None

    def _refresh_screen(self) -> None:
        """Ask the screens that exist to show the current state."""
        for mode in self.MODES:
            screen = self.get_screen_for_mode(mode)
            if screen is not None and screen.is_mounted and hasattr(screen, "refresh_state"):
                screen.refresh_state()

    def reset_screens(self) -> None:
        for mode in ("questions", "review"):
            screen = self.get_screen_for_mode(mode)
            if screen is not None and hasattr(screen, "reset"):
                screen.reset()

    def show_status(self, text: str, severity: str = "information") -> None:
        screen = self.screen
        for s in reversed(self.screen_stack):
            if hasattr(s, "set_status"):
                screen = s
                break
        if hasattr(screen, "set_status"):
            screen.set_status(text, severity)

    # ---- actions ----------------------------------------------------------------------
    _NAV = {"go_patient": "patient", "go_order": "order", "go_questions": "questions", "go_review": "review"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the key of the screen you are on (saves footer room at 80 columns)."""
        if action in self._NAV:
            from textual.screen import ModalScreen

            if self._NAV[action] == self.current_mode or isinstance(self.screen, ModalScreen):
                return False
        if action == "switch_mode" and parameters == ("worklist",):
            from textual.screen import ModalScreen

            if self.current_mode == "worklist" or isinstance(self.screen, ModalScreen):
                return False
        return True

    def action_help(self) -> None:
        from tui.dialogs.help import HelpDialog

        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog())

    def action_go_patient(self) -> None:
        self.switch_mode("patient")

    def action_go_order(self) -> None:
        if self.patient is None:
            self.show_status(S.NO_PATIENT, "warning")
            return
        self.switch_mode("order")

    def action_go_questions(self) -> None:
        if self.patient is None:
            self.show_status(S.NO_PATIENT, "warning")
            return
        self.switch_mode("questions")

    def action_go_review(self) -> None:
        if self.patient is None:
            self.show_status(S.NO_PATIENT, "warning")
            return
        self.switch_mode("review")

    def action_open_groups(self) -> None:
        from tui.dialogs.groups import GroupsDialog

        if self.patient is None or self.catalog is None:
            self.show_status(S.NO_PATIENT, "warning")
            return
        self.switch_mode("order")

        def picked(group: Group | None) -> None:
            if group is not None:
                self.add_group(group)

        self.push_screen(GroupsDialog(), picked)

    def action_collect_dialog(self) -> None:
        from tui.dialogs.collection import CollectionDialog

        if self.draft.order is None:
            self.show_status(S.SAVE_FIRST, "warning")
            return

        def done(result: tuple[datetime, str] | None) -> None:
            if result is not None:
                self.collect(*result)

        self.push_screen(CollectionDialog(self.clock(), self.draft.collected_by or self.settings.user), done)

    def action_choose_requester(self) -> None:
        from tui.dialogs.requester import RequesterDialog

        if self.draft.locked:
            self.show_status(S.ALREADY_SAVED, "warning")
            return

        def chosen(hpr: str | None) -> None:
            if hpr:
                self.fetch_requester(hpr)

        self.push_screen(RequesterDialog(self.requester.hpr if self.requester else ""), chosen)

    @work(exclusive=True, group="requester", name="requester", exit_on_error=False)
    async def fetch_requester(self, hpr: str) -> None:
        requester = await self.client.get_requester(hpr)
        self.post_message(m.RequesterReady(requester))
        self.post_message(m.GroupChanged(S.requester_chosen(requester.name)))

    def action_request_quit(self) -> None:
        def go(ok: bool | None) -> None:
            if ok:
                self.exit()

        if self.draft.dirty:
            from tui.dialogs.confirm import ConfirmDialog

            self.push_screen(ConfirmDialog(S.CONFIRM_QUIT), go)
        else:
            self.exit()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(NorwegianCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Any) -> Any:
        return iter(())


def _log_autosave_failure(future: Any) -> None:
    exc = future.exception()
    if exc is not None:  # the type only: no patient data in logs
        import logging

        logging.getLogger("ihr.tui").warning("draft autosave failed: %s", type(exc).__name__)


def terminal_hung_up(fd: int | None = None) -> bool:
    """True when the terminal on `fd` (default: stdin) has hung up or is gone."""
    import select
    import sys

    try:
        fd = sys.__stdin__.fileno() if fd is None else fd
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        events = poller.poll(0)
    except (OSError, ValueError, AttributeError):
        return False
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


def make_app(
    settings: Settings,
    client: Any,
    printer: str | None = None,
    context: LaunchContext | None = None,
    **kwargs: Any,
) -> IhrApp:
    """Build the app from settings and a client; tests pass their own of both.

    `client=None, client_factory=f` instead loads the client (`f()`, in a thread) after the
    first screen is drawn, with the cached catalog's search list and the patient's banner
    shown meanwhile: the command line does this so `ihr` is ready about as fast as Textual.
    """
    return IhrApp(settings, client, printer=printer, context=context, **kwargs)
