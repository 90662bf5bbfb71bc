"""Choose the requesting doctor (rekvirent) by HPR number, when the EPJ did not give one
or the order is for another doctor."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


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
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.REQUESTER_TITLE
            yield Label(S.REQUESTER_LABEL)
            yield TextInput(self.current, id="requester-hpr", max_length=9, restrict=r"[0-9]*")
            yield Static("", classes="dialog-error", id="requester-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#requester-hpr", TextInput).focus()

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
