"""Sent, but not confirmed: did the labels come out? One key answers.

A terminal that does not answer the printer status request (PuTTY, xterm with
`terminal:?dsr=off`) cannot confirm a job, so the secretary does, by sight. Dismisses with
"yes" (they came out: printed), "again" (print again on the same printer), "other" (send
them to another printer) or None (decide later: the job stays in the print queue). Keys typed
before it was read answer nothing (`tui.dialogs.question`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui import strings as S
from tui.dialogs.question import OneKeyQuestion
from tui.widgets.keybar import KeyBar


class PrintedDialog(OneKeyQuestion[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("j,y", "answer('yes')", S.PRINTED_YES, id="printed_yes", key_display="J"),
        Binding("n", "answer('again')", S.PRINTED_AGAIN, id="printed_again", key_display="N"),
        Binding("a", "answer('other')", S.PRINTED_OTHER, id="printed_other", key_display="A"),
        Binding("escape", "answer(None)", S.PRINTED_LATER, id="printed_later", key_display="Esc"),
    ]

    def __init__(self, printer: str) -> None:
        super().__init__(classes="dialog")
        self.printer = printer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.PRINTED_TITLE
            yield Static(S.print_unconfirmed(self.printer), classes="dialog-text", id="printed-question")
            yield Static(S.PRINTED_HINT, classes="dialog-hint")
            yield self.typed_ahead_line()
        yield KeyBar()

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
