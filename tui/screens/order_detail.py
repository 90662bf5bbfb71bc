"""One order after it was made: why it was rejected (on top), requisitions and items,
specimens, answers, the timeline of receipts and statuses, and the KITH messages.

Kept current like the worklist (timer + worker, backoff, no repaint when nothing changed).
Actions: F6 labels again, F7 etterrekvirering, F8 cancel, F9 correct a rejected order and
send it again, Ctrl+T the collection of tubes not yet taken (brought back later), Ctrl+X the
raw XML of the messages (Ctrl+N the next one), Esc back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ihr.localtime import format_no
from ihr.models import (
    Discipline,
    ItemStatus,
    KithMessage,
    Order,
    OrderStatus,
    Priority,
    StatusEvent,
)
from ihr.rules.followup import REJECTED, correctable, open_items, rejections
from ihr.rules.identifiers import format_person_id
from ihr.rules.questions import format_answer
from ihr.rules.tubes import numbered
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.dialogs.addon import AddOnDialog
from tui.dialogs.cancel import CancelDialog
from tui.dialogs.collection import Collection, CollectionDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.correct import CorrectDialog
from tui.dialogs.reprint import open_reprint
from tui.journal import mark
from tui.present import (
    container_name,
    day_time,
    describe_message,
    labelled,
    missing_tubes,
    order_fields,
    status_text,
    tube_lines,
)
from tui.screens.base import MainScreen
from tui.screens.polling import Polling
from tui.widgets.keybar import KeyBar
from tui.widgets.status import StatusLine
from tui.work import JobFailed, run_job

HEAD_GAP = "   "
UNSENT = (OrderStatus.DRAFT, OrderStatus.SAVED)  # between patient and requester when they share the header's second line


@dataclass
class DetailFetched(Message):
    order: Order
    events: list[StatusEvent]
    messages: list[KithMessage]


class OrderDetailScreen(Polling, MainScreen):
    CSS_PATH = "order_detail.tcss"
    AUTO_FOCUS = "#detail-body"

    BINDINGS = [
        Binding("escape", "back", S.KEY_BACK, id="detail_back", key_display="Esc"),
        Binding("f6", "reprint", S.KEY_REPRINT, id="detail_reprint"),
        Binding("f7", "addon", S.KEY_ADDON, id="detail_addon"),
        Binding("f8", "cancel_items", S.KEY_CANCEL_ORDER, id="detail_cancel"),
        Binding("f9", "correct", S.KEY_CORRECT, id="detail_correct"),
        # Named in the specimens list instead (a tube not taken yet): no room left at 80 columns.
        Binding("ctrl+t", "collect", S.KEY_COLLECT_LATER, id="detail_collect", show=False),
        Binding("ctrl+x", "xml", S.KEY_XML, id="detail_xml"),
        Binding("ctrl+n", "next_xml", S.KEY_NEXT_MESSAGE, id="detail_next_xml"),
    ]

    def __init__(self, order_id: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.order: Order | None = None
        self.events: list[StatusEvent] = []
        self.messages: list[KithMessage] = []
        self.xml_index: int | None = None
        self.init_polling()
        self._signature: Any = None

    def compose(self) -> ComposeResult:
        yield Static(S.DETAIL_LOADING, id="detail-head")
        yield Static("", id="detail-why")
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-overview")
            yield Static("", id="detail-timeline")
            yield Static("", id="detail-messages")
        with VerticalScroll(id="detail-xml"):
            yield Static("", id="detail-xml-text", markup=False)
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#detail-why").display = False
        self.query_one("#detail-xml").display = False

    # ---- polling ----------------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        self.start_polling()

    def start_fetch(self) -> None:
        run_job(self, "detail", self._fetch())

    async def _fetch(self) -> DetailFetched:
        client = self.ihr.client
        order = await client.get_order(self.order_id)
        events = await client.get_events(self.order_id)
        return DetailFetched(order, events, await client.get_messages(self.order_id))

    @on(JobFailed)
    def _failed(self, failure: JobFailed) -> None:
        if failure.name != "detail":  # not the fetch: the app says it
            return
        failure.stop()
        self.set_status(failure.text, "error")
        self.poll_done(False)

    @on(DetailFetched)
    def _fetched(self, message: DetailFetched) -> None:
        self.polls += 1
        self.poll_done(self.show(message.order, message.events, message.messages))

    def shown_changed(self, order: Order) -> None:
        """An action here changed the order: show it and look again soon; when it is the
        order open in the review, the session has it too (its tubes, its steps)."""
        self.show(order, self.events, self.messages)
        self.poll_again_soon()
        if self.session.order_changed(order):
            self.ihr.autosave.flush()  # sent here: the autosaved draft goes
            self.ihr.state_changed()

    def _ask_send(self, order: Order) -> None:
        """F9 on an order saved but never sent (its draft may be gone): send it, after a yes."""
        def answered(yes: bool | None) -> None:
            if yes:
                self.set_status(S.SENDING)
                run_job(self, "detail-send", workflow.send(self.ihr.client, order.id))

        self.app.push_screen(ConfirmDialog(S.SEND_UNSENT_QUESTION), answered)

    @on(m.OrderSent)
    def _sent(self, message: m.OrderSent) -> None:
        message.stop()
        self.set_status(S.sent(len(message.order.requisitions)))
        self.shown_changed(message.order)

    # ---- rendering --------------------------------------------------------------------------
    def show(self, order: Order, events: list[StatusEvent], messages: list[KithMessage]) -> bool:
        """Show the order; False (and no widget touched) when it is what is shown already."""
        signature = (order.model_dump_json(), len(events), len(messages))
        if signature == self._signature:
            return False
        self._signature = signature
        self.repaints += 1
        self.order, self.events, self.messages = order, events, messages
        self.query_one("#detail-head", Static).update(self._head())
        why = self._why()
        box = self.query_one("#detail-why", Static)
        box.display = why is not None
        if why is not None:
            box.update(why)
        self.query_one("#detail-overview", Static).update(self._overview())
        self.query_one("#detail-timeline", Static).update(self._timeline())
        self.query_one("#detail-messages", Static).update(self._messages())
        if self.xml_index is not None:
            self._show_xml()
        self.refresh_bindings()
        return True

    def _lab(self, her_id: str) -> str:
        catalog = self.session.catalog
        if catalog is not None:
            try:
                return catalog.lab(her_id).short_name
            except KeyError:
                pass
        return her_id

    def on_resize(self) -> None:
        """The header's layout depends on the width (see `_head`)."""
        if self.order is not None:
            self.query_one("#detail-head", Static).update(self._head())

    def _head(self) -> Text:
        """Number, time and status; then patient and requester, side by side when they fit
        the line and the requester on a line of its own when not (80 columns): nothing cut."""
        order = self.order
        assert order is not None
        numbers = ", ".join(r.number for r in order.requisitions)
        text = Text()
        text.append(f"{S.DETAIL_TITLE} {numbers} · {day_time(order.created_at)} · ", style="bold")
        text.append_text(status_text(order.status))
        if order.status is OrderStatus.RESULT_READY:  # the result goes to the journal, not here
            text.append(f" – {S.DETAIL_RESULT_IN_EPJ}", style="italic")
        if order.priority is Priority.URGENT:
            text.append(f"  {S.BANNER_URGENT} ", style="bold reverse")
        patient = S.detail_patient(order.patient.display_name, format_person_id(order.patient.id))
        requester = S.banner_requester(order.requester.name, order.requester.hpr)
        side_by_side = cell_len(f"{patient}{HEAD_GAP}{requester}") <= self.query_one("#detail-head").content_size.width
        text.append(f"\n{patient}")
        text.append(HEAD_GAP if side_by_side else "\n")
        text.append(requester, style="dim")
        return text

    def _why(self) -> Text | None:
        order = self.order
        assert order is not None
        found = rejections(order, self.events, self._lab)
        if not found:
            return None
        rejected = order.status == OrderStatus.REJECTED or any(r.status == OrderStatus.REJECTED for r in found)
        text = Text(S.DETAIL_REJECTED if rejected else S.DETAIL_PARTLY, style="bold")
        for r in found:
            for e in r.errors:
                text.append(f"\n{r.requisition_number} {r.lab}: ")
                text.append(S.apprec_error_line(e.code, e.text, e.details), style="bold")
        if order.status in REJECTED and any(r.status in REJECTED for r in order.requisitions):
            text.append("\n" + S.DETAIL_CORRECT_HINT, style="italic")
        return text

    def _overview(self) -> RichGroup:
        order = self.order
        assert order is not None
        catalog = self.session.catalog
        parts: list[Any] = [Text(S.DETAIL_REQUISITIONS, style="bold underline")]
        for req in order.requisitions:
            head = Text(f"{S.requisition_heading(req.kind, self._lab(req.lab_her_id))}  nr. {req.number}  ", style="bold")
            head.append_text(status_text(req.status))
            parts.append(head)
            for item in req.items:
                line = Text(f"  {item.name}  ")
                style = "dim" if item.status == ItemStatus.CANCELLED else ("green" if item.status == ItemStatus.PERFORMED else "")
                if item.status == ItemStatus.ORDERED and item.cancel_requested_at is not None:
                    # a Kansellering went out; cancelled only once the lab's AppRec confirms
                    line.append(S.ITEM_CANCEL_PENDING, style="italic yellow")
                else:
                    line.append(S.ITEM_STATUS_LABEL.get(item.status.value, item.status.value), style=style)
                if item.added_on is not None:
                    line.append(f"  ({S.DETAIL_ADDED_ON} {day_time(item.added_on)})", style="italic")
                if item.specimen_id:
                    line.append(f"  {item.specimen_id}", style="dim")
                parts.append(line)
        parts.append(Text(f"\n{S.DETAIL_SPECIMENS}", style="bold underline"))
        if not order.specimens:
            parts.append(Text(S.DETAIL_NO_SPECIMENS, style="italic"))
        missing = missing_tubes(order.specimens, catalog)
        if missing and len(missing) < len(order.specimens):
            parts.append(Text("  " + S.partly_collected(missing), style="bold yellow"))
        if missing:
            parts.append(Text("  " + S.DETAIL_COLLECT_HINT, style="italic"))
        count = len(order.specimens)
        for number, spec in numbered(order.specimens):
            container = container_name(spec.container, catalog)
            taken = S.taken_at(day_time(spec.collected_at), spec.collected_by) if spec.collected_at else S.DETAIL_NOT_TAKEN
            line = Text(f"  {S.tube_name(number, count)}  ")
            line.append(spec.id, style="bold")
            line.append(f"  {container}, {spec.material}  ({taken})")
            parts.append(line)
        parts.append(Text(f"\n{S.DETAIL_ANSWERS}", style="bold underline"))
        if not order.answers and not order.comment:
            parts.append(Text(S.DETAIL_NO_ANSWERS, style="italic"))
        questions = self._questions()
        for a in order.answers:
            q = questions.get(a.key)
            label = q.text if q is not None else a.key
            value = a.value
            if q is not None:
                value = format_answer(q, a.value)
            line = labelled(label, str(value))
            if a.journal_date is not None:
                line.append_text(mark(a.journal_date))
            parts.append(line)
        if order.comment:
            parts.append(labelled(S.DETAIL_COMMENT, order.comment))
        imaging = any(r.discipline == Discipline.RADIOLOGY for r in order.requisitions)
        diagnosis = (order.diagnosis.code, order.diagnosis.text) if order.diagnosis else None
        copies = [f"{c.name} (HPR {c.hpr})" for c in order.copy_recipients]
        for label, value in order_fields(order.payment_category.value, copies, diagnosis, order.clinical_info,
                                         order.modality_change_allowed, imaging):
            parts.append(labelled(label, value))
        return RichGroup(*parts)

    def _questions(self) -> dict[str, Any]:
        catalog = self.session.catalog
        order = self.order
        if catalog is None or order is None:
            return {}
        out: dict[str, Any] = {}
        for req in order.requisitions:
            for item in req.items:
                try:
                    for q in catalog.service(item.service_code).questions:
                        out.setdefault(q.key, q)
                except KeyError:
                    continue
        return out

    def _timeline(self) -> RichGroup:
        parts: list[Any] = [Text(f"\n{S.DETAIL_TIMELINE}", style="bold underline")]
        if not self.events:
            parts.append(Text(S.DETAIL_NO_EVENTS, style="italic"))
            return RichGroup(*parts)
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, show_edge=False, expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for ev in self.events:
            what = Text(ev.text)
            for e in ev.errors:
                what.append("\n" + S.apprec_error_line(e.code, e.text, e.details), style="bold red")
            table.add_row(day_time(ev.at), status_text(ev.status), what)
        parts.append(table)
        return RichGroup(*parts)

    def _messages(self) -> RichGroup:
        parts: list[Any] = [Text(f"\n{S.DETAIL_MESSAGES}", style="bold underline")]
        if not self.messages:
            parts.append(Text(S.DETAIL_NO_MESSAGES, style="italic"))
        numbers = {msg.msg_id: i for i, msg in enumerate(self.messages, 1)}
        for i, msg in enumerate(self.messages, 1):
            view = describe_message(msg, self._lab, numbers)
            parts.append(Text(f"{i}. {view.heading}", style="bold"))
            for line in view.lines:
                parts.append(Text("   " + line, style="red" if line.startswith("  ") else ""))
        return RichGroup(*parts)

    # ---- the raw XML ---------------------------------------------------------------------------
    def action_xml(self) -> None:
        if not self.messages:
            self.set_status(S.DETAIL_NO_MESSAGES, "warning")
            return
        if self.xml_index is None:
            self.xml_index = 0
            self._show_xml()
        else:
            self.xml_index = None
            self.query_one("#detail-xml").display = False
            self.query_one("#detail-body").display = True
            self.query_one("#detail-body").focus()
        self.refresh_bindings()

    def action_next_xml(self) -> None:
        if self.xml_index is None or not self.messages:
            return
        self.xml_index = (self.xml_index + 1) % len(self.messages)
        self._show_xml()

    def _show_xml(self) -> None:
        assert self.xml_index is not None
        self.xml_index = min(self.xml_index, len(self.messages) - 1)
        msg = self.messages[self.xml_index]
        view = describe_message(msg, self._lab, {m.msg_id: i for i, m in enumerate(self.messages, 1)})
        panel = self.query_one("#detail-xml", VerticalScroll)
        panel.border_title = S.xml_of(self.xml_index + 1, len(self.messages), view.heading)
        self.query_one("#detail-xml-text", Static).update(msg.xml)
        self.query_one("#detail-body").display = False
        panel.display = True
        panel.scroll_home(animate=False)
        panel.focus()

    # ---- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_xml":
            return self.xml_index is not None
        if action == "correct":  # a rejected order is corrected, an unsent one sent
            order = self.order
            return order is not None and (correctable(order) or order.status in UNSENT) or None
        return True

    def action_back(self) -> None:
        if self.xml_index is not None:
            self.action_xml()
            return
        self.app.pop_screen()

    def action_reprint(self) -> None:
        if self.order is not None:
            open_reprint(self.ihr, self.order)

    def action_addon(self) -> None:
        order = self.order
        if order is None:
            return
        if not order.specimens:
            self.set_status(S.ADDON_NO_SPECIMENS, "warning")
            return

        def done(result: tuple[Order, str, list[str]] | None) -> None:
            if result is None:
                return
            new_order, text, new_specimens = result
            self.set_status(text)
            self.shown_changed(new_order)
            if new_specimens:
                open_reprint(self.ihr, new_order, new_specimens, first=True)

        self.app.push_screen(AddOnDialog(order), done)

    def action_collect(self) -> None:
        """Ctrl+T: the tubes not yet taken came back (urine, a sample taken at home): when,
        by whom; registered at once, the lab has the requisition already."""
        order = self.order
        if order is None:
            return
        tubes = tube_lines(order.specimens, self.session.catalog, only_open=True)
        if not tubes:
            self.set_status(S.COLLECT_ALL_TAKEN if order.specimens else S.COLLECT_NO_TUBES, "warning")
            return

        def done(result: Collection | None) -> None:
            if result is not None:
                self.set_status(S.COLLECTING)
                run_job(self, "collect", workflow.collect(self.ihr.client, order.id, result.when, result.who,
                                                          result.specimen_ids))
                self._registering = (result.when, result.who, len(result.specimen_ids))

        self.app.push_screen(CollectionDialog(self.ihr.clock(), self.ihr.settings.user, tubes,
                                              ordered_at=order.created_at, born=order.patient.birth_date), done)

    _registering: Any = None  # (when, who, how many) of the collection under way

    @on(m.CollectionStored)
    def _collected(self, message: m.CollectionStored) -> None:
        when, who, n = self._registering
        self.set_status(S.collected_some(n, format_no(when), who, missing_tubes(message.order.specimens,
                                                                                self.session.catalog)))
        self.shown_changed(message.order)

    def action_cancel_items(self) -> None:
        order = self.order
        if order is None:
            return
        if not open_items(order):
            self.set_status(S.CANCEL_NONE_OPEN, "warning")
            return

        def done(result: tuple[Order, str] | None) -> None:
            if result is not None:
                self.set_status(result[1])
                self.shown_changed(result[0])

        self.app.push_screen(CancelDialog(order), done)

    def action_correct(self) -> None:
        order = self.order
        if order is None:
            return
        if order.status in UNSENT:
            self._ask_send(order)
            return
        if not correctable(order):
            self.set_status(S.CORRECT_NOT_REJECTED, "warning")
            return

        def done(result: Order | None) -> None:
            if result is not None:
                self.set_status(S.CORRECT_DONE)
                self.shown_changed(result)

        self.app.push_screen(CorrectDialog(order, rejections(order, self.events, self._lab)), done)
