"""From a saved order to labels and to the printer: what the app calls to print an order.

`labels_for_order` builds one `LabelData` per specimen, in order of draw; `preview_text`
shows a label as the printer will get it. Every print goes through the print queue
(`printing.queue`), so a job that did not print keeps its labels:

- `submit_labels` prints labels as a new job; `print_again` prints chosen labels of an order
  again (or a new tube's label for the first time);
- `printed_at` says when the journal printed an order's labels (the print guard);
- `waiting_jobs`, `queued_job`, `retry_job` (the same printer or another), `confirm_job` (the secretary
  saw an unconfirmed job's labels come out) and `drop_job` work on what is left.

Each returns a `PrintResult` whose `outcome` is `ok` (printed), `failed` (kept in the
queue, with the Norwegian reason) or `unconfirmed` (sent, kept in the queue until she
confirms it); only what cannot become a job at all raises `PrintFailed`. All block: the
app runs them in a thread, or, for the `terminal:` printer, with the app suspended and
`terminal` the link to its terminal (`printing.terminal`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ihr.models import Catalog, Order


def labels_for_order(order: Order, catalog: Catalog) -> list[Any]:
    """One label per specimen in order of draw, each numbered as every screen numbers it
    ("Rør 2/5", `ihr.rules.tubes.numbered`), with its own collection time from the service
    (a tube not yet taken gets a blank to write in)."""
    from ihr.rules.tubes import numbered
    from printing.labels import label_for

    labels = []
    tubes = numbered(order.specimens)
    for number, spec in tubes:
        names = []
        for code in spec.service_codes:
            try:
                names.append(catalog.service(code).short_name)
            except KeyError:
                names.append(code)
        labels.append(
            label_for(
                spec,
                order.patient,
                order.requester,
                catalog.lab(spec.lab_her_id),
                catalog.container(spec.container),
                names,
                tube=(number, len(tubes)),
            )
        )
    return labels


def label_size(settings: Any) -> Any:
    from printing.layout import LabelSize

    return LabelSize(width_mm=settings.label_width_mm, height_mm=settings.label_height_mm, dpi=settings.label_dpi)


def preview_text(label: Any, settings: Any, width: int = 40) -> str:
    from printing.layout import layout_label
    from printing.preview import to_text

    return to_text(layout_label(label, label_size(settings)), width=width)


class PrintFailed(Exception):
    """The job could not be made or found (bad printer address, bad copies, gone from the
    queue): nothing was sent. `.message` is Norwegian (from `printing`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@contextmanager
def _queue(journal_path: Path) -> Iterator[Any]:
    """The print queue in the local SQLite file, open for one call; errors as `PrintFailed`."""
    from printing.errors import PrinterError
    from printing.journal import PrintJournal
    from printing.queue import PrintQueue, UnknownJob

    with PrintJournal(journal_path) as journal:
        try:
            yield PrintQueue(journal)
        except (PrinterError, UnknownJob) as exc:  # BadPrinterUrl, a job no longer queued
            raise PrintFailed(exc.message) from None
        except ValueError as exc:  # prepare_job: no labels, copies out of range (Norwegian)
            raise PrintFailed(str(exc)) from None


def _printer(printer_url: str, terminal: Any) -> Any:
    from printing.transports import open_printer

    return open_printer(printer_url, terminal=terminal)


def submit_labels(
    labels: list[Any],
    printer_url: str,
    journal_path: Path,
    settings: Any,
    user: str | None,
    *,
    copies: int = 1,
    reason_text: str | None = None,
    terminal: Any = None,
) -> Any:
    """Queue `labels` as one job and print it on `printer_url`; returns the `PrintResult`.

    With a `reason_text` the job is a reprint and the journal records why.
    """
    with _queue(journal_path) as queue:
        return queue.submit(
            labels,
            _printer(printer_url, terminal),
            copies=copies,
            reason="reprint" if reason_text else "first",
            reason_text=reason_text,
            user=user or UNKNOWN_USER,
            size=label_size(settings),
        )


NONE_SELECTED = "Velg minst én etikett."
UNKNOWN_USER = "ukjent"


def print_again(
    order: Order,
    catalog: Catalog,
    specimen_ids: Sequence[str],
    *,
    copies: int,
    reason: str | None,
    printer_url: str,
    journal_path: Path,
    settings: Any,
    user: str | None,
    terminal: Any = None,
) -> Any:
    """Print the chosen labels of `order` again (`reason` None: a first print of a new tube).

    Returns the `PrintResult` (see the module docstring).
    """
    wanted = set(specimen_ids)
    labels = [lb for lb in labels_for_order(order, catalog) if lb.specimen_id in wanted]
    if not labels:
        raise PrintFailed(NONE_SELECTED)
    return submit_labels(labels, printer_url, journal_path, settings, user, copies=copies,
                         reason_text=reason, terminal=terminal)


def printed_at(order: Order, journal_path: Path) -> datetime | None:
    """When the print journal last printed labels of `order` (a new print is then a
    reprint, with a reason), or None. Survives a restart: the journal is in the local file."""
    from printing.journal import PrintJournal

    with PrintJournal(journal_path) as journal:
        entry = journal.last_printed([s.id for s in order.specimens])
    return None if entry is None else entry.finished_at or entry.created_at


def waiting_jobs(journal_path: Path) -> list[Any]:
    """The queue's jobs not known to be printed (`QueuedJob`: waiting or unconfirmed), oldest first."""
    with _queue(journal_path) as queue:
        return queue.waiting()


def queued_job(queue_id: int, journal_path: Path) -> Any:
    """A job of the queue as it is now (`QueuedJob`; its state may be done or dropped)."""
    with _queue(journal_path) as queue:
        return queue.job(queue_id)


def retry_job(queue_id: int, printer_url: str, journal_path: Path, user: str | None, *,
              terminal: Any = None) -> Any:
    """Send a queued job again, to its printer or another one; returns the `PrintResult`."""
    with _queue(journal_path) as queue:
        return queue.retry(queue_id, _printer(printer_url, terminal), user=user or UNKNOWN_USER)


def confirm_job(queue_id: int, journal_path: Path, user: str | None) -> Any:
    """The secretary saw the labels of an unconfirmed job come out: printed (`PrintResult`, ok)."""
    from printing.service import PrintResult

    with _queue(journal_path) as queue:
        job = queue.job(queue_id)
        queue.confirm(queue_id, user=user or UNKNOWN_USER)
    return PrintResult("ok", job.last_job_id or 0, CONFIRMED, job.specimen_ids, job.copies, None,
                       None, job.printer_url, job.id, job.reason)


CONFIRMED = "Skrevet ut (bekreftet av den som så etikettene komme ut)"


def drop_job(queue_id: int, journal_path: Path) -> None:
    """Take a job out of the queue without printing it."""
    with _queue(journal_path) as queue:
        queue.drop(queue_id)
