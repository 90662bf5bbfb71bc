"""The console script: context sources, EPJ launch file, lazy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.context import LaunchContext, context_from_env, parse_launch_text, read_launch_file


def test_epj_file_key_value_and_toml_quotes(tmp_path: Path) -> None:
    f = tmp_path / "launch.epj"
    f.write_text(
        '# from the journal\npatient = "17859011284"\nrekvirent: 990100217  # HPR\nkontor = 99200101\nother = x\n',
        encoding="utf-8",
    )
    assert read_launch_file(f) == LaunchContext("17859011284", "990100217", "99200101")


def test_cli_options_win_over_env_and_file() -> None:
    cli = LaunchContext("1", None, None)
    env = context_from_env({"IHR_PATIENT": "2", "IHR_REQUESTER": "3"})
    file = parse_launch_text("patient=4\nrequester=5\noffice=6")
    assert cli.merged(env).merged(file) == LaunchContext("1", "3", "6")


def test_unreadable_epj_file_is_a_norwegian_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main(['--epj', 'finnes-ikke.txt'])"],
        capture_output=True, text=True, cwd=tmp_path, env=None, timeout=60,
    )
    assert proc.returncode == 2
    assert "Kan ikke lese EPJ-filen" in proc.stderr


def test_a_bad_setting_stops_ihr_with_a_norwegian_message_before_the_screen(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, IHR_LABEL_DPI="tre hundre", XDG_CONFIG_HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main([])"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60,
    )
    assert proc.returncode == 2
    assert "Ugyldig verdi i IHR_LABEL_DPI: forventet et heltall." in proc.stderr
    assert "tre hundre" not in proc.stderr and "hemmelig" not in proc.stderr
    assert "\x1b[" not in proc.stdout  # the app never started drawing


def test_a_key_file_others_can_read_stops_ihr_before_the_screen(tmp_path: Path) -> None:
    import os

    from client.signin import write_new_key

    key = tmp_path / "nokkel.json"
    write_new_key(key)
    os.chmod(key, 0o640)
    env = dict(os.environ, IHR_CLIENT_ID="kontor-1", IHR_CLIENT_KEY_FILE=str(key), XDG_CONFIG_HOME=str(tmp_path),
               IHR_OFFICE_HER_ID="99200101")
    run = [sys.executable, "-c", "from tui.cli import main; main([])"]
    proc = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 2
    assert "kan leses av andre enn eieren" in proc.stderr and "chmod 600" in proc.stderr
    assert "\x1b[" not in proc.stdout
    os.chmod(key, 0o600)
    env.pop("IHR_CLIENT_ID")
    proc = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 2 and "Klient-id mangler" in proc.stderr


def test_without_an_office_ihr_stops_before_the_screen(tmp_path: Path) -> None:
    """Orders and autosaved drafts belong to an office: without its HER-id nothing can be saved."""
    import os

    from client.signin import write_new_key

    key = tmp_path / "nokkel.json"
    write_new_key(key)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IHR_")}
    env.update(IHR_CLIENT_ID="kontor-1", IHR_CLIENT_KEY_FILE=str(key), XDG_CONFIG_HOME=str(tmp_path))
    run = [sys.executable, "-c", "from tui.cli import main; main(['--patient', '15880099903'])"]
    proc = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 2 and "Kontorets HER-id mangler" in proc.stderr
    assert "\x1b[" not in proc.stdout  # the app never started drawing


@pytest.mark.parametrize("argv", [["printer", "--help"], ["sandbox", "--help"]])
def test_subcommands_do_not_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok")


def test_printer_subcommand_dispatches(tmp_path: Path) -> None:
    from tui.cli import cmd_printer

    assert cmd_printer(["status", "--url", f"file://{tmp_path}"]) == 0
