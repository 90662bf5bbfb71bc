"""Register the collection: when (now, or an edited time) and who took the samples."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ihr.localtime import format_no
from ihr.models import xml_text_problem
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.keybar import KeyBar
from tui.widgets.inputs import TextInput

TIME_FORMAT = "%d.%m.%Y %H:%M"


class CollectionDialog(Dialog[tuple[datetime, str] | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="collect_cancel", key_display="Esc"),
        Binding("f8", "submit", S.COLLECT_OK, id="collect_ok"),
    ]

    def __init__(self, now: datetime, who: str = "") -> None:
        super().__init__()
        self.now = now
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.COLLECT_TITLE
            yield Label(S.COLLECT_TIME)
            yield TextInput(format_no(self.now, TIME_FORMAT), id="collect-time")
            yield Label(S.COLLECT_BY)
            yield TextInput(self.who, id="collect-by", max_length=80)
            yield Static("", classes="dialog-error", id="collect-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#collect-by" if not self.who else "#collect-time", TextInput).focus()

    @on(TextInput.Changed, "#collect-by")
    def _who_changed(self, event: TextInput.Changed) -> None:
        """Text a message cannot carry is said in place, as it is typed."""
        self.query_one("#collect-error", Static).update(xml_text_problem(event.value) or "")

    @on(TextInput.Submitted)
    def _submitted(self, event: TextInput.Submitted) -> None:
        if event.input.id == "collect-time" and not self.query_one("#collect-by", TextInput).value.strip():
            self.query_one("#collect-by", TextInput).focus()
            return
        self.action_submit()

    def action_submit(self) -> None:
        error = self.query_one("#collect-error", Static)
        text = self.query_one("#collect-time", TextInput).value.strip()
        try:
            when = datetime.strptime(text, TIME_FORMAT).replace(tzinfo=self.now.tzinfo)
        except ValueError:
            error.update(S.COLLECT_BAD_TIME)
            return
        if when > self.now.replace(second=59, microsecond=999999):
            error.update(S.COLLECT_FUTURE)
            return
        who = self.query_one("#collect-by", TextInput).value.strip()
        problem = S.COLLECT_WHO_REQUIRED if not who else xml_text_problem(who)
        if problem is not None:
            error.update(problem)
            self.query_one("#collect-by", TextInput).focus()
            return
        self.dismiss((when, who))

    def action_close(self) -> None:
        self.dismiss(None)
