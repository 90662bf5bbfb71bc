"""How a person's name and age are shown: the same for the validated `ihr.models.Patient` and
for the start-up peek of the banner (`client.peek.PatientPeek`), which comes before pydantic
has loaded. Standard library only."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING


class ShownPerson:
    """Mixin for a record with `family_name`, `given_name` and `birth_date`."""

    __slots__ = ()

    if TYPE_CHECKING:  # declared by the record itself (pydantic must not see them here)
        family_name: str
        given_name: str
        birth_date: date

    @property
    def display_name(self) -> str:
        """Surname first, as Norwegian lists and labels show it."""
        return f"{self.family_name}, {self.given_name}"

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
