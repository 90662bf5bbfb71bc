"""The simulated labs: how a receiving lab answers a requisition message (deterministic).

A lab reads the MsgHead it received and answers with an AppRec:

- the patient is not in the lab's patient register (`LAB_UNKNOWN_PATIENT_IDS` of the seed)
  -> status 2 Avvist, error E35 "Pasienten finnes ikke i mottakersystemet";
- the requesting doctor is not in the lab's register (`LAB_UNKNOWN_REQUESTER_HPRS`)
  -> status 2 Avvist, error E20 "Lege finnes ikke";
- an analysis the lab cannot perform today (`UNAVAILABLE_TODAY`, per lab HER-id)
  -> status 3 "OK, feil i delmelding", error X99 with the analysis named, the item refused;
- a cancellation (or a change that cancels items) of a requisition the lab has finished
  -> status 2 Avvist, error X99 "already performed";
- otherwise status 1 OK.

Before any of this the lab has checked the message itself (`sandbox.reception`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ihr.kith import MsgHeadInfo
from ihr.kith.codes import ServiceType, error_text
from ihr.models import AppRecError, AppRecStatus, ItemStatus, OrderStatus, Requisition
from sandbox.seed.people import LAB_UNKNOWN_PATIENT_IDS

# A tilsynslege newly registered in HPR whom the labs' registers do not know yet.
LAB_UNKNOWN_REQUESTER_HPRS: frozenset[str] = frozenset({"990100683"})

# St. Olav's medical biochemistry has no reagent for vitamin D this week.
STO_MB = "99300117"
UNAVAILABLE_TODAY: dict[str, dict[str, str]] = {
    STO_MB: {"NPU10267": "Analysen kan ikke utføres i dag (reagensmangel). Bestill på nytt neste uke."},
}


@dataclass
class LabVerdict:
    status: AppRecStatus
    errors: list[AppRecError] = field(default_factory=list)
    refused_item_ids: list[str] = field(default_factory=list)


def judge(
    info: MsgHeadInfo,
    requisition: Requisition,
    requester_hpr: str,
    service_type: str = ServiceType.NEW,
    item_ids: Collection[str] | None = None,
) -> LabVerdict:
    """How the lab at `requisition.lab_her_id` answers the message `info` describes.

    `service_type` is the message's ServType (7309); `item_ids` the items the message asks
    for when not all of them (the added ones of a Tillegg).
    """
    if info.patient_id in LAB_UNKNOWN_PATIENT_IDS:
        return LabVerdict(
            AppRecStatus.REJECTED,
            [AppRecError(code="E35", text=error_text("E35"), details="Pasienten er ikke registrert hos laboratoriet.")],
        )
    if requester_hpr in LAB_UNKNOWN_REQUESTER_HPRS:
        return LabVerdict(
            AppRecStatus.REJECTED,
            [AppRecError(code="E20", text=error_text("E20"), details="Rekvirenten er ikke registrert hos laboratoriet.")],
        )
    cancelling = any(i.cancel_requested_at is not None and i.status == ItemStatus.ORDERED for i in requisition.items)
    if service_type == ServiceType.CANCEL or (service_type == ServiceType.CHANGE and cancelling):
        if requisition.status == OrderStatus.RESULT_READY:
            return LabVerdict(
                AppRecStatus.REJECTED,
                [AppRecError(code="X99", text=error_text("X99"), details="Analysene er allerede utført og kan ikke kanselleres.")],
            )
        if service_type == ServiceType.CANCEL:
            return LabVerdict(AppRecStatus.OK)
    unavailable = UNAVAILABLE_TODAY.get(requisition.lab_her_id, {})
    errors: list[AppRecError] = []
    refused: list[str] = []
    asked = [i for i in requisition.items if item_ids is None or i.id in item_ids]
    for item in asked:
        if item.status == ItemStatus.ORDERED and item.service_code in unavailable:
            errors.append(
                AppRecError(code="X99", text=error_text("X99"), details=f"{item.name}: {unavailable[item.service_code]}")
            )
            refused.append(item.id)
    if refused:
        ordered = [i for i in asked if i.status == ItemStatus.ORDERED]
        if len(refused) == len(ordered):  # nothing left to do: the whole requisition is refused
            return LabVerdict(AppRecStatus.REJECTED, errors, refused)
        return LabVerdict(AppRecStatus.OK_WITH_ERRORS, errors, refused)
    return LabVerdict(AppRecStatus.OK)
