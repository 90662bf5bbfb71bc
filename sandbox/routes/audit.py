"""The access log, one patient at a time, for the office's privacy officer (its own scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from ihr.helseid import SCOPE_AUDIT
from ihr.models import AuditEntry, AuditLog
from sandbox.deps import Access, Caller, Db, api_router, dump, json_response
from sandbox.problems import ProblemError

router = api_router(SCOPE_AUDIT)


@router.get("/audit", response_model=AuditLog, tags=["tilgangslogg"])
def read_audit(
    patient: Annotated[str, Query(min_length=11, max_length=11)], caller: Caller, db: Db, access: Access
) -> Response:
    """One patient's accesses by the caller's office (privacy officer); this read is logged too."""
    patient_id = patient.strip()
    if db.patient(patient_id) is None:
        raise ProblemError(404, "Fant ingen pasient med dette fødselsnummeret.")
    access.record(caller, patient_id, "audit.read")
    rows = db.audit_rows(patient_id=patient_id, office_her_id=caller.office_her_id)
    entries = [
        AuditEntry(
            at=r["at"], office_her_id=r["office_her_id"], hpr=r["hpr"], client_id=r["client_id"],
            action=r["action"], object=r["object"],
        )
        for r in rows
    ]
    intact = db.audit_chain_break() is None
    return json_response(dump(AuditLog(patient_id=patient_id, entries=entries, chain_intact=intact)))
