"""The performing lab in the app: routed by the office's health region, chosen with Ctrl+L.

Pilot walk-throughs against the sandbox over a real socket, at the demo office (Solbakken
legekontor, Oslo): an MR kne goes to OUS, not to St. Olav the catalog lists first; choosing
St. Olav on the review asks why (another region), and the referral the service sends has St.
Olav as its receiver, with the reason kept on the requisition.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ihr.kith.namespaces import NS_REKVISISJON as NS_REQ
from sandbox.seed.catalog import LABS_CHEM, OUS_MB, OUS_RAD, STO_RAD, seed_catalog
from tests.tui.conftest import make_client
from tests.tui.helpers import add, on_questions, ready, step_done, type_text, wait_for
from tests.tui.test_followup import static_text

MR_KNE = "SNG0AG"


async def answer_mr(pilot: Any) -> None:
    """The MR's required answers (all "nei", the modality "ja") and its problem statement."""
    from tui.screens.questions import MODALITY_KEY

    app = pilot.app
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.current_mode == "questions" and "pacemaker" in app.screen.rows)
    screen = app.screen
    for key in ("pacemaker", "intrakranielle_klips", "metall_i_oye", "cochleaimplantat", "nevrostimulator",
                "metallimplantat"):
        screen.rows[key].field.focus()
        await pilot.press("n")
    screen.rows["problemstilling"].field.focus()
    await type_text(pilot, "Meniskskade?")
    screen.fields[MODALITY_KEY].field.focus()
    await pilot.press("j")
    await wait_for(pilot, lambda: not app.session.missing_answers())
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.current_mode == "review")


def receiver(xml: str) -> tuple[str, str]:
    """(HER-id, name) of the requisition's ServProvider: who the message is for."""
    root = etree.fromstring(xml.encode("utf-8"))
    inst = root.find(f".//{{{NS_REQ}}}ServProvider/{{{NS_REQ}}}HCP/{{{NS_REQ}}}Inst")
    assert inst is not None
    return inst.findtext(f"{{{NS_REQ}}}Id") or "", inst.findtext(f"{{{NS_REQ}}}Name") or ""


async def test_mr_kne_at_solbakken_goes_to_ous(app_factory: Any) -> None:
    assert seed_catalog().service(MR_KNE).labs[0] == STO_RAD  # the catalog lists St. Olav first
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.session.office is not None)
        await add(pilot, MR_KNE)
        await answer_mr(pilot)
        assert "Henvisning – OUS Radiologi" in static_text(app.screen, "#review-summary")
        await pilot.press("f6")
        await step_done(pilot, "save")
        (req,) = app.session.draft.order.requisitions
        assert req.lab_her_id == OUS_RAD
        assert req.out_of_region is None


async def test_choosing_st_olav_asks_why_and_the_referral_goes_there(app_factory: Any, settings: Any) -> None:
    from textual.widgets import OptionList

    from tui.dialogs.performer import PerformerDialog

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.session.office is not None)
        await add(pilot, MR_KNE)
        await answer_mr(pilot)
        review = app.screen
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, PerformerDialog))
        dialog = app.screen
        labs = dialog.query_one("#lab-list", OptionList)
        shown = [str(labs.get_option_at_index(i).prompt) for i in range(labs.option_count)]
        assert shown[0].startswith("OUS Radiologi – Helse Sør-Øst") and shown[0].endswith("(nå)")
        assert any(s.startswith("St. Olav Radiologi – Helse Midt-Norge") and "utenfor regionen" in s for s in shown)
        for _ in range(labs.option_count):
            if labs.get_option_at_index(labs.highlighted or 0).id == STO_RAD:
                break
            await pilot.press("down")
        assert labs.get_option_at_index(labs.highlighted or 0).id == STO_RAD
        await pilot.press("enter")
        # outside the region: the reason is asked, and nothing is chosen without it
        await wait_for(pilot, lambda: dialog.query_one("#lab-reason").display)
        assert "utenfor kontorets helseregion" in static_text(dialog, "#lab-error")
        assert app.screen is dialog and app.session.draft.items[0][1] == OUS_RAD
        await pilot.press("f")  # Fritt behandlingsvalg
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is review)
        assert app.session.draft.items[0][1] == STO_RAD
        summary = static_text(review, "#review-summary")
        assert "Henvisning – St. Olav Radiologi" in summary
        assert "Utenfor helseregionen: Fritt behandlingsvalg" in summary

        await pilot.press("f6")
        await step_done(pilot, "save")
        (req,) = app.session.draft.order.requisitions
        assert req.lab_her_id == STO_RAD and req.out_of_region is not None
        assert req.out_of_region.code == "fritt_behandlingsvalg"
        await pilot.press("f9")
        await step_done(pilot, "send")
        order_id = app.session.draft.order.id

    client = make_client(settings)
    try:
        sent = await client.get_messages(order_id)
    finally:
        await client.aclose()
    (referral,) = [m for m in sent if m.direction == "ut"]
    her_id, name = receiver(referral.xml)
    assert her_id == STO_RAD and name.startswith("St. Olavs hospital")


def test_a_service_the_chosen_lab_does_not_perform_keeps_its_own_requisition() -> None:
    from ihr.rules.routing import default_performer
    from sandbox.seed.people import seed_offices
    from tui.draft import OrderDraft

    catalog = seed_catalog()
    solbakken = seed_offices()[0]
    crp, mma = catalog.service("NPU19748"), catalog.service("NPU02780")  # MMA: not at Ahus
    ahus = next(catalog.lab(h) for h in LABS_CHEM if catalog.lab(h).short_name.startswith("Ahus"))
    draft = OrderDraft()
    for service in (crp, mma):
        draft.add(service, default_performer(service, solbakken, catalog))
    assert [lab for _, lab in draft.items] == [OUS_MB, OUS_MB]
    stayed = draft.choose_lab(OUS_MB, "klinisk_kjemi", ahus, None)
    assert stayed == [mma]
    assert [(s.code, lab) for s, lab in draft.items] == [(crp.code, ahus.her_id), (mma.code, OUS_MB)]
    body = draft.order_input("x" * 11, "1", solbakken.her_id)
    assert [(i.lab_her_id, i.out_of_region) for i in body.items] == [(ahus.her_id, None), (OUS_MB, None)]


# ---- the address register: a copy recipient found by surname -----------------------------------


async def test_a_copy_recipient_is_found_by_surname_and_the_copy_carries_his_her_ids(
    app_factory: Any, settings: Any
) -> None:
    from ihr.kith.schemas import validate
    from sandbox.reception import default_kith_dir
    from sandbox.seed.directory import person_her_id
    from tui.screens.questions import COPY_OTHER_KEY

    tveiten = "990100571"  # Lege Jørgen Tveiten, Elvebredden legevakt
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, "NPU19748", showing=COPY_OTHER_KEY)
        screen = app.screen
        screen.fields[COPY_OTHER_KEY].field.focus()
        await type_text(pilot, "tveiten")
        await wait_for(pilot, lambda: f"Jørgen Tveiten (HPR {tveiten})" in str(screen.fields[COPY_OTHER_KEY].error.content))
        assert app.session.draft.copy_hprs == [tveiten]
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        assert f"Kopi til: Jørgen Tveiten (HPR {tveiten})" in static_text(app.screen, "#review-summary")
        await pilot.press("f6")
        await step_done(pilot, "save")
        (copy,) = app.session.draft.order.copy_recipients
        assert (copy.hpr, copy.her_id, copy.office_name) == (tveiten, person_her_id(tveiten), "Elvebredden legevakt")
        await pilot.press("f9")
        await step_done(pilot, "send")
        order_id = app.session.draft.order.id

    client = make_client(settings)
    try:
        (sent,) = [m for m in await client.get_messages(order_id) if m.direction == "ut"]
    finally:
        await client.aclose()
    root = etree.fromstring(sent.xml.encode("utf-8"))
    person = root.find(f".//{{{NS_REQ}}}CopyDest/{{{NS_REQ}}}HCP/{{{NS_REQ}}}Inst/{{{NS_REQ}}}HCPerson")
    assert person is not None
    assert person.findtext(f"{{{NS_REQ}}}Id") == person_her_id(tveiten)
    assert person.find(f"{{{NS_REQ}}}TypeId").get("V") == "HER"
    assert person.findtext(f"{{{NS_REQ}}}AdditionalId/{{{NS_REQ}}}Id") == tveiten
    kith = default_kith_dir()
    if kith is not None:  # the official XSDs: the requisition with the HER-ids is valid
        requisition = root.find(f".//{{{NS_REQ}}}Message")
        assert requisition is not None
        assert validate(etree.tostring(requisition), "rekvisisjon", kith) == []


async def test_the_requester_is_found_by_name(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RequesterDialog")
        doctors = app.screen.query_one("#requester-list")
        await wait_for(pilot, lambda: doctors.option_count > 1)
        await pilot.press("ctrl+u")
        await type_text(pilot, "mæh")
        await wait_for(pilot, lambda: doctors.option_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.requester.hpr == "990100349")  # Fastlege Håkon Mæhlum


# ---- ICPC-2 from the code list --------------------------------------------------------------------


async def test_kne_in_the_diagnosis_field_offers_l96_and_the_text_is_the_lists(
    app_factory: Any, monkeypatch: Any
) -> None:
    from pathlib import Path

    from ihr.kith.icpc2 import FILE_ENV
    from tui.screens.questions import DIAGNOSIS_CODE_KEY, DIAGNOSIS_TEXT_KEY

    # the service's list: a small extract in the official file's shape (test data)
    monkeypatch.setenv(FILE_ENV, str(Path(__file__).resolve().parents[1] / "data" / "icpc-2-utdrag.json"))
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, "NPU19748", showing=DIAGNOSIS_CODE_KEY)
        screen = app.screen
        code_row = screen.fields[DIAGNOSIS_CODE_KEY]
        code_row.field.focus()
        await type_text(pilot, "kne")
        await wait_for(pilot, lambda: "L96 Akutt indre kneskade" in str(code_row.error.content))
        assert app.session.missing_answers()  # a search is no code: nothing is saved with it
        await type_text(pilot, "skade")
        await wait_for(pilot, lambda: str(code_row.error.content).startswith("ICPC-2: L96 Akutt indre kneskade  "))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.draft.diagnosis_code == "L96")
        assert app.session.draft.diagnosis_text == "Akutt indre kneskade"
        assert screen.fields[DIAGNOSIS_TEXT_KEY].field.value == "Akutt indre kneskade"
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        assert "Diagnose: L96 Akutt indre kneskade" in static_text(app.screen, "#review-summary")
        await pilot.press("f6")
        await step_done(pilot, "save")
        diagnosis = app.session.draft.order.diagnosis
        assert (diagnosis.code, diagnosis.text) == ("L96", "Akutt indre kneskade")
