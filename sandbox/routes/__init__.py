"""The service's routes, one `APIRouter` per resource (the full-stack template's `api/routes/`).

`auth` is the authority (token endpoint, JWKS, discovery) outside the API prefix; the others
live under `/api/v1` and need the scope their router names (`sandbox.deps.api_router`).
Their dependencies (the services, who asks, the access log) are in `sandbox.deps`.
"""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.routes import audit, auth, catalog, groups, orders, people, specimens


def include_all(app: FastAPI) -> None:
    """Every router, in the order the OpenAPI document lists them."""
    for module in (auth, catalog, people, groups, orders, specimens, audit):
        app.include_router(module.router)
