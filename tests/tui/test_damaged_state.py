"""A damaged local file and an unexpected error, with `ihr demo` in a real pseudo-terminal.

The app, its embedded sandbox and the local SQLite files are all real; the file is damaged
the three ways it happens (overwritten with garbage, cut short, held locked by another
process). What the secretary would check: the app runs and says in Norwegian what
happened, the unsent order is not lost (it reaches the service, or the damaged file is
kept), the files are hers alone, and no fødselsnummer shows on the terminal or in a file
the crash wrote.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench._pty import PtyApp
from client.drafts import DraftSnapshot, DraftStore
from client.outbox import Outbox
from ihr.models import OrderInput
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR

ROOT = Path(__file__).resolve().parents[2]
ELEVEN_DIGITS = re.compile(rb"(?<!\d)\d{11}(?!\d)")
KEY = "ordre-fra-i-gaar"


def run_demo(data_dir: Path, *, prelude: str = "") -> PtyApp:
    """`ihr demo --data-dir data_dir --no-context` in a 100x30 pty (`prelude` runs first)."""
    home = data_dir.parent
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "cfg"))
    code = f"{prelude}\nfrom tui.cli import main\nmain(['demo', '--data-dir', {str(data_dir)!r}, '--no-context'])"
    return PtyApp([sys.executable, "-c", code], 100, 30, env)


def local_file_with_an_unsent_order(data_dir: Path) -> Path:
    """The data folder as an older version left it (0755, file 0644): one unsent order, one draft."""
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    db = data_dir / "ihr.sqlite3"
    order = OrderInput(
        patient_id=DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR, office_her_id=DEMO_OFFICE_HER_ID,
        items=[{"service_code": "NPU19748"}],
    )
    Outbox(db).put(KEY, order)
    DraftStore(db).put(DraftSnapshot(patient_id=DEMO_PATIENT_ID, office_her_id=DEMO_OFFICE_HER_ID))
    db.chmod(0o644)
    return db


@pytest.fixture
def lock_holder() -> Iterator[list[subprocess.Popen[str]]]:
    held: list[subprocess.Popen[str]] = []
    yield held
    for proc in held:
        proc.kill()
        proc.wait()


def damage(db: Path, how: str, held: list[subprocess.Popen[str]]) -> None:
    if how == "garbage":  # head -c 8192 /dev/urandom > ihr.sqlite3
        db.write_bytes(os.urandom(8192))
    elif how == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2])
    else:  # another process holds it locked (and keeps the lock for the whole run)
        hold = f"import sqlite3, time\nc = sqlite3.connect({str(db)!r}, isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('held', flush=True)\ntime.sleep(120)"
        proc = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
        held.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"


def order_reached_the_service(data_dir: Path) -> bool:
    con = sqlite3.connect(f"file:{data_dir / 'sandkasse.sqlite3'}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM idempotency WHERE key = ?", (KEY,)).fetchone()[0] == 1
    except sqlite3.OperationalError:  # busy while the service writes: ask again
        return False
    finally:
        con.close()


def eventually(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Whether `condition` came true within `timeout` seconds (asked every 50 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def toast(screen: str) -> str:
    """The notification's text as one line (it is drawn right of "▌", wrapped)."""
    return " ".join(line.rsplit("▌", 1)[1].strip() for line in screen.splitlines() if "▌" in line)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("how", ["garbage", "truncated", "locked"])
def test_damaged_local_file_the_app_runs_and_nothing_is_lost(
    tmp_path: Path, how: str, lock_holder: list[subprocess.Popen[str]]
) -> None:
    data_dir = tmp_path / "d"
    db = local_file_with_an_unsent_order(data_dir)
    damage(db, how, lock_holder)
    damaged = db.read_bytes()
    app = run_demo(data_dir)
    try:
        app.wait_for_text("Lokal datafil", timeout=60)
        app.wait_quiet(0.3)
        screen = toast(app.text())
        assert ("låst av et annet program" if how == "locked" else "var skadet") in screen
        assert "ikke slettet" in screen and "Programmet fortsetter med en ny fil." in screen
        app.wait_for_text("Fødselsnummer eller navn")  # the app is there, and answers keys
        if how != "garbage":  # the recovered order goes in the background: wait for it, then quit
            assert eventually(lambda: order_reached_the_service(data_dir)), "the recovered order was not sent"
        app.send(b"\x11")  # Ctrl+Q
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.close()
    kept = [p for p in data_dir.iterdir() if p.name.startswith("ihr-") and p.suffix == ".sqlite3"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # kept aside, untouched
    if how == "garbage":
        assert "Hentet tilbake 0 usendte bestillinger" in screen  # nothing readable: the file is kept
    else:  # the order no service had accepted was read back and sent with its own key (above)
        assert "Hentet tilbake 1 usendt bestilling og" in screen  # the draft may be on a lost page
    assert not ELEVEN_DIGITS.search(bytes(app.output)), "a fødselsnummer on the terminal"
    assert mode(data_dir) == 0o700
    for name in ("ihr.sqlite3", kept[0].name, "sandkasse.sqlite3"):
        assert mode(data_dir / name) == 0o600, name


CRASH = """
from tui.app import IhrApp

def action_help(self):
    patient_id = "17859011284"  # a local of the frame that fails, as in the order workflow
    raise RuntimeError("ingen hjelp for " + patient_id)

IhrApp.action_help = action_help
"""


def test_an_unexpected_error_ends_in_norwegian_with_a_report_and_no_personal_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    app = run_demo(data_dir, prelude=CRASH)
    try:
        app.wait_for_text("Fødselsnummer eller navn", timeout=60)
        os.write(app.master, b"\x1bOP")  # F1: the help action fails
        assert app.proc.wait(timeout=30) == 1
        app.wait_quiet(0.3)
    finally:
        app.close()
    out = bytes(app.output)
    text = out.decode("utf-8", "replace")
    assert "IHR stoppet på grunn av en uventet feil" in text
    assert "Traceback" not in text and "patient_id" not in text
    reports = list((data_dir / "krasjrapporter").iterdir())
    assert len(reports) == 1 and mode(reports[0]) == 0o600 and mode(reports[0].parent) == 0o700
    report = reports[0].read_bytes()
    assert b"builtins.RuntimeError" in report and b"action_help" in report  # where, for the developer
    assert reports[0].name in text.replace("\r\n", "").replace("\n", "")
    for written in (out, report):
        assert not ELEVEN_DIGITS.search(written), "a fødselsnummer in the crash's output"
        assert b"ingen hjelp for" not in written  # the exception's message stays out


def test_an_error_outside_the_app_is_also_norwegian_and_reported(tmp_path: Path) -> None:
    """Before the screen or after it (here: a subcommand fails), the same last stop."""
    code = (
        "from tui import cli\n"
        "def cmd_printer(argv):\n"
        "    patient_id = '17859011284'\n"
        "    raise ValueError('ingen skriver for ' + patient_id)\n"
        "cli.cmd_printer = cmd_printer\n"
        "cli.main(['printer', 'status'])\n"
    )
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert "IHR stoppet på grunn av en uventet feil" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr and not ELEVEN_DIGITS.search(proc.stdout + proc.stderr)
    [report] = (tmp_path / "data" / "ihr" / "krasjrapporter").iterdir()
    assert b"builtins.ValueError" in report.read_bytes() and not ELEVEN_DIGITS.search(report.read_bytes())
