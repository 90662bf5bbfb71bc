"""Who may change a group (saved order template): one rule for the app and the service.

The service refuses a change with the returned text (403); the app offers Ctrl+E / Ctrl+D
only on the groups this rule allows, so the two can never disagree.
"""

from __future__ import annotations

from typing import Protocol


class GroupLike(Protocol):
    scope: str
    office_her_id: str | None
    owner_hpr: str | None


PERSONAL_NOT_OWNER = "Personlige grupper kan bare endres av den som eier dem."
REGIONAL = "Regionale grupper kan ikke endres fra et legekontor."
OTHER_OFFICE = "Gruppen tilhører et annet kontor."


def edit_refusal(group: GroupLike, user_hpr: str | None, office_her_id: str | None) -> str | None:
    """Why `user_hpr` at `office_her_id` may not change or delete `group`; None when they may.

    A personal group belongs to its owner; an office group to its office; a regional group
    (no office) to the region, which no office changes.
    """
    if group.scope == "personal":
        return None if user_hpr and group.owner_hpr == user_hpr else PERSONAL_NOT_OWNER
    if group.office_her_id is None:
        return REGIONAL
    if group.office_her_id != office_her_id:
        return OTHER_OFFICE
    return None
