"""`ihr demo` and its labels (issue 18, items 11 and 12): IHR_PRINTER_URL wins in the demo
too and the review names it; the demo's label folder is the owner's alone (0700); `--fresh`
starts a clean sandbox but keeps the labels printed before (a secretary's printed labels
are a record of what was printed, not demo state to throw away).

A real pty and a terminal emulator (pyte), as a person at the desk."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from bench._pty import PtyApp

ROOT = Path(__file__).resolve().parents[2]


def start(home: Path, *options: str, env_extra: dict[str, str] | None = None) -> PtyApp:
    """`ihr demo [options]` in a 120x36 pty, its data in `home`, until patient and catalog show."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IHR_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), PYTHONPATH=str(ROOT))
    env.update(env_extra or {})
    app = PtyApp([sys.executable, "-m", "tui.cli", "demo", "--lab-delay", "600", *options], 120, 36, env)
    app.wait_for_text("Alle fagområder", timeout=60)
    app.wait_for_text("Bjørnstad", timeout=60)
    return app


def test_ihr_printer_url_wins_in_the_demo_and_the_review_names_it(tmp_path: Path) -> None:
    elsewhere = tmp_path / "annen"
    app = start(tmp_path, env_extra={"IHR_PRINTER_URL": f"file://{elsewhere}"})
    try:
        for key in (b"c", b"r", b"p"):
            app.send(key, quiet=0.1)
        app.send(b"\r", quiet=0.3)
        app.wait_for_text("1 analyse,", timeout=60)
        app.send(b"\x1b[15~", quiet=0.3)  # F5: the review
        app.wait_for_text("fra IHR_PRINTER_URL", timeout=60)  # the review names the variable
        app.send(b"\x1b[17~", quiet=0.3)  # F6 lagre
        app.wait_for_text("Lagret:", timeout=60)
        app.send(b"\x1b[18~", quiet=0.3)  # F7 skriv ut
        app.wait_for_text("skrevet ut", timeout=60)
        assert len(list(elsewhere.glob("*.zpl"))) == 1
        assert not list((tmp_path / "data" / "ihr" / "demo").glob("etiketter/*.zpl"))
        app.send(b"\x11", quiet=0.3)  # Ctrl+Q: unsent work, so it asks
        app.wait_for_text("kommer tilbake", timeout=30)
        app.send(b"j", quiet=0.3)
        assert app.proc.wait(timeout=60) == 0
        assert f"Etikettene ligger i {elsewhere}" in app.text()
    finally:
        app.close()


def test_fresh_keeps_the_labels_printed_before_in_a_private_folder(tmp_path: Path) -> None:
    demo = tmp_path / "data" / "ihr" / "demo"
    labels = demo / "etiketter"
    labels.mkdir(parents=True)
    labels.chmod(0o755)  # as earlier versions made it
    printed = labels / "etiketter-20261120-093000-0001.zpl"
    printed.write_text("^XA^FDsyntetisk^FS^XZ", "utf-8")
    left = demo / "kurv-fra-sist.txt"  # anything else of the demo's: --fresh starts clean
    left.write_text("gammelt", "utf-8")

    app = start(tmp_path, "--fresh")
    try:
        assert printed.read_text("utf-8") == "^XA^FDsyntetisk^FS^XZ"
        assert not left.exists()
        assert stat.S_IMODE(labels.stat().st_mode) == 0o700
        app.send(b"\x11", quiet=0.3)  # Ctrl+Q: nothing unsent
        assert app.proc.wait(timeout=60) == 0
        assert "beholdt" in app.text() and str(labels) in app.text()
    finally:
        app.close()
