"""Guided questions (veiledende spørsmål): which to ask, when they apply, and their answers.

Conventions (the same in the TUI, the client and the sandbox, since all call these):
- An answer that is missing, None or a blank string counts as "no answer".
- Operators follow FHIR Questionnaire: `exists` compares "has an answer" with the boolean;
  `=`, `>`, `<`, `>=`, `<=` need an answer that satisfies them; `!=` holds when the answer is
  not equal, and also when the (enabled) question has no answer yet.
- Disabling cascades: a condition on a question that is disabled, or that is not in the
  basket at all, never holds, whatever its operator, and the answer of a disabled question
  is ignored. So with `enable_behavior="all"` (the default) a question is disabled as soon as
  one question it depends on is; with "any", when none of its conditions holds.
- Dates and datetimes travel as ISO 8601 strings and are compared as dates and times
  (aware datetimes on the UTC scale); integers and decimals as numbers; booleans as
  booleans; choices and text as strings.
- A cycle in enable_when (a question that depends on itself) leaves the questions on it
  disabled.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from ihr.localtime import OSLO, format_no
from ihr.models import (
    AnswerType,
    AnswerValue,
    EnableWhen,
    FieldProblem,
    Question,
    Service,
    xml_text_problem,
)
from ihr.rules.dates import (
    clinical_date_problem,
    parse_date,
    parse_date_time,
)
from ihr.rules.moments import date_problem, in_utc, moment_problem

_TRUE = {"ja", "j", "yes", "y", "true", "sann", "1", "x"}
_FALSE = {"nei", "n", "no", "false", "usann", "0"}


def questions_for(services: Iterable[Service]) -> list[Question]:
    """All questions of the basket in order; a shared key is asked once (first wins)."""
    seen: set[str] = set()
    out: list[Question] = []
    for service in services:
        for q in service.questions:
            if q.key not in seen:
                seen.add(q.key)
                out.append(q)
    return out


def _present(value: Any) -> bool:
    if value is None:
        return False
    return not (isinstance(value, str) and not value.strip())


def _as_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if dt.tzinfo is not None:  # compare aware and naive values on one (UTC, naive) scale
        if in_utc(dt) is None:  # out of the bounds: converting could overflow
            return None
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            f = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return f if math.isfinite(f) else None
    return None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _coerce(answer_type: AnswerType | None, value: Any) -> Any:
    """A comparable form of `value` for a question of this type; None when it cannot be."""
    match answer_type:
        case AnswerType.INTEGER | AnswerType.DECIMAL:
            return _as_number(value)
        case AnswerType.BOOLEAN:
            return _as_bool(value)
        case AnswerType.DATE:
            return _as_date(value)
        case AnswerType.DATETIME:
            return _as_datetime(value)
        case _:
            if isinstance(value, bool):
                return value
            if isinstance(value, int | float):
                return float(value)
            return str(value).strip()


def _condition_holds(cond: EnableWhen, controlling: Question, value: Any) -> bool:
    """Whether one condition holds for the (enabled) controlling question's answer."""
    if cond.operator == "exists":
        wanted = _as_bool(cond.answer)
        return wanted is not None and _present(value) == wanted
    if not _present(value):
        return cond.operator == "!="
    answer_type = controlling.type
    left = _coerce(answer_type, value)
    right = _coerce(answer_type, cond.answer)
    if left is None or right is None:
        return False
    try:
        match cond.operator:
            case "=":
                return bool(left == right)
            case "!=":
                return bool(left != right)
            case ">":
                return bool(left > right)
            case "<":
                return bool(left < right)
            case ">=":
                return bool(left >= right)
            case "<=":
                return bool(left <= right)
    except TypeError:  # e.g. a text compared with a number: not comparable, not enabled
        return False
    return False


def is_enabled(
    question: Question,
    answers: Mapping[str, AnswerValue],
    questions_by_key: Mapping[str, Question],
) -> bool:
    """Whether the question applies, given the answers and the other questions (cascading)."""
    return _is_enabled(question, answers, questions_by_key, frozenset()) is True


def _is_enabled(
    question: Question,
    answers: Mapping[str, AnswerValue],
    by_key: Mapping[str, Question],
    visiting: frozenset[str],
) -> bool | None:
    """True or False; None when the question's conditions run into a cycle."""
    if not question.enable_when:
        return True
    if question.key in visiting:
        return None
    visiting = visiting | {question.key}
    results = []
    for cond in question.enable_when:
        controlling = by_key.get(cond.question)
        if controlling is None:  # not in the basket: the condition cannot hold
            results.append(False)
            continue
        state = _is_enabled(controlling, answers, by_key, visiting)
        if state is None:
            return None  # everything on a cycle stays disabled
        # A disabled controlling question: the condition does not hold (cascade).
        results.append(state and _condition_holds(cond, controlling, answers.get(cond.question)))
    return any(results) if question.enable_behavior == "any" else all(results)


def _by_key(questions: Iterable[Question]) -> dict[str, Question]:
    out: dict[str, Question] = {}
    for q in questions:
        out.setdefault(q.key, q)
    return out


def enabled_questions(
    questions: Iterable[Question], answers: Mapping[str, AnswerValue]
) -> list[Question]:
    """The questions that apply to these answers, in their order."""
    qs = list(questions)
    by_key = _by_key(qs)
    return [q for q in qs if by_key[q.key] is q and is_enabled(q, answers, by_key)]


def unasked(services: Iterable[Service], keys: Iterable[str]) -> list[str]:
    """The keys, of those given, that no service in the basket asks (in their order, once).

    An answer belongs to the questions asked now: once the service that asked it has left
    the basket, the answer is not saved or sent, and when a service that asks the question
    comes back it is asked afresh (the app may offer the old answer, never reuse it).
    """
    asked = {q.key for q in questions_for(services)}
    return [k for k in dict.fromkeys(keys) if k not in asked]


def clean_answers(
    questions: Iterable[Question], answers: Mapping[str, Any]
) -> dict[str, AnswerValue]:
    """Only answers to known, enabled questions, without blank ones: what reaches the order."""
    return {
        q.key: answers[q.key]
        for q in enabled_questions(questions, answers)
        if q.key in answers and _present(answers[q.key])
    }


# ---- validation -------------------------------------------------------------------------


def format_number(value: float) -> str:
    """A number as Norwegians write it: 20 -> "20", 7.5 -> "7,5"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def _with_unit(text: str, unit: str | None) -> str:
    return f"{text} {unit}" if unit else text


def _bounds_problem(question: Question, number: float) -> str | None:
    lo, hi, unit = question.min, question.max, question.unit
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        if lo is not None and hi is not None:
            return _with_unit(f"Må være mellom {format_number(lo)} og {format_number(hi)}", unit)
        if lo is not None:
            return _with_unit(f"Må være minst {format_number(lo)}", unit)
        return _with_unit(f"Må være høyst {format_number(hi)}", unit)  # type: ignore[arg-type]
    return None


def _choices_text(question: Question) -> str:
    return ", ".join(c.display for c in question.choices)


def answer_problem(
    question: Question, value: Any, *, born: date | None = None, now: datetime | None = None
) -> str | None:
    """What is wrong with one (present) answer value, in Norwegian; None when it is fine.

    Dates and times must lie within `ihr.rules.moments`' bounds; given the patient's birth
    date (`born`) they may not be before it, and given `now` a date or time (the last eGFR,
    a last dose) may not be in the future unless the question is `future_allowed` (a due
    date, termindato, is): `ihr.rules.dates.clinical_date_problem`.
    """
    match question.type:
        case AnswerType.BOOLEAN:
            if not isinstance(value, bool):
                return "Svaret må være ja eller nei"
        case AnswerType.INTEGER:
            if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, float) and value.is_integer())
            ):
                return "Svaret må være et heltall"
            return _bounds_problem(question, float(value))
        case AnswerType.DECIMAL:
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                return "Svaret må være et tall"
            return _bounds_problem(question, float(value))
        case AnswerType.CHOICE:
            if not isinstance(value, str) or value not in {c.code for c in question.choices}:
                return f"Velg et av alternativene: {_choices_text(question)}"
        case AnswerType.DATE:
            day = _as_date(value)
            if day is None:
                return "Ugyldig dato – skriv dd.mm.åååå"
            return clinical_date_problem(day, today=local_day(now), born=born, future_allowed=question.future_allowed)
        case AnswerType.DATETIME:
            moment = _parse_iso_local(value.strip()) if isinstance(value, str) and len(value.strip()) > 10 else None
            if moment is None:
                return "Ugyldig tidspunkt – skriv dd.mm.åååå tt:mm"
            if now is None:
                return date_problem(moment.date())
            return moment_problem(moment, now=now, born=born, past_only=not question.future_allowed)
        case AnswerType.TEXT:
            if not isinstance(value, str):
                return "Svaret må være tekst"
            if (problem := xml_text_problem(value)) is not None:
                return problem
            if question.max_length is not None and len(value) > question.max_length:
                return f"Svaret kan ha høyst {question.max_length} tegn"
    return None


def validate_answers(
    questions: Iterable[Question],
    answers: Mapping[str, Any],
    *,
    born: date | None = None,
    now: datetime | None = None,
) -> list[FieldProblem]:
    """Problems with the answers to the enabled questions (path "answers.<key>").

    Required questions count only while enabled; answers to disabled or unknown questions
    are not problems (`clean_answers` drops them). `born` and `now` as for `answer_problem`.
    """
    problems: list[FieldProblem] = []
    for q in enabled_questions(questions, answers):
        path = f"answers.{q.key}"
        value = answers.get(q.key)
        if not _present(value):
            if q.required:
                problems.append(FieldProblem(path=path, detail=f"Mangler svar: {q.text}"))
            continue
        detail = answer_problem(q, value, born=born, now=now)
        if detail is not None:
            problems.append(FieldProblem(path=path, detail=detail))
    return problems


def local_day(now: datetime | None) -> date | None:
    """Today in Norway, from `now` (aware: any zone; naive: Norwegian local time already)."""
    if now is None:
        return None
    return (now.astimezone(OSLO) if now.tzinfo is not None else now).date()


# ---- parsing what the secretary types ---------------------------------------------------

_DATETIME_NO = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+|\s*,\s*|\s*kl\.?\s*)(\d{1,2})[:.](\d{2})$", re.I
)


def _parse_datetime(text: str) -> str:
    m = _DATETIME_NO.match(text)
    try:
        if m:
            dt = datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]))
            return dt.isoformat(timespec="minutes")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?", text):
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return dt.isoformat(timespec="minutes" if dt.second == 0 and not dt.microsecond else "seconds")
    except ValueError:
        pass
    raise ValueError("Ugyldig tidspunkt – skriv dd.mm.åååå tt:mm")


def parse_answer(
    question: Question, text: str, *, now: datetime | None = None, born: date | None = None
) -> AnswerValue:
    """Turn what the secretary typed into an answer value, or raise ValueError (Norwegian).

    Booleans: ja/nei/j/n; numbers with decimal comma ("7,5") and spaces as thousands
    separators; choices by code, by display text (case-insensitive) or by number (1, 2, ...);
    dates as `ihr.rules.dates.parse_date` reads them ("1.12.26", "01.12.2026", "i dag", "i
    går", ISO) returned as "åååå-mm-dd"; datetimes "dd.mm.åååå tt:mm" (also "kl.", "tt.mm",
    "i går 22:00", ISO) returned as naive local ISO "åååå-mm-ddTtt:mm". `now` is the time
    the words and two-digit years are read against (without it, the machine's date), and
    with `born` what the value is checked against. The parsed value is also checked (bounds,
    dates, length, choice) with the same messages as `validate_answers`, so one call gives
    the secretary the whole verdict.
    """
    t = text.strip()
    if not t:
        raise ValueError("Skriv et svar")
    value: AnswerValue
    match question.type:
        case AnswerType.BOOLEAN:
            low = t.lower()
            if low in _TRUE:
                value = True
            elif low in _FALSE:
                value = False
            else:
                raise ValueError("Svar ja eller nei")
        case AnswerType.INTEGER:
            compact = re.sub(r"[\s\u00a0\u202f]", "", t)
            if not re.fullmatch(r"[+-]?\d+", compact):
                raise ValueError("Skriv et heltall")
            value = int(compact)
        case AnswerType.DECIMAL:
            compact = re.sub(r"[\s\u00a0\u202f]", "", t).replace(",", ".")
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", compact):
                raise ValueError("Skriv et tall, for eksempel 7,5")
            value = float(compact)
        case AnswerType.CHOICE:
            low = t.casefold()
            found = next(
                (c.code for c in question.choices if low in (c.code.casefold(), c.display.casefold())),
                None,
            )
            if found is None and t.isdigit() and 1 <= int(t) <= len(question.choices):
                found = question.choices[int(t) - 1].code
            if found is None:
                raise ValueError(f"Velg et av alternativene: {_choices_text(question)}")
            value = found
        case AnswerType.DATE:
            value = parse_date(t, local_day(now) or date.today()).isoformat()
        case AnswerType.DATETIME:
            try:
                value = _parse_datetime(t)
            except ValueError:
                value = parse_date_time(t, local_day(now) or date.today()).isoformat(timespec="minutes")
        case _:
            value = t
    problem = answer_problem(question, value, born=born, now=now)
    if problem is not None:
        raise ValueError(problem)
    return value


def format_answer(question: Question, value: AnswerValue) -> str:
    """An answer as the secretary sees it (the inverse of `parse_answer`)."""
    match question.type:
        case AnswerType.BOOLEAN:
            return "Ja" if value is True else "Nei" if value is False else str(value)
        case AnswerType.INTEGER | AnswerType.DECIMAL if isinstance(value, int | float) and not isinstance(value, bool):
            return _with_unit(format_number(float(value)), question.unit)
        case AnswerType.CHOICE:
            return next((c.display for c in question.choices if c.code == value), str(value))
        case AnswerType.DATE if (d := _as_date(value)) is not None:
            return d.strftime("%d.%m.%Y")
        case AnswerType.DATETIME if isinstance(value, str) and (dt := _parse_iso_local(value)):
            return format_no(dt)  # Norwegian time (a naive answer is taken to be so already)
    return str(value)


def _parse_iso_local(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
