"""`ihr sandbox` keeps its data in the user data folder, says where, and stops on Ctrl+C
without a traceback (issue 13: a temporary file lost 161 of 161 orders at a restart)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
import sys
from pathlib import Path

from bench._pty import PtyApp


def run_until_ctrl_c(home: Path) -> str:
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = PtyApp([sys.executable, "-m", "tui.cli", "sandbox", "--port", str(port)], 120, 30, env)
    try:
        app.wait_for_text("Uvicorn running", timeout=60)
        os.killpg(app.proc.pid, signal.SIGINT)  # Ctrl+C in the terminal
        assert app.proc.wait(timeout=20) == 0
        app.wait_quiet(0.2)
    finally:
        app.close()
    return bytes(app.output).decode("utf-8", "replace")


def test_data_kept_in_the_user_data_folder_and_ctrl_c_is_a_clean_stop(tmp_path: Path) -> None:
    first = run_until_ctrl_c(tmp_path)
    db = tmp_path / "data" / "ihr" / "sandkasse.sqlite3"
    assert f"Sandkassens data: {db}" in first
    assert "Sandkassen er stoppet. Dataene er tatt vare på." in first
    assert "Traceback" not in first and "KeyboardInterrupt" not in first
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 and stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    con = sqlite3.connect(db)
    con.execute("INSERT INTO groups (id, scope, office_her_id, owner_hpr, json) VALUES ('spor', 'office', NULL, NULL, '{}')")
    con.commit()
    con.close()
    second = run_until_ctrl_c(tmp_path)  # a restart: the same file, what was in it still there
    assert f"Sandkassens data: {db}" in second
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM groups WHERE id = 'spor'").fetchone() == (1,)
    con.close()
