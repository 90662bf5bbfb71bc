"""Find the patient: scan or type a fødselsnummer, or search by name.

After a name search the result list has focus (↑/↓ and Enter choose). Letters, Backspace and
the field's other editing keys typed there go on in the search field, and Enter opens a
patient only from a list found for what the field now holds: on a list that no longer
matches, Enter searches again.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ihr.rules.identifiers import format_person_id, looks_like_person_id
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.screens.base import MainScreen
from tui.widgets.inputs import TextInput, type_into
from tui.work import run_job


class PatientScreen(MainScreen):
    CSS_PATH = "patient.tcss"
    AUTO_FOCUS = "#patient-query"

    #: The name search the result list shows (None: no list, or one for another text).
    listed_for: str | None = None

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
        text = event.value.strip()
        if not text:
            return
        if looks_like_person_id(text) or text.replace(" ", "").isdigit():
            if self.ihr.open_patient(text):
                event.input.value = ""
            return
        self._search(text)

    def _search(self, text: str) -> None:
        self.listed_for = None  # until the list of this search is there
        self.set_status(S.PATIENT_SEARCHING)
        run_job(self, "patient_search", workflow.search_patients(self.ihr.client, text))

    @on(m.PatientsFound)
    def _found(self, message: m.PatientsFound) -> None:
        patients = message.patients
        from tui.present import clip  # start-up seam: loaded on first use (bench_tui_startup)

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
        self.listed_for = message.query.strip()
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
        field = self.query_one("#patient-query", TextInput)
        if self.listed_for is None or field.value.strip() != self.listed_for:
            # The list is of another text than the field's (typed since, or still searching):
            # its highlighted patient is not the one asked for. Search for what is typed.
            field.focus()
            if field.value.strip():
                self._search(field.value.strip())
            return
        if event.row_key.value:
            self.ihr.open_patient(event.row_key.value)

    async def on_key(self, event: events.Key) -> None:
        """A key the result list does not use (a letter, Backspace, Ctrl+U) goes on in the
        search field, in order with the keys after it."""
        if self.focused is self.query_one(DataTable):
            await type_into(self.query_one("#patient-query", TextInput), event)

    def patient_changed(self, first: bool) -> None:
        """Another patient is open: the search that found the last one is done with."""
        self.query_one("#patient-query", TextInput).value = ""
        table = self.query_one(DataTable)
        table.clear()
        table.display = False
        self.listed_for = None
