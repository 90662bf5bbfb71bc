"""`print_labels`: the one call the TUI makes to print labels.

It checks the printer's status (where the transport can), sends one job holding every
label, and records the job in the print journal: `pending` first, then `ok` or `failed`
with the Norwegian error. It never raises a `PrinterError`: the result says what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from printing.errors import PrinterError
from printing.journal import PrintJournal, Reason
from printing.labels import LabelData
from printing.layout import LabelSize, Layout, layout_label
from printing.transports import Printer
from printing.zpl import job_zpl


@dataclass(frozen=True, slots=True)
class PrintResult:
    ok: bool
    job_id: int  # the journal's id
    message: str  # Norwegian, for the status line
    specimen_ids: tuple[str, ...]
    copies: int
    reference: str | None = None  # file name, CUPS job id or printer address
    error: PrinterError | None = None


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
    """Print `labels` (each `copies` times) on `printer` and journal the job.

    `LabelData` items are laid out for `size` (default 50 x 25 mm, 203 dpi); `Layout`
    items are printed as they are. A reprint needs a `reason_text`.
    Raises ValueError for bad arguments (no labels, copies out of range, reprint without a
    reason); printer trouble comes back as `PrintResult(ok=False, ...)`.
    """
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
    ids = tuple(layout.specimen_id for layout in layouts)
    job_id = journal.start(
        ids, copies=copies, reason=reason, reason_text=(reason_text or "").strip() or None,
        printer_url=printer.url, user=user,
    )
    try:
        printer.check_ready()
        reference = printer.send(data)
    except PrinterError as exc:
        journal.finish(job_id, ok=False, error=exc.message)
        return PrintResult(False, job_id, exc.message, ids, copies, None, exc)
    except Exception as exc:  # noqa: BLE001 - never leave a job pending on a surprise
        message = "Utskriften feilet av en ukjent årsak"
        journal.finish(job_id, ok=False, error=message)
        return PrintResult(False, job_id, message, ids, copies, None, PrinterError(message))
    journal.finish(job_id, ok=True)
    count = len(layouts) * copies
    message = f"{count} etikett{'er' if count != 1 else ''} skrevet ut"
    return PrintResult(True, job_id, message, ids, copies, reference, None)
