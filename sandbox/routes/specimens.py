"""A specimen by its barcode (the label scanned at the desk or the lab)."""

from __future__ import annotations

from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import FieldProblem, SpecimenLookup
from ihr.rules.specimen_ids import is_valid_specimen_id
from sandbox.deps import Access, Caller, Orders, api_router, dump, json_response, problem_doc
from sandbox.problems import ProblemError

router = api_router(SCOPE_API)


@router.get(
    "/specimens/{barcode}",
    response_model=SpecimenLookup,
    responses={404: problem_doc("Ukjent prøve")},
    tags=["prøver"],
)
def get_specimen(barcode: str, caller: Caller, orders: Orders, access: Access) -> Response:
    code = barcode.strip()
    if not is_valid_specimen_id(code):
        raise ProblemError(
            400,
            "Strekkoden er feil lest (kontrollsiffer)",
            errors=[FieldProblem(path="barcode", detail="Kontrollsifferet stemmer ikke.")],
        )
    order, spec = orders.specimen(code, caller.office_her_id)
    access.record(caller, order.patient.id, "specimen.lookup", spec.id)
    return json_response({"order_id": order.id, "specimen": dump(spec)})
