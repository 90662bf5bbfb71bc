"""Guided questions (veiledende spørsmål): every question of the basket once, on one screen.

Conditional questions appear and disappear as the answers change (`enabled_questions`);
free-text answers go through `parse_answer`, whose Norwegian message shows under the field.
What was typed is kept in the draft even when it does not parse, so nothing is lost.

Below them, the requisition's other fields, each with a default that needs no key: on an
imaging referral whether the radiologist may change modality (asked every time, j/n), the
comment or problem statement, clinical information, an optional ICPC-2 diagnosis, payment
(ordinær pasient) and copies (the patient's fastlege offered; other doctors by HPR-nummer,
looked up so the secretary sees the name). Text a message cannot carry is shown in place
(`ihr.models.xml_text_problem`) and keeps the order from being saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from ihr.models import PAYMENT_CATEGORY_TEXTS, AnswerType, Question, Requester, xml_text_problem
from ihr.rules.questions import enabled_questions, format_answer, parse_answer, questions_for
from tui import strings as S
from tui.screens.base import MainScreen
from tui.session import is_icpc2_code
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import TextInput
from tui.work import JobFailed, run_job

PROBLEMSTILLING_KEY = "__comment__"
# The requisition's other fields, by the key their input carries (never a question's key).
MODALITY_KEY = "__modality__"
CLINICAL_KEY = "__clinical__"
DIAGNOSIS_CODE_KEY = "__diagnosis_code__"
DIAGNOSIS_TEXT_KEY = "__diagnosis_text__"
PAYMENT_KEY = "__payment__"
COPY_GP_KEY = "__copy_gp__"
COPY_OTHER_KEY = "__copy_other__"
#: Free-text fields and the draft attribute each one writes.
TEXT_FIELDS = {
    PROBLEMSTILLING_KEY: "comment",
    CLINICAL_KEY: "clinical_info",
    DIAGNOSIS_CODE_KEY: "diagnosis_code",
    DIAGNOSIS_TEXT_KEY: "diagnosis_text",
    COPY_OTHER_KEY: "copy_other",
}


@dataclass
class DoctorFound(Message):
    """A copy recipient looked up by HPR-nummer (`doctor` None: the service knows none)."""

    hpr: str
    doctor: Requester | None


def _placeholder(q: Question) -> str:
    match q.type:
        case AnswerType.DATE:
            return "dd.mm.åååå"
        case AnswerType.DATETIME:
            return "dd.mm.åååå tt:mm"
    return q.help or ""  # a number's unit is in its label: the field does not repeat it


class QuestionRow(Vertical):
    """One question: its text, its input and its message."""

    def __init__(self, question: Question, asked_by: list[str], field: Widget) -> None:
        super().__init__(classes="question")
        self.question = question
        self.asked_by = asked_by
        self.field = field
        self.field.question_key = question.key  # type: ignore[attr-defined]
        self.journal_line = Static("", classes="question-journal")  # set before it is mounted too
        self.journal_line.display = False
        self._journal_text: Text | None = None

    def compose(self) -> ComposeResult:
        q = self.question
        label = Text(q.text, style="bold")
        if q.required:
            label.append(S.QUESTIONS_REQUIRED_MARK, style="bold red")
        if q.unit and q.type in (AnswerType.INTEGER, AnswerType.DECIMAL):
            label.append(f" ({q.unit})")
        if self.asked_by:
            label.append(f"  · {', '.join(self.asked_by)}", style="dim")
        label.no_wrap = True
        label.overflow = "ellipsis"
        yield Label(label, classes="question-text")
        yield self.field
        yield Static("", classes="question-error")
        yield self.journal_line

    def set_error(self, text: str) -> None:
        err = self.query_one(".question-error", Static)
        err.update(text)
        err.display = bool(text)

    def set_journal(self, text: Text | None) -> None:
        """The answer from the journal (EPJ): taken ("fra journalen, dato"), changed, or not used."""
        if text == self._journal_text:  # nothing to redraw (the common case: no journal)
            return
        self._journal_text = text
        self.journal_line.update(text or "")
        self.journal_line.display = text is not None


class FieldRow(Vertical):
    """One of the requisition's other fields: its label, its input and its message (which
    can be set before the row is mounted)."""

    def __init__(self, key: str, label: Text, field: Widget) -> None:
        super().__init__(classes="question")
        self.key = key
        self.field = field
        self.field.question_key = key  # type: ignore[attr-defined]
        label.no_wrap = True
        label.overflow = "ellipsis"
        self.label = Label(label, classes="question-text")
        self.error = Static("", classes="question-error")
        self.error.display = False

    def compose(self) -> ComposeResult:
        yield self.label
        yield self.field
        yield self.error

    def set_label(self, label: Text) -> None:
        label.no_wrap = True
        label.overflow = "ellipsis"
        self.label.update(label)

    def set_error(self, text: str) -> None:
        self.error.update(text)
        self.error.display = bool(text)


def _label(text: str, required: bool = False) -> Text:
    label = Text(text, style="bold")
    if required:
        label.append(S.QUESTIONS_REQUIRED_MARK, style="bold red")
    return label


class QuestionsScreen(MainScreen):
    CSS_PATH = "questions.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._signature: tuple[Any, ...] | None = None
        #: The guided questions on screen, by key (hidden ones too: `row.display` says).
        self.rows: dict[str, QuestionRow] = {}
        #: The requisition's other fields on screen, by key (MODALITY_KEY, ...).
        self.fields: dict[str, FieldRow] = {}
        self._comment: TextInput | None = None
        self._looking: set[str] = set()  # HPR-numre being looked up

    def compose_body(self) -> ComposeResult:
        yield Static("", id="questions-info")
        yield VerticalScroll(id="questions")
        yield Static("", id="questions-missing")

    def on_mount(self) -> None:
        self.refresh_state()

    def reset(self) -> None:
        self._signature = None

    # ---- building ----------------------------------------------------------------
    def refresh_state(self) -> None:
        if not self.is_mounted:
            return
        session = self.session
        services = session.draft.services
        questions = questions_for(services)
        signature = (tuple(q.key for q in questions), session.needs_problemstilling(), bool(services), session.draft.locked,
                     session.draft.has_imaging, session.gp_offer())
        if signature != self._signature:
            self._signature = signature
            self._build(questions)
        self._update_visibility()

    def _build(self, questions: list[Question]) -> None:
        session = self.session
        draft = session.draft
        old = self.query_one("#questions", VerticalScroll)
        self.rows = {}
        rows: list[Widget] = []
        for q in questions:
            names = [s.name for s in draft.services if any(x.key == q.key for x in s.questions)]
            field = self._field_for(q)
            row = QuestionRow(q, names, field)
            self.rows[q.key] = row
            rows.append(row)
        self.fields = {}
        if draft.items:
            rows += self._order_fields()
            self._comment = self.fields[PROBLEMSTILLING_KEY].field  # type: ignore[assignment]
        else:
            self._comment = None
        old.remove_children()
        if rows:
            old.mount_all(rows)
            self.call_later(self._focus_first)  # before the next key is routed (tui.keys)
            self.call_after_refresh(self._show_field_errors)
        info = self.query_one("#questions-info", Static)
        if not draft.items:
            info.update(S.QUESTIONS_EMPTY_BASKET)
        elif not questions:
            info.update(S.QUESTIONS_NONE)
        else:
            info.update(S.QUESTIONS_LEGEND)

    def _order_fields(self) -> list[Widget]:
        """The requisition's other fields, below the guided questions."""
        session = self.session
        draft = session.draft

        def text(key: str, max_length: int, placeholder: str = "") -> TextInput:
            return TextInput(getattr(draft, TEXT_FIELDS[key]), placeholder=placeholder, max_length=max_length, compact=True)

        rows: list[tuple[str, Text, Widget]] = []
        if draft.has_imaging:
            value = None if draft.modality_change is None else "ja" if draft.modality_change else "nei"
            rows.append((MODALITY_KEY, _label(S.MODALITY_QUESTION, True),
                         ChoiceField([(S.YES, "ja"), (S.NO, "nei")], value)))
        needs = session.needs_problemstilling()
        rows.append((PROBLEMSTILLING_KEY, _label(S.PROBLEMSTILLING if needs else S.COMMENT, needs),
                     text(PROBLEMSTILLING_KEY, 2000, "" if needs else S.OPTIONAL)))
        rows.append((CLINICAL_KEY, _label(S.CLINICAL_INFO), text(CLINICAL_KEY, 2000, S.CLINICAL_INFO_HINT)))
        conditions = session.journal_conditions()  # the journal's diagnoses, offered by code
        hint = S.journal_conditions([f"{c.code} {c.text}" for c in conditions[:2]]) if conditions else S.DIAGNOSIS_CODE_HINT
        rows.append((DIAGNOSIS_CODE_KEY, _label(S.DIAGNOSIS_CODE), text(DIAGNOSIS_CODE_KEY, 3, hint)))
        rows.append((DIAGNOSIS_TEXT_KEY, _label(S.DIAGNOSIS_TEXT), text(DIAGNOSIS_TEXT_KEY, 200, S.OPTIONAL)))
        rows.append((PAYMENT_KEY, _label(S.PAYMENT),
                     ChoiceField([(t, c.value) for c, t in PAYMENT_CATEGORY_TEXTS.items()], draft.payment_category)))
        gp = session.gp_offer()
        if gp is not None:
            rows.append((COPY_GP_KEY, _label(self._gp_text(gp)),
                         ChoiceField([(S.YES, "ja"), (S.NO, "nei")], "ja" if draft.copy_to_gp == gp else "nei")))
            self._look_up([gp])
        rows.append((COPY_OTHER_KEY, _label(S.COPY_OTHER), text(COPY_OTHER_KEY, 60, S.COPY_OTHER_HINT)))
        heading = Static(Text(S.ORDER_FIELDS, style="bold underline"), classes="question")
        out: list[Widget] = [heading]
        for key, label, field in rows:
            field.disabled = draft.locked
            self.fields[key] = FieldRow(key, label, field)
            out.append(self.fields[key])
        return out

    def _gp_text(self, gp: str) -> str:
        doctor = self.session.doctors.get(gp)
        return S.copy_to_gp(doctor.display_name if doctor is not None else f"HPR {gp}")

    def _field_for(self, q: Question) -> Widget:
        draft = self.session.draft
        value = draft.answers.get(q.key)
        field: Widget
        if q.type is AnswerType.BOOLEAN:
            field = ChoiceField([(S.YES, "ja"), (S.NO, "nei")], "ja" if value is True else "nei" if value is False else None)
        elif q.type is AnswerType.CHOICE:
            field = ChoiceField([(c.display, c.code) for c in q.choices], value if isinstance(value, str) else None)
        else:
            raw = draft.raw_answers.get(q.key)
            if raw is None and value is not None:
                raw = format_answer(q, value)
                if q.unit and raw.endswith(q.unit):
                    raw = raw[: -len(q.unit)].strip()
            field = TextInput(raw or "", placeholder=_placeholder(q), compact=True,
                              max_length=q.max_length or 0)
        field.disabled = draft.locked
        return field

    # ---- answers ---------------------------------------------------------------
    @on(ChoiceField.Changed)
    def _choice_changed(self, event: ChoiceField.Changed) -> None:
        key = getattr(event.field, "question_key", None)
        draft = self.session.draft
        if key == MODALITY_KEY:
            draft.modality_change = None if event.value is None else event.value == "ja"
        elif key == PAYMENT_KEY:
            draft.payment_category = event.value or "1"  # no choice: the default, ordinær pasient
        elif key == COPY_GP_KEY:
            draft.copy_to_gp = self.session.gp_offer() if event.value == "ja" else None
        if key in self.fields:
            self._update_missing()
            return
        if key is None or key not in self.rows:
            return
        q = self.rows[key].question
        draft = self.session.draft
        if event.value is None:
            draft.answers.pop(key, None)
        elif q.type is AnswerType.BOOLEAN:
            draft.answers[key] = event.value == "ja"
        else:
            draft.answers[key] = event.value
        self._update_visibility()

    @on(TextInput.Changed)
    def _text_changed(self, event: TextInput.Changed) -> None:
        key = getattr(event.input, "question_key", None)
        draft = self.session.draft
        if key in TEXT_FIELDS:
            setattr(draft, TEXT_FIELDS[key], event.value)
            if key == DIAGNOSIS_CODE_KEY:
                self._diagnosis_from_journal(event.value)
            if key == COPY_OTHER_KEY:
                self._look_up(draft.copy_hprs)
            self._show_field_errors()
            self._update_missing()
            return
        if key is None or key not in self.rows:
            return
        row = self.rows[key]
        draft.raw_answers[key] = event.value
        if not event.value.strip():
            draft.answers.pop(key, None)
            row.set_error("")
        else:
            try:
                draft.answers[key] = parse_answer(row.question, event.value)
                row.set_error("")
            except ValueError as exc:
                draft.answers.pop(key, None)
                row.set_error(str(exc))
        self._update_visibility()

    def _diagnosis_from_journal(self, code: str) -> None:
        """A code typed that the journal has: its text goes in the empty diagnosis text."""
        found = next((c for c in self.session.journal_conditions() if c.code == code.strip().upper()), None)
        row = self.fields.get(DIAGNOSIS_TEXT_KEY)
        if found is not None and found.text and row is not None and not self.session.draft.diagnosis_text.strip():
            row.field.value = found.text  # type: ignore[attr-defined]  # TextInput.Changed writes the draft

    def _show_field_errors(self) -> None:
        """Each text field's problem under it: text a message cannot carry, a diagnosis code
        that is not ICPC-2, the copy recipients found (or not)."""
        draft = self.session.draft
        for key, attr in TEXT_FIELDS.items():
            row = self.fields.get(key)
            if row is None:
                continue
            value = getattr(draft, attr)
            error = xml_text_problem(value) or ""
            if key == DIAGNOSIS_CODE_KEY and len(value.strip()) >= 3 and not is_icpc2_code(value.strip().upper()):
                error = S.DIAGNOSIS_BAD_CODE
            if key == COPY_OTHER_KEY and not error:
                error = self._copy_text()
            row.set_error(error)

    def _copy_text(self) -> str:
        draft, doctors = self.session.draft, self.session.doctors
        names, lines = [], []
        for hpr in draft.copy_hprs:
            if hpr == draft.copy_to_gp:
                continue
            if hpr in self._looking:
                names.append(f"HPR {hpr} {S.COPY_LOOKING}")
            elif hpr in doctors:
                doctor = doctors[hpr]
                if doctor is None:
                    lines.append(S.copy_unknown(hpr))
                else:
                    names.append(f"{doctor.display_name} (HPR {hpr})")
        return "\n".join(([S.copy_names(names)] if names else []) + lines)

    def _look_up(self, hprs: list[str]) -> None:
        """Ask the service who each new HPR-nummer is (a copy recipient)."""
        client = self.ihr.client
        for hpr in hprs:
            if client is None or hpr in self._looking or hpr in self.session.doctors:
                continue
            if hpr.isdigit() and 6 <= len(hpr) <= 9:
                self._looking.add(hpr)
                run_job(self, f"copy:{hpr}", self._doctor(client, hpr))

    @staticmethod
    async def _doctor(client: Any, hpr: str) -> DoctorFound:
        from client.errors import NotFound

        try:
            return DoctorFound(hpr, await client.get_requester(hpr))
        except NotFound:
            return DoctorFound(hpr, None)

    @on(DoctorFound)
    def _doctor_found(self, message: DoctorFound) -> None:
        self._looking.discard(message.hpr)
        self.session.doctor_found(message.hpr, message.doctor)
        row = self.fields.get(COPY_GP_KEY)
        if row is not None and message.hpr == self.session.gp_offer():
            row.set_label(_label(self._gp_text(message.hpr)))
        if self.is_mounted and self.fields:
            self._show_field_errors()
            self._update_missing()

    @on(JobFailed)
    def _lookup_failed(self, failure: JobFailed) -> None:
        """A lookup that failed (service down) is said under the field; the save checks again."""
        if not failure.name.startswith("copy:"):
            return
        failure.stop()
        self._looking.discard(failure.name.removeprefix("copy:"))
        row = self.fields.get(COPY_OTHER_KEY)
        if row is not None:
            row.set_error(failure.text)

    def _update_visibility(self) -> None:
        draft = self.session.draft
        enabled = {q.key for q in enabled_questions([r.question for r in self.rows.values()], draft.answers)}
        for key, row in self.rows.items():
            row.display = key in enabled
        self._show_journal()
        self._update_missing()

    def _show_journal(self) -> None:
        """Under each question the journal answers: its mark, or why its value is not used
        (`tui.journal`)."""
        from tui.journal import note

        if self.session.context.journal is None:
            return
        offered = self.session.journal_answers()
        for key, row in self.rows.items():
            row.set_journal(note(row.question, self.session.draft, offered.get(key)))


    def _update_missing(self) -> None:
        missing = self.session.missing_answers() if self.session.draft.items else []
        panel = self.query_one("#questions-missing", Static)
        if missing:
            text = Text(S.QUESTIONS_MISSING + "\n", style="bold")
            for item in missing:
                text.append(f" • {item}\n", style="")
            text.rstrip()
            panel.update(text)
            panel.set_class(True, "-missing")
        else:
            panel.update(S.QUESTIONS_ALL_GOOD if self.session.draft.items else "")
            panel.set_class(False, "-missing")

    def _focus_first(self) -> None:
        for row in self.rows.values():
            if row.display and not row.field.disabled:
                row.field.focus()
                return

    def focus_first_missing(self) -> None:
        modality = self.fields.get(MODALITY_KEY)
        for row in self.rows.values():
            if row.display and row.question.required and row.question.key not in self.session.draft.answers:
                row.field.focus()
                return
        if self._comment is not None and self.session.needs_problemstilling() and not self.session.draft.comment.strip():
            self._comment.focus()
        elif modality is not None and self.session.draft.modality_change is None:
            modality.field.focus()
