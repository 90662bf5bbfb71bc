"""Printing through `terminal:` from inside a running Textual app, in a real pty.

The app here is the pattern the TUI is to follow (see printing.terminal): the print runs in a
worker thread, which asks the event loop to run the job with the app suspended
(`App.suspend()`: Textual stops reading input and leaves the screen to us) and a `TtyLink` on
the terminal; on resume Textual redraws the whole screen. So the terminal's answers reach the
`TtyLink`, not Textual's input parser, and no frame can fall inside the block.
"""

from __future__ import annotations

import json
import os
import pty
import sys
from pathlib import Path

import pytest

from printing.layout import layout_label
from printing.zpl import job_zpl
from tests.printing.test_terminal import ANSWERS, Terminal

pytest.importorskip("textual")

ROOT = Path(__file__).resolve().parents[2]

APP = r"""
import json, sys
from textual.app import App
from textual.widgets import Input, Static
from printing.journal import PrintJournal
from printing.labels import label_for
from printing.queue import PrintQueue
from printing.terminal import TtyLink
from printing.transports import open_printer
from tests.printing import factories as f

db, out, url = sys.argv[1:4]
label = label_for(f.specimen(), f.patient("Ødegård", "Åse Marie"), f.requester(), f.lab(),
                  f.container(), ["CRP", "Ferritin", "TSH"], None)  # as conftest.label


class Reception(App):
    def compose(self):
        yield Static("Bestilling lagret. F9 skriver ut etikettene.")
        yield Input(placeholder="Søk analyse")

    def on_mount(self):
        self.query_one(Input).cursor_blink = False

    def key_f9(self):
        self.run_worker(self.print_in_worker, thread=True)

    def print_in_worker(self):
        result = self.call_from_thread(self.print_suspended)
        with open(out, "w") as fh:
            json.dump({"outcome": result.outcome, "message": result.message}, fh)

    def print_suspended(self):
        with self.suspend(), TtyLink() as link, PrintJournal(db) as journal:
            printer = open_printer(url, terminal=link, answer_timeout=0.5)
            return PrintQueue(journal).submit([label], printer, user="sekretær1")


Reception().run()
"""

F9 = b"\x1b[20~"
CTRL_Q = b"\x11"


@pytest.mark.parametrize("scenario", ["ready", "no_answer"])
def test_print_from_inside_textual(tmp_path, label, scenario):
    out = tmp_path / "result.json"
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.environ.update(PYTHONPATH=str(ROOT), TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-c", APP, str(tmp_path / "ihr.sqlite3"), str(out),
                                  "terminal:"])
    terminal = Terminal(fd, ANSWERS[scenario], cols=80, rows=24)
    try:
        terminal.run(timeout=30, until=lambda: "F9 skriver ut" in "".join(terminal.display()))
        terminal.quiet()
        before = terminal.display()
        os.write(fd, b"abc")  # the secretary's keys before the print go where they belong
        terminal.quiet()
        typed = terminal.display()
        assert "abc" in "".join(typed)
        os.write(fd, F9)
        terminal.run(timeout=30, until=out.exists)
        terminal.quiet()
        after = terminal.display()
        os.write(fd, CTRL_Q)
        terminal.run(timeout=30)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    result = json.loads(out.read_text("utf-8"))
    assert terminal.printed == [job_zpl([layout_label(label)]).encode("utf-8")]
    assert result["outcome"] == {"ready": "ok", "no_answer": "unconfirmed"}[scenario]
    assert after == typed and before != typed  # redrawn as it was; no answer typed into the field
