"""The order being built: basket, answers, priority and what happened to it since.

Plain Python, no Textual: the screens read and change it through the app, the tests can
build one directly. Nothing here does I/O.

Every change to what the autosave keeps (basket, answers, priority, comment, the order's
other fields (payment, copies, diagnosis, clinical information, modality), key, order)
bumps `revision` and calls `on_change`, whoever made it (the screens write the answers
directly); the app coalesces those calls into one write to `client.drafts`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client.drafts import DraftSnapshot
    from ihr.models import AnswerValue, Catalog, Lab, Order, OrderInput, OutOfRegionReason, Service


class _TrackedDict(dict[str, Any]):
    """A dict that tells its draft when it changes."""

    __slots__ = ("_owner",)

    def __init__(self, data: Any, owner: OrderDraft) -> None:
        super().__init__(data)
        self._owner = owner

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._owner._touch()

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._owner._touch()

    def pop(self, key: Any, *default: Any) -> Any:
        had = key in self
        value = super().pop(key, *default)
        if had:
            self._owner._touch()
        return value

    def popitem(self) -> Any:
        item = super().popitem()
        self._owner._touch()
        return item

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        self[key] = default
        return default

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._owner._touch()

    def clear(self) -> None:
        super().clear()
        self._owner._touch()


#: The fields the autosave keeps; setting one of them is a change.
_KEPT = frozenset({
    "items", "answers", "raw_answers", "priority", "comment", "idempotency_key", "submitted", "order",
    "payment_category", "copy_to_gp", "copy_other", "diagnosis_code", "diagnosis_text", "clinical_info",
    "modality_change", "region_reasons",
})


class Step(StrEnum):
    """The steps that finish an order, in the order the review screen shows them."""

    SAVE = "save"
    PRINT = "print"
    COLLECT = "collect"
    SEND = "send"


class StepStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"  # labels sent to a printer that cannot confirm; not printed
    PARTIAL = "partial"  # collection: some tubes taken, others come later


@dataclass
class StepState:
    state: StepStatus = StepStatus.PENDING
    text: str = ""


@dataclass
class OrderDraft:
    """One order (bestilling) in the making, for one patient."""

    items: list[tuple[Service, str]] = field(default_factory=list)  # (service, lab HER-id)
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    raw_answers: dict[str, str] = field(default_factory=dict)  # what was typed, kept as typed
    priority: str = "normal"  # an ihr.models.Priority value (tui.session.NORMAL, URGENT)
    comment: str = ""
    # The draft's idempotency key, made with the draft and kept with it on disk: whoever
    # saves this draft (this session, a retry, another session that restored it) saves the
    # same one order; the service answers the others with it (same body) or refuses.
    idempotency_key: str | None = field(default_factory=lambda: str(uuid.uuid4()))
    submitted: OrderInput | None = None  # the body of the last save attempt
    order: Order | None = None
    collected_at: datetime | None = None
    collected_by: str | None = None
    # What the requisition carries besides the services and answers (HIS 80821), each with a
    # default that needs no key: ordinær pasient, no copy, no diagnosis, no clinical info.
    payment_category: str = "1"  # an ihr.models.PaymentCategory value
    copy_to_gp: str | None = None  # the fastlege's HPR-nummer when she gets a copy
    copy_other: str = ""  # other doctors' HPR-numre as typed (space or comma between)
    diagnosis_code: str = ""  # ICPC-2, as typed
    diagnosis_text: str = ""
    clinical_info: str = ""
    modality_change: bool | None = None  # imaging: may the radiologist change modality (8274)
    # Why a requisition goes to a lab outside the office's health region, per lab HER-id:
    # (ihr.models.RegionReason value, text). Set when the secretary chooses such a lab (Ctrl+L).
    region_reasons: dict[str, tuple[str, str]] = field(default_factory=dict)
    # A copy recipient typed by name (casefolded) -> the HPR-nummer of the one doctor the
    # address register has by that name (looked up again when the draft is restored).
    copy_resolved: dict[str, str] = field(default_factory=dict)
    # Answers taken from the journal (EPJ), by question key (`ihr.rules.journal.JournalAnswer`):
    # each is filled once; it is "fra journalen" for as long as the answer is still its value.
    journal: dict[str, Any] = field(default_factory=dict)
    steps: dict[Step, StepState] = field(default_factory=lambda: {s: StepState() for s in Step})
    #: Answers to questions no service in the basket asks any more, as they were shown (an
    #: offer when a service that asks the question comes back; never sent, never reused).
    set_aside: dict[str, str] = field(default_factory=dict)

    #: Bumped on every change to what the autosave keeps; `on_change` is called after it.
    revision = 0
    on_change: Callable[[], None] | None = field(default=None, repr=False, compare=False)  # set by the app

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("answers", "raw_answers") and not isinstance(value, _TrackedDict):
            value = _TrackedDict(value, self)
        object.__setattr__(self, name, value)
        if name in _KEPT:
            self._touch()

    def _touch(self) -> None:
        object.__setattr__(self, "revision", self.revision + 1)
        callback = self.on_change
        if callback is not None:
            callback()

    # ---- basket ----------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return [s.code for s, _ in self.items]

    @property
    def services(self) -> list[Service]:
        return [s for s, _ in self.items]

    def has(self, code: str) -> bool:
        return any(s.code == code for s, _ in self.items)

    def add(self, service: Service, lab_her_id: str | None = None) -> bool:
        """Add a service at its preferred lab; False when it is already there."""
        if self.has(service.code) or self.locked:
            return False
        lab = lab_her_id or (service.labs[0] if service.labs else "")
        self.items.append((service, lab))
        self._touch()
        return True

    def choose_lab(self, current: str, discipline: str, lab: Lab, reason: tuple[str, str] | None) -> list[Service]:
        """Send the requisition of lab `current` and `discipline` to `lab` instead; the
        services `lab` does not perform stay where they were (a requisition of their own).
        `reason`: why `lab` is outside the office's region (None: it is not). The services
        that stayed are returned."""
        if self.locked:
            return []
        stayed: list[Service] = []
        items = []
        for service, at in self.items:
            if at == current and service.discipline.value == discipline:
                if lab.her_id in service.labs:
                    at = lab.her_id
                else:
                    stayed.append(service)
            items.append((service, at))
        reasons = dict(self.region_reasons)
        if reason is not None:
            reasons[lab.her_id] = reason
        else:
            reasons.pop(lab.her_id, None)
        used = {at for _, at in items}
        self.region_reasons = {h: r for h, r in reasons.items() if h in used}
        self.items = items
        return stayed

    def remove(self, code: str) -> bool:
        if self.locked:
            return False
        before = len(self.items)
        self.items = [(s, lab) for s, lab in self.items if s.code != code]
        return len(self.items) != before

    # ---- state -----------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """Once the service holds the order, the basket no longer changes here."""
        return self.order is not None

    @property
    def dirty(self) -> bool:
        """Work that would be lost: a basket or answers that were not sent."""
        if self.steps[Step.SEND].state is StepStatus.DONE:
            return False
        return bool(self.items or self.answers or self.raw_answers)

    def set_step(self, step: Step, state: StepStatus, text: str = "") -> None:
        self.steps[step] = StepState(state, text)

    @property
    def has_imaging(self) -> bool:
        """An imaging referral is in the basket (it must say whether modality may change)."""
        return any(s.discipline.value == "radiologi" for s, _ in self.items)

    def copy_parts(self) -> tuple[list[str], list[str]]:
        """The other copy recipients as typed: (HPR-numre, names). Commas or semicolons
        separate recipients; a part of digits (and spaces) is one or more HPR-numre, any
        other part a name to look up in the address register ("Mæhlum", "Håkon Mæhlum")."""
        hprs: list[str] = []
        names: list[str] = []
        for part in re.split(r"[,;]+", self.copy_other):
            words = part.split()
            if not words:
                continue
            if any(ch.isdigit() for ch in part):
                hprs += words  # numbers (one with letters in it is said to be no HPR-nummer)
            else:
                names.append(" ".join(words))
        return hprs, names

    @property
    def copy_hprs(self) -> list[str]:
        """Who gets a copy, by HPR-nummer: the fastlege if chosen, then the others typed (a
        name once the register has found the one doctor it means: `copy_resolved`)."""
        hprs, names = self.copy_parts()
        found = [self.copy_resolved[n.casefold()] for n in names if n.casefold() in self.copy_resolved]
        return list(dict.fromkeys(([self.copy_to_gp] if self.copy_to_gp else []) + hprs + found))

    def order_input(self, patient_id: str, requester_hpr: str, office_her_id: str) -> OrderInput:
        from ihr.models import (  # start-up seam
            Diagnosis,
            ItemInput,
            OrderInput,
            PaymentCategory,
            Priority,
        )

        code = self.diagnosis_code.strip().upper()
        return OrderInput(
            patient_id=patient_id,
            requester_hpr=requester_hpr,
            office_her_id=office_her_id,
            priority=Priority(self.priority),
            items=[
                ItemInput(service_code=s.code, lab_her_id=lab or None, out_of_region=self._region_reason(lab))
                for s, lab in self.items
            ],
            answers=dict(self.answers),
            comment=self.comment.strip() or None,
            payment_category=PaymentCategory(self.payment_category),
            copy_to_hpr=self.copy_hprs,
            diagnosis=Diagnosis(code=code, text=self.diagnosis_text.strip()) if code else None,
            clinical_info=self.clinical_info.strip() or None,
            modality_change_allowed=self.modality_change if self.has_imaging else None,
            journal_dates={k: a.when for k, a in self.journal.items() if self.from_journal(k) and a.when is not None},
        )

    def _region_reason(self, lab: str) -> OutOfRegionReason | None:
        from ihr.models import OutOfRegionReason, RegionReason  # start-up seam

        reason = self.region_reasons.get(lab)
        return OutOfRegionReason(code=RegionReason(reason[0]), text=reason[1]) if reason else None

    def from_journal(self, key: str) -> bool:
        """The answer to `key` is the journal's, unchanged (shown "fra journalen, dato")."""
        taken = self.journal.get(key)
        return taken is not None and key in self.answers and self.answers[key] == taken.value

    def key_for(self, body: OrderInput) -> str:
        """The idempotency key to save this body with: the draft's own, whatever the body.

        The service keeps a key only once it made an order with it, so a save it refused
        (a missing answer) leaves the key free for the corrected body. Once an order exists
        under the key, saving the draft again, here or in another session that restored
        it, gives that same order (same body) or a refusal (the body changed since): a
        draft becomes one order, never two, even after a lost answer and an edit.
        """
        if self.idempotency_key is None:
            self.idempotency_key = str(uuid.uuid4())
        self.submitted = body
        return self.idempotency_key

    # ---- autosave --------------------------------------------------------------------
    def snapshot(
        self, patient_id: str, requester_hpr: str, office_her_id: str, now: datetime
    ) -> DraftSnapshot:
        """What the autosave keeps of this draft: ids, codes and answers, never a name."""
        from client.drafts import DraftSnapshot  # start-up seam

        return DraftSnapshot(
            patient_id=patient_id,
            office_her_id=office_her_id or "",
            requester_hpr=requester_hpr or "",
            items=[(s.code, lab) for s, lab in self.items],
            answers=dict(self.answers),
            raw_answers=dict(self.raw_answers),
            priority=self.priority,
            comment=self.comment,
            idempotency_key=self.idempotency_key,
            submitted=self.submitted.model_dump_json() if self.submitted is not None else None,
            order_id=self.order.id if self.order is not None else None,
            updated_at=now,
            payment_category=self.payment_category,
            copy_to_gp=self.copy_to_gp,
            copy_other=self.copy_other,
            diagnosis_code=self.diagnosis_code,
            diagnosis_text=self.diagnosis_text,
            clinical_info=self.clinical_info,
            modality_change=self.modality_change,
            region_reasons={lab: list(reason) for lab, reason in self.region_reasons.items()},
        )

    @classmethod
    def restore(cls, snap: DraftSnapshot, catalog: Catalog) -> tuple[OrderDraft, list[str]]:
        """A draft from a snapshot, and the codes dropped because the catalog no longer has them.

        With a service dropped, the saved body no longer matches, so a save makes a new key:
        unless the service already holds the order (`order_id`), which the app fetches.
        """
        draft = cls()
        dropped: list[str] = []
        for code, lab in snap.items:
            try:
                service = catalog.service(code)
            except KeyError:
                dropped.append(code)
                continue
            draft.items.append((service, lab))
        draft.answers = dict(snap.answers)
        draft.raw_answers = dict(snap.raw_answers)
        draft.priority = snap.priority
        draft.comment = snap.comment
        draft.payment_category = snap.payment_category
        draft.copy_to_gp = snap.copy_to_gp
        draft.copy_other = snap.copy_other
        draft.diagnosis_code = snap.diagnosis_code
        draft.diagnosis_text = snap.diagnosis_text
        draft.clinical_info = snap.clinical_info
        draft.modality_change = snap.modality_change
        draft.region_reasons = {lab: (str(r[0]), str(r[1])) for lab, r in snap.region_reasons.items() if len(r) == 2}
        if snap.idempotency_key:  # the draft's key: two sessions restoring it save it once
            draft.idempotency_key = snap.idempotency_key
        if snap.submitted:
            from ihr.models import OrderInput  # start-up seam

            try:
                draft.submitted = OrderInput.model_validate_json(snap.submitted)
            except ValueError:
                draft.submitted = None
        return draft, dropped
