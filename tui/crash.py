"""The last stop for an error nothing caught: a Norwegian message, a report, a clean exit.

Textual's own answer to an unhandled exception is to print a traceback with the local
variables of every frame, and a frame of the order workflow has `patient_id` among them.
`CrashGuard` prevents that, with Textual's public API only:

- `guard(app)` points the app's `error_console` (where Textual prints that traceback when
  it exits) at a buffer that is thrown away: the traceback never reaches the terminal;
- the app notes the exception (`IhrApp.bell`: Textual rings the bell first, while it
  handles the error) and exits with return code 1, as Textual does;
- `finish(app)` then writes a report to `<data dir>/krasjrapporter/` (0600) with the
  exception's type and frames only (`ihr.tracebacks.scrubbed_traceback`: no message, no
  local variable), prints the Norwegian message and gives the exit code.

`report_and_tell(exc)` does the same for an error raised outside the app's loop
(`tui.cli.main` calls it). No Textual import here: the command line loads this module
before it knows whether the app runs at all.
"""

from __future__ import annotations

import io
import platform  # here, not at start-up: the app may never need them
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from ihr.privatefiles import private_dir, private_file
from ihr.tracebacks import scrubbed_traceback
from tui import strings as S

REPORT_DIR = "krasjrapporter"


class NotesUnhandled:
    """Mixed into the app: the error that ended it, for `CrashGuard.finish` (which never
    shows its message or locals)."""

    unhandled: BaseException | None = None

    def bell(self) -> None:
        """Textual rings the bell first when it handles an error nothing caught, inside its
        `except`: the error is noted here."""
        error = sys.exc_info()[1]
        if error is not None:
            self.unhandled = error
        super().bell()  # type: ignore[misc]


class CrashGuard:
    """One app run's guard: `guard(app)` before `app.run()`, `finish(app)` after it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._thrown_away = io.StringIO()

    def guard(self, app: Any) -> None:
        app.error_console = Console(file=self._thrown_away, markup=False, highlight=False)

    def finish(self, app: Any) -> int:
        """The exit code; after a crash, the report written and the message printed."""
        self._thrown_away = io.StringIO()  # Textual's traceback, with its locals: gone
        if app.return_code != 1:  # Textual's code for an unhandled error; ours never use it
            return app.return_code or 0
        return report_and_tell(app.unhandled, self.data_dir)


def write_report(exc: BaseException | None, data_dir: Path, now: datetime | None = None) -> Path:
    """The report file (owner-only) for `exc`: when, which versions, the scrubbed traceback
    (None: the error was not seen, e.g. Textual rendered one of its own)."""
    from importlib.metadata import version  # start-up seam

    now = now or datetime.now(UTC)
    folder = private_dir(data_dir / REPORT_DIR)
    path = private_file(folder / f"krasj-{now:%Y%m%d-%H%M%S-%f}.txt")
    path.write_text(
        "IHR krasjrapport\n"
        f"tid (UTC): {now.isoformat(timespec='seconds')}\n"
        f"python {platform.python_version()}, textual {version('textual')}, {platform.system()}\n"
        "Uten feilmeldingens tekst og uten lokale variabler: de kan inneholde personopplysninger.\n\n"
        f"{scrubbed_traceback(exc) if exc is not None else 'Feilen selv ble ikke fanget opp.'}",
        encoding="utf-8",
    )
    return path


def report_and_tell(exc: BaseException | None, data_dir: Path) -> int:
    """Write the report, print the Norwegian message on stderr; the exit code (1)."""
    try:
        path = write_report(exc, data_dir)
    except OSError as err:
        print(S.crashed_no_report(err.strerror or type(err).__name__), file=sys.stderr)
    else:
        print(S.crashed(path), file=sys.stderr)
    return 1
