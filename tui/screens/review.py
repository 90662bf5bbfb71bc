"""Review and finish: what will be sent and drawn, then save, print, collect and send.

The four steps start here, each as a job (`tui.workflow`) whose message or `JobFailed` comes
back to this screen; the session decides what the outcome means (`OrderSession.order_stored`,
`labels_printed`, `collection_stored`, `order_sent`, `step_failed`) and keeps the step's state
(`tui.draft.StepStatus`) in the draft; this screen shows it.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ihr.localtime import format_no
from ihr.rules.questions import format_answer, questions_for
from ihr.rules.tubes import numbered, plan_tubes
from printing.orders import labels_for_order, preview_text
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.dialogs.collection import Collection, CollectionDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.performer import LabChoice, PerformerDialog
from tui.dialogs.reprint import open_reprint
from tui.draft import OrderDraft, Step, StepStatus
from tui.journal import mark
from tui.present import labelled, order_fields
from tui.printer import PrintsLabels, outcome_text, printer_name
from tui.screens.base import MainScreen
from tui.session import URGENT, Notice
from tui.widgets.basket import requisitions
from tui.work import JobFailed, run_job

STEP_KEY = {Step.SAVE: "F6", Step.PRINT: "F7", Step.COLLECT: "F8", Step.SEND: "F9"}
STATE_TEXT = {
    StepStatus.PARTIAL: S.STEP_PARTIAL,
    StepStatus.PENDING: S.STEP_PENDING,
    StepStatus.RUNNING: S.STEP_RUNNING,
    StepStatus.FAILED: S.STEP_FAILED,
    StepStatus.DONE: S.STEP_DONE,
    StepStatus.UNCONFIRMED: S.STEP_UNCONFIRMED,
}
STATE_STYLE = {StepStatus.PENDING: "", StepStatus.RUNNING: "italic", StepStatus.FAILED: "bold red",
               StepStatus.DONE: "bold green", StepStatus.UNCONFIRMED: "bold yellow",
               StepStatus.PARTIAL: "bold yellow"}


class ReviewScreen(PrintsLabels, MainScreen):
    CSS_PATH = "review.tcss"

    BINDINGS = [
        Binding("f6", "step('save')", S.KEY_SAVE, id="save"),
        Binding("f7", "step('print')", S.KEY_PRINT, id="print"),
        Binding("f8", "step('collect')", S.KEY_COLLECT, id="collect"),
        Binding("f9", "step('send')", S.KEY_SEND, id="send"),
        Binding("ctrl+n", "app.new_order", S.KEY_NEW_ORDER, id="new_order"),
        Binding("ctrl+r", "app.choose_requester", S.KEY_REQUESTER, id="requester"),
        Binding("ctrl+l", "choose_lab", S.KEY_CHOOSE_LAB, id="choose_lab"),
        # Named on the printer's line instead: the key bar has no room left at 80 columns.
        Binding("ctrl+o", "print_elsewhere", S.KEY_PRINT_ELSEWHERE, id="print_elsewhere", show=False),
        Binding("ctrl+u", "app.print_queue", S.KEY_PRINT_QUEUE, id="print_queue", show=False),
        # The order's summary, tubes and label preview are taller than 80x24 leaves them.
        Binding("pagedown", "page_body(1)", S.KEY_PAGE_DOWN, id="review_page_down", key_display="PgDn"),
        Binding("pageup", "page_body(-1)", S.KEY_PAGE_UP, id="review_page_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._started_for: dict[Step, OrderDraft] = {}  # the draft each step's job is for

    def compose_body(self) -> ComposeResult:
        yield Static("", id="review-steps")
        yield Static("", id="review-printer")
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-summary")
            yield Static("", id="review-tubes")
            yield Static("", id="review-preview")

    def on_mount(self) -> None:
        self.refresh_state()

    def reset(self) -> None:
        """A new order: its labels will be a new job (an old one's stays in the print queue)."""
        self.print_job = self.print_order_id = self.print_result = None

    def action_page_body(self, direction: int) -> None:
        body = self.query_one("#review-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    # ---- the steps ------------------------------------------------------------------
    # Each key starts its step's job; the session decides what the outcome means for the
    # order (`OrderSession.order_stored`, `labels_printed`, `collection_stored`,
    # `order_sent`, ...) and this screen shows the draft's steps.
    def action_step(self, step: str) -> None:
        {Step.SAVE: self.save, Step.PRINT: self.print, Step.COLLECT: self.ask_collection,
         Step.SEND: self.send}[Step(step)]()

    def _show(self, notice: Notice | None) -> None:
        """What the session said (on the status line, if anything), and every screen shows it."""
        self.ihr.tell(notice)

    def _start(self, step: Step, job: Any) -> None:
        """Run a step's job for the open order; what it brings home belongs to that order."""
        self._started_for[step] = self.session.draft
        self.session.step_started(step)
        self.ihr.state_changed()
        run_job(self, step, job)

    def _still_open(self, step: Step) -> bool:
        """The order the step was started for is still the open one (not replaced by a new
        order or another patient meanwhile, whose status it would otherwise take)."""
        return self._started_for.get(step) is self.session.draft

    def save(self) -> None:
        app, session = self.ihr, self.session
        refusal = session.save_refusal()
        if refusal is not None:
            app.tell(refusal)
            return
        missing = session.missing_answers()
        if missing:
            app.switch_mode("questions")
            app.tell(Notice(S.QUESTIONS_MISSING + " " + "; ".join(missing), "error"))
            return
        body, key = session.order_to_save()
        self._start(Step.SAVE, workflow.save(app.client, app.outbox, body, key, app.autosave.flush()))

    @on(m.OrderStored)
    def _stored(self, message: m.OrderStored) -> None:
        if self._still_open(Step.SAVE):
            notice = self.session.order_stored(message.order, found=message.found)
            self.ihr.autosave.flush()  # the order id, at once: a restored draft is then never saved twice
            self._show(notice)

    def print(self) -> None:
        """F7: print the order's labels (again, after a failure: the same queued job).

        The print journal is asked first: labels it has as printed (in this session, or
        before a restart with the draft restored) are never printed again silently; the
        secretary is asked, and a second print is a reprint with a reason.
        """
        refusal = self.session.print_refusal()
        if refusal is not None:
            self._show(refusal)
            return
        state = self.session.draft.steps[Step.PRINT].state
        if state is StepStatus.UNCONFIRMED and self.print_result is not None:
            self.ask_printed(self.print_result)  # did they come out after all?
        elif self.print_job is not None and not self.session.printing:
            self.print_now()  # the job that did not print, again
        elif not self.session.printing:
            self._ask_journal("print")

    def _ask_journal(self, then: str) -> None:
        """Print (`then`: "print" here, "elsewhere" on another printer) once the print
        journal says the order's labels were never printed; else ask (`on_printed_before`)."""
        order = self.session.draft.order
        assert order is not None  # checked by the keys
        run_job(self, "printed-before", workflow.read_printed(self.ihr.journal_path, order, then))

    def on_printed_before(self, message: m.PrintedBefore) -> None:
        """What the journal has of the open order's labels: printed (the step says so, and
        F7 asks whether to print again), or not (F7 prints)."""
        order = self.session.draft.order
        if order is None or order.id != message.order_id:
            return  # another order is open now
        if message.when is None:
            if message.then == "print":
                self.print_now()
            elif message.then == "elsewhere":
                self.print_elsewhere()
            return
        when = format_no(message.when)
        notice = self.session.printed_before(when)
        if notice is not None:
            self._show(notice)
        if message.then:  # the reprint dialog has its own Ctrl+O for another printer
            open_reprint(self.ihr, order, question=S.print_again_question(when))

    def action_print_elsewhere(self) -> None:
        """Ctrl+O: this one job to another printer (the journal asked first, as for F7)."""
        refusal = self.session.print_refusal()
        if refusal is not None:
            self._show(refusal)
        elif self.print_job is not None and not self.session.printing:
            self.print_elsewhere()  # the job that did not print, to another printer
        elif not self.session.printing:
            self._ask_journal("elsewhere")

    #: The outcome of the order's last unconfirmed job, to ask about again (F7).
    print_result: Any = None

    def run_print(self, job: Any) -> None:
        self._started_for[Step.PRINT] = self.session.draft  # what it brings home is this order's
        self.session.step_started(Step.PRINT)
        self.ihr.state_changed()
        super().run_print(job)

    def new_print(self, printer_url: str) -> Any:
        session, order = self.session, self.session.draft.order
        assert order is not None and session.catalog is not None  # checked by the keys
        self.print_order_id = order.id
        labels = labels_for_order(order, session.catalog)
        return workflow.print_labels(self.ihr.print_place(), printer_url, order.id, labels)

    def on_screen_resume(self) -> None:
        """Back from a dialog: the print queue may have printed or dropped this order's job."""
        if self.print_job is not None:
            run_job(self, "print-job", workflow.read_print_job(self.ihr.journal_path, self.print_job))

    def on_print_job_read(self, message: m.PrintJobRead) -> None:
        job = message.job
        if job.id != self.print_job or job.state in ("waiting", "unconfirmed"):
            return
        self.print_job = self.print_result = None
        if job.state == "done":
            text = S.print_done_in_queue(job.label_count * job.copies, printer_name(job.printer_url))
            self._show(self.session.print_job_ended(True, text))
        else:  # dropped: the next F7 is a new job
            self._show(self.session.print_job_ended(False))

    def show_print(self, message: m.LabelsPrinted) -> None:
        if not self._still_open(Step.PRINT):
            return  # an order no longer open: its job is in the print queue (Ctrl+U)
        result = message.result
        self.print_result = result if result.outcome == "unconfirmed" else None
        notice = self.session.labels_printed(result.outcome, outcome_text(message, "F7"))
        self._show(notice)
        if notice is not None and notice.severity == "error":
            self.ihr.notify(result.message, title=S.ERROR_TITLE, severity="error", timeout=8)

    def ask_collection(self) -> None:
        """F8: which tubes were taken now, when and by whom. The tubes not yet taken are
        listed; once all are, an order not yet sent lists them all again (a time corrected).
        Before the labels are printed (or when their print failed) it asks first."""
        refusal = self.session.collection_refusal()
        if refusal is not None:
            self._show(refusal)
            return
        question = self.session.collection_question()
        if question is None:
            self._open_collection()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._open_collection()
            else:
                self._show(Notice(S.COLLECT_PRINT_FIRST, "warning"))

        self.ihr.push_screen(ConfirmDialog(question), answered)

    def _open_collection(self) -> None:
        app, session = self.ihr, self.session

        def done(result: Collection | None) -> None:
            if result is not None:
                self.collect(result)

        who = session.draft.collected_by or app.settings.user
        order = session.draft.order
        assert order is not None  # refused without one
        app.push_screen(CollectionDialog(app.clock(), who, session.tubes_to_collect(), ordered_at=order.created_at,
                                         born=order.patient.birth_date), done)

    def collect(self, collection: Collection) -> None:
        """Register a `tui.dialogs.collection.Collection` for the open order."""
        order = self.session.draft.order
        if order is None:
            self._show(Notice(S.SAVE_FIRST, "warning"))
            return
        self.session.collection_started(collection.when, collection.who, len(collection.specimen_ids))
        self._start(Step.COLLECT, workflow.collect(self.ihr.client, order.id, collection.when, collection.who,
                                                   collection.specimen_ids))

    @on(m.CollectionStored)
    def _collected(self, message: m.CollectionStored) -> None:
        if self._still_open(Step.COLLECT):
            self._show(self.session.collection_stored(message.order))

    def send(self) -> None:
        refusal = self.session.send_refusal()
        if refusal is not None:
            self._show(refusal)
            return
        order = self.session.draft.order
        assert order is not None  # refused above
        self._start(Step.SEND, workflow.send(self.ihr.client, order.id))

    @on(m.OrderSent)
    def _sent(self, message: m.OrderSent) -> None:
        if self._still_open(Step.SEND):
            notice = self.session.order_sent(message.order)
            self.ihr.autosave.flush()  # sent: the autosaved draft goes
            self._show(notice)

    @on(JobFailed)
    def _step_failed(self, failure: JobFailed) -> None:
        """A step failed: the review says which and why; basket and answers are kept."""
        if failure.name not in S.STEP_NAMES:
            return
        failure.stop()
        if not self._still_open(Step(failure.name)):
            return  # about an order no longer open: its draft keeps what it had
        kept = failure.name == Step.SAVE and (failure.is_a("ServiceUnavailable") or failure.is_a("Unauthorized"))
        self._show(self.session.step_failed(Step(failure.name), failure.text, kept=kept))
        self.ihr.notify(failure.text, title=S.ERROR_TITLE, severity="error", timeout=8)
        for detail in failure.details[:5]:
            self.ihr.notify(detail, title=S.ERROR_TITLE, severity="error")

    _shown_order: str | None = None  # the order whose journal and collections were read

    def _order_appeared(self) -> None:
        """An order this screen has not shown yet (saved, or restored after a restart): its
        steps from what is known of it: the print journal's record of its labels, and the
        tubes the service has as taken."""
        draft = self.session.draft
        order = draft.order
        if order is None or order.id == self._shown_order:
            return
        self._shown_order = order.id
        if draft.steps[Step.PRINT].state is StepStatus.PENDING and order.specimens:
            run_job(self, "printed-before", workflow.read_printed(self.ihr.journal_path, order))
        self.session.collection_from_order()

    def refresh_state(self) -> None:
        if not self.is_mounted:
            return
        self._order_appeared()
        session = self.session
        self.query_one("#review-steps", Static).update(self._steps())
        self.query_one("#review-printer", Static).update(self._printer())
        self.query_one("#review-summary", Static).update(self._summary())
        self.query_one("#review-tubes", Static).update(self._tubes())
        self.query_one("#review-preview", Static).update(self._preview())
        self.query_one("#review-preview", Static).display = session.draft.order is not None

    def action_choose_lab(self) -> None:
        """Ctrl+L: another lab for one of the requisitions (`tui.dialogs.performer`)."""
        session = self.session
        if session.catalog is None or not session.draft.items:
            self._show(Notice(S.LAB_NO_REQUISITION, "warning"))
            return
        if session.draft.locked:
            self._show(Notice(S.ALREADY_SAVED, "warning"))
            return

        def chosen(choice: LabChoice | None) -> None:
            if choice is not None and session.catalog is not None:
                lab = session.catalog.lab(choice.lab_her_id)
                self.ihr.tell(session.choose_lab(choice.current, choice.discipline, lab, choice.reason))

        self.ihr.push_screen(PerformerDialog(requisitions(session.draft.items, session.catalog)), chosen)

    # ---- parts ------------------------------------------------------------------
    def _steps(self) -> Table:
        draft = self.session.draft
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, show_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for step in Step:
            st = draft.steps[step]
            table.add_row(
                Text(STEP_KEY[step], style="bold reverse"),
                Text(S.STEP_NAMES[step]),
                Text(STATE_TEXT[st.state], style=STATE_STYLE[st.state]),
                Text(st.text if st.state is not StepStatus.PENDING else ""),
            )
        return table

    def _printer(self) -> Text:
        """Where the next job goes, and why that printer (the workstation, the setting)."""
        printer = self.ihr.printer
        return Text(S.print_target(printer_name(printer.url), printer.why), style="italic")

    def _summary(self) -> Any:
        session = self.session
        draft = session.draft
        parts: list[Any] = []
        head = Text()
        head.append(f"{S.REVIEW_REQUESTER}: ", style="bold")
        head.append(f"{session.requester.name} (HPR {session.requester.hpr})" if session.requester else S.NO_REQUESTER)
        head.append(f"   {S.REVIEW_PRIORITY}: ", style="bold")
        head.append(S.PRIORITY.get(draft.priority, draft.priority),
                    style="bold reverse" if draft.priority == URGENT else "")
        parts.append(head)
        if session.catalog is None or not draft.items:
            parts.append(Text(S.QUESTIONS_EMPTY_BASKET, style="italic"))
            return RichGroup(*parts)
        numbers = {}
        if draft.order is not None:
            numbers = {(r.lab_her_id, r.discipline.value): r.number for r in draft.order.requisitions}
        parts.append(Text(f"\n{S.REVIEW_REQUISITIONS}", style="bold underline"))
        for req in requisitions(draft.items, session.catalog):
            number = numbers.get((req.lab_her_id, req.services[0].discipline.value))
            heading = S.requisition_heading(req.kind, req.lab_name) + (f"  nr. {number}" if number else "")
            parts.append(Text(heading, style="bold"))
            parts.append(Text("  " + ", ".join(s.name for s in req.services), overflow="fold"))
            if req.lab_her_id in draft.region_reasons:
                parts.append(Text(S.region_reason_line(draft.region_reasons[req.lab_her_id][1]), style="italic"))
        parts.append(Text(f"\n{S.REVIEW_ANSWERS}", style="bold underline"))
        questions = {q.key: q for q in questions_for(draft.services)}
        answers = [(questions[k], v) for k, v in draft.answers.items() if k in questions]
        if not answers and not draft.comment.strip():
            parts.append(Text(S.REVIEW_NO_ANSWERS, style="italic"))

        for q, v in answers:
            line = labelled(q.text, format_answer(q, v))
            if draft.from_journal(q.key):
                line.append_text(mark(draft.journal[q.key].when))
            parts.append(line)
        if draft.comment.strip():
            parts.append(labelled(session.comment_label(), draft.comment.strip()))
        parts.append(Text(f"\n{S.ORDER_FIELDS}", style="bold underline"))
        parts += self._order_fields()
        return RichGroup(*parts)

    def _order_fields(self) -> list[Text]:
        """Payment, copies, diagnosis, clinical information and (imaging) the modality statement."""
        session = self.session
        draft = session.draft
        copies = []
        for hpr in draft.copy_hprs:
            doctor = session.doctors.get(hpr)
            copies.append(f"{doctor.display_name} (HPR {hpr})" if doctor is not None else f"HPR {hpr}")
        code = draft.diagnosis_code.strip().upper()
        diagnosis = (code, draft.diagnosis_text.strip()) if code else None
        lines = []
        for label, value in order_fields(draft.payment_category, copies, diagnosis, draft.clinical_info.strip(),
                                         draft.modality_change, draft.has_imaging):
            line = labelled(label, value)
            line.overflow = "fold"
            lines.append(line)
        return lines

    def _tubes(self) -> Any:
        session = self.session
        draft = session.draft
        if session.catalog is None or not draft.items:
            return ""
        tubes: list[Any] = draft.order.specimens if draft.order is not None else plan_tubes(draft.items, session.catalog)
        title = Text(f"\n{S.REVIEW_TUBES}  ", style="bold underline")
        title.append(S.tube_count(len(tubes), len(tubes)), style="not underline")
        if not tubes:
            return RichGroup(title, Text(S.REVIEW_NO_TUBES, style="italic"))
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for col in S.TUBE_COLS:
            table.add_column(col, overflow="fold")
        table.columns[0].no_wrap = True
        for i, tube in numbered(tubes):
            container = session.catalog.container(tube.container)
            names = []
            for code in tube.service_codes:
                try:
                    names.append(session.catalog.service(code).short_name)
                except KeyError:
                    names.append(code)
            table.add_row(
                str(i),
                container.cap_colour,
                container.name,
                tube.material,
                ", ".join(names),
                getattr(tube, "id", None) or "–",
            )
        return RichGroup(title, table)

    def _preview(self) -> Any:
        session = self.session
        if session.draft.order is None or session.catalog is None or not session.draft.order.specimens:
            return ""
        labels = labels_for_order(session.draft.order, session.catalog)
        text = Text(f"\n{S.REVIEW_PREVIEW} (1 av {len(labels)})\n", style="bold underline")
        text.append(preview_text(labels[0], self.ihr.settings, width=40), style="")
        return text
