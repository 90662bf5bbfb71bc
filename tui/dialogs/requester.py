"""Choose the requesting doctor (rekvirent): from the office's doctors, or by HPR number
(typed or scanned), when the EPJ did not give one or the order is for another doctor.

The HPR field has the focus, so a scanned or typed number goes where it belongs; Up and
Down move through the office's doctors and put the highlighted one's number in the field;
Enter takes the number in the field.
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

from ihr.models import Requester
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar
from tui.work import JobFailed, run_job


@dataclass
class RequestersFound(Message):
    requesters: list[Requester]


class RequesterDialog(Dialog[str | None]):
    """Dismisses with an HPR number (digits) or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("enter", "submit", S.KEY_PICK, id="requester_ok", key_display="Enter"),
        Binding("escape", "close", S.KEY_CANCEL, id="requester_cancel", key_display="Esc"),
    ]

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box requester-box") as box:
            box.border_title = S.REQUESTER_TITLE
            yield Label(S.REQUESTER_LABEL)
            yield TextInput(self.current, id="requester-hpr", max_length=9, restrict=r"[0-9]*")
            yield Label(S.REQUESTER_OFFICE, classes="dialog-hint")
            yield OptionList(Option(S.REQUESTER_LOADING, disabled=True), id="requester-list", compact=True)
            yield Static("", classes="dialog-error", id="requester-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#requester-hpr", TextInput).focus()
        if self.ihr.client is not None:
            run_job(self, "requesters", self._load())

    async def _load(self) -> RequestersFound:
        return RequestersFound(await self.ihr.client.list_requesters())

    @on(RequestersFound)
    def _found(self, message: RequestersFound) -> None:
        doctors = self.query_one("#requester-list", OptionList)
        doctors.clear_options()
        doctors.add_options(Option(f"{r.name}  (HPR {r.hpr})", id=r.hpr) for r in message.requesters)
        if not message.requesters:
            doctors.add_option(Option(S.REQUESTER_NONE, disabled=True))
        ids = [r.hpr for r in message.requesters]
        doctors.highlighted = ids.index(self.current) if self.current in ids else None

    @on(JobFailed)
    def _not_found(self, failure: JobFailed) -> None:
        failure.stop()  # the office's list could not be read: a number still works
        self.query_one("#requester-list", OptionList).clear_options()
        self.query_one("#requester-error", Static).update(failure.text)

    @on(TextInput.Moved, "#requester-hpr")
    def _moved(self, event: TextInput.Moved) -> None:
        doctors = self.query_one("#requester-list", OptionList)
        count = doctors.option_count
        if not count or doctors.get_option_at_index(0).disabled:
            return
        current = doctors.highlighted
        doctors.highlighted = max(0, min(count - 1, 0 if current is None else current + event.delta))
        hpr = doctors.get_option_at_index(doctors.highlighted).id
        self.query_one("#requester-hpr", TextInput).value = hpr or ""

    @on(OptionList.OptionSelected, "#requester-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    @on(TextInput.Submitted, "#requester-hpr")
    def _submitted(self, event: TextInput.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        hpr = self.query_one("#requester-hpr", TextInput).value.strip()
        if not hpr.isdigit() or not 6 <= len(hpr) <= 9:
            self.query_one("#requester-error", Static).update(S.REQUESTER_BAD)
            return
        self.dismiss(hpr)

    def action_close(self) -> None:
        self.dismiss(None)
