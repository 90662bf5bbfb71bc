"""Answers from the journal: which guided question the EPJ's record answers, and whether
the answer it holds may be used.

The catalog says, per question, where a journal keeps its answer (`Question.journal`: a
FHIR resource type, its codes, what to take of it, and how old it may be). The journal's
record is a list of `JournalEntry` (read from the EPJ's launch bundle by `ihr.epj.launch`);
this rule picks, per question, the newest entry with one of its codes and says what it
answers. Plain Python: the app and the service can both apply it.

- An answer older than the question allows (`max_age_days`: an eGFR older than three
  months before contrast) is offered as old and not used; so is one with no date.
- An answer the question itself would refuse (out of its bounds, a date in the future) is
  offered with the question's own problem, and not used.
- A medication the journal does not list answers nothing: the absence of a
  `MedicationStatement` is no "Nei". One it lists as in use without a date is dated today
  (the day the journal handed it over).
- Codes match exactly, except ATC codes, which also match the codes under them
  (`B01A`, antithrombotic agents, matches warfarin `B01AA03`; an empty ATC code matches
  every medication).
- `take="names"` answers a text question with the names of every matching entry (the
  medication in use, for "Faste medisiner"), dated by the newest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ihr.epj.record import JournalEntry
from ihr.models.catalog import AnswerType, AnswerValue, JournalSource, Question
from ihr.rules.questions import answer_problem

ATC = "http://www.whocc.no/atc"

@dataclass(frozen=True)
class JournalAnswer:
    """What the journal says to one question: the value, its date, and whether it is used.

    `problem` is None when the value answers the question; otherwise a Norwegian reason it
    is only shown (too old, no date, refused by the question's own rule).
    """

    key: str
    value: AnswerValue
    when: date | None
    problem: str | None = None

    @property
    def usable(self) -> bool:
        return self.problem is None


def code_matches(wanted: str, have: str) -> bool:
    """Whether an entry's "system|code" is one the catalog asks for (ATC: also codes under it)."""
    if wanted == have:
        return True
    w_system, _, w_code = wanted.partition("|")
    h_system, _, h_code = have.partition("|")
    return w_system == ATC == h_system and h_code.startswith(w_code)


def _matching(source: JournalSource, entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    return [
        e for e in entries
        if e.resource == source.resource and any(code_matches(w, h) for w in source.codes for h in e.codes)
    ]


def _value(question: Question, source: JournalSource, entry: JournalEntry) -> AnswerValue | None:
    """The entry as an answer to the question, or None when it cannot be one."""
    if source.take == "date":
        return entry.when.isoformat() if entry.when is not None and question.type is AnswerType.DATE else None
    if source.take == "in_use":
        return True if question.type is AnswerType.BOOLEAN else None
    v = entry.value
    match question.type:
        case AnswerType.DECIMAL if isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
        case AnswerType.INTEGER if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
            return int(v)
        case AnswerType.BOOLEAN if isinstance(v, bool):
            return v
        case AnswerType.DATE if isinstance(v, str) and len(v) == 10:
            return v
        case AnswerType.TEXT if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _names(question: Question, found: list[JournalEntry]) -> AnswerValue | None:
    """Every matching entry by its name, once each, in the journal's order ("Metformin, Litium")."""
    names = list(dict.fromkeys(e.text.strip() for e in found if e.text.strip()))
    return ", ".join(names) if names and question.type is AnswerType.TEXT else None


def too_old(when: date | None, max_age_days: int | None, today: date) -> bool:
    """Older than the question allows (no date at all counts as too old where an age is asked)."""
    if max_age_days is None:
        return False
    return when is None or (today - when).days > max_age_days


def journal_answers(
    questions: Iterable[Question],
    entries: Sequence[JournalEntry],
    *,
    today: date,
    now: datetime | None = None,
    born: date | None = None,
) -> dict[str, JournalAnswer]:
    """What the journal answers, per question key (only the questions it holds an entry for).

    The newest matching entry wins (an entry with no date counts as the oldest).
    """
    out: dict[str, JournalAnswer] = {}
    for q in questions:
        source = q.journal
        if source is None or q.key in out:
            continue
        found = _matching(source, entries)
        if not found:
            continue
        entry = max(found, key=lambda e: e.when or date.min)
        value = _names(q, found) if source.take == "names" else _value(q, source, entry)
        if value is None:
            continue
        # A medication listed as in use without a date is in use as of today's handover.
        when = entry.when if entry.when is not None or source.resource != "MedicationStatement" else today
        problem: str | None = None
        if too_old(when, source.max_age_days, today):
            problem = _old_text(when, source.max_age_days)
        elif when is not None and when > today:
            problem = "Datoen i journalen er fram i tid"
        else:
            problem = answer_problem(q, value, born=born, now=now)
        out[q.key] = JournalAnswer(q.key, value, when, problem)
    return out


def _old_text(when: date | None, max_age_days: int | None) -> str:
    if when is None:
        return "Journalen oppgir ingen dato"
    return f"Eldre enn {age_text(max_age_days or 0)} – ikke brukt"


def age_text(days: int) -> str:
    """How long `max_age_days` is, in words: 92 -> "3 måneder", 7 -> "7 dager"."""
    if days >= 28 and days % 30 in (0, 1, 2):
        months = round(days / 30.5)
        return f"{months} måned" if months == 1 else f"{months} måneder"
    return f"{days} dag" if days == 1 else f"{days} dager"
