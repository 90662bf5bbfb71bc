"""The print queue: jobs whose labels are not known to be printed, from this session or an
earlier one (the queue is in the local SQLite file, so it survives a restart).

One line a job: when, how many labels, waiting (failed) or not confirmed, and the printer it
last went to. F6 tries it again on that printer, F7 sends it to another, F8 confirms that an
unconfirmed job's labels came out, Ctrl+D drops it (after a yes). What happens is said on
the dialog's own line; the journal records where each label finally printed.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ihr.localtime import local
from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.dialogs.base import SendingDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.printer import PRINT_JOB, PrintsLabels, outcome_text, printer_name
from tui.widgets.keybar import KeyBar
from tui.work import run_job


class PrintQueueDialog(PrintsLabels, SendingDialog[None]):
    CSS_PATH = "dialogs.tcss"
    ERROR_LINE = "#queue-said"
    BINDINGS = [
        Binding("escape", "close", S.QUEUE_CLOSE, id="queue_close", key_display="Esc"),
        Binding("f6", "retry", S.QUEUE_RETRY, id="queue_retry"),
        Binding("f7", "redirect", S.QUEUE_REDIRECT, id="queue_redirect"),
        Binding("f8", "confirm", S.QUEUE_CONFIRM, id="queue_confirm"),
        Binding("ctrl+d", "drop", S.QUEUE_DROP, id="queue_drop"),
    ]

    jobs: list[Any] = []
    _said = ""

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box groups-box") as box:
            box.border_title = S.QUEUE_TITLE
            yield OptionList(id="queue-list", compact=True)
            yield Static(S.QUEUE_LOADING, classes="dialog-error", id="queue-said")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload("")

    def reload(self, said: str) -> None:
        """Read the queue again; `said` (what was just done) stays on the dialog's line."""
        self._said = said
        self.busy = True
        run_job(self, "queue", workflow.read_print_queue(self.ihr.journal_path))

    def on_print_queue_read(self, message: m.PrintQueueRead) -> None:
        self.busy = False
        self.jobs = message.jobs
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted or 0
        listing.clear_options()
        for job in self.jobs:
            when = local(job.created_at).strftime("%d.%m. %H:%M")  # Norwegian time, whatever the machine's zone
            listing.add_option(Option(S.queue_row(job.id, job.label_count, job.copies, S.QUEUE_STATES[job.state],
                                                  printer_name(job.printer_url), when, job.message),
                                      id=str(job.id)))
        if self.jobs:
            listing.highlighted = min(highlighted, len(self.jobs) - 1)
        self.say(self._said or ("" if self.jobs else S.QUEUE_EMPTY))

    def current(self) -> Any | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.jobs:
            return None
        return self.jobs[listing.highlighted]

    # ---- the keys ----------------------------------------------------------------------
    def _choose(self) -> Any | None:
        """The highlighted job becomes the one the next print is about."""
        job = self.current()
        if job is None or self.busy:
            return None
        self.print_job, self.print_order_id = job.id, None
        return job

    def action_retry(self) -> None:
        job = self._choose()
        if job is not None:
            self.print_now(job.printer_url)

    def action_redirect(self) -> None:
        if self._choose() is not None:
            self.print_elsewhere()

    def action_confirm(self) -> None:
        job = self._choose()
        if job is None:
            return
        if job.state != "unconfirmed":
            self.say(S.QUEUE_ONLY_UNCONFIRMED)
            return
        self.run_print(workflow.confirm_print(self.ihr.print_place(), job.id, None))

    def action_drop(self) -> None:
        job = self._choose()
        if job is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._said = S.QUEUE_DROPPED
                self.start("queue", workflow.drop_print(self.ihr.journal_path, job.id), S.QUEUE_LOADING)

        self.app.push_screen(ConfirmDialog(S.QUEUE_CONFIRM_DROP), answered)

    def action_close(self) -> None:
        self.dismiss(None)

    # ---- printing ----------------------------------------------------------------------
    def run_print(self, job: Any) -> None:
        self.start(PRINT_JOB, job, S.PRINTING)

    def new_print(self, printer_url: str) -> None:
        return None  # every job here is in the queue already

    def show_print(self, message: m.LabelsPrinted) -> None:
        self.reload(outcome_text(message, "F6"))
