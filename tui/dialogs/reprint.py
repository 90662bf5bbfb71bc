"""Print an order's labels again: which ones, how many copies, and why (required).

Opened from the order detail (F6) or by scanning any label of the order. The printing and
the journal entry (reason "reprint" with the reason's text) are `printing`'s; this dialog
only asks. With `first=True` (a new tube after an add-on) no reason is asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from ihr.models import Order
from tui import strings as S
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar

PREVIEW_WIDTH = 32


@dataclass
class Printed(Message):
    text: str


@dataclass
class PrintRefused(Message):
    text: str


class ReprintDialog(ModalScreen[str | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="reprint_cancel", key_display="Esc"),
        Binding("f6", "submit", S.REPRINT_OK, id="reprint_ok"),
    ]

    def __init__(self, order: Order, chosen: Sequence[str] | None = None, *, first: bool = False) -> None:
        super().__init__(classes="dialog")
        self.order = order
        self.first = first
        ids = [s.id for s in order.specimens]
        self.chosen = [i for i in (chosen or ids) if i in ids] or ids
        self.busy = False

    def compose(self) -> ComposeResult:
        app: Any = self.app
        catalog = app.catalog
        options = []
        for spec in sorted(self.order.specimens, key=lambda s: (s.order_of_draw, s.id)):
            name = spec.container
            try:
                name = catalog.container(spec.container).name
            except (KeyError, AttributeError):
                pass
            options.append(Selection(f"{spec.id} {name}", spec.id, spec.id in self.chosen))
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.REPRINT_TITLE
            with Horizontal(classes="followup-columns"):
                with Vertical(classes="followup-left"):
                    yield Label(S.REPRINT_LABELS, classes="dialog-hint")
                    yield SelectionList[str](*options, id="reprint-labels", compact=True)
                    with Horizontal(classes="followup-row"):
                        yield Label(S.REPRINT_COPIES + " ")
                        yield TextInput("1", id="reprint-copies", restrict=r"[0-9]*", max_length=1, compact=True)
                    if not self.first:
                        yield Label(S.REPRINT_REASON, classes="dialog-hint")
                        yield ChoiceField([(r, r) for r in S.REPRINT_REASONS], id="reprint-reason")
                        yield TextInput(placeholder=S.REPRINT_OTHER_PLACEHOLDER, id="reprint-other", max_length=120,
                                        compact=True)
                    yield Static("", classes="dialog-error", id="reprint-error")
                with Vertical(classes="followup-right"):
                    yield Label(S.REPRINT_PREVIEW, classes="dialog-hint")
                    yield Static("", id="reprint-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.first:
            self.query_one("#reprint-other").display = False
        labels = self.query_one("#reprint-labels", SelectionList)
        order = [s.id for s in sorted(self.order.specimens, key=lambda s: (s.order_of_draw, s.id))]
        if self.chosen:
            labels.highlighted = order.index(self.chosen[0])
        labels.focus()
        self._preview(self.chosen[0] if self.chosen else None)

    # ---- preview ----------------------------------------------------------------------------
    def _preview(self, specimen_id: str | None) -> None:
        from tui.labels import labels_for_order, preview_text

        app: Any = self.app
        widget = self.query_one("#reprint-preview", Static)
        if specimen_id is None or app.catalog is None:
            widget.update("")
            return

        labels = [lb for lb in labels_for_order(self.order, app.catalog) if lb.specimen_id == specimen_id]
        widget.update(preview_text(labels[0], app.settings, width=PREVIEW_WIDTH) if labels else "")

    @on(SelectionList.SelectionHighlighted, "#reprint-labels")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._preview(event.selection.value)

    @on(ChoiceField.Changed, "#reprint-reason")
    def _reason(self, event: ChoiceField.Changed) -> None:
        # "Annet": the field for the reason comes next (Tab); focus stays, so the arrows can
        # still step past it
        self.query_one("#reprint-other", TextInput).display = event.value == S.REPRINT_OTHER

    # ---- submit ----------------------------------------------------------------------------
    def reason_text(self) -> str | None:
        if self.first:
            return None
        value = self.query_one("#reprint-reason", ChoiceField).value
        if value == S.REPRINT_OTHER:
            return self.query_one("#reprint-other", TextInput).value.strip()
        return value or ""

    def action_submit(self) -> None:
        if self.busy:
            return
        error = self.query_one("#reprint-error", Static)
        chosen = list(self.query_one("#reprint-labels", SelectionList).selected)
        if not chosen:
            error.update(S.REPRINT_NONE_SELECTED)
            return
        copies_text = self.query_one("#reprint-copies", TextInput).value.strip()
        if not copies_text.isdigit() or not 1 <= int(copies_text) <= 5:
            error.update(S.REPRINT_BAD_COPIES)
            return
        reason = self.reason_text()
        if not self.first and not reason:
            error.update(S.REPRINT_REASON_REQUIRED)
            return
        error.update(S.REPRINT_PRINTING)
        self.busy = True
        self._print(chosen, int(copies_text), reason)

    @work(exclusive=True, group="reprint", name="reprint", exit_on_error=False)
    async def _print(self, chosen: list[str], copies: int, reason: str | None) -> None:
        from tui.followup import print_again
        from tui.labels import PrintFailed

        app: Any = self.app
        try:
            await asyncio.to_thread(
                print_again,
                self.order,
                app.catalog,
                chosen,
                copies=copies,
                reason=reason,
                printer_url=app.printer_url,
                journal_path=app.journal_path,
                settings=app.settings,
                user=app.settings.user or None,
            )
        except (PrintFailed, ValueError) as exc:
            self.post_message(PrintRefused(getattr(exc, "message", None) or str(exc)))
            return
        if reason:
            text = S.reprinted(len(chosen), copies, reason)
        else:
            text = S.printed(len(chosen) * copies, S.PRINTER_KIND.get(app.printer_url.partition("://")[0], ""))
        self.post_message(Printed(text))

    @on(Printed)
    def _printed(self, message: Printed) -> None:
        self.dismiss(message.text)

    @on(PrintRefused)
    def _refused(self, message: PrintRefused) -> None:
        self.busy = False
        self.query_one("#reprint-error", Static).update(message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:  # not an IhrError: those come back as messages
            self.log.error(f"{event.worker.name} failed: {type(event.worker.error).__name__}")
            self.busy = False
            self.query_one("#reprint-error", Static).update(S.UNEXPECTED_ERROR)

    def action_close(self) -> None:
        self.dismiss(None)
