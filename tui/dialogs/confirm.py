"""Ja/nei before something is thrown away (only a key pressed once it is read answers:
`tui.dialogs.question`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui import strings as S
from tui.dialogs.question import OneKeyQuestion
from tui.widgets.keybar import KeyBar


class ConfirmDialog(OneKeyQuestion[bool]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("j,y,f2", "answer(True)", S.KEY_YES, id="confirm_yes", key_display="J"),
        Binding("n,escape", "answer(False)", S.KEY_NO, id="confirm_no", key_display="N/Esc"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, classes="dialog-text")
            yield self.typed_ahead_line()
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{S.KEY_YES} (J)", id="yes", variant="warning", compact=True)
                yield Button(f"{S.KEY_NO} (N)", id="no", variant="primary", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
