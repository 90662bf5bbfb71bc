"""The reference IHR service: a FastAPI app over SQLite, as docs/API.md describes it.

`create_app()` is the one factory: the embedded sandbox (`sandbox.server`), `ihr sandbox
--port N` and the tests all build the app through it. Everything under `/api/v1` needs the
bearer token (checked in `sandbox.guard`, in front of routing, so an endpoint cannot be
added without it); errors are problem+json with a Norwegian detail (`sandbox.problems`).

Nothing here logs a name or a fødselsnummer: log lines carry order ids only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Query, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel

from ihr.models import (
    AddOnInput,
    CancelInput,
    Catalog,
    CollectionInput,
    FieldProblem,
    Group,
    GroupInput,
    KithMessage,
    Order,
    OrderInput,
    OrderStatus,
    OrderSummary,
    Patient,
    PatientSearchResult,
    Problem,
    Requester,
    SpecimenLookup,
    StatusEvent,
)
from ihr.rules.groups import edit_refusal
from ihr.rules.identifiers import InvalidPersonId, looks_like_person_id, parse_person_id
from ihr.rules.specimen_ids import is_valid_specimen_id
from sandbox.db import Database
from sandbox.guard import Guard, GuardStats
from sandbox.hub import MessageHub
from sandbox.orders import OSLO, OrderService, as_utc, utc_now
from sandbox.problems import PROBLEM_JSON, ProblemError, install_handlers, unprocessable

log = logging.getLogger("sandbox")

API_PREFIX = "/api/v1"
SEED_STAMP = "seed-1"


def _problem_doc(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_doc("Ugyldig forespørsel (for eksempel ugyldig JSON eller UTF-8)"),
    401: _problem_doc("Mangler eller ugyldig tilgangsnøkkel"),
    413: _problem_doc("Forespørselen er større enn 1 MB"),
    422: _problem_doc("Ugyldige data, med feltsti per feil"),
    500: _problem_doc("Uventet feil"),
}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


def ensure_seeded(db: Database) -> None:
    """Load the synthetic population into a fresh store (a reused file is left alone)."""
    if db.is_seeded():
        return
    from sandbox.seed.catalog import seed_groups
    from sandbox.seed.people import seed_offices, seed_patients, seed_requesters

    db.seed(
        patients=seed_patients(),
        requesters=seed_requesters(),
        offices=seed_offices(),
        groups=seed_groups(),
        stamp=SEED_STAMP,
    )


def _default_catalog() -> Catalog:
    from sandbox.seed.catalog import seed_catalog

    return seed_catalog()


def _parse_since(value: str | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.min, tzinfo=OSLO)
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise unprocessable(
            [FieldProblem(path="since", detail="Må være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601).")]
        ) from None


def _require_header(value: str | None, name: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ProblemError(400, f"Mangler header {name}.", errors=[FieldProblem(path=name, detail="Påkrevd.")])
    return text


def create_app(
    *,
    db_path: Path | None = None,
    token: str = "sandbox-token",
    catalog: Catalog | None = None,
    lab_delay_s: float = 2.0,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The sandbox app. `db_path=None` uses a temporary file, removed at shutdown."""
    clock = clock or utc_now
    catalog = catalog or _default_catalog()
    db = Database(db_path)
    ensure_seeded(db)
    orders = OrderService(db, catalog, clock)
    hub = MessageHub(orders, lab_delay_s=lab_delay_s)

    catalog_body = json.dumps(_dump(catalog), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    catalog_etag = '"' + hashlib.sha256(catalog_body).hexdigest()[:32] + '"'

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start()
        try:
            yield
        finally:
            hub.stop()
            db.close()

    app = FastAPI(
        title="IHR sandkasse",
        version="1.0.0",
        description="Referansetjenesten for IHR (Interaktiv henvisning og rekvirering), med syntetiske data.",
        lifespan=lifespan,
    )
    stats = GuardStats()
    app.state.db = db
    app.state.catalog = catalog
    app.state.orders = orders
    app.state.hub = hub
    app.state.guard_stats = stats
    app.state.token = token
    install_handlers(app)

    bearer = HTTPBearer(auto_error=False, description="Tilgangsnøkkel (Bearer)")
    api = APIRouter(prefix=API_PREFIX, dependencies=[Security(bearer)], responses=COMMON_RESPONSES)

    # ---- catalog --------------------------------------------------------------------------

    @api.get("/catalog", response_model=Catalog, responses={304: {"description": "Uendret"}}, tags=["katalog"])
    def get_catalog(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        headers = {"ETag": catalog_etag, "Cache-Control": "no-cache"}
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            if "*" in tags or catalog_etag in tags:
                return Response(status_code=304, headers=headers)
        return Response(catalog_body, media_type="application/json", headers=headers)

    # ---- people -----------------------------------------------------------------------------

    @api.get("/patients/{patient_id}", response_model=Patient, responses={404: _problem_doc("Ukjent pasient")}, tags=["personer"])
    def get_patient(patient_id: str) -> Response:
        patient = db.patient(patient_id.strip())
        if patient is None:
            try:
                parse_person_id(patient_id)
            except InvalidPersonId as exc:  # a typo: say what is wrong (never echoing the number)
                raise ProblemError(404, f"Fant ingen pasient: {exc.message}.") from None
            raise ProblemError(404, "Fant ingen pasient med dette fødselsnummeret.")
        return _json(_dump(patient))

    @api.get("/patients", response_model=PatientSearchResult, tags=["personer"])
    def search_patients(q: Annotated[str, Query(min_length=1, max_length=100)]) -> Response:
        text = q.strip()
        if looks_like_person_id(text):
            p = db.patient("".join(ch for ch in text if ch.isdigit()))
            found = [p] if p else []
        else:
            parts = [part for part in text.replace(",", " ").split() if part]
            found = db.search_patients(parts)
        return _json(_dump(PatientSearchResult(patients=found)))

    @api.get("/requesters/{hpr}", response_model=Requester, responses={404: _problem_doc("Ukjent rekvirent")}, tags=["personer"])
    def get_requester(hpr: str) -> Response:
        requester = db.requester(hpr.strip())
        if requester is None:
            raise ProblemError(404, "Fant ingen rekvirent med dette HPR-nummeret.")
        return _json(_dump(requester))

    # ---- groups -----------------------------------------------------------------------------

    def _check_codes(body: GroupInput) -> None:
        problems = []
        for i, code in enumerate(body.service_codes):
            try:
                catalog.service(code)
            except KeyError:
                problems.append(FieldProblem(path=f"service_codes[{i}]", detail=f"Ukjent tjenestekode «{code}»."))
        if len(set(body.service_codes)) != len(body.service_codes):
            problems.append(FieldProblem(path="service_codes", detail="Samme tjeneste står flere ganger."))
        if problems:
            raise unprocessable(problems)

    def _may_edit(group: Group, user: str, office: str) -> None:
        refusal = edit_refusal(group, user, office)
        if refusal is not None:
            raise ProblemError(403, refusal)

    @api.get("/groups", response_model=list[Group], tags=["grupper"])
    def list_groups(office: str | None = None, hpr: str | None = None) -> Response:
        return _json([_dump(g) for g in db.groups_for(office=office, hpr=hpr)])

    @api.post("/groups", response_model=Group, status_code=201, tags=["grupper"])
    def create_group(
        body: GroupInput,
        x_ihr_user: Annotated[str | None, Header(alias="X-IHR-User")] = None,
        x_ihr_office: Annotated[str | None, Header(alias="X-IHR-Office")] = None,
    ) -> Response:
        user = _require_header(x_ihr_user, "X-IHR-User")
        office = _require_header(x_ihr_office, "X-IHR-Office")
        _check_codes(body)
        group = Group(
            id=uuid.uuid4().hex,
            name=body.name.strip() or body.name,
            service_codes=list(body.service_codes),
            scope=body.scope,
            office_her_id=office,
            owner_hpr=user if body.scope == "personal" else None,
            updated_at=orders.now(),
        )
        db.put_group(group)
        return _json(_dump(group), 201, headers={"Location": f"{API_PREFIX}/groups/{group.id}"})

    @api.put(
        "/groups/{group_id}",
        response_model=Group,
        responses={403: _problem_doc("Ikke din gruppe"), 404: _problem_doc("Ukjent gruppe")},
        tags=["grupper"],
    )
    def update_group(
        group_id: str,
        body: GroupInput,
        x_ihr_user: Annotated[str | None, Header(alias="X-IHR-User")] = None,
        x_ihr_office: Annotated[str | None, Header(alias="X-IHR-Office")] = None,
    ) -> Response:
        user = _require_header(x_ihr_user, "X-IHR-User")
        office = _require_header(x_ihr_office, "X-IHR-Office")
        with db.transaction():
            group = db.group(group_id)
            if group is None:
                raise ProblemError(404, "Fant ingen gruppe med denne id-en.")
            _may_edit(group, user, office)
            _check_codes(body)
            changed = group.model_copy(
                update={
                    "name": body.name.strip() or body.name,
                    "service_codes": list(body.service_codes),
                    "scope": body.scope,
                    "owner_hpr": (group.owner_hpr or user) if body.scope == "personal" else None,
                    "office_her_id": group.office_her_id or office,
                    "updated_at": orders.now(),
                }
            )
            db.put_group(changed)
        return _json(_dump(changed))

    @api.delete(
        "/groups/{group_id}",
        status_code=204,
        responses={403: _problem_doc("Ikke din gruppe"), 404: _problem_doc("Ukjent gruppe")},
        tags=["grupper"],
    )
    def delete_group(
        group_id: str,
        x_ihr_user: Annotated[str | None, Header(alias="X-IHR-User")] = None,
        x_ihr_office: Annotated[str | None, Header(alias="X-IHR-Office")] = None,
    ) -> Response:
        user = _require_header(x_ihr_user, "X-IHR-User")
        office = _require_header(x_ihr_office, "X-IHR-Office")
        with db.transaction():
            group = db.group(group_id)
            if group is None:
                raise ProblemError(404, "Fant ingen gruppe med denne id-en.")
            _may_edit(group, user, office)
            db.delete_group(group_id)
        return Response(status_code=204)

    # ---- orders -----------------------------------------------------------------------------

    @api.post(
        "/orders",
        response_model=Order,
        status_code=201,
        responses={200: {"model": Order, "description": "Samme Idempotency-Key som før: den samme bestillingen"}},
        tags=["bestillinger"],
    )
    def create_order(
        body: OrderInput,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> Response:
        order, created = orders.create(body, idempotency_key)
        return _json(
            _dump(order), 201 if created else 200, headers={"Location": f"{API_PREFIX}/orders/{order.id}"}
        )

    @api.get("/orders", response_model=list[OrderSummary], tags=["bestillinger"])
    def list_orders(
        patient: str | None = None,
        since: Annotated[str | None, Query(description="Dato (ÅÅÅÅ-MM-DD) eller ISO 8601-tidspunkt")] = None,
        status: Annotated[list[OrderStatus] | None, Query()] = None,
    ) -> Response:
        found = orders.list(patient=(patient or "").strip() or None, since=_parse_since(since), statuses=status or [])
        return _json([_dump(s) for s in found])

    @api.get("/orders/{order_id}", response_model=Order, responses={404: _problem_doc("Ukjent bestilling")}, tags=["bestillinger"])
    def get_order(order_id: str) -> Response:
        return _json(_dump(orders.get(order_id)))

    @api.put(
        "/orders/{order_id}",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Bestillingen kan ikke endres nå")},
        tags=["bestillinger"],
    )
    def replace_order(order_id: str, body: OrderInput) -> Response:
        """Correct a saved or rejected order (new content, same id); then send it again."""
        return _json(_dump(orders.replace(order_id, body)))

    @api.post(
        "/orders/{order_id}/collection",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Kan ikke endres etter sending")},
        tags=["bestillinger"],
    )
    def register_collection(order_id: str, body: CollectionInput) -> Response:
        return _json(_dump(orders.collect(order_id, body)))

    @api.get(
        "/specimens/{barcode}",
        response_model=SpecimenLookup,
        responses={404: _problem_doc("Ukjent prøve")},
        tags=["prøver"],
    )
    def get_specimen(barcode: str) -> Response:
        code = barcode.strip()
        if not is_valid_specimen_id(code):
            raise ProblemError(
                400,
                "Strekkoden er feil lest (kontrollsiffer)",
                errors=[FieldProblem(path="barcode", detail="Kontrollsifferet stemmer ikke.")],
            )
        order_id, spec = orders.specimen(code)
        return _json({"order_id": order_id, "specimen": _dump(spec)})

    # ---- after the order: send, receipts, add-ons, cancel --------------------------------

    @api.post(
        "/orders/{order_id}/send",
        response_model=Order,
        status_code=202,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Allerede sendt")},
        tags=["bestillinger"],
    )
    def send_order(order_id: str) -> Response:
        """Dispatch one KITH message per requisition; the labs answer later (events, messages)."""
        return _json(_dump(hub.send(order_id)), 202)

    @api.post(
        "/orders/{order_id}/addons",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Materialet passer ikke eller holdbarheten er ute")},
        tags=["bestillinger"],
    )
    def add_on(order_id: str, body: AddOnInput) -> Response:
        return _json(_dump(hub.addons(order_id, body)))

    @api.post(
        "/orders/{order_id}/cancel",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Allerede utført")},
        tags=["bestillinger"],
    )
    def cancel(order_id: str, body: CancelInput) -> Response:
        return _json(_dump(hub.cancel(order_id, body)))

    @api.get(
        "/orders/{order_id}/events",
        response_model=list[StatusEvent],
        responses={404: _problem_doc("Ukjent bestilling")},
        tags=["bestillinger"],
    )
    def events(order_id: str) -> Response:
        orders.get(order_id)
        return _json([_dump(e) for e in db.events(order_id)])

    @api.get(
        "/orders/{order_id}/messages",
        response_model=list[KithMessage],
        responses={404: _problem_doc("Ukjent bestilling")},
        tags=["bestillinger"],
    )
    def messages(order_id: str) -> Response:
        orders.get(order_id)
        return _json([_dump(m) for m in db.messages(order_id)])

    app.include_router(api)
    app.add_middleware(Guard, token=token, prefix=API_PREFIX, stats=stats)
    return app


def api_endpoints(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP endpoint, walking included routers too."""
    out: list[tuple[str, str]] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:  # FastAPI's included-router node
                context = getattr(route, "include_context", None)
                walk(list(inner.routes), prefix + (getattr(context, "prefix", "") or ""))
                continue
            nested = getattr(route, "routes", None)
            if nested is not None and not hasattr(route, "methods"):
                walk(list(nested), prefix + (getattr(route, "path", "") or ""))
                continue
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD":
                    out.append((method, prefix + route.path))

    walk(list(app.routes), "")
    return out
