"""The order being built: basket, answers, priority and what happened to it since.

Plain Python, no Textual: the screens read and change it through the app, the tests can
build one directly. Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ihr.models import AnswerValue, Catalog, Order, OrderInput, Service


@dataclass
class StepState:
    state: str = "pending"  # pending | running | done | failed
    text: str = ""


STEPS = ("save", "print", "collect", "send")


@dataclass
class OrderDraft:
    """One order (bestilling) in the making, for one patient."""

    items: list[tuple[Service, str]] = field(default_factory=list)  # (service, lab HER-id)
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    raw_answers: dict[str, str] = field(default_factory=dict)  # what was typed, kept as typed
    priority: str = "normal"  # ihr.models.Priority value
    comment: str = ""
    idempotency_key: str | None = None
    submitted: OrderInput | None = None  # the body that went with the key
    order: Order | None = None
    collected_at: datetime | None = None
    collected_by: str | None = None
    steps: dict[str, StepState] = field(default_factory=lambda: {s: StepState() for s in STEPS})

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
        return True

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
        if self.steps["send"].state == "done":
            return False
        return bool(self.items or self.answers or self.raw_answers)

    def order_input(self, patient_id: str, requester_hpr: str, office_her_id: str) -> OrderInput:
        from ihr.models import ItemInput, OrderInput, Priority

        return OrderInput(
            patient_id=patient_id,
            requester_hpr=requester_hpr,
            office_her_id=office_her_id,
            priority=Priority(self.priority),
            items=[ItemInput(service_code=s.code, lab_her_id=lab or None) for s, lab in self.items],
            answers=dict(self.answers),
            comment=self.comment.strip() or None,
        )

    def key_for(self, body: OrderInput) -> str:
        """The idempotency key for this body: the same as long as the body is the same.

        A retried save sends the same key and so can never make two orders; an edit after a
        failed attempt is a different body and gets a new key.
        """
        if self.idempotency_key is None or self.submitted != body:
            self.idempotency_key = str(uuid.uuid4())
            self.submitted = body
        return self.idempotency_key

    def labs_used(self, catalog: Catalog) -> list[str]:
        seen: list[str] = []
        for _, lab in self.items:
            if lab not in seen:
                seen.append(lab)
        return seen
