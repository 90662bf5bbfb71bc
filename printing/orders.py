"""From a saved order to labels and to the printer: what the app calls to print an order.

`labels_for_order` builds one `LabelData` per specimen, in order of draw;
`send_to_printer` prints them and journals the job (blocking: the app runs it in a thread);
`print_again` prints chosen labels of an order again (or a new tube's label for the first
time); `preview_text` shows a label as the printer will get it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ihr.models import Catalog, Order


def labels_for_order(order: Order, catalog: Catalog, collected_at: datetime | None = None) -> list[Any]:
    from printing.labels import label_for

    labels = []
    for spec in sorted(order.specimens, key=lambda s: (s.order_of_draw, s.id)):
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
                collected_at=spec.collected_at or collected_at,
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
    """Printing did not succeed; `.message` is Norwegian (from `printing`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def send_to_printer(
    labels: list[Any],
    printer_url: str,
    journal_path: Path,
    settings: Any,
    user: str | None,
    *,
    copies: int = 1,
    reason_text: str | None = None,
) -> tuple[str, Any]:
    """Print and journal; returns (where, PrintResult) or raises `PrintFailed`.

    With a `reason_text` the job is a reprint and the journal records why.
    """
    from printing.journal import PrintJournal
    from printing.service import print_labels
    from printing.transports import open_printer

    try:
        printer = open_printer(printer_url)
    except Exception as exc:  # BadPrinterUrl has a Norwegian message
        raise PrintFailed(getattr(exc, "message", str(exc))) from None
    journal = PrintJournal(journal_path)
    try:
        result = print_labels(
            labels,
            printer,
            journal,
            copies=copies,
            reason="reprint" if reason_text else "first",
            reason_text=reason_text,
            user=user or "ukjent",
            size=label_size(settings),
        )
    finally:
        journal.close()
    if not result.ok:
        raise PrintFailed(result.message)
    return (result.reference or printer.url, result)


NONE_SELECTED = "Velg minst én etikett."


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
) -> Any:
    """Print the chosen labels of `order` again (`reason` None: a first print of a new tube).

    Blocking; returns the `PrintResult` or raises `PrintFailed`.
    """
    wanted = set(specimen_ids)
    labels = [lb for lb in labels_for_order(order, catalog) if lb.specimen_id in wanted]
    if not labels:
        raise PrintFailed(NONE_SELECTED)
    _, result = send_to_printer(
        labels, printer_url, journal_path, settings, user, copies=copies, reason_text=reason
    )
    return result
