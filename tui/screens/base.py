"""What every main screen has: the patient banner on top, a status line and the footer;
and `UsesApp`, the typed way for screens and dialogs to reach the app and its session."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen

from tui.widgets.banner import PatientBanner
from tui.widgets.keybar import KeyBar
from tui.widgets.status import StatusLine

if TYPE_CHECKING:  # typing only: tui.app imports the screens when they are first shown
    from tui.app import IhrApp
    from tui.session import OrderSession


class UsesApp:
    """Mixed into screens and dialogs: `self.ihr` is the app, typed; `self.session` its session."""

    @property
    def ihr(self) -> IhrApp:
        return cast("IhrApp", self.app)  # type: ignore[attr-defined]

    @property
    def session(self) -> OrderSession:
        return self.ihr.session


class MainScreen(UsesApp, Screen[None]):
    """Banner, `compose_body()`, status line, footer."""

    def compose(self) -> ComposeResult:
        yield PatientBanner(id="banner")
        yield from self.compose_body()
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def compose_body(self) -> ComposeResult:
        return iter(())

    status_shown: tuple[str, str] | None = None

    def set_status(self, text: str, severity: str = "information") -> None:
        """Show what happened; kept until the screen is composed if it is not yet."""
        self.status_shown = (text, severity)
        lines = self.query(StatusLine)
        if lines:
            lines.first().set_status(text, severity)

    def on_mount(self) -> None:
        if self.status_shown is not None:
            self.query_one(StatusLine).set_status(*self.status_shown)

    def refresh_state(self) -> None:
        """Show the session as it is now; screens override."""

    def reset(self) -> None:
        """A new order was started: forget what was shown of the old one; screens override."""

    def patient_changed(self, first: bool) -> None:
        """Another patient is open (`first`: none was before, as at start-up): forget what was
        typed for the one before; screens override."""

    def on_screen_resume(self) -> None:
        self.refresh_state()
