"""F1: a short lynguide and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.keybar import KeyBar


class HelpDialog(Dialog[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,f1,q", "close", S.KEY_BACK, id="help_close", key_display="Esc")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help-box") as box:
            box.border_title = S.HELP_TITLE
            yield Static(S.HELP_TEXT, markup=True)
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
