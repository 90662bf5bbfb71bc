"""What a journal's launch bundle says, as plain data: no FHIR library, no pydantic.

`ihr.epj.launch` fills it from the bundle; `ihr.rules.journal` reads the entries; the app
keeps it in its launch context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Answer values a journal entry can carry: a number, a yes/no, an ISO date, a text.
EntryValue = bool | float | str | None


@dataclass(frozen=True)
class JournalEntry:
    """One fact of the journal: an observation, a medication in use, a condition.

    `codes` are "system|code" strings; `value` is the observation's value (a number, a
    yes/no from a coded value, an ISO date, a text) or None; `when` the local date it was
    taken, asserted or recorded; `text` how the journal names it.
    """

    resource: str  # "Observation" | "MedicationStatement" | "Condition"
    codes: tuple[str, ...]
    value: EntryValue
    when: date | None
    text: str = ""


@dataclass(frozen=True)
class JournalCondition:
    """An ICPC-2 diagnosis the journal holds for the patient."""

    code: str
    text: str
    when: date | None


@dataclass(frozen=True)
class JournalRecord:
    """What the launch bundle says: who, and what the journal knows about her."""

    patient_id: str
    requester_hpr: str | None
    office_her_id: str | None
    org_number: str | None
    entries: tuple[JournalEntry, ...]
    conditions: tuple[JournalCondition, ...]  # newest first


