"""Review and finish: what will be sent and drawn, then save, print, collect and send."""

from __future__ import annotations

from typing import Any

from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ihr.rules.questions import format_answer, questions_for
from tui import strings as S
from tui.draft import Step, StepStatus
from tui.screens.base import MainScreen
from tui.widgets.basket import requisitions

STEP_KEY = {Step.SAVE: "F6", Step.PRINT: "F7", Step.COLLECT: "F8", Step.SEND: "F9"}
STATE_TEXT = {
    StepStatus.PENDING: S.STEP_PENDING,
    StepStatus.RUNNING: S.STEP_RUNNING,
    StepStatus.FAILED: S.STEP_FAILED,
    StepStatus.DONE: S.STEP_DONE,
}
STATE_STYLE = {StepStatus.PENDING: "", StepStatus.RUNNING: "italic", StepStatus.FAILED: "bold red",
               StepStatus.DONE: "bold green"}


class ReviewScreen(MainScreen):
    CSS_PATH = "review.tcss"

    BINDINGS = [
        Binding("f6", "app.save", S.KEY_SAVE, id="save"),
        Binding("f7", "app.print", S.KEY_PRINT, id="print"),
        Binding("f8", "app.collect_dialog", S.KEY_COLLECT, id="collect"),
        Binding("f9", "app.send", S.KEY_SEND, id="send"),
        Binding("ctrl+n", "app.new_order", S.KEY_NEW_ORDER, id="new_order"),
        Binding("ctrl+r", "app.choose_requester", S.KEY_REQUESTER, id="requester"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="review-steps")
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-summary")
            yield Static("", id="review-tubes")
            yield Static("", id="review-preview")

    def on_mount(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        if not self.is_mounted:
            return
        session = self.session
        self.query_one("#review-steps", Static).update(self._steps())
        self.query_one("#review-summary", Static).update(self._summary())
        self.query_one("#review-tubes", Static).update(self._tubes())
        self.query_one("#review-preview", Static).update(self._preview())
        self.query_one("#review-preview", Static).display = session.draft.order is not None

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

    def _summary(self) -> Any:
        session = self.session
        draft = session.draft
        parts: list[Any] = []
        head = Text()
        head.append(f"{S.REVIEW_REQUESTER}: ", style="bold")
        head.append(f"{session.requester.name} (HPR {session.requester.hpr})" if session.requester else S.NO_REQUESTER)
        head.append(f"   {S.REVIEW_PRIORITY}: ", style="bold")
        head.append(S.PRIORITY.get(draft.priority, draft.priority),
                    style="bold reverse" if draft.priority == "haster" else "")
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
        parts.append(Text(f"\n{S.REVIEW_ANSWERS}", style="bold underline"))
        questions = {q.key: q for q in questions_for(draft.services)}
        answers = [(questions[k], v) for k, v in draft.answers.items() if k in questions]
        if not answers and not draft.comment.strip():
            parts.append(Text(S.REVIEW_NO_ANSWERS, style="italic"))
        for q, v in answers:
            line = Text(f"  {q.text}: ")
            line.append(format_answer(q, v), style="bold")
            parts.append(line)
        if draft.comment.strip():
            label = S.PROBLEMSTILLING if session.needs_problemstilling() else S.COMMENT
            line = Text(f"  {label}: ")
            line.append(draft.comment.strip(), style="bold")
            parts.append(line)
        return RichGroup(*parts)

    def _tubes(self) -> Any:
        session = self.session
        draft = session.draft
        if session.catalog is None or not draft.items:
            return ""
        if draft.order is not None:
            tubes: list[Any] = sorted(draft.order.specimens, key=lambda s: (s.order_of_draw, s.id))
        else:
            from ihr.rules.tubes import plan_tubes

            tubes = plan_tubes(draft.items, session.catalog)
        title = Text(f"\n{S.REVIEW_TUBES}  ", style="bold underline")
        title.append(S.tube_count(len(tubes), len(tubes)), style="not underline")
        if not tubes:
            return RichGroup(title, Text(S.REVIEW_NO_TUBES, style="italic"))
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for col in S.TUBE_COLS:
            table.add_column(col, overflow="fold")
        table.columns[0].no_wrap = True
        for i, tube in enumerate(tubes, 1):
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
        from printing.orders import labels_for_order, preview_text

        labels = labels_for_order(session.draft.order, session.catalog, session.draft.collected_at)
        text = Text(f"\n{S.REVIEW_PREVIEW} (1 av {len(labels)})\n", style="bold underline")
        text.append(preview_text(labels[0], self.ihr.settings, width=40), style="")
        return text
