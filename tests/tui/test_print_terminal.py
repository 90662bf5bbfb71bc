"""The whole `ihr` (`ihr demo`) in a real pty, printing an order's labels to `terminal:`.

The test is the terminal (tests/printing/test_terminal.py's `Terminal`: a pyte screen, a
printer for what comes between CSI 5 i and CSI 4 i, and "ready" answers to the printer
status request). The session finds its printer as on a terminal server: the workstation's
name in IHR_WORKSTATION, mapped to `terminal:` in the user's config.toml.

It shows: the bytes between CSI 5 i and CSI 4 i are exactly the ZPL of the order's labels
(nothing of the screen inside), and the screen after printing is the screen before it, but
for the print step's line and the status line; and it is what the app means to show (a full
redraw, forced by a resize, changes nothing).
"""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import sys
import time
from pathlib import Path

from tests.printing.test_terminal import ANSWERS, Terminal
from tests.tui.conftest import DEMO_PATIENT_ID, make_client

ROOT = Path(__file__).resolve().parents[2]

F5, F6, F7 = b"\x1b[15~", b"\x1b[17~", b"\x1b[18~"
CTRL_Q = b"\x11"


def screen_text(terminal: Terminal) -> str:
    return "\n".join(terminal.display())


def wait_screen(fd: int, terminal: Terminal, text: str, timeout: float = 30.0) -> None:
    terminal.run(timeout=timeout, until=lambda: text in screen_text(terminal))
    terminal.quiet(0.3)


def resize(fd: int, terminal: Terminal | None, cols: int, rows: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    if terminal is not None:
        terminal.screen.resize(rows, cols)


def expected_zpl(data_dir: Path, tmp_path: Path) -> tuple[bytes, list[str]]:
    """The ZPL of the labels of the order the app saved, from the demo's sandbox file, and
    the specimen ids (the labels' barcodes)."""
    from printing.layout import LabelSize, layout_label
    from printing.orders import labels_for_order
    from printing.zpl import job_zpl
    from sandbox.server import EmbeddedSandbox
    from tests.helseid import settings_for

    async def fetch(sandbox) -> tuple:
        client = make_client(settings_for(sandbox, tmp_path / "check", data_dir=tmp_path / "check-data"))
        try:
            [summary] = await client.list_orders(patient=DEMO_PATIENT_ID)
            return await client.get_order(summary.id), (await client.get_catalog()).catalog
        finally:
            await client.aclose()

    with EmbeddedSandbox(db_path=data_dir / "sandkasse.sqlite3") as sandbox:
        order, catalog = asyncio.run(fetch(sandbox))
    layouts = [layout_label(label, LabelSize()) for label in labels_for_order(order, catalog)]
    return job_zpl(layouts).encode("utf-8"), [layout.specimen_id for layout in layouts]


def test_ihr_prints_through_its_own_terminal(tmp_path: Path) -> None:
    data_dir, config = tmp_path / "demo", tmp_path / "config"
    (config / "ihr").mkdir(parents=True)
    (config / "ihr" / "config.toml").write_text(
        '[workstation_printers]\n"resepsjon-3" = "terminal:?timeout=2"\n', "utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: ihr demo, at workstation resepsjon-3, in a 120 x 30 terminal
        resize(0, None, 120, 30)
        os.chdir(ROOT)
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # the pty's size
        env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", XDG_CONFIG_HOME=str(config),
                   IHR_WORKSTATION="resepsjon-3")
        os.execve(sys.executable, [sys.executable, "-m", "tui.cli", "demo", "--data-dir", str(data_dir)], env)
    terminal = Terminal(fd, ANSWERS["ready"], cols=120, rows=30)
    try:
        wait_screen(fd, terminal, "Alle fagområder")  # the catalog is there
        terminal.quiet()
        os.write(fd, b"crp")
        wait_screen(fd, terminal, "CRP")
        os.write(fd, b"\r")
        terminal.quiet()
        os.write(fd, F5)
        wait_screen(fd, terminal, "skriveren ved arbeidsstasjonen")
        assert "arbeidsstasjonen resepsjon-3" in screen_text(terminal)
        os.write(fd, F6)
        wait_screen(fd, terminal, "Lagret: rekvisisjon")
        terminal.quiet(1.0)
        before = terminal.display()

        os.write(fd, F7)
        terminal.run(timeout=30, until=lambda: "skrevet ut på" in screen_text(terminal))
        terminal.quiet(1.0)
        after = terminal.display()
        assert terminal.requests == 2  # asked before the job and after it

        resize(fd, terminal, 119, 30)  # a full redraw, twice
        terminal.quiet(1.0)
        resize(fd, terminal, 120, 30)
        terminal.quiet(1.0)
        redrawn = terminal.display()

        os.write(fd, CTRL_Q)
        terminal.quiet(1.0)
        os.write(fd, b"j")  # quit with the order unsent: yes
        terminal.run(timeout=30)
    finally:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):  # still running: the test failed on the way
            time.sleep(1.0)
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        os.close(fd)

    assert terminal.printed == [expected_zpl(data_dir, tmp_path)[0]]
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and all("Skriv ut etiketter" in after[i] or "skrevet ut på" in after[i] for i in changed), (
        "\n".join(f"{i}: {before[i]!r} -> {after[i]!r}" for i in changed))
    assert after == redrawn
