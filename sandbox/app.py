"""The reference IHR service: a FastAPI app over SQLite, as docs/API.md describes it.

`create_app()` is the one factory: the embedded sandbox (`sandbox.server`), `ihr sandbox
--port N` and the tests all build the app through it. The app is also the HelseID-like
authority (`/connect/token`, JWKS; `sandbox.authority`). Everything under `/api/v1` needs a
DPoP-bound access token and a proof (checked in `sandbox.guard`, in front of routing, so an
endpoint cannot be added without it) and the scope its router names; who acts (client,
office, health worker) comes from the token only. The routes are one `APIRouter` per
resource in `sandbox.routes`, their dependencies in `sandbox.deps`; this module wires them. Errors are problem+json with a Norwegian
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
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI

from ihr.helseid import SCOPES
from ihr.models import Catalog
from sandbox.authority import Authority, Identity
from sandbox.db import Database
from sandbox.deps import (
    API_PREFIX,
    SEARCHES_PER_MINUTE,
    AccessLog,
    CatalogDocument,
    SearchLimiter,
    dump,
)
from sandbox.guard import Guard, GuardStats
from sandbox.hub import MessageHub
from sandbox.orders import OrderService, utc_now
from sandbox.problems import install_handlers
from sandbox.routes import include_all
from sandbox.routes.orders import DEFAULT_PAGE, MAX_PAGE

__all__ = ["API_PREFIX", "DEFAULT_PAGE", "MAX_PAGE", "SEED_STAMP", "create_app", "ensure_seeded"]

log = logging.getLogger("sandbox")

SEED_STAMP = "seed-1"


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


def _catalog_document(catalog: Catalog) -> CatalogDocument:
    body = json.dumps(dump(catalog), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return CatalogDocument(catalog, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


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
    orders = OrderService(db, catalog, clock)
    hub = MessageHub(orders, lab_delay_s=lab_delay_s)

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
    app.state.catalog_doc = _catalog_document(catalog)
    app.state.orders = orders
    app.state.hub = hub
    app.state.guard_stats = stats
    app.state.authority = authority
    app.state.limiter = SearchLimiter(searches_per_minute)
    app.state.access_log = AccessLog(db, orders)
    install_handlers(app)
    include_all(app)

    unchecked = None
    if not auth:
        from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

        unchecked = Identity("bench", DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, frozenset(SCOPES))
    app.add_middleware(Guard, authority=authority, prefix=API_PREFIX, stats=stats, unchecked_identity=unchecked)
    return app
