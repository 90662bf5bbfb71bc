"""How answers from the journal (EPJ) read on screen: the mark beside an answer taken from
the launch bundle, and the note beside one the question cannot use. Plain Python and Rich
text, no Textual: the questions screen, the review and the order detail share it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from ihr.rules.questions import format_answer
from tui import strings as S

MARK_STYLE = "italic cyan"
NOT_USED_STYLE = "yellow"


def day(when: date | None) -> str | None:
    return when.strftime("%d.%m.%Y") if when is not None else None


def mark(when: date | None) -> Text:
    """" · fra journalen, dd.mm.åååå" to append to an answer."""
    return Text(f"  ({S.from_journal(day(when))})", style=MARK_STYLE)


def note(question: Any, draft: Any, offered: Any) -> Text | None:
    """The line under a question: the journal's answer in use, changed, or not used; None
    when the journal has nothing for it. `offered` is `ihr.rules.journal.JournalAnswer`."""
    if offered is None:
        return None
    if not offered.usable:
        return Text(S.journal_not_used(format_answer(question, offered.value), day(offered.when), offered.problem),
                    style=NOT_USED_STYLE)
    if draft.from_journal(question.key):
        return Text(S.from_journal(day(offered.when)), style=MARK_STYLE)
    if question.key in draft.journal or question.key in draft.answers:
        return Text(S.journal_changed(format_answer(question, offered.value), day(offered.when)), style="dim")
    # not filled (it did not apply then): offered, for the secretary to answer
    return Text(S.journal_offered(format_answer(question, offered.value), day(offered.when)), style="dim")
