"""Choose the requesting doctor (rekvirent): from the office's doctors, by name or by HPR
number (typed or scanned), when the EPJ did not give one or the order is for another doctor.

The field has the focus, so a scanned or typed number goes where it belongs; letters narrow
the office's doctors to those whose names have words starting so ("mæh", "håkon m"), the
first highlighted; Up and Down move through the list (a number in the field becomes the
highlighted doctor's); Enter takes the number in the field, or the highlighted doctor.
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
            yield TextInput(self.current, id="requester-hpr", max_length=40)
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

    requesters: list[Requester] = []  # the office's doctors, once fetched

    @on(RequestersFound)
    def _found(self, message: RequestersFound) -> None:
        self.requesters = message.requesters
        self._show(self.query_one("#requester-hpr", TextInput).value)

    def _show(self, typed: str) -> None:
        """The office's doctors; those whose names match the letters typed, if any."""
        words = [w.casefold() for w in typed.split()] if _is_name(typed) else []
        shown = [r for r in self.requesters
                 if all(any(part.startswith(w) for part in r.name.casefold().split()) for w in words)]
        doctors = self.query_one("#requester-list", OptionList)
        doctors.clear_options()
        doctors.add_options(Option(f"{r.name}  (HPR {r.hpr})", id=r.hpr) for r in shown)
        if not self.requesters:
            doctors.add_option(Option(S.REQUESTER_NONE, disabled=True))
        ids = [r.hpr for r in shown]
        if words:
            doctors.highlighted = 0 if ids else None
        else:
            doctors.highlighted = ids.index(self.current) if self.current in ids else None

    @on(TextInput.Changed, "#requester-hpr")
    def _typed(self, event: TextInput.Changed) -> None:
        if self.requesters:
            self._show(event.value)

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
        field = self.query_one("#requester-hpr", TextInput)
        if not _is_name(field.value):  # a name typed stays; Enter takes the highlighted doctor
            field.value = doctors.get_option_at_index(doctors.highlighted).id or ""

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
        if _is_name(hpr):  # a name: the doctor it found (the highlighted one)
            doctors = self.query_one("#requester-list", OptionList)
            option = doctors.get_option_at_index(doctors.highlighted) if doctors.highlighted is not None else None
            if option is None or not option.id:
                self.query_one("#requester-error", Static).update(S.REQUESTER_NAME_NONE)
                return
            self.dismiss(option.id)
            return
        if not hpr.isdigit() or not 6 <= len(hpr) <= 9:
            self.query_one("#requester-error", Static).update(S.REQUESTER_BAD)
            return
        self.dismiss(hpr)

    def action_close(self) -> None:
        self.dismiss(None)


def _is_name(typed: str) -> bool:
    """Letters typed (a name), not a number."""
    return any(ch.isalpha() for ch in typed)
