"""What every main screen has: the patient banner on top, a status line and the footer."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen

from tui.widgets.banner import PatientBanner
from tui.widgets.keybar import KeyBar
from tui.widgets.status import StatusLine


class MainScreen(Screen[None]):
    """Banner, `compose_body()`, status line, footer."""

    def compose(self) -> ComposeResult:
        yield PatientBanner(id="banner")
        yield from self.compose_body()
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def compose_body(self) -> ComposeResult:
        return iter(())

    @property
    def ihr(self) -> Any:
        """The app, typed loosely (avoids an import cycle with tui.app)."""
        return self.app

    _status: tuple[str, str] | None = None

    def set_status(self, text: str, severity: str = "information") -> None:
        """Show what happened; kept until the screen is composed if it is not yet."""
        self._status = (text, severity)
        lines = self.query(StatusLine)
        if lines:
            lines.first().set_status(text, severity)

    def on_mount(self) -> None:
        if self._status is not None:
            self.query_one(StatusLine).set_status(*self._status)

    def refresh_state(self) -> None:
        """Show the app's current state; screens override."""

    def on_screen_resume(self) -> None:
        self.refresh_state()
