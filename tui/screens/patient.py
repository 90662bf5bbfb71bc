"""Find the patient: scan or type a fødselsnummer, or search by name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.screens.base import MainScreen
from tui.widgets.inputs import TextInput
from tui.work import run_job


class PatientScreen(MainScreen):
    CSS_PATH = "patient.tcss"
    AUTO_FOCUS = "#patient-query"

    def compose_body(self) -> ComposeResult:
        yield Static(S.PATIENT_HINT, id="patient-hint")
        yield TextInput(placeholder=S.PATIENT_PLACEHOLDER, id="patient-query")
        table: DataTable[str] = DataTable(id="patient-results", cursor_type="row", zebra_stripes=False)
        yield table

    def on_mount(self) -> None:
        self.title = S.PATIENT_TITLE
        table = self.query_one(DataTable)
        table.add_columns(S.PATIENT_COL_ID, S.PATIENT_COL_NAME, S.PATIENT_COL_AGE, S.PATIENT_COL_SEX)
        table.display = False

    @on(TextInput.Submitted, "#patient-query")
    def _submitted(self, event: TextInput.Submitted) -> None:
        from ihr.rules.identifiers import looks_like_person_id

        text = event.value.strip()
        if not text:
            return
        if looks_like_person_id(text) or text.replace(" ", "").isdigit():
            if self.ihr.open_patient(text):
                event.input.value = ""
            return
        self.set_status(S.PATIENT_SEARCHING)
        run_job(self, "patient_search", workflow.search_patients(self.ihr.client, text))

    @on(m.PatientsFound)
    def _found(self, message: m.PatientsFound) -> None:
        from ihr.rules.identifiers import format_person_id

        patients = message.patients
        from tui.present import clip

        table = self.query_one(DataTable)
        table.clear()
        today = self.ihr.clock().date()
        name_width = self._name_width()
        for p in patients:
            table.add_row(
                format_person_id(p.id), clip(p.display_name, name_width), str(p.age_on(today)),
                S.SEX.get(p.sex, p.sex), key=p.id,
            )
        table.display = bool(patients)
        self.set_status(S.patient_found(len(patients)) if patients else S.PATIENT_NONE)
        if patients:
            table.focus()

    def _name_width(self) -> int:
        """Room for the name: a long one is shortened (…) so that age and sex stay in view."""
        table = self.query_one(DataTable)
        width = table.size.width or self.size.width - 2  # hidden until the first result: the screen's
        others = len(S.PATIENT_COL_ID) + len(S.PATIENT_COL_AGE) + max(len(S.PATIENT_COL_SEX), *map(len, S.SEX.values()))
        return max(len(S.PATIENT_COL_NAME), width - others - 2 * 4 - 2)  # cell padding, scrollbar

    @on(DataTable.RowSelected, "#patient-results")
    def _picked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.ihr.open_patient(event.row_key.value)
