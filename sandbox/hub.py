"""The message hub: sending requisitions as KITH messages, the labs' answers, add-ons, cancels.

`send` builds one MsgHead message per requisition (`ihr.kith`) and schedules the simulated
lab's answers as jobs in the store (`lab_jobs`), each due `lab_delay_s` after the one
before it: transport receipt, AppRec (built by the lab with `ihr.kith.build_apprec`, read
back by the hub with `parse_apprec`), then the lab statuses mottatt, under_analyse and
svar_klart. A background thread runs the jobs that are due by the app's clock; tests with a
fake clock call `run_due()` themselves after moving it.

Every message is a Rekvisisjon v1.6 with its own MsgId and ServType (HISD 1154): N when a
requisition is first sent; M (Endring) when it is sent again after a correction; A (Tillegg)
for an add-on after sending; C (Kansellering) for a cancellation after sending, or M with
the cancelled items as C when only some are cancelled. The lab first checks each message
(`sandbox.reception`) and answers each with its own AppRec; a cancellation takes effect only
when that AppRec is OK.

Each (re)send of a requisition bumps its send generation; jobs of an older generation (an
order corrected and sent again) are dropped. Log lines carry order ids only.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from ihr.kith import (
    AppRecResult,
    build_apprec,
    build_requisition_message,
    parse_apprec,
    parse_msghead,
)
from ihr.kith.codes import ServiceType, message_type_for
from ihr.models import (
    AddOnInput,
    Answer,
    AppRecStatus,
    CancelInput,
    Discipline,
    EventKind,
    FieldProblem,
    ItemStatus,
    KithMessage,
    Order,
    OrderItem,
    OrderStatus,
    Requisition,
    Service,
)
from ihr.rules.addons import addon_refusal
from ihr.rules.ordering import patient_refusal
from ihr.rules.questions import clean_answers, questions_for, validate_answers
from ihr.tracebacks import scrubbed_traceback
from sandbox.labs import LabVerdict, judge
from sandbox.orders import OrderService, as_utc, new_id
from sandbox.problems import ProblemError, unprocessable
from sandbox.reception import default_kith_dir, receive

log = logging.getLogger("sandbox")

# How far a requisition has come; the order shows the least advanced of its requisitions.
PROGRESS = [
    OrderStatus.SAVED,
    OrderStatus.SENT,
    OrderStatus.TRANSPORT_RECEIPT,
    OrderStatus.ACCEPTED,
    OrderStatus.RECEIVED,
    OrderStatus.IN_ANALYSIS,
    OrderStatus.RESULT_READY,
]
IMAGING_TEXTS = {
    OrderStatus.RECEIVED: "Henvisningen er mottatt og vurdert.",
    OrderStatus.IN_ANALYSIS: "Undersøkelsen er satt opp.",
    OrderStatus.RESULT_READY: "Beskrivelsen er klar.",
}
SENDABLE = {OrderStatus.SAVED, OrderStatus.REJECTED}
APPREC_TO_STATUS = {
    AppRecStatus.OK: OrderStatus.ACCEPTED,
    AppRecStatus.REJECTED: OrderStatus.REJECTED,
    AppRecStatus.OK_WITH_ERRORS: OrderStatus.PARTLY_REJECTED,
}
LAB_STEPS = {  # step -> (statuses it follows, new status, Norwegian timeline text, next step)
    "mottatt": (
        {OrderStatus.ACCEPTED, OrderStatus.PARTLY_REJECTED},
        OrderStatus.RECEIVED,
        "Prøvematerialet er mottatt på laboratoriet.",
        "under_analyse",
    ),
    "under_analyse": ({OrderStatus.RECEIVED}, OrderStatus.IN_ANALYSIS, "Analysene er startet.", "svar_klart"),
    "svar_klart": ({OrderStatus.IN_ANALYSIS}, OrderStatus.RESULT_READY, "Svar er klart.", None),
}


def order_status(requisitions: Sequence[Requisition]) -> OrderStatus:
    """The order's status from its requisitions: rejections first, else the least advanced."""
    active = [r.status for r in requisitions if r.status != OrderStatus.CANCELLED]
    if not active:
        return OrderStatus.CANCELLED
    if OrderStatus.REJECTED in active:
        return OrderStatus.REJECTED if all(s == OrderStatus.REJECTED for s in active) else OrderStatus.PARTLY_REJECTED
    if OrderStatus.PARTLY_REJECTED in active:
        return OrderStatus.PARTLY_REJECTED
    return min(active, key=lambda s: PROGRESS.index(s) if s in PROGRESS else 0)


def _with_requisition(order: Order, req: Requisition, now: datetime) -> Order:
    reqs = [req if r.id == req.id else r for r in order.requisitions]
    return order.model_copy(update={"requisitions": reqs, "status": order_status(reqs), "updated_at": now})


class MessageHub:
    """Sends orders to the simulated labs and applies their answers."""

    def __init__(
        self,
        orders: OrderService,
        *,
        lab_delay_s: float = 2.0,
        poll_s: float = 0.1,
        kith_dir: Path | None = None,
    ) -> None:
        self.orders = orders
        # The labs validate what arrives against the XSDs in this folder (sandbox.reception).
        self.kith_dir = kith_dir if kith_dir is not None else default_kith_dir()
        self.db = orders.db
        self.catalog = orders.catalog
        self.delay = timedelta(seconds=max(0.0, lab_delay_s))
        self.poll_s = poll_s
        self._run_lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- the worker ------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="ihr-sandbox-labs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception as exc:  # keep the labs alive; the job stays for the next round
                log.error("lab simulator failed: %s", scrubbed_traceback(exc))
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def run_due(self) -> int:
        """Run every job that is due by the clock (including ones the jobs schedule). Returns the count."""
        done = 0
        with self._run_lock:
            while True:
                jobs = self.db.due_jobs(self.orders.now())
                if not jobs:
                    break
                for job in jobs:
                    try:
                        with self.db.transaction():
                            if not self.db.claim_job(job["seq"]):
                                continue  # another process sharing the file ran it
                            self._run(job)
                    except Exception as exc:  # a job that fails is dropped, not retried forever
                        log.error("lab job for order %s failed: %s", job["order_id"], scrubbed_traceback(exc))
                        self.db.finish_job(job["seq"])
                    done += 1
        return done

    def pending(self) -> int:
        return self.db.pending_jobs()

    # ---- helpers ------------------------------------------------------------------------------

    def _generation(self, requisition_id: str) -> int:
        return int(self.db.meta(f"send_gen:{requisition_id}") or 0)

    def _schedule(self, order_id: str, requisition_id: str, step: str, after: datetime, data: dict) -> None:
        self.db.add_job(due_at=after + self.delay, order_id=order_id, requisition_id=requisition_id, step=step, data=data)
        self._wake.set()

    def _services(self, requisition: Requisition) -> dict[str, Service]:
        return {i.service_code: self.catalog.service(i.service_code) for i in requisition.items}

    def _lab_name(self, her_id: str) -> str:
        try:
            return self.catalog.lab(her_id).short_name
        except KeyError:
            return her_id

    def _send_requisition(
        self,
        order: Order,
        req: Requisition,
        now: datetime,
        service_type: ServiceType = ServiceType.NEW,
        *,
        added_item_ids: Sequence[str] = (),
        cancelled_item_ids: Sequence[str] = (),
        reason: str | None = None,
    ) -> str:
        """Build, store and 'transmit' one KITH message about a requisition; its message id.

        Every message has its own MsgId (a UUID); the requisition's document id (ServReq/Id)
        is the same in all of them (HISD 1154).
        """
        office = self.db.office(order.office_her_id)
        if office is None:  # pragma: no cover - checked when the order was made
            raise ProblemError(409, "Kontoret finnes ikke lenger.")
        msg_id = str(uuid.uuid4())
        services = self._services(req)
        xml = build_requisition_message(
            order,
            req,
            sender_office=office,
            requester=order.requester,
            lab=self.catalog.lab(req.lab_her_id),
            services=services,
            msg_id=msg_id,
            gen_date=now,
            service_type=service_type,
            added_item_ids=added_item_ids,
            cancelled_item_ids=cancelled_item_ids,
            reason=reason,
        )
        self.db.add_message(
            KithMessage(
                id=new_id(),
                order_id=order.id,
                requisition_id=req.id,
                direction="ut",
                msg_type=message_type_for(req, services).value,
                msg_id=msg_id,
                at=now,
                xml=xml.decode("utf-8"),
                service_type=service_type.value,
            )
        )
        return msg_id

    # ---- send ---------------------------------------------------------------------------------

    def send(self, order_id: str) -> Order:
        now = self.orders.now()
        with self.db.transaction():
            order = self.orders.get(order_id)
            if order.status not in SENDABLE:
                raise ProblemError(409, f"Bestillingen kan ikke sendes når status er «{order.status.value}».")
            reqs: list[Requisition] = []
            sent: list[tuple[Requisition, str]] = []
            for req in order.requisitions:
                if req.status == OrderStatus.CANCELLED:
                    reqs.append(req)
                    continue
                req = req.model_copy(update={"status": OrderStatus.SENT})
                reqs.append(req)
                sent.append((req, ""))
            if not sent:
                raise ProblemError(409, "Bestillingen har ingen rekvisisjoner å sende.")
            order = order.model_copy(update={"requisitions": reqs, "status": order_status(reqs), "updated_at": now})
            for req, _ in sent:
                # Sent before (and rejected): the corrected requisition goes as an Endring.
                generation = self._generation(req.id) + 1
                service_type = ServiceType.CHANGE if generation > 1 else ServiceType.NEW
                msg_id = self._send_requisition(order, req, now, service_type)
                self.db.set_meta(f"send_gen:{req.id}", str(generation))
                kind = "Henvisning" if req.kind == "henvisning" else "Rekvisisjon"
                what = "Endret " + kind.lower() if service_type == ServiceType.CHANGE else kind
                self.orders.event(
                    order,
                    EventKind.CHANGED if service_type == ServiceType.CHANGE else EventKind.SENT,
                    f"{what} {req.number} er sendt til {self._lab_name(req.lab_her_id)}.",
                    requisition_id=req.id,
                    status=OrderStatus.SENT,
                    at=now,
                )
                self._schedule(order.id, req.id, "transport", now, {"gen": generation, "msg_id": msg_id})
            self.db.save_order(order)
        log.info("order %s sent (%d messages)", order.id, len(sent))
        return order

    # ---- the labs' answers ---------------------------------------------------------------

    def _run(self, row: sqlite3.Row) -> None:
        data = json.loads(row["data"])
        order = self.db.order(row["order_id"])
        req_id = row["requisition_id"]
        step = row["step"]
        if order is None:
            return
        req = next((r for r in order.requisitions if r.id == req_id), None)
        if req is None or req.status == OrderStatus.CANCELLED:
            return
        if "gen" in data and data["gen"] != self._generation(req.id):
            return  # an older send of a corrected order
        at = datetime.fromisoformat(row["due_at"].replace("Z", "+00:00"))
        at = min(as_utc(at), self.orders.now())
        lab = self._lab_name(req.lab_her_id)
        if step == "transport":
            if req.status != OrderStatus.SENT:
                return
            req = req.model_copy(update={"status": OrderStatus.TRANSPORT_RECEIPT})
            order = _with_requisition(order, req, at)
            self.db.save_order(order)
            self.orders.event(
                order, EventKind.TRANSPORT_RECEIPT, f"Transportkvittering: meldingen kom fram til {lab}.",
                requisition_id=req.id, status=req.status, at=at,
            )
            self._schedule(order.id, req.id, "apprec", at, data)
        elif step in ("apprec", "addon_apprec"):
            self._apprec(order, req, data, at, addon=step == "addon_apprec")
        elif step == "cancel_apprec":
            self._cancel_apprec(order, req, data, at)
        elif step in LAB_STEPS:
            follows, status, text, next_step = LAB_STEPS[step]
            if req.status not in follows:
                return
            if req.discipline == Discipline.RADIOLOGY:
                text = IMAGING_TEXTS.get(status, text)
            update: dict[str, object] = {"status": status}
            if status == OrderStatus.RESULT_READY:
                update["items"] = [
                    i.model_copy(update={"status": ItemStatus.PERFORMED}) if i.status == ItemStatus.ORDERED else i
                    for i in req.items
                ]
            req = req.model_copy(update=update)
            order = _with_requisition(order, req, at)
            self.db.save_order(order)
            self.orders.event(order, EventKind.LAB_STATUS, f"{lab}: {text}", requisition_id=req.id, status=status, at=at)
            if next_step:
                self._schedule(order.id, req.id, next_step, at, data)

    def _lab_answers(
        self, order: Order, req: Requisition, data: dict, at: datetime
    ) -> tuple[LabVerdict, AppRecResult] | None:
        """The lab receives the message `data["msg_id"]` and answers with an AppRec.

        It checks the message first (`sandbox.reception`: XSDs, the profile's required
        content) and rejects what fails with the 8221 code; then `sandbox.labs.judge`
        decides. The AppRec is stored as an incoming message. Returns the lab's verdict and the
        AppRec as the sender reads it, or None when the message is not there.
        """
        messages = [m for m in self.db.messages(order.id) if m.msg_id == data.get("msg_id")]
        if not messages:
            return None
        original_xml = messages[0].xml.encode("utf-8")
        received = receive(original_xml, kith_dir=self.kith_dir, lab_her_id=req.lab_her_id)
        info = parse_msghead(original_xml)  # the ids the AppRec answers
        if received.accepted:
            hpr = received.requester_hpr or order.requester.hpr
            verdict = judge(info, req, hpr, received.service_type, data.get("items"))
        else:
            verdict = LabVerdict(AppRecStatus.REJECTED, received.errors)
            log.info("order %s: the lab refused a message (%s)", order.id, received.errors[0].code)
        office = self.db.office(order.office_her_id)
        lab = self.catalog.lab(req.lab_her_id)
        apprec_id = str(uuid.uuid4())
        xml = build_apprec(
            original=info,
            status=verdict.status,
            errors=verdict.errors,
            msg_id=apprec_id,
            gen_date=at,
            sender_her=lab.her_id,
            receiver_her=order.office_her_id,
            sender_name=lab.name,
            receiver_name=office.name if office else None,
            software_name="ihr-sandkasse",
        )
        self.db.add_message(
            KithMessage(
                id=new_id(), order_id=order.id, requisition_id=req.id, direction="inn",
                msg_type="APPREC", msg_id=apprec_id, at=at, xml=xml.decode("utf-8"),
                answers_msg_id=info.msg_id,
            )
        )
        return verdict, parse_apprec(xml)  # the sender reads the receipt it got back

    def _apprec(self, order: Order, req: Requisition, data: dict, at: datetime, *, addon: bool) -> None:
        answered = self._lab_answers(order, req, data, at)
        if answered is None:
            return
        verdict, result = answered
        refused_items = [
            i.model_copy(update={"status": ItemStatus.CANCELLED}) if i.id in verdict.refused_item_ids else i
            for i in req.items
        ]
        if addon:  # the requisition keeps its status; only refused add-ons are marked
            req = req.model_copy(update={"items": refused_items})
            order = _with_requisition(order, req, at)
            self.db.save_order(order)
            self.orders.event(
                order, EventKind.APPREC, f"Applikasjonskvittering for etterrekvireringen: {result.status_text}.",
                requisition_id=req.id, status=req.status, errors=result.errors, at=at,
            )
            return
        status = APPREC_TO_STATUS[result.status]
        update: dict[str, object] = {"status": status}
        if result.status == AppRecStatus.OK_WITH_ERRORS:
            update["items"] = refused_items
        req = req.model_copy(update=update)
        order = _with_requisition(order, req, at)
        self.db.save_order(order)
        texts = {
            OrderStatus.ACCEPTED: f"{self._lab_name(req.lab_her_id)} har akseptert rekvisisjonen {req.number}.",
            OrderStatus.REJECTED: f"{self._lab_name(req.lab_her_id)} har avvist rekvisisjonen {req.number}.",
            OrderStatus.PARTLY_REJECTED: f"{self._lab_name(req.lab_her_id)} har akseptert rekvisisjonen {req.number} med feil i deler av den.",
        }
        self.orders.event(
            order, EventKind.APPREC, texts[status], requisition_id=req.id, status=status, errors=result.errors, at=at
        )
        if status != OrderStatus.REJECTED:
            self._schedule(order.id, req.id, "mottatt", at, data)
        log.info("order %s: apprec %s for a requisition", order.id, result.status.value)

    def _cancel_apprec(self, order: Order, req: Requisition, data: dict, at: datetime) -> None:
        """The lab's answer to a Kansellering (or an Endring that cancels items) decides:
        OK cancels the items asked for (and the requisition when nothing is left); a
        rejection leaves them ordered."""
        answered = self._lab_answers(order, req, data, at)
        if answered is None:
            return
        _verdict, result = answered
        asked = set(data.get("cancel", []))
        lab = self._lab_name(req.lab_her_id)
        confirmed = result.status == AppRecStatus.OK
        items = [
            i.model_copy(update={"status": ItemStatus.CANCELLED})
            if confirmed and i.id in asked and i.status == ItemStatus.ORDERED
            else i.model_copy(update={"cancel_requested_at": None})
            if not confirmed and i.id in asked
            else i
            for i in req.items
        ]
        update: dict[str, object] = {"items": items}
        if confirmed and all(i.status == ItemStatus.CANCELLED for i in items):
            update["status"] = OrderStatus.CANCELLED
        req = req.model_copy(update=update)
        order = _with_requisition(order, req, at)
        self.db.save_order(order)
        if confirmed:
            what = f"rekvisisjon {req.number}" if req.status == OrderStatus.CANCELLED else f"{len(asked)} analyse(r) i rekvisisjon {req.number}"
            self.orders.event(
                order, EventKind.CANCELLED, f"{lab} har bekreftet kanselleringen av {what}.",
                requisition_id=req.id, status=req.status, at=at,
            )
        else:
            self.orders.event(
                order, EventKind.APPREC, f"{lab} har avvist kanselleringen av rekvisisjon {req.number}.",
                requisition_id=req.id, status=req.status, errors=result.errors, at=at,
            )
        log.info("order %s: cancellation answered %s", order.id, result.status.value)

    # ---- add-ons --------------------------------------------------------------------------------

    def addons(self, order_id: str, data: AddOnInput) -> Order:
        """Etterrekvirering: add services to a specimen already taken (ihr.rules.addons decides)."""
        now = self.orders.now()
        with self.db.transaction():
            order = self.orders.get(order_id)
            spec = next((s for s in order.specimens if s.id == data.specimen_id.strip()), None)
            if spec is None:
                raise unprocessable([FieldProblem(path="specimen_id", detail="Prøven hører ikke til denne bestillingen.")])
            req = next(r for r in order.requisitions if r.id == spec.requisition_id)
            if order.status == OrderStatus.CANCELLED or req.status == OrderStatus.CANCELLED:
                raise ProblemError(409, "Rekvisisjonen er kansellert.")
            if req.status == OrderStatus.REJECTED:
                raise ProblemError(409, "Rekvisisjonen er avvist. Rett bestillingen og send den på nytt.")
            if req.status == OrderStatus.RESULT_READY:
                raise ProblemError(409, "Rekvisisjonen er ferdig besvart. Etterrekvirering må gjøres på telefon til laboratoriet.")

            problems: list[FieldProblem] = []
            services: list[tuple[int, Service]] = []
            for i, code in enumerate(data.service_codes):
                service = self.orders.service(code.strip())
                if service is None:
                    problems.append(FieldProblem(path=f"service_codes[{i}]", detail=f"Ukjent tjenestekode «{code}»."))
                    continue
                refusal = patient_refusal(service, order.patient, self.orders.today())
                if refusal:
                    problems.append(FieldProblem(path=f"service_codes[{i}]", detail=refusal))
                    continue
                services.append((i, service))
            existing = [self.catalog.service(i.service_code) for r in order.requisitions for i in r.items]
            questions = questions_for(existing + [s for _, s in services])
            merged = {a.key: a.value for a in order.answers} | dict(data.answers)
            problems.extend(validate_answers(questions, merged, born=order.patient.birth_date, now=now))
            if problems:
                raise unprocessable(problems)

            # Each service must fit the specimen as it is after the ones before it.
            for i, service in services:
                refusal = addon_refusal(spec, service, now, catalog=self.catalog)
                if refusal:
                    raise ProblemError(409, refusal, errors=[FieldProblem(path=f"service_codes[{i}]", detail=refusal)])
                assert service.specimen is not None
                spec = spec.model_copy(
                    update={
                        "service_codes": sorted([*spec.service_codes, service.code]),
                        "volume_ml": round(spec.volume_ml + service.specimen.min_volume_ml, 6),
                    }
                )
            new_items = [
                OrderItem(id=new_id(), service_code=s.code, name=s.name, specimen_id=spec.id, added_on=now)
                for _, s in services
            ]
            req = req.model_copy(update={"items": [*req.items, *new_items]})
            specimens = [spec if s.id == spec.id else s for s in order.specimens]
            answers = clean_answers(questions, merged)
            order = _with_requisition(order, req, now).model_copy(
                update={"specimens": specimens, "answers": [Answer(key=k, value=v) for k, v in answers.items()]}
            )
            self.db.save_order(order)
            names = ", ".join(s.name for _, s in services)
            self.orders.event(
                order, EventKind.ADDON, f"Etterrekvirert {names} på prøve {spec.id}.", requisition_id=req.id, at=now
            )
            if req.status != OrderStatus.SAVED:  # the lab has the requisition: a Tillegg (A)
                added = [i.id for i in new_items]
                msg_id = self._send_requisition(order, req, now, ServiceType.ADDITION, added_item_ids=added)
                self._schedule(
                    order.id, req.id, "addon_apprec", now,
                    {"gen": self._generation(req.id), "msg_id": msg_id, "items": added},
                )
        log.info("order %s: %d add-ons", order.id, len(new_items))
        return order

    # ---- cancel -----------------------------------------------------------------------------------

    def cancel(self, order_id: str, data: CancelInput) -> Order:
        """Cancel a requisition or single items that are not performed yet."""
        now = self.orders.now()
        with self.db.transaction():
            order = self.orders.get(order_id)
            if not data.requisition_id and not data.item_ids:
                raise unprocessable(
                    [FieldProblem(path="requisition_id", detail="Oppgi rekvisisjonen eller analysene som skal kanselleres.")]
                )
            targets: set[str] = set()
            problems: list[FieldProblem] = []
            if data.requisition_id:
                req = next((r for r in order.requisitions if r.id == data.requisition_id), None)
                if req is None:
                    problems.append(FieldProblem(path="requisition_id", detail="Rekvisisjonen hører ikke til denne bestillingen."))
                else:
                    targets |= {i.id for i in req.items}
            all_items = {i.id: i for r in order.requisitions for i in r.items}
            for n, item_id in enumerate(data.item_ids):
                if item_id not in all_items:
                    problems.append(FieldProblem(path=f"item_ids[{n}]", detail="Analysen hører ikke til denne bestillingen."))
                else:
                    targets.add(item_id)
            if problems:
                raise unprocessable(problems)
            done = [all_items[t] for t in targets if all_items[t].status == ItemStatus.PERFORMED]
            if done:
                names = ", ".join(sorted(i.name for i in done))
                raise ProblemError(409, f"Allerede utført, kan ikke kanselleres: {names}.")
            reqs = []
            local: list[Requisition] = []  # cancelled here: the lab never had them
            at_lab: list[tuple[Requisition, list[str]]] = []  # the lab must confirm
            for r in order.requisitions:
                asked = [i.id for i in r.items if i.id in targets and i.status == ItemStatus.ORDERED]
                if not asked:
                    reqs.append(r)
                    continue
                if r.status in (OrderStatus.SAVED, OrderStatus.REJECTED, OrderStatus.CANCELLED):
                    items = [i.model_copy(update={"status": ItemStatus.CANCELLED}) if i.id in asked else i for i in r.items]
                    status = OrderStatus.CANCELLED if all(i.status == ItemStatus.CANCELLED for i in items) else r.status
                    r = r.model_copy(update={"items": items, "status": status})
                    local.append(r)
                else:
                    items = [i.model_copy(update={"cancel_requested_at": now}) if i.id in asked else i for i in r.items]
                    r = r.model_copy(update={"items": items})
                    at_lab.append((r, asked))
                reqs.append(r)
            order = order.model_copy(update={"requisitions": reqs, "status": order_status(reqs), "updated_at": now})
            self.db.save_order(order)
            for r in local:
                n = sum(1 for i in r.items if i.id in targets)
                what = f"Rekvisisjon {r.number} er kansellert" if r.status == OrderStatus.CANCELLED else f"{n} analyse(r) i rekvisisjon {r.number} er kansellert"
                self.orders.event(order, EventKind.CANCELLED, f"{what}. Årsak: {data.reason}", requisition_id=r.id, status=r.status, at=now)
            for r, asked in at_lab:
                # The whole requisition: a Kansellering (C). Some items: an Endring (M) with them as C.
                whole = all(i.status == ItemStatus.CANCELLED or i.id in asked for i in r.items)
                if whole:
                    msg_id = self._send_requisition(order, r, now, ServiceType.CANCEL, reason=data.reason)
                    what = f"Kansellering av rekvisisjon {r.number}"
                else:
                    msg_id = self._send_requisition(
                        order, r, now, ServiceType.CHANGE, cancelled_item_ids=asked, reason=f"Kansellering: {data.reason}"
                    )
                    what = f"Kansellering av {len(asked)} analyse(r) i rekvisisjon {r.number}"
                self.orders.event(
                    order, EventKind.CANCEL_REQUESTED,
                    # the reason is ours, not the lab's reply: said apart from the wait for one
                    f"{what} er sendt til {self._lab_name(r.lab_her_id)}. Årsak: {data.reason.rstrip('.')}. "
                    "Venter på svar fra laboratoriet.",
                    requisition_id=r.id, status=r.status, at=now,
                )
                self._schedule(order.id, r.id, "cancel_apprec", now, {"msg_id": msg_id, "cancel": asked, "items": []})
        log.info("order %s: cancelled %d items", order.id, len(targets))
        return order
