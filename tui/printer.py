"""How the app prints: the session's printer, the terminal for `terminal:`, and
`PrintsLabels`, the part of a screen or dialog that prints and follows a job to its end.

Every job goes through the print queue (`printing.orders`) and ends in one of three
outcomes: printed; failed (the reason shown, the job kept queued: the same key tries again,
Ctrl+O sends it to another printer); or sent but unconfirmed (the `terminal:` printer when
the terminal cannot confirm): then the secretary is asked whether the labels came out. Yes
confirms the job; no prints it again or sends it elsewhere; Esc leaves it in the queue.
Only a printed (or confirmed) job counts as printed and is reported to the access log.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported

from tui import messages as m
from tui import strings as S
from tui import workflow
from tui.screens.base import UsesApp
from tui.work import run_job

if TYPE_CHECKING:
    from textual.app import App

#: The job name of every print; a screen's `JobFailed` handler finds it by this name.
PRINT_JOB = "print"


def session_printer(settings: Any, given: str | None = None) -> Any:
    """The printer this session prints on (`printing.workstation.PrinterChoice`): `given`
    (a test's, or the demo's), else the workstation's entry in `[workstation_printers]`,
    else `printer_url`."""
    from printing.workstation import PrinterChoice, printer_for_session

    if given:
        return PrinterChoice(given, None, S.PRINTER_THIS_SESSION)
    return printer_for_session(settings.printer_url, settings.workstation_printers, os.environ,
                               socket.gethostname(), settings.origin("printer_url"))


def printer_name(url: str) -> str:
    from printing.workstation import describe_printer

    return describe_printer(url)


@contextlib.contextmanager
def suspended_terminal(app: App[Any]) -> Iterator[Any]:
    """The app's terminal for one `terminal:` job: the app suspended (Textual stops reading
    input and restores the terminal; on resume it redraws the whole screen) and a `TtyLink`
    on /dev/tty. Yields None where the app cannot be suspended (a headless test) or there is
    no terminal: the printer then says so, and the job stays queued.

    The body must not raise: Textual resumes only when it ends normally
    (`tui.workflow` runs the job so).
    """
    from printing.errors import PrinterError
    from printing.terminal import TtyLink

    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(app.suspend())
        except SuspendNotSupported:
            yield None
            return
        try:
            link = stack.enter_context(TtyLink())
        except PrinterError:
            link = None
        yield link


class SessionPrinter:
    """Mixed into the app: this session's printer, found on first use, and the terminal a
    `terminal:` job goes through."""

    def init_printer(self, given: str | None, terminal: Callable[[], Any] | None) -> None:
        self._printer_given = given
        self._printer: Any = None  # printing.workstation.PrinterChoice
        #: The link to the terminal for a `terminal:` print (tests give a terminal of theirs).
        self.print_terminal = terminal or (lambda: suspended_terminal(self))  # type: ignore[arg-type]

    @property
    def printer(self) -> Any:
        """This session's printer (`printing.workstation.PrinterChoice`): the workstation's
        in `[workstation_printers]`, else `printer_url`. Found on first use: printing's
        imports are not needed to draw the first screen."""
        if self._printer is None:
            self._printer = session_printer(self.settings, self._printer_given)  # type: ignore[attr-defined]
        return self._printer

    @property
    def printer_url(self) -> str:
        return str(self.printer.url)

    def print_place(self) -> workflow.PrintPlace:
        """What a print job needs besides its labels (`tui.workflow.PrintPlace`)."""
        app: Any = self
        return workflow.PrintPlace(app.client, app.journal_path, app.settings, self.print_terminal)

class PrintsLabels(UsesApp):
    """Mixed into a screen or dialog that prints (the review, the reprint dialog, the queue).

    The node starts a job with `run_print(...)`; its outcome comes home as `LabelsPrinted`,
    shown by the node's `show_print(result)`. `print_job` is the queue's id of the node's
    job while it is not printed: the next attempt retries that job instead of making
    another. `new_print(printer_url)` (the node's) makes the job when there is none.
    """

    print_job: int | None = None
    print_order_id: str | None = None

    def run_print(self, job: Coroutine[Any, Any, Any]) -> None:
        run_job(self, PRINT_JOB, job)  # type: ignore[arg-type]

    def new_print(self, printer_url: str) -> Coroutine[Any, Any, Any] | None:
        """The coroutine that prints the node's labels as a new job on `printer_url`."""
        raise NotImplementedError

    def show_print(self, message: m.LabelsPrinted) -> None:
        """Show an outcome (printed, failed, unconfirmed) where the node shows things."""
        raise NotImplementedError

    def print_now(self, printer_url: str | None = None) -> None:
        """Print: the node's queued job again if it has one, else a new job."""
        url = printer_url or self.ihr.printer_url
        if self.print_job is not None:
            self.run_print(workflow.retry_print(self.ihr.print_place(), self.print_job, url, self.print_order_id))
            return
        job = self.new_print(url)
        if job is not None:
            self.run_print(job)

    def print_elsewhere(self) -> None:
        """Choose another printer for one job (the lab's down the hall) and print there."""
        from tui.dialogs.printer import PrinterDialog

        def chosen(url: str | None) -> None:
            if url:
                self.print_now(url)

        self.ihr.push_screen(PrinterDialog(self.ihr.printer_url), chosen)

    def ask_printed(self, result: Any) -> None:
        """Sent, not confirmed: did the labels come out?"""
        from tui.dialogs.printed import PrintedDialog

        place, queue_id = self.ihr.print_place(), result.queue_id

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self.run_print(workflow.confirm_print(place, queue_id, self.print_order_id))
            elif answer == "again":
                self.run_print(workflow.retry_print(place, queue_id, result.printer_url, self.print_order_id))
            elif answer == "other":
                self.print_elsewhere()

        self.ihr.push_screen(PrintedDialog(printer_name(result.printer_url)), answered)

    def on_labels_printed(self, message: m.LabelsPrinted) -> None:
        message.stop()
        result = message.result
        self.print_job = None if result.ok else result.queue_id
        self.show_print(message)
        if result.outcome == "unconfirmed":
            self.ask_printed(result)


def outcome_text(message: m.LabelsPrinted, again_key: str) -> str:
    """What an outcome says, in Norwegian (the review's step, a dialog's line, the status)."""
    result = message.result
    where = printer_name(result.printer_url)
    count = len(result.specimen_ids) * result.copies
    if result.ok:
        return S.print_confirmed(count, where) if message.confirmed else S.print_ok(count, where)
    if result.outcome == "unconfirmed":
        return S.print_unconfirmed_kept(where, again_key)
    return S.print_failed_kept(result.message, again_key)
