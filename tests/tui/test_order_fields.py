"""The requisition's other fields and the order's lifecycle as messages, through the app.

Pilot walk-throughs against the sandbox over a real socket, on the clock `test_followup`
moves by hand: an order with a lab analysis and an MR is answered (contraindications, the
modality statement, a copy to the fastlege, a diagnosis), sent, and the MR referral's XML
read back from the service; an add-on goes out as a Tillegg, a cancellation as a
Kansellering that shows as cancelled only once the lab confirms it. And text that a message
cannot carry is said in place and never sent.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from tests.tui.conftest import make_client
from tests.tui.helpers import add, on_questions, ready, step_done, type_text, wait_for
from tests.tui.test_followup import (  # noqa: F401  (fixtures: the sandbox on a hand-moved clock)
    FakeClock,
    _fast_polling,
    clock,
    open_detail,
    sandbox,
    static_text,
    step,
)
from tui import strings as S

MR_KNE = "SNG0AG"
CRP = "NPU19748"
GP_HPR = "990100349"  # the demo patient's fastlege (not the demo requester)
VOLVEN = "2.16.578.1.12.4.1.1."


async def answer(pilot: Any, field: Any, key: str) -> None:
    field.focus()
    await pilot.press(key)
    await pilot.pause()


def coded(xml: str, code_list: str) -> list[str]:
    """The V of every element coded in Volven list `code_list` (its OID in S)."""
    root = etree.fromstring(xml.encode("utf-8"))
    return [el.get("V") for el in root.iter() if el.get("S") == VOLVEN + code_list]


async def messages(settings: Any, order_id: str) -> list[Any]:
    client = make_client(settings)
    try:
        return await client.get_messages(order_id)
    finally:
        await client.aclose()


async def test_lab_and_mr_order_sent_with_its_fields_then_addon_and_cancel_as_messages(
    app_factory: Any, settings: Any, sandbox: Any, clock: FakeClock
) -> None:
    from tui.screens.questions import (
        CLINICAL_KEY,
        COPY_GP_KEY,
        DIAGNOSIS_CODE_KEY,
        DIAGNOSIS_TEXT_KEY,
        MODALITY_KEY,
        PAYMENT_KEY,
    )

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, CRP)
        await add(pilot, MR_KNE)
        assert app.session.draft.codes == [CRP, MR_KNE]

        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "questions" and "pacemaker" in app.screen.rows)
        screen = app.screen
        # the MR contraindications: all "nei", and claustrophobia "ja"
        for key in ("pacemaker", "intrakranielle_klips", "metall_i_oye", "cochleaimplantat", "nevrostimulator",
                    "metallimplantat"):
            await answer(pilot, screen.rows[key].field, "n")
        await answer(pilot, screen.rows["klaustrofobi"].field, "j")
        screen.rows["problemstilling"].field.focus()
        await type_text(pilot, "Meniskskade?")
        # asked on every imaging referral, and nothing is saved until it is answered
        missing = static_text(screen, "#questions-missing")
        assert "endre modalitet" in missing
        await answer(pilot, screen.fields[MODALITY_KEY].field, "j")
        await wait_for(pilot, lambda: "endre modalitet" not in static_text(screen, "#questions-missing"))
        # the common order needs no key for payment; the fastlege is offered by name
        assert screen.fields[PAYMENT_KEY].field.value == "1"
        await wait_for(pilot, lambda: "Håkon Mæhlum" in str(screen.fields[COPY_GP_KEY].label.content))
        await answer(pilot, screen.fields[COPY_GP_KEY].field, "j")
        screen.fields[DIAGNOSIS_CODE_KEY].field.focus()
        await type_text(pilot, "l15")
        screen.fields[DIAGNOSIS_TEXT_KEY].field.focus()
        await type_text(pilot, "Knesymptomer")
        screen.fields[CLINICAL_KEY].field.focus()
        await type_text(pilot, "Vridd kneet for 3 uker siden")

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        summary = static_text(app.screen, "#review-summary")
        assert "Betaling: Ordinær pasient" in summary
        assert f"Kopi til: Håkon Mæhlum (HPR {GP_HPR})" in summary
        assert "Diagnose: L15 Knesymptomer" in summary
        assert "Endre modalitet: Ja (tillatelse)" in summary
        await pilot.press("f6")
        await step_done(pilot, "save")
        await pilot.press("f8")  # before the labels: asked first (issue 18, item 6)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("j")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionDialog")
        await pilot.press("enter")
        await step_done(pilot, "collect")
        await pilot.press("f9")
        await step_done(pilot, "send")
        order = app.session.draft.order

        # the MR referral as the radiology department gets it
        sent = await messages(settings, order.id)
        (mr,) = [m for m in sent if m.msg_type == "REQ_RTG"]
        assert mr.service_type == "N"
        assert sorted(coded(mr.xml, "8210")) == ["NOCOC", "NOIVK", "NOMEY", "NONEV", "NOPAC"]
        assert coded(mr.xml, "8209") == ["KLA"]
        assert coded(mr.xml, "8274") == ["1"]
        assert GP_HPR in mr.xml and "L15" in mr.xml and "Vridd kneet" in mr.xml
        (lab,) = [m for m in sent if m.msg_type == "REQ_LAB"]
        assert coded(lab.xml, "8274") == []  # the statement belongs to imaging only

        # the order detail: F7 add-on on the CRP tube goes out as a Tillegg
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.current_mode == "worklist" and app.screen.loaded)
        detail = await open_detail(pilot, order.id)
        await pilot.press("f7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AddOnDialog")
        dialog = app.screen
        await type_text(pilot, "NPU03429")  # P-Natrium: heparin plasma, like P-CRP
        await wait_for(pilot, lambda: bool(dialog.results))
        await pilot.press("enter", "f7")
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: "REQ_LAB Tillegg" in static_text(detail, "#detail-messages"))
        assert any(m.service_type == "A" for m in await messages(settings, order.id))

        # F8: cancel the MR referral after sending: a Kansellering, pending until the lab answers
        mr_req = next(r for r in detail.order.requisitions if r.discipline == "radiologi")
        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CancelDialog")
        dialog = app.screen
        choices = dialog.query_one("#cancel-what")
        for _ in range(len(choices.lines)):
            if choices.highlighted == f"req:{mr_req.id}":
                break
            await pilot.press("down")
        await pilot.press("space")
        dialog.query_one("#cancel-reason").focus()
        await type_text(pilot, "Pasienten er bedre")
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen is detail)
        assert "Kansellering av én analyse er sendt" in static_text(detail, "#status")
        await wait_for(pilot, lambda: "REQ_RTG Kansellering" in static_text(detail, "#detail-messages"))
        overview = static_text(detail, "#detail-overview")
        assert "MR kne  kansellering sendt" in overview
        mr_item = next(r for r in detail.order.requisitions if r.id == mr_req.id).items[0]
        assert mr_item.status == "bestilt"  # not cancelled: the lab may already be at work

        step(sandbox, clock)  # the lab's AppRec confirms the cancellation
        await wait_for(pilot, lambda: "MR kne  kansellert" in static_text(detail, "#detail-overview"))
        cancel_msg = next(m for m in await messages(settings, order.id) if m.service_type == "C")
        number = [m.msg_id for m in detail.messages].index(cancel_msg.msg_id) + 1
        assert f"(svar på melding {number}, REQ_RTG)" in static_text(detail, "#detail-messages")


async def test_text_a_message_cannot_carry_is_said_in_place_and_never_saved_and_a_copy_recipient_is_looked_up(
    app_factory: Any, settings: Any, sandbox: Any
) -> None:
    from tui.screens.questions import CLINICAL_KEY, COPY_OTHER_KEY

    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, CRP, showing=CLINICAL_KEY)
        screen = app.screen
        row = screen.fields[CLINICAL_KEY]
        row.field.value = "Ring\x07meg"  # pasted from somewhere: a BEL in it
        await pilot.pause()
        assert "U+0007" in str(row.error.content) and row.error.display
        assert "U+0007" in static_text(screen, "#questions-missing")

        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")  # refused: back to the questions, nothing sent
        await wait_for(pilot, lambda: app.current_mode == "questions")
        assert app.session.draft.order is None and app.session.draft.submitted is None  # no save attempted
        assert app.session.draft.clinical_info == "Ring\x07meg"  # what was typed is kept

        row.field.value = "Ring meg"
        await pilot.pause()
        assert not row.error.display

        # another doctor by HPR-nummer: looked up, the name shown under the field
        other = screen.fields[COPY_OTHER_KEY]
        other.field.focus()
        await type_text(pilot, "990999999")
        await wait_for(pilot, lambda: "Fant ingen lege med HPR-nummer 990999999" in str(other.error.content))
        assert S.copy_unknown("990999999") in static_text(screen, "#questions-missing")
        other.field.value = ""
        await type_text(pilot, "990100458")
        await wait_for(pilot, lambda: "Yasmin Bergersen Ødegård (HPR 990100458)" in str(other.error.content))
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.press("f6")
        await step_done(pilot, "save")
        saved = app.session.draft.order
        assert saved.clinical_info == "Ring meg" and [c.hpr for c in saved.copy_recipients] == ["990100458"]
