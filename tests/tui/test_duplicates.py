"""Duplicates (issue 18, item 4): a service already ordered for the patient today, or in an
order still open, warns for every service (P-CRP has no order interval, and could be
ordered six times a day without a word); a draft restored in two sessions on one account
is saved once, and the second session learns that the first saved it.

Against the sandbox over a real socket; the two sessions are two apps on one SQLite file
(the same account), as two `ihr` started from the EPJ for the same patient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.tui.conftest import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    FIXED_NOW,
    fixed_clock,
    make_client,
)
from tests.tui.helpers import add, ready, saved_on_review, step_done, wait_for
from tui.app import make_app
from tui.context import LaunchContext

CRP, NATRIUM, KALIUM, FERRITIN = "NPU19748", "NPU03429", "NPU03230", "NPU19763"


def status(app: Any) -> str:
    return str(app.screen.query_one("#status").render())


def app_on(settings: Any, clock: Any = fixed_clock) -> Any:
    ctx = LaunchContext(DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    return make_app(settings, make_client(settings), context=ctx, clock=clock, owns_client=True)


async def orders_of_patient(settings: Any) -> list[Any]:
    client = make_client(settings)
    try:
        return await client.list_orders(patient=DEMO_PATIENT_ID)
    finally:
        await client.aclose()


async def test_a_service_ordered_today_warns_on_every_new_order(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        first = await saved_on_review(pilot, "crp")
        await pilot.press("ctrl+n")  # a new order for the same patient; the first is not sent, so it asks
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: app.current_mode == "order" and not app.session.draft.items)
        await add(pilot, "crp")
        await wait_for(pilot, lambda: CRP in app.session.draft.codes)  # warned, never blocked
        assert "Obs: P-CRP er allerede bestilt i dag kl. 09:30 (lagret)" in status(app)
        assert first.status.value == "lagret"
        await add(pilot, "natrium")  # never ordered: no warning
        await wait_for(pilot, lambda: NATRIUM in app.session.draft.codes)
        assert "Obs:" not in status(app)


async def test_a_service_in_an_open_order_of_an_earlier_day_warns_a_cancelled_one_not(settings: Any) -> None:
    from ihr.models import CancelInput, ItemInput, OrderInput

    client = make_client(settings)
    try:
        def body(code: str) -> OrderInput:
            return OrderInput(patient_id=DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR,
                              office_her_id=DEMO_OFFICE_HER_ID, items=[ItemInput(service_code=code)])

        sent = await client.send_order((await client.create_order(body(NATRIUM), idempotency_key="open-one")).id)
        cancelled = await client.create_order(body(KALIUM), idempotency_key="cancelled-one")
        await client.cancel(cancelled.id, CancelInput(requisition_id=cancelled.requisitions[0].id, reason="Feilbestilt"))
    finally:
        await client.aclose()

    app = app_on(settings, clock=lambda: FIXED_NOW + timedelta(days=2))  # two days later
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "natrium")
        await wait_for(pilot, lambda: NATRIUM in app.session.draft.codes)
        # sent (the sandbox's clock stands still, so its labs do not move the order on)
        assert "Obs: P-Natrium står i en bestilling fra 20.11.2026 som ikke er ferdig (sendt)" in status(app)
        assert sent.status.value == "sendt"
        await add(pilot, "kalium")
        await wait_for(pilot, lambda: KALIUM in app.session.draft.codes)
        assert "Obs:" not in status(app)  # the cancelled order holds nothing


async def test_a_draft_restored_in_two_sessions_is_saved_once(app_factory: Any, settings: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:  # the draft, autosaved; then she quits
        await ready(pilot)
        await add(pilot, "ferritin")
        await wait_for(pilot, lambda: FERRITIN in app.session.draft.codes)

    first, second = app_on(settings), app_on(settings)
    async with first.run_test(size=(120, 36)) as one, second.run_test(size=(120, 36)) as two:
        await ready(one)
        await ready(two)
        await wait_for(one, lambda: first.session.draft.codes == [FERRITIN])  # both restored it
        await wait_for(two, lambda: second.session.draft.codes == [FERRITIN])
        await one.press("f5")
        await wait_for(one, lambda: first.current_mode == "review")
        await one.press("f6")
        await step_done(one, "save")
        saved = first.session.draft.order

        await two.press("f5")
        await wait_for(two, lambda: second.current_mode == "review")
        await two.press("f6")
        await step_done(two, "save")
        assert second.session.draft.order.id == saved.id  # the same order, not a second one
        assert second.session.draft.locked
        text = second.session.draft.steps["save"].text
        assert "allerede lagret" in text and "en annen økt" in text, text
        assert "allerede lagret" in status(second)

    orders = await orders_of_patient(settings)
    assert [o.id for o in orders] == [saved.id]


async def test_a_draft_changed_in_the_second_session_is_not_saved_as_a_second_order(
    app_factory: Any, settings: Any
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "ferritin")
        await wait_for(pilot, lambda: FERRITIN in app.session.draft.codes)

    first, second = app_on(settings), app_on(settings)
    async with first.run_test(size=(120, 36)) as one, second.run_test(size=(120, 36)) as two:
        await ready(one)
        await ready(two)
        await wait_for(one, lambda: first.session.draft.codes == [FERRITIN])
        await wait_for(two, lambda: second.session.draft.codes == [FERRITIN])
        await add(two, "natrium")  # the second session changes its copy of the draft
        await wait_for(two, lambda: second.session.draft.codes == [FERRITIN, NATRIUM])
        await one.press("f5")
        await wait_for(one, lambda: first.current_mode == "review")
        await one.press("f6")
        await step_done(one, "save")

        await two.press("f5")
        await wait_for(two, lambda: second.current_mode == "review")
        await two.press("f6")
        await wait_for(two, lambda: second.session.draft.steps["save"].state == "failed")
        text = second.session.draft.steps["save"].text
        assert "allerede lagret" in text and "annet innhold" in text, text
        assert second.session.draft.codes == [FERRITIN, NATRIUM]  # what she did is kept
        assert second.session.draft.order is None

    orders = await orders_of_patient(settings)
    assert len(orders) == 1 and orders[0].service_codes == [FERRITIN]
