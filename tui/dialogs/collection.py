"""Register the collection: which tubes were taken now, when (now, or an edited time) and
who took them.

The tubes are listed with the one numbering ("Rør 2/3", `ihr.rules.tubes.numbered`), each
with a checkbox, all checked at first: the secretary unchecks a tube that comes later (urine
or stool brought back, a sample taken at home) and registers it when it comes. The result
is a `Collection`; the caller sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ihr.localtime import format_no
from ihr.models import xml_text_problem
from ihr.rules.moments import moment_problem
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.checklist import CheckList
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar

TIME_FORMAT = "%d.%m.%Y %H:%M"


@dataclass(frozen=True)
class Collection:
    """What the dialog registers: these tubes (specimen ids) were taken `when` by `who`."""

    when: datetime
    who: str
    specimen_ids: list[str]


class CollectionDialog(Dialog[Collection | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="collect_cancel", key_display="Esc"),
        Binding("f8", "submit", S.COLLECT_OK, id="collect_ok"),
        Binding("enter", "submit", S.COLLECT_OK, id="collect_enter", show=False),  # from the tube list
    ]

    def __init__(self, now: datetime, who: str = "", tubes: Sequence[tuple[str, str]] = (), *,
                 ordered_at: datetime | None = None, born: date | None = None) -> None:
        """`tubes`: (line shown, specimen id) of the tubes to choose from, in order of draw;
        `ordered_at` and `born`: the order's creation and the patient's birth, which the
        time is checked against here, by the service's own rule, before the dialog closes."""
        super().__init__()
        self.now = now
        self.who = who
        self.tubes = list(tubes)
        self.ordered_at, self.born = ordered_at, born

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.COLLECT_TITLE
            if len(self.tubes) > 1:  # one tube: nothing to choose
                yield Label(S.COLLECT_TUBES)
                yield CheckList(self.tubes, [sid for _, sid in self.tubes], id="collect-tubes")
            yield Label(S.COLLECT_TIME)
            yield TextInput(format_no(self.now, TIME_FORMAT), id="collect-time")
            yield Label(S.COLLECT_BY)
            yield TextInput(self.who, id="collect-by", max_length=80)
            yield Static("", classes="dialog-error", id="collect-error")
        yield KeyBar()

    def on_mount(self) -> None:
        if len(self.tubes) > 1:
            self.query_one("#collect-tubes", CheckList).focus()
        else:
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
        wrong = moment_problem(when, now=self.now, born=self.born, not_before=self.ordered_at)
        if wrong is not None:  # what the service would refuse after the dialog had closed
            error.update(wrong)
            return
        who = self.query_one("#collect-by", TextInput).value.strip()
        problem = S.COLLECT_WHO_REQUIRED if not who else xml_text_problem(who)
        if problem is not None:
            error.update(problem)
            self.query_one("#collect-by", TextInput).focus()
            return
        chosen = ([sid for _, sid in self.tubes] if len(self.tubes) <= 1
                  else self.query_one("#collect-tubes", CheckList).checked)
        if not chosen:
            error.update(S.COLLECT_NONE_CHOSEN)
            self.query_one("#collect-tubes", CheckList).focus()
            return
        self.dismiss(Collection(when, who, chosen))

    def action_close(self) -> None:
        self.dismiss(None)
