"""Choose the printer for one job: the lab's printer down the hall when hers is empty.

Lists the session's printer and the other printers the site's config names (its
`printer_url` and `[workstation_printers]`), or takes an address typed in. Dismisses with
the chosen printer URL, or None; the choice holds for this one job only.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from printing.errors import PrinterError
from printing.transports import open_printer
from printing.workstation import describe_printer as printer_name
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


class PrinterDialog(Dialog[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", S.KEY_CANCEL, id="printer_cancel", key_display="Esc"),
        Binding("enter", "pick", S.KEY_PICK, id="printer_pick", show=True),
    ]

    def __init__(self, current: str) -> None:
        super().__init__(classes="dialog")
        self.current = current

    def printers(self) -> list[tuple[str, str | None]]:
        """(url, where it is named) of every printer the site knows, this session's first."""
        settings = self.ihr.settings
        named = [(self.current, S.PRINTER_THIS_SESSION), (settings.printer_url, "printer_url")]
        named += [(url, key) for key, url in settings.workstation_printers.items()]
        first: dict[str, str] = {}
        for url, where in named:
            first.setdefault(url, where)
        return list(first.items())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = S.PRINTER_TITLE
            yield OptionList(
                *[Option(S.printer_option(printer_name(url), where), id=url) for url, where in self.printers()],
                id="printer-list", compact=True,
            )
            yield TextInput(placeholder=S.PRINTER_ADDRESS, id="printer-address", compact=True)
            yield Static(S.PRINTER_HINT, classes="dialog-hint")
            yield Static("", classes="dialog-error", id="printer-error")
        yield KeyBar()

    def on_mount(self) -> None:
        printers = self.query_one(OptionList)
        printers.highlighted = 0
        printers.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    @on(TextInput.Submitted, "#printer-address")
    def _typed(self, event: TextInput.Submitted) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        address = self.query_one("#printer-address", TextInput)
        if self.focused is not address:
            printers = self.query_one(OptionList)
            if printers.highlighted is not None:
                self.dismiss(printers.get_option_at_index(printers.highlighted).id)
            return
        url = address.value.strip()
        try:
            open_printer(url)  # only checks the address; nothing is sent
        except PrinterError as exc:
            self.query_one("#printer-error", Static).update(exc.message)
            return
        self.dismiss(url)

    def action_close(self) -> None:
        self.dismiss(None)
