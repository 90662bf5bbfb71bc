"""What the dialogs share: typed access to the app, and sending with an answer in place.

A `SendingDialog` runs its job with `start(...)`: the error line says what is under way,
a second press while it runs does nothing, and a failure (`tui.work.JobFailed`) is shown
in the error line with the service's details, the dialog kept open with everything the
secretary chose. Success is the job's own message, which the dialog handles (and dismisses).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

from textual import on
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.screens.base import UsesApp
from tui.work import JobFailed, run_job

T = TypeVar("T")


class Dialog(UsesApp, ModalScreen[T]):
    """A modal dialog of the app."""


class SendingDialog(Dialog[T]):
    """A dialog that sends something to the service (or the printer) and waits for it."""

    #: The Static that shows progress and refusals.
    ERROR_LINE = ".dialog-error"

    busy = False

    def say(self, text: str) -> None:
        self.query_one(self.ERROR_LINE, Static).update(text)

    def start(self, name: str, job: Coroutine[Any, Any, Message | None], under_way: str) -> None:
        """Run `job` unless one is under way; `under_way` is shown meanwhile."""
        if self.busy:
            job.close()
            return
        self.busy = True
        self.say(under_way)
        run_job(self, name, job)

    @on(JobFailed)
    def _failed(self, failure: JobFailed) -> None:
        failure.stop()
        self.busy = False
        self.say("\n".join([failure.text, *failure.details]))
