"""After the order: worklist, order detail, correction, reprint by scan, add-on and cancel.

Pilot walk-throughs against the sandbox over a real socket. The sandbox here runs on a clock
the test moves by hand (`step`), so the simulated labs answer exactly when the test says;
the screens poll every few hundredths of a second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    FIXED_NOW,
    make_client,
    people,
    server,
)
from tests.tui.helpers import ready, type_text, wait_for

DELAY_S = 10.0
POLL_S = 0.05


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW.astimezone(UTC))


@pytest.fixture
def sandbox(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    """Overrides the conftest's: the labs answer when `step` moves the clock."""
    with server.EmbeddedSandbox(db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=DELAY_S, clock=clock) as sb:
        yield sb


@pytest.fixture(autouse=True)
def _fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.screens.order_detail import OrderDetailScreen
    from tui.screens.worklist import WorklistScreen

    for cls in (WorklistScreen, OrderDetailScreen):
        monkeypatch.setattr(cls, "POLL_START_S", POLL_S)
        monkeypatch.setattr(cls, "POLL_LIMIT_S", POLL_S * 4)


def step(sandbox: Any, clock: FakeClock, n: int = 1) -> None:
    for _ in range(n):
        clock.advance(DELAY_S)
        sandbox.app.state.hub.run_due()


async def make_order(
    settings: Any, codes: list[str], *, patient: str = DEMO_PATIENT_ID, send: bool = False,
    collected_at: datetime | None = None, requester: str = DEMO_REQUESTER_HPR, answers: dict[str, Any] | None = None,
) -> Any:
    from ihr.models import CollectionInput, ItemInput, OrderInput, SpecimenCollection

    client = make_client(settings)
    try:
        body = OrderInput(
            patient_id=patient,
            requester_hpr=requester,
            office_her_id=DEMO_OFFICE_HER_ID,
            items=[ItemInput(service_code=c) for c in codes],
            answers=answers or {},
        )
        order = await client.create_order(body, idempotency_key=f"test-{'-'.join(codes)}-{patient}")
        if collected_at is not None:
            order = await client.register_collection(
                order.id,
                CollectionInput(specimens=[
                    SpecimenCollection(specimen_id=s.id, collected_at=collected_at, collected_by="Bioingeniør Test")
                    for s in order.specimens
                ]),
            )
        if send:
            order = await client.send_order(order.id)
        return order
    finally:
        await client.aclose()


async def open_worklist(pilot: Any) -> Any:
    await ready(pilot)
    await pilot.press("f10")
    app = pilot.app
    await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded)
    return app.screen


async def open_detail(pilot: Any, order_id: str) -> Any:
    app = pilot.app
    worklist = app.screen
    await wait_for(pilot, lambda: any(s.id == order_id for s in worklist.shown))
    table = worklist.query_one("#worklist")
    table.move_cursor(row=table.get_row_index(order_id))
    table.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "OrderDetailScreen" and app.screen.order is not None)
    return app.screen


def row_status(worklist: Any, order_id: str) -> str:
    table = worklist.query_one("#worklist")
    return str(table.get_cell(order_id, "status"))


def static_text(screen: Any, selector: str) -> str:
    """The plain text a Static shows (a str, Text or any Rich renderable)."""
    from rich.console import Console

    content = screen.query_one(selector).content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(content)
    return console.export_text()


# ---- pure parts -------------------------------------------------------------------------------


def test_backoff_doubles_to_the_limit_and_comes_back_on_change() -> None:
    from tui.screens.polling import Backoff

    b = Backoff(2.0, 30.0)
    assert [b.next(False) for _ in range(5)] == [4.0, 8.0, 16.0, 30.0, 30.0]
    assert b.next(True) == 2.0


def test_diff_rows_only_reports_what_changed() -> None:
    from ihr.models import OrderStatus, OrderSummary
    from tui.present import diff_rows

    def s(i: str, status: OrderStatus, minute: int = 0) -> OrderSummary:
        at = FIXED_NOW + timedelta(minutes=minute)
        return OrderSummary(id=i, patient_id=DEMO_PATIENT_ID, patient_name="Test", requester_hpr=DEMO_REQUESTER_HPR,
                            status=status, created_at=FIXED_NOW, updated_at=at, service_names=["P-CRP"])

    shown = [s("a", OrderStatus.SENT), s("b", OrderStatus.SENT)]
    assert diff_rows(shown, list(shown)).nothing
    d = diff_rows(shown, [s("a", OrderStatus.SENT), s("b", OrderStatus.ACCEPTED, 1)])
    assert not d.rebuild and [x.id for x in d.changed] == ["b"]
    assert diff_rows(shown, [s("c", OrderStatus.SAVED), *shown]).rebuild


# ---- worklist and detail: rejected, corrected, accepted -----------------------------------------


async def test_rejected_order_shows_why_is_corrected_and_accepted(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    unknown = sorted(people.LAB_UNKNOWN_PATIENT_IDS)[0]
    order = await make_order(settings, ["NPU19748"], patient=unknown, send=True)
    step(sandbox, clock, 2)  # transport receipt, then the AppRec: rejected (E35)

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        worklist = await open_worklist(pilot)
        await wait_for(pilot, lambda: "avvist" in row_status(worklist, order.id))
        assert row_status(worklist, order.id) == "! avvist"

        detail = await open_detail(pilot, order.id)
        why = detail.query_one("#detail-why")
        assert why.display
        assert "E35" in static_text(detail, "#detail-why")
        assert "AVVIST" in static_text(detail, "#detail-why")
        assert "E35" in static_text(detail, "#detail-timeline")
        assert "Applikasjonskvittering: Avvist" in static_text(detail, "#detail-messages")

        # the raw XML of the first message, then the next one (the AppRec)
        await pilot.press("ctrl+x")
        assert detail.query_one("#detail-xml").display
        assert "MsgHead" in static_text(detail, "#detail-xml-text")
        await pilot.press("ctrl+n")
        assert "AppRec" in static_text(detail, "#detail-xml-text")
        await pilot.press("escape")
        assert not detail.query_one("#detail-xml").display and type(app.screen).__name__ == "OrderDetailScreen"

        # F9: correct the fødselsnummer and send again
        good = next(p for p in people.seed_patients() if p.id not in people.LAB_UNKNOWN_PATIENT_IDS and p.sex == "M")
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CorrectDialog")
        dialog = app.screen
        assert "E35" in static_text(dialog, ".followup-why")
        field = dialog.query_one("#correct-patient")
        field.value = ""
        field.focus()
        app.scanner.WINDOW_S = 3.0  # Pilot types slower than a scanner
        await pilot.press(*good.id, "enter")  # scanned into the field: it stays there, Enter submits
        await wait_for(pilot, lambda: app.screen is not dialog)
        assert app.session.patient.id == DEMO_PATIENT_ID  # the scan did not open another patient
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: detail.order.status == "sendt")
        assert not detail.query_one("#detail-why").display

        step(sandbox, clock, 2)  # transport receipt, AppRec OK
        await wait_for(pilot, lambda: detail.order.status == "akseptert")
        assert "har akseptert" in static_text(detail, "#detail-timeline")
        assert not detail.query_one("#detail-why").display

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is worklist)
        await wait_for(pilot, lambda: row_status(worklist, order.id) == "akseptert")


async def test_unknown_requester_corrected_with_an_answer_changed(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    order = await make_order(settings, ["NPU02192"], requester="990100683", answers={"fastende": False}, send=True)
    step(sandbox, clock, 2)  # rejected: E20, the lab does not know the requester
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        assert "E20" in static_text(detail, "#detail-why")
        assert "Fastende" in static_text(detail, "#detail-overview") or "fastende" in static_text(detail, "#detail-overview").lower()
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CorrectDialog")
        dialog = app.screen
        assert app.focused is dialog.query_one("#correct-requester")  # E20: the HPR field first
        app.focused.value = ""
        await type_text(pilot, DEMO_REQUESTER_HPR)
        answer = dialog.query_one("#correct-answer-fastende")
        assert answer.value == "Nei"
        answer.value = "kanskje"
        await pilot.press("f9")
        assert "ja eller nei" in static_text(dialog, "#correct-error")
        answer.value = "ja"
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.screen is detail and detail.order.status == "sendt")
        assert detail.order.requester.hpr == DEMO_REQUESTER_HPR and detail.order.answer("fastende") is True
        step(sandbox, clock, 2)
        await wait_for(pilot, lambda: detail.order.status == "akseptert")


async def test_partly_rejected_shows_the_refused_analysis(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    from ihr.models import ItemInput, OrderInput, OutOfRegionReason, RegionReason

    client = make_client(settings)
    try:
        sto = "99300117"  # St. Olav med. biokjemi: no vitamin D today (another region: a reason)
        why = OutOfRegionReason(code=RegionReason.LIVES_ELSEWHERE, text="Pasienten bor i Trondheim.")
        body = OrderInput(patient_id=DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR, office_her_id=DEMO_OFFICE_HER_ID,
                          items=[ItemInput(service_code="NPU19748", lab_her_id=sto, out_of_region=why),
                                 ItemInput(service_code="NPU10267", lab_her_id=sto, out_of_region=why)])
        order = await client.send_order((await client.create_order(body, idempotency_key="partly")).id)
    finally:
        await client.aclose()
    step(sandbox, clock, 2)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)
        text = static_text(detail, "#detail-why")
        assert "DELVIS AVVIST" in text and "reagensmangel" in text
        assert detail.check_action("correct", ()) is None  # nothing to correct: F9 is dimmed


# ---- polling ---------------------------------------------------------------------------------------


async def test_polling_backs_off_repaints_only_on_change_and_stops_when_hidden(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    order = await make_order(settings, ["NPU19748"], send=True)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        worklist = await open_worklist(pilot)
        await wait_for(pilot, lambda: worklist.polls >= 4)
        assert worklist.repaints == 1  # nothing changed since the first fetch
        assert worklist.backoff.delay == worklist.POLL_LIMIT_S

        table = worklist.query_one("#worklist")
        rows_before = table.row_count
        step(sandbox, clock)  # transport receipt
        await wait_for(pilot, lambda: row_status(worklist, order.id) == "transportkvittert")
        assert worklist.repaints == 2 and table.row_count == rows_before
        assert worklist.backoff.delay <= worklist.POLL_START_S * 2

        await pilot.press("f3")  # another mode: the worklist stops polling
        await wait_for(pilot, lambda: app.current_mode == "order")
        polls = worklist.polls
        await pilot.pause(0.4)
        assert worklist.polls == polls

        await pilot.press("f10")  # back: polls at once
        await wait_for(pilot, lambda: worklist.polls > polls)

        # F6: the open patient's history
        await pilot.press("f6")
        await wait_for(pilot, lambda: worklist.scope == "patient" and worklist.loaded)
        assert all(s.patient_id == DEMO_PATIENT_ID for s in worklist.shown)
        assert "Historikk for" in static_text(worklist, "#worklist-title")


async def test_an_idle_worklist_and_detail_write_nothing(app_factory: Any, settings: Any, sandbox: Any) -> None:
    """Polling goes on, but with nothing changed not one byte goes to the terminal (SSH)."""
    order = await make_order(settings, ["NPU19748"], send=True)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        worklist = await open_worklist(pilot)
        await wait_for(pilot, lambda: worklist.polls >= 2)
        await pilot.pause(0.2)
        for screen in (worklist, None):
            if screen is None:
                screen = await open_detail(pilot, order.id)
                await wait_for(pilot, lambda: screen.polls >= 2)
                await pilot.pause(0.2)
            writes: list[Any] = []  # what would go to the terminal (headless: counted, not written)
            original = app._display
            app._display = lambda screen_, update: (update is not None and writes.append(update), original(screen_, update))[1]  # type: ignore[method-assign]
            try:
                polls = screen.polls
                await wait_for(pilot, lambda: screen.polls >= polls + 3)
                await pilot.pause(0.05)
            finally:
                app._display = original  # type: ignore[method-assign]
            assert writes == [], f"{type(screen).__name__} repainted {len(writes)} times while idle"


# ---- reprint by scanning a label ------------------------------------------------------------------


async def test_scanning_a_label_reprints_it_with_a_reason(
    app_factory: Any, settings: Any, sandbox: Any, spool: Path
) -> None:
    from ihr.rules.specimen_ids import is_valid_specimen_id
    from printing.journal import PrintJournal

    order = await make_order(settings, ["NPU19748", "NOR05172"])
    specimen = order.specimens[-1].id
    app = app_factory()
    app.scanner.WINDOW_S = 3.0  # Pilot on a loaded test machine types slower than a scanner
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.current_mode == "order"

        # a misread label: wrong check digit
        bad = specimen[:-1] + str((int(specimen[-1]) + 1) % 10)
        assert not is_valid_specimen_id(bad)
        await pilot.press(*bad, "enter")
        await wait_for(pilot, lambda: "feil lest" in static_text(app.screen, "#status"))

        await pilot.press(*specimen, "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        dialog = app.screen
        assert list(dialog.query_one("#reprint-labels").checked) == [specimen]
        assert specimen in static_text(dialog, "#reprint-preview")
        assert app.screen_stack[-2].query_one("#search").value == ""  # the digits did not stay in the field

        await pilot.press("f6")  # no reason yet
        assert "hvorfor" in static_text(dialog, "#reprint-error")
        dialog.query_one("#reprint-reason").focus()
        await pilot.press("e")  # the first reason: "Etiketten falt av"
        await wait_for(pilot, lambda: dialog.reason_text() == "Etiketten falt av")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ != "ReprintDialog")
        assert "skrevet ut på nytt" in static_text(app.screen, "#status")

        # on the worklist too (its Enter opens a row, but a scan comes first)
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded)
        await pilot.press(*specimen, "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorklistScreen")

    files = list(spool.glob("*.zpl"))
    assert len(files) == 1 and specimen in files[0].read_text(encoding="utf-8")
    with PrintJournal(app.journal_path) as journal:
        entries = journal.entries()
    assert [(e.reason, e.reason_text, e.specimen_ids, e.outcome) for e in entries] == [
        ("reprint", "Etiketten falt av", (specimen,), "ok")
    ]


async def test_reprint_from_the_detail_with_other_reason_and_copies(
    app_factory: Any, settings: Any, sandbox: Any, spool: Path
) -> None:
    from printing.journal import PrintJournal

    order = await make_order(settings, ["NPU19748", "NOR05172"])
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_worklist(pilot)
        await open_detail(pilot, order.id)
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReprintDialog")
        dialog = app.screen
        assert len(dialog.query_one("#reprint-labels").checked) == 2
        await pilot.press("space")  # untick the first
        copies = dialog.query_one("#reprint-copies")
        copies.value = ""
        copies.focus()
        await pilot.press("2")
        await pilot.press("tab", "a")  # to the reason: "Annet"
        await pilot.pause()
        assert dialog.query_one("#reprint-other").display
        await pilot.press("tab")  # to the field for it
        await type_text(pilot, "Rør byttet")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "OrderDetailScreen")
    with PrintJournal(app.journal_path) as journal:
        (entry,) = journal.entries()
    assert entry.reason == "reprint" and entry.reason_text == "Rør byttet" and entry.copies == 2
    assert len(entry.specimen_ids) == 1


# ---- etterrekvirering -----------------------------------------------------------------------------


async def test_addon_within_stability_is_accepted_and_wrong_material_refused(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    collected = FIXED_NOW - timedelta(hours=2)
    order = await make_order(settings, ["NOR05172"], collected_at=collected)  # B-Hemoglobin, EDTA
    specimen = order.specimens[0].id
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)

        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        assert dialog.specimen_id == specimen
        await type_text(pilot, "NPU02593")  # B-Leukocytter: EDTA, within 24 h
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter")
        assert [s.code for s in dialog.picked] == ["NPU02593"]
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.screen is detail)
        status = static_text(detail, "#status")
        assert "Etterrekvirert" in status and "Ingen ny etikett trengs" in status
        await wait_for(pilot, lambda: any(i.service_code == "NPU02593" for i in detail.order.requisitions[0].items))
        assert "etterrekvirert" in static_text(detail, "#detail-overview")

        # P-Kreatinin needs heparin plasma: refused, the reason shown, the choice kept
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        await type_text(pilot, "NPU18016")
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter")
        await pilot.press("f7")
        await wait_for(pilot, lambda: not dialog.busy and "Heparinplasma" in static_text(dialog, "#addon-error"))
        assert type(app.screen).__name__ == "AddOnDialog"
        assert [s.code for s in dialog.picked] == ["NPU18016"]
        await pilot.press("escape")


async def test_addon_beyond_stability_is_refused_with_the_reason(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    order = await make_order(settings, ["NOR05172"], collected_at=FIXED_NOW - timedelta(hours=1))
    clock.advance(24 * 3600)  # the add-on comes a day later: 25 h after the sample was drawn
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        await open_detail(pilot, order.id)
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        await type_text(pilot, "NPU03568")  # B-Trombocytter: 24 h
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter", "f7")
        await wait_for(pilot, lambda: not dialog.busy and "Holdbarheten" in static_text(dialog, "#addon-error"))
        assert [s.code for s in dialog.picked] == ["NPU03568"]


# ---- cancel ---------------------------------------------------------------------------------------------


async def test_cancel_an_item_then_refused_when_performed(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    order = await make_order(settings, ["NPU19748", "NOR05172"], send=True)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_worklist(pilot)
        detail = await open_detail(pilot, order.id)

        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        dialog = app.screen
        await pilot.press("down", "space")  # the first item (below "Hele rekvisisjonen")
        await pilot.press("f8")
        assert "hvorfor" in static_text(dialog, "#cancel-error")
        dialog.query_one("#cancel-reason").focus()
        await type_text(pilot, "Dobbeltbestilt")
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen is detail)
        assert "Kansellering av én analyse er sendt" in static_text(detail, "#status")
        assert "kansellering sendt" in static_text(detail, "#detail-overview")
        step(sandbox, clock)  # the item shows cancelled once the lab's AppRec confirms the cancellation
        await wait_for(pilot, lambda: sum(i.status == "kansellert" for r in detail.order.requisitions for i in r.items) == 1)
        assert "Dobbeltbestilt" in static_text(detail, "#detail-timeline")

        # open the dialog, let the lab finish, then try: 409 with the reason
        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        dialog = app.screen
        await pilot.press("space")  # the whole requisition
        dialog.query_one("#cancel-reason").value = "Pasienten møtte ikke"
        step(sandbox, clock, 5)  # ... svar klart: performed
        await pilot.press("f8")
        await wait_for(pilot, lambda: not dialog.busy and "Allerede utført" in static_text(dialog, "#cancel-error"))
        assert type(app.screen).__name__ == "CancelDialog"
