"""Patients (by fødselsnummer or name) and requesting doctors."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import FieldProblem, Patient, PatientSearchResult, Requester
from ihr.rules.identifiers import InvalidPersonId, looks_like_person_id, parse_person_id
from sandbox.deps import Access, Caller, Db, Limiter, api_router, dump, json_response, problem_doc
from sandbox.problems import ProblemError, unprocessable

MIN_NAME_LETTERS = 3
MAX_SEARCH_HITS = 50  # a name search lists no more; `more` says when others match

router = api_router(SCOPE_API)


def _letters(text: str) -> int:
    return max((sum(ch.isalpha() for ch in part) for part in text.split()), default=0)


@router.get("/patients/{patient_id}", response_model=Patient, responses={404: problem_doc("Ukjent pasient")}, tags=["personer"])
def get_patient(patient_id: str, caller: Caller, db: Db, access: Access) -> Response:
    patient = db.patient(patient_id.strip())
    if patient is None:
        try:
            parse_person_id(patient_id)
        except InvalidPersonId as exc:  # a typo: say what is wrong (never echoing the number)
            raise ProblemError(404, f"Fant ingen pasient: {exc.message}.") from None
        raise ProblemError(404, "Fant ingen pasient med dette fødselsnummeret.")
    access.record(caller, patient.id, "patient.read")
    return json_response(dump(patient))


@router.get(
    "/patients",
    response_model=PatientSearchResult,
    responses={429: problem_doc("For mange navnesøk fra denne klienten (per minutt)")},
    tags=["personer"],
)
def search_patients(
    q: Annotated[str, Query(min_length=1, max_length=100)], caller: Caller, db: Db, access: Access, limiter: Limiter
) -> Response:
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
            raise unprocessable([FieldProblem(path="q", detail=f"Skriv minst {MIN_NAME_LETTERS} bokstaver av et navn.")])
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
        access.record(caller, patient.id, "patient.search")
    return json_response(dump(PatientSearchResult(patients=found, more=more)))


@router.get("/requesters", response_model=list[Requester], tags=["personer"])
def list_requesters(caller: Caller, db: Db) -> Response:
    """The signed-in office's requesting doctors (for choosing one)."""
    return json_response([dump(r) for r in db.requesters_of(caller.office_her_id)])


@router.get("/requesters/{hpr}", response_model=Requester, responses={404: problem_doc("Ukjent rekvirent")}, tags=["personer"])
def get_requester(hpr: str, db: Db) -> Response:
    requester = db.requester(hpr.strip())
    if requester is None:
        raise ProblemError(404, "Fant ingen rekvirent med dette HPR-nummeret.")
    return json_response(dump(requester))
