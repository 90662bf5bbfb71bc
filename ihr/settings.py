"""Settings: `IHR_` environment variables and a TOML file in the user config dir.

`ihr demo` needs none of this: it starts the sandbox and a file printer itself.

`Settings(**overrides)` reads, from strongest to weakest: the keyword arguments, the `IHR_`
environment variables (`IHR_LABEL_DPI=300`, names in any case; the keymap as
`IHR_KEYMAP__<binding id>=<key>`, the id lower-cased like the rest of the name), the user's
TOML file at `default_config_file()` if there is one, the site's at `site_config_file()` (a
terminal server's config for all its users) if there is one, and the defaults below. In the
files, top-level keys are the field names; the keymap is a `[keymap]` table and the printers
of the workstations a `[workstation_printers]` table (files and keyword arguments only). The
tables are merged entry by entry across all of them. Unknown variables and keys are ignored. A value that does not
fit raises `SettingsError` with a Norwegian message that names the variable, or the file and
key, and never the value (it may be secret).

Only the standard library and platformdirs: this module is on the app's start-up path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

APP_NAME = "ihr"
ENV_PREFIX = "IHR_"
_KEYMAP_PREFIX = "keymap__"  # after the prefix, lower-cased: IHR_KEYMAP__<binding id>


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def site_config_file() -> Path:
    """The site's file (/etc/xdg/ihr/config.toml on Linux): a terminal server's shared config."""
    return Path(platformdirs.site_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_printer_url(data_dir: Path) -> str:
    """The printer without a setting: .zpl files in the folder `etiketter` of the data dir."""
    return f"file://{data_dir / 'etiketter'}"


def default_key_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "client-key.json"


class SettingsError(ValueError):
    """A setting from the environment or the config file that cannot be used (Norwegian message)."""

    @property
    def message(self) -> str:
        """The Norwegian text, under the name the app shows errors by."""
        return str(self)


def check_key_file(path: Path) -> None:
    """The client's private key file must be readable by its owner alone (like an SSH key)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SettingsError(f"Finner ikke nøkkelfilen {path} (client_key_file).") from None
    except OSError as exc:
        raise SettingsError(f"Kan ikke lese nøkkelfilen {path} ({exc.strerror or type(exc).__name__}).") from None
    if mode & 0o077:
        raise SettingsError(
            f"Nøkkelfilen {path} kan leses av andre enn eieren. Gjør den privat: chmod 600 {path}"
        )


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_production_urls(settings: Settings) -> None:
    """In production the service and the sign-in are reached over https:// only: a plain
    http:// address would carry tokens and patients' data in the clear (SettingsError).
    This machine's own loopback address is the exception (a local TLS proxy, the sandbox):
    nothing sent there leaves the machine."""
    if not settings.production:
        return
    for name in ("api_url", "authority_url", "epj_return_url"):
        url = getattr(settings, name).strip()
        host = (urlsplit(url).hostname or "") if url else ""
        if url and not url.lower().startswith("https://") and host not in _LOOPBACK:
            raise SettingsError(
                f"I produksjon må {name} begynne med https:// (ikke {url.split('://')[0]}://): "
                "ellers går innlogging og pasientdata ukryptert over nettet."
            )


@dataclass(frozen=True, init=False)
class Settings:
    """Everything the app needs to know about its surroundings."""

    api_url: str = "http://127.0.0.1:8765/api/v1"
    # HelseID-style sign-in: the authority (HelseID, or the sandbox itself when empty), this
    # client's id there and its private key (a JWK or PEM file readable by the owner alone).
    authority_url: str = ""
    client_id: str = ""
    client_key_file: Path = field(default_factory=default_key_file)
    # Production rejects synthetic fødselsnumre (month + 80); the sandbox and tests use only them.
    production: bool = False
    office_her_id: str = ""
    user: str = ""  # who is at the desk (recorded with collections and prints)
    # tcp://host:9100, cups://queue, file://dir or terminal: (the printer at the thin client);
    # the user's printer where no entry of workstation_printers matches the session. Empty:
    # a file printer into the folder `etiketter` of data_dir (made 0700), never the current one.
    printer_url: str = ""
    label_width_mm: float = 50.0
    label_height_mm: float = 25.0
    label_dpi: int = 203
    data_dir: Path = field(default_factory=default_data_dir)
    request_timeout_s: float = 10.0
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> key
    # workstation -> printer URL: an IP address or network (the SSH client's), or a name
    # (IHR_WORKSTATION, or the host name); see printing.workstation
    workstation_printers: dict[str, str] = field(default_factory=dict)
    # Where the saved and sent order goes back to the journal (EPJ) as a FHIR transaction
    # Bundle (`client.epj`): a folder the journal reads, and/or its FHIR endpoint (signed
    # in as to IHR). Empty: not handed back.
    epj_return_dir: str = ""
    epj_return_url: str = ""

    def __init__(self, **overrides: Any) -> None:
        unknown = sorted(set(overrides) - _KINDS.keys())
        if unknown:
            raise TypeError(f"Settings() got unexpected keyword arguments: {', '.join(unknown)}")
        found, tables = _read_file(site_config_file())  # the site's, then the user's on top
        user_found, user_tables = _read_file(default_config_file())
        found.update(user_found)
        for name, entries in user_tables.items():
            tables[name].update(entries)
        env, env_keys = _read_env(os.environ)
        found.update(env)
        tables["keymap"].update(env_keys)
        values: dict[str, Any] = {}
        for name, entries in tables.items():  # merged entry by entry; keyword arguments last
            values[name] = {key: _convert("str", raw) for key, raw in entries.items()}
            values[name].update(overrides.get(name) or {})
        for f in fields(self):
            if f.name in _TABLES:
                continue
            if f.name in overrides:  # trusted, but a str is as good as a Path here
                value = overrides[f.name]
                values[f.name] = Path(value) if f.type == "Path" and isinstance(value, (str, os.PathLike)) else value
            elif f.name in found:
                values[f.name] = _convert(_KINDS[f.name], found[f.name])
            elif f.default is not MISSING:
                values[f.name] = f.default
            elif f.default_factory is not MISSING:
                values[f.name] = f.default_factory()
        origins = {name: raw.where for name, raw in found.items()}
        origins.update(dict.fromkeys(overrides, ""))
        if not values["printer_url"]:
            values["printer_url"] = default_printer_url(values["data_dir"])
            origins["printer_url"] = "standard"
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_origins", origins)
        if self.client_key_file.exists():
            check_key_file(self.client_key_file)
        check_production_urls(self)

    def require_sign_in(self) -> None:
        """SettingsError (Norwegian) unless a client id is set and its key file is private."""
        if not self.client_id:
            raise SettingsError("Klient-id mangler i innstillingene (client_id).")
        check_key_file(self.client_key_file)

    def origin(self, name: str) -> str | None:
        """Where a setting's value came from, in Norwegian, for a message that names it:
        "IHR_PRINTER_URL", "printer_url i /home/kari/.config/ihr/config.toml"; "standard" for
        the default; None when the program gave it (a keyword argument: the caller knows)."""
        where = getattr(self, "_origins", {}).get(name, "standard")
        if not where or where == "standard":
            return where or None
        return where.removeprefix("i ").removeprefix("for ")

    @property
    def authority(self) -> str:
        """The authority's URL: `authority_url`, or the API's own origin (the sandbox)."""
        if self.authority_url:
            return self.authority_url.rstrip("/")
        scheme, _, rest = self.api_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def db_path(self) -> Path:
        """The one local SQLite file: drafts, outbox, catalog cache, print journal."""
        return self.data_dir / "ihr.sqlite3"

    def copy_with(self, **changes: Any) -> Settings:
        """A copy with some fields replaced; reads neither the environment nor the file."""
        unknown = sorted(set(changes) - _KINDS.keys())
        if unknown:
            raise TypeError(f"copy_with() got unknown fields: {', '.join(unknown)}")
        copy = object.__new__(type(self))
        for f in fields(self):
            object.__setattr__(copy, f.name, changes.get(f.name, getattr(self, f.name)))
        object.__setattr__(copy, "_origins", {**getattr(self, "_origins", {}), **dict.fromkeys(changes, "")})
        check_production_urls(copy)
        return copy


# --- reading and converting ------------------------------------------------------------------

_KINDS = {f.name: str(f.type) for f in fields(Settings)}  # "str", "bool", "int", "float", "Path", ...
# The fields that are TOML tables, merged entry by entry: (hint for the table, for an entry).
_TABLES = {
    "keymap": ('forventet en tabell [keymap] med linjer som groups = "f12"',
               'forventet en tast i anførselstegn, som "f12"'),
    "workstation_printers": (
        'forventet en tabell [workstation_printers] med linjer som "10.0.4.21" = "terminal:"',
        'forventet en skriveradresse i anførselstegn, som "terminal:" eller "tcp://10.0.4.50:9100"',
    ),
}
_KNOWN_KINDS = {"str", "bool", "int", "float", "Path", "dict[str, str]"}
assert set(_KINDS.values()) <= _KNOWN_KINDS, "a Settings field of a type _convert does not know"

_TRUE = {"true", "1", "yes", "on", "ja", "t", "y"}
_FALSE = {"false", "0", "no", "off", "nei", "f", "n"}

_EXPECTED = {
    "str": "forventet tekst i anførselstegn",
    "Path": "forventet en mappe eller fil, som tekst i anførselstegn",
    "bool": "forventet ja eller nei (true/false, yes/no, on/off, 1/0)",
    "int": "forventet et heltall",
    "float": "forventet et tall, med punktum som desimaltegn (f.eks. 50 eller 50.5)",
}


class _Raw:
    """A value as found, with where it was found (for the message if it does not convert)."""

    __slots__ = ("value", "where")

    def __init__(self, value: Any, where: str) -> None:
        self.value = value
        self.where = where


def _invalid(where: str, expected: str) -> SettingsError:
    return SettingsError(f"Ugyldig verdi {where}: {expected}.")


def _convert(kind: str, raw: _Raw) -> Any:
    """Text (from the environment or a TOML string) or a TOML value, as the field's type."""
    value = raw.value
    try:
        if isinstance(value, str):
            text = value.strip()
            if kind in ("str", "Path"):
                return value if kind == "str" else Path(value)
            if kind == "bool" and text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            if kind == "int":
                return int(text)
            if kind == "float":
                return float(text)
        elif isinstance(value, bool):
            if kind == "bool":
                return value
        elif isinstance(value, int) and kind in ("int", "float"):
            return value if kind == "int" else float(value)
        elif isinstance(value, float) and kind == "float":
            return value
    except ValueError:
        pass  # not from the exception: its text holds the value
    raise _invalid(raw.where, _EXPECTED[kind])


def _read_env(environ: Mapping[str, str]) -> tuple[dict[str, _Raw], dict[str, _Raw]]:
    """The `IHR_` variables, as (field -> raw, keymap binding id -> raw); names in any case."""
    values: dict[str, _Raw] = {}
    keymap: dict[str, _Raw] = {}
    nested: dict[str, _Raw] = {}
    for name, value in environ.items():
        if not name.upper().startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX):].lower()
        where = f"i {name}"
        if key == "keymap":  # the whole keymap as a JSON object, as pydantic-settings took it
            keymap.update(_keymap_from_json(value, name))
        elif key.startswith(_KEYMAP_PREFIX) and len(key) > len(_KEYMAP_PREFIX):
            nested[key[len(_KEYMAP_PREFIX):]] = _Raw(value, where)
        elif key in _KINDS:
            values[key] = _Raw(value, where)
    keymap.update(nested)  # IHR_KEYMAP__groups beats "groups" in IHR_KEYMAP
    return values, keymap


def _keymap_from_json(text: str, name: str) -> dict[str, _Raw]:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise _invalid(
            f"i {name}", 'forventet et JSON-objekt som {"groups": "f12"} (eller bruk IHR_KEYMAP__<id>=<tast>)'
        )
    return {key: _Raw(value, f"i {name}") for key, value in data.items()}


def _read_file(path: Path) -> tuple[dict[str, _Raw], dict[str, dict[str, _Raw]]]:
    """The TOML file, as (field -> raw, table field -> entry -> raw); empty without a file."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return {}, {name: {} for name in _TABLES}
    except OSError as exc:
        raise SettingsError(f"Kan ikke lese innstillingsfilen {path} ({exc.strerror or type(exc).__name__}).") from None
    import tomllib

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"Innstillingsfilen {path} er ikke gyldig UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Innstillingsfilen {path} er ikke gyldig TOML{_position(exc)}.") from None

    values: dict[str, _Raw] = {}
    tables: dict[str, dict[str, _Raw]] = {name: {} for name in _TABLES}
    for key, value in doc.items():
        name = key.lower()
        if name in _TABLES:
            table_hint, entry_hint = _TABLES[name]
            if not isinstance(value, dict):
                raise _invalid(f"for {name} i {path}", table_hint)
            for entry, text in value.items():
                where = f"for {name}.{entry} i {path}"
                if not isinstance(text, str):
                    raise _invalid(where, entry_hint)
                tables[name][entry] = _Raw(text, where)
        elif name in _KINDS:
            values[name] = _Raw(value, f"for {key} i {path}")
    return values, tables


def _position(exc: Exception) -> str:
    """Where tomllib stopped, in Norwegian; its message is English (and names no value)."""
    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    if found:
        return f" (linje {found[1]}, kolonne {found[2]})"
    return " (ved slutten av filen)" if "end of document" in str(exc) else ""
