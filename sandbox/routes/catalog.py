"""The catalog of analyses and examinations, with an ETag (clients keep it between starts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header
from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import Catalog
from sandbox.deps import CatalogDoc, api_router

router = api_router(SCOPE_API)


@router.get("/catalog", response_model=Catalog, responses={304: {"description": "Uendret"}}, tags=["katalog"])
def get_catalog(doc: CatalogDoc, if_none_match: Annotated[str | None, Header()] = None) -> Response:
    headers = {"ETag": doc.etag, "Cache-Control": "no-cache"}
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        if "*" in tags or doc.etag in tags:
            return Response(status_code=304, headers=headers)
    return Response(doc.body, media_type="application/json", headers=headers)
