"""Cancel what has not been performed: whole requisitions or single items, with a reason.

Space ticks a line; ticking "Hele rekvisisjonen" takes all of its open items. F8 sends one
`CancelInput` with the items; a 409 (already performed) is shown here with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from ihr.models import Order
from tui import strings as S
from tui.followup import open_items
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


@dataclass
class CancelDone(Message):
    order: Order
    count: int


@dataclass
class CancelRefused(Message):
    text: str


class CancelDialog(ModalScreen[tuple[Order, str] | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="cancel_close", key_display="Esc"),
        Binding("f8", "submit", S.CANCEL_OK, id="cancel_ok"),
    ]

    def __init__(self, order: Order) -> None:
        super().__init__(classes="dialog")
        self.order = order
        self.busy = False

    def compose(self) -> ComposeResult:
        app: Any = self.app
        options: list[Selection[str]] = []
        seen: set[str] = set()
        for req, item in open_items(self.order):
            if req.id not in seen:
                seen.add(req.id)
                lab = req.lab_her_id
                try:
                    lab = app.catalog.lab(req.lab_her_id).short_name
                except (KeyError, AttributeError):
                    pass
                options.append(Selection(S.cancel_whole(req.kind, req.number, lab), f"req:{req.id}"))
            options.append(Selection(f"   {item.name}", f"item:{item.id}"))
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.CANCEL_TITLE
            yield Label(S.CANCEL_WHAT, classes="dialog-hint")
            yield SelectionList[str](*options, id="cancel-what", compact=True)
            yield Label(S.CANCEL_REASON, classes="dialog-hint")
            yield TextInput(placeholder=S.CANCEL_REASON_PLACEHOLDER, id="cancel-reason", max_length=200, compact=True)
            yield Static("", classes="dialog-error", id="cancel-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#cancel-what", SelectionList).focus()

    def item_ids(self) -> list[str]:
        """The open items ticked, directly or through their requisition."""
        chosen = set(self.query_one("#cancel-what", SelectionList).selected)
        out: list[str] = []
        for req, item in open_items(self.order):
            if f"req:{req.id}" in chosen or f"item:{item.id}" in chosen:
                out.append(item.id)
        return out

    @on(TextInput.Submitted, "#cancel-reason")
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        error = self.query_one("#cancel-error", Static)
        items = self.item_ids()
        if not items:
            error.update(S.CANCEL_NOTHING)
            return
        reason = self.query_one("#cancel-reason", TextInput).value.strip()
        if not reason:
            error.update(S.CANCEL_REASON_REQUIRED)
            self.query_one("#cancel-reason", TextInput).focus()
            return
        error.update(S.CANCEL_SENDING)
        self.busy = True
        self._send(items, reason)

    @work(exclusive=True, group="cancel", name="cancel", exit_on_error=False)
    async def _send(self, items: list[str], reason: str) -> None:
        from client.errors import IhrError
        from ihr.models import CancelInput

        app: Any = self.app
        try:
            order = await app.client.cancel(self.order.id, CancelInput(item_ids=items, reason=reason))
        except IhrError as exc:
            self.post_message(CancelRefused(exc.message))
            return
        self.post_message(CancelDone(order, len(items)))

    @on(CancelRefused)
    def _refused(self, message: CancelRefused) -> None:
        self.busy = False
        self.query_one("#cancel-error", Static).update(message.text)

    @on(CancelDone)
    def _done(self, message: CancelDone) -> None:
        self.dismiss((message.order, S.cancelled(message.count)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:  # not an IhrError: those come back as messages
            self.log.error(f"{event.worker.name} failed: {type(event.worker.error).__name__}")
            self.busy = False
            self.query_one("#cancel-error", Static).update(S.UNEXPECTED_ERROR)

    def action_close(self) -> None:
        self.dismiss(None)
