"""Print an order's labels again: which ones, how many copies, and why (required).

Opened from the order detail (F6) or by scanning any label of the order. The printing and
the journal entry (reason "reprint" with the reason's text) are `printing`'s; this dialog
only asks. With `first=True` (a new tube after an add-on) no reason is asked. With a
`question` (F7 on the review for labels the print journal has as printed) the dialog opens
with it ("Etikettene er skrevet ut ... Skrive ut på nytt?"): F6 answers yes, Esc no. A job that
does not print stays in the print queue and here: F6 tries it again, Ctrl+O sends it to
another printer; an unconfirmed one asks whether the labels came out (`tui.printer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from ihr.models import Order
from ihr.rules.tubes import numbered
from printing.orders import labels_for_order, preview_text
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.dialogs.base import SendingDialog
from tui.present import container_name
from tui.printer import PRINT_JOB, PrintsLabels, outcome_text
from tui.widgets.checklist import CheckList
from tui.widgets.choice import ChoiceField
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from tui.ports import IhrPort

PREVIEW_WIDTH = 32


class ReprintDialog(PrintsLabels, SendingDialog[str | None]):
    CSS_PATH = ["dialogs.tcss", "followup.tcss"]
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="reprint_cancel", key_display="Esc"),
        Binding("f6", "submit", S.REPRINT_OK, id="reprint_ok"),
        Binding("ctrl+o", "print_elsewhere", S.KEY_PRINT_ELSEWHERE, id="reprint_elsewhere"),
    ]

    def __init__(self, order: Order, chosen: Sequence[str] | None = None, *, first: bool = False,
                 question: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.order = order
        self.first = first
        self.question = question
        ids = [s.id for s in order.specimens]
        self.chosen = [i for i in (chosen or ids) if i in ids] or ids

    def compose(self) -> ComposeResult:
        catalog = self.session.catalog
        count = len(self.order.specimens)
        options = []
        for number, spec in numbered(self.order.specimens):
            name = container_name(spec.container, catalog)
            options.append((f"{S.tube_name(number, count)} {spec.id} {name}", spec.id))
        with Vertical(classes="dialog-box followup-box") as box:
            box.border_title = S.REPRINT_TITLE
            with Horizontal(classes="followup-columns"):
                with Vertical(classes="followup-left"):
                    if self.question:
                        yield Label(self.question, id="reprint-question", classes="dialog-question")
                    yield Label(S.REPRINT_LABELS, classes="dialog-hint")
                    yield CheckList(options, self.chosen, id="reprint-labels")
                    with Horizontal(classes="followup-row"):
                        yield Label(S.REPRINT_COPIES + " ")
                        yield TextInput("1", id="reprint-copies", restrict=r"[0-9]*", max_length=1, compact=True)
                    if not self.first:
                        yield Label(S.REPRINT_REASON, classes="dialog-hint")
                        yield ChoiceField([(r, r) for r in S.REPRINT_REASONS], id="reprint-reason")
                        yield TextInput(placeholder=S.REPRINT_OTHER_PLACEHOLDER, id="reprint-other", max_length=120,
                                        compact=True)
                    yield Static("", classes="dialog-error", id="reprint-error")
                with Vertical(classes="followup-right"):
                    yield Label(S.REPRINT_PREVIEW, classes="dialog-hint")
                    yield Static("", id="reprint-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.first:
            self.query_one("#reprint-other").display = False
        labels = self.query_one("#reprint-labels", CheckList)
        if self.chosen:
            labels.move_to(self.chosen[0])
        labels.focus()
        self._preview(self.chosen[0] if self.chosen else None)

    # ---- preview ----------------------------------------------------------------------------
    def _preview(self, specimen_id: str | None) -> None:
        widget = self.query_one("#reprint-preview", Static)
        catalog = self.session.catalog
        if specimen_id is None or catalog is None:
            widget.update("")
            return
        labels = [lb for lb in labels_for_order(self.order, catalog) if lb.specimen_id == specimen_id]
        widget.update(preview_text(labels[0], self.ihr.settings, width=PREVIEW_WIDTH) if labels else "")

    @on(CheckList.Highlighted, "#reprint-labels")
    def _highlighted(self, event: CheckList.Highlighted) -> None:
        self._preview(event.value)

    @on(ChoiceField.Changed, "#reprint-reason")
    def _reason(self, event: ChoiceField.Changed) -> None:
        # "Annet": the field for the reason comes next (Tab); focus stays, so the arrows can
        # still step past it
        self.query_one("#reprint-other", TextInput).display = event.value == S.REPRINT_OTHER

    # ---- submit ----------------------------------------------------------------------------
    def reason_text(self) -> str | None:
        if self.first:
            return None
        value = self.query_one("#reprint-reason", ChoiceField).value
        if value == S.REPRINT_OTHER:
            return self.query_one("#reprint-other", TextInput).value.strip()
        return value or ""

    def action_submit(self) -> None:
        """F6: print the chosen labels; after a job that did not print, that job again."""
        if not self.busy:
            self.print_now()

    def action_print_elsewhere(self) -> None:
        """Ctrl+O: this job to another printer (the lab's down the hall)."""
        if not self.busy and (self.print_job is not None or self._chosen() is not None):
            self.print_elsewhere()

    def _chosen(self) -> tuple[list[str], int, str | None] | None:
        """The labels, copies and reason chosen, or None (and the dialog says what is missing)."""
        chosen = self.query_one("#reprint-labels", CheckList).checked
        if not chosen:
            self.say(S.REPRINT_NONE_SELECTED)
            return None
        copies_text = self.query_one("#reprint-copies", TextInput).value.strip()
        if not copies_text.isdigit() or not 1 <= int(copies_text) <= 5:
            self.say(S.REPRINT_BAD_COPIES)
            return None
        reason = self.reason_text()
        if not self.first and not reason:
            self.say(S.REPRINT_REASON_REQUIRED)
            return None
        return chosen, int(copies_text), reason

    # ---- printing (tui.printer.PrintsLabels) ----------------------------------------------
    def run_print(self, job: Any) -> None:
        self.start(PRINT_JOB, job, S.REPRINT_PRINTING)

    def new_print(self, printer_url: str) -> Any:
        chosen = self._chosen()
        if chosen is None:
            return None
        labels, copies, reason = chosen
        catalog = self.session.catalog
        if catalog is None:  # a label scanned at start-up: the labels need the catalog's names
            self.say(S.CATALOG_LOADING)
            return None
        self.print_order_id = self.order.id
        return workflow.print_again(self.ihr.print_place(), printer_url, self.order, catalog, labels,
                                    copies=copies, reason=reason)

    def show_print(self, message: m.LabelsPrinted) -> None:
        self.busy = False
        result = message.result
        if not result.ok:  # the job stays queued: F6 tries it again, Ctrl+O elsewhere
            self.say(outcome_text(message, "F6"))
        elif result.reason == "reprint":
            self.dismiss(S.reprinted(len(result.specimen_ids), result.copies, self.reason_text() or ""))
        else:
            self.dismiss(outcome_text(message, "F6"))

    def action_close(self) -> None:
        self.dismiss(None)


def open_reprint(app: IhrPort, order: Order, chosen: Sequence[str] | None = None, *, first: bool = False,
                 question: str | None = None) -> None:
    """Push the reprint dialog for `order`; its result goes to the status line."""
    if not order.specimens:
        app.show_status(S.REPRINT_NO_SPECIMENS, "warning")
        return
    if app.session.catalog is None:
        app.show_status(S.NO_CATALOG, "warning")
        return

    def done(text: str | None) -> None:
        if text:
            app.show_status(text)

    app.push_screen(ReprintDialog(order, chosen, first=first, question=question), done)
