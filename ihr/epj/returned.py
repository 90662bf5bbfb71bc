"""The order handed back to the journal: a FHIR R4 transaction `Bundle`.

One `ServiceRequest` per requisition item (analysis or examination), with the requisition
number as `requisition`, the lab or imaging department as `performer` (its HER-id), the
patient, the requester (HPR) and the order's priority, diagnosis and comment; one
`Specimen` per tube, identified by the barcode on its label and pointing at the requests it
serves. Every entry is a conditional update (`PUT ServiceRequest?identifier=...`), so the
journal files the order when it is saved, updates it when it is sent, and again on a
cancellation or an add-on: the same identifiers each time, never a second copy.

Built with `fhir.resources` (R4B models) and validated by it; `read_returned` reads such a
bundle back (the tests' round trip, and a journal's view of what it got).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntryRequest
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.specimen import Specimen

from ihr.epj import codes
from ihr.models import Catalog, CodeSystem, Discipline, ItemStatus, Order, OrderItem, OrderStatus

_NAMESPACE = uuid.UUID("8d0b6a52-3b1e-4f7e-9a59-0c6f1c3e2a11")  # fullUrls: stable per identifier

_CODE_SYSTEMS = {CodeSystem.NLK: codes.NLK, CodeSystem.NCRP: codes.NCRP, CodeSystem.LOCAL: codes.IHR_LOCAL}
_CATEGORY = {  # SNOMED CT: laboratory procedure, imaging
    Discipline.RADIOLOGY: ("363679005", "Imaging"),
}
_LAB_CATEGORY = ("108252007", "Laboratory procedure")
_NOT_SENT = {OrderStatus.DRAFT, OrderStatus.SAVED}


def _url(system: str, value: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{system}|{value}')}"


def _status(order: Order, item: OrderItem) -> str:
    """ServiceRequest.status: draft while saved, active once sent, on-hold while a
    cancellation waits for the lab's answer, revoked when cancelled, completed when performed."""
    if item.status is ItemStatus.CANCELLED or order.status is OrderStatus.CANCELLED:
        return "revoked"
    if item.status is ItemStatus.PERFORMED or order.status is OrderStatus.RESULT_READY:
        return "completed"
    if order.status in _NOT_SENT:
        return "draft"
    return "on-hold" if item.cancel_requested_at is not None else "active"


def _coding(code: str, catalog: Catalog | None, name: str) -> dict[str, Any]:
    system = codes.IHR_LOCAL
    if catalog is not None:
        try:
            system = _CODE_SYSTEMS[catalog.service(code).code_system]
        except KeyError:
            pass
    elif code.startswith(("NPU", "NOR")):
        system = codes.NLK
    return {"system": system, "code": code, "display": name}


def order_bundle(order: Order, catalog: Catalog | None, *, at: datetime) -> Bundle:
    """The order as a transaction Bundle of ServiceRequests and Specimens (see the module)."""
    patient_system = codes.DNR if int(order.patient.id[0]) >= 4 else codes.FNR
    subject = {"identifier": {"system": patient_system, "value": order.patient.id}}
    requester = {"identifier": {"system": codes.HPR, "value": order.requester.hpr}, "display": order.requester.name}
    entries: list[BundleEntry] = []
    item_urls: dict[str, str] = {}
    for req in order.requisitions:
        lab_name = req.lab_her_id
        if catalog is not None:
            try:
                lab_name = catalog.lab(req.lab_her_id).name
            except KeyError:
                pass
        category = _CATEGORY.get(req.discipline, _LAB_CATEGORY)
        for item in req.items:
            url = item_urls[item.id] = _url(codes.ITEM_ID, item.id)
            body: dict[str, Any] = {
                "identifier": [{"system": codes.ITEM_ID, "value": item.id}],
                "requisition": {"system": codes.REQUISITION_NUMBER, "value": req.number},
                "status": _status(order, item),
                "intent": "order",
                "priority": "urgent" if order.priority.value == "haster" else "routine",
                "category": [{"coding": [{"system": codes.SNOMED, "code": category[0], "display": category[1]}]}],
                "code": {"coding": [_coding(item.service_code, catalog, item.name)], "text": item.name},
                "subject": subject,
                "authoredOn": (item.added_on or order.created_at).isoformat(),
                "requester": requester,
                "performer": [{
                    "type": "Organization",
                    "identifier": {"system": codes.HER, "value": req.lab_her_id},
                    "display": lab_name,
                }],
            }
            if order.diagnosis is not None:
                body["reasonCode"] = [{
                    "coding": [{"system": codes.ICPC2, "code": order.diagnosis.code, "display": order.diagnosis.text}],
                    "text": order.diagnosis.text,
                }]
            if order.comment:
                body["note"] = [{"text": order.comment}]
            if item.specimen_id:
                body["specimen"] = [{"reference": _url(codes.SPECIMEN_ID, item.specimen_id)}]
            entries.append(_put(url, ServiceRequest.model_validate(body), codes.ITEM_ID, item.id))
    for spec in order.specimens:
        served = [item_urls[i.id] for r in order.requisitions for i in r.items if i.specimen_id == spec.id]
        sbody: dict[str, Any] = {
            "identifier": [{"system": codes.SPECIMEN_ID, "value": spec.id}],
            "type": {"text": spec.material},
            "subject": subject,
            "request": [{"reference": u} for u in served],
            "container": [{"description": spec.container}],
        }
        if spec.collected_at is not None:  # taken: the tube exists (before that, no status)
            sbody["status"] = "available"
            sbody["collection"] = {"collectedDateTime": spec.collected_at.isoformat()}
        entries.append(_put(_url(codes.SPECIMEN_ID, spec.id), Specimen.model_validate(sbody), codes.SPECIMEN_ID, spec.id))
    return Bundle.model_validate({
        "type": "transaction",
        "identifier": {"system": codes.ORDER_ID, "value": order.id},
        "timestamp": at.isoformat(),
        "entry": entries,
    })


def _put(url: str, resource: Any, system: str, value: str) -> BundleEntry:
    kind = resource.get_resource_type()
    return BundleEntry(
        fullUrl=url,
        resource=resource,
        request=BundleEntryRequest(method="PUT", url=f"{kind}?identifier={system}|{value}"),
    )


@dataclass(frozen=True)
class ReturnedItem:
    item_id: str
    requisition_number: str
    code: str
    status: str
    performer_her_id: str
    specimen_ids: tuple[str, ...]


@dataclass(frozen=True)
class ReturnedOrder:
    """What a returned bundle says, as a journal would read it."""

    order_id: str
    patient_id: str
    items: tuple[ReturnedItem, ...]
    specimen_ids: tuple[str, ...]

    @property
    def requisition_numbers(self) -> set[str]:
        return {i.requisition_number for i in self.items}


def read_returned(data: str | bytes) -> ReturnedOrder:
    """A returned bundle's JSON, validated by `fhir.resources`, read back (ValueError if not one)."""
    bundle = Bundle.model_validate_json(data)
    if bundle.type != "transaction" or bundle.identifier is None:
        raise ValueError("not a returned order: a transaction bundle with the order's identifier")
    barcode_of: dict[str, str] = {}
    specimens: list[str] = []
    requests: list[ServiceRequest] = []
    patient = ""
    for e in bundle.entry or []:
        r = e.resource
        if isinstance(r, Specimen):
            barcode = next(i.value for i in r.identifier or [] if i.system == codes.SPECIMEN_ID)
            barcode_of[str(e.fullUrl)] = str(barcode)
            specimens.append(str(barcode))
        elif isinstance(r, ServiceRequest):
            requests.append(r)
            patient = str(r.subject.identifier.value) if r.subject.identifier is not None else patient
    items = []
    for r in requests:
        items.append(ReturnedItem(
            item_id=str(next(i.value for i in r.identifier or [] if i.system == codes.ITEM_ID)),
            requisition_number=str(r.requisition.value) if r.requisition is not None else "",
            code=str(r.code.coding[0].code) if r.code is not None and r.code.coding else "",
            status=str(r.status),
            performer_her_id=str(r.performer[0].identifier.value) if r.performer and r.performer[0].identifier else "",
            specimen_ids=tuple(barcode_of[str(s.reference)] for s in r.specimen or []),
        ))
    return ReturnedOrder(str(bundle.identifier.value), patient, tuple(items), tuple(specimens))
