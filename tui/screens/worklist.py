"""The worklist: today's orders of the office, or the open patient's history, kept current.

Narrowed to the work (`ihr.rules.worklist`): F8 steps through the filters (saved and not
sent, waiting for a sample, sent without a receipt for an hour, refused), F9 one day back
(back to today after a week), Ctrl+F to the search by requisition number or specimen id;
the header says what narrows the list.

Polling: a one-shot timer starts a fetch worker; the next poll comes 2 s later while things
change and doubles up to 30 s while nothing does. A fetch that finds what is already shown
touches no widget (an idle screen writes nothing); a changed order updates its row only.
Polling stops while the screen is not shown (another mode, a dialog or the order detail on
top) and starts again, at once, when it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from ihr.models import OrderSummary
from ihr.rules.followup import REJECTED
from ihr.rules.worklist import WORK_FILTER_TEXTS, WorkFilter, narrowed
from tui import strings as S
from tui.present import diff_rows, worklist_cells
from tui.screens.base import MainScreen
from tui.screens.order_detail import OrderDetailScreen
from tui.screens.polling import Polling
from tui.widgets.inputs import TextInput
from tui.work import JobFailed, run_job

SERVICES_WIDTH = 14  # at 80 columns; wider terminals give the services the rest
COLUMNS = ("time", "number", "patient", "services", "tubes", "status")
FIXED_WIDTH = 9 + 16 + 5 + 17 + 12 + 2  # number, patient, tubes, status, cell padding, scrollbar
DAYS_BACK = 7  # F9 steps back this many days, then to today again


@dataclass
class WorklistFetched(Message):
    scope: str
    patient_id: str | None
    summaries: list[OrderSummary]


class WorklistScreen(Polling, MainScreen):
    CSS_PATH = "worklist.tcss"
    AUTO_FOCUS = "#worklist"

    BINDINGS = [
        # priority: shown in the footer and taken before the table's own (hidden) Enter
        Binding("enter", "open", S.KEY_OPEN, id="worklist_open", key_display="Enter", priority=True),
        Binding("f6", "scope", S.KEY_SCOPE, id="worklist_scope"),
        Binding("f7", "poll_now", S.KEY_REFRESH, id="worklist_refresh"),
        Binding("f8", "work_filter", S.KEY_WORK_FILTER, id="worklist_filter"),
        Binding("f9", "day_back", S.KEY_WORK_DAY, id="worklist_day"),
        Binding("ctrl+f", "search", S.KEY_WORK_SEARCH, id="worklist_search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = "today"  # or "patient"
        self.shown: list[OrderSummary] = []
        self.loaded = False
        self.init_polling()
        self.failing = False  # the last fetch failed (said once)
        self.services_width = SERVICES_WIDTH
        self.work = WorkFilter.ALL
        self.days_back = 0  # the day shown (today's list): today, or this many days before
        self.typed = ""  # the search: a requisition number or specimen id, or its start
        self.fetched: list[OrderSummary] = []  # what the service has, before narrowing

    def compose_body(self) -> ComposeResult:
        yield Static(S.WORKLIST_LOADING, id="worklist-title")
        yield TextInput(placeholder=S.WORKLIST_SEARCH, id="worklist-search", max_length=20, compact=True)
        table: DataTable[Any] = DataTable(id="worklist", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#worklist", DataTable)
        widths = (5, 9, 16, SERVICES_WIDTH, 5, 17)
        for key, label, width in zip(COLUMNS, S.WORKLIST_COLS, widths, strict=False):
            table.add_column(label, key=key, width=width)
        self._set_time_width()

    def on_resize(self) -> None:
        """Give the services column what the terminal has room for (rows redrawn only then)."""
        time_width = 8 if self.scope == "patient" else 5
        width = max(SERVICES_WIDTH, self.size.width - FIXED_WIDTH - time_width)
        if width == self.services_width:
            return
        self.services_width = width
        table = self.query_one("#worklist", DataTable)
        column = table.columns.get("services")  # type: ignore[call-overload]
        if column is not None:
            column.width = width
        if self.loaded:
            shown, self.shown, self.loaded = self.shown, [], False
            self.apply(shown)

    # ---- showing and hiding ---------------------------------------------------------------
    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.scope == "patient" and self.session.patient is None:
            self.scope = "today"
        self.start_polling()

    # ---- fetching ---------------------------------------------------------------------------
    def action_poll_now(self) -> None:
        self.poll_now()

    def start_fetch(self) -> None:
        patient = self.session.patient
        patient_id = patient.id if (self.scope == "patient" and patient is not None) else None
        run_job(self, "worklist", self._fetch(self.scope, patient_id))

    async def _fetch(self, scope: str, patient_id: str | None) -> WorklistFetched:
        client = self.ihr.client
        if scope == "patient" and patient_id:
            found = await client.list_orders(patient=patient_id)
        else:
            found = await client.list_orders(since=self.day)
        return WorklistFetched(scope, patient_id, found)

    @property
    def day(self) -> date:
        """The day today's list shows."""
        return self.ihr.clock().date() - timedelta(days=self.days_back)

    @on(JobFailed)
    def _failed_fetch(self, failure: JobFailed) -> None:
        failure.stop()
        if not self.failing:  # say it once, not on every retry
            self.failing = True
            self.set_status(failure.text, "error")
        self.poll_done(False)

    @on(WorklistFetched)
    def _fetched(self, message: WorklistFetched) -> None:
        self.polls += 1
        if self.failing:
            self.failing = False
            self.set_status("")
        if message.scope != self.scope:  # the scope changed while fetching: fetch again
            self.poll_again_soon()
            return
        self.fetched = message.summaries
        self.poll_done(self.apply(self.narrowed()))

    def narrowed(self) -> list[OrderSummary]:
        """What the list shows of what was fetched: the day, the filter, the search."""
        day = self.day if self.scope == "today" else None
        return narrowed(self.fetched, work=self.work, day=day, typed=self.typed, now=self.ihr.clock())

    def _narrow_again(self) -> None:
        if self.loaded:
            self.shown, self.loaded = [], False
            self.apply(self.narrowed())

    # ---- rows ------------------------------------------------------------------------------
    def apply(self, fetched: list[OrderSummary]) -> bool:
        """Show `fetched`; True when anything shown changed (no widget is touched otherwise)."""
        diff = diff_rows(self.shown, fetched)
        first = not self.loaded
        self.loaded = True
        if diff.nothing and not first:
            return False
        self.repaints += 1
        table = self.query_one("#worklist", DataTable)
        history = self.scope == "patient"
        if diff.rebuild or first:
            current = self.current_id
            table.clear()
            for s in fetched:
                table.add_row(*worklist_cells(s, history=history, services_width=self.services_width), key=s.id)
            if current is not None and any(s.id == current for s in fetched):
                table.move_cursor(row=table.get_row_index(current), animate=False)
        else:
            for s in diff.changed:
                for key, cell in zip(COLUMNS,
                                     worklist_cells(s, history=history, services_width=self.services_width), strict=False):
                    table.update_cell(s.id, key, cell)
        self.shown = list(fetched)
        self._show_title()
        return True

    def _show_title(self) -> None:
        patient = self.session.patient
        if self.scope == "patient" and patient is not None:
            title = S.worklist_history(patient.display_name)
            empty = S.WORKLIST_EMPTY_HISTORY
        else:
            title = S.WORKLIST_TODAY if not self.days_back else S.worklist_day(self.day.strftime("%d.%m.%Y"))
            empty = S.WORKLIST_EMPTY_TODAY
        text = Text(title, style="bold")
        work = WORK_FILTER_TEXTS[self.work] if self.work is not WorkFilter.ALL else None
        if work or self.typed:
            text.append("  ")
            text.append(S.worklist_narrowed(work, self.typed), style="bold reverse")
        rejected = sum(1 for s in self.shown if s.status in REJECTED)
        text.append("  ")
        text.append(S.worklist_count(len(self.shown), rejected) if self.shown else empty,
                    style="bold red" if rejected else "")
        self.query_one("#worklist-title", Static).update(text)

    def _set_time_width(self) -> None:
        table = self.query_one("#worklist", DataTable)
        column = table.columns.get("time")  # type: ignore[call-overload]
        if column is not None:
            column.width = 8 if self.scope == "patient" else 5
            table.refresh()

    @property
    def current_id(self) -> str | None:
        table = self.query_one("#worklist", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None

    # ---- actions ----------------------------------------------------------------------------
    def action_scope(self) -> None:
        if self.scope == "today" and self.session.patient is None:
            self.set_status(S.WORKLIST_NO_PATIENT, "warning")
            return
        self.scope = "patient" if self.scope == "today" else "today"
        self.shown = []
        self.loaded = False
        self._set_time_width()
        self.query_one("#worklist", DataTable).clear()
        self.query_one("#worklist-title", Static).update(S.WORKLIST_LOADING)
        self.poll_again_soon()

    def action_work_filter(self) -> None:
        """F8: the next filter (all, not sent, waiting for a sample, no receipt, refused)."""
        order = list(WorkFilter)
        self.work = order[(order.index(self.work) + 1) % len(order)]
        self._narrow_again()
        self._show_title()

    def action_day_back(self) -> None:
        """F9: today's list one day back (after a week, today again)."""
        if self.scope != "today":
            return
        self.days_back = (self.days_back + 1) % (DAYS_BACK + 1)
        self.shown, self.loaded = [], False
        self.query_one("#worklist", DataTable).clear()
        self.query_one("#worklist-title", Static).update(S.WORKLIST_LOADING)
        self.poll_again_soon()

    def action_search(self) -> None:
        self.query_one("#worklist-search", TextInput).focus()

    @on(TextInput.Changed, "#worklist-search")
    def _search_changed(self, event: TextInput.Changed) -> None:
        self.typed = event.value.strip()
        self._narrow_again()
        self._show_title()

    def action_open(self) -> None:
        order_id = self.current_id
        if order_id:
            self.open_order(order_id)

    @on(DataTable.RowSelected, "#worklist")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_order(event.row_key.value)

    def open_order(self, order_id: str) -> None:
        self.app.push_screen(OrderDetailScreen(order_id))

    def refresh_state(self) -> None:
        """The app's state changed (patient, catalog …): only the title may need it."""
        if self.is_mounted and self.loaded:
            self._show_title()
