"""`ihr printer test|status [--url URL]`: the printer commands of the `ihr` entry point.

`tui/cli.py` hands `argv` (the words after `ihr printer`) to `printer_command`, which
returns the exit code: 0 ok, 1 the printer is not ready or printing failed, 2 usage error
(or settings that cannot be read), 3 the test label was sent but not confirmed (`terminal:`
when the terminal does not answer).

Without `--url` the printer is the session's (`printing.workstation.printer_for_session`:
the workstation's entry in `[workstation_printers]`, else `printer_url`). `terminal:` prints
through the terminal the command runs in (`printing.terminal.TtyLink`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from typing import TextIO

from ihr.argparse_no import NorwegianParser
from printing.errors import DeliveryUnconfirmed, PrinterError
from printing.labels import LabelData
from printing.layout import LabelSize, layout_label
from printing.preview import to_text
from printing.terminal import PrinterState, TerminalPrinter, TtyLink
from printing.transports import CupsPrinter, FilePrinter, open_printer
from printing.workstation import printer_for_session
from printing.zpl import to_zpl


def test_label() -> LabelData:
    """A label that cannot be mistaken for a patient's: no person, an all-zero id."""
    return LabelData(
        specimen_id="0000000000",
        family_name="TESTETIKETT",
        given_name="Ikke prøve",
        person_id="00000000000",
        container_name="Testrør",
        cap_colour="ingen",
        material="Ingen prøve",
        min_volume_ml=0,
        handling=("romtemperatur",),
        requester_name="Skrivertest",
        requester_hpr="0",
        lab_short_name="Ingen",
        analyses=("ÆØÅ", "æøå", "é", "ü"),
    )


def _url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="skriveradresse: tcp://vert:9100, cups://kø, file://mappe "
                        "eller terminal: (standard: arbeidsstasjonens skriver, ellers printer_url)")


def _parser() -> argparse.ArgumentParser:
    parser = NorwegianParser(prog="ihr printer", description="Etikettskriveren: testutskrift og status.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{test,status}", title="kommandoer")
    test = sub.add_parser("test", help="skriv ut en testetikett",
                          description="Skriv ut en testetikett (ingen pasient) på skriveren.")
    _url_argument(test)
    test.add_argument("--dpi", type=int, choices=(203, 300), help="oppløsning (standard: innstillingen)")
    test.add_argument("--preview", action="store_true", help="vis etiketten her i stedet for å skrive ut")
    status = sub.add_parser("status", help="vis skriverens status",
                            description="Vis skriverens status (tcp:// og terminal: kan svare).")
    _url_argument(status)
    return parser


def _settings():
    from ihr.settings import Settings

    return Settings()


def printer_command(argv: list[str], out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    settings = None
    if args.url is None or getattr(args, "dpi", 0) is None:
        from ihr.settings import SettingsError

        try:
            settings = _settings()
        except SettingsError as exc:  # a bad IHR_ variable or config.toml: say which, no traceback
            print(exc, file=sys.stderr)
            return 2
    if args.url:
        url = args.url
    else:
        assert settings is not None  # read above whenever no --url was given
        choice = printer_for_session(settings.printer_url, settings.workstation_printers,
                                     os.environ, socket.gethostname(), settings.origin("printer_url"))
        url = choice.url
        print(f"Skriver: {url} (valgt ut fra {choice.why}).", file=out)
    with contextlib.ExitStack() as stack:
        try:
            link = stack.enter_context(TtyLink()) if url.lower().startswith("terminal:") else None
            printer = open_printer(url, terminal=link)
        except PrinterError as exc:
            print(exc.message, file=out)
            return 2
        if args.command == "status":
            return _status(printer, out)
        return _test(printer, args, settings, out)


def _status(printer, out: TextIO) -> int:
    if isinstance(printer, CupsPrinter):
        print(f"{printer.url}: en CUPS-kø kan ikke rapportere skriverens status. "
              "Bruk tcp://vert:9100 for å se status direkte fra skriveren.", file=out)
        return 0
    if isinstance(printer, FilePrinter):
        print(f"{printer.url}: filskriveren lagrer etikettene som .zpl-filer i "
              f"{printer.directory} og har ingen status å rapportere.", file=out)
        return 0
    if isinstance(printer, TerminalPrinter):
        state = printer.printer_state()
        print(state.text, file=out)
        return 0 if state in (PrinterState.READY, PrinterState.NO_ANSWER) else 1
    try:
        status = printer.status()
    except PrinterError as exc:
        print(f"{printer.url}: {exc.message}", file=out)
        return 1
    print(f"Status for {printer.url}:", file=out)
    for line in status.lines():
        print(f"  {line}", file=out)
    problem = status.problem()
    print(problem.message if problem else "Skriveren er klar.", file=out)
    return 1 if problem else 0


def _test(printer, args: argparse.Namespace, settings, out: TextIO) -> int:
    dpi = args.dpi or settings.label_dpi
    width = settings.label_width_mm if settings else 50.0
    height = settings.label_height_mm if settings else 25.0
    layout = layout_label(test_label(), LabelSize(width, height, dpi))
    if args.preview:
        print(to_text(layout), file=out)
        return 0
    try:
        printer.check_ready()
        reference = printer.send(to_zpl(layout).encode("utf-8"))
    except DeliveryUnconfirmed as exc:
        print(f"Testetikett sendt til {printer.url}, men ikke bekreftet: {exc.message}", file=out)
        return 3
    except PrinterError as exc:
        print(f"Testetiketten ble ikke skrevet ut: {exc.message}", file=out)
        return 1
    print(f"Testetikett sendt til {printer.url} ({reference}).", file=out)
    return 0


def main() -> None:  # pragma: no cover - `python -m printing.cli`
    raise SystemExit(printer_command(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
