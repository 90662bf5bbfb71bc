"""The directory: offices (with their health region) and, by name or number, the health
workers and organisations a requisition is addressed to (shaped like NHN's Adresseregisteret;
the sandbox's register is its seed, `sandbox.seed.directory`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.kith.icpc2 import installed_list
from ihr.models import (
    CodedTerm,
    CodeSearchResult,
    DirectoryEntry,
    DirectorySearchResult,
    FieldProblem,
    Office,
)
from sandbox.deps import Db, api_router, dump, json_response, problem_doc
from sandbox.problems import ProblemError, unprocessable
from sandbox.seed.directory import search, seed_directory

MAX_HITS = 20
MIN_LETTERS = 3

router = api_router(SCOPE_API)


@router.get("/offices/{her_id}", response_model=Office, responses={404: problem_doc("Ukjent kontor")}, tags=["adresseregister"])
def get_office(her_id: str, db: Db) -> Response:
    """An office by HER-id, with its health region and place (requisitions are routed by them)."""
    office = db.office(her_id.strip())
    if office is None:
        raise ProblemError(404, "Fant ikke noe kontor med denne HER-id-en.")
    return json_response(dump(office))


@router.get("/directory", response_model=DirectorySearchResult, tags=["adresseregister"])
def search_directory(q: Annotated[str, Query(min_length=1, max_length=100)]) -> Response:
    """Health workers and organisations by name (each word the start of a word of the name,
    title or organisation) or by number (HPR number or HER-id): at most `MAX_HITS`, `more`
    when others match."""
    text = q.strip()
    if not text.replace(" ", "").isdigit() and sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise unprocessable([FieldProblem(path="q", detail=f"Skriv minst {MIN_LETTERS} bokstaver av et navn.")])
    found, more = search(_entries(), text, MAX_HITS)
    return json_response(dump(DirectorySearchResult(entries=found, more=more)))


def _entries() -> list[DirectoryEntry]:
    global _ENTRIES
    if _ENTRIES is None:
        _ENTRIES = seed_directory()
    return _ENTRIES


_ENTRIES: list[DirectoryEntry] | None = None


@router.get(
    "/codes/icpc2",
    response_model=CodeSearchResult,
    responses={404: problem_doc("ICPC-2-kodeverket er ikke installert")},
    tags=["kodeverk"],
)
def search_icpc2(q: Annotated[str, Query(min_length=1, max_length=60)]) -> Response:
    """ICPC-2 codes (Volven 7170) by code or by words of their text, from the official list
    installed (`ihr.kith.icpc2`); 404 when none is."""
    codes = installed_list()
    if codes is None:
        raise ProblemError(404, "ICPC-2-kodeverket er ikke installert i tjenesten.")
    terms = [CodedTerm(code=c, text=t) for c, t in codes.search(q)]
    return json_response(dump(CodeSearchResult(code_list="7170", version=codes.version, terms=terms)))
