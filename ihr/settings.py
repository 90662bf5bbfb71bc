"""Settings: `IHR_` environment variables and a TOML file in the user config dir.

`ihr demo` needs none of this: it starts the sandbox and a file printer itself.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "ihr"


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class Settings(BaseSettings):
    """Everything the app needs to know about its surroundings."""

    model_config = SettingsConfigDict(
        env_prefix="IHR_",
        env_nested_delimiter="__",
        extra="ignore",
        toml_file=None,
    )

    api_url: str = "http://127.0.0.1:8765/api/v1"
    api_token: str = ""
    # Production rejects synthetic fødselsnumre (month + 80); the sandbox and tests use only them.
    production: bool = False
    office_her_id: str = ""
    user: str = Field(default="", description="Who is at the desk (recorded with collections and prints)")
    printer_url: str = "file://./etiketter"  # tcp://host:9100, cups://queue or file://dir
    label_width_mm: float = 50.0
    label_height_mm: float = 25.0
    label_dpi: int = 203
    data_dir: Path = Field(default_factory=default_data_dir)
    request_timeout_s: float = 10.0
    keymap: dict[str, str] = Field(default_factory=dict)  # binding id -> key

    @property
    def db_path(self) -> Path:
        """The one local SQLite file: drafts, outbox, catalog cache, print journal."""
        return self.data_dir / "ihr.sqlite3"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = default_config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path.exists():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)
