"""The `terminal:` printer: labels through the session's own terminal, to the printer at the
thin client (printer controller mode, as VT terminals, xterm, PuTTY and urxvt do it).

The job goes out as one block, `CSI 5 i` + ZPL + `CSI 4 i`: the terminal hands everything
between the two to its local printer and shows none of it. Before and after the block the
transport asks the terminal's printer status (DSR, `CSI ? 15 n`); the terminal answers
`CSI ? 10 n` ready, `CSI ? 11 n` not ready, `CSI ? 13 n` no printer (DEC also defines 18
busy and 19 "assigned to another session"). Terminals answer in the order they read their
input, so an answer to the request sent after the block proves the terminal has taken the
whole block and left printer controller mode: only then is the job "printed". A terminal
that never answers gets the job all the same, reported as sent but unconfirmed
(`DeliveryUnconfirmed`), never as printed.

Not every terminal answers truthfully: xterm (checked with xterm 379) answers every request
with `CSI ? 13 n`, "no printer", also when its `printerCommand` is set and prints, because
its answer is a constant in its source (charproc.c, DSR 15); as a VT100 (`-ti vt100`) it
does not answer at all. PuTTY does not answer either. For such a terminal the site sets
`printer_url = "terminal:?dsr=off"`: nothing is asked, every job is sent and reported as
unconfirmed.

The transport does not own the terminal: it is given a `TerminalLink`. `TtyLink` is the one
for a program that has the terminal to itself: `ihr printer test|status`, and the Textual
app while it is suspended (`App.suspend()`, from the event loop, around the whole job: Textual
then neither reads the input, where its parser would turn the terminal's answers into key
presses, nor draws; on resume it redraws the whole screen). tests/printing/
test_textual_print.py shows that pattern in a real pty.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import select
import termios
import time
import tty
from collections.abc import Iterator
from typing import Protocol

from printing import errors
from printing.printer import Printer

CSI = b"\x1b["
PRINT_ON = CSI + b"5i"  # printer controller mode on
PRINT_OFF = CSI + b"4i"  # ... and off
DSR_PRINTER = CSI + b"?15n"  # "what is your printer's status?"
DEFAULT_ANSWER_TIMEOUT = 1.0

_ANSWER = re.compile(rb"\x1b\[\?(\d+)n")


class PrinterState(enum.Enum):
    """The terminal's answer to DSR `CSI ? 15 n`."""

    READY = "ready"
    NOT_READY = "not_ready"
    NO_PRINTER = "no_printer"
    NO_ANSWER = "no_answer"  # the terminal does not implement the request (or is too slow)

    @property
    def text(self) -> str:
        """Norwegian, for `ihr printer status` and the status line."""
        return _STATE_TEXT[self]


_STATE_TEXT = {
    PrinterState.READY: "Terminalen melder at skriveren ved arbeidsstasjonen er klar.",
    PrinterState.NOT_READY: errors.TerminalPrinterNotReady.message + ".",
    PrinterState.NO_PRINTER: errors.NoTerminalPrinter.message + ".",
    PrinterState.NO_ANSWER: (
        "Terminalen svarer ikke på spørsmål om skriverstatus. Etiketter kan sendes, men "
        "utskriften kan ikke bekreftes: kontroller at etikettene kommer ut."
    ),
}

_CODES = {
    10: PrinterState.READY,
    11: PrinterState.NOT_READY,
    13: PrinterState.NO_PRINTER,
    18: PrinterState.NOT_READY,  # busy
    19: PrinterState.NOT_READY,  # assigned to another session
}


def parse_printer_answer(data: bytes) -> PrinterState:
    """The state in the first printer-status answer in `data`; NO_ANSWER if there is none.

    Other DSR answers (10-19 are the printer's range) do not count.
    """
    for match in _ANSWER.finditer(data):
        state = _CODES.get(int(match.group(1)))
        if state is not None:
            return state
    return PrinterState.NO_ANSWER


class TerminalLink(Protocol):
    """The terminal the session runs in, as the transport needs it.

    `write(block)`: send `block` to the terminal byte for byte (no newline translation:
    output post-processing off) and in one piece: no other output may come between its first
    and last byte. Returns when the bytes have left the process.
    `ask(request, timeout)`: send `request` (a few bytes) and return what the terminal sends
    back within `timeout` seconds, as soon as a complete printer-status answer is in (b""
    when nothing came). The answer must not reach the screen (no echo) or the app's input.
    """

    def write(self, block: bytes) -> None: ...

    def ask(self, request: bytes, timeout: float) -> bytes: ...


class TerminalPrinter(Printer):
    """`terminal:`: the printer attached to the terminal this session runs in."""

    can_report_status = True

    def __init__(
        self,
        link: TerminalLink | None,
        *,
        answer_timeout: float = DEFAULT_ANSWER_TIMEOUT,
        ask_status: bool = True,
    ) -> None:
        self.link = link
        self.answer_timeout = answer_timeout
        self.ask_status = ask_status  # False: the terminal's answers are not to be trusted
        self.url = "terminal:" if ask_status else "terminal:?dsr=off"

    def _link(self) -> TerminalLink:
        if self.link is None:
            raise errors.NoTerminal()
        return self.link

    def printer_state(self) -> PrinterState:
        """Ask the terminal (DSR) how its printer is; NO_ANSWER without asking with dsr=off."""
        if not self.ask_status:
            return PrinterState.NO_ANSWER
        return parse_printer_answer(self._link().ask(DSR_PRINTER, self.answer_timeout))

    def check_ready(self) -> None:
        state = self.printer_state()
        if state is PrinterState.NO_PRINTER:
            raise errors.NoTerminalPrinter()
        if state is PrinterState.NOT_READY:
            raise errors.TerminalPrinterNotReady()

    def send(self, data: bytes) -> str:
        link = self._link()
        if PRINT_OFF in data:  # would end printer mode early and show the rest on screen
            raise errors.SendFailed("Etikettjobben inneholder en terminalkode og kan ikke sendes")
        link.write(PRINT_ON + data + PRINT_OFF)
        after = self.printer_state()
        if after is PrinterState.READY:
            return "terminalen"
        if after is PrinterState.NO_ANSWER:
            raise errors.DeliveryUnconfirmed(reference="terminalen")
        raise errors.DeliveryUnconfirmed(
            "Etikettene er sendt, men terminalen melder nå at skriveren ikke er klar. "
            "Kontroller etikettene og skriv ut på nytt ved behov",
            reference="terminalen",
        )


# ---- a plain terminal ---------------------------------------------------------------------


class TtyLink:
    """The link for a program that has the terminal to itself (`ihr printer test|status`).

    Opens the controlling terminal (/dev/tty), or uses `fd` (a tty) when given. While it
    writes or waits for an answer, the terminal is in raw mode: no newline translation, no
    echo of the answer; the previous mode is restored after each call.
    """

    def __init__(self, fd: int | None = None) -> None:
        self._own = fd is None
        if fd is None:
            try:
                fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
            except OSError as exc:
                raise errors.NoTerminal() from exc
        if not os.isatty(fd):
            raise errors.NoTerminal()
        self.fd = fd

    def close(self) -> None:
        if self._own:
            os.close(self.fd)
            self._own = False

    def __enter__(self) -> TtyLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _raw(self) -> Iterator[None]:
        before = termios.tcgetattr(self.fd)
        tty.setraw(self.fd, termios.TCSANOW)
        try:
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, before)  # after the output is out

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        termios.tcdrain(self.fd)

    def write(self, block: bytes) -> None:
        with self._raw():
            self._write_all(block)

    def ask(self, request: bytes, timeout: float) -> bytes:
        with self._raw():
            self._write_all(request)
            deadline = time.monotonic() + timeout
            got = b""
            while parse_printer_answer(got) is PrinterState.NO_ANSWER:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    break
                chunk = os.read(self.fd, 256)
                if not chunk:
                    break
                got += chunk
            return got
