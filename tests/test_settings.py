"""Settings from keyword arguments, `IHR_` variables, config.toml and defaults, in that order.

`tests/conftest.py` already clears `IHR_` variables and points HOME and the XDG dirs at a
temporary folder; these tests put the config file where platformdirs looks on Linux.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ihr.settings import Settings, SettingsError, default_config_file, default_data_dir

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "syntetisk-hemmelig-token-123"  # must never show up in a message


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `default_config_file()` points (XDG_CONFIG_HOME, as platformdirs reads it on Linux)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_config_file()
    if path != tmp_path / "config" / "ihr" / "config.toml":  # not Linux: point it there directly
        path = tmp_path / "config" / "ihr" / "config.toml"
        monkeypatch.setattr("ihr.settings.default_config_file", lambda: path)
    path.parent.mkdir(parents=True)
    return path


def test_defaults(config: Path) -> None:
    s = Settings()
    assert s.api_url == "http://127.0.0.1:8765/api/v1"
    assert s.client_id == "" and s.authority_url == "" and s.office_her_id == "" and s.user == ""
    assert s.authority == "http://127.0.0.1:8765"  # the sandbox is its own authority
    assert s.production is False
    # labels go to a folder in the data dir, never the current directory (issue 18, item 11)
    assert s.printer_url == f"file://{default_data_dir() / 'etiketter'}" and s.origin("printer_url") == "standard"
    assert (s.label_width_mm, s.label_height_mm, s.label_dpi) == (50.0, 25.0, 203)
    assert s.request_timeout_s == 10.0
    assert s.keymap == {}
    assert s.data_dir == default_data_dir()
    if sys.platform.startswith("linux"):
        assert s.data_dir == config.parent.parent.parent / "data" / "ihr"


def test_db_path_is_in_the_data_dir(config: Path, tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path / "d").db_path == tmp_path / "d" / "ihr.sqlite3"
    assert Settings(data_dir=str(tmp_path)).data_dir == tmp_path  # a str becomes a Path
    assert Settings(data_dir=tmp_path / "d").printer_url == f"file://{tmp_path / 'd' / 'etiketter'}"


def test_environment_overrides_defaults(config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IHR_API_URL", "https://ihr.example.test/api/v1")
    monkeypatch.setenv("IHR_CLIENT_ID", "min-klient")
    monkeypatch.setenv("IHR_AUTHORITY_URL", "https://helseid-sts.test.example/")
    monkeypatch.setenv("IHR_LABEL_DPI", "300")
    monkeypatch.setenv("IHR_LABEL_WIDTH_MM", "62.5")
    monkeypatch.setenv("IHR_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("ihr_request_timeout_s", "3")  # names in any case
    s = Settings()
    assert s.api_url == "https://ihr.example.test/api/v1" and s.client_id == "min-klient"
    assert s.authority == "https://helseid-sts.test.example"
    assert s.label_dpi == 300 and type(s.label_dpi) is int
    assert s.label_width_mm == 62.5 and s.request_timeout_s == 3.0 and type(s.request_timeout_s) is float
    assert s.data_dir == tmp_path / "d" and isinstance(s.data_dir, Path)
    assert s.label_height_mm == 25.0  # the rest stays default


def test_file_overrides_defaults_and_environment_beats_file(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text(
        'api_url = "https://fil.example.test/api/v1"\n'
        'user = "Kari (resepsjon)"\n'
        "label_dpi = 300\n"
        "label_width_mm = 60\n"  # a TOML integer is fine for a float
        "production = true\n",
        encoding="utf-8",
    )
    s = Settings()
    assert s.api_url == "https://fil.example.test/api/v1" and s.user == "Kari (resepsjon)"
    assert s.label_dpi == 300 and s.label_width_mm == 60.0 and s.production is True

    monkeypatch.setenv("IHR_API_URL", "https://env.example.test/api/v1")
    monkeypatch.setenv("IHR_PRODUCTION", "nei")
    s = Settings()
    assert s.api_url == "https://env.example.test/api/v1" and s.production is False
    assert s.user == "Kari (resepsjon)" and s.label_dpi == 300  # still from the file


def test_keyword_arguments_beat_environment_and_file(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text('api_url = "https://fil.example.test"\nlabel_dpi = 300\n', encoding="utf-8")
    monkeypatch.setenv("IHR_API_URL", "https://env.example.test")
    monkeypatch.setenv("IHR_LABEL_DPI", "ikke et tall")  # never read: the argument wins
    s = Settings(api_url="https://arg.example.test", label_dpi=600)
    assert s.api_url == "https://arg.example.test" and s.label_dpi == 600


def test_keymap_from_environment_and_file_merged_by_binding(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IHR_KEYMAP__groups", "f12")
    assert Settings().keymap == {"groups": "f12"}

    config.write_text('[keymap]\ngroups = "f11"\nhelp = "f9"\n', encoding="utf-8")
    assert Settings().keymap == {"groups": "f12", "help": "f9"}  # the variable beats the file
    assert Settings(keymap={"quit": "ctrl+x"}).keymap == {"groups": "f12", "help": "f9", "quit": "ctrl+x"}

    monkeypatch.delenv("IHR_KEYMAP__groups")
    assert Settings().keymap == {"groups": "f11", "help": "f9"}


def test_keymap_as_one_json_variable(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IHR_KEYMAP", json.dumps({"groups": "f12", "help": "f9"}))
    monkeypatch.setenv("IHR_KEYMAP__HELP", "f8")
    assert Settings().keymap == {"groups": "f12", "help": "f8"}
    monkeypatch.setenv("IHR_KEYMAP", "groups=f12")
    with pytest.raises(SettingsError, match="IHR_KEYMAP"):
        Settings()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("True", True), ("1", True), ("yes", True), ("on", True), ("JA", True), ("ja", True),
     ("false", False), ("FALSE", False), ("0", False), ("no", False), ("off", False), ("nei", False), ("Nei", False)],
)
def test_bool_spellings(config: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: bool) -> None:
    monkeypatch.setenv("IHR_PRODUCTION", text)
    assert Settings().production is expected


@pytest.mark.parametrize("text", ["", "2", "kanskje", "sant"])
def test_bool_nonsense_is_an_error(config: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("IHR_PRODUCTION", text)
    with pytest.raises(SettingsError, match=r"^Ugyldig verdi i IHR_PRODUCTION: forventet ja eller nei"):
        Settings()


def test_bool_from_file_as_toml_bool_or_text(config: Path) -> None:
    config.write_text("production = true\n", encoding="utf-8")
    assert Settings().production is True
    config.write_text('production = "ja"\n', encoding="utf-8")
    assert Settings().production is True


def test_bad_integer_in_environment_names_the_variable_not_the_value(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IHR_LABEL_DPI", TOKEN)
    with pytest.raises(SettingsError) as err:
        Settings()
    assert str(err.value) == "Ugyldig verdi i IHR_LABEL_DPI: forventet et heltall."
    assert isinstance(err.value, ValueError)
    assert err.value.__cause__ is None and err.value.__context__ is None  # no chained int() error with the value


def test_bad_float_in_environment(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IHR_LABEL_WIDTH_MM", "50,5")
    with pytest.raises(SettingsError, match=r"^Ugyldig verdi i IHR_LABEL_WIDTH_MM: forventet et tall") as err:
        Settings()
    assert "50,5" not in str(err.value)


@pytest.mark.parametrize(
    ("toml", "key", "expected"),
    [
        ("label_dpi = 300.5\n", "label_dpi", "forventet et heltall"),
        ('label_dpi = "tre hundre"\n', "label_dpi", "forventet et heltall"),
        ("office_her_id = 12345\n", "office_her_id", "forventet tekst i anførselstegn"),
        ("production = 1\n", "production", "forventet ja eller nei"),
        ("label_dpi = true\n", "label_dpi", "forventet et heltall"),
        ('keymap = "f12"\n', "keymap", "forventet en tabell [keymap]"),
        ("[keymap]\ngroups = 12\n", "keymap.groups", "forventet en tast"),
    ],
)
def test_wrong_type_in_file_names_file_and_key(config: Path, toml: str, key: str, expected: str) -> None:
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        Settings()
    assert str(err.value).startswith(f"Ugyldig verdi for {key} i {config}: {expected}")


def test_broken_file_names_the_file(config: Path) -> None:
    config.write_text(f'client_id = "{TOKEN}\nlabel_dpi = 300\n', encoding="utf-8")  # unclosed string
    with pytest.raises(SettingsError) as err:
        Settings()
    message = str(err.value)
    assert message.startswith(f"Innstillingsfilen {config} er ikke gyldig TOML")
    assert "linje 1" in message
    assert TOKEN not in message
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_unknown_variables_and_keys_are_ignored(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = Settings()
    monkeypatch.setenv("IHR_PATIENT", "12345678901")  # the launch context, not a setting
    monkeypatch.setenv("IHR_NO_SUCH_SETTING", "x")
    config.write_text('no_such_setting = 1\ntheme = "mørk"\n[printers]\nlab = "tcp://x"\n', encoding="utf-8")
    assert Settings() == plain


def test_unknown_keyword_argument_is_a_programming_error(config: Path) -> None:
    with pytest.raises(TypeError):
        Settings(api_ulr="https://skrivefeil.example.test")


def test_settings_are_frozen(config: Path) -> None:
    s = Settings(client_id=TOKEN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.api_url = "https://annen.example.test"  # type: ignore[misc]


def test_copy_with_replaces_fields_without_reading_again(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(api_url="https://arg.example.test")
    monkeypatch.setenv("IHR_KEYMAP__help", "f9")
    copy = s.copy_with(keymap={"groups": "f12"})
    assert copy.keymap == {"groups": "f12"} and copy.api_url == "https://arg.example.test"
    assert s.keymap == {}


def test_printer_command_reports_bad_settings_without_traceback(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from printing.cli import printer_command

    monkeypatch.setenv("IHR_LABEL_DPI", TOKEN)
    assert printer_command(["test", "--preview"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "Ugyldig verdi i IHR_LABEL_DPI: forventet et heltall."
    assert captured.out == "" and TOKEN not in captured.err


def test_importing_settings_leaves_pydantic_unimported() -> None:
    probe = "import json, sys, ihr.settings; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "ihr" in loaded
    assert not loaded & {"pydantic", "pydantic_core", "pydantic_settings"}


def test_production_refuses_plain_http(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: `production = true` accepted an http:// API address (tokens in the clear)."""
    config.write_text('production = true\napi_url = "http://ihr.example.test/api/v1"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^I produksjon må api_url begynne med https:// \(ikke http://\)"):
        Settings()
    config.write_text('production = true\napi_url = "https://ihr.example.test/api/v1"\n', encoding="utf-8")
    assert Settings().production is True
    monkeypatch.setenv("IHR_AUTHORITY_URL", "http://helseid.example.test")
    with pytest.raises(SettingsError, match="authority_url"):
        Settings()
    monkeypatch.delenv("IHR_AUTHORITY_URL")
    with pytest.raises(SettingsError):
        Settings().copy_with(api_url="http://ihr.example.test/api/v1")
    assert Settings(production=True, api_url="http://127.0.0.1:8765/api/v1").production  # never leaves the machine
