"""A printer per workstation: the session's printer from the config file's mapping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ihr.settings import Settings, SettingsError, default_config_file, site_config_file
from printing.cli import printer_command
from printing.workstation import describe_printer, printer_for_session, ssh_client_address

MAPPING = {
    "10.0.4.21": "terminal:",
    "10.0.4.0/24": "tcp://10.0.4.50:9100",
    "10.0.0.0/16": "cups://Zebra_hus",
    "Resepsjon-2": "cups://Zebra_lab",
    "2001:db8::7": "terminal:?dsr=off",
}
DEFAULT = "file://./etiketter"


def ssh(address: str) -> dict[str, str]:
    return {"SSH_CONNECTION": f"{address} 51234 10.0.0.1 22", "SSH_CLIENT": f"{address} 51234 22"}


@pytest.mark.parametrize(("environ", "hostname", "url", "key"), [
    (ssh("10.0.4.21"), "", "terminal:", "10.0.4.21"),  # exact address beats its networks
    (ssh("10.0.4.99"), "", "tcp://10.0.4.50:9100", "10.0.4.0/24"),  # the narrowest network
    (ssh("10.0.9.1"), "", "cups://Zebra_hus", "10.0.0.0/16"),
    (ssh("192.168.1.5"), "", DEFAULT, None),  # not mapped: the user's printer_url
    ({"SSH_CLIENT": "2001:db8::7 40000 22"}, "", "terminal:?dsr=off", "2001:db8::7"),
    ({**ssh("10.0.4.21"), "IHR_WORKSTATION": "resepsjon-2"}, "", "cups://Zebra_lab", "Resepsjon-2"),
    ({}, "resepsjon-2", "cups://Zebra_lab", "Resepsjon-2"),  # ihr on the workstation itself
    ({}, "", DEFAULT, None),
    ({"SSH_CONNECTION": "garbage"}, "", DEFAULT, None),
])
def test_printer_for_session(environ, hostname, url, key):
    choice = printer_for_session(DEFAULT, MAPPING, environ, hostname)
    assert (choice.url, choice.workstation) == (url, key)


def test_choice_says_why():
    assert printer_for_session(DEFAULT, MAPPING, ssh("10.0.4.21")).why == "arbeidsstasjonen på 10.0.4.21"
    assert printer_for_session(DEFAULT, MAPPING, {}).why == "innstillingen printer_url"
    assert ssh_client_address({"SSH_CLIENT": "10.1.2.3 5 22"}) == "10.1.2.3"
    assert ssh_client_address({}) is None


def test_describe_printer():
    assert describe_printer("terminal:") == "skriveren ved arbeidsstasjonen"
    assert describe_printer("tcp://10.0.4.50:9100") == "etikettskriver 10.0.4.50"
    assert describe_printer("cups://Zebra_lab?server=x:631") == "utskriftskø Zebra_lab"
    assert describe_printer("file:///tmp/x/etiketter/") == "filskriveren (mappen etiketter)"


@pytest.fixture
def config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The site's and the user's config.toml, in tmp_path (XDG variables, as platformdirs reads them)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "site"))
    for name in list(os.environ):
        if name.upper().startswith("IHR_"):
            monkeypatch.delenv(name)
    site, user = site_config_file(), default_config_file()
    assert site.is_relative_to(tmp_path) and user.is_relative_to(tmp_path)
    site.parent.mkdir(parents=True)
    user.parent.mkdir(parents=True)
    return site, user


def test_site_and_user_files_merge_the_mapping(config_files):
    site, user = config_files
    site.write_text('printer_url = "terminal:"\n[workstation_printers]\n'
                    '"10.0.4.21" = "tcp://10.0.4.50:9100"\n"10.0.5.0/24" = "cups://lab"\n', "utf-8")
    user.write_text('[workstation_printers]\n"10.0.4.21" = "cups://hennes"\n', "utf-8")
    s = Settings()
    assert s.printer_url == "terminal:"  # from the site's file
    assert s.workstation_printers == {"10.0.4.21": "cups://hennes", "10.0.5.0/24": "cups://lab"}
    user.write_text('printer_url = "tcp://10.9.9.9"\n', "utf-8")
    assert Settings().printer_url == "tcp://10.9.9.9"  # the user's own printer beats the site's


def test_bad_mapping_names_file_and_key_in_norwegian(config_files):
    site, _ = config_files
    site.write_text('[workstation_printers]\n"10.0.4.21" = 9100\n', "utf-8")
    with pytest.raises(SettingsError) as exc:
        Settings()
    assert "workstation_printers.10.0.4.21" in str(exc.value) and str(site) in str(exc.value)
    assert "forventet en skriveradresse" in str(exc.value)
    site.write_text('workstation_printers = "terminal:"\n', "utf-8")
    with pytest.raises(SettingsError, match=r"tabell \[workstation_printers\]"):
        Settings()


def test_printer_commands_use_the_workstations_printer(config_files, tmp_path, monkeypatch, capsys):
    site, _ = config_files
    spool = tmp_path / "resepsjon-2"
    site.write_text(f'printer_url = "file://{tmp_path / "feil"}"\n[workstation_printers]\n'
                    f'"10.0.4.0/24" = "file://{spool}"\n', "utf-8")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.4.77 51234 10.0.0.1 22")
    assert printer_command(["test"]) == 0
    assert len(list(spool.glob("*.zpl"))) == 1 and not (tmp_path / "feil").exists()
    assert "valgt ut fra arbeidsstasjonen på 10.0.4.77" in capsys.readouterr().out
