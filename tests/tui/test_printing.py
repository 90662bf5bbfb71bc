"""Printing from the app through the print queue: the three outcomes, the printer of the
workstation and another printer for one job, the queue dialog, and the queue across a restart.

Real parts: the sandbox over loopback, the SQLite file, fake Zebra printers on loopback TCP
(tests/printing/fake_zebra.py: they answer ~HS like a Zebra). The one stand-in is the
terminal of a `terminal:` printer: a Pilot test has no terminal, so `SilentTerminal` plays
one that takes the job but does not answer the printer status request (as PuTTY does). The
real terminal is in tests/tui/test_print_terminal.py (a pty) and tests/printing/test_xterm.py.
"""

from __future__ import annotations

import contextlib
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from printing.journal import PrintJournal
from printing.terminal import PRINT_OFF, PRINT_ON
from tests.printing.fake_zebra import FakeZebra
from tests.tui.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    fixed_clock,
    make_client,
)
from tests.tui.helpers import ready, saved_on_review, type_text, wait_for
from tests.tui.test_followup import static_text

WORKSTATION = "resepsjon-7"


class SilentTerminal:
    """A terminal that takes every job and never answers the status request (like PuTTY)."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, block: bytes) -> None:
        self.written.append(block)

    def ask(self, request: bytes, timeout: float) -> bytes:
        return b""

    def session(self) -> Any:
        return contextlib.nullcontext(self)


def build_app(settings: Any, terminal: SilentTerminal | None = None) -> Any:
    from tui.app import make_app
    from tui.context import LaunchContext

    context = LaunchContext(DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    extra = {"print_terminal": terminal.session} if terminal is not None else {}
    return make_app(settings, make_client(settings), context=context, clock=fixed_clock, owns_client=True, **extra)


@pytest.fixture
def zebras() -> Any:
    with FakeZebra("paper_out") as hers, FakeZebra("ok") as lab:
        yield hers, lab


def at_workstation(settings: Any, monkeypatch: pytest.MonkeyPatch, printer: str, lab: str) -> Any:
    """The session runs at WORKSTATION, whose printer is `printer`; the lab's is `lab`."""
    monkeypatch.setenv("IHR_WORKSTATION", WORKSTATION)
    return settings.copy_with(workstation_printers={WORKSTATION: printer, "lab-1": lab})


def step(app: Any) -> tuple[str, str]:
    state = app.session.draft.steps["print"]
    return str(state.state), state.text


async def print_step_settled(pilot: Any) -> None:
    await wait_for(pilot, lambda: step(pilot.app)[0] not in ("pending", "running"))


async def printed_in_access_log(sandbox: Any, tmp_path: Path) -> list[str]:
    """The specimen ids the office's privacy officer sees printed (one entry a print job)."""
    from client.api import IhrClient
    from ihr.helseid import SCOPE_AUDIT
    from tests.helseid import auth_for

    async with IhrClient(sandbox.url, auth_for(sandbox, tmp_path / "personvern", scopes=(SCOPE_AUDIT,))) as officer:
        log = await officer.get_audit(DEMO_PATIENT_ID)
    return [e.object for e in log.entries if e.action == "labels.print"]


def queue_jobs(app: Any) -> list[Any]:
    from printing.orders import waiting_jobs

    return waiting_jobs(app.journal_path)


async def choose_printer(pilot: Any, name: str) -> None:
    """In the printer dialog: down the list to the printer whose line holds `name`, Enter."""
    app = pilot.app
    await wait_for(pilot, lambda: type(app.screen).__name__ == "PrinterDialog")
    listing = app.screen.query_one("#printer-list")
    lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    index = next(i for i, line in enumerate(lines) if name in line)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ != "PrinterDialog")


# ---- the review: the workstation's printer, failed, another printer for one job -------------


async def test_failed_print_stays_queued_and_goes_to_the_lab_printer(
    settings: Any, sandbox: Any, tmp_path: Path, zebras: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hers, lab = zebras
    settings = at_workstation(settings, monkeypatch, hers.url, lab.url)
    app = build_app(settings)
    async with app.run_test(size=(100, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        # the review says where the job goes, and why that printer
        line = static_text(app.screen, "#review-printer")
        assert "etikettskriver 127.0.0.1" in line and f"arbeidsstasjonen {WORKSTATION}" in line

        await pilot.press("f7")  # her printer is out of labels
        await print_step_settled(pilot)
        state, text = step(app)
        assert state == "failed"
        assert "tom for etiketter" in text and "ligger i utskriftskøen" in text
        assert "tom for etiketter" in static_text(app.screen, "#status")
        [job] = queue_jobs(app)
        assert job.state == "waiting" and job.printer_url == hers.url

        await pilot.press("f7")  # again: the same job, not a second one
        await wait_for(pilot, lambda: queue_jobs(app)[0].attempts == 2)
        await print_step_settled(pilot)
        assert [j.id for j in queue_jobs(app)] == [job.id] and step(app)[0] == "failed"
        assert await printed_in_access_log(sandbox, tmp_path) == []  # nothing printed yet

        await pilot.press("ctrl+o")  # this one job to the lab's printer
        await choose_printer(pilot, "lab-1")
        await print_step_settled(pilot)
        state, text = step(app)
        assert state == "done" and text == "1 etikett skrevet ut på etikettskriver 127.0.0.1."
        assert queue_jobs(app) == []
        assert app.printer_url == hers.url  # the next job goes to her printer again
    specimen = order.specimens[0].id
    assert len(lab.jobs) == 1 and specimen.encode() in lab.jobs[0]
    with PrintJournal(app.journal_path) as journal:
        assert journal.printed_on(specimen) == lab.url
        assert [e.outcome for e in reversed(journal.entries())] == ["failed", "failed", "ok"]
    assert await printed_in_access_log(sandbox, tmp_path) == [specimen]


# ---- sent but unconfirmed: the secretary is asked ------------------------------------------


async def test_unconfirmed_print_asks_whether_the_labels_came_out(
    settings: Any, sandbox: Any, tmp_path: Path
) -> None:
    terminal = SilentTerminal()
    app = build_app(settings.copy_with(printer_url="terminal:"), terminal)
    async with app.run_test(size=(100, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        assert "skriveren ved arbeidsstasjonen" in static_text(app.screen, "#review-printer")
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintedDialog")
        assert "ikke bekreftet" in static_text(app.screen, "#printed-question")
        assert step(app)[0] == "unconfirmed"  # never "printed" on its own
        assert await printed_in_access_log(sandbox, tmp_path) == []

        await pilot.press("n")  # no: print again
        await wait_for(pilot, lambda: len(terminal.written) == 2 and type(app.screen).__name__ == "PrintedDialog")
        await pilot.press("escape")  # later: it stays in the queue, the step says so
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert step(app)[0] == "unconfirmed" and [j.state for j in queue_jobs(app)] == ["unconfirmed"]

        await pilot.press("f7")  # asks again, sends nothing
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintedDialog")
        await pilot.press("j")  # yes, they came out
        await print_step_settled(pilot)
        await wait_for(pilot, lambda: step(app)[0] == "done")
        assert step(app)[1].startswith("Bekreftet: 1 etikett skrevet ut")
        assert queue_jobs(app) == []
    specimen = order.specimens[0].id
    assert len(terminal.written) == 2
    assert all(block.startswith(PRINT_ON) and block.endswith(PRINT_OFF) for block in terminal.written)
    with PrintJournal(app.journal_path) as journal:
        entries = journal.entries()
        assert [e.outcome for e in reversed(entries)] == ["unconfirmed", "ok"]
        assert entries[0].confirmed_by == "Test Sekretær"
        assert journal.printed_on(specimen) == "terminal:"
    assert await printed_in_access_log(sandbox, tmp_path) == [specimen]  # once, when confirmed


async def test_terminal_printer_without_a_terminal_fails_and_keeps_the_job(settings: Any) -> None:
    """A headless app cannot be suspended for the terminal: the job fails and stays queued."""
    app = build_app(settings.copy_with(printer_url="terminal:"))
    async with app.run_test(size=(100, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await print_step_settled(pilot)
        state, text = step(app)
        assert state == "failed" and "kan bare brukes når ihr kjører i en terminal" in text
        assert [j.state for j in queue_jobs(app)] == ["waiting"]


# ---- the queue dialog, across a restart ---------------------------------------------------------


async def test_queue_survives_a_restart_retry_and_confirm(
    settings: Any, sandbox: Any, tmp_path: Path, zebras: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hers, lab = zebras
    first = build_app(at_workstation(settings, monkeypatch, hers.url, lab.url))
    async with first.run_test(size=(100, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await print_step_settled(pilot)
        assert step(first)[0] == "failed"

    # ihr again, on the same local file; now at a workstation whose terminal prints
    terminal = SilentTerminal()
    again = build_app(at_workstation(settings, monkeypatch, "terminal:", lab.url), terminal)
    async with again.run_test(size=(100, 36)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: "utskriftskøen" in static_text(again.screen, "#status"))
        await pilot.press("ctrl+p")
        await type_text(pilot, "utskriftskø")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(again.screen).__name__ == "PrintQueueDialog")
        dialog = again.screen
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 1)
        row = str(dialog.query_one("#queue-list").get_option_at_index(0).prompt)
        assert "1 etikett" in row and "venter" in row and "etikettskriver 127.0.0.1" in row
        assert "tom for etiketter" in row  # why it waits

        await pilot.press("f8")  # a failed job cannot be confirmed
        assert "Bare en jobb som er sendt uten bekreftelse" in static_text(dialog, "#queue-said")
        await pilot.press("f6")  # again on her printer: still out of labels
        await wait_for(pilot, lambda: "tom for etiketter" in static_text(dialog, "#queue-said"))
        await pilot.press("f7")  # to the printer at this workstation
        await choose_printer(pilot, "skriveren ved arbeidsstasjonen")
        await wait_for(pilot, lambda: type(again.screen).__name__ == "PrintedDialog")
        await pilot.press("escape")  # not sure yet
        await wait_for(pilot, lambda: "ikke bekreftet" in str(
            dialog.query_one("#queue-list").get_option_at_index(0).prompt))
        await pilot.press("f8")  # they came out
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 0)
        assert "Bekreftet: 1 etikett skrevet ut på skriveren ved arbeidsstasjonen" in static_text(dialog, "#queue-said")
    specimen = order.specimens[0].id
    with PrintJournal(again.journal_path) as journal:
        assert journal.printed_on(specimen) == "terminal:"
        assert [e.outcome for e in reversed(journal.entries())] == ["failed", "failed", "ok"]
    assert await printed_in_access_log(sandbox, tmp_path) == [specimen]


async def test_queue_dialog_sends_a_job_to_another_printer(
    settings: Any, sandbox: Any, tmp_path: Path, zebras: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, lab = zebras
    terminal = SilentTerminal()
    app = build_app(at_workstation(settings, monkeypatch, "terminal:", lab.url), terminal)
    async with app.run_test(size=(100, 36)) as pilot:
        order = await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintedDialog")
        await pilot.press("escape")  # did not come out, deal with it later
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintQueueDialog")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 1)
        await pilot.press("f7")
        await choose_printer(pilot, "lab-1")
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 0)
        assert "skrevet ut på etikettskriver 127.0.0.1" in static_text(dialog, "#queue-said")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        await wait_for(pilot, lambda: step(app)[0] == "done")  # the review follows the queue
        assert "fra utskriftskøen" in step(app)[1]
        await pilot.press("f7")  # printed: F7 asks before printing it again
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        assert "Skrive ut på nytt?" in static_text(app.screen, "#reprint-question")
        await pilot.press("escape")  # no
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
    specimen = order.specimens[0].id
    assert len(lab.jobs) == 1 and lab.jobs[0] == terminal.written[0][len(PRINT_ON):-len(PRINT_OFF)]
    with PrintJournal(app.journal_path) as journal:
        assert journal.printed_on(specimen) == lab.url
    assert await printed_in_access_log(sandbox, tmp_path) == [specimen]


# ---- the reprint dialog -----------------------------------------------------------------------


async def test_reprint_that_fails_stays_open_and_goes_to_another_printer(
    settings: Any, sandbox: Any, tmp_path: Path, zebras: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.test_followup import make_order, open_detail, open_worklist

    hers, lab = zebras
    settings = at_workstation(settings, monkeypatch, hers.url, lab.url)
    order = await make_order(settings, ["NPU19748"])
    specimen = order.specimens[0].id
    app = build_app(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_worklist(pilot)
        await open_detail(pilot, order.id)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        dialog = app.screen
        dialog.query_one("#reprint-reason").focus()
        await pilot.press("e")  # "Etiketten falt av"
        await pilot.press("f6")  # her printer is out of labels: the dialog stays, says so
        await wait_for(pilot, lambda: "ligger i utskriftskøen" in static_text(dialog, "#reprint-error"))
        assert "tom for etiketter" in static_text(dialog, "#reprint-error") and app.screen is dialog
        await pilot.press("ctrl+o")
        await choose_printer(pilot, "lab-1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "OrderDetailScreen")
        assert "skrevet ut på nytt (Etiketten falt av)" in static_text(app.screen, "#status")
    assert len(lab.jobs) == 1 and specimen.encode() in lab.jobs[0]
    with PrintJournal(app.journal_path) as journal:
        entries = list(reversed(journal.entries()))
    assert [(e.outcome, e.reason, e.reason_text, e.printer_url) for e in entries] == [
        ("failed", "reprint", "Etiketten falt av", hers.url), ("ok", "reprint", "Etiketten falt av", lab.url)]
    assert entries[0].queue_id == entries[1].queue_id  # one job, moved to the lab's printer
    assert queue_jobs(app) == []


async def test_a_failed_job_dropped_from_the_queue_leaves_the_review_ready_for_a_new_print(settings: Any) -> None:
    """Issue 20, item 1: a print fails, Ctrl+U, Ctrl+D and J drop the job, Esc: the app goes
    on (it used to exit with a TypeError), the print step is "ikke gjort" again and F7 makes a
    new job. The headless app cannot be suspended for `terminal:`, so the print fails."""
    app = build_app(settings.copy_with(printer_url="terminal:"))
    async with app.run_test(size=(100, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await print_step_settled(pilot)
        assert step(app)[0] == "failed"
        [job] = queue_jobs(app)

        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintQueueDialog")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 1)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: dialog.query_one("#queue-list").option_count == 0)
        assert "fjernet fra utskriftskøen" in static_text(dialog, "#queue-said")
        await pilot.press("escape")

        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen" and step(app)[0] == "pending")
        assert app.is_running
        steps = static_text(app.screen, "#review-steps")
        assert "Skriv ut etiketter ikke gjort" in " ".join(steps.split())
        assert "feilet" not in steps and queue_jobs(app) == []

        await pilot.press("f7")  # a new job, not the dropped one
        await print_step_settled(pilot)
        assert step(app)[0] == "failed" and [j.id for j in queue_jobs(app)] != [job.id]
    assert app.return_code in (0, None)


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Any:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_the_print_queue_shows_norwegian_time_on_a_machine_in_utc(settings: Any, machine_in_utc: Any) -> None:
    """Issue 18, item 10: the queue said 08:12 for a job made at 09:12 in Oslo."""
    from ihr.localtime import OSLO

    app = build_app(settings.copy_with(printer_url="terminal:"))  # headless: the print fails, the job waits
    async with app.run_test(size=(100, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f7")
        await print_step_settled(pilot)
        [job] = queue_jobs(app)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintQueueDialog")
        listing = app.screen.query_one("#queue-list")
        await wait_for(pilot, lambda: listing.option_count == 1)
        row = str(listing.get_option_at_index(0).prompt)
        oslo, utc = job.created_at.astimezone(OSLO), job.created_at.astimezone(UTC)
        assert oslo.strftime("%H:%M") != utc.strftime("%H:%M")  # the machine's zone is not Oslo's
        assert oslo.strftime("%d.%m. %H:%M") in row, row
