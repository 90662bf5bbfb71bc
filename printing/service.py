"""`print_labels`: print labels once and journal the job; the print queue builds on it.

It checks the printer's status (where the transport can), sends one job holding every
label, and records the job in the print journal: `pending` first, then `ok`, `failed` with
the Norwegian error, or `unconfirmed` (sent, but nothing confirmed it reached a printer).
It never raises a `PrinterError`: the result says what happened. The TUI prints patient
labels through `printing.queue.PrintQueue.submit`, which keeps a job that did not print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from printing.errors import DeliveryUnconfirmed, PrinterError
from printing.journal import PrintJournal, Reason
from printing.labels import LabelData
from printing.layout import LabelSize, Layout, layout_label
from printing.transports import Printer
from printing.zpl import job_zpl

Delivery = Literal["ok", "failed", "unconfirmed"]


@dataclass(frozen=True, slots=True)
class PrintResult:
    outcome: Delivery  # ok: printed (confirmed); unconfirmed: sent, not confirmed; failed
    job_id: int  # the journal's id
    message: str  # Norwegian, for the status line
    specimen_ids: tuple[str, ...]
    copies: int
    reference: str | None = None  # file name, CUPS job id or printer address
    error: PrinterError | None = None
    printer_url: str = ""
    queue_id: int | None = None  # the print queue's job, when printed through the queue
    reason: Reason = "first"  # a reprint is reported to the service's access log as one

    @property
    def ok(self) -> bool:
        """Printed, and confirmed. An unconfirmed job is not ok."""
        return self.outcome == "ok"


@dataclass(frozen=True, slots=True)
class Job:
    """One print job ready to send: the ZPL and what the journal records about it."""

    data: bytes
    specimen_ids: tuple[str, ...]
    copies: int
    reason: Reason
    reason_text: str | None
    label_count: int


def prepare_job(
    labels: Sequence[LabelData | Layout],
    *,
    copies: int = 1,
    reason: Reason = "first",
    reason_text: str | None = None,
    size: LabelSize | None = None,
) -> Job:
    """Check the arguments and lay out the labels. ValueError (Norwegian) when they are bad."""
    if not labels:
        raise ValueError("Ingen etiketter å skrive ut")
    if reason not in ("first", "reprint"):
        raise ValueError("Ukjent grunn for utskrift")
    if reason == "reprint" and not (reason_text or "").strip():
        raise ValueError("Oppgi hvorfor etikettene skrives ut på nytt")
    layouts = [
        label if isinstance(label, Layout) else layout_label(label, size or LabelSize())
        for label in labels
    ]
    data = job_zpl(layouts, copies).encode("utf-8")  # ValueError for bad copies
    return Job(data, tuple(layout.specimen_id for layout in layouts), copies, reason,
               (reason_text or "").strip() or None, len(layouts))


def send_job(
    job: Job, printer: Printer, journal: PrintJournal, *, user: str, queue_id: int | None = None
) -> PrintResult:
    """One attempt to print `job` on `printer`, journaled from `pending` to its outcome."""
    job_id = journal.start(
        job.specimen_ids, copies=job.copies, reason=job.reason, reason_text=job.reason_text,
        printer_url=printer.url, user=user, queue_id=queue_id,
    )

    def result(outcome: Delivery, message: str, reference: str | None = None,
               error: PrinterError | None = None) -> PrintResult:
        return PrintResult(outcome, job_id, message, job.specimen_ids, job.copies, reference,
                           error, printer.url, queue_id, job.reason)

    try:
        printer.check_ready()
        reference = printer.send(job.data)
    except DeliveryUnconfirmed as exc:
        journal.finish(job_id, ok=False, error=exc.message, unconfirmed=True)
        return result("unconfirmed", exc.message, exc.reference, exc)
    except PrinterError as exc:
        journal.finish(job_id, ok=False, error=exc.message)
        return result("failed", exc.message, None, exc)
    except Exception:  # noqa: BLE001 - never leave a job pending on a surprise
        message = "Utskriften feilet av en ukjent årsak"
        journal.finish(job_id, ok=False, error=message)
        return result("failed", message, None, PrinterError(message))
    journal.finish(job_id, ok=True)
    count = job.label_count * job.copies
    return result("ok", f"{count} etikett{'er' if count != 1 else ''} skrevet ut", reference)


def print_labels(
    labels: Sequence[LabelData | Layout],
    printer: Printer,
    journal: PrintJournal,
    *,
    copies: int = 1,
    reason: Reason = "first",
    reason_text: str | None = None,
    user: str,
    size: LabelSize | None = None,
) -> PrintResult:
    """Print `labels` (each `copies` times) on `printer` and journal the job (no queue).

    `LabelData` items are laid out for `size` (default 50 x 25 mm, 203 dpi); `Layout`
    items are printed as they are. A reprint needs a `reason_text`.
    Raises ValueError for bad arguments (no labels, copies out of range, reprint without a
    reason); printer trouble comes back as a `PrintResult` that is not `ok`.
    """
    job = prepare_job(labels, copies=copies, reason=reason, reason_text=reason_text, size=size)
    return send_job(job, printer, journal, user=user)
