"""The reference IHR service: a FastAPI app over SQLite, as docs/API.md describes it.

`create_app()` is the one factory: the embedded sandbox (`sandbox.server`), `ihr sandbox
--port N` and the tests all build the app through it. The app is also the HelseID-like
authority (`/connect/token`, JWKS; `sandbox.authority`). Everything under `/api/v1` needs a
DPoP-bound access token and a proof (checked in `sandbox.guard`, in front of routing, so an
endpoint cannot be added without it) and the scope its router names; who acts (client,
office, health worker) comes from the token only. Errors are problem+json with a Norwegian
detail (`sandbox.problems`).

Offices are kept apart: another office's order (with its events, messages and specimens) is
"not found", and every read or change of a patient's data appends one row to the hash-chained
access log (`Database.append_audit`), readable per patient under its own scope.

Nothing here logs a name, a fødselsnummer, a token or a proof: log lines carry order ids only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time as _time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2, SecurityScopes
from pydantic import BaseModel

from ihr.helseid import SCOPE_API, SCOPE_AUDIT, SCOPES, TOKEN_PATH
from ihr.models import (
    AddOnInput,
    AuditEntry,
    AuditLog,
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
    PrintReport,
    Problem,
    Requester,
    SpecimenLookup,
    StatusEvent,
)
from ihr.rules.groups import NO_VERSION, STALE, edit_refusal, version_tag
from ihr.rules.identifiers import InvalidPersonId, looks_like_person_id, parse_person_id
from ihr.rules.moments import OUT_OF_RANGE, in_utc
from ihr.rules.specimen_ids import is_valid_specimen_id
from sandbox.authority import DISCOVERY_PATH, JWKS_PATH, AuthError, Authority, Identity
from sandbox.db import Database
from sandbox.guard import IDENTITY_KEY, Guard, GuardStats, request_url
from sandbox.hub import MessageHub
from sandbox.orders import OrderService, utc_now
from sandbox.problems import PROBLEM_JSON, ProblemError, install_handlers, unprocessable

log = logging.getLogger("sandbox")

API_PREFIX = "/api/v1"
SEED_STAMP = "seed-1"


def _problem_doc(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_doc("Ugyldig forespørsel (for eksempel ugyldig JSON eller UTF-8)"),
    401: _problem_doc("Mangler eller ugyldig tilgangsbevis eller DPoP-bevis"),
    403: _problem_doc("Tilgangsbeviset mangler scopet endepunktet krever"),
    413: _problem_doc("Forespørselen er større enn 1 MB"),
    422: _problem_doc("Ugyldige data, med feltsti per feil"),
    500: _problem_doc("Uventet feil"),
}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


def ensure_seeded(db: Database) -> None:
    """Load the synthetic population into a fresh store (a reused file is left alone, but
    for the offices: reference data, refreshed so an older file gets their health regions)."""
    from sandbox.seed.catalog import seed_groups
    from sandbox.seed.people import seed_offices, seed_patients, seed_requesters

    if db.is_seeded():
        db.put_offices(seed_offices())
        return

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


IF_MATCH_TEXT = "Gruppens versjon (ETag, eller ihr.rules.groups.version_tag)"  # module level: annotations read it
DEFAULT_PAGE = 100  # orders per page of GET /orders
MAX_PAGE = 500

MIN_NAME_LETTERS = 3
MAX_SEARCH_HITS = 50  # a name search lists no more; `more` says when others match
SEARCHES_PER_MINUTE = 30


class SearchLimiter:
    """Name searches per client: at most `per_minute` in any 60 s (a sliding window)."""

    def __init__(self, per_minute: int = SEARCHES_PER_MINUTE, clock: Callable[[], float] = _time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, client_id: str) -> int:
        """0 and the search counted, or the seconds until this client may search again."""
        now = self.clock()
        with self._lock:
            recent = [t for t in self._seen.get(client_id, []) if t > now - 60]
            if len(recent) >= self.per_minute:
                self._seen[client_id] = recent
                return max(1, int(recent[0] + 60 - now) + 1)
            recent.append(now)
            self._seen[client_id] = recent
            return 0


def _identity(request: Request) -> Identity:
    return request.scope[IDENTITY_KEY]


Caller = Annotated[Identity, Depends(_identity)]


def _letters(text: str) -> int:
    return max((sum(ch.isalpha() for ch in part) for part in text.split()), default=0)


def create_app(
    *,
    db_path: Path | None = None,
    catalog: Catalog | None = None,
    lab_delay_s: float = 2.0,
    clock: Callable[[], datetime] | None = None,
    issuer: str = "http://127.0.0.1",
    searches_per_minute: int = SEARCHES_PER_MINUTE,
    auth: bool = True,
) -> FastAPI:
    """The sandbox app. `db_path=None` uses a temporary file, removed at shutdown.

    `issuer` is the authority's URL (`sandbox.server` sets `app.state.authority.issuer`
    once it knows its port). `auth=False` is for `bench/bench_auth.py` alone: no token or
    proof is checked and every request acts as the demo office's first client.
    """
    clock = clock or utc_now
    catalog = catalog or _default_catalog()
    db = Database(db_path)
    ensure_seeded(db)
    authority = Authority(db, issuer=issuer)
    limiter = SearchLimiter(searches_per_minute)
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
    app.state.authority = authority
    install_handlers(app)

    helseid = OAuth2(
        flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_PATH, scopes=SCOPES)),
        scheme_name="HelseID",
        auto_error=False,
        description=(
            "HelseID-lik innlogging: client_credentials med private_key_jwt mot "
            f"{TOKEN_PATH}, tilgangsbevis bundet med DPoP (RFC 9449). Hver forespørsel har "
            "`Authorization: DPoP <tilgangsbevis>` og et nytt `DPoP`-bevis (htm, htu, iat, jti, ath)."
        ),
    )

    def scoped(security_scopes: SecurityScopes, request: Request, _token: str | None = Depends(helseid)) -> None:
        """The route's scopes must all be in the token (the guard has already verified it)."""
        missing = [s for s in security_scopes.scopes if s not in _identity(request).scopes]
        if missing:
            raise ProblemError(403, f"Tilgangsbeviset mangler scopet {missing[0]}.")

    def audit(identity: Identity, patient_id: str, action: str, obj: str | None = None) -> None:
        db.append_audit(
            at=orders.now(),
            office_her_id=identity.office_her_id,
            hpr=identity.hpr,
            client_id=identity.client_id,
            patient_id=patient_id,
            action=action,
            obj=obj,
        )

    def own_order(order_id: str, identity: Identity, action: str) -> Order:
        """The caller's office's order (else 404), its access logged."""
        order = orders.owned(order_id, identity.office_her_id)
        audit(identity, order.patient.id, action, order.id)
        return order

    api = APIRouter(prefix=API_PREFIX, dependencies=[Security(scoped, scopes=[SCOPE_API])], responses=COMMON_RESPONSES)
    audit_api = APIRouter(
        prefix=API_PREFIX, dependencies=[Security(scoped, scopes=[SCOPE_AUDIT])], responses=COMMON_RESPONSES
    )

    # ---- the authority ----------------------------------------------------------------------

    @app.post(
        TOKEN_PATH,
        tags=["innlogging"],
        summary="Tilgangsbevis (client_credentials, private_key_jwt, DPoP)",
        responses={400: {"description": "Ugyldig forespørsel (OAuth-feil)"}, 401: {"description": "Ukjent klient"}},
    )
    async def token(request: Request, dpop: Annotated[str | None, Header(alias="DPoP")] = None) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        headers = {k.lower().encode("latin-1"): v.encode("latin-1") for k, v in request.headers.items()}
        try:
            body = authority.issue(form, dpop, request_url(request.scope, headers))
        except AuthError as exc:
            return JSONResponse(
                {"error": exc.error, "error_description": exc.detail}, status_code=exc.status,
                headers={"Cache-Control": "no-store"},
            )
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    @app.get(JWKS_PATH, tags=["innlogging"], summary="Innloggingstjenestens offentlige nøkler (JWKS)")
    def jwks() -> Response:
        return _json(authority.jwks())

    @app.get(DISCOVERY_PATH, tags=["innlogging"], summary="OpenID-konfigurasjon")
    def discovery() -> Response:
        return _json(authority.discovery())

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
    def get_patient(patient_id: str, caller: Caller) -> Response:
        patient = db.patient(patient_id.strip())
        if patient is None:
            try:
                parse_person_id(patient_id)
            except InvalidPersonId as exc:  # a typo: say what is wrong (never echoing the number)
                raise ProblemError(404, f"Fant ingen pasient: {exc.message}.") from None
            raise ProblemError(404, "Fant ingen pasient med dette fødselsnummeret.")
        audit(caller, patient.id, "patient.read")
        return _json(_dump(patient))

    @api.get(
        "/patients",
        response_model=PatientSearchResult,
        responses={429: _problem_doc("For mange navnesøk fra denne klienten (per minutt)")},
        tags=["personer"],
    )
    def search_patients(q: Annotated[str, Query(min_length=1, max_length=100)], caller: Caller) -> Response:
        """By fødselsnummer, or by name: a name search needs a word of at least three
        letters, is limited per client (`searches_per_minute`) and lists at most
        `MAX_SEARCH_HITS` patients, with `more` set when others match (narrow the search)."""
        text = q.strip()
        if looks_like_person_id(text):
            p = db.patient("".join(ch for ch in text if ch.isdigit()))
            found = [p] if p else []
        else:
            parts = [part for part in text.replace(",", " ").split() if part]
            if _letters(" ".join(parts)) < MIN_NAME_LETTERS:
                raise unprocessable(
                    [FieldProblem(path="q", detail=f"Skriv minst {MIN_NAME_LETTERS} bokstaver av et navn.")]
                )
            wait = limiter.wait_s(caller.client_id)
            if wait:
                raise ProblemError(
                    429, f"For mange navnesøk på kort tid. Vent {wait} sekunder og prøv igjen.",
                    headers={"Retry-After": str(wait)},
                )
            found = db.search_patients(parts, limit=MAX_SEARCH_HITS)
        more = len(found) > MAX_SEARCH_HITS
        found = found[:MAX_SEARCH_HITS]
        for patient in found:
            audit(caller, patient.id, "patient.search")
        return _json(_dump(PatientSearchResult(patients=found, more=more)))

    @api.get("/requesters", response_model=list[Requester], tags=["personer"])
    def list_requesters(caller: Caller) -> Response:
        """The signed-in office's requesting doctors (for choosing one)."""
        return _json([_dump(r) for r in db.requesters_of(caller.office_her_id)])

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

    def _same_version(group: Group, if_match: str | None) -> None:
        """The edit names the version it was made from (If-Match): 428 without, 412 when stale."""
        if if_match is None:
            raise ProblemError(428, NO_VERSION)
        tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
        if "*" not in tags and version_tag(group) not in tags:
            raise ProblemError(412, STALE)

    @api.get("/groups", response_model=list[Group], tags=["grupper"])
    def list_groups(caller: Caller) -> Response:
        """Regional groups, the caller's office's groups and the health worker's own."""
        return _json([_dump(g) for g in db.groups_for(office=caller.office_her_id, hpr=caller.hpr)])

    @api.post("/groups", response_model=Group, status_code=201, tags=["grupper"])
    def create_group(body: GroupInput, caller: Caller) -> Response:
        user, office = caller.hpr, caller.office_her_id
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
        return _json(
            _dump(group), 201, headers={"Location": f"{API_PREFIX}/groups/{group.id}", "ETag": version_tag(group)}
        )

    VERSIONED: dict[int | str, dict[str, Any]] = {
        403: _problem_doc("Ikke din gruppe"),
        404: _problem_doc("Ukjent gruppe"),
        412: _problem_doc("Gruppen er endret siden versjonen i If-Match"),
        428: _problem_doc("If-Match mangler"),
    }

    @api.put("/groups/{group_id}", response_model=Group, responses=VERSIONED, tags=["grupper"])
    def update_group(
        group_id: str, body: GroupInput, caller: Caller, if_match: Annotated[str | None, Header(description=IF_MATCH_TEXT)] = None
    ) -> Response:
        """Change a group, from the version named in If-Match (412 when it has changed since)."""
        user, office = caller.hpr, caller.office_her_id
        with db.transaction():
            group = db.group(group_id)
            if group is None:
                raise ProblemError(404, "Fant ingen gruppe med denne id-en.")
            _may_edit(group, user, office)
            _same_version(group, if_match)
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
        return _json(_dump(changed), headers={"ETag": version_tag(changed)})

    @api.delete("/groups/{group_id}", status_code=204, responses=VERSIONED, tags=["grupper"])
    def delete_group(group_id: str, caller: Caller, if_match: Annotated[str | None, Header(description=IF_MATCH_TEXT)] = None) -> Response:
        """Delete a group, the version named in If-Match (412 when it has changed since)."""
        user, office = caller.hpr, caller.office_her_id
        with db.transaction():
            group = db.group(group_id)
            if group is None:
                raise ProblemError(404, "Fant ingen gruppe med denne id-en.")
            _may_edit(group, user, office)
            _same_version(group, if_match)
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
        caller: Caller,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> Response:
        _same_office(body, caller)
        order, created = orders.create(body, idempotency_key)
        audit(caller, order.patient.id, "order.create" if created else "order.read", order.id)
        return _json(
            _dump(order), 201 if created else 200, headers={"Location": f"{API_PREFIX}/orders/{order.id}"}
        )

    @api.get(
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
            audit(caller, patient_id, "order.list")
        headers = {}
        if next_cursor is not None:  # the same query, but never the fødselsnummer in a header
            query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "patient")]
            headers["Link"] = f'<{request.url.path}?{urlencode(query + [("cursor", next_cursor)])}>; rel="next"'
        return _json([_dump(s) for s in found], headers=headers)

    @api.get("/orders/{order_id}", response_model=Order, responses={404: _problem_doc("Ukjent bestilling")}, tags=["bestillinger"])
    def get_order(order_id: str, caller: Caller) -> Response:
        return _json(_dump(own_order(order_id, caller, "order.read")))

    @api.put(
        "/orders/{order_id}",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Bestillingen kan ikke endres nå")},
        tags=["bestillinger"],
    )
    def replace_order(order_id: str, body: OrderInput, caller: Caller) -> Response:
        """Correct a saved or rejected order (new content, same id); then send it again."""
        _same_office(body, caller)
        own_order(order_id, caller, "order.correct")
        return _json(_dump(orders.replace(order_id, body)))

    @api.post(
        "/orders/{order_id}/collection",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Kan ikke endres etter sending")},
        tags=["bestillinger"],
    )
    def register_collection(order_id: str, body: CollectionInput, caller: Caller) -> Response:
        own_order(order_id, caller, "order.collection")
        return _json(_dump(orders.collect(order_id, body)))

    @api.get(
        "/specimens/{barcode}",
        response_model=SpecimenLookup,
        responses={404: _problem_doc("Ukjent prøve")},
        tags=["prøver"],
    )
    def get_specimen(barcode: str, caller: Caller) -> Response:
        code = barcode.strip()
        if not is_valid_specimen_id(code):
            raise ProblemError(
                400,
                "Strekkoden er feil lest (kontrollsiffer)",
                errors=[FieldProblem(path="barcode", detail="Kontrollsifferet stemmer ikke.")],
            )
        order, spec = orders.specimen(code, caller.office_her_id)
        audit(caller, order.patient.id, "specimen.lookup", spec.id)
        return _json({"order_id": order.id, "specimen": _dump(spec)})

    # ---- after the order: send, receipts, add-ons, cancel --------------------------------

    @api.post(
        "/orders/{order_id}/send",
        response_model=Order,
        status_code=202,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Allerede sendt")},
        tags=["bestillinger"],
    )
    def send_order(order_id: str, caller: Caller) -> Response:
        """Dispatch one KITH message per requisition; the labs answer later (events, messages)."""
        own_order(order_id, caller, "order.send")
        return _json(_dump(hub.send(order_id)), 202)

    @api.post(
        "/orders/{order_id}/addons",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Materialet passer ikke eller holdbarheten er ute")},
        tags=["bestillinger"],
    )
    def add_on(order_id: str, body: AddOnInput, caller: Caller) -> Response:
        own_order(order_id, caller, "order.addon")
        return _json(_dump(hub.addons(order_id, body)))

    @api.post(
        "/orders/{order_id}/cancel",
        response_model=Order,
        responses={404: _problem_doc("Ukjent bestilling"), 409: _problem_doc("Allerede utført")},
        tags=["bestillinger"],
    )
    def cancel(order_id: str, body: CancelInput, caller: Caller) -> Response:
        own_order(order_id, caller, "order.cancel")
        return _json(_dump(hub.cancel(order_id, body)))

    @api.get(
        "/orders/{order_id}/events",
        response_model=list[StatusEvent],
        responses={404: _problem_doc("Ukjent bestilling")},
        tags=["bestillinger"],
    )
    def events(order_id: str, caller: Caller) -> Response:
        own_order(order_id, caller, "order.events")
        return _json([_dump(e) for e in db.events(order_id)])

    @api.get(
        "/orders/{order_id}/messages",
        response_model=list[KithMessage],
        responses={404: _problem_doc("Ukjent bestilling")},
        tags=["bestillinger"],
    )
    def messages(order_id: str, caller: Caller) -> Response:
        own_order(order_id, caller, "order.messages")
        return _json([_dump(m) for m in db.messages(order_id)])

    @api.post(
        "/orders/{order_id}/prints",
        status_code=204,
        responses={404: _problem_doc("Ukjent bestilling")},
        tags=["bestillinger"],
    )
    def report_prints(order_id: str, body: PrintReport, caller: Caller) -> Response:
        """The client printed labels of this order: the access log records it."""
        order = orders.owned(order_id, caller.office_her_id)
        known = {s.id for s in order.specimens}
        unknown = [i for i, sid in enumerate(body.specimen_ids) if sid not in known]
        if unknown:
            raise unprocessable(
                [FieldProblem(path=f"specimen_ids[{i}]", detail="Prøven hører ikke til denne bestillingen.") for i in unknown]
            )
        action = "labels.reprint" if body.reprint else "labels.print"
        audit(caller, order.patient.id, action, ",".join(body.specimen_ids))
        return Response(status_code=204)

    # ---- the access log ----------------------------------------------------------------------

    @audit_api.get("/audit", response_model=AuditLog, tags=["tilgangslogg"])
    def read_audit(patient: Annotated[str, Query(min_length=11, max_length=11)], caller: Caller) -> Response:
        """One patient's accesses by the caller's office (privacy officer); this read is logged too."""
        patient_id = patient.strip()
        if db.patient(patient_id) is None:
            raise ProblemError(404, "Fant ingen pasient med dette fødselsnummeret.")
        audit(caller, patient_id, "audit.read")
        rows = db.audit_rows(patient_id=patient_id, office_her_id=caller.office_her_id)
        entries = [
            AuditEntry(
                at=r["at"], office_her_id=r["office_her_id"], hpr=r["hpr"], client_id=r["client_id"],
                action=r["action"], object=r["object"],
            )
            for r in rows
        ]
        intact = db.audit_chain_break() is None
        return _json(_dump(AuditLog(patient_id=patient_id, entries=entries, chain_intact=intact)))

    app.include_router(api)
    app.include_router(audit_api)
    unchecked = None
    if not auth:
        from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

        unchecked = Identity("bench", DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, frozenset(SCOPES))
    app.add_middleware(Guard, authority=authority, prefix=API_PREFIX, stats=stats, unchecked_identity=unchecked)
    return app


def _same_office(body: OrderInput, caller: Identity) -> None:
    """An order is made for the caller's own office (the token's), never one named in the body."""
    if body.office_her_id.strip() != caller.office_her_id:
        raise unprocessable(
            [FieldProblem(path="office_her_id", detail="Et annet kontor enn det du er logget inn for.")],
            "Bestillingen kan bare gjelde kontoret du er logget inn for.",
        )
