"""What the API's routes depend on, as FastAPI dependencies (the full-stack template's `deps.py`).

The services live on `app.state` (`sandbox.app.create_app` puts them there); a route names
what it needs by type (`Db`, `Orders`, `Hub`, `CatalogDoc`, `Access`) and who asks
(`Caller`, the identity `sandbox.guard` verified in front of routing). `api_router(scope)`
is a router whose every route needs that scope in the access token.

Also here: the shapes every router shares (`COMMON_RESPONSES`, `problem_doc`, `json_response`,
`dump`).
"""

from __future__ import annotations

import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2, SecurityScopes
from pydantic import BaseModel

from ihr.helseid import SCOPES, TOKEN_PATH
from ihr.models import Catalog, Order, Problem
from sandbox.authority import Authority, Identity
from sandbox.db import Database
from sandbox.guard import IDENTITY_KEY
from sandbox.hub import MessageHub
from sandbox.orders import OrderService
from sandbox.problems import PROBLEM_JSON, ProblemError

API_PREFIX = "/api/v1"
SEARCHES_PER_MINUTE = 30


def problem_doc(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


Responses = dict[int | str, dict[str, Any]]  # a route's documented answers

COMMON_RESPONSES: Responses = {
    400: problem_doc("Ugyldig forespørsel (for eksempel ugyldig JSON eller UTF-8)"),
    401: problem_doc("Mangler eller ugyldig tilgangsbevis eller DPoP-bevis"),
    403: problem_doc("Tilgangsbeviset mangler scopet endepunktet krever"),
    413: problem_doc("Forespørselen er større enn 1 MB"),
    422: problem_doc("Ugyldige data, med feltsti per feil"),
    500: problem_doc("Uventet feil"),
}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json")


# ---- who asks ---------------------------------------------------------------------------


def caller_identity(request: Request) -> Identity:
    identity: Identity = request.scope[IDENTITY_KEY]
    return identity


Caller = Annotated[Identity, Depends(caller_identity)]

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
    missing = [s for s in security_scopes.scopes if s not in caller_identity(request).scopes]
    if missing:
        raise ProblemError(403, f"Tilgangsbeviset mangler scopet {missing[0]}.")


def api_router(scope: str) -> APIRouter:
    """A router under the API prefix whose every route needs `scope` in the token."""
    return APIRouter(prefix=API_PREFIX, dependencies=[Security(scoped, scopes=[scope])], responses=COMMON_RESPONSES)


# ---- the services -----------------------------------------------------------------------


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_orders(request: Request) -> OrderService:
    orders: OrderService = request.app.state.orders
    return orders


def get_hub(request: Request) -> MessageHub:
    hub: MessageHub = request.app.state.hub
    return hub


def get_authority(request: Request) -> Authority:
    authority: Authority = request.app.state.authority
    return authority


@dataclass(frozen=True)
class CatalogDocument:
    """The catalog, and its JSON body and ETag made once (every client fetches it)."""

    catalog: Catalog
    body: bytes
    etag: str


def get_catalog(request: Request) -> CatalogDocument:
    doc: CatalogDocument = request.app.state.catalog_doc
    return doc


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


def get_limiter(request: Request) -> SearchLimiter:
    limiter: SearchLimiter = request.app.state.limiter
    return limiter


class AccessLog:
    """Every read or change of a patient's data appends one row to the hash-chained log."""

    def __init__(self, db: Database, orders: OrderService) -> None:
        self.db = db
        self.orders = orders

    def record(self, identity: Identity, patient_id: str, action: str, obj: str | None = None) -> None:
        self.db.append_audit(
            at=self.orders.now(),
            office_her_id=identity.office_her_id,
            hpr=identity.hpr,
            client_id=identity.client_id,
            patient_id=patient_id,
            action=action,
            obj=obj,
        )

    def own_order(self, order_id: str, identity: Identity, action: str) -> Order:
        """The caller's office's order (else 404), its access logged."""
        order = self.orders.owned(order_id, identity.office_her_id)
        self.record(identity, order.patient.id, action, order.id)
        return order


def get_access_log(request: Request) -> AccessLog:
    access: AccessLog = request.app.state.access_log
    return access


Db = Annotated[Database, Depends(get_db)]
Orders = Annotated[OrderService, Depends(get_orders)]
Hub = Annotated[MessageHub, Depends(get_hub)]
AuthorityDep = Annotated[Authority, Depends(get_authority)]
CatalogDoc = Annotated[CatalogDocument, Depends(get_catalog)]
Limiter = Annotated[SearchLimiter, Depends(get_limiter)]
Access = Annotated[AccessLog, Depends(get_access_log)]
