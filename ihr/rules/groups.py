"""Who may change a group (saved order template), and which version of it: one rule for
the app and the service.

The service refuses a change with the returned text (403); the app offers Ctrl+E / Ctrl+D
only on the groups this rule allows, so the two can never disagree. A change or deletion
names the version it was made from (`version_tag`, sent as `If-Match`; the service's
`ETag`): when someone changed the group in between, the service refuses with 412
(`STALE`) instead of letting the later save silently undo the other.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ihr.models import Group


class GroupLike(Protocol):
    @property
    def scope(self) -> str: ...
    @property
    def office_her_id(self) -> str | None: ...
    @property
    def owner_hpr(self) -> str | None: ...


PERSONAL_NOT_OWNER = "Personlige grupper kan bare endres av den som eier dem."
REGIONAL = "Regionale grupper kan ikke endres fra et legekontor."
OTHER_OFFICE = "Gruppen tilhører et annet kontor."
STALE = (
    "Gruppen er endret av noen andre siden du hentet den, så endringen din ble ikke lagret. "
    "Se over gruppen slik den er nå, og gjør endringen på nytt."
)
NO_VERSION = "Endringen må si hvilken versjon av gruppen den gjelder (If-Match). Hent gruppene på nytt."


def version_tag(group: Group) -> str:
    """The group's version as an HTTP entity tag: its content, hashed (any change, a new tag)."""
    return '"' + hashlib.sha256(group.model_dump_json().encode("utf-8")).hexdigest()[:24] + '"'


def edit_refusal(group: GroupLike, user_hpr: str | None, office_her_id: str | None) -> str | None:
    """Why `user_hpr` at `office_her_id` may not change or delete `group`; None when they may.

    A personal group belongs to its owner at her office (the same health worker signed in
    for another office has other groups); an office group to its office; a regional group
    (no office) to the region, which no office changes.
    """
    if group.scope == "personal":
        mine = user_hpr and group.owner_hpr == user_hpr
        here = group.office_her_id is None or group.office_her_id == office_her_id
        return None if mine and here else PERSONAL_NOT_OWNER
    if group.office_her_id is None:
        return REGIONAL
    if group.office_her_id != office_her_id:
        return OTHER_OFFICE
    return None
