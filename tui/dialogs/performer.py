"""Ctrl+L on the review: which lab or department performs a requisition.

The labs that perform the requisition's services are listed, those that perform all of them
first, then those of the office's health region, nearest first (`ihr.rules.routing`); the
one the requisition goes to now says "(nå)". A lab that does not perform every service
says which it does not: those stay where they are, in a requisition of their own. A lab
outside the office's region asks for the reason (fritt behandlingsvalg, or the patient lives
in another region) before it is taken. With more than one requisition a choice at the top
says which one (←/→). Dismisses with a `LabChoice`, or None (Esc).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ihr.models import RegionReason, xml_text_problem
from ihr.rules.routing import REGION_REASON_TEXTS, distance_km, in_region, performers
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.basket import RequisitionView
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


@dataclass(frozen=True)
class LabChoice:
    current: str  # the requisition's lab now (HER-id) ...
    discipline: str  # ... and discipline: which requisition
    lab_her_id: str  # where it goes
    reason: tuple[str, str] | None  # (ihr.models.RegionReason value, text) outside the region


class PerformerDialog(Dialog[LabChoice | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="lab_cancel", key_display="Esc"),
        Binding("enter", "pick", S.KEY_PICK, id="lab_pick", show=True),
    ]

    def __init__(self, requisitions: list[RequisitionView]) -> None:
        super().__init__(classes="dialog")
        self.requisitions = requisitions
        self.index = 0
        self.chosen: str | None = None  # the lab picked, waiting for its reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.LAB_TITLE
            if len(self.requisitions) > 1:
                yield Label(S.LAB_REQUISITION, classes="dialog-hint")
                yield ChoiceField(
                    [(self._heading(r), str(i)) for i, r in enumerate(self.requisitions)], value="0",
                    id="lab-requisition",
                )
            else:
                yield Label(self._heading(self.requisitions[0]), id="lab-requisition-name")
            yield OptionList(id="lab-list", compact=True)
            yield Label(S.LAB_REASON, id="lab-reason-label", classes="dialog-hint")
            yield ChoiceField([(text, code.value) for code, text in REGION_REASON_TEXTS.items()], id="lab-reason")
            yield TextInput(placeholder=S.LAB_REASON_DETAIL, id="lab-reason-detail", max_length=120, compact=True)
            yield Static(S.LAB_HINT, classes="dialog-hint")
            yield Static("", classes="dialog-error", id="lab-error")
        yield KeyBar()

    @staticmethod
    def _heading(req: RequisitionView) -> str:
        names = ", ".join(s.name for s in req.services)
        return f"{S.requisition_heading(req.kind, req.lab_name)}: {names}"

    def on_mount(self) -> None:
        self._show_reason(False)
        self._fill()
        self.query_one("#lab-list", OptionList).focus()

    # ---- the list -------------------------------------------------------------------------
    @property
    def requisition(self) -> RequisitionView:
        return self.requisitions[self.index]

    def _fill(self) -> None:
        session = self.session
        assert session.catalog is not None  # the review opens this only with a catalog
        req = self.requisition
        labs = self.query_one("#lab-list", OptionList)
        labs.clear_options()
        for lab, missing in performers(req.services, session.office, session.catalog):
            km = distance_km(session.office, lab)
            text = S.lab_option(lab.short_name, lab.health_region, None if km == float("inf") else km,
                                not in_region(lab, session.office), [s.name for s in missing],
                                lab.her_id == req.lab_her_id)
            labs.add_option(Option(text, id=lab.her_id))
        labs.highlighted = 0 if labs.option_count else None
        self.chosen = None
        self._show_reason(False)
        self.say("")

    @on(ChoiceField.Changed, "#lab-requisition")
    def _requisition(self, event: ChoiceField.Changed) -> None:
        event.stop()
        if event.value is not None:
            self.index = int(event.value)
            self._fill()

    @on(OptionList.OptionHighlighted, "#lab-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self.chosen:  # another lab: its own question of a reason
            self.chosen = None
            self._show_reason(False)
            self.say("")

    @on(OptionList.OptionSelected, "#lab-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option.id)

    @on(TextInput.Submitted, "#lab-reason-detail")
    def _detail_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        self.action_pick()

    # ---- choosing ---------------------------------------------------------------------------
    def action_pick(self) -> None:
        """Enter: take the highlighted lab (or, with its reason asked, the lab and its reason)."""
        if self.chosen is not None:
            self._take(self.chosen)
            return
        labs = self.query_one("#lab-list", OptionList)
        if labs.highlighted is not None:
            self._take(labs.get_option_at_index(labs.highlighted).id)

    def _take(self, her_id: str | None) -> None:
        session = self.session
        if her_id is None or session.catalog is None:
            return
        lab = session.catalog.lab(her_id)
        req = self.requisition
        reason: tuple[str, str] | None = None
        if session.lab_needs_reason(req.services, lab):
            code = self.query_one("#lab-reason", ChoiceField).value
            if self.chosen != her_id or code is None:
                self.chosen = her_id
                self._show_reason(True)
                self.say(S.LAB_REASON_REQUIRED)
                self.query_one("#lab-reason", ChoiceField).focus()
                return
            detail = self.query_one("#lab-reason-detail", TextInput).value.strip()
            problem = xml_text_problem(detail)
            if problem:  # a control character pasted in: never sent
                self.say(S.answer_unusable(S.LAB_REASON_DETAIL, problem))
                return
            text = REGION_REASON_TEXTS[RegionReason(code)] + (f": {detail}" if detail else "")
            reason = (code, text[:200])
        self.dismiss(LabChoice(req.lab_her_id, req.services[0].discipline.value, her_id, reason))

    def _show_reason(self, shown: bool) -> None:
        for selector in ("#lab-reason-label", "#lab-reason", "#lab-reason-detail"):
            self.query_one(selector).display = shown

    def say(self, text: str) -> None:
        self.query_one("#lab-error", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
