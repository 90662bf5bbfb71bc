"""Fixtures for the TUI tests: the sandbox on a real loopback port, a file printer, a fixed clock.

Every test gets its own sandbox (fresh SQLite file) so ids and histories are deterministic,
its own data dir (outbox, catalog cache, print journal) and a label spool in tmp_path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ihr.settings import Settings
from sandbox import server
from sandbox.seed import people
from tests.helseid import settings_for

DEMO_PATIENT_ID: str = people.DEMO_PATIENT_ID
DEMO_REQUESTER_HPR: str = people.DEMO_REQUESTER_HPR
DEMO_OFFICE_HER_ID: str = people.DEMO_OFFICE_HER_ID

OSLO = timezone(timedelta(hours=1))
FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=OSLO)


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor anywhere (our inputs never blink; this covers Textual's own)."""
    from textual.widgets import Input

    original = Input._on_mount

    def on_mount(self: Input, event: Any) -> None:
        original(self, event)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "_on_mount", on_mount)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    with server.EmbeddedSandbox(
        db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=0.2, clock=lambda: FIXED_NOW.astimezone(UTC)
    ) as sb:
        yield sb


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    return tmp_path / "etiketter"


def make_settings(sandbox: Any, tmp_path: Path, spool: Path) -> Settings:
    """Settings of a client registered with `sandbox` for the demo office (its key in tmp_path)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    return settings_for(
        sandbox,
        tmp_path,
        user="Test Sekretær",
        printer_url=f"file://{spool}",
        data_dir=tmp_path / "data",
        request_timeout_s=5.0,
    )


@pytest.fixture
def settings(sandbox: Any, tmp_path: Path, spool: Path) -> Settings:
    return make_settings(sandbox, tmp_path, spool)


def make_client(settings: Settings, url: str | None = None) -> Any:
    """A client signed in as the settings' client for the demo requester (`url`: another sandbox)."""
    from client.api import IhrClient
    from client.auth import HelseIdAuth
    from client.cache import CatalogCache
    from client.signin import Credentials, Session

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if url is not None:
        settings = settings.copy_with(api_url=url)
    return IhrClient(
        settings.api_url,
        HelseIdAuth(Session(Credentials.from_settings(settings, hpr=DEMO_REQUESTER_HPR))),
        cache=CatalogCache(settings.db_path),
        timeout=settings.request_timeout_s,
        max_retries=0,
        backoff_s=0.01,
    )


@pytest.fixture
def app_factory(settings: Settings) -> Callable[..., Any]:
    """`app_factory(context=True)`: the app with the demo context (or none) and a fixed clock."""
    from tui.app import make_app
    from tui.context import LaunchContext

    def build(context: bool = True, patient: str | None = None, **kwargs: Any) -> Any:
        ctx = (
            LaunchContext(patient or DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
            if context
            else LaunchContext(None, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
        )
        return make_app(settings, make_client(settings), context=ctx, clock=fixed_clock, owns_client=True, **kwargs)

    return build
