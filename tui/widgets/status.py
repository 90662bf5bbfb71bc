"""One line that says what just happened (or failed), coloured by severity."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text; }
    StatusLine.-warning { background: $warning 40%; }
    StatusLine.-error { background: $error 60%; color: $text; text-style: bold; }
    """

    _shown: tuple[str, str] | None = None

    def set_status(self, text: str, severity: str = "information") -> None:
        if (text, severity) == self._shown:
            return  # the same message again writes no bytes
        self._shown = (text, severity)
        self.set_class(severity == "warning", "-warning")
        self.set_class(severity == "error", "-error")
        self.update(text)
