"""Printer errors: one class per cause, each with a Norwegian `message` for the secretary.

Messages never contain patient data: they may be shown, logged and stored in the journal.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Printing did not succeed. `message` is Norwegian and safe to show and store."""

    message = "Utskriften feilet"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class PrinterUnreachable(PrinterError):
    message = "Fikk ikke kontakt med skriveren"


class PrinterNotResponding(PrinterError):
    """No (complete) answer to ~HS within the bound: not ready, never ok."""

    message = (
        "Skriveren svarer ikke. Den kan være tom for etiketter, ha åpent skrivehode "
        "eller være slått av"
    )


class PaperOut(PrinterError):
    message = "Skriveren er tom for etiketter"


class HeadOpen(PrinterError):
    message = "Skriverhodet er åpent"


class Paused(PrinterError):
    message = "Skriveren er satt på pause"


class RibbonOut(PrinterError):
    message = "Skriveren er tom for fargebånd"


class BufferFull(PrinterError):
    message = "Skriverens mottaksbuffer er full – vent litt og prøv igjen"


class SendFailed(PrinterError):
    message = "Etikettene kom ikke fram til skriveren"


class JobNotCompleted(PrinterError):
    message = "Skriveren skrev ikke ut i tide; utskriften er avbrutt"


class QueueError(PrinterError):
    message = "Utskriftskøen tok ikke imot jobben"


class StatusUnsupported(PrinterError):
    message = "Denne skrivertypen kan ikke rapportere status"


class BadPrinterUrl(PrinterError):
    message = (
        "Ukjent skriveradresse. Bruk tcp://vert:9100, cups://kø, file://mappe eller terminal:"
    )


class NoTerminalPrinter(PrinterError):
    """The terminal answered the printer status request: no printer is attached to it."""

    message = (
        "Det er ingen etikettskriver koblet til denne arbeidsstasjonen. Koble til skriveren, "
        "eller velg en annen skriver for jobben"
    )


class TerminalPrinterNotReady(PrinterError):
    """The terminal answered the printer status request: its printer is not ready."""

    message = (
        "Skriveren ved arbeidsstasjonen er ikke klar. Sjekk at den er slått på og har etiketter"
    )


class NoTerminal(PrinterError):
    message = "Skriveren terminal: kan bare brukes når ihr kjører i en terminal"


class DeliveryUnconfirmed(PrinterError):
    """The job was sent, but nothing confirmed that it reached a printer.

    Not a failure and not a print: the service records the outcome `unconfirmed`, and the
    job stays in the print queue until the secretary confirms it or sends it again.
    """

    message = (
        "Etikettene er sendt, men terminalen bekreftet ikke utskriften. Kontroller at "
        "etikettene kom ut, og bekreft eller skriv ut på nytt"
    )

    def __init__(self, message: str | None = None, *, reference: str | None = None) -> None:
        super().__init__(message)
        self.reference = reference
