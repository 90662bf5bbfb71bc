"""Cancel what has not been performed: whole requisitions or single items, with a reason.

Space ticks a line; ticking "Hele rekvisisjonen" takes all of its open items. F8 sends one
`CancelInput` with the items; a 409 (already performed) is shown here with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from ihr.models import CancelInput, ItemStatus, Order, xml_text_problem
from ihr.rules.followup import open_items
from tui import strings as S
from tui.dialogs.base import SendingDialog
from tui.widgets.checklist import CheckList
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


@dataclass
class CancelDone(Message):
    order: Order
    item_ids: list[str]


class CancelDialog(SendingDialog[tuple[Order, str] | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="cancel_close", key_display="Esc"),
        Binding("f8", "submit", S.CANCEL_OK, id="cancel_ok"),
    ]

    def __init__(self, order: Order) -> None:
        super().__init__(classes="dialog")
        self.order = order

    def compose(self) -> ComposeResult:
        catalog = self.session.catalog
        options: list[tuple[str, str]] = []
        seen: set[str] = set()
        for req, item in open_items(self.order):
            if req.id not in seen:
                seen.add(req.id)
                lab = req.lab_her_id
                try:
                    lab = catalog.lab(req.lab_her_id).short_name if catalog else lab
                except KeyError:
                    pass
                options.append((S.cancel_whole(req.kind, req.number, lab), f"req:{req.id}"))
            options.append((f"   {item.name}", f"item:{item.id}"))
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.CANCEL_TITLE
            yield Label(S.CANCEL_WHAT, classes="dialog-hint")
            yield CheckList(options, id="cancel-what")
            yield Label(S.CANCEL_REASON, classes="dialog-hint")
            yield TextInput(placeholder=S.CANCEL_REASON_PLACEHOLDER, id="cancel-reason", max_length=200, compact=True)
            yield Static("", classes="dialog-error", id="cancel-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#cancel-what", CheckList).focus()

    def item_ids(self) -> list[str]:
        """The open items ticked, directly or through their requisition."""
        chosen = set(self.query_one("#cancel-what", CheckList).checked)
        out: list[str] = []
        for req, item in open_items(self.order):
            if f"req:{req.id}" in chosen or f"item:{item.id}" in chosen:
                out.append(item.id)
        return out

    @on(TextInput.Changed, "#cancel-reason")
    def _reason_changed(self, event: TextInput.Changed) -> None:
        """Text a message cannot carry is said in place, as it is typed."""
        self.say(xml_text_problem(event.value) or "")

    @on(TextInput.Submitted, "#cancel-reason")
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        items = self.item_ids()
        if not items:
            self.say(S.CANCEL_NOTHING)
            return
        reason = self.query_one("#cancel-reason", TextInput).value.strip()
        if not reason:
            self.say(S.CANCEL_REASON_REQUIRED)
            self.query_one("#cancel-reason", TextInput).focus()
            return
        problem = xml_text_problem(reason)
        if problem is not None:  # the Kansellering could not carry it: never sent
            self.say(problem)
            self.query_one("#cancel-reason", TextInput).focus()
            return
        self.start("cancel", self._send(items, reason), S.CANCEL_SENDING)

    async def _send(self, items: list[str], reason: str) -> CancelDone:
        order = await self.ihr.client.cancel(self.order.id, CancelInput(item_ids=items, reason=reason))
        return CancelDone(order, items)

    @on(CancelDone)
    def _done(self, message: CancelDone) -> None:
        """Items the lab never had are cancelled at once; for the rest a Kansellering went
        out, and they are cancelled only when the lab confirms it."""
        asked = {i.id: i for r in message.order.requisitions for i in r.items if i.id in message.item_ids}
        done = sum(i.status == ItemStatus.CANCELLED for i in asked.values())
        texts = ([S.cancelled(done)] if done else []) + ([S.cancel_sent(len(asked) - done)] if len(asked) > done else [])
        self.dismiss((message.order, " ".join(texts)))

    def action_close(self) -> None:
        self.dismiss(None)
