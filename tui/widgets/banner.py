"""The patient banner: who the order is for, and for whom it is requested. Always visible."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from ihr.rules.identifiers import format_person_id
from tui import strings as S
from tui.session import URGENT

if TYPE_CHECKING:  # typing only: tui.app imports the screens that hold the banner
    from tui.ports import IhrPort


class PatientBanner(Static):
    DEFAULT_CSS = """
    PatientBanner { height: 2; padding: 0 1; background: $primary-background; color: $text; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._changed, init=False)  # IhrApp.revision
        self._changed()

    def on_resize(self) -> None:
        self._changed()  # the name's room changed

    def _changed(self, _value: object = None) -> None:
        session = cast("IhrPort", self.app).session
        patient = session.shown_patient
        line1 = Text(no_wrap=True, overflow="ellipsis")
        if patient is None:
            line1.append(S.BANNER_NO_PATIENT, style="bold")
        else:
            age = patient.age_on(session.clock().date())
            pid = f"  {format_person_id(patient.id)}"
            rest = f"  {age} år  {S.SEX.get(patient.sex, patient.sex)}"
            # a long name is shortened (…) so that fødselsnummer, age and sex stay on the line
            room = max(10, (self.size.width - 2 if self.size.width else 78) - len(pid) - len(rest))
            name = patient.display_name
            line1.append(name if len(name) <= room else name[: room - 1] + "…", style="bold")
            line1.append(pid, style="bold")
            line1.append(rest)
        line2 = Text(no_wrap=True, overflow="ellipsis")
        requester = session.shown_requester
        line2.append(S.banner_requester(requester.name, requester.hpr) if requester else S.BANNER_NO_REQUESTER)
        if session.draft.priority == URGENT:
            line2.append("  ")
            line2.append(f" {S.BANNER_URGENT} ", style="bold reverse")
        if session.catalog_note:
            line2.append(f"  {session.catalog_note}", style="italic")
        self.update(Text("\n").join([line1, line2]))
