"""A dropped SSH connection or a closed terminal ends `ihr` instead of leaving it spinning.

Without SIGHUP (a process in a session of its own, or a hang-up that never reaches it),
stdin just stays at end-of-file and Textual's input thread loops on it at full CPU. The app
checks for the hang-up itself. Real ptys, a real process.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tui.terminal import terminal_hung_up

ROOT = Path(__file__).resolve().parents[2]


def test_a_closed_terminal_is_seen_as_hung_up() -> None:
    master, slave = pty.openpty()
    try:
        assert not terminal_hung_up(slave)
        os.write(master, b"x")  # pending input is not a hang-up, and is not read
        assert not terminal_hung_up(slave)
        os.close(master)
        assert terminal_hung_up(slave)
    finally:
        os.close(slave)


def test_ihr_demo_quits_when_its_terminal_goes_away(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "demo"],
        stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
        start_new_session=True, close_fds=True,
    )
    os.close(slave)
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"Bj\xc3\xb8rnstad" not in seen and time.monotonic() < deadline:  # the demo patient's banner
            if select.select([master], [], [], 0.2)[0]:
                seen += os.read(master, 65536)
        assert b"Bj\xc3\xb8rnstad" in seen, "the demo did not come up"
        os.close(master)
        master = -1
        proc.wait(timeout=15)  # TimeoutExpired: still running (and spinning) without a terminal
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
