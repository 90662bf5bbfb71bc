"""The order session, driven directly: no Textual, no socket (the seed catalog and people)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from ihr.models import Catalog, Group, OrderStatus, OrderSummary, Patient
from ihr.rules.search import CatalogIndex
from sandbox.seed.catalog import seed_catalog
from sandbox.seed.people import (
    DEMO_OFFICE_HER_ID,
    DEMO_REQUESTER_HPR,
    seed_patients,
    seed_requesters,
)
from tui import strings as S
from tui.context import LaunchContext
from tui.draft import Step, StepStatus
from tui.session import OrderSession

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CRP, HCG, PSA, LITIUM, HBA1C = "NPU19748", "NPU01951", "NPU08669", "NPU02613", "NPU27300"


@cache
def catalog() -> Catalog:
    return seed_catalog()


def patient(sex: str) -> Patient:
    return next(p for p in seed_patients() if p.sex == sex and 20 <= p.age_on(NOW.date()) <= 50)


class CatalogResult:  # what `client.api.IhrClient.get_catalog` returns, as far as the session reads it
    def __init__(self, cat: Catalog) -> None:
        self.catalog, self.etag, self.from_cache, self.stale_reason = cat, "v1", False, None


def session(sex: str = "K", history: list[OrderSummary] | None = None, **kwargs: Any) -> OrderSession:
    s = OrderSession(office_her_id=DEMO_OFFICE_HER_ID, clock=lambda: NOW, **kwargs)
    s.set_catalog(CatalogResult(catalog()), CatalogIndex(catalog().services))
    s.set_patient(patient(sex), history or [])
    s.set_requester(next(r for r in seed_requesters() if r.hpr == DEMO_REQUESTER_HPR))
    return s


def test_a_service_goes_in_once() -> None:
    s = session()
    assert s.add_service(CRP).text == S.added("P-CRP")
    again = s.add_service(CRP)
    assert not again.done and again.severity == "warning" and s.draft.codes == [CRP]


def test_a_service_not_for_this_patient_is_refused_with_the_reason() -> None:
    s = session("K")
    refused = s.add_service(PSA)
    assert not refused.done and refused.severity == "error" and refused.alert
    assert "kan bare bestilles for menn" in refused.text and s.draft.codes == []


def test_a_recent_order_of_the_same_service_warns_but_adds() -> None:
    s0 = session("K")
    earlier = OrderSummary(id="o0", patient_id=s0.patient.id, patient_name="x", requester_hpr=DEMO_REQUESTER_HPR,
                           status=OrderStatus.RESULT_READY, created_at=NOW - timedelta(days=20), updated_at=NOW,
                           service_names=["B-HbA1c"], service_codes=[HBA1C])  # asked for every 60 days at most
    s = session("K", history=[earlier])
    notice = s.add_service(HBA1C)
    assert notice.done and notice.severity == "warning" and notice.alert and s.draft.codes == [HBA1C]
    assert "B-HbA1c ble bestilt" in notice.text
    cancelled = earlier.model_copy(update={"status": OrderStatus.CANCELLED})
    assert session("K", history=[cancelled]).add_service(HBA1C).severity == "information"


def test_a_saved_order_is_locked() -> None:
    s = session()
    s.add_service(CRP)
    s.draft.order = object()  # type: ignore[assignment]  # the service holds it now
    assert not s.add_service(HCG).done and s.remove_service(CRP).text == S.ALREADY_SAVED
    assert s.toggle_priority().text == S.ALREADY_SAVED and s.draft.priority == "normal"
    assert s.save_refusal().text == S.ALREADY_SAVED


def test_remove_takes_the_named_or_else_the_last_service() -> None:
    s = session()
    for code in (CRP, HCG, LITIUM):
        s.add_service(code)
    s.remove_service(HCG)
    assert s.draft.codes == [CRP, LITIUM]
    s.remove_service()
    assert s.draft.codes == [CRP]


def test_a_group_adds_what_the_catalog_still_has() -> None:
    s = session()
    s.add_service(CRP)
    notice = s.add_group(Group(id="g", name="Pakke", service_codes=[CRP, HCG, "GONE123"]))
    assert notice.text == S.group_added("Pakke", 1) and s.draft.codes == [CRP, HCG]


def test_priority_toggles() -> None:
    s = session()
    s.toggle_priority()
    assert s.draft.priority == "haster"
    s.toggle_priority()
    assert s.draft.priority == "normal"


def test_missing_answers_follow_the_questions_that_apply() -> None:
    s = session("K")
    s.add_service(HCG)
    s.draft.answers["gravid"] = True
    assert any("Svangerskapsuke" in m for m in s.missing_answers())  # required once she is pregnant
    s.draft.answers["gravid"] = False
    assert s.missing_answers() == [] and s.save_refusal() is None


def test_imaging_without_a_problemstilling_question_needs_the_comment() -> None:
    s = session()
    ct = next(x for x in catalog().services if x.requires_problemstilling)
    bare = ct.model_copy(update={"questions": [q for q in ct.questions if q.key != "problemstilling"]})
    s.draft.add(bare)
    assert s.needs_problemstilling() and S.PROBLEMSTILLING_REQUIRED in s.missing_answers()
    s.draft.comment = "Hoste i 6 uker"
    assert S.PROBLEMSTILLING_REQUIRED not in s.missing_answers()
    s.draft.items.clear()
    s.draft.add(ct)  # the catalog asks it as a guided question: that question carries it
    assert not s.needs_problemstilling()


def test_save_is_refused_until_there_is_something_to_save() -> None:
    s = OrderSession(clock=lambda: NOW)
    assert s.save_refusal().text == S.NOTHING_TO_SAVE
    s = session()
    s.requester = None
    s.add_service(CRP)
    assert s.save_refusal().text == S.NO_REQUESTER


def test_the_saved_body_drops_answers_that_no_longer_apply_and_keeps_its_key() -> None:
    s = session("K")
    s.add_service(HCG)
    s.draft.answers.update({"gravid": False, "svangerskapsuke": 20})
    body, key = s.order_to_save()
    assert "svangerskapsuke" not in body.answers and body.office_her_id == DEMO_OFFICE_HER_ID
    assert s.order_to_save()[1] == key  # the same body: the same key (a retry never makes two)
    s.add_service(CRP)
    # the draft's key, whatever the body: once an order exists under it (a lost answer, another
    # session), a changed draft is refused by the service rather than saved as a second order
    assert s.order_to_save()[1] == key


def test_services_chosen_at_start_up_wait_for_catalog_and_patient() -> None:
    entries = catalog().services  # the preview index holds entries with code and name
    s = OrderSession(context=LaunchContext(patient("K").id, DEMO_REQUESTER_HPR), clock=lambda: NOW)
    s.starting = True
    s.set_preview_index(CatalogIndex(entries), "v1")
    assert s.add_service(CRP).text == S.CATALOG_LOADING and [e.code for e in s.pending] == [CRP]
    s.add_service(CRP)
    assert len(s.pending) == 1  # chosen twice: waits once
    s.set_catalog(CatalogResult(catalog()), None)
    assert s.add_pending() == [] and s.draft.codes == []  # the patient is not there yet
    s.set_patient(patient("K"), [])
    assert [n.text for n in s.add_pending()] == [S.added("P-CRP")] and s.draft.codes == [CRP]


def test_services_chosen_for_the_epj_patient_are_dropped_for_another() -> None:
    s = OrderSession(context=LaunchContext(patient("K").id, DEMO_REQUESTER_HPR), clock=lambda: NOW)
    s.set_preview_index(CatalogIndex(catalog().services), "v1")
    s.add_service(CRP)
    s.set_catalog(CatalogResult(catalog()), None)
    s.set_patient(patient("M"), [])
    assert s.add_pending() == [] and s.draft.codes == [] and s.pending == []


def test_every_change_to_the_draft_is_reported_for_the_autosave() -> None:
    changes: list[int] = []
    s = session(on_draft_change=lambda: changes.append(1))
    s.add_service(CRP)
    s.draft.answers["x"] = 1
    s.new_draft()
    s.draft.priority = "haster"  # the new draft reports too
    assert len(changes) >= 3


@pytest.mark.parametrize(
    ("group", "editable"),
    [
        (Group(id="a", name="a", service_codes=[CRP], scope="office", office_her_id=DEMO_OFFICE_HER_ID), True),
        (Group(id="b", name="b", service_codes=[CRP], scope="office", office_her_id="99999999"), False),
        (Group(id="c", name="c", service_codes=[CRP], scope="office"), False),  # regional
        (Group(id="d", name="d", service_codes=[CRP], scope="personal", owner_hpr=DEMO_REQUESTER_HPR), True),
        (Group(id="e", name="e", service_codes=[CRP], scope="personal", owner_hpr="1234567"), False),
    ],
)
def test_groups_are_ours_to_change_by_the_service_rule(group: Group, editable: bool) -> None:
    assert session().may_edit(group) is editable


# ---- the requisition's other fields ------------------------------------------------------------
MR_KNE = "SNG0AG"


def test_every_imaging_referral_must_say_whether_modality_may_change() -> None:
    s = session()
    s.add_service(CRP)
    assert S.MODALITY_REQUIRED not in s.missing_answers()  # a lab order is not asked
    s.add_service(MR_KNE)
    assert S.MODALITY_REQUIRED in s.missing_answers()
    s.draft.modality_change = False  # "nei" is an answer too
    assert S.MODALITY_REQUIRED not in s.missing_answers()


def test_the_body_carries_the_fields_with_defaults_that_need_no_key() -> None:
    s = session()
    s.add_service(CRP)
    s.draft.modality_change = True  # answered, then the MR taken out again: not sent
    body = s.draft.order_input("p", DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    assert body.payment_category == "1" and body.copy_to_hpr == [] and body.diagnosis is None
    assert body.clinical_info is None and body.modality_change_allowed is None
    s.add_service(MR_KNE)
    gp = s.gp_offer()
    assert gp is not None and gp != DEMO_REQUESTER_HPR  # the demo patient's fastlege is someone else
    s.draft.copy_to_gp = gp
    s.draft.copy_other = f"990100458, {gp}"
    s.draft.diagnosis_code, s.draft.diagnosis_text = "l15", "Knesymptomer"
    s.draft.payment_category = "PA"
    body = s.draft.order_input("p", DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    assert body.copy_to_hpr == [gp, "990100458"]  # each once
    assert (body.diagnosis.code, body.diagnosis.text) == ("L15", "Knesymptomer")
    assert body.payment_category == "PA" and body.modality_change_allowed is True


def test_an_incomplete_diagnosis_or_a_bad_copy_recipient_is_listed() -> None:
    s = session()
    s.add_service(CRP)
    s.draft.diagnosis_code = "15"
    assert S.DIAGNOSIS_BAD_CODE in s.missing_answers()
    s.draft.diagnosis_code = "L15"
    assert S.DIAGNOSIS_TEXT_REQUIRED in s.missing_answers()
    s.draft.diagnosis_text = "Knesymptomer"
    s.draft.copy_other = "12ab"
    assert s.missing_answers() == [S.copy_bad_hpr("12ab")]
    s.draft.copy_other = "990999999"
    s.doctor_found("990999999", None)  # the service knows no such doctor
    assert s.missing_answers() == [S.copy_unknown("990999999")]


def test_text_a_message_cannot_carry_is_listed_in_every_field() -> None:
    s = session("K")
    s.add_service(CRP)
    s.add_service(MR_KNE)
    s.draft.modality_change = True
    s.draft.answers["problemstilling"] = "Vondt\x1b[2J"  # an escape sequence pasted in
    s.draft.raw_answers["problemstilling"] = "Vondt\x1b[2J"
    s.draft.clinical_info = "Ring\x00meg"
    s.draft.diagnosis_code, s.draft.diagnosis_text = "L15", "Kne\ufffe"
    found = " ".join(s.missing_answers())
    assert "U+001B" in found and "U+0000" in found and "U+FFFE" in found


def test_the_fields_survive_the_autosave(tmp_path: Any) -> None:
    from client.drafts import DraftStore
    from tui.draft import OrderDraft

    s = session()
    s.add_service(MR_KNE)
    d = s.draft
    d.payment_category, d.copy_to_gp, d.copy_other = "PA", s.gp_offer(), "990100458"
    d.diagnosis_code, d.diagnosis_text, d.clinical_info, d.modality_change = "L15", "Knesymptomer", "Vridd kne", False
    store = DraftStore(tmp_path / "ihr.sqlite3")  # a real SQLite file
    store.put(d.snapshot(s.patient.id, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID, NOW))
    snap = store.get(s.patient.id, DEMO_OFFICE_HER_ID)
    back, dropped = OrderDraft.restore(snap, catalog())
    assert dropped == []
    fields = ("payment_category", "copy_to_gp", "copy_other", "diagnosis_code", "diagnosis_text", "clinical_info",
              "modality_change")
    assert {f: getattr(back, f) for f in fields} == {f: getattr(d, f) for f in fields}


def test_the_fastlege_who_becomes_the_requester_gets_no_copy() -> None:
    s = session()
    s.add_service(CRP)
    gp = s.gp_offer()
    s.draft.copy_to_gp = gp
    s.set_requester(next(r for r in seed_requesters() if r.hpr == gp))
    assert s.gp_offer() is None and s.draft.order_input("p", gp, DEMO_OFFICE_HER_ID).copy_to_hpr == []


def test_an_answer_leaves_with_the_last_service_that_asks_it_and_is_asked_afresh() -> None:
    """Issue 18, item 2: MR caput, "Problemstilling: Hodepine", the MR removed, CT thorax
    added: the CT's problem statement is asked afresh, never "Hodepine" by itself."""
    s = session("K")
    s.add_service("SAA0AG")  # MR caput
    s.draft.raw_answers["problemstilling"] = "Hodepine"
    s.draft.answers.update({"problemstilling": "Hodepine", "pacemaker": False})
    s.add_service(CRP)
    s.remove_service("SAA0AG")
    assert "problemstilling" not in s.draft.answers and "problemstilling" not in s.draft.raw_answers
    assert "pacemaker" not in s.draft.answers
    s.add_service("SSC0AD")  # CT thorax asks the problem statement too
    assert "Mangler svar: Problemstilling" in s.missing_answers()
    assert s.offered_answer("problemstilling") == "Hodepine"  # offered, not used
    assert s.offered_answer("pacemaker") is None  # the CT does not ask it
    s.draft.answers.update({"siste_egfr": 60.0, "siste_egfr_dato": "2026-11-01", "kontrastallergi": False,
                            "problemstilling": "Hoste"})
    body, _ = s.order_to_save()
    assert body.answers["problemstilling"] == "Hoste" and "pacemaker" not in body.answers
    assert s.offered_answer("problemstilling") is None  # answered now


def test_a_service_that_still_asks_keeps_the_answer() -> None:
    s = session("K")
    s.add_service("SAA0AG")  # MR caput
    s.add_service("SNG0AG")  # MR kne: the same questions
    s.draft.answers["pacemaker"] = False
    s.remove_service("SAA0AG")
    assert s.draft.answers["pacemaker"] is False


# ---- the review's steps: save, print, collect, send (issue 20) ------------------------------
# The review screen starts the jobs; the session decides what their outcomes mean. Orders as
# the service returns them, built with the models (tests/kith/factories.py: synthetic people).


def saved_session() -> tuple[OrderSession, Any]:
    from tests.kith.factories import make_order

    s = session()
    s.add_service(CRP)
    order = make_order(collected=False)
    s.step_started(Step.SAVE)
    assert s.draft.steps[Step.SAVE].state is StepStatus.RUNNING and s.draft.steps[Step.SAVE].text == S.SAVING
    s.order_stored(order)
    return s, order


def taken(order: Any, *ids: str, when: datetime = NOW) -> Any:
    """`order` with the tubes `ids` registered as taken (the service's answer to a collection)."""
    specimens = [sp.model_copy(update={"collected_at": when, "collected_by": "Test Sekretær"}) if sp.id in ids else sp
                 for sp in order.specimens]
    return order.model_copy(update={"specimens": specimens})


def test_nothing_but_save_before_the_order_is_stored() -> None:
    s = session()
    s.add_service(CRP)
    assert s.print_refusal().text == S.SAVE_FIRST
    assert s.collection_refusal().text == S.SAVE_FIRST
    assert s.send_refusal().text == S.SAVE_FIRST


def test_a_stored_order_locks_the_draft_and_says_what_was_allocated() -> None:
    s, order = saved_session()
    step = s.draft.steps[Step.SAVE]
    assert step.state is StepStatus.DONE and s.draft.locked and s.draft.order is order
    assert step.text == "Lagret: rekvisisjonene R2026-000101, R2026-000102, H2026-000103. 4 prøve-ID-er tildelt."
    assert s.save_refusal().text == S.ALREADY_SAVED
    assert s.print_refusal() is None and s.collection_refusal() is None and s.send_refusal() is None


def test_a_failed_step_says_which_and_why_and_whether_the_outbox_keeps_it() -> None:
    s = session()
    s.add_service(CRP)
    notice = s.step_failed(Step.SAVE, "IHR svarer ikke.", kept=True)
    step = s.draft.steps[Step.SAVE]
    assert step.state is StepStatus.FAILED and notice.severity == "error" and notice.text == step.text
    assert step.text.startswith("Lagre feilet: IHR svarer ikke.") and step.text.endswith(S.OUTBOX_KEPT)
    assert not s.draft.locked and s.draft.codes == [CRP]  # basket kept


def test_only_printed_labels_count_as_printed() -> None:
    s, _ = saved_session()
    s.step_started(Step.PRINT)
    assert s.printing
    assert s.labels_printed("unconfirmed", "Sendt, ikke bekreftet.") is None
    assert s.draft.steps[Step.PRINT].state is StepStatus.UNCONFIRMED and not s.printing
    failed = s.labels_printed("failed", "Skriveren er tom for etiketter.")
    assert failed is not None and failed.severity == "error" and s.draft.steps[Step.PRINT].state is StepStatus.FAILED
    assert s.print_job_ended(False) is None  # dropped from the print queue: a new job next time
    assert (s.draft.steps[Step.PRINT].state, s.draft.steps[Step.PRINT].text) == (StepStatus.PENDING, "")
    done = s.labels_printed("ok", "4 etiketter skrevet ut.")
    assert done is not None and done.severity == "information" and s.draft.steps[Step.PRINT].state is StepStatus.DONE
    assert s.printed_before("20.11.2026 09:30") is None  # printed already: the step keeps its text
    assert s.draft.steps[Step.PRINT].text == "4 etiketter skrevet ut."


def test_the_print_journal_marks_a_restored_orders_labels_printed() -> None:
    s, _ = saved_session()
    notice = s.printed_before("20.11.2026 09:30")
    assert notice is not None and s.draft.steps[Step.PRINT].state is StepStatus.DONE
    assert notice.text == S.printed_before("20.11.2026 09:30") == s.draft.steps[Step.PRINT].text


def test_a_collection_is_partial_while_a_tube_is_missing_and_sending_says_which() -> None:
    s, order = saved_session()
    assert [sid for _, sid in s.tubes_to_collect()] == ["100000033", "100000025", "100000017", "100000041"]
    s.collection_started(NOW, "Test Sekretær", 3)
    s.step_started(Step.COLLECT)
    assert s.collection_stored(taken(order, "100000033", "100000025", "100000017")) is None
    step = s.draft.steps[Step.COLLECT]
    assert step.state is StepStatus.PARTIAL and "Prøvetaking registrert for 3 rør" in step.text
    assert "mangler Rør 4/4" in step.text
    assert [sid for _, sid in s.tubes_to_collect()] == ["100000041"]  # only the open tube now

    sent = s.order_sent(taken(order, "100000033", "100000025", "100000017").model_copy(
        update={"status": OrderStatus.SENT}))
    assert s.draft.steps[Step.SEND].state is StepStatus.DONE and sent.text == s.draft.steps[Step.SEND].text
    assert sent.text.startswith("Sendt: 3 rekvisisjoner. Ikke tatt ennå: Rør 4/4")
    assert s.send_refusal().text == S.ALREADY_SENT


def test_every_tube_taken_is_done_and_a_sent_order_has_none_left_to_take() -> None:
    s, order = saved_session()
    s.collection_started(NOW, "Test Sekretær", 4)
    all_taken = taken(order, *[sp.id for sp in order.specimens])
    notice = s.collection_stored(all_taken)
    assert notice is not None and s.draft.steps[Step.COLLECT].state is StepStatus.DONE
    assert notice.text == "Prøvetaking registrert for 4 rør, 30.11.2026 10:00, tatt av Test Sekretær."
    assert len(s.tubes_to_collect()) == 4  # not sent: all of them again, a time to correct
    s.order_sent(all_taken.model_copy(update={"status": OrderStatus.SENT}))
    assert s.draft.steps[Step.SEND].text == "Sendt: 3 rekvisisjoner."
    assert s.collection_refusal().text == S.COLLECT_ALL_TAKEN


def test_a_restored_order_takes_its_steps_from_the_service() -> None:
    from tests.kith.factories import make_order

    s = session()
    sent = make_order(collected=True).model_copy(update={"status": OrderStatus.SENT})
    assert s.order_restored(sent) is True  # nothing left to keep of the draft
    assert s.draft.steps[Step.SAVE].state is StepStatus.DONE and s.draft.steps[Step.SEND].state is StepStatus.DONE
    s.collection_from_order()
    assert s.draft.steps[Step.COLLECT].state is StepStatus.DONE
    assert "Prøvetaking registrert for 4 rør" in s.draft.steps[Step.COLLECT].text

    s2 = session()
    assert s2.order_restored(make_order(collected=False)) is False  # saved, not sent
    s2.collection_from_order()
    assert s2.draft.steps[Step.SEND].state is StepStatus.PENDING
    assert s2.draft.steps[Step.COLLECT].state is StepStatus.PENDING


def test_a_collection_before_the_labels_are_printed_is_asked_first() -> None:
    """Issue 18, item 6: not printed yet, failed or not confirmed: asked, the failure named."""
    s, _ = saved_session()
    assert s.collection_question() == S.COLLECT_UNPRINTED
    s.labels_printed("failed", "Skriveren er tom for etiketter.")
    assert s.collection_question() == S.COLLECT_PRINT_FAILED
    s.labels_printed("unconfirmed", "Sendt, ikke bekreftet.")
    assert s.collection_question() == S.COLLECT_UNCONFIRMED
    s.labels_printed("ok", "4 etiketter skrevet ut.")
    assert s.collection_question() is None


def test_tubes_registered_elsewhere_complete_the_collect_step_and_sending_names_none() -> None:
    """Issue 18, item 10: the rest registered in the order detail (Ctrl+T) before sending."""
    s, order = saved_session()
    s.collection_started(NOW, "Test Sekretær", 3)
    s.collection_stored(taken(order, "100000033", "100000025", "100000017"))
    assert s.draft.steps[Step.COLLECT].state is StepStatus.PARTIAL
    all_taken = taken(order, *[sp.id for sp in order.specimens])
    assert s.order_changed(all_taken.model_copy(update={"id": "another"})) is False  # not the open order
    assert s.draft.steps[Step.COLLECT].state is StepStatus.PARTIAL
    assert s.order_changed(all_taken) is True and s.draft.order is all_taken
    assert s.draft.steps[Step.COLLECT].state is StepStatus.DONE
    assert "mangler" not in s.draft.steps[Step.COLLECT].text


def test_sending_after_a_partial_collection_completed_meanwhile_names_no_tubes() -> None:
    s, order = saved_session()
    s.collection_started(NOW, "Test Sekretær", 3)
    s.collection_stored(taken(order, "100000033", "100000025", "100000017"))
    sent = taken(order, *[sp.id for sp in order.specimens]).model_copy(update={"status": OrderStatus.SENT})
    assert s.order_sent(sent).text == "Sendt: 3 rekvisisjoner."  # not "Ikke tatt ennå: ."
    assert s.draft.steps[Step.COLLECT].state is StepStatus.DONE


def test_the_open_order_sent_from_the_order_detail_is_sent_in_the_review_too() -> None:
    s, order = saved_session()
    assert s.order_changed(order.model_copy(update={"status": OrderStatus.SENT})) is True
    assert s.draft.steps[Step.SEND].state is StepStatus.DONE and s.draft.steps[Step.SEND].text == S.sent(3)
    assert not s.draft.dirty and s.send_refusal().text == S.ALREADY_SENT


def test_saving_an_imaging_referral_names_no_specimen_ids() -> None:
    """Issue 18, item 12: it said "0 prøve-ID-er tildelt"."""
    from tests.kith.factories import make_order

    s = session()
    full = make_order(collected=False)
    referral = full.model_copy(update={"specimens": [], "requisitions": [full.requisitions[2]]})
    assert s.order_stored(referral).text == "Lagret: henvisning H2026-000103."
