"""Etterrekvirering: add services to a specimen already taken; the service decides.

Pick the specimen, search the catalog (the app's `CatalogIndex`) and pick services with
Enter, then F7 sends an `AddOnInput`. A refusal (409: wrong material, stability ran out,
already answered …) is shown here with the service's Norwegian reason and the choice is
kept; on success the dialog says what happened and whether a new label is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ihr.models import AddOnInput, Order, Service
from ihr.rules.tubes import in_draw_order, numbered
from tui import strings as S
from tui.dialogs.base import SendingDialog
from tui.present import container_name, day_time
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar

RESULT_LIMIT = 8


@dataclass
class AddOnDone(Message):
    order: Order


class AddOnDialog(SendingDialog[tuple[Order, str, list[str]] | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    AUTO_FOCUS = "#addon-search"
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="addon_cancel", key_display="Esc"),
        Binding("f7", "submit", S.ADDON_OK, id="addon_ok"),
        Binding("f9", "remove", S.KEY_REMOVE, id="addon_remove"),
        Binding("down", "results(1)", show=False, id="addon_down"),
        Binding("up", "results(-1)", show=False, id="addon_up"),
    ]

    def __init__(self, order: Order) -> None:
        super().__init__(classes="dialog")
        self.order = order
        self.picked: list[Service] = []
        self.results: list[Service] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.ADDON_TITLE
            yield Label(S.ADDON_SPECIMEN, classes="dialog-hint")
            yield OptionList(*self._specimen_options(), id="addon-specimens", compact=True)
            yield Label(S.ADDON_SEARCH, classes="dialog-hint")
            yield TextInput(placeholder=S.SEARCH_PLACEHOLDER, id="addon-search", compact=True)
            yield OptionList(id="addon-results", compact=True)
            yield Static(S.ADDON_NONE_PICKED, id="addon-picked")
            yield Static("", classes="dialog-error", id="addon-error")
        yield KeyBar()

    def _specimen_options(self) -> list[Option]:
        catalog = self.session.catalog
        options = []
        count = len(self.order.specimens)
        for number, spec in numbered(self.order.specimens):
            name = container_name(spec.container, catalog)
            taken = S.taken_at(day_time(spec.collected_at), None) if spec.collected_at else S.DETAIL_NOT_TAKEN
            options.append(Option(f"{S.tube_name(number, count)}  {spec.id}  {name}  ({taken})", id=spec.id))
        return options

    def on_mount(self) -> None:
        specimens = self.query_one("#addon-specimens", OptionList)
        taken = [i for i, s in enumerate(in_draw_order(self.order.specimens)) if s.collected_at is not None]
        specimens.highlighted = taken[0] if taken else 0
        self._search("")

    # ---- search and pick -------------------------------------------------------------------
    @on(TextInput.Changed, "#addon-search")
    def _changed(self, event: TextInput.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        session = self.session
        results_list = self.query_one("#addon-results", OptionList)
        results_list.clear_options()
        self.results = []
        if session.index is None or session.catalog is None or not query.strip():
            results_list.display = False
            return
        found = (session.catalog.service(s.code) for s in session.index.search(query, limit=RESULT_LIMIT))
        self.results = [s for s in found if s.specimen is not None]
        for s in self.results:
            results_list.add_option(Option(f"{s.code:<9} {s.name}", id=s.code))
        results_list.display = bool(self.results)
        if self.results:
            results_list.highlighted = 0

    @on(TextInput.Moved, "#addon-search")
    def _moved(self, event: TextInput.Moved) -> None:
        self.action_results(event.delta)

    def action_results(self, delta: int) -> None:
        results_list = self.query_one("#addon-results", OptionList)
        if self.results:
            current = results_list.highlighted or 0
            results_list.highlighted = max(0, min(len(self.results) - 1, current + delta))

    @on(TextInput.Submitted, "#addon-search")
    def _submitted(self, event: TextInput.Submitted) -> None:
        results_list = self.query_one("#addon-results", OptionList)
        if self.results and results_list.highlighted is not None:
            self.pick(self.results[results_list.highlighted])
            event.input.value = ""

    @on(OptionList.OptionSelected, "#addon-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        service = next((s for s in self.results if s.code == event.option.id), None)
        if service is not None:
            self.pick(service)
            self.query_one("#addon-search", TextInput).value = ""
            self.query_one("#addon-search", TextInput).focus()

    @on(OptionList.OptionSelected, "#addon-specimens")
    def _specimen_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#addon-search", TextInput).focus()

    def pick(self, service: Service) -> None:
        if all(s.code != service.code for s in self.picked):
            self.picked.append(service)
        self.say("")
        self._show_picked()

    def action_remove(self) -> None:
        if self.picked:
            gone = self.picked.pop()
            self._show_picked()
            self.say(S.addon_removed(gone.name))

    def _show_picked(self) -> None:
        text = (f"{S.ADDON_PICKED}: " + ", ".join(s.name for s in self.picked)) if self.picked else S.ADDON_NONE_PICKED
        self.query_one("#addon-picked", Static).update(text)

    @property
    def specimen_id(self) -> str | None:
        specimens = self.query_one("#addon-specimens", OptionList)
        if specimens.highlighted is None:
            return None
        return specimens.get_option_at_index(specimens.highlighted).id

    # ---- send ----------------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.busy:
            return
        specimen_id = self.specimen_id
        if specimen_id is None:
            self.say(S.ADDON_PICK_SPECIMEN)
            return
        if not self.picked:
            self.say(S.ADDON_PICK_SERVICE)
            return
        self.start("addon", self._send(specimen_id, [s.code for s in self.picked]), S.ADDON_SENDING)

    async def _send(self, specimen_id: str, codes: list[str]) -> AddOnDone:
        order = await self.ihr.client.add_on(self.order.id, AddOnInput(specimen_id=specimen_id, service_codes=codes))
        return AddOnDone(order)

    @on(AddOnDone)
    def _done(self, message: AddOnDone) -> None:
        before = {s.id for s in self.order.specimens}
        new = [s.id for s in message.order.specimens if s.id not in before]
        text = S.addon_done([s.name for s in self.picked], self.specimen_id or "")
        text += " " + (S.ADDON_NEW_LABEL if new else S.ADDON_NO_NEW_LABEL)
        self.dismiss((message.order, text, new))

    def action_close(self) -> None:
        self.dismiss(None)
