"""The app's jobs: save, print, collect and send an order, and what the session fetches.

Each is a coroutine that does its I/O with what it is given and returns the message that
says what it did; the app runs them with `tui.work.run_job` and its handlers change the
session. None touches a widget or the session (`resend_outbox` only reads the draft's key).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import messages as m
from tui import strings as S

if TYPE_CHECKING:
    from client.api import IhrClient
    from ihr.models import Catalog, Group, GroupInput, Order
    from tui.draft import OrderDraft

log = logging.getLogger("ihr.tui")


async def save(client: IhrClient, outbox: Any, body: Any, key: str, written: Any) -> m.OrderStored:
    """Create the order. The body waits in the outbox until the service has it, so a crash
    or a dead server loses nothing; the same key never makes two orders (`found`: the
    service already held it, saved by another session that restored the same draft).

    `written` is the autosave's future for the draft (with this key): the draft on disk gets
    the key before the outbox does, so an order sent again from the outbox after a crash and
    a save of the restored draft use the same key.
    """
    from client.errors import IhrError, ServiceUnavailable, Unauthorized  # start-up seam

    if written is not None:
        await asyncio.wrap_future(written)
    await asyncio.to_thread(outbox.put, key, body)
    try:
        order, made = await client.create_or_find_order(body, key)
    except IhrError as exc:
        if not isinstance(exc, (ServiceUnavailable, Unauthorized)):
            # The service answered and refused it: nothing to send again later. The basket
            # and answers stay here to be corrected and saved anew.
            await asyncio.to_thread(outbox.remove, key)
        raise
    await asyncio.to_thread(outbox.remove, key)
    return m.OrderStored(order, found=not made)


@dataclass(frozen=True)
class PrintPlace:
    """What a print job needs besides its labels: the local SQLite file (journal and queue),
    the settings (label size, user), the client (to report printed labels) and `terminal`,
    a context manager factory that gives the link to the app's terminal for `terminal:`
    (`tui.printer.suspended_terminal`: the app suspended meanwhile; None where there is none).
    """

    client: IhrClient
    journal_path: Path
    settings: Any
    terminal: Callable[[], AbstractContextManager[Any]]

    @property
    def user(self) -> str | None:
        return self.settings.user or None


async def _at_printer(place: PrintPlace, printer_url: str, job: Callable[[Any], Any]) -> Any:
    """Run `job(terminal_link)`: in a thread, or for `terminal:` here on the event loop with
    the app suspended, so that Textual neither draws into the job's block nor reads the
    terminal's status answers as keys (see printing.terminal). The suspension must end
    normally (Textual resumes only then), so an error is raised after it."""
    if not printer_url.lower().startswith("terminal:"):
        return await asyncio.to_thread(job, None)
    error: Exception | None = None
    result = None
    with place.terminal() as link:
        try:
            result = job(link)
        except Exception as exc:  # noqa: BLE001 - raised again below, after the resume
            error = exc
    if error is not None:
        raise error
    return result


async def _reported(place: PrintPlace, result: Any, order_id: str | None, confirmed: bool = False) -> m.LabelsPrinted:
    """Report labels to the access log once they are printed (never a failed or unconfirmed job)."""
    if result.ok:
        await report_prints(place.client, order_id, list(result.specimen_ids), reprint=result.reason == "reprint")
    return m.LabelsPrinted(result, order_id, confirmed)


async def print_labels(
    place: PrintPlace, printer_url: str, order_id: str, labels: list[Any], *, copies: int = 1,
    reason_text: str | None = None,
) -> m.LabelsPrinted:
    """Queue the labels as one job and print it (see `printing.orders.submit_labels`)."""
    from printing.orders import submit_labels  # start-up seam

    result = await _at_printer(place, printer_url, lambda link: submit_labels(
        labels, printer_url, place.journal_path, place.settings, place.user, copies=copies,
        reason_text=reason_text, terminal=link))
    return await _reported(place, result, order_id)


async def print_again(
    place: PrintPlace, printer_url: str, order: Order, catalog: Catalog, specimen_ids: list[str], *, copies: int,
    reason: str | None,
) -> m.LabelsPrinted:
    """Chosen labels of a sent order again (`reason` None: a new tube's first label)."""
    from printing.orders import print_again as again  # start-up seam

    result = await _at_printer(place, printer_url, lambda link: again(
        order, catalog, specimen_ids, copies=copies, reason=reason, printer_url=printer_url,
        journal_path=place.journal_path, settings=place.settings, user=place.user, terminal=link))
    return await _reported(place, result, order.id)


async def retry_print(place: PrintPlace, queue_id: int, printer_url: str, order_id: str | None) -> m.LabelsPrinted:
    """A queued job again: to its printer, or to another one."""
    from printing.orders import retry_job  # start-up seam

    result = await _at_printer(place, printer_url, lambda link: retry_job(
        queue_id, printer_url, place.journal_path, place.user, terminal=link))
    return await _reported(place, result, order_id)


async def confirm_print(place: PrintPlace, queue_id: int, order_id: str | None) -> m.LabelsPrinted:
    """The secretary saw an unconfirmed job's labels come out: printed."""
    from printing.orders import confirm_job  # start-up seam

    result = await asyncio.to_thread(confirm_job, queue_id, place.journal_path, place.user)
    return await _reported(place, result, order_id, confirmed=True)


async def read_printed(journal_path: Path, order: Order, then: str = "") -> m.PrintedBefore:
    """When the print journal printed the order's labels (`printing.orders.printed_at`)."""
    from printing.orders import printed_at  # start-up seam

    return m.PrintedBefore(order.id, await asyncio.to_thread(printed_at, order, journal_path), then)


async def read_print_queue(journal_path: Path) -> m.PrintQueueRead:
    from printing.orders import waiting_jobs  # start-up seam

    return m.PrintQueueRead(await asyncio.to_thread(waiting_jobs, journal_path))


async def read_print_job(journal_path: Path, queue_id: int) -> m.PrintJobRead:
    from printing.orders import queued_job  # start-up seam

    return m.PrintJobRead(await asyncio.to_thread(queued_job, queue_id, journal_path))


async def drop_print(journal_path: Path, queue_id: int) -> m.PrintQueueRead:
    from printing.orders import drop_job, waiting_jobs  # start-up seam

    await asyncio.to_thread(drop_job, queue_id, journal_path)
    return m.PrintQueueRead(await asyncio.to_thread(waiting_jobs, journal_path))


async def print_queue_notice(journal_path: Path) -> m.Notice | None:
    """At start: jobs left in the print queue (from before a restart) are named once."""
    jobs = (await read_print_queue(journal_path)).jobs
    return m.Notice(S.print_queue_waiting(len(jobs))) if jobs else None


async def report_prints(client: IhrClient, order_id: str | None, specimen_ids: list[str], *, reprint: bool) -> None:
    """Tell the service which labels were printed: its access log records every print.

    Without `order_id` (a job from the print queue of an earlier session) the order is looked
    up by its first label. The labels are out whatever the service answers, so a failure here
    does not undo the print; it is logged by its type (the access log then lacks this print).
    """
    from client.errors import IhrError  # start-up seam

    try:
        if order_id is None:
            order_id = (await client.lookup_specimen(specimen_ids[0])).order_id
        await client.report_prints(order_id, specimen_ids, reprint=reprint)
    except IhrError as exc:
        log.warning("print not reported to the access log: %s", type(exc).__name__)


async def collect(client: IhrClient, order_id: str, when: datetime, who: str, specimen_ids: list[str]) -> m.CollectionStored:
    """Register these tubes as taken `when` by `who`; the others stay open (taken later)."""
    from ihr.models import CollectionInput, SpecimenCollection  # start-up seam

    body = CollectionInput(
        specimens=[SpecimenCollection(specimen_id=sid, collected_at=when, collected_by=who) for sid in specimen_ids]
    )
    return m.CollectionStored(await client.register_collection(order_id, body))


async def send(client: IhrClient, order_id: str) -> m.OrderSent:
    return m.OrderSent(await client.send_order(order_id))


async def restore_order(client: IhrClient, order_id: str, draft: OrderDraft) -> m.OrderRestored:
    """A restored draft the service already holds: fetch it, so the draft is locked."""
    return m.OrderRestored(await client.get_order(order_id), draft)


async def fetch_patient(client: IhrClient, patient_id: str) -> m.PatientReady:
    """The patient and her history (for the duplicate warnings and the worklist)."""
    patient = await client.get_patient(patient_id)
    return m.PatientReady(patient, await client.list_orders(patient=patient.id))


async def resend_outbox(client: IhrClient, outbox: Any, drafts: Any) -> m.Notice | m.OutboxSent | None:
    """Orders saved while IHR did not answer (or before a crash) go again, same key."""
    from client.outbox import submit_pending  # start-up seam

    if not await asyncio.to_thread(len, outbox):
        return None
    stored: list[tuple[str, Order]] = []

    async def accepted(key: str, order: Order) -> None:
        # The draft saved under this key now has its order: it must not be saved again.
        await asyncio.to_thread(drafts.mark_saved, key, order.id)
        stored.append((key, order))

    result = await submit_pending(client, outbox, on_accepted=accepted)

    if result.quarantined and not result.accepted:  # said once: the rows are put aside now
        return m.Notice(S.outbox_quarantined(result.quarantined, result.remaining))
    if result.accepted:
        return m.OutboxSent(stored)
    if result.remaining:
        return m.Notice(S.outbox_waiting(result.remaining))
    return None


async def fetch_requester(client: IhrClient, hpr: str, *, chosen: bool = False) -> m.RequesterReady:
    return m.RequesterReady(await client.get_requester(hpr), chosen)


async def search_patients(client: IhrClient, query: str) -> m.PatientsFound:
    result = await client.search_patients(query)
    return m.PatientsFound(query, list(result.patients))


async def save_group(client: IhrClient, group: Group | None, body: GroupInput, hpr: str, office: str) -> m.GroupsReady:
    """Create (no `group`) or change a group, from the version the secretary saw; the
    groups as they now are. Changed by someone else meanwhile (412): nothing is saved, and
    the groups come back as they now are with `stale` set, so the app can say so."""
    from client.errors import StaleEdit  # start-up seam
    from ihr.rules.groups import version_tag  # start-up seam

    try:
        if group is None:
            await client.create_group(body, user_hpr=hpr, office_her_id=office or None)
        else:
            await client.update_group(
                group.id, body, version=version_tag(group), user_hpr=hpr, office_her_id=office or None
            )
    except StaleEdit:
        return m.GroupsReady(await client.list_groups(office=office or None, hpr=hpr), stale=body.name)
    return m.GroupsReady(await client.list_groups(office=office or None, hpr=hpr), changed=body.name)


async def delete_group(client: IhrClient, group: Group, hpr: str, office: str) -> m.GroupsReady:
    from client.errors import StaleEdit  # start-up seam
    from ihr.rules.groups import version_tag  # start-up seam

    try:
        await client.delete_group(group.id, version=version_tag(group), user_hpr=hpr, office_her_id=office or None)
    except StaleEdit:
        return m.GroupsReady(await client.list_groups(office=office or None, hpr=hpr), stale=group.name)
    return m.GroupsReady(await client.list_groups(office=office or None, hpr=hpr), deleted=group.name)


async def lookup_specimen(client: IhrClient, digits: str) -> m.SpecimenFound:
    """The order a scanned label belongs to."""
    found = await client.lookup_specimen(digits)
    return m.SpecimenFound(await client.get_order(found.order_id), [found.specimen.id])
