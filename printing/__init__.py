"""Labels on Zebra printers: layout -> ZPL, transports (tcp 9100, CUPS, file, the session's
terminal), ~HS status, print journal, print queue, the printer of a workstation. Imports
`ihr` only; never Textual or httpx.

    data = label_for(specimen, patient, requester, lab, container, short_names)
    layout = layout_label(data, LabelSize(50, 25, 203))
    to_zpl(layout, copies=1)    # what the printer gets
    to_text(layout)             # the same label as a terminal preview
    result = print_labels([data], open_printer(url), PrintJournal(db_path), user=..., ...)
    queue = PrintQueue(PrintJournal(db_path))      # patient labels: a job that fails stays
    result = queue.submit([data], open_printer(url, terminal=link), user=..., size=...)
    printer_for_session(settings.printer_url, settings.workstation_printers, os.environ, host)
"""

from printing.errors import PrinterError
from printing.journal import JournalEntry, PrintJournal
from printing.labels import LabelData, label_for, name_variants
from printing.layout import LabelSize, Layout, layout_label
from printing.preview import to_text
from printing.queue import PrintQueue, QueuedJob, UnknownJob
from printing.service import PrintResult, print_labels
from printing.status import HostStatus, parse_host_status
from printing.terminal import PrinterState, TerminalLink, TerminalPrinter, TtyLink
from printing.transports import CupsPrinter, FilePrinter, Printer, TcpPrinter, open_printer
from printing.workstation import PrinterChoice, describe_printer, printer_for_session
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
    "PrintQueue",
    "PrintResult",
    "Printer",
    "PrinterChoice",
    "PrinterError",
    "PrinterState",
    "QueuedJob",
    "TcpPrinter",
    "TerminalLink",
    "TerminalPrinter",
    "TtyLink",
    "UnknownJob",
    "describe_printer",
    "escape_field",
    "job_zpl",
    "label_for",
    "layout_label",
    "name_variants",
    "open_printer",
    "parse_host_status",
    "print_labels",
    "printer_for_session",
    "to_text",
    "to_zpl",
]
