"""Guided questions (veiledende spørsmål): every question of the basket once, on one screen.

Conditional questions appear and disappear as the answers change (`enabled_questions`);
free-text answers go through `parse_answer`, whose Norwegian message shows under the field.
What was typed is kept in the draft even when it does not parse, so nothing is lost.

Below them, the requisition's other fields, each with a default that needs no key: on an
imaging referral whether the radiologist may change modality (asked every time, j/n), the
comment or problem statement and clinical information (fields of several lines, `TextBox`:
Enter breaks the line, a paste keeps its lines), an optional ICPC-2 diagnosis, payment
(ordinær pasient) and copies (the patient's fastlege offered; other doctors by HPR-nummer,
looked up so the secretary sees the name). Text a message cannot carry is shown in place
(`ihr.rules.text`) and keeps the order from being saved; a paste with it is refused whole.

The field with focus stays in sight: when the screen comes back (F4), when the questions
above it appear or go, when the "Dette mangler" panel below grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static, TextArea

from client.errors import NotFound
from ihr.helseid import DOCTOR
from ihr.models import PAYMENT_CATEGORY_TEXTS, AnswerType, Question, Requester, xml_text_problem
from ihr.rules.dates import understood
from ihr.rules.questions import enabled_questions, format_answer, local_day, questions_for
from tui import strings as S
from tui.journal import note
from tui.screens.base import MainScreen
from tui.session import is_icpc2_code
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import PasteRefused, TextBox, TextInput
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


@dataclass
class Icpc2Found(Message):
    """The ICPC-2 codes the service's list has for what was typed (None: it has no list)."""

    typed: str
    hits: list[tuple[str, str]] | None


@dataclass
class DoctorsNamed(Message):
    """The doctors the address register has for a copy recipient typed by name."""

    name: str
    doctors: list[Requester]


def _placeholder(q: Question) -> str:
    match q.type:
        case AnswerType.DATE:
            return S.DATE_HINT
        case AnswerType.DATETIME:
            return S.DATETIME_HINT
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
        self.error = Static("", classes="question-error")  # set before it is mounted too

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
        yield self.error
        yield self.journal_line

    def set_error(self, text: str) -> None:
        self.error.update(text)
        self.error.display = bool(text)
        self.error.set_class(False, "-understood")

    def set_understood(self, text: str) -> None:
        """Not a problem: what the field understood (a date), in the message's place."""
        self.set_error(text)
        self.error.set_class(True, "-understood")

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


class FormScroll(VerticalScroll):
    """The questions and fields, scrolled. When it is resized (the "Dette mangler" panel
    below grew or shrank, the terminal changed), the field with focus is scrolled back into
    sight: the panel never covers what she is typing in."""

    def on_resize(self, event: events.Resize) -> None:
        screen = self.screen
        if isinstance(screen, QuestionsScreen):
            screen.keep_focus_in_sight()


def _label(text: str, required: bool = False) -> Text:
    label = Text(text, style="bold")
    if required:
        label.append(S.QUESTIONS_REQUIRED_MARK, style="bold red")
    return label


class QuestionsScreen(MainScreen):
    CSS_PATH = "questions.tcss"
    BINDINGS = [
        Binding("ctrl+g", "use_offered", S.KEY_USE_OFFERED, show=False, id="questions_use_offered"),
    ]

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
        yield FormScroll(id="questions")
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
                     session.draft.has_imaging, session.gp_offer(), session.comment_label())
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
            info.update(S.QUESTIONS_NONE if draft.locked else S.QUESTIONS_NONE_FIELDS)
        else:
            info.update(S.QUESTIONS_LEGEND)

    def _order_fields(self) -> list[Widget]:
        """The requisition's other fields, below the guided questions."""
        session = self.session
        draft = session.draft

        def text(key: str, max_length: int, placeholder: str = "") -> TextInput:
            return TextInput(getattr(draft, TEXT_FIELDS[key]), placeholder=placeholder, max_length=max_length, compact=True)

        def lines(key: str, placeholder: str) -> TextBox:  # its length is checked by the session
            return TextBox(getattr(draft, TEXT_FIELDS[key]), placeholder=placeholder)

        rows: list[tuple[str, Text, Widget]] = []
        if draft.has_imaging:
            value = None if draft.modality_change is None else "ja" if draft.modality_change else "nei"
            rows.append((MODALITY_KEY, _label(S.MODALITY_QUESTION, True),
                         ChoiceField([(S.YES, "ja"), (S.NO, "nei")], value)))
        needs = session.needs_problemstilling()
        rows.append((PROBLEMSTILLING_KEY, _label(session.comment_label(), needs),
                     lines(PROBLEMSTILLING_KEY, S.TEXT_BOX_HINT if needs else f"{S.OPTIONAL} · {S.TEXT_BOX_HINT}")))
        rows.append((CLINICAL_KEY, _label(S.CLINICAL_INFO), lines(CLINICAL_KEY, S.CLINICAL_INFO_HINT)))
        conditions = session.journal_conditions()  # the journal's diagnoses, offered by code
        hint = S.journal_conditions([f"{c.code} {c.text}" for c in conditions[:2]]) if conditions else S.DIAGNOSIS_CODE_HINT
        rows.append((DIAGNOSIS_CODE_KEY, _label(S.DIAGNOSIS_CODE), text(DIAGNOSIS_CODE_KEY, 40, hint)))
        rows.append((DIAGNOSIS_TEXT_KEY, _label(S.DIAGNOSIS_TEXT), text(DIAGNOSIS_TEXT_KEY, 200, S.DIAGNOSIS_TEXT_HINT)))
        rows.append((PAYMENT_KEY, _label(S.PAYMENT),
                     ChoiceField([(t, c.value) for c, t in PAYMENT_CATEGORY_TEXTS.items()], draft.payment_category)))
        gp = session.gp_offer()
        if gp is not None:
            rows.append((COPY_GP_KEY, _label(self._gp_text(gp)),
                         ChoiceField([(S.YES, "ja"), (S.NO, "nei")], "ja" if draft.copy_to_gp == gp else "nei")))
            self._look_up([gp])
        rows.append((COPY_OTHER_KEY, _label(S.COPY_OTHER), text(COPY_OTHER_KEY, 60, S.COPY_OTHER_HINT)))
        self._look_up_names(draft.copy_parts()[1])  # a restored draft: the names found again
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
            if q.type is AnswerType.TEXT:  # a text answer (a problem statement) may take lines
                field = TextBox(raw or "", placeholder=_placeholder(q))
            else:
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
        self._typed(event.input, event.value)

    @on(TextArea.Changed)
    def _lines_changed(self, event: TextArea.Changed) -> None:
        self._typed(event.text_area, event.text_area.text)

    def _typed(self, field: Widget, value: str) -> None:
        """What a text field holds now, into the draft (a guided answer parsed as typed)."""
        key = getattr(field, "question_key", None)
        draft = self.session.draft
        if key in TEXT_FIELDS:
            if getattr(draft, TEXT_FIELDS[key]) == value:
                return  # the field was filled from the draft: nothing typed
            setattr(draft, TEXT_FIELDS[key], value)
            if key == DIAGNOSIS_CODE_KEY:
                self._diagnosis_from_journal(value)
                self._look_up_icpc2(value)
            if key == COPY_OTHER_KEY:
                self._look_up(draft.copy_hprs)
                self._look_up_names(draft.copy_parts()[1])
            self._show_field_errors()
            self._update_missing()
            return
        if key is None or key not in self.rows:
            return
        row = self.rows[key]
        if draft.raw_answers.get(key, "") == value and (key in draft.answers or not value.strip()):
            return  # the field was filled from the draft: nothing typed
        draft.raw_answers[key] = value
        if not value.strip():
            draft.answers.pop(key, None)
            row.set_error("")
        else:
            try:
                draft.answers[key] = self.session.parse_answer(row.question, value)
                row.set_understood(self._understood(row.question, draft.answers[key]))
            except ValueError as exc:
                draft.answers.pop(key, None)
                row.set_error(str(exc))
        self._update_visibility()

    def _understood(self, question: Question, value: Any) -> str:
        """Under a date field, the date it understood ("Forstått: tirsdag 01.12.2026 (i går)"):
        "1.12.26" and "i går" are read, and she sees how."""
        today = local_day(self.session.clock())
        try:
            if question.type is AnswerType.DATE and today is not None:
                return understood(date.fromisoformat(value), today)
            if question.type is AnswerType.DATETIME and today is not None:
                moment = datetime.fromisoformat(value)
                return f"{understood(moment.date(), today)} kl. {moment:%H:%M}"
        except (TypeError, ValueError):  # not a value this screen parsed (a kept answer)
            pass
        return ""

    @on(PasteRefused)
    def _paste_refused(self, event: PasteRefused) -> None:
        """A paste the field did not take: why and where, under the field; the field as it was."""
        key = getattr(event.field, "question_key", None)
        row = self.rows.get(key or "") or self.fields.get(key or "")
        if row is not None:
            event.stop()
            row.set_error(event.problem)
            self.keep_focus_in_sight()

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
        for key, question_row in self.rows.items():  # a date restored or kept: what it is
            if key in draft.answers and question_row.question.type in (AnswerType.DATE, AnswerType.DATETIME):
                question_row.set_understood(self._understood(question_row.question, draft.answers[key]))
            offer = self.session.offered_answer(key)  # asked afresh: the old answer offered
            if offer is not None:
                question_row.set_understood(S.offered_answer(offer, isinstance(question_row.field, (TextInput, TextBox))))
        for key, attr in TEXT_FIELDS.items():
            row = self.fields.get(key)
            if row is None:
                continue
            value = getattr(draft, attr)
            error = xml_text_problem(value) or ""
            if key == DIAGNOSIS_CODE_KEY and not error and self._icpc2_hits is not None:
                error = self._icpc2_text(value)
            elif key == DIAGNOSIS_CODE_KEY and len(value.strip()) >= 3 and not is_icpc2_code(value.strip().upper()):
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
        for name in draft.copy_parts()[1]:
            problem = self.session.copy_name_problem(name)
            if problem:
                lines.append(problem)
        return "\n".join(([S.copy_names(names)] if names else []) + lines)

    # ---- ICPC-2 from the official list (the service's, `ihr.kith.icpc2`) ----------------------
    #: The codes the list has for what is in the code field; None: no list to look up in.
    _icpc2_hits: list[tuple[str, str]] | None = None
    _icpc2_for = ""  # what the hits are for
    _icpc2_missing = False  # the service has no list: the code and text are typed

    def _icpc2_text(self, value: str) -> str:
        """Under the code field: the list's codes for a search, or the code's text."""
        typed = value.strip()
        if not typed or typed != self._icpc2_for:
            return ""
        if not self._icpc2_hits:
            return S.icpc2_none(typed)
        if is_icpc2_code(typed.upper()) and self._icpc2_hits[0][0] == typed.upper():
            return ""
        return S.icpc2_hits([f"{c} {t}" for c, t in self._icpc2_hits])

    def _look_up_icpc2(self, value: str) -> None:
        client = self.ihr.client
        typed = value.strip()
        if client is None or self._icpc2_missing or not typed:
            return
        run_job(self, f"icpc2:{typed}", self._icpc2(client, typed))

    @staticmethod
    async def _icpc2(client: Any, typed: str) -> Icpc2Found:
        try:
            found = await client.search_icpc2(typed)
        except NotFound:
            return Icpc2Found(typed, None)
        return Icpc2Found(typed, [(t.code, t.text) for t in found.terms])

    @on(TextInput.Submitted)
    def _code_submitted(self, event: TextInput.Submitted) -> None:
        """Enter in the code field: the first code the list offers, with the list's text."""
        if getattr(event.input, "question_key", None) != DIAGNOSIS_CODE_KEY or not self._icpc2_hits:
            return
        if self.session.draft.diagnosis_code.strip() != self._icpc2_for:
            return
        event.stop()
        self._take_code(*self._icpc2_hits[0])

    def _take_code(self, code: str, text: str) -> None:
        """The code and, from the list, its text (into both fields and the draft)."""
        code_field = self.fields[DIAGNOSIS_CODE_KEY].field
        text_field = self.fields[DIAGNOSIS_TEXT_KEY].field
        assert isinstance(code_field, TextInput) and isinstance(text_field, TextInput)
        self._icpc2_for = code
        self._icpc2_hits = [(code, text)]
        code_field.value = code
        text_field.value = text
        draft = self.session.draft
        draft.diagnosis_code, draft.diagnosis_text = code, text
        self._show_field_errors()
        self._update_missing()

    @on(Icpc2Found)
    def _icpc2_found(self, message: Icpc2Found) -> None:
        if message.hits is None:
            self._icpc2_missing, self._icpc2_hits = True, None
        elif message.typed == self.session.draft.diagnosis_code.strip():
            self._icpc2_for, self._icpc2_hits = message.typed, message.hits
            exact = [h for h in message.hits if h[0] == message.typed.upper()]
            if exact and is_icpc2_code(message.typed.upper()):
                self._take_code(*exact[0])  # a code typed: its text is the list's
                return
        if self.is_mounted and self.fields:
            self._show_field_errors()

    def _look_up_names(self, names: list[str]) -> None:
        """Ask the address register for the doctors of each new name typed (3+ letters)."""
        client = self.ihr.client
        for name in names:
            key = name.casefold()
            if client is None or key in self._looking or key in self.session.copy_names:
                continue
            if sum(ch.isalpha() for ch in name) >= 3:
                self._looking.add(key)
                run_job(self, f"copy:{key}", self._doctors_named(client, name))

    @staticmethod
    async def _doctors_named(client: Any, name: str) -> DoctorsNamed:
        found = await client.search_directory(name)
        doctors = [
            Requester(hpr=e.hpr, name=e.name, title=e.role or "Lege", office_her_id=e.organisation_her_id or "")
            for e in found.entries
            if e.kind == "person" and e.hpr and e.category == DOCTOR
        ]
        return DoctorsNamed(name, doctors)

    @on(DoctorsNamed)
    def _doctors_named_found(self, message: DoctorsNamed) -> None:
        self._looking.discard(message.name.casefold())
        self.session.doctors_named(message.name, message.doctors)
        if self.is_mounted and self.fields:
            self._show_field_errors()
            self._update_missing()

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
        if failure.name.startswith("icpc2:"):  # no codes offered: the code is typed as before
            failure.stop()
            return
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
        self.keep_focus_in_sight()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.keep_focus_in_sight()

    def keep_focus_in_sight(self) -> None:
        """Once laid out, scroll the field with focus into view: the panel below may have
        grown over it, questions above it appeared, or the screen come back scrolled."""

        def show() -> None:
            focused = self.focused
            if focused is not None and focused.is_mounted and self.is_mounted:
                row = next((a for a in focused.ancestors if isinstance(a, (QuestionRow, FieldRow))), focused)
                row.scroll_visible(animate=False, immediate=True)

        self.call_after_refresh(show)

    def action_use_offered(self) -> None:
        """Ctrl+G: the old answer offered under the focused text field goes into it (as if
        typed, so it is read and checked again); nothing else takes it."""
        field = self.focused
        key = getattr(field, "question_key", None)
        offer = self.session.offered_answer(key) if key in self.rows else None
        if offer is not None and isinstance(field, (TextInput, TextBox)):
            field.value = offer

    def _focus_first(self) -> None:
        """The first guided question; without one, the first of the requisition's fields
        (the info line says so): F4 never leaves the screen without a field to type in."""
        rows: list[QuestionRow | FieldRow] = [*self.rows.values(), *self.fields.values()]
        for row in rows:
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
