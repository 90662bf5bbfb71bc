"""`RoutesKeys`: the app's part that takes every key and paste from the terminal and routes
them in order (`tui.keys.KeysInOrder`), with the barcode scanner (`tui.scanner.Scanner`)
looking at each key first. Mixed into `tui.app.IhrApp`, which supplies what is declared here.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import Input

from tui import strings as S
from tui import workflow
from tui.keys import KeysInOrder
from tui.scanner import Scanner
from tui.session import Notice
from tui.widgets.inputs import PasteRefused, TextBox
from tui.work import run_job


class RoutesKeys(App[None]):
    keys: KeysInOrder
    scanner: Scanner
    client: Any

    def open_patient(self, text: str) -> bool:
        raise NotImplementedError  # IhrApp's

    def tell(self, notice: Notice | None) -> None:
        raise NotImplementedError  # IhrApp's

    def show_status(self, text: str, severity: str = "information") -> None:
        raise NotImplementedError  # IhrApp's

    async def on_event(self, event: Any) -> None:
        """Keys and pastes from the terminal go through `tui.keys.KeysInOrder`: each is routed
        once what the one before it changed is on the screen."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self.keys.put(event)
            return
        await super().on_event(event)

    async def _route_key(self, event: Any) -> None:
        """What Textual does with a key, after the scanner has looked at it (by the time the
        key came: a scan is fast digits and Enter, however long the routing took)."""
        if isinstance(event, events.Key) and not isinstance(self.screen, CommandPalette):
            scan = self.scanner.key(event.key, event.character, event.time)
            if scan is not None and not getattr(self.focused, "takes_scans", False):
                self._strip_scanned(scan.digits)
                handle = self.open_patient if scan.kind == "patient" else self._specimen_scanned
                self.call_later(handle, scan.digits)
                return  # the Enter is the scanner's, not the field's
        await super().on_event(event)

    def _strip_scanned(self, digits: str) -> None:
        """Take the scanned digits out of the field they landed in."""
        focused = self.focused
        if isinstance(focused, (Input, TextBox)):
            field = focused

            def strip() -> None:
                if field.value.endswith(digits):
                    field.value = field.value[: -len(digits)]

            self.call_later(strip)

    def _specimen_scanned(self, digits: str) -> None:
        """A specimen label: look up its order and open the reprint dialog for that label."""
        from ihr.rules.specimen_ids import is_valid_specimen_id  # start-up seam

        if not is_valid_specimen_id(digits):
            self.tell(Notice(S.SCAN_BAD, "error", alert=True))
            return
        self.show_status(S.SCAN_LOOKING)
        run_job(self, "scan", workflow.lookup_specimen(self.client, digits))

    @on(PasteRefused)
    def _paste_refused(self, event: PasteRefused) -> None:
        """A paste a field refused, where its screen has no place under the field for it."""
        self.tell(Notice(event.problem, "error", alert=True))
