"""How orders, statuses and KITH messages read on screen (Rich text; no Textual here).

The worklist's cells and row diffs (no repaint when nothing changed), status texts with
their colours, readable summaries of KITH messages, and the time formats. The rules behind
them (rejections, open items) are `ihr.rules.followup`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from ihr.localtime import local
from ihr.models import (
    PAYMENT_CATEGORY_TEXTS,
    KithMessage,
    OrderStatus,
    OrderSummary,
    PaymentCategory,
)
from ihr.rules.followup import REJECTED
from ihr.rules.tubes import numbered, open_tubes
from tui import strings as S

STATUS_STYLE = {
    OrderStatus.REJECTED: "bold red",
    OrderStatus.PARTLY_REJECTED: "bold red",
    OrderStatus.CANCELLED: "dim",
    OrderStatus.RESULT_READY: "bold green",
    OrderStatus.ACCEPTED: "green",
}


def hhmm(at: datetime) -> str:
    return local(at).strftime("%H:%M")


def day_time(at: datetime) -> str:
    return local(at).strftime("%d.%m.%y %H:%M")


# ---- worklist ---------------------------------------------------------------------------
def status_text(status: OrderStatus | str) -> Text:
    value = status.value if isinstance(status, OrderStatus) else str(status)
    style = STATUS_STYLE.get(value, "")  # type: ignore[call-overload]  # a StrEnum key equals its value
    label = S.status_label(value)
    if value in (OrderStatus.REJECTED.value, OrderStatus.PARTLY_REJECTED.value):
        label = "! " + label
    return Text(label, style=style)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def services_text(names: Sequence[str], width: int) -> str:
    """An order's services in `width` columns: all of them, or the whole names that fit and
    how many more ("P-CRP, P-Ferritin +2"): never a list cut off without a word."""
    full = ", ".join(names)
    if len(full) <= width or len(names) < 2:
        return clip(full, width)
    for shown in range(len(names) - 1, 0, -1):
        text = f"{', '.join(names[:shown])} +{len(names) - shown}"
        if len(text) <= width:
            return text
    more = f" +{len(names) - 1}"
    return clip(names[0], max(1, width - len(more))) + more


PATIENT_WIDTH = 16  # the worklist's patient column


def worklist_cells(summary: OrderSummary, *, history: bool, services_width: int) -> tuple[Any, ...]:
    """The cells of one worklist row; a rejected order is highlighted in every cell."""
    rejected = summary.status in REJECTED
    style = "bold red" if rejected else ""
    when = local(summary.created_at).strftime("%d.%m.%y") if history else hhmm(summary.created_at)
    return (
        Text(when, style=style),
        Text(summary.requisition_numbers[0] if summary.requisition_numbers else "–", style=style or "dim"),
        Text(clip(summary.patient_name, PATIENT_WIDTH), style=style),
        Text(services_text(summary.service_names, services_width), style=style),
        tubes_text(summary),
        status_text(summary.status),
    )


def tubes_text(summary: OrderSummary) -> Text:
    """Tubes taken of all: "2/3" in yellow while some are still to come ("delvis
    prøvetatt"), "–" for an order without tubes (imaging)."""
    if not summary.tubes:
        return Text("–", style="dim")
    partial = 0 < summary.tubes_taken < summary.tubes
    return Text(f"{summary.tubes_taken}/{summary.tubes}", style="bold yellow" if partial else "")


def row_signature(summary: OrderSummary) -> tuple[Any, ...]:
    """What a worklist row shows (or may show): equal signatures need no repaint."""
    return (summary.status, summary.updated_at, summary.patient_name, tuple(summary.service_names), summary.created_at,
            summary.tubes, summary.tubes_taken, tuple(summary.requisition_numbers))


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
    changed = [new for old, new in zip(shown, fetched, strict=False) if row_signature(old) != row_signature(new)]
    return RowDiff(False, changed)


# ---- the order's other fields (review and detail) ----------------------------------------
def labelled(label: str, value: str, indent: str = "  ") -> Text:
    """"  label: value" with a value of several lines kept whole: each further line under
    the first, indented past the label (a clinical text is read as it was written)."""
    head = f"{indent}{label}: "
    first, *rest = value.split("\n")
    line = Text(head)
    line.append(first, style="bold")
    for more in rest:
        line.append("\n" + " " * len(head))
        line.append(more, style="bold")
    return line


def order_fields(
    payment: str, copies: list[str], diagnosis: tuple[str, str] | None, clinical: str | None,
    modality: bool | None, imaging: bool,
) -> list[tuple[str, str]]:
    """(label, value) lines for what a requisition carries besides services and answers:
    payment always, the rest when there is something to say (the modality statement on
    every imaging referral, "–" while unanswered)."""
    try:
        paid = PAYMENT_CATEGORY_TEXTS[PaymentCategory(payment)]
    except ValueError:
        paid = payment
    lines = [(S.REVIEW_PAYMENT, paid)]
    if copies:
        lines.append((S.REVIEW_COPY, ", ".join(copies)))
    if diagnosis is not None:
        lines.append((S.REVIEW_DIAGNOSIS, f"{diagnosis[0]} {diagnosis[1]}".strip()))
    if clinical:
        lines.append((S.CLINICAL_INFO, clinical))
    if imaging:
        lines.append((S.REVIEW_MODALITY, "–" if modality is None else S.MODALITY_ANSWER[modality]))
    return lines


# ---- order detail ------------------------------------------------------------------------
@dataclass(frozen=True)
class MessageView:
    heading: str
    lines: list[str]
    xml: str


def describe_message(
    msg: KithMessage, lab_name: Callable[[str], str] | None = None, numbers: dict[str, int] | None = None,
) -> MessageView:
    """A readable view of one KITH message: AppRecs parsed, requisitions summarised.

    A requisition's heading says what it is to the lab (Ny, Tillegg, Kansellering, Endring:
    its ServType); an AppRec's summary says which message it answers, by its number in
    `numbers` (MsgId -> position in the list shown)."""
    when = day_time(msg.at)
    direction = S.DIRECTION.get(msg.direction, msg.direction)
    head = f"{when}  {direction}  {msg.msg_type}"
    if msg.service_type:
        head += f" {S.SERVICE_TYPE.get(msg.service_type, msg.service_type)}"
    answered = (numbers or {}).get(msg.answers_msg_id or "")
    lines: list[str] = []
    try:
        if msg.msg_type == "APPREC":
            from ihr.kith import parse_apprec  # start-up seam

            result = parse_apprec(msg.xml.encode("utf-8"))
            original = result.original_msg_type or msg.msg_type
            lines.append(S.apprec_summary(result.status_text, original if answered is None else f"{answered}, {original}"))
            for e in result.errors:
                lines.append("  " + S.apprec_error_line(e.code, e.text, e.details))
        else:
            from ihr.kith import parse_msghead  # start-up seam

            info = parse_msghead(msg.xml.encode("utf-8"))
            lab = info.receiver_name or info.receiver_her
            if lab_name is not None:
                lab = lab_name(info.receiver_her)
            # what this message carried (not what the requisition holds now, after add-ons)
            kinds = info.investigations
            lines.append(S.requisition_message_summary(msg.msg_type, info.requisition_number, lab, len(kinds),
                                                       added=kinds.count("A"), cancelled=kinds.count("C")))
    except Exception as exc:  # KithParseError has a Norwegian message
        lines.append(f"{S.MESSAGE_UNREADABLE}: {getattr(exc, 'args', [''])[0]}")
    return MessageView(head, lines, msg.xml)


# ---- tubes: the one numbering ------------------------------------------------------------
def container_name(code: str, catalog: Any) -> str:
    """A container's name from the catalog (`ihr.models.Catalog` or None); its code when the
    catalog is not there yet or no longer has it."""
    if catalog is not None:
        try:
            return str(catalog.container(code).name)
        except KeyError:
            pass
    return code


def tube_lines(specimens: Sequence[Any], catalog: Any, only_open: bool = False) -> list[tuple[str, str]]:
    """(line, specimen id) of an order's tubes, numbered as the labels are ("Rør 2/3"), for
    a list to choose from; `only_open`: just the tubes not yet taken."""
    count = len(specimens)
    tubes = open_tubes(specimens) if only_open else numbered(specimens)
    return [(f"{S.tube_name(n, count)}  {container_name(t.container, catalog)}  {t.id}", t.id)
            for n, t in tubes]


def missing_tubes(specimens: Sequence[Any], catalog: Any) -> list[str]:
    """The tubes not yet taken, by number and container: ["Rør 3/3 (Urinrør 10 ml)"]."""
    count = len(specimens)
    return [S.open_tube(S.tube_name(n, count), container_name(t.container, catalog)) for n, t in open_tubes(specimens)]
