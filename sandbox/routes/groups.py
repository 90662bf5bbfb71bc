"""Groups of analyses: the region's, the office's and a health worker's own, edited by version."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Header
from fastapi.responses import Response

from ihr.helseid import SCOPE_API
from ihr.models import Catalog, FieldProblem, Group, GroupInput
from ihr.rules.groups import NO_VERSION, STALE, edit_refusal, version_tag
from sandbox.deps import (
    API_PREFIX,
    Caller,
    CatalogDoc,
    Db,
    Orders,
    Responses,
    api_router,
    dump,
    json_response,
    problem_doc,
)
from sandbox.problems import ProblemError, unprocessable

IF_MATCH_TEXT = "Gruppens versjon (ETag, eller ihr.rules.groups.version_tag)"  # module level: annotations read it
IfMatch = Annotated[str | None, Header(description=IF_MATCH_TEXT)]

VERSIONED: Responses = {
    403: problem_doc("Ikke din gruppe"),
    404: problem_doc("Ukjent gruppe"),
    412: problem_doc("Gruppen er endret siden versjonen i If-Match"),
    428: problem_doc("If-Match mangler"),
}

router = api_router(SCOPE_API)


def _check_codes(body: GroupInput, catalog: Catalog) -> None:
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


def _editable(db: Db, group_id: str, caller: Caller, if_match: str | None) -> Group:
    """The group, if the caller may edit it (403) and names its current version (428, 412)."""
    group = db.group(group_id)
    if group is None:
        raise ProblemError(404, "Fant ingen gruppe med denne id-en.")
    refusal = edit_refusal(group, caller.hpr, caller.office_her_id)
    if refusal is not None:
        raise ProblemError(403, refusal)
    if if_match is None:
        raise ProblemError(428, NO_VERSION)
    tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if "*" not in tags and version_tag(group) not in tags:
        raise ProblemError(412, STALE)
    return group


@router.get("/groups", response_model=list[Group], tags=["grupper"])
def list_groups(caller: Caller, db: Db) -> Response:
    """Regional groups, the caller's office's groups and the health worker's own."""
    return json_response([dump(g) for g in db.groups_for(office=caller.office_her_id, hpr=caller.hpr)])


@router.post("/groups", response_model=Group, status_code=201, tags=["grupper"])
def create_group(body: GroupInput, caller: Caller, db: Db, orders: Orders, doc: CatalogDoc) -> Response:
    _check_codes(body, doc.catalog)
    group = Group(
        id=uuid.uuid4().hex,
        name=body.name.strip() or body.name,
        service_codes=list(body.service_codes),
        scope=body.scope,
        office_her_id=caller.office_her_id,
        owner_hpr=caller.hpr if body.scope == "personal" else None,
        updated_at=orders.now(),
    )
    db.put_group(group)
    headers = {"Location": f"{API_PREFIX}/groups/{group.id}", "ETag": version_tag(group)}
    return json_response(dump(group), 201, headers=headers)


@router.put("/groups/{group_id}", response_model=Group, responses=VERSIONED, tags=["grupper"])
def update_group(
    group_id: str, body: GroupInput, caller: Caller, db: Db, orders: Orders, doc: CatalogDoc, if_match: IfMatch = None
) -> Response:
    """Change a group, from the version named in If-Match (412 when it has changed since)."""
    with db.transaction():
        group = _editable(db, group_id, caller, if_match)
        _check_codes(body, doc.catalog)
        changed = group.model_copy(
            update={
                "name": body.name.strip() or body.name,
                "service_codes": list(body.service_codes),
                "scope": body.scope,
                "owner_hpr": (group.owner_hpr or caller.hpr) if body.scope == "personal" else None,
                "office_her_id": group.office_her_id or caller.office_her_id,
                "updated_at": orders.now(),
            }
        )
        db.put_group(changed)
    return json_response(dump(changed), headers={"ETag": version_tag(changed)})


@router.delete("/groups/{group_id}", status_code=204, responses=VERSIONED, tags=["grupper"])
def delete_group(group_id: str, caller: Caller, db: Db, if_match: IfMatch = None) -> Response:
    """Delete a group, the version named in If-Match (412 when it has changed since)."""
    with db.transaction():
        _editable(db, group_id, caller, if_match)
        db.delete_group(group_id)
    return Response(status_code=204)
