"""The `terminal:` printer in a real pseudo-terminal: the test is the terminal.

A child process (started with `pty.fork`, so the pty is its controlling terminal and
/dev/tty) draws a screen, prints a job through `TtyLink` + `TerminalPrinter` with the print
journal in a real SQLite file, and writes what `print_labels` returned to a file. The test
reads the pty like a terminal with a printer: what comes between CSI 5 i and CSI 4 i goes to
"the printer", the rest to a pyte screen, and it answers the printer status request (DSR,
CSI ? 15 n) as the scenario says: ready, not ready, no printer, or not at all.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest

from printing.journal import PrintJournal
from printing.layout import layout_label
from printing.terminal import DSR_PRINTER, PRINT_OFF, PRINT_ON, PrinterState, parse_printer_answer
from printing.zpl import job_zpl

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from printing.journal import PrintJournal
from printing.labels import label_for
from printing.service import print_labels
from printing.terminal import TerminalPrinter, TtyLink
from tests.printing import factories as f

db, out, url = sys.argv[1:4]
label = label_for(f.specimen(), f.patient("Ødegård", "Åse Marie"), f.requester(), f.lab(),
                  f.container(), ["CRP", "Ferritin", "TSH"], None)  # as conftest.label
sys.stdout.write("\x1b[2J\x1b[HBestilling lagret\r\nSkriver ut etiketter ...")
sys.stdout.flush()
from printing.transports import open_printer
with TtyLink() as link, PrintJournal(db) as journal:
    result = print_labels([label], open_printer(url, terminal=link, answer_timeout=0.4),
                          journal, user="sekretær1")
with open(out, "w") as fh:
    json.dump({"outcome": result.outcome, "message": result.message}, fh)
"""

ANSWERS = {
    "ready": b"\x1b[?10n",
    "not_ready": b"\x1b[?11n",
    "no_printer": b"\x1b[?13n",
    "no_answer": None,
}


class Terminal:
    """The parent side of the pty: a screen, a printer, and DSR answers."""

    def __init__(self, fd: int, answer: bytes | None, cols: int = 60, rows: int = 8) -> None:
        self.fd = fd
        self.answer = answer
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.printed: list[bytes] = []
        self.requests = 0
        self.before: list[str] | None = None  # the screen when the first request came
        self._pending = b""
        self._printing: bytearray | None = None

    def run(self, timeout: float = 20.0, until=lambda: False) -> None:
        """Read until the child has gone (or `until()` is true); fail after `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until():
                return
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the child has gone
                return
            if not data:
                return
            self._take(data)
        raise AssertionError("the child did not finish; screen:\n" + "\n".join(self.display()))

    def quiet(self, seconds: float = 0.5) -> None:
        """Read until nothing has come for `seconds`."""
        while select.select([self.fd], [], [], seconds)[0]:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self._take(data)

    def _take(self, data: bytes) -> None:
        buf = self._pending + data
        self._pending = b""
        while buf:
            if self._printing is not None:  # printer controller mode: all goes to the printer
                end = buf.find(PRINT_OFF)
                if end < 0:
                    keep = _partial_suffix(buf, PRINT_OFF)
                    self._printing += buf[: len(buf) - keep]
                    self._pending = buf[len(buf) - keep:]
                    return
                self._printing += buf[:end]
                self.printed.append(bytes(self._printing))
                self._printing = None
                buf = buf[end + len(PRINT_OFF):]
                continue
            cuts = [(i, s) for s in (PRINT_ON, DSR_PRINTER) if (i := buf.find(s)) >= 0]
            if not cuts:
                keep = max(_partial_suffix(buf, PRINT_ON), _partial_suffix(buf, DSR_PRINTER))
                self.stream.feed(buf[: len(buf) - keep])
                self._pending = buf[len(buf) - keep:]
                return
            at, seq = min(cuts)
            self.stream.feed(buf[:at])
            buf = buf[at + len(seq):]
            if seq == PRINT_ON:
                self._printing = bytearray()
            else:
                self.requests += 1
                if self.before is None:
                    self.before = self.display()
                if self.answer is not None:
                    os.write(self.fd, self.answer)

    def display(self) -> list[str]:
        return list(self.screen.display)


def _partial_suffix(buf: bytes, seq: bytes) -> int:
    """How many bytes at the end of `buf` could be the start of `seq`."""
    for n in range(min(len(seq) - 1, len(buf)), 0, -1):
        if buf.endswith(seq[:n]):
            return n
    return 0


def run_in_pty(argv: list[str], answer: bytes | None) -> tuple[Terminal, int]:
    """Run `argv` with the pty as its controlling terminal; (the terminal, exit code)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.chdir(ROOT)
        os.environ["PYTHONPATH"] = str(ROOT)
        os.execv(argv[0], argv)
    terminal = Terminal(fd, answer)
    try:
        terminal.run()
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return terminal, os.waitstatus_to_exitcode(status)


def run_child(tmp_path: Path, answer: bytes | None, url: str = "terminal:") -> tuple[Terminal, dict]:
    db, out = tmp_path / "ihr.sqlite3", tmp_path / "result.json"
    terminal, _ = run_in_pty([sys.executable, "-c", CHILD, str(db), str(out), url], answer)
    return terminal, json.loads(out.read_text("utf-8"))


@pytest.fixture
def expected_zpl(label) -> bytes:
    return job_zpl([layout_label(label)]).encode("utf-8")


SCREEN = ["Bestilling lagret", "Skriver ut etiketter ..."]


def test_ready_terminal_prints_exactly_the_job_and_the_screen_is_untouched(tmp_path, label, expected_zpl):
    terminal, result = run_child(tmp_path, ANSWERS["ready"])
    assert terminal.printed == [expected_zpl]  # byte for byte: no \r added, nothing else inside
    assert b"\r\n" not in terminal.printed[0] and b"\n" in terminal.printed[0]
    assert terminal.requests == 2  # asked before the job, and after it for the confirmation
    # Nothing of the job or of the answers (no echo) reached the screen.
    assert terminal.display() == terminal.before
    assert [line.rstrip() for line in terminal.display()[:2]] == SCREEN
    assert all(not line.strip() for line in terminal.display()[2:])
    assert result["outcome"] == "ok" and result["message"] == "1 etikett skrevet ut"
    with PrintJournal(tmp_path / "ihr.sqlite3") as journal:
        [entry] = journal.entries()
    assert entry.printed and entry.printer_url == "terminal:"


@pytest.mark.parametrize(("scenario", "message"), [
    ("not_ready", "Skriveren ved arbeidsstasjonen er ikke klar"),
    ("no_printer", "Det er ingen etikettskriver koblet til denne arbeidsstasjonen"),
])
def test_printer_not_there_or_not_ready_sends_nothing(tmp_path, scenario, message):
    terminal, result = run_child(tmp_path, ANSWERS[scenario])
    assert terminal.printed == []
    assert terminal.requests == 1
    assert result["outcome"] == "failed" and result["message"].startswith(message)
    assert [line.rstrip() for line in terminal.display()[:2]] == SCREEN
    with PrintJournal(tmp_path / "ihr.sqlite3") as journal:
        assert journal.entries()[0].outcome == "failed"


def test_silent_terminal_gets_the_job_but_it_is_never_journaled_as_printed(tmp_path, label, expected_zpl):
    terminal, result = run_child(tmp_path, ANSWERS["no_answer"])
    assert terminal.printed == [expected_zpl]
    assert result["outcome"] == "unconfirmed"
    assert "bekreftet ikke" in result["message"]
    assert terminal.display() == terminal.before
    assert [line.rstrip() for line in terminal.display()[:2]] == SCREEN
    with PrintJournal(tmp_path / "ihr.sqlite3") as journal:
        [entry] = journal.entries()
        assert entry.outcome == "unconfirmed" and not journal.was_printed(label.specimen_id)


def test_dsr_off_does_not_ask(tmp_path, expected_zpl):
    """For terminals that answer wrongly (xterm says "no printer" while it prints)."""
    terminal, result = run_child(tmp_path, ANSWERS["no_printer"], url="terminal:?dsr=off")
    assert terminal.requests == 0
    assert terminal.printed == [expected_zpl]
    assert result["outcome"] == "unconfirmed"


@pytest.mark.parametrize(("scenario", "code", "text"), [
    ("ready", 0, "skriveren ved arbeidsstasjonen er klar"),
    ("no_printer", 1, "Det er ingen etikettskriver koblet til"),
    ("no_answer", 0, "Terminalen svarer ikke på spørsmål om skriverstatus"),
])
def test_ihr_printer_status_asks_the_terminal(scenario, code, text):
    argv = [sys.executable, "-m", "tui.cli", "printer", "status", "--url", "terminal:?timeout=0.4"]
    terminal, exit_code = run_in_pty(argv, ANSWERS[scenario])
    assert exit_code == code and terminal.requests == 1
    assert text in "".join(terminal.display())  # lines wrap at 60 columns


def test_answers_are_parsed():
    assert parse_printer_answer(b"\x1b[?10n") is PrinterState.READY
    assert parse_printer_answer(b"x\x1b[?11n") is PrinterState.NOT_READY
    assert parse_printer_answer(b"\x1b[?13n") is PrinterState.NO_PRINTER
    assert parse_printer_answer(b"\x1b[?18n") is PrinterState.NOT_READY  # busy
    assert parse_printer_answer(b"\x1b[0n\x1b[?53n") is PrinterState.NO_ANSWER  # not the printer's
    assert parse_printer_answer(b"") is PrinterState.NO_ANSWER


# ---- why the Textual app is suspended while it prints -----------------------------------------


def test_textual_would_type_the_answer_into_the_app():
    """Textual 8.2.8's input parser does not know CSI ? 1x n: after its escape delay it reports
    the answer as keys, without the ESC ("[", "?", "1", "0", "n"), which an Input would type.
    So the app prints while suspended (test_textual_print.py), where the TtyLink reads it."""
    xterm_parser = pytest.importorskip("textual._xterm_parser")
    parser = xterm_parser.XTermParser()
    events = list(parser.feed("\x1b[?10n"))
    time.sleep(0.2)  # past ESCAPE_DELAY (100 ms): the parser gives up on the sequence
    events += list(parser.tick())
    assert [(type(e).__name__, e.character) for e in events] == [
        ("Key", "["), ("Key", "?"), ("Key", "1"), ("Key", "0"), ("Key", "n")]
