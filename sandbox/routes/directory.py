"""The directory: offices (with their health region) and, by name or number, the health
workers and organisations a requisition is addressed to (shaped like NHN's Adresseregisteret)."""

from __future__ import annotations

from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import Office
from sandbox.deps import Db, api_router, dump, json_response, problem_doc
from sandbox.problems import ProblemError

router = api_router(SCOPE_API)


@router.get("/offices/{her_id}", response_model=Office, responses={404: problem_doc("Ukjent kontor")}, tags=["adresseregister"])
def get_office(her_id: str, db: Db) -> Response:
    """An office by HER-id, with its health region and place (requisitions are routed by them)."""
    office = db.office(her_id.strip())
    if office is None:
        raise ProblemError(404, "Fant ikke noe kontor med denne HER-id-en.")
    return json_response(dump(office))
