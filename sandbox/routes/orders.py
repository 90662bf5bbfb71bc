"""Orders: create, list, read, correct, collection, and after the order: send, add-ons,
cancel, events, messages, printed labels. Another office's order is "not found"."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Header, Query, Request
from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import (
    AddOnInput,
    CancelInput,
    CollectionInput,
    FieldProblem,
    KithMessage,
    Order,
    OrderInput,
    OrderStatus,
    OrderSummary,
    PrintReport,
    StatusEvent,
)
from ihr.rules.moments import OUT_OF_RANGE, in_utc
from sandbox.authority import Identity
from sandbox.deps import (
    API_PREFIX,
    Access,
    Caller,
    Db,
    Hub,
    Orders,
    Responses,
    api_router,
    dump,
    json_response,
    problem_doc,
)
from sandbox.problems import unprocessable

DEFAULT_PAGE = 100  # orders per page of GET /orders
MAX_PAGE = 500

NOT_FOUND: Responses = {404: problem_doc("Ukjent bestilling")}

router = api_router(SCOPE_API)


def _parse_since(value: str | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time.min)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise unprocessable(
            [FieldProblem(path="since", detail="Må være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601).")]
        ) from None
    at = in_utc(moment)
    if at is None:
        raise unprocessable([FieldProblem(path="since", detail=OUT_OF_RANGE)])
    return at


def _same_office(body: OrderInput, caller: Identity) -> None:
    """An order is made for the caller's own office (the token's), never one named in the body."""
    if body.office_her_id.strip() != caller.office_her_id:
        raise unprocessable(
            [FieldProblem(path="office_her_id", detail="Et annet kontor enn det du er logget inn for.")],
            "Bestillingen kan bare gjelde kontoret du er logget inn for.",
        )


@router.post(
    "/orders",
    response_model=Order,
    status_code=201,
    responses={200: {"model": Order, "description": "Samme Idempotency-Key som før: den samme bestillingen"}},
    tags=["bestillinger"],
)
def create_order(
    body: OrderInput,
    caller: Caller,
    orders: Orders,
    access: Access,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    _same_office(body, caller)
    order, created = orders.create(body, idempotency_key)
    access.record(caller, order.patient.id, "order.create" if created else "order.read", order.id)
    return json_response(dump(order), 201 if created else 200, headers={"Location": f"{API_PREFIX}/orders/{order.id}"})


@router.get(
    "/orders",
    response_model=list[OrderSummary],
    responses={200: {"description": "En side; `Link: <…>; rel=\"next\"` når flere følger"}},
    tags=["bestillinger"],
)
def list_orders(
    request: Request,
    patient: str | None = None,
    since: Annotated[str | None, Query(description="Dato (ÅÅÅÅ-MM-DD) eller ISO 8601-tidspunkt")] = None,
    status: Annotated[list[OrderStatus] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Bestillinger per side")] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(max_length=200, description="Fra `Link` rel=next")] = None,
    *,
    caller: Caller,
    orders: Orders,
    access: Access,
) -> Response:
    """A page of the caller's office's orders, newest first; when more follow, the
    `Link` header names the next page (the same query with `cursor`, less `patient`:
    headers get logged, so a client sends its patient filter again itself). Each
    patient in the page is one access logged."""
    found, next_cursor = orders.list(
        office=caller.office_her_id,
        patient=(patient or "").strip() or None,
        since=_parse_since(since),
        statuses=status or [],
        limit=limit,
        cursor=cursor,
    )
    for patient_id in dict.fromkeys(s.patient_id for s in found):
        access.record(caller, patient_id, "order.list")
    headers = {}
    if next_cursor is not None:  # the same query, but never the fødselsnummer in a header
        query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "patient")]
        headers["Link"] = f'<{request.url.path}?{urlencode(query + [("cursor", next_cursor)])}>; rel="next"'
    return json_response([dump(s) for s in found], headers=headers)


@router.get("/orders/{order_id}", response_model=Order, responses=NOT_FOUND, tags=["bestillinger"])
def get_order(order_id: str, caller: Caller, access: Access) -> Response:
    return json_response(dump(access.own_order(order_id, caller, "order.read")))


@router.put(
    "/orders/{order_id}",
    response_model=Order,
    responses={**NOT_FOUND, 409: problem_doc("Bestillingen kan ikke endres nå")},
    tags=["bestillinger"],
)
def replace_order(order_id: str, body: OrderInput, caller: Caller, orders: Orders, access: Access) -> Response:
    """Correct a saved or rejected order (new content, same id); then send it again."""
    _same_office(body, caller)
    access.own_order(order_id, caller, "order.correct")
    return json_response(dump(orders.replace(order_id, body)))


@router.post(
    "/orders/{order_id}/collection",
    response_model=Order,
    responses={**NOT_FOUND, 409: problem_doc("Kan ikke endres etter sending")},
    tags=["bestillinger"],
)
def register_collection(order_id: str, body: CollectionInput, caller: Caller, orders: Orders, access: Access) -> Response:
    access.own_order(order_id, caller, "order.collection")
    return json_response(dump(orders.collect(order_id, body)))


# ---- after the order: send, receipts, add-ons, cancel --------------------------------


@router.post(
    "/orders/{order_id}/send",
    response_model=Order,
    status_code=202,
    responses={**NOT_FOUND, 409: problem_doc("Allerede sendt")},
    tags=["bestillinger"],
)
def send_order(order_id: str, caller: Caller, hub: Hub, access: Access) -> Response:
    """Dispatch one KITH message per requisition; the labs answer later (events, messages)."""
    access.own_order(order_id, caller, "order.send")
    return json_response(dump(hub.send(order_id)), 202)


@router.post(
    "/orders/{order_id}/addons",
    response_model=Order,
    responses={**NOT_FOUND, 409: problem_doc("Materialet passer ikke eller holdbarheten er ute")},
    tags=["bestillinger"],
)
def add_on(order_id: str, body: AddOnInput, caller: Caller, hub: Hub, access: Access) -> Response:
    access.own_order(order_id, caller, "order.addon")
    return json_response(dump(hub.addons(order_id, body)))


@router.post(
    "/orders/{order_id}/cancel",
    response_model=Order,
    responses={**NOT_FOUND, 409: problem_doc("Allerede utført")},
    tags=["bestillinger"],
)
def cancel(order_id: str, body: CancelInput, caller: Caller, hub: Hub, access: Access) -> Response:
    access.own_order(order_id, caller, "order.cancel")
    return json_response(dump(hub.cancel(order_id, body)))


@router.get("/orders/{order_id}/events", response_model=list[StatusEvent], responses=NOT_FOUND, tags=["bestillinger"])
def events(order_id: str, caller: Caller, db: Db, access: Access) -> Response:
    access.own_order(order_id, caller, "order.events")
    return json_response([dump(e) for e in db.events(order_id)])


@router.get("/orders/{order_id}/messages", response_model=list[KithMessage], responses=NOT_FOUND, tags=["bestillinger"])
def messages(order_id: str, caller: Caller, db: Db, access: Access) -> Response:
    access.own_order(order_id, caller, "order.messages")
    return json_response([dump(m) for m in db.messages(order_id)])


@router.post("/orders/{order_id}/prints", status_code=204, responses=NOT_FOUND, tags=["bestillinger"])
def report_prints(order_id: str, body: PrintReport, caller: Caller, orders: Orders, access: Access) -> Response:
    """The client printed labels of this order: the access log records it."""
    order = orders.owned(order_id, caller.office_her_id)
    known = {s.id for s in order.specimens}
    unknown = [i for i, sid in enumerate(body.specimen_ids) if sid not in known]
    if unknown:
        raise unprocessable(
            [FieldProblem(path=f"specimen_ids[{i}]", detail="Prøven hører ikke til denne bestillingen.") for i in unknown]
        )
    action = "labels.reprint" if body.reprint else "labels.print"
    access.record(caller, order.patient.id, action, ",".join(body.specimen_ids))
    return Response(status_code=204)
