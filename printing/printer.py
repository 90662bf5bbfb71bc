"""What every printer transport is: a place labels go (tcp, CUPS, file, the terminal)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from printing import errors
from printing.status import HostStatus


class Printer(ABC):
    """A place labels go. Errors are `printing.errors.PrinterError` subclasses."""

    url: str
    can_report_status: bool = False

    def status(self) -> HostStatus:
        raise errors.StatusUnsupported()

    def check_ready(self) -> None:  # noqa: B027 (a hook: most printers cannot tell)
        """Raise a PrinterError if the printer is known not to be ready."""

    @abstractmethod
    def send(self, data: bytes) -> str:
        """Deliver one job; returns a reference (file name, CUPS job id, host)."""
