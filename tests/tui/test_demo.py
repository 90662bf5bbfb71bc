"""`ihr demo` keeps its work: quit with a basket, start again, the basket is back (issue 11,
defect 10: each run used a new temporary folder, so the quit dialog's promise was false).

A real pty and a terminal emulator (pyte), as a person at the desk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench._pty import PtyApp

ROOT = Path(__file__).resolve().parents[2]


def start(home: Path, *options: str) -> PtyApp:
    """`ihr demo [options]` in a 120x36 pty, its data in `home`, until patient and catalog show."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IHR_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), PYTHONPATH=str(ROOT))
    app = PtyApp([sys.executable, "-m", "tui.cli", "demo", *options], 120, 36, env)
    app.wait_for_text("Alle fagområder", timeout=60)
    app.wait_for_text("Bjørnstad", timeout=60)
    return app


def test_the_demo_keeps_the_basket_across_a_quit(tmp_path: Path) -> None:
    app = start(tmp_path)
    try:
        for key in (b"c", b"r", b"p"):
            app.send(key, quiet=0.1)
        app.send(b"\r", quiet=0.3)
        app.wait_for_text("1 analyse,", timeout=20)
        app.send(b"\x11", quiet=0.3)  # Ctrl+Q: unsent work, so it asks
        app.wait_for_text("kommer tilbake", timeout=10)
        app.send(b"j", quiet=0.3)
        assert app.proc.wait(timeout=20) == 0
        assert "lagret i" in app.text()  # where the demo keeps its work, said on the way out
    finally:
        app.close()
    assert (tmp_path / "data" / "ihr" / "demo" / "sandkasse.sqlite3").exists()

    again = start(tmp_path)
    try:
        again.wait_for_text("P-CRP", timeout=20)  # restored into the basket
        again.wait_for_text("1 analyse,", timeout=20)
        again.wait_for_text("Gjenopprettet ulagret bestilling", timeout=20)  # and the status line says so
    finally:
        again.close()
