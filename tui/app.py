"""The Textual application: modes, keys, and the handlers that change the order session.

`make_app(settings, client, printer=..., context=...)` builds it; `tui.cli` and the tests
call that. Where things live:

- `tui.session.OrderSession` holds what the secretary works on (catalog, patient,
  requester, the `OrderDraft`) and decides every change to it, in plain Python.
- I/O runs as jobs (`tui.workflow`, `tui.startup`, and the dialogs' own) started with
  `tui.work.run_job`; each comes home as a message handled here, or as `JobFailed` (see
  `tui.work` for the one convention for failures).
- `tui.autosave` keeps the draft on disk; `tui.scanner` recognises a barcode scanner.
- Screens (`tui.screens`) show the session and call the app's public methods below.

This is the router: keeping every handler of what start-up and the session's jobs bring
home here lets a newcomer find them in one place (the review's steps are decided by the
session and handled by the review screen, which started their jobs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from ihr.rules.identifiers import InvalidPersonId, parse_person_id
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.autosave import Autosave
from tui.commands import IhrCommands, NorwegianCommandPalette
from tui.context import LaunchContext
from tui.crash import NotesUnhandled
from tui.keys import KeysInOrder, laid_out
from tui.printer import SessionPrinter
from tui.routing import RoutesKeys
from tui.scanner import Scanner
from tui.screens.base import MainScreen
from tui.session import Notice, OrderSession
from tui.terminal import TERMINAL_CHECK_S, terminal_hung_up
from tui.work import JobFailed, run_job

if TYPE_CHECKING:  # the domain and pydantic load after the first screen is drawn
    from ihr.models import Group
    from ihr.settings import Settings
    from tui.ports import IhrPort


def _screen(module: str, name: str) -> Screen[Any]:
    """Import a main screen when it is first shown (keeps cold start short)."""
    screen: Screen[Any] = getattr(importlib.import_module(f"tui.screens.{module}"), name)()
    return screen


class IhrApp(NotesUnhandled, SessionPrinter, RoutesKeys):
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
        Binding("f3", "go('order')", S.KEY_ORDER, id="order"),
        Binding("f4", "go('questions')", S.KEY_QUESTIONS, id="questions"),
        Binding("f5", "go('review')", S.KEY_REVIEW, id="review"),
        Binding("f10", "go_worklist", S.KEY_WORKLIST, id="worklist"),
        Binding("ctrl+q", "request_quit", S.KEY_QUIT, id="quit", priority=True),
        Binding("ctrl+p", "command_palette", S.KEY_PALETTE, id="palette", priority=True),
        # Everywhere, as the banner says; shown in the review's key bar (room at 80 columns).
        Binding("ctrl+r", "choose_requester", S.KEY_REQUESTER, show=False, id="requester_any"),
        # Everywhere, as the start-up notice says (inside a text field Ctrl+U clears the field).
        Binding("ctrl+u", "print_queue", S.KEY_PRINT_QUEUE, show=False, id="print_queue_any"),
        Binding("ctrl+c", "request_quit", show=False, id="quit_c", system=True),
        # Priority, so focus moves before the keys typed right after Tab are routed: a fast
        # typist or a scanner with a Tab suffix would otherwise type into the old field.
        Binding("tab", "focus_next", show=False, id="focus_next", priority=True),
        Binding("shift+tab", "focus_previous", show=False, id="focus_previous", priority=True),
    ]

    #: Bumped whenever the session changes; the banner watches it.
    revision: reactive[int] = reactive(0, init=False)

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
        print_terminal: Callable[[], Any] | None = None,
    ) -> None:
        # With a patient from the EPJ, open straight on the order builder (no empty search
        # screen first); App.__init__ reads this to create the first screen stack.
        self.DEFAULT_MODE = "order" if context is not None and context.patient_id else "patient"  # type: ignore[misc]
        super().__init__()
        self.settings = settings
        self.client = client  # client.IhrClient; None until `client_factory` has made it
        self.init_printer(printer, print_terminal)
        self.journal_path = journal_path or settings.db_path  # the one SQLite file
        self.session = OrderSession(
            context=context,
            office_her_id=settings.office_her_id,
            clock=clock,
            on_draft_change=self._draft_changed,
            user_hpr=settings.user_hpr,
        )
        self.autosave = Autosave(self.session, lambda: _local_store("client.drafts", "DraftStore", settings), self._schedule_autosave)
        self.scanner = Scanner()
        self.keys = KeysInOrder(self, self._route_key, is_text_field=_is_text_field)
        self._outbox = outbox
        self._owns_client = owns_client
        self._client_factory = client_factory
        self._start_attempts = 0
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def clock(self) -> datetime:
        return self.session.clock()

    @property
    def outbox(self) -> Any:
        """Orders not yet accepted by the service (`client.outbox.Outbox`)."""
        if self._outbox is None:
            self._outbox = _local_store("client.outbox", "Outbox", self.settings)
        return self._outbox

    def _schedule_autosave(self, delay: float, callback: Callable[[], object]) -> Any:
        return self.set_timer(delay, callback, name="autosave") if self.is_running else None

    def _draft_changed(self) -> None:
        self.autosave.changed()

    # ---- lifecycle --------------------------------------------------------------------
    def on_mount(self) -> None:
        self.load_start()
        if not self.is_headless:
            self.set_interval(TERMINAL_CHECK_S, lambda: self.exit() if terminal_hung_up() else None,
                              name="terminal-check")

    def load_start(self) -> None:
        """Load the client, catalog, patient and groups (again, after a failed start)."""
        from tui.startup import start  # start-up seam

        factory, self._client_factory = self._client_factory, None
        run_job(self, "start", start(self, factory), holds_keys=False)

    async def on_unmount(self) -> None:
        self.keys.stop()
        self.autosave.close()
        if self._owns_client and self.client is not None:  # None: quit before it had loaded
            await self.client.aclose()

    # ---- what the jobs bring home -------------------------------------------------------
    @on(m.IndexReady)
    def _index_ready(self, message: m.IndexReady) -> None:
        self.session.set_preview_index(message.index, message.etag)
        self.state_changed()

    @on(m.Peeked)
    def _peeked(self, message: m.Peeked) -> None:
        session = self.session
        if session.patient is None:
            session.patient_peek = message.patient
        if session.requester is None:
            session.requester_peek = message.requester
        self.state_changed()

    @on(m.CatalogReady)
    def _catalog_ready(self, message: m.CatalogReady) -> None:
        session = self.session
        session.set_catalog(message.result, message.index)
        self._hand_orders_back()
        pending = self.autosave.restore_pending
        if pending and session.patient is not None and session.patient.id == pending and not session.draft.dirty:
            self._restore_draft()
        self.state_changed()
        self._add_pending()

    @on(m.OfficeReady)
    def _office_ready(self, message: m.OfficeReady) -> None:
        self.session.office = message.office

    def _hand_orders_back(self) -> None:
        """Every change to an order that the service answers goes back to the journal (EPJ)
        as FHIR, where the settings say (`client.epj`); a failure is said like any other."""
        from client.epj import JournalReturn  # start-up seam

        journal = JournalReturn.from_settings(self.settings)
        if self.client is None or not journal.wanted or getattr(self.client, "order_changed", None) is not None:
            return
        count = iter(range(1, 1 << 62))

        def changed(order: Any) -> None:  # on the event loop, in the job that changed the order
            run_job(self, f"epj-return-{next(count)}", self._hand_back(journal, order))

        self.client.order_changed = changed

    async def _hand_back(self, journal: Any, order: Any) -> None:
        await journal.hand_back(self.client, order, self.session.catalog, self.clock())

    @on(m.StartedUp)
    def _started_up(self) -> None:
        run_job(self, "outbox", workflow.resend_outbox(self.client, self.outbox, self.autosave.store), holds_keys=False)
        run_job(self, "print-queue", workflow.print_queue_notice(self.journal_path), holds_keys=False)

    @on(m.GroupsReady)
    def _groups_ready(self, message: m.GroupsReady) -> None:
        self.session.groups = message.groups
        if message.changed:
            self.show_status(S.group_saved(message.changed))
        elif message.deleted:
            self.show_status(S.group_deleted(message.deleted))
        elif message.stale:
            self.show_status(S.group_stale(message.stale), "error")
            self.notify(S.group_stale(message.stale), title=S.ERROR_TITLE, severity="error", timeout=8)
        self.state_changed()

    @on(m.RequesterReady)
    def _requester_ready(self, message: m.RequesterReady) -> None:
        self.session.set_requester(message.requester)
        if self.session.draft.dirty:
            self.autosave.changed()
        if message.chosen:
            self.show_status(S.requester_chosen(message.requester.name))
        self.state_changed()

    @on(m.PatientReady)
    def _patient_ready(self, message: m.PatientReady) -> None:
        if self.autosave.waiting:
            self.autosave.flush()  # the previous patient's last changes
        first = self.session.patient is None
        changed = self.session.set_patient(message.patient, message.history)
        self.switch_mode("order")  # first: what the restore says goes on the order builder's line
        if changed:
            self._reset_screens()
            self._patient_changed(first)
            self._restore_draft()
        self.state_changed()
        self._add_pending()

    @on(m.OrderRestored)
    def _order_restored(self, message: m.OrderRestored) -> None:
        draft = self.session.draft
        if message.draft is not draft or draft.order is not None:  # another order since
            return
        if self.session.order_restored(message.order):
            self.autosave.flush()  # sent already: nothing left to keep
        self.state_changed()

    @on(m.OutboxSent)
    def _outbox_sent(self, message: m.OutboxSent) -> None:
        draft = self.session.draft
        for key, order in message.stored:
            if draft.idempotency_key == key and draft.order is None:
                notice = self.session.order_stored(order)
                self.autosave.flush()  # the order id, at once: a restored draft is then never saved twice
                self.tell(notice)
        self.show_status(S.outbox_resent(len(message.stored)))

    @on(m.Notice)
    def _notice(self, message: m.Notice) -> None:
        self.show_status(message.text)

    @on(JobFailed)
    def _job_failed(self, failure: JobFailed) -> None:
        """Every failure that no screen or dialog showed in its own place ends here."""
        text, name = failure.text, failure.name
        if name == "start":
            self.session.forget_peeks()  # what the preview showed is not confirmed
            self.state_changed()
            if self.session.catalog is None:
                # No catalog yet (service down, nothing cached): try again, less and less often.
                self._start_attempts += 1
                delay = min(60.0, 5.0 * 2 ** (self._start_attempts - 1))
                text = S.start_failed(text, int(delay))
                self.set_timer(delay, self._retry_start)
            elif failure.is_a("NotFound"):
                text = S.PATIENT_NOT_FOUND
        elif failure.is_a("NotFound"):
            text = {"patient": S.PATIENT_NOT_FOUND, "requester": S.REQUESTER_NOT_FOUND, "scan": S.SCAN_UNKNOWN}.get(
                name, text
            )
        elif name == "scan" and failure.is_a("ValidationProblem"):
            text = S.SCAN_BAD
        self.show_status(text, "error")
        self.notify(text, title=S.ERROR_TITLE, severity="error", timeout=8)

    def _retry_start(self) -> None:
        if self.session.catalog is None:
            self.load_start()

    # ---- the session, as the screens ask -------------------------------------------------
    def tell(self, notice: Notice | None) -> None:
        """Show what a change of the session did (and refresh the screens)."""
        if notice is not None:
            self.show_status(notice.text, notice.severity)
            if notice.alert:
                title = S.ERROR_TITLE if notice.severity == "error" else S.WARNING_TITLE
                self.notify(notice.text, title=title, severity=notice.severity)  # type: ignore[arg-type]
        self.state_changed()

    def add_service(self, code: str) -> bool:
        """Put a service in the basket; True when it went in (or waits for the catalog)."""
        notice = self.session.add_service(code)
        self.tell(notice)
        return notice.done

    def remove_service(self, code: str | None = None) -> None:
        self.tell(self.session.remove_service(code))

    def add_group(self, group: Group) -> None:
        self.tell(self.session.add_group(group))

    def _add_pending(self) -> None:
        for notice in self.session.add_pending():
            self.tell(notice)

    def open_patient(self, text: str) -> bool:
        """Validate a fødselsnummer and open that patient; False (and a message) if wrong."""
        try:
            pid = parse_person_id(text, allow_synthetic=not self.settings.production)
        except InvalidPersonId as exc:
            self.tell(Notice(exc.message, "error", alert=True))
            return False
        if self.session.patient is not None and self.session.patient.id == pid.value:
            self.switch_mode("order")
            return True

        def go() -> None:
            self.session.new_draft()
            self.autosave.flush()  # discarded deliberately: the old patient's draft goes
            self._reset_screens()
            run_job(self, "patient", workflow.fetch_patient(self.client, pid.value))

        self._confirm_discard(S.CONFIRM_CHANGE_PATIENT, go)
        return True

    def save_group(self, group: Group | None, name: str, codes: list[str], scope: str) -> None:
        """A new group (`group` None), or a change of `group` as the secretary saw it."""
        from ihr.models import GroupInput  # start-up seam

        body = GroupInput(name=name, service_codes=codes, scope=scope)  # type: ignore[arg-type]
        session = self.session
        run_job(self, "groups", workflow.save_group(self.client, group, body, session.worker_hpr,
                                                    session.office_her_id))

    def delete_group(self, group: Group) -> None:
        session = self.session
        run_job(self, "groups", workflow.delete_group(self.client, group, session.worker_hpr, session.office_her_id))

    def _restore_draft(self) -> None:
        restored = self.autosave.restore()
        if restored is None:
            return
        self._reset_screens()
        self.show_status(restored.text)
        self.session.fill_from_journal()  # marks again the answers that are the journal's
        if restored.changed:
            self.autosave.changed()  # keep the basket as it now is
        if restored.requester_hpr:
            run_job(self, "requester", workflow.fetch_requester(self.client, restored.requester_hpr))
        if restored.order_id:
            run_job(self, "restore", workflow.restore_order(self.client, restored.order_id, self.session.draft))

    def _confirm_discard(self, question: str, go: Callable[[], None]) -> None:
        """Run `go` at once, or after a yes when the open order has unsent work."""
        if not self.session.draft.dirty:
            go()
            return
        from tui.dialogs.confirm import ConfirmDialog  # start-up seam

        self.push_screen(ConfirmDialog(question), lambda ok: go() if ok else None)

    # ---- save, print, collect, send: the review screen's steps ------------------------------
    def finish(self, step: str) -> None:
        """Run a step of the review (save, print, collect, send) from wherever the secretary
        is: the review's own key (its `step` action), once the review is shown."""
        self.switch_mode("review")
        screen = self.screen_for_mode("review")
        if screen is not None:
            self.call_later(screen.run_action, f"step({step!r})")

    # ---- screens --------------------------------------------------------------------------
    def screen_for_mode(self, mode: str) -> Screen[Any] | None:
        """The main screen of a mode, if it has been made."""
        try:
            stack = self.get_screen_stack(mode)
        except KeyError:
            return None
        return stack[0] if stack else None

    def state_changed(self) -> None:
        """The session changed: the banner and every main screen that exists show it."""
        self.revision += 1
        for mode in self.MODES:
            screen = self.screen_for_mode(mode)
            if isinstance(screen, MainScreen) and screen.is_mounted:
                screen.refresh_state()

    def _reset_screens(self) -> None:
        """A new draft: the screens forget what they showed of the old one, their status
        lines included (news of the old order is not news of this one)."""
        for mode in self.MODES:
            screen = self.screen_for_mode(mode)
            if isinstance(screen, MainScreen):
                screen.set_status("")
                screen.reset()

    def _patient_changed(self, first: bool) -> None:
        """Another patient: the searches typed for the one before are emptied."""
        for mode in self.MODES:
            screen = self.screen_for_mode(mode)
            if isinstance(screen, MainScreen) and screen.is_mounted:
                screen.patient_changed(first)

    def show_status(self, text: str, severity: str = "information") -> None:
        """Put `text` on the status line of the main screen the secretary sees."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                screen.set_status(text, severity)
                return

    @on(m.SpecimenFound)
    def _specimen_found(self, message: m.SpecimenFound) -> None:
        from tui.dialogs.reprint import open_reprint  # start-up seam

        open_reprint(self, message.order, message.specimen_ids)

    # ---- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the key of the screen you are on (saves footer room at 80 columns)."""
        target = {"go": parameters[0] if parameters else None, "go_patient": "patient", "go_worklist": "worklist"}
        if action in target:
            return not (target[action] == self.current_mode or isinstance(self.screen, ModalScreen))
        if action == "choose_requester":
            return not isinstance(self.screen, ModalScreen)
        return True

    async def action_focus_next(self) -> None:  # type: ignore[override]  # Textual awaits an async action
        """Tab: focus moves in the screen's order, which the layout decides; a question the
        keys before it brought up must be laid out first, or Tab would pass it by."""
        await laid_out(self.screen)
        self.screen.focus_next()

    async def action_focus_previous(self) -> None:  # type: ignore[override]  # as above
        await laid_out(self.screen)
        self.screen.focus_previous()

    def action_help(self) -> None:
        from tui.dialogs.help import HelpDialog  # start-up seam

        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog())

    def action_go_patient(self) -> None:
        self.switch_mode("patient")

    def action_go_worklist(self) -> None:
        self.switch_mode("worklist")

    def action_go(self, mode: str) -> None:
        """To one of the patient's screens (order, questions, review)."""
        if self.session.patient is None:
            self.tell(Notice(S.NO_PATIENT, "warning"))
            return
        self.switch_mode(mode)

    def action_open_groups(self) -> None:
        from tui.dialogs.groups import GroupsDialog  # start-up seam

        if self.session.patient is None or self.session.catalog is None:
            self.tell(Notice(S.NO_PATIENT, "warning"))
            return
        self.switch_mode("order")
        self.push_screen(GroupsDialog(), lambda group: self.add_group(group) if group is not None else None)

    def action_print_queue(self) -> None:
        """The print jobs not known to be printed: retry, another printer, confirm, drop."""
        from tui.dialogs.printqueue import PrintQueueDialog  # start-up seam

        if not isinstance(self.screen, PrintQueueDialog):
            self.push_screen(PrintQueueDialog())

    def action_toggle_priority(self) -> None:
        self.tell(self.session.toggle_priority())

    def action_choose_requester(self) -> None:
        from tui.dialogs.requester import RequesterDialog  # start-up seam

        if self.session.draft.locked:
            self.tell(Notice(S.ALREADY_SAVED, "warning"))
            return

        def chosen(hpr: str | None) -> None:
            if hpr:
                run_job(self, "requester", workflow.fetch_requester(self.client, hpr, chosen=True))

        self.push_screen(RequesterDialog(self.session.requester_hpr), chosen)

    def action_new_order(self) -> None:
        def go() -> None:
            self.session.new_draft()
            self.autosave.flush()  # a new order: the old draft goes
            self._reset_screens()
            self.switch_mode("order")
            self.state_changed()

        self._confirm_discard(S.CONFIRM_NEW_ORDER, go)

    def action_request_quit(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog  # start-up seam

        if self.session.draft.dirty:
            self.push_screen(ConfirmDialog(S.CONFIRM_QUIT), lambda ok: self.exit() if ok else None)
        else:
            self.exit()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(NorwegianCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        return iter(())


def _local_store(module: str, name: str, settings: Settings) -> Any:
    """A store in the one local SQLite file (its folder made on first use; imported late)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return getattr(importlib.import_module(module), name)(settings.db_path)


def _is_text_field(widget: Any) -> bool:
    return isinstance(widget, (Input, TextArea))


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


if TYPE_CHECKING:

    def _is_a_port(app: IhrApp) -> IhrPort:
        """The type checker's proof that the screens' view of the app is the app."""
        return app
