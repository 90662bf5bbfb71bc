"""Orders in the sandbox: validate an `OrderInput` against the catalog, allocate, store.

The domain rules themselves live in `ihr.rules` (questions, tube planning, grouping into
requisitions, patient limits); this module only applies them, allocates requisition numbers
and specimen ids, and keeps the store consistent. Problems carry the field path of the
input (`items[0].service_code`, `answers.<key>`) and a Norwegian detail.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from ihr.localtime import OSLO
from ihr.models import (
    Answer,
    Catalog,
    CollectionInput,
    CopyRecipient,
    Discipline,
    EventKind,
    FieldProblem,
    ItemStatus,
    Order,
    OrderInput,
    OrderItem,
    OrderStatus,
    OrderSummary,
    Patient,
    Requisition,
    Service,
    Specimen,
    StatusEvent,
)
from ihr.rules.identifiers import InvalidPersonId, parse_person_id
from ihr.rules.moments import moment_problem
from ihr.rules.ordering import (
    group_into_requisitions,
    patient_refusal,
    requisition_kind,
)
from ihr.rules.questions import clean_answers, questions_for, validate_answers
from ihr.rules.specimen_ids import make_specimen_id
from ihr.rules.tubes import plan_tubes
from sandbox.db import Database
from sandbox.problems import ProblemError, unprocessable

log = logging.getLogger("sandbox")

SPECIMEN_SEQUENCE_START = 1_000_001
REQUISITION_SEQUENCE_START = 100_001
MAX_KEY_LENGTH = 200
MAX_ANSWER_INT = 2**53  # larger integers do not survive a trip through JSON and floats

# Order statuses in which the content of an order may still be changed and sent.
EDITABLE = {OrderStatus.SAVED, OrderStatus.REJECTED}


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is read as Norwegian local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OSLO)
    return moment.astimezone(UTC)


def body_hash(data: OrderInput) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_id() -> str:
    return uuid.uuid4().hex


def summary(order: Order) -> OrderSummary:
    return order.summary()


class OrderService:
    """Creating, correcting, listing and collecting orders (phase 1 of the sandbox)."""

    def __init__(self, db: Database, catalog: Catalog, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.catalog = catalog
        self.clock = clock

    # ---- time -----------------------------------------------------------------------------

    def now(self) -> datetime:
        return as_utc(self.clock())

    def today(self) -> date:
        return self.now().astimezone(OSLO).date()

    # ---- lookups --------------------------------------------------------------------------

    def get(self, order_id: str) -> Order:
        order = self.db.order(order_id)
        if order is None:
            raise ProblemError(404, "Fant ingen bestilling med denne id-en.")
        return order

    def owned(self, order_id: str, office_her_id: str) -> Order:
        """The order if it belongs to this office; another office's order is "not found"
        (the same 404 as an unknown id, so ids cannot be probed)."""
        order = self.get(order_id)
        if order.office_her_id != office_her_id:
            raise ProblemError(404, "Fant ingen bestilling med denne id-en.")
        return order

    def service(self, code: str) -> Service | None:
        try:
            return self.catalog.service(code)
        except KeyError:
            return None

    def event(
        self,
        order: Order,
        kind: EventKind,
        text: str,
        *,
        requisition_id: str | None = None,
        status: OrderStatus | None = None,
        errors: Sequence = (),
        at: datetime | None = None,
    ) -> StatusEvent:
        ev = StatusEvent(
            order_id=order.id,
            requisition_id=requisition_id,
            at=at or self.now(),
            kind=kind,
            status=status or order.status,
            text=text,
            errors=list(errors),
        )
        self.db.add_event(ev)
        return ev

    # ---- create -----------------------------------------------------------------------------

    def create(self, data: OrderInput, idempotency_key: str | None) -> tuple[Order, bool]:
        """The order for this key: (order, True) when made now, (order, False) when it existed."""
        key = (idempotency_key or "").strip()
        if not key:
            raise ProblemError(400, "Idempotency-Key mangler. Hver ny bestilling må ha en unik nøkkel.")
        if len(key) > MAX_KEY_LENGTH:
            raise ProblemError(400, f"Idempotency-Key kan ha høyst {MAX_KEY_LENGTH} tegn.")
        digest = body_hash(data)
        with self.db.transaction():
            known = self.db.idempotency(key)
            if known is not None:
                order_id, known_hash = known
                if known_hash != digest:
                    raise ProblemError(
                        422,
                        "Idempotency-Key er allerede brukt for en annen bestilling. Bruk en ny nøkkel.",
                        errors=[FieldProblem(path="Idempotency-Key", detail="Nøkkelen er brukt før med et annet innhold.")],
                    )
                return self.get(order_id), False
            order = self._build(data, order_id=new_id(), previous=None)
            self.db.save_order(order)
            self.db.put_idempotency(key, order.id, digest, order.created_at)
            self.event(order, EventKind.CREATED, "Bestillingen er lagret.")
        log.info("order %s created (%d requisitions, %d specimens)", order.id, len(order.requisitions), len(order.specimens))
        return order, True

    def replace(self, order_id: str, data: OrderInput) -> Order:
        """Correct an order that is saved or was rejected: new content, same order id."""
        with self.db.transaction():
            previous = self.get(order_id)
            if previous.status not in EDITABLE:
                raise ProblemError(
                    409,
                    f"Bestillingen kan ikke endres når status er «{previous.status.value}». "
                    "Bare lagrede eller avviste bestillinger kan rettes.",
                )
            order = self._build(data, order_id=order_id, previous=previous)
            self.db.save_order(order)
            self.event(order, EventKind.CREATED, "Bestillingen er rettet og lagret på nytt.")
        log.info("order %s corrected", order.id)
        return order

    def _check(self, data: OrderInput) -> tuple[Patient, list[tuple[Service, str]], dict]:
        """Validate the input; raise a 422 with every problem found."""
        problems: list[FieldProblem] = []
        patient = self.db.patient(data.patient_id.strip())
        if patient is None:
            try:
                parse_person_id(data.patient_id)
                detail = "Ukjent pasient: fødselsnummeret finnes ikke."
            except InvalidPersonId as exc:  # generic text, never the number itself
                detail = f"Ugyldig fødselsnummer: {exc.message}."
            problems.append(FieldProblem(path="patient_id", detail=detail))
        if self.db.requester(data.requester_hpr.strip()) is None:
            problems.append(FieldProblem(path="requester_hpr", detail="Ukjent rekvirent: HPR-nummeret finnes ikke."))
        if self.db.office(data.office_her_id.strip()) is None:
            problems.append(FieldProblem(path="office_her_id", detail="Ukjent kontor: HER-id-en finnes ikke."))

        pairs: list[tuple[Service, str]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(data.items):
            code = item.service_code.strip()
            service = self.service(code)
            if service is None:
                problems.append(FieldProblem(path=f"items[{i}].service_code", detail=f"Ukjent tjenestekode «{code}»."))
                continue
            if code in seen:
                problems.append(
                    FieldProblem(path=f"items[{i}].service_code", detail=f"{service.name} er allerede med i bestillingen.")
                )
                continue
            seen[code] = i
            lab = (item.lab_her_id or "").strip() or (service.labs[0] if service.labs else "")
            if not lab or lab not in service.labs:
                detail = (
                    f"Laboratoriet utfører ikke {service.name}."
                    if lab
                    else f"Ingen laboratorier utfører {service.name}."
                )
                problems.append(FieldProblem(path=f"items[{i}].lab_her_id", detail=detail))
                continue
            if patient is not None:
                refusal = patient_refusal(service, patient, self.today())
                if refusal:
                    problems.append(FieldProblem(path=f"items[{i}].service_code", detail=refusal))
                    continue
            pairs.append((service, lab))

        for i, hpr in enumerate(data.copy_to_hpr):
            if self._copy_recipient(hpr) is None:
                problems.append(
                    FieldProblem(path=f"copy_to_hpr[{i}]", detail="Ukjent kopimottaker: HPR-nummeret finnes ikke.")
                )
        answers = dict(data.answers)
        for key, value in data.answers.items():
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(FieldProblem(path=f"answers.{key}", detail="Svaret må være et endelig tall."))
                del answers[key]
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ANSWER_INT:
                problems.append(FieldProblem(path=f"answers.{key}", detail="Tallet er for stort."))
                del answers[key]
        for key, day in data.journal_dates.items():  # answers from the journal: dated, not ahead
            if day > self.today():
                problems.append(FieldProblem(
                    path=f"journal_dates.{key}", detail="Datoen fra journalen kan ikke være fram i tid."
                ))
        services = [s for s, _ in pairs]
        questions = questions_for(services)
        said = {p.path for p in problems}  # one problem per path: not "Mangler svar" for a NaN
        born = patient.birth_date if patient is not None else None
        problems.extend(
            p for p in validate_answers(questions, answers, born=born, now=self.now()) if p.path not in said
        )
        if problems:
            raise unprocessable(
                problems,
                problems[0].detail if len(problems) == 1 else f"Bestillingen har {len(problems)} feil.",
            )
        assert patient is not None
        return patient, pairs, clean_answers(questions, answers)

    def _copy_recipient(self, hpr: str) -> CopyRecipient | None:
        """A doctor the service knows, with the office a copy goes to; None when unknown."""
        doctor = self.db.requester(hpr.strip())
        office = self.db.office(doctor.office_her_id) if doctor else None
        if doctor is None or office is None:
            return None
        return CopyRecipient(
            hpr=doctor.hpr, name=doctor.display_name, office_her_id=office.her_id, office_name=office.name
        )

    def _build(self, data: OrderInput, *, order_id: str, previous: Order | None) -> Order:
        patient, pairs, answers = self._check(data)
        requester = self.db.requester(data.requester_hpr.strip())
        assert requester is not None
        now = self.now()

        # One requisition per lab and discipline; a correction keeps the numbers it had.
        old_reqs = {(r.lab_her_id, r.discipline): r for r in (previous.requisitions if previous else [])}
        grouped = group_into_requisitions(pairs)
        req_of: dict[tuple[str, Discipline], tuple[str, str]] = {}
        items_of: dict[tuple[str, Discipline], list[OrderItem]] = {}
        for (lab, discipline), services in grouped.items():
            old = old_reqs.get((lab, discipline))
            if old is not None:
                req_of[(lab, discipline)] = (old.id, old.number)
            else:
                number = self.db.next_value("requisition", start=REQUISITION_SEQUENCE_START)
                req_of[(lab, discipline)] = (new_id(), f"R{number:08d}")
            items_of[(lab, discipline)] = [
                OrderItem(id=new_id(), service_code=s.code, name=s.name) for s in services
            ]

        # One specimen per planned tube; a correction reuses the ids of matching tubes.
        reusable = list(previous.specimens) if previous else []
        specimens: list[Specimen] = []
        for tube in plan_tubes(pairs, self.catalog):
            discipline = self.catalog.service(tube.service_codes[0]).discipline
            req_id = req_of[(tube.lab_her_id, discipline)][0]
            match = next(
                (
                    s
                    for s in reusable
                    if (s.container, s.material, s.lab_her_id, s.temperature)
                    == (tube.container, tube.material, tube.lab_her_id, tube.temperature)
                ),
                None,
            )
            if match is not None:
                reusable.remove(match)
                sid, collected_at, collected_by = match.id, match.collected_at, match.collected_by
            else:
                sid = make_specimen_id(self.db.next_value("specimen", start=SPECIMEN_SEQUENCE_START))
                collected_at = collected_by = None
            specimens.append(
                Specimen(
                    **tube.model_dump(),
                    id=sid,
                    requisition_id=req_id,
                    collected_at=collected_at,
                    collected_by=collected_by,
                )
            )

        requisitions: list[Requisition] = []
        for key, items in items_of.items():
            req_id, req_number = req_of[key]
            lab, discipline = key
            linked = []
            for item in items:
                spec = next(
                    (s for s in specimens if s.requisition_id == req_id and item.service_code in s.service_codes),
                    None,
                )
                linked.append(item.model_copy(update={"specimen_id": spec.id if spec else None}))
            requisitions.append(
                Requisition(
                    id=req_id,
                    number=req_number,
                    kind=requisition_kind(discipline),
                    discipline=discipline,
                    lab_her_id=lab,
                    status=OrderStatus.SAVED,
                    items=linked,
                )
            )

        return Order(
            id=order_id,
            patient=patient,
            requester=requester,
            office_her_id=data.office_her_id.strip(),
            priority=data.priority,
            status=OrderStatus.SAVED,
            created_at=previous.created_at if previous else now,
            updated_at=now,
            requisitions=requisitions,
            specimens=specimens,
            answers=[Answer(key=k, value=v, journal_date=data.journal_dates.get(k)) for k, v in answers.items()],
            comment=data.comment,
            payment_category=data.payment_category,
            copy_recipients=[c for c in map(self._copy_recipient, dict.fromkeys(h.strip() for h in data.copy_to_hpr)) if c],
            diagnosis=data.diagnosis,
            clinical_info=data.clinical_info,
            modality_change_allowed=data.modality_change_allowed,
        )

    # ---- lists and lookups -----------------------------------------------------------------

    def list(
        self,
        *,
        office: str,
        patient: str | None,
        since: datetime | None,
        statuses: Sequence[OrderStatus],
        limit: int,
        cursor: str | None,
    ) -> tuple[list[OrderSummary], str | None]:
        """A page of the office's orders, newest first, and the cursor of the next page
        (None on the last). A cursor is opaque to clients; one that does not parse is a 422."""
        orders, more = self.db.list_orders(
            office_her_id=office, patient_id=patient, since=since, statuses=statuses,
            limit=limit, after=_read_cursor(cursor) if cursor else None,
        )
        return [summary(o) for o in orders], _make_cursor(more) if more else None

    def specimen(self, barcode: str, office_her_id: str) -> tuple[Order, Specimen]:
        """The specimen and its order, if the order is this office's (else 404 as unknown)."""
        order_id = self.db.order_id_for_specimen(barcode)
        order = self.db.order(order_id) if order_id else None
        spec = next((s for s in order.specimens if s.id == barcode), None) if order else None
        if order is None or spec is None or order.office_her_id != office_her_id:
            raise ProblemError(404, "Fant ingen prøve med denne strekkoden.")
        return order, spec

    # ---- collection --------------------------------------------------------------------------

    def collect(self, order_id: str, data: CollectionInput) -> Order:
        """Register collection time and collector per specimen.

        Allowed while the order is saved or rejected, and after sending for a specimen that
        has no collection yet (samples are often drawn after the requisition was sent).
        A registered time cannot be changed once the order is sent: the lab has it (409).
        """
        now = self.now()
        with self.db.transaction():
            order = self.get(order_id)
            if order.status == OrderStatus.CANCELLED:
                raise ProblemError(409, "Bestillingen er kansellert.")
            by_id = {s.id: s for s in order.specimens}
            problems: list[FieldProblem] = []
            conflicts: list[str] = []
            updates: dict[str, tuple[datetime, str]] = {}
            for i, entry in enumerate(data.specimens):
                sid = entry.specimen_id.strip()
                spec = by_id.get(sid)
                if spec is None:
                    problems.append(
                        FieldProblem(path=f"specimens[{i}].specimen_id", detail="Prøven hører ikke til denne bestillingen.")
                    )
                    continue
                wrong = moment_problem(
                    entry.collected_at, now=now, born=order.patient.birth_date, not_before=order.created_at
                )
                if wrong is not None:
                    problems.append(FieldProblem(path=f"specimens[{i}].collected_at", detail=wrong))
                    continue
                at = as_utc(entry.collected_at)
                if order.status not in EDITABLE and spec.collected_at is not None and spec.collected_at != at:
                    conflicts.append(sid)
                    continue
                updates[sid] = (at, entry.collected_by.strip())
            if problems:
                raise unprocessable(problems)
            if conflicts:
                raise ProblemError(
                    409,
                    "Prøvetakingstidspunktet kan ikke endres etter at bestillingen er sendt.",
                    errors=[FieldProblem(path="specimens", detail=f"Prøve {c} er allerede registrert.") for c in conflicts],
                )
            specimens = [
                s.model_copy(update={"collected_at": updates[s.id][0], "collected_by": updates[s.id][1]})
                if s.id in updates
                else s
                for s in order.specimens
            ]
            order = order.model_copy(update={"specimens": specimens, "updated_at": now})
            self.db.save_order(order)
            n = len(updates)
            self.event(order, EventKind.COLLECTED, f"Prøvetaking registrert for {n} {'prøve' if n == 1 else 'prøver'}.")
        log.info("order %s: collection registered for %d specimens", order.id, len(updates))
        return order


def _make_cursor(position: tuple[str, int]) -> str:
    return base64.urlsafe_b64encode(f"{position[0]}|{position[1]}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[str, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, seq = text.rsplit("|", 1)
        datetime.fromisoformat(created_at)
        return created_at, int(seq)
    except ValueError:  # also binascii.Error and UnicodeDecodeError
        raise unprocessable(
            [FieldProblem(path="cursor", detail="Ugyldig side-markør. Hent listen på nytt fra begynnelsen.")]
        ) from None


def item_is_open(item: OrderItem) -> bool:
    return item.status == ItemStatus.ORDERED
