"""Pilot walk-throughs against the sandbox over a real socket, with a file printer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.conftest import DEMO_PATIENT_ID, make_client
from tests.tui.helpers import add, handled, ready, saved_on_review, step_done, type_text, wait_for
from tui.widgets.choice import ChoiceField


async def fetch_order(settings: Any, order_id: str) -> Any:
    client = make_client(settings)
    try:
        return await client.get_order(order_id)
    finally:
        await client.aclose()


async def test_context_to_saved_printed_sent_order(
    app_factory: Any, settings: Any, spool: Path, sandbox: Any, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert app.current_mode == "order"
        await add(pilot, "crp")
        await add(pilot, "hcg")
        assert app.session.draft.codes == ["NPU19748", "NPU01951"]

        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        screen = app.screen
        # gravid: a choice; "j" answers Ja
        gravid = screen.rows["gravid"].field
        assert isinstance(gravid, ChoiceField)
        gravid.focus()
        await pilot.press("j")
        await wait_for(pilot, lambda: app.session.draft.answers.get("gravid") is True)
        # the conditional question appears
        assert screen.rows["svangerskapsuke"].display
        assert not screen.rows["termindato"].display
        screen.rows["svangerskapsuke"].field.focus()
        await type_text(pilot, "20")
        await wait_for(pilot, lambda: app.session.draft.answers.get("svangerskapsuke") == 20)
        assert screen.rows["termindato"].display  # enabled by uke >= 18

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")
        await step_done(pilot, "save")
        order = app.session.draft.order
        assert order is not None and order.specimens

        await pilot.press("f7")
        await step_done(pilot, "print")
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CollectionDialog")
        # time (now) and who (settings.user) are filled in: one Enter registers the collection
        await pilot.press("enter")
        await step_done(pilot, "collect")
        assert app.screen.__class__.__name__ != "CollectionDialog"
        await pilot.press("f9")
        await step_done(pilot, "send")
        assert not app.session.draft.dirty

    stored = await fetch_order(settings, order.id)
    assert stored.patient.id == DEMO_PATIENT_ID
    assert stored.status.value in ("sendt", "transportkvittert", "akseptert", "mottatt")
    assert stored.answer("gravid") is True
    assert stored.answer("svangerskapsuke") == 20
    codes = {i.service_code for r in stored.requisitions for i in r.items}
    assert codes == {"NPU19748", "NPU01951"}
    assert all(s.collected_by == "Test Sekretær" for s in stored.specimens)
    zpl = "".join(p.read_text(encoding="utf-8") for p in sorted(spool.glob("*.zpl")))
    for specimen in stored.specimens:
        assert specimen.id in zpl
    assert zpl.count("^XA") == len(stored.specimens)

    # the office's privacy officer sees the print of each label in the patient's access log
    from client.api import IhrClient
    from ihr.helseid import SCOPE_AUDIT
    from tests.helseid import auth_for

    async with IhrClient(sandbox.url, auth_for(sandbox, tmp_path / "personvern", scopes=(SCOPE_AUDIT,))) as officer:
        log = await officer.get_audit(DEMO_PATIENT_ID)
    printed = [e.object for e in log.entries if e.action == "labels.print"]  # one row a print job
    assert len(printed) == 1 and sorted(printed[0].split(",")) == sorted(s.id for s in stored.specimens)
    assert log.chain_intact


async def test_a_new_order_starts_without_the_old_orders_news(app_factory: Any) -> None:
    """The status line and the steps belong to the order they are about (issue 11, defect 8)."""
    from tui import messages as m

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        await pilot.press("f9")
        await step_done(pilot, "send")
        old = app.session.draft.order
        review = app.screen
        assert "Sendt" in str(review.query_one("#status").render())
        await pilot.press("ctrl+n")  # a new order (nothing unsent: no question)
        await wait_for(pilot, lambda: app.current_mode == "order" and app.session.draft.order is None)
        assert str(app.screen.query_one("#status").render()).strip() == ""
        # the old order's answer arriving late (a slow line) does not become the new order's
        review.post_message(m.OrderSent(old))
        review.post_message(m.OrderStored(old))
        await handled(pilot, review)
        assert app.session.draft.order is None
        assert all(step.state == "pending" for step in app.session.draft.steps.values())
        assert "Sendt" not in str(app.screen.query_one("#status").render())


async def test_missing_required_answers_are_listed(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "litium")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")  # save: blocked, sent to the questions with the list
        await wait_for(pilot, lambda: app.current_mode == "questions")
        assert app.session.draft.order is None and app.session.draft.steps["save"].state == "pending"
        missing = str(app.screen.query_one("#questions-missing").render())
        assert "Dette mangler" in missing
        assert "Mangler svar" in missing
        # a wrong datetime gives the Norwegian parse message under the field
        row = app.screen.rows["siste_dose_tid"]
        row.field.focus()
        await type_text(pilot, "i går")
        await pilot.pause()
        assert "Ugyldig tidspunkt" in str(row.query_one(".question-error").render())
        assert "siste_dose_tid" not in app.session.draft.answers
        assert app.session.draft.raw_answers["siste_dose_tid"] == "i går"


async def test_wrong_fodselsnummer_message(app_factory: Any) -> None:
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.current_mode == "patient"
        await type_text(pilot, "12345678901")
        await pilot.press("wait:800", "enter")  # typed by a person (slowly), then Enter
        await pilot.pause()
        status = str(app.screen.query_one("#status").render())
        assert "Kontrollsifrene stemmer ikke" in status
        assert app.session.patient is None


async def test_scanned_fodselsnummer_opens_patient_anywhere(app_factory: Any) -> None:
    app = app_factory(context=False)
    app.scanner.WINDOW_S = 3.0  # Pilot on a loaded test machine types slower than a scanner
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.screen.query_one("#patient-query").blur()  # not in the search field
        await pilot.pause()
        await pilot.press(*DEMO_PATIENT_ID, "enter")  # a scanner: fast, ends with Enter
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order")
        assert app.session.patient.id == DEMO_PATIENT_ID
        # and again from the order builder's search field: the digits do not stay there
        app.screen.query_one("#search").focus()
        await pilot.press(*DEMO_PATIENT_ID, "enter")
        await pilot.pause()
        assert app.screen.query_one("#search").value == ""


async def test_duplicate_warning(app_factory: Any, settings: Any) -> None:
    from ihr.models import ItemInput, OrderInput
    from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

    client = make_client(settings)
    try:
        await client.create_order(
            OrderInput(
                patient_id=DEMO_PATIENT_ID,
                requester_hpr=DEMO_REQUESTER_HPR,
                office_her_id=DEMO_OFFICE_HER_ID,
                items=[ItemInput(service_code="NPU01566")],  # P-Kolesterol, interval 90 days
            ),
            idempotency_key="earlier-order",
        )
    finally:
        await client.aclose()
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "kolesterol")
        await pilot.pause()
        assert "NPU01566" in app.session.draft.codes  # warned, never blocked
        status = str(app.screen.query_one("#status").render())
        assert "Obs:" in status and "P-Kolesterol" in status


async def test_dead_server_on_save_keeps_everything_and_retry_works(
    app_factory: Any, sandbox: Any, settings: Any, tmp_path: Path
) -> None:
    from sandbox.server import EmbeddedSandbox
    from tests.tui.conftest import FIXED_NOW

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await add(pilot, "hcg")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "gravid" in app.screen.rows)
        app.screen.rows["gravid"].field.focus()
        await pilot.press("n")  # Nei
        await wait_for(pilot, lambda: app.session.draft.answers.get("gravid") is False)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")

        sandbox.stop()  # the service dies
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.session.draft.steps["save"].state == "failed")
        assert "Får ikke kontakt" in app.session.draft.steps["save"].text
        assert "utboksen" in app.session.draft.steps["save"].text
        assert app.session.draft.codes == ["NPU19748", "NPU01951"]
        assert app.session.draft.answers == {"gravid": False}
        assert len(app.outbox) == 1  # kept on disk, with its key
        key = app.session.draft.idempotency_key

        # a new service on the same database file and the same port
        with EmbeddedSandbox(db_path=sandbox.db_path, lab_delay_s=0.2, clock=lambda: FIXED_NOW) as again:
            app.client = make_client(settings, url=again.url)
            await pilot.press("f6")
            await step_done(pilot, "save")
            await pilot.press("f6")  # a second press does not make a second order
            await pilot.pause()
            assert app.session.draft.idempotency_key == key
            assert len(app.outbox) == 0
            client = make_client(settings, url=again.url)
            try:
                orders = await client.list_orders(patient=DEMO_PATIENT_ID)
            finally:
                await client.aclose()
            assert len(orders) == 1
            await app.client.aclose()


async def test_outbox_left_by_a_crash_is_sent_at_start_with_its_key(app_factory: Any, settings: Any) -> None:
    from client.outbox import Outbox
    from ihr.models import ItemInput, OrderInput
    from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    Outbox(settings.db_path).put(
        "left-by-a-crash",
        OrderInput(
            patient_id=DEMO_PATIENT_ID,
            requester_hpr=DEMO_REQUESTER_HPR,
            office_her_id=DEMO_OFFICE_HER_ID,
            items=[ItemInput(service_code="NPU19748")],
        ),
    )
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: len(app.outbox) == 0)
        await wait_for(pilot, lambda: "utboksen" in str(app.screen.query_one("#status").render()))
    client = make_client(settings)
    try:
        assert len(await client.list_orders(patient=DEMO_PATIENT_ID)) == 1
    finally:
        await client.aclose()


async def test_choose_requester_by_hpr(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await pilot.press("ctrl+r")  # from the order builder, as the banner says (issue 11, defect 9)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RequesterDialog")
        await pilot.press("escape")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RequesterDialog")
        await pilot.press("ctrl+u")
        await type_text(pilot, "990100349")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.requester is not None and app.session.requester.hpr == "990100349")
        assert "Mæhlum" in str(app.screen.query_one("#banner").render())
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RequesterDialog")
        await pilot.press("ctrl+u")
        await type_text(pilot, "999999999")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Fant ingen rekvirent" in str(app.screen.query_one("#status").render()))
        assert app.session.requester.hpr == "990100349"


async def test_choose_requester_from_the_offices_doctors(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RequesterDialog")
        doctors = app.screen.query_one("#requester-list")
        await wait_for(pilot, lambda: doctors.option_count > 1)
        listed = [doctors.get_option_at_index(i).id for i in range(doctors.option_count)]
        assert app.session.requester.hpr in listed  # the office's doctors, the current one among them
        current = listed.index(app.session.requester.hpr)
        key, other = ("down", listed[current + 1]) if current + 1 < len(listed) else ("up", listed[current - 1])
        await pilot.press(key, "enter")  # the next doctor's number into the field, and take it
        await wait_for(pilot, lambda: app.session.requester.hpr == other)


async def test_patient_by_name_then_pick_from_the_list(app_factory: Any) -> None:
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_text(pilot, "bjørnstad")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#patient-results").row_count > 0)
        await pilot.press("enter")  # the results have focus; Enter opens the highlighted one
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order")
        assert app.session.patient.id == DEMO_PATIENT_ID


async def test_a_refused_order_leaves_the_outbox_and_keeps_the_basket(app_factory: Any, monkeypatch: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        # the service refuses (here: an office it does not know)
        app.session.office_her_id = "00000000"
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.session.draft.steps["save"].state == "failed")
        assert len(app.outbox) == 0
        assert "utboksen" not in app.session.draft.steps["save"].text
        assert app.session.draft.codes == ["NPU19748"]


async def test_search_forgives_a_typo_and_counts_every_match(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        info = app.screen.query_one("#search-info")
        total = len(app.session.catalog.services)
        assert f"50 av {total} treff" in str(info.render())  # the list shows 50 of all the services
        await add(pilot, "ferittin")  # a letter doubled wrongly: still found, and Enter takes it
        assert [s.name for s in app.session.draft.services] == ["P-Ferritin"]


async def test_the_palette_runs_the_reviews_steps_from_anywhere(app_factory: Any, spool: Path) -> None:
    """Ctrl+P "Lagre bestillingen" from the order builder shows the review and saves there, as
    F6 does; "Skriv ut etiketter" from the questions prints (issue 20: the app runs the review's
    own step action instead of reaching into the screen)."""
    from tests.tui.test_followup import static_text

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")

        async def palette(command: str) -> None:
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "NorwegianCommandPalette")
            await type_text(pilot, command)
            await wait_for(pilot, lambda: command in str(app.screen.query_one("CommandList").get_option_at_index(0).prompt))
            await pilot.press("enter")

        await palette("Lagre bestillingen")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await step_done(pilot, "save")
        assert "Lagret: rekvisisjon" in static_text(app.screen, "#review-steps")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions")
        await palette("Skriv ut etiketter")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await step_done(pilot, "print")
        assert len(list(spool.glob("*.zpl"))) == 1
