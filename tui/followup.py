"""After the order: what the worklist, the order detail and their dialogs need besides widgets.

Plain functions (no widgets touched): the polling backoff, worklist rows, the "why was it
rejected" texts, readable KITH messages, reprinting through `printing`, the body that
corrects a rejected order, and the scanner's handler for a specimen label (`on_specimen_scanned`,
called by the app when ten digits arrive fast and end with Enter).

Nothing here logs a name or a fødselsnummer: log lines carry order ids at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text

from ihr.localtime import local
from ihr.models import (
    AppRecError,
    ItemInput,
    ItemStatus,
    KithMessage,
    Order,
    OrderInput,
    OrderStatus,
    OrderSummary,
    StatusEvent,
)
from tui import strings as S

REJECTED = {OrderStatus.REJECTED, OrderStatus.PARTLY_REJECTED}
STATUS_STYLE = {
    OrderStatus.REJECTED: "bold red",
    OrderStatus.PARTLY_REJECTED: "bold red",
    OrderStatus.CANCELLED: "dim",
    OrderStatus.RESULT_READY: "bold green",
    OrderStatus.ACCEPTED: "green",
}


# ---- polling ----------------------------------------------------------------------------
class Backoff:
    """Poll often while things change, less and less while nothing does.

    Starts at `start` seconds, doubles after every poll that changed nothing, up to `limit`;
    a change brings it back to `start`.
    """

    def __init__(self, start: float = 2.0, limit: float = 30.0) -> None:
        self.start = start
        self.limit = limit
        self.delay = start

    def reset(self) -> float:
        self.delay = self.start
        return self.delay

    def next(self, changed: bool) -> float:
        if changed:
            self.delay = self.start
        else:
            self.delay = min(self.limit, self.delay * 2)
        return self.delay


def hhmm(at: datetime) -> str:
    return local(at).strftime("%H:%M")


def day_time(at: datetime) -> str:
    return local(at).strftime("%d.%m.%y %H:%M")


# ---- worklist ---------------------------------------------------------------------------
def status_text(status: OrderStatus | str) -> Text:
    value = status.value if isinstance(status, OrderStatus) else str(status)
    style = STATUS_STYLE.get(OrderStatus(value), "") if value in OrderStatus._value2member_map_ else ""
    label = S.status_label(value)
    if value in (OrderStatus.REJECTED.value, OrderStatus.PARTLY_REJECTED.value):
        label = "! " + label
    return Text(label, style=style)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def worklist_cells(summary: OrderSummary, *, history: bool, services_width: int) -> tuple[Any, ...]:
    """The cells of one worklist row; a rejected order is highlighted in every cell."""
    rejected = summary.status in REJECTED
    style = "bold red" if rejected else ""
    when = local(summary.created_at).strftime("%d.%m.%y") if history else hhmm(summary.created_at)
    return (
        Text(when, style=style),
        Text(clip(summary.patient_name, 20), style=style),
        Text(clip(", ".join(summary.service_names), services_width), style=style),
        status_text(summary.status),
    )


def row_signature(summary: OrderSummary) -> tuple[Any, ...]:
    """What a worklist row shows (or may show): equal signatures need no repaint."""
    return (summary.status, summary.updated_at, summary.patient_name, tuple(summary.service_names), summary.created_at)


@dataclass(frozen=True)
class RowDiff:
    """How a fetched list differs from the shown one."""

    rebuild: bool  # the set or order of orders changed: rebuild the table
    changed: list[OrderSummary]  # same place, new content: update these rows only

    @property
    def nothing(self) -> bool:
        return not self.rebuild and not self.changed


def diff_rows(shown: Sequence[OrderSummary], fetched: Sequence[OrderSummary]) -> RowDiff:
    if [s.id for s in shown] != [s.id for s in fetched]:
        return RowDiff(True, list(fetched))
    changed = [new for old, new in zip(shown, fetched) if row_signature(old) != row_signature(new)]
    return RowDiff(False, changed)


# ---- order detail -------------------------------------------------------------------------
@dataclass(frozen=True)
class Rejection:
    requisition_number: str
    lab: str
    status: OrderStatus
    errors: list[AppRecError]


def rejections(order: Order, events: Iterable[StatusEvent], lab_name: Any = None) -> list[Rejection]:
    """Why the order (or parts of it) was rejected: the latest AppRec of each requisition
    that is rejected or partly rejected now, with its error codes and texts."""
    latest: dict[str, StatusEvent] = {}
    for ev in events:  # oldest first: the last AppRec of a requisition wins
        if ev.kind.value == "applikasjonskvittering" and ev.requisition_id:
            latest[ev.requisition_id] = ev
    out = []
    for req in order.requisitions:
        ev = latest.get(req.id)
        if ev is None or not ev.errors or req.status == OrderStatus.CANCELLED:
            continue
        if req.status in REJECTED or ev.status == OrderStatus.PARTLY_REJECTED:
            name = lab_name(req.lab_her_id) if lab_name else req.lab_her_id
            out.append(Rejection(req.number, name, ev.status, list(ev.errors)))
    return out


@dataclass(frozen=True)
class MessageView:
    heading: str
    lines: list[str]
    xml: str


def describe_message(msg: KithMessage, order: Order | None = None, lab_name: Any = None) -> MessageView:
    """A readable view of one KITH message: AppRecs parsed, requisitions summarised."""
    when = day_time(msg.at)
    direction = S.DIRECTION.get(msg.direction, msg.direction)
    head = f"{when}  {direction}  {msg.msg_type}"
    lines: list[str] = []
    try:
        if msg.msg_type == "APPREC":
            from ihr.kith import parse_apprec

            result = parse_apprec(msg.xml.encode("utf-8"))
            lines.append(S.apprec_summary(result.status_text, result.original_msg_type or msg.msg_type))
            for e in result.errors:
                lines.append("  " + S.apprec_error_line(e.code, e.text, e.details))
        else:
            from ihr.kith import parse_msghead

            info = parse_msghead(msg.xml.encode("utf-8"))
            items = 0
            lab = info.receiver_name or info.receiver_her
            if order is not None:
                req = next((r for r in order.requisitions if r.id == msg.requisition_id), None)
                if req is not None:
                    items = sum(1 for i in req.items if i.status != ItemStatus.CANCELLED)
            if lab_name is not None:
                lab = lab_name(info.receiver_her)
            lines.append(S.requisition_message_summary(msg.msg_type, info.requisition_number, lab, items))
    except Exception as exc:  # KithParseError has a Norwegian message
        lines.append(f"{S.MESSAGE_UNREADABLE}: {getattr(exc, 'args', [''])[0]}")
    return MessageView(head, lines, msg.xml)


def correction_input(
    order: Order,
    *,
    patient_id: str,
    requester_hpr: str,
    comment: str | None,
    answers: dict[str, Any] | None = None,
) -> OrderInput:
    """The `PUT /orders/{id}` body that corrects a rejected order: its items (not the
    cancelled ones), answers and priority as they are, with the corrected fields (`answers`
    replaces the stored answers with the same keys)."""
    items = [
        ItemInput(service_code=i.service_code, lab_her_id=r.lab_her_id)
        for r in order.requisitions
        for i in r.items
        if i.status != ItemStatus.CANCELLED
    ]
    return OrderInput(
        patient_id=patient_id,
        requester_hpr=requester_hpr,
        office_her_id=order.office_her_id,
        priority=order.priority,
        items=items,
        answers={a.key: a.value for a in order.answers} | dict(answers or {}),
        comment=(comment or "").strip() or None,
    )


def open_items(order: Order) -> list[tuple[Any, Any]]:
    """(requisition, item) pairs that may still be cancelled."""
    return [
        (r, i)
        for r in order.requisitions
        if r.status != OrderStatus.CANCELLED
        for i in r.items
        if i.status == ItemStatus.ORDERED
    ]


# ---- printing ---------------------------------------------------------------------------
def print_again(
    order: Order,
    catalog: Any,
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

    Runs in a worker thread; returns the `PrintResult` or raises `tui.labels.PrintFailed`.
    """
    from tui.labels import PrintFailed, labels_for_order, send_to_printer

    wanted = set(specimen_ids)
    labels = [lb for lb in labels_for_order(order, catalog) if lb.specimen_id in wanted]
    if not labels:
        raise PrintFailed(S.REPRINT_NONE_SELECTED)
    _, result = send_to_printer(
        labels, printer_url, journal_path, settings, user, copies=copies, reason_text=reason
    )
    return result


# ---- the scanner ------------------------------------------------------------------------------
def on_specimen_scanned(app: Any, digits: str) -> None:
    """Ten digits from the scanner: a specimen label. Wrong check digit: say so; otherwise
    look it up and open the reprint dialog for its order with that label chosen."""
    from ihr.rules.specimen_ids import is_valid_specimen_id

    if not is_valid_specimen_id(digits):
        app.show_status(S.SCAN_BAD, "error")
        app.notify(S.SCAN_BAD, title=S.ERROR_TITLE, severity="error")
        return
    app.show_status(S.SCAN_LOOKING)
    app.run_worker(_lookup(app, digits), name="specimen_scan", group="specimen_scan", exclusive=True, exit_on_error=False)


async def _lookup(app: Any, digits: str) -> None:
    from client.errors import IhrError, NotFound, ValidationProblem

    try:
        found = await app.client.lookup_specimen(digits)
        order = await app.client.get_order(found.order_id)
    except (NotFound, ValidationProblem) as exc:
        text = S.SCAN_BAD if isinstance(exc, ValidationProblem) else S.SCAN_UNKNOWN
        app.call_next(_say, app, text, "error")
        return
    except IhrError as exc:
        app.call_next(_say, app, exc.message, "error")
        return
    app.call_next(open_reprint, app, order, [found.specimen.id])


def _say(app: Any, text: str, severity: str) -> None:
    app.show_status(text, severity)
    app.notify(text, title=S.ERROR_TITLE if severity == "error" else S.NOTICE_TITLE, severity=severity)


def open_reprint(app: Any, order: Order, chosen: Sequence[str] | None = None, *, first: bool = False) -> None:
    """Push the reprint dialog for `order`; its result goes to the status line."""
    from tui.dialogs.reprint import ReprintDialog

    if not order.specimens:
        app.show_status(S.REPRINT_NO_SPECIMENS, "warning")
        return
    if app.catalog is None:
        app.show_status(S.NO_CATALOG, "warning")
        return

    def done(text: str | None) -> None:
        if text:
            app.show_status(text)

    app.push_screen(ReprintDialog(order, chosen, first=first), done)
