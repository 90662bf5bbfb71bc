"""Labels on Zebra printers: layout -> ZPL, transports (tcp 9100, CUPS, file), ~HS status,
print journal. Imports `ihr` only; never Textual or httpx.

    data = label_for(specimen, patient, requester, lab, container, short_names)
    layout = layout_label(data, LabelSize(50, 25, 203))
    to_zpl(layout, copies=1)    # what the printer gets
    to_text(layout)             # the same label as a terminal preview
    result = print_labels([data], open_printer(url), PrintJournal(db_path), user=..., ...)
"""

from printing.errors import PrinterError
from printing.journal import JournalEntry, PrintJournal
from printing.labels import LabelData, label_for, name_variants
from printing.layout import LabelSize, Layout, layout_label
from printing.preview import to_text
from printing.service import PrintResult, print_labels
from printing.status import HostStatus, parse_host_status
from printing.transports import CupsPrinter, FilePrinter, Printer, TcpPrinter, open_printer
from printing.zpl import escape_field, job_zpl, to_zpl

__all__ = [
    "CupsPrinter",
    "FilePrinter",
    "HostStatus",
    "JournalEntry",
    "LabelData",
    "LabelSize",
    "Layout",
    "PrintJournal",
    "PrintResult",
    "Printer",
    "PrinterError",
    "TcpPrinter",
    "escape_field",
    "job_zpl",
    "label_for",
    "layout_label",
    "name_variants",
    "open_printer",
    "parse_host_status",
    "print_labels",
    "to_text",
    "to_zpl",
]
