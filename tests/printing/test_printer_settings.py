"""`ihr printer` as a user runs it (a subprocess, issue 18 items 11 and 12): where labels go
without any setting, which setting chose the printer, and help and errors in Norwegian.

Each run gets its own HOME and XDG dirs (no config of the developer's), and a working
directory of its own, so a label written "here" would be seen."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_ihr(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cwd = home / "her"
    cwd.mkdir(parents=True, exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IHR_", "XDG_", "SSH_"))}
    base.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                PYTHONPATH=str(ROOT))
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", "printer", *args], cwd=cwd, env=base,
                          capture_output=True, text=True, timeout=60)


def test_without_any_setting_labels_go_to_a_private_folder_in_the_user_data_dir(tmp_path: Path) -> None:
    done = run_ihr(tmp_path, "test")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "her" / "etiketter").exists()  # never into the current directory
    folder = tmp_path / "data" / "ihr" / "etiketter"
    [label] = folder.glob("*.zpl")
    assert "TESTETIKETT" in label.read_text("utf-8")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # the owner's alone: labels name patients
    assert str(folder) in done.stdout and "valgt ut fra standardinnstillingen" in done.stdout


def test_the_printer_names_the_setting_that_chose_it(tmp_path: Path) -> None:
    from_env = tmp_path / "fra-miljo"
    done = run_ihr(tmp_path, "test", env={"IHR_PRINTER_URL": f"file://{from_env}"})
    assert done.returncode == 0, done.stderr
    assert list(from_env.glob("*.zpl"))
    assert "valgt ut fra IHR_PRINTER_URL" in done.stdout

    config = tmp_path / "config" / "ihr" / "config.toml"
    config.parent.mkdir(parents=True)
    from_file = tmp_path / "fra-fil"
    config.write_text(f'printer_url = "file://{from_file}"\n', "utf-8")
    done = run_ihr(tmp_path, "status")
    assert done.returncode == 0, done.stderr
    assert f"valgt ut fra printer_url i {config}" in done.stdout


def test_printer_help_and_errors_are_norwegian(tmp_path: Path) -> None:
    english = ("usage:", "positional arguments", "options:", "show this help", "unrecognized", "required")
    for args in (("--help",), ("test", "--help"), ("status", "--help")):
        done = run_ihr(tmp_path, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert done.stdout.startswith("Bruk: ihr printer"), (args, done.stdout)
        assert not any(word in done.stdout for word in english), (args, done.stdout)
    assert "skriv ut en testetikett" in run_ihr(tmp_path, "--help").stdout
    assert "--preview" in run_ihr(tmp_path, "test", "--help").stdout

    done = run_ihr(tmp_path)  # no command
    assert done.returncode == 2
    assert "Bruk: ihr printer" in done.stderr and "feil:" in done.stderr.lower()
    assert not any(word in done.stderr for word in english), done.stderr
    done = run_ihr(tmp_path, "test", "--dpi", "100")
    assert done.returncode == 2 and not any(word in done.stderr for word in english), done.stderr
    assert "ugyldig" in done.stderr.lower()
