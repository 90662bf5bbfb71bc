"""Guided questions (veiledende spørsmål): every question of the basket once, on one screen.

Conditional questions appear and disappear as the answers change (`enabled_questions`);
free-text answers go through `parse_answer`, whose Norwegian message shows under the field.
What was typed is kept in the draft even when it does not parse, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static

from ihr.models import AnswerType, Question
from ihr.rules.questions import enabled_questions, format_answer, parse_answer, questions_for
from tui import strings as S
from tui.screens.base import MainScreen
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import TextInput

PROBLEMSTILLING_KEY = "__comment__"


def _placeholder(q: Question) -> str:
    match q.type:
        case AnswerType.DATE:
            return "dd.mm.åååå"
        case AnswerType.DATETIME:
            return "dd.mm.åååå tt:mm"
        case AnswerType.INTEGER | AnswerType.DECIMAL:
            return q.unit or ""
    return q.help or ""


class QuestionRow(Vertical):
    """One question: its text, its input and its message."""

    def __init__(self, question: Question, asked_by: list[str], field: Widget) -> None:
        super().__init__(classes="question")
        self.question = question
        self.asked_by = asked_by
        self.field = field
        self.field.question_key = question.key  # type: ignore[attr-defined]

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

    def set_error(self, text: str) -> None:
        err = self.query_one(".question-error", Static)
        err.update(text)
        err.display = bool(text)


class QuestionsScreen(MainScreen):
    CSS_PATH = "questions.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._signature: tuple[Any, ...] | None = None
        #: The guided questions on screen, by key (hidden ones too: `row.display` says).
        self.rows: dict[str, QuestionRow] = {}
        self._comment: TextInput | None = None
        self._building = False

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
        signature = (tuple(q.key for q in questions), session.needs_problemstilling(), bool(services), session.draft.locked)
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
        if draft.items:
            needs = session.needs_problemstilling()
            comment = TextInput(draft.comment, placeholder="", max_length=2000, compact=True)
            comment.question_key = PROBLEMSTILLING_KEY  # type: ignore[attr-defined]
            comment.disabled = draft.locked
            self._comment = comment
            label = Text(S.PROBLEMSTILLING if needs else S.COMMENT, style="bold")
            if needs:
                label.append(S.QUESTIONS_REQUIRED_MARK, style="bold red")
            rows.append(Vertical(Label(label, classes="question-text"), comment, classes="question"))
        else:
            self._comment = None
        old.remove_children()
        if rows:
            old.mount_all(rows)
            self.call_after_refresh(self._focus_first)
        info = self.query_one("#questions-info", Static)
        if not draft.items:
            info.update(S.QUESTIONS_EMPTY_BASKET)
        elif not questions:
            info.update(S.QUESTIONS_NONE)
        else:
            info.update(S.QUESTIONS_LEGEND)

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
        if key == PROBLEMSTILLING_KEY:
            draft.comment = event.value
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

    def _update_visibility(self) -> None:
        draft = self.session.draft
        enabled = {q.key for q in enabled_questions([r.question for r in self.rows.values()], draft.answers)}
        for key, row in self.rows.items():
            row.display = key in enabled
        self._update_missing()

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
        for row in self.rows.values():
            if row.display and row.question.required and row.question.key not in self.session.draft.answers:
                row.field.focus()
                return
        if self._comment is not None and self.session.needs_problemstilling() and not self.session.draft.comment.strip():
            self._comment.focus()
