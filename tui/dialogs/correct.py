"""Correct a rejected order and send it again (`PUT /orders/{id}`, then send).

Shows why the lab rejected it (the AppRec errors), then the fields a rejection usually
points at: the patient's fødselsnummer (E35 patient not found), the requester's HPR number
(E20 requester unknown), the comment and the answers to the guided questions (typed as in
the questions screen, read with `ihr.rules.questions.parse_answer`). Items and priority stay
as they are; the order keeps its id, requisition numbers and specimen ids, so printed
labels still hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from ihr.models import Order, xml_text_problem
from ihr.rules.followup import Rejection, correction_input
from ihr.rules.identifiers import InvalidPersonId, format_person_id, parse_person_id
from ihr.rules.questions import format_answer, format_number, parse_answer
from tui import strings as S
from tui.dialogs.base import SendingDialog
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


@dataclass
class Corrected(Message):
    order: Order


class CorrectDialog(SendingDialog[Order | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="correct_cancel", key_display="Esc"),
        Binding("f9", "submit", S.CORRECT_OK, id="correct_ok"),
    ]

    def __init__(self, order: Order, why: list[Rejection]) -> None:
        super().__init__(classes="dialog")
        self.order = order
        self.why = why

    def compose(self) -> ComposeResult:
        lines = [
            f"{r.requisition_number} {r.lab}: " + S.apprec_error_line(e.code, e.text, e.details)
            for r in self.why
            for e in r.errors
        ]
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.CORRECT_TITLE
            yield Label(S.CORRECT_WHY, classes="dialog-hint")
            yield Static("\n".join(lines), classes="followup-why", markup=False)
            with VerticalScroll(classes="followup-fields"):
                yield Label(S.CORRECT_PATIENT, classes="dialog-hint")
                yield TextInput(format_person_id(self.order.patient.id), id="correct-patient", max_length=14,
                                compact=True)
                yield Label(S.CORRECT_REQUESTER, classes="dialog-hint")
                yield TextInput(self.order.requester.hpr, id="correct-requester", max_length=12, compact=True)
                yield Label(S.CORRECT_COMMENT, classes="dialog-hint")
                yield TextInput(self.order.comment or "", id="correct-comment", max_length=2000, compact=True)
                for key, question, text in self._answers():
                    yield Label(question.text, classes="dialog-hint")
                    yield TextInput(text, id=f"correct-answer-{key}", classes="correct-answer", compact=True)
            yield Static("", classes="dialog-error", id="correct-error")
        yield KeyBar()

    def _answers(self) -> list[tuple[str, Any, str]]:
        """(key, question, text as typed) of each stored answer whose question is known."""
        catalog = self.session.catalog
        questions: dict[str, Any] = {}
        for req in self.order.requisitions:
            for item in req.items:
                try:
                    for q in catalog.service(item.service_code).questions if catalog else ():
                        questions.setdefault(q.key, q)
                except KeyError:
                    continue
        out = []
        for a in self.order.answers:
            asked = questions.get(a.key)
            if asked is None or not a.key.replace("_", "").isalnum():
                continue
            if isinstance(a.value, int | float) and not isinstance(a.value, bool):
                text = format_number(float(a.value))  # without the unit, so it reads back
            else:
                text = format_answer(asked, a.value)
            out.append((a.key, asked, text))
        return out

    def on_mount(self) -> None:
        # A scanned fødselsnummer goes into this field instead of opening that patient.
        self.query_one("#correct-patient", TextInput).takes_scans = True  # type: ignore[attr-defined]
        codes = {e.code for r in self.why for e in r.errors}
        target = "#correct-requester" if "E20" in codes and "E35" not in codes else "#correct-patient"
        self.query_one(target, TextInput).focus()

    @on(TextInput.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        try:
            pid = parse_person_id(
                self.query_one("#correct-patient", TextInput).value, allow_synthetic=not self.ihr.settings.production
            )
        except InvalidPersonId as exc:
            self.say(exc.message)
            self.query_one("#correct-patient", TextInput).focus()
            return
        hpr = self.query_one("#correct-requester", TextInput).value.strip()
        if not hpr.isdigit():
            self.say(S.CORRECT_BAD_HPR)
            self.query_one("#correct-requester", TextInput).focus()
            return
        comment = self.query_one("#correct-comment", TextInput).value
        problem = xml_text_problem(comment)
        if problem is not None:  # the Endring could not carry it: never sent
            self.say(f"{S.CORRECT_COMMENT}: {problem}")
            self.query_one("#correct-comment", TextInput).focus()
            return
        answers = {}
        for key, question, _ in self._answers():
            field = self.query_one(f"#correct-answer-{key}", TextInput)
            try:
                answers[key] = parse_answer(question, field.value, now=self.session.clock(),
                                            born=self.order.patient.birth_date)
            except ValueError as exc:
                self.say(f"{question.text}: {exc}")
                field.focus()
                return
        body = correction_input(self.order, patient_id=pid.value, requester_hpr=hpr, comment=comment, answers=answers)
        self.start("correct", self._send(body), S.CORRECT_SENDING)

    async def _send(self, body: Any) -> Corrected:
        client = self.ihr.client
        await client.update_order(self.order.id, body)
        return Corrected(await client.send_order(self.order.id))

    @on(Corrected)
    def _corrected(self, message: Corrected) -> None:
        self.dismiss(message.order)

    def action_close(self) -> None:
        self.dismiss(None)
