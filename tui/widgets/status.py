"""One line that says what just happened (or failed), coloured by severity."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text; }
    StatusLine.-warning { background: $warning 40%; }
    StatusLine.-error { background: $error 60%; color: $text; text-style: bold; }
    """

    def set_status(self, text: str, severity: str = "information") -> None:
        self.set_class(severity == "warning", "-warning")
        self.set_class(severity == "error", "-error")
        self.update(text)
