"""The order session: what the secretary is working on, and the rules for changing it.

Plain Python, no Textual and no I/O: the catalog and its search index, the patient and the
requester (and, at start-up, their peeked previews), the patient's history, the groups and
the open `OrderDraft`. The screens ask the app to change it; the app asks the session, which
decides and answers with a `Notice` for the status line. Tests drive it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ihr.rules.text import FREE_TEXT_MAX, length_problem, text_problem
from tui import strings as S
from tui.context import LaunchContext
from tui.draft import OrderDraft, Step, StepStatus

if TYPE_CHECKING:  # the domain and pydantic load after the first screen is drawn
    from ihr.models import (
        Catalog,
        Group,
        Lab,
        Office,
        Order,
        OrderInput,
        OrderSummary,
        Patient,
        Requester,
        Service,
    )

NORMAL, URGENT = "normal", "haster"  # ihr.models.Priority values


def _norwegian_now() -> datetime:
    from ihr.localtime import OSLO  # start-up seam

    return datetime.now(OSLO)


def is_icpc2_code(code: str) -> bool:
    """The service's own rule for a diagnosis code (`ihr.models.Diagnosis`)."""
    from pydantic import ValidationError  # start-up seam

    from ihr.models import Diagnosis  # start-up seam

    try:
        Diagnosis(code=code, text="-")
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class Notice:
    """What a change did, for the status line: Norwegian text and how serious it is."""

    text: str
    severity: str = "information"  # information | warning | error
    alert: bool = False  # also as a notification, not only on the status line
    done: bool = True  # False: the change was refused


class OrderSession:
    """One secretary's ordering session: one patient and one order draft at a time."""

    def __init__(
        self,
        *,
        context: LaunchContext | None = None,
        office_her_id: str | None = None,
        clock: Callable[[], datetime] | None = None,
        on_draft_change: Callable[[], None] | None = None,
        user_hpr: str = "",
    ) -> None:
        self.context = context or LaunchContext()
        self.office_her_id = self.context.office_her_id or office_her_id or ""
        self.user_hpr = user_hpr  # the health worker at the keyboard (settings' user_hpr)
        #: Norwegian time, whatever the machine's zone: every time shown or printed agrees
        self.clock: Callable[[], datetime] = clock or _norwegian_now
        self.catalog: Catalog | None = None
        self.catalog_note = ""  # shown in the banner: the catalog is an old copy, and why
        self.index: Any = None  # ihr.rules.search.CatalogIndex (of SearchEntry or Service)
        self.index_etag: str | None = None  # the catalog version the index was built from
        self.groups: list[Group] | None = None  # None until they have been fetched
        self.history: list[OrderSummary] = []
        self.patient: Patient | None = None
        self.requester: Requester | None = None
        #: `client.peek.PatientPeek` / `RequesterPeek`: the banner's preview at start-up.
        self.patient_peek: Any = None
        self.requester_peek: Any = None
        #: Services chosen before the catalog and the EPJ's patient had loaded (search entries).
        self.pending: list[Any] = []
        self.starting = False  # start-up is loading the catalog and the EPJ's patient
        self.on_draft_change = on_draft_change  # every change to a draft (the autosave)
        #: The signed-in office with its health region (`ihr.rules.routing`); None until
        #: start-up has it, or when the service does not know it.
        self.office: Office | None = None
        #: Copy recipients typed by name (casefolded): the doctors the register found.
        self.copy_names: dict[str, list[Requester]] = {}
        #: Copy recipients looked up by HPR-nummer (None: the service knows no such doctor).
        self.doctors: dict[str, Requester | None] = {}
        self.draft = OrderDraft()

    # ---- the draft ---------------------------------------------------------------------
    @property
    def draft(self) -> OrderDraft:
        return self._draft

    @draft.setter
    def draft(self, value: OrderDraft) -> None:
        self._draft = value
        value.on_change = self.on_draft_change

    def new_draft(self) -> None:
        """Start a new, empty order for the same patient."""
        self.draft = OrderDraft()

    @property
    def requester_hpr(self) -> str:
        return self.requester.hpr if self.requester else (self.context.requester_hpr or "")

    @property
    def worker_hpr(self) -> str:
        """Who is signed in: the health worker at the keyboard, or the requester when no
        `user_hpr` is set (her personal groups are this person's)."""
        return self.user_hpr or self.requester_hpr

    # ---- who is shown ------------------------------------------------------------------
    @property
    def shown_patient(self) -> Any:
        """The patient the banner shows: the validated one, or the start-up preview."""
        return self.patient or self.patient_peek

    @property
    def shown_requester(self) -> Any:
        return self.requester or self.requester_peek

    def set_patient(self, patient: Patient, history: list[OrderSummary]) -> bool:
        """Open `patient`; True when it is another patient than before (a new draft then)."""
        changed = self.patient is None or self.patient.id != patient.id
        if changed:
            self.new_draft()
        self.patient, self.history, self.patient_peek = patient, history, None
        return changed

    def set_requester(self, requester: Requester) -> None:
        self.requester, self.requester_peek = requester, None
        if self.draft.copy_to_gp == requester.hpr and not self.draft.locked:
            self.draft.copy_to_gp = None  # the fastlege is the requester now: no copy to herself

    def forget_peeks(self) -> None:
        """Start-up failed: what the preview showed was never confirmed."""
        self.patient_peek = self.requester_peek = None

    def set_catalog(self, result: Any, index: Any) -> None:
        """The validated catalog (`client.api.CatalogResult`) and its index (None: keep the
        preview's, built from this very version)."""
        self.catalog = result.catalog
        if index is not None:
            self.index, self.index_etag = index, result.etag
        self.catalog_note = S.banner_cache(result.stale_reason) if result.from_cache and result.stale_reason else ""

    def set_preview_index(self, index: Any, etag: str | None) -> None:
        """The search index of the cached catalog, unless the validated catalog came first."""
        if self.catalog is None:
            self.index, self.index_etag = index, etag

    # ---- the basket ----------------------------------------------------------------------
    def patient_loading(self) -> bool:
        """Start-up is still fetching the patient from the EPJ."""
        return bool(self.context.patient_id) and self.patient is None and self.starting

    def add_service(self, code: str) -> Notice:
        """Put a service in the basket (or say why not); a duplicate of a recent order warns."""
        if self.catalog is None or self.patient_loading():
            # Chosen from the start-up search list: it goes in when catalog and patient are
            # there (the refusal and duplicate checks need both).
            entry = self.index.entry(code) if self.index is not None else None
            if entry is not None and all(p.code != code for p in self.pending):
                self.pending.append(entry)
            return Notice(S.CATALOG_LOADING)
        from ihr.rules.ordering import (  # start-up seam
            already_ordered,
            already_ordered_warning,
            duplicate_warning,
            patient_refusal,
            recent_duplicate,
        )

        if self.draft.locked:
            return Notice(S.ALREADY_SAVED, "warning", done=False)
        service = self.catalog.service(code)
        if self.patient is not None:
            reason = patient_refusal(service, self.patient, self.clock().date())
            if reason:
                return Notice(S.refusal(service.name, reason), "error", alert=True, done=False)
        if not self.draft.add(service, self.default_lab(service)):
            return Notice(S.already_in_basket(service.name), "warning", done=False)
        self.fill_from_journal()
        earlier = already_ordered(service.code, self.history, self.clock())
        if earlier is not None:  # for every service, interval or not
            return Notice(S.duplicate_notice(already_ordered_warning(service, earlier, self.clock())), "warning",
                          alert=True)
        dup = recent_duplicate(service, self.history_pairs(), self.clock())
        if dup is not None:
            return Notice(S.duplicate_notice(duplicate_warning(service, dup)), "warning", alert=True)
        return Notice(S.added(service.name))

    def remember_order(self, order: Order) -> None:
        """An order of the open patient saved now (here, or found saved by another session):
        into her history, so the next order warns about what this one holds."""
        if self.patient is None or order.patient.id != self.patient.id:
            return
        self.history = [order.summary(), *(h for h in self.history if h.id != order.id)]

    def add_pending(self) -> list[Notice]:
        """Put in the services chosen before the catalog and the patient had loaded.

        They were chosen for the patient from the EPJ: they wait for her, and are dropped if
        another patient is opened instead.
        """
        if self.catalog is None or self.patient_loading() or (self.context.patient_id and self.patient is None):
            return []
        entries, self.pending = self.pending, []
        if self.patient is not None and self.patient.id != self.context.patient_id:
            return []
        return [self.add_service(entry.code) for entry in entries]

    def history_pairs(self) -> list[tuple[str, datetime]]:
        """The patient's earlier orders as (service code, ordered at), for duplicate warnings."""
        from ihr.models import OrderStatus  # start-up seam

        return [
            (code, summary.created_at)
            for summary in self.history
            if summary.status is not OrderStatus.CANCELLED
            for code in summary.service_codes
        ]

    def remove_service(self, code: str | None = None) -> Notice | None:
        """Take a service (default: the last one) out of the basket."""
        if self.catalog is None:
            return None
        if self.draft.locked:
            return Notice(S.ALREADY_SAVED, "warning")
        if code is None:
            if not self.draft.items:
                return None
            code = self.draft.items[-1][0].code
        asked = {q.key: q for s in self.draft.services for q in s.questions}
        if self.draft.remove(code):
            self.set_aside_unasked(asked)
            return Notice(S.removed(self.catalog.service(code).name))
        return None

    def set_aside_unasked(self, asked: dict[str, Any]) -> None:
        """Take the answers no service in the basket asks now out of the draft
        (`ihr.rules.questions.unasked`): they are not saved or sent, and a question asked
        again starts empty, its old answer only offered (`draft.set_aside`, as it was shown).
        `asked`: the questions by key before the change, to show a kept answer as it read."""
        from ihr.rules.questions import format_answer, unasked  # start-up seam

        draft = self.draft
        for key in unasked(draft.services, [*draft.answers, *draft.raw_answers]):
            raw = draft.raw_answers.pop(key, None)
            value = draft.answers.pop(key, None)
            question = asked.get(key)
            shown = raw if raw is not None else format_answer(question, value) if question and value is not None else ""
            if shown.strip():
                draft.set_aside[key] = shown

    def offered_answer(self, key: str) -> str | None:
        """The old answer to offer for a question asked afresh (None: none, or answered now)."""
        draft = self.draft
        if key in draft.answers or draft.raw_answers.get(key, "").strip():
            return None
        if not any(q.key == key for service in draft.services for q in service.questions):
            return None  # not asked now: nothing to offer it for
        return draft.set_aside.get(key)

    def add_group(self, group: Group) -> Notice | None:
        """Put a group's services in the basket (those the catalog still has)."""
        if self.catalog is None:
            return None
        if self.draft.locked:
            return Notice(S.ALREADY_SAVED, "warning")
        added = 0
        for code in group.service_codes:
            try:
                service = self.catalog.service(code)
            except KeyError:
                continue
            added += self.draft.add(service, self.default_lab(service))
        self.fill_from_journal()
        return Notice(S.group_added(group.name, added))

    # ---- the performing lab ------------------------------------------------------------------
    def default_lab(self, service: Service) -> str | None:
        """Where a service goes by default: the nearest lab of the office's region."""
        from ihr.rules.routing import default_performer  # start-up seam

        return default_performer(service, self.office, self.catalog) if self.catalog is not None else None

    def lab_needs_reason(self, services: list[Service], lab: Lab) -> bool:
        """Sending these services to `lab` needs a reason (it is outside the office's region)."""
        from ihr.rules.routing import needs_reason  # start-up seam

        assert self.catalog is not None
        return any(needs_reason(s, lab, self.office, self.catalog) for s in services if lab.her_id in s.labs)

    def choose_lab(self, current: str, discipline: str, lab: Lab, reason: tuple[str, str] | None) -> Notice:
        """The requisition of `current` (and `discipline`) goes to `lab`; a service that lab
        does not perform stays, in a requisition of its own."""
        if self.draft.locked:
            return Notice(S.ALREADY_SAVED, "warning", done=False)
        stayed = self.draft.choose_lab(current, discipline, lab, reason)
        return Notice(S.lab_chosen(lab.short_name, [s.name for s in stayed]))

    def toggle_priority(self) -> Notice:
        if self.draft.locked:
            return Notice(S.ALREADY_SAVED, "warning")
        self.draft.priority = NORMAL if self.draft.priority == URGENT else URGENT
        return Notice(S.priority_now(self.draft.priority))

    def may_edit(self, group: Group) -> bool:
        """The service's own rule: is this group ours to change or delete?"""
        from ihr.rules.groups import edit_refusal  # start-up seam

        return edit_refusal(group, self.worker_hpr, self.office_her_id) is None

    # ---- guided questions ----------------------------------------------------------------
    def missing_answers(self) -> list[str]:
        """What must be answered or put right before the order can be saved (Norwegian, one
        line each): required answers, typed answers that cannot be used, text that a message
        cannot carry, an incomplete diagnosis, a bad copy recipient, and on an imaging
        referral the statement whether the radiologist may change modality."""
        from ihr.rules.questions import (  # start-up seam
            enabled_questions,
            parse_answer,
            questions_for,
            validate_answers,
        )

        draft = self.draft
        questions = questions_for(draft.services)
        now, born = self.clock(), self.born()
        problems = validate_answers(questions, draft.answers, born=born, now=now)  # the service's own check
        texts = {f"answers.{q.key}": q.text for q in questions}
        out = [p.detail if p.detail.startswith("Mangler") else S.answer_unusable(texts[p.path], p.detail)
               for p in problems]
        for q in enabled_questions(questions, draft.answers):
            raw = draft.raw_answers.get(q.key, "")
            if raw.strip() and q.key not in draft.answers:  # typed, but it does not parse
                try:
                    parse_answer(q, raw, now=now, born=born)
                except ValueError as exc:
                    out.append(S.answer_unusable(q.text, str(exc)))
        if self.needs_problemstilling() and not draft.comment.strip():
            out.append(S.PROBLEMSTILLING_REQUIRED)
        out += [S.answer_unusable(label, problem) for label, problem in self.text_problems()]
        code, text = draft.diagnosis_code.strip(), draft.diagnosis_text.strip()
        if code and not is_icpc2_code(code.upper()):
            out.append(S.DIAGNOSIS_BAD_CODE)
        elif code and not text:
            out.append(S.DIAGNOSIS_TEXT_REQUIRED)
        elif text and not code:
            out.append(S.DIAGNOSIS_CODE_REQUIRED)
        for hpr in draft.copy_hprs:
            if not (hpr.isdigit() and 6 <= len(hpr) <= 9):
                out.append(S.copy_bad_hpr(hpr))
            elif self.doctors.get(hpr, True) is None:
                out.append(S.copy_unknown(hpr))
        for name in draft.copy_parts()[1]:
            problem = self.copy_name_problem(name)
            if problem:
                out.append(problem)
        if draft.has_imaging and draft.modality_change is None:
            out.append(S.MODALITY_REQUIRED)
        return out

    def born(self) -> Any:
        """The patient's birth date (a `date`), or None before the patient is known."""
        return self.patient.birth_date if self.patient is not None else None

    def parse_answer(self, question: Any, text: str) -> Any:
        """What the secretary typed as an answer (`ihr.rules.questions.parse_answer`, read and
        checked against today and the patient's birth date, as the service will); ValueError
        with the Norwegian reason."""
        from ihr.rules.questions import parse_answer  # start-up seam

        return parse_answer(question, text, now=self.clock(), born=self.born())

    def text_problems(self) -> list[tuple[str, str]]:
        """(field, Norwegian problem) for each typed text that an XML message cannot carry
        (`ihr.rules.text`, the service's own rule) or that is too long: it is never sent."""
        draft = self.draft
        fields = [
            (self.comment_label(), draft.comment, FREE_TEXT_MAX),
            (S.CLINICAL_INFO, draft.clinical_info, FREE_TEXT_MAX),
            (S.DIAGNOSIS_TEXT, draft.diagnosis_text, 200),
        ]
        return [
            (label, problem)
            for label, text, longest in fields
            if (problem := text_problem(text) or length_problem(text, longest))
        ]

    def comment_label(self) -> str:
        """The comment field's name: the problem statement where it carries it, else a
        comment to whoever receives the basket's requisitions."""
        if self.needs_problemstilling():
            return S.PROBLEMSTILLING
        imaging = self.draft.has_imaging
        return S.comment_label(lab=any(s.discipline.value != "radiologi" for s in self.draft.services), imaging=imaging)

    def needs_problemstilling(self) -> bool:
        """An imaging referral must state a clinical question. When the catalog asks it as a
        guided question (role `problemstilling`) that question carries it; otherwise the
        order's comment field does, and is then required."""
        from ihr.models import QuestionRole  # start-up seam

        services = self.draft.services
        if not any(s.requires_problemstilling for s in services):
            return False
        return not any(q.role is QuestionRole.PROBLEM_STATEMENT for s in services for q in s.questions)

    # ---- answers from the journal ----------------------------------------------------------
    def journal_answers(self) -> dict[str, Any]:
        """What the EPJ's launch bundle answers among the basket's questions
        (`ihr.rules.journal.JournalAnswer` by key, the old ones too); nothing for another patient."""
        record = self.context.journal
        if record is None or not self.draft.items or self.patient is None or self.patient.id != record.patient_id:
            return {}
        from ihr.rules.journal import journal_answers  # start-up seam
        from ihr.rules.questions import questions_for  # start-up seam

        now = self.clock()
        return journal_answers(
            questions_for(self.draft.services), record.entries, today=now.date(), now=now, born=self.patient.birth_date
        )

    def fill_from_journal(self) -> None:
        """Answer from the journal the questions that apply and nobody has answered yet (a
        question that a filled answer brings up is filled too); each question once, so an
        answer the secretary changed or cleared is never filled again. An answer equal to the
        journal's (a restored draft) is marked as the journal's."""
        from ihr.rules.questions import enabled_questions, questions_for  # start-up seam

        draft = self.draft
        offered = self.journal_answers() if not draft.locked else {}
        questions = questions_for(draft.services)
        changed = bool(offered)
        while changed:
            changed = False
            enabled = {q.key for q in enabled_questions(questions, draft.answers)}
            for key, found in offered.items():
                if key not in enabled or not found.usable or key in draft.journal:
                    continue
                if key not in draft.answers and not draft.raw_answers.get(key, "").strip():
                    draft.answers[key] = found.value
                    changed = True
                if draft.answers.get(key) == found.value:
                    draft.journal[key] = found

    def journal_conditions(self) -> list[Any]:
        """The journal's ICPC-2 diagnoses of the open patient, newest first (offered for the
        diagnosis)."""
        record = self.context.journal
        if record is None or self.patient is None or self.patient.id != record.patient_id:
            return []
        return list(record.conditions)

    # ---- copy recipients -------------------------------------------------------------------
    def gp_offer(self) -> str | None:
        """The patient's fastlege (HPR-nummer), offered as a copy recipient when she is not
        the requester."""
        gp = self.patient.gp_hpr if self.patient is not None else None
        return gp if gp and gp != self.requester_hpr else None

    def doctor_found(self, hpr: str, doctor: Requester | None) -> None:
        """A looked-up copy recipient: the doctor, or None when the service knows no such HPR."""
        self.doctors[hpr] = doctor

    def doctors_named(self, name: str, doctors: list[Requester]) -> None:
        """The doctors the address register has for a copy recipient typed by name; the one
        it means when there is exactly one."""
        key = name.casefold()
        self.copy_names[key] = doctors
        if len(doctors) == 1:
            self.doctors[doctors[0].hpr] = doctors[0]
            if not self.draft.locked:
                self.draft.copy_resolved = {**self.draft.copy_resolved, key: doctors[0].hpr}
        elif key in self.draft.copy_resolved and not self.draft.locked:
            self.draft.copy_resolved = {k: v for k, v in self.draft.copy_resolved.items() if k != key}

    def copy_name_problem(self, name: str) -> str | None:
        """Why a copy recipient typed by name cannot be used yet (Norwegian), or None."""
        found = self.copy_names.get(name.casefold())
        if sum(ch.isalpha() for ch in name) < 3:
            return S.copy_name_short(name)
        if found is None:
            return S.copy_name_looking(name)
        if not found:
            return S.copy_name_unknown(name)
        if len(found) > 1:
            return S.copy_name_many(name, [f"{d.display_name} (HPR {d.hpr})" for d in found])
        return None

    # ---- save -----------------------------------------------------------------------------
    def save_refusal(self) -> Notice | None:
        """Why the order cannot be saved now (before the questions are looked at)."""
        if self.draft.order is not None:
            return Notice(S.ALREADY_SAVED, "warning")
        if not self.draft.items:
            return Notice(S.NOTHING_TO_SAVE, "warning")
        if self.patient is None:
            return Notice(S.NO_PATIENT, "error")
        if self.requester is None:
            return Notice(S.NO_REQUESTER, "error")
        return None

    def order_to_save(self) -> tuple[OrderInput, str]:
        """The body to save and its idempotency key; answers to questions that no longer
        apply are dropped first. Call after `save_refusal` and `missing_answers` are empty."""
        from ihr.rules.questions import clean_answers, questions_for  # start-up seam

        assert self.patient is not None and self.requester is not None
        self.draft.answers = clean_answers(questions_for(self.draft.services), self.draft.answers)
        body = self.draft.order_input(self.patient.id, self.requester.hpr, self.office_her_id)
        return body, self.draft.key_for(body)

    # ---- the review's steps: save, print, collect, send ---------------------------------------
    # The review screen starts each step's job and shows the draft's steps; what a step's
    # outcome means for the open order is decided here. A method returns the `Notice` for the
    # status line, or None when the step's own line says it all.

    def step_started(self, step: Step) -> None:
        self.draft.set_step(step, StepStatus.RUNNING, STEP_RUNNING_TEXT[step])

    def step_failed(self, step: Step, message: str, *, kept: bool = False) -> Notice:
        """A step's job failed (`message` says why; `kept`: the order waits in the outbox)."""
        text = S.failed(S.STEP_NAMES[step], message) + (" " + S.OUTBOX_KEPT if kept else "")
        self.draft.set_step(step, StepStatus.FAILED, text)
        return Notice(text, "error")

    def order_stored(self, order: Order, found: bool = False) -> Notice:
        """The service holds the open order now (saved here, or sent again from the outbox;
        `found`: it had it already, saved by another session that restored the same draft):
        the draft is locked to it, and the patient's history has it."""
        self.draft.order = order
        self.remember_order(order)  # the next order warns about what this one holds
        text = saved_text(order)
        if found:
            from ihr.localtime import format_no  # start-up seam

            text = S.saved_elsewhere(format_no(order.created_at, "%H:%M"), text)
        self.draft.set_step(Step.SAVE, StepStatus.DONE, text)
        return Notice(text, "warning" if found else "information", alert=found)

    def order_restored(self, order: Order) -> bool:
        """A restored draft's order, as the service has it; True when it was sent already
        (nothing left to keep of the draft then)."""
        from ihr.models import OrderStatus  # start-up seam: loaded on first use (bench_tui_startup)

        self.draft.order = order
        self.draft.set_step(Step.SAVE, StepStatus.DONE, saved_text(order))
        if order.status in (OrderStatus.DRAFT, OrderStatus.SAVED):
            return False
        self.draft.set_step(Step.SEND, StepStatus.DONE, S.sent(len(order.requisitions)))
        return True

    # print
    def print_refusal(self) -> Notice | None:
        """Why the labels cannot be printed now."""
        if self.draft.order is None or self.catalog is None:
            return Notice(S.SAVE_FIRST, "warning")
        return None

    def labels_printed(self, outcome: str, text: str) -> Notice | None:
        """A print job's outcome (`printing.service.PrintResult.outcome`: ok, unconfirmed,
        failed) and what it says: only printed labels count as printed."""
        state = {"ok": StepStatus.DONE, "unconfirmed": StepStatus.UNCONFIRMED}.get(outcome, StepStatus.FAILED)
        self.draft.set_step(Step.PRINT, state, text)
        if state is StepStatus.DONE:
            return Notice(text)
        if state is StepStatus.FAILED:
            return Notice(text, "error")
        return None

    def printed_before(self, when: str) -> Notice | None:
        """The print journal has the open order's labels as printed (`when`, Norwegian)."""
        if self.draft.steps[Step.PRINT].state is StepStatus.DONE:
            return None
        self.draft.set_step(Step.PRINT, StepStatus.DONE, S.printed_before(when))
        return Notice(self.draft.steps[Step.PRINT].text)

    def print_job_ended(self, printed: bool, text: str = "") -> Notice | None:
        """The open order's queued job ended in the print queue: printed there (`text` says
        where), or dropped (the next print is a new job)."""
        if printed:
            self.draft.set_step(Step.PRINT, StepStatus.DONE, text)
            return Notice(text)
        self.draft.set_step(Step.PRINT, StepStatus.PENDING, "")
        return None

    @property
    def printing(self) -> bool:
        return self.draft.steps[Step.PRINT].state is StepStatus.RUNNING

    # collect
    def tubes_to_collect(self) -> list[tuple[str, str]]:
        """(line, specimen id) of the tubes the collection dialog lists: those not yet taken;
        once all are, on an order not yet sent, all of them again (a time corrected)."""
        from ihr.models import OrderStatus  # start-up seam: loaded on first use (bench_tui_startup)
        from tui.present import tube_lines  # start-up seam: loaded on first use (bench_tui_startup)

        order = self.draft.order
        if order is None:
            return []
        tubes = tube_lines(order.specimens, self.catalog, only_open=True)
        if not tubes and order.status in (OrderStatus.DRAFT, OrderStatus.SAVED):
            tubes = tube_lines(order.specimens, self.catalog)
        return tubes

    def collection_refusal(self) -> Notice | None:
        """Why no collection can be registered for the open order now."""
        order = self.draft.order
        if order is None:
            return Notice(S.SAVE_FIRST, "warning")
        if not order.specimens:
            return Notice(S.COLLECT_NO_TUBES, "warning")
        if not self.tubes_to_collect():
            return Notice(S.COLLECT_ALL_TAKEN, "warning")
        return None

    def collection_question(self) -> str | None:
        """What to ask before a collection is registered for tubes whose labels are not known
        to be printed (not yet, failed, or not confirmed); None once they are printed."""
        state = self.draft.steps[Step.PRINT].state
        if state is StepStatus.DONE:
            return None
        if state is StepStatus.FAILED:
            return S.COLLECT_PRINT_FAILED
        if state is StepStatus.UNCONFIRMED:
            return S.COLLECT_UNCONFIRMED
        return S.COLLECT_UNPRINTED

    def collection_started(self, when: datetime, who: str, count: int) -> None:
        """`count` tubes are being registered as taken `when` by `who`."""
        self.draft.collected_at, self.draft.collected_by = when, who
        self._collecting = count

    _collecting = 0  # how many tubes the running collection registers

    def collection_stored(self, order: Order) -> Notice | None:
        """The service has the collection: the collect step is done, or partial while a tube
        is still to come."""
        from ihr.localtime import format_no  # start-up seam

        draft = self.draft
        draft.order = order
        when = format_no(draft.collected_at) if draft.collected_at else ""
        state, text = self._collection_step(self._collecting, when, draft.collected_by or "")
        draft.set_step(Step.COLLECT, state, text)
        return Notice(text) if state is StepStatus.DONE else None

    def collection_from_order(self) -> None:
        """An order the review had not shown yet (saved, or restored after a restart): the
        tubes the service has as taken make the collect step, when it has none yet."""
        if self.draft.steps[Step.COLLECT].state is StepStatus.PENDING:
            self._collect_step_from_specimens()

    def order_changed(self, order: Order) -> bool:
        """The order changed elsewhere (the order detail: tubes registered with Ctrl+T, an
        add-on, a cancellation, F9 sending it); True when it is the open one, whose draft then
        has it, and whose collect and send steps say what is so now."""
        draft = self.draft
        if draft.order is None or draft.order.id != order.id:
            return False
        from ihr.models import OrderStatus  # start-up seam: loaded on first use (bench_tui_startup)

        draft.order = order
        if draft.steps[Step.COLLECT].state in (StepStatus.PENDING, StepStatus.PARTIAL, StepStatus.DONE):
            self._collect_step_from_specimens()
        if order.status not in (OrderStatus.DRAFT, OrderStatus.SAVED) and draft.steps[Step.SEND].state is not StepStatus.DONE:
            draft.set_step(Step.SEND, StepStatus.DONE, S.sent(len(order.requisitions)))  # sent from the order detail
        return True

    def _collect_step_from_specimens(self) -> None:
        """The collect step from the tubes the service has as taken (none: left as it is)."""
        from ihr.localtime import format_no  # start-up seam

        order = self.draft.order
        assert order is not None
        taken = [s for s in order.specimens if s.collected_at is not None]
        if taken:
            first = min(s.collected_at for s in taken if s.collected_at is not None)
            self.draft.set_step(Step.COLLECT, *self._collection_step(len(taken), format_no(first),
                                                                     taken[0].collected_by or ""))

    def _collection_step(self, count: int, when: str, who: str) -> tuple[StepStatus, str]:
        """The collect step once `count` tubes were registered: partial while one is missing."""
        from tui.present import missing_tubes  # start-up seam

        order = self.draft.order
        assert order is not None
        missing = missing_tubes(order.specimens, self.catalog)
        return StepStatus.PARTIAL if missing else StepStatus.DONE, S.collected_some(count, when, who, missing)

    # send
    def send_refusal(self) -> Notice | None:
        if self.draft.order is None:
            return Notice(S.SAVE_FIRST, "warning")
        if self.draft.steps[Step.SEND].state is StepStatus.DONE:
            return Notice(S.ALREADY_SENT, "warning")
        return None

    def order_sent(self, order: Order) -> Notice:
        """The labs have the order; sent with a tube still to come, the text says which."""
        from tui.present import missing_tubes  # start-up seam

        draft = self.draft
        draft.order = order
        text = S.sent(len(order.requisitions))
        missing = missing_tubes(order.specimens, self.catalog)
        if draft.steps[Step.COLLECT].state is StepStatus.PARTIAL:
            if missing:  # the rest come later: said
                text = S.sent_with_open_tubes(text, missing)
            else:  # registered meanwhile (Ctrl+T in the order detail)
                self._collect_step_from_specimens()
        draft.set_step(Step.SEND, StepStatus.DONE, text)
        return Notice(text)


STEP_RUNNING_TEXT = {Step.SAVE: S.SAVING, Step.PRINT: S.PRINTING, Step.COLLECT: S.COLLECTING, Step.SEND: S.SENDING}


def saved_text(order: Order) -> str:
    """The save step once the service holds the order."""
    referrals = all(r.kind == "henvisning" for r in order.requisitions)
    return S.saved([r.number for r in order.requisitions], len(order.specimens), referrals=referrals)
