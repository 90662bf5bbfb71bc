"""The order builder: search the catalog, fill the basket, see how to take each sample."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui import strings as S
from tui.screens.base import MainScreen
from tui.widgets.basket import BasketList, requisitions
from tui.widgets.inputs import TextInput, type_into
from tui.widgets.results import ResultList, ResultRow
from tui.widgets.support import SupportPanel

if TYPE_CHECKING:
    from ihr.models import Service
    from ihr.rules.search import Searchable

# ihr.models.Discipline values (search takes them as strings)
DISCIPLINE_CYCLE: list[str | None] = [None, "klinisk_kjemi", "mikrobiologi", "patologi", "radiologi"]
RESULT_LIMIT = 50


class OrderScreen(MainScreen):
    CSS_PATH = "order.tcss"
    AUTO_FOCUS = "#search"

    BINDINGS = [
        Binding("f6", "app.open_groups", S.KEY_GROUPS, id="groups"),
        Binding("f7", "discipline", S.KEY_DISCIPLINE, id="discipline"),
        Binding("f8", "app.toggle_priority", S.KEY_PRIORITY, id="priority"),
        Binding("f9", "remove", S.KEY_REMOVE, id="remove"),
        Binding("ctrl+n", "new_group", S.KEY_SAVE_GROUP, id="new_group"),
        Binding("down", "cursor(1)", show=False, id="results_down"),
        Binding("up", "cursor(-1)", show=False, id="results_up"),
        Binding("pagedown", "cursor(10)", show=False, id="results_pagedown"),
        Binding("pageup", "cursor(-10)", show=False, id="results_pageup"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.discipline: str | None = None
        self._searched: tuple[object, ...] | None = None
        # What search found: `SearchEntry` from the start-up index or `Service` models; both
        # have code, name and discipline, and the rest is looked up in the catalog.
        self._results: list[Searchable] = []
        self._support_pending = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="order-body"):
            with Vertical(id="order-left"):
                yield TextInput(placeholder=S.SEARCH_PLACEHOLDER, id="search", compact=True)
                yield Static("", id="search-info")
                yield ResultList(id="results")
            with Vertical(id="order-right"):
                yield Static("", id="basket-title")
                yield BasketList(id="basket")
                yield SupportPanel(id="support")

    def on_mount(self) -> None:
        self.refresh_state()

    def patient_changed(self, first: bool) -> None:
        """Another patient: what was typed for the one before goes (a search typed while the
        first patient was loading is kept)."""
        if not first:
            self.query_one("#search", TextInput).value = ""

    # ---- state --------------------------------------------------------------------
    def refresh_state(self) -> None:
        session = self.session
        if not self.is_mounted:
            return
        self._search()
        if self._enter_waiting is not None and (session.index is not None or not session.starting):
            self._take_waiting_enter()
        if session.catalog is not None and self._support_pending:  # highlighted before it loaded
            table = self.query_one(ResultList)
            self._show_support(table.rows[table.cursor_row].code if table.row_count else None)
        basket = self.query_one(BasketList)
        basket.show_items(session.draft.items, session.catalog, session.pending)
        kinds = [r.kind for r in requisitions(session.draft.items, session.catalog)] if session.catalog else []
        imaging = sum(1 for service in session.draft.services if service.discipline == "radiologi")
        analyses = len(session.draft.items) - imaging + len(session.pending)
        summary = S.basket_summary(analyses, kinds.count("rekvisisjon"), imaging, kinds.count("henvisning"))
        self.query_one("#basket-title", Static).update(Text(f"{S.BASKET_TITLE}: {summary}", style="bold"))

    # ---- search -------------------------------------------------------------------
    @on(TextInput.Changed, "#search")
    def _changed(self, event: TextInput.Changed) -> None:
        # Coalesce: keystrokes queued before this runs are covered by one search.
        self.call_later(self._search)

    def _search(self) -> None:
        index = self.session.index
        query = self.query_one("#search", TextInput).value
        if index is None:
            self.query_one("#search-info", Static).update(S.CATALOG_LOADING)
            return
        key = (query, self.discipline, index)  # a new index (catalog version): search again
        if key == self._searched:
            return
        self._searched = key
        # Without a query: the first services of the chosen discipline, in catalog order.
        results = index.search(query, discipline=self.discipline, limit=RESULT_LIMIT)
        self._results = results
        short = S.DISCIPLINES_SHORT
        self.query_one(ResultList).set_rows([ResultRow(s.code, short.get(s.discipline, ""), s.name) for s in results])
        scope = S.DISCIPLINES[self.discipline] if self.discipline else S.DISCIPLINE_ALL
        self.query_one("#search-info", Static).update(f"{scope} · {S.search_count(len(results), results.total)}")

    def _show_support(self, code: str | None) -> None:
        catalog = self.session.catalog
        self._support_pending = catalog is None
        service: Service | None = catalog.service(code) if code and catalog is not None else None
        self.query_one(SupportPanel).show(service, catalog)

    @on(ResultList.Highlighted, "#results")
    def _highlighted(self, event: ResultList.Highlighted) -> None:
        if 0 <= event.index < len(self._results):
            self._show_support(self._results[event.index].code)
        else:
            self._show_support(None)

    @on(BasketList.OptionHighlighted, "#basket")
    def _basket_highlighted(self, event: BasketList.OptionHighlighted) -> None:
        self._show_support(event.option.id)

    @on(TextInput.Submitted, "#search")
    def _submitted(self, event: TextInput.Submitted) -> None:
        if self.session.index is None:
            # Typed during start-up, before there is a list to choose from: the Enter is taken
            # when the list comes, and the keys typed after it wait for that (tui.keys).
            if self._enter_waiting is None:
                self._enter_waiting = (event.value, asyncio.Event())
                self.ihr.keys.hold(self, self._enter_waiting[1])
            return
        self._choose()

    def _choose(self) -> None:
        """Enter: the highlighted result into the basket, and the field emptied for the next."""
        self._search()  # keys may come in a burst: search what is typed before choosing
        table, field = self.query_one(ResultList), self.query_one("#search", TextInput)
        if self._results and 0 <= table.cursor_row < len(self._results):
            if self.ihr.add_service(self._results[table.cursor_row].code):
                field.value = ""  # ready for the next one

    #: An Enter typed before the search list had come: the text it was typed after, and what
    #: the keys typed after it wait for.
    _enter_waiting: tuple[str, asyncio.Event] | None = None

    def _take_waiting_enter(self) -> None:
        """The list has come (or start-up failed without one): the Enter typed meanwhile
        chooses, if the field still holds what it was typed after."""
        assert self._enter_waiting is not None
        typed, done = self._enter_waiting
        self._enter_waiting = None
        if self.session.index is not None and self.query_one("#search", TextInput).value == typed:
            self._choose()
        done.set()

    async def on_key(self, event: events.Key) -> None:
        """A letter or Backspace typed while the result list has focus goes on in the search."""
        if self.focused is self.query_one(ResultList):
            await type_into(self.query_one("#search", TextInput), event)

    @on(ResultList.Selected, "#results")
    def _selected(self, event: ResultList.Selected) -> None:
        self.ihr.add_service(event.code)

    @on(TextInput.Moved, "#search")
    def _moved(self, event: TextInput.Moved) -> None:
        self.action_cursor(event.delta)

    def action_cursor(self, delta: int) -> None:
        self.query_one(ResultList).action_move(delta)

    def action_discipline(self) -> None:
        i = DISCIPLINE_CYCLE.index(self.discipline)
        self.discipline = DISCIPLINE_CYCLE[(i + 1) % len(DISCIPLINE_CYCLE)]
        self._search()

    def action_remove(self) -> None:
        self.ihr.remove_service(self.query_one(BasketList).highlighted_code)

    def action_new_group(self) -> None:
        from tui.dialogs.groups import GroupNameDialog

        app = self.ihr
        if not app.session.draft.items:
            self.set_status(S.GROUP_BASKET_EMPTY, "warning")
            return

        def done(result: tuple[str, str] | tuple[str, str, bool] | None) -> None:
            if result is not None:
                name, scope = result[0], result[1]
                app.save_group(None, name, list(app.session.draft.codes), scope)

        app.push_screen(GroupNameDialog(S.GROUP_NAME_TITLE), done)
