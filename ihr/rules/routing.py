"""Routing by health region: which hospital performs a requisition.

IHR's catalog is shared by the hospitals of a region, and across regions (Helse Sør-Øst,
Helse Midt-Norge, ...): a service is listed with every lab or department that performs it.
An office belongs to one health region. A requisition goes by default to a performer in the
office's region that offers its services, the nearest one where several do (as the crow
flies, from the office's and the hospital's positions; the order of the catalog where a
position is unknown). A patient in Oslo is not sent to Trondheim for a knee scan.

A requisition may still go to a hospital in another region, when the order says why
(`OutOfRegionReason`): the patient's own choice of hospital (fritt behandlingsvalg,
pasient- og brukerrettighetsloven § 2-4) or the patient lives in another region. Without a
reason the service refuses it (`region_refusal`), unless no performer in the office's region
offers the service at all (then the other region is the only way to have it done).

The app (default performer, the choice on the review) and the service (the refusal) both
apply these functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ihr.models import Catalog, Lab, Office, OutOfRegionReason, RegionReason, Service

#: The reasons a requisition may go outside the office's region, as offered to the secretary.
REGION_REASON_TEXTS: dict[RegionReason, str] = {
    RegionReason.FREE_CHOICE: "Fritt behandlingsvalg (pasientens eget valg av sykehus)",
    RegionReason.LIVES_ELSEWHERE: "Pasienten bor i en annen helseregion",
}

EARTH_RADIUS_KM = 6371.0


def distance_km(a: Office | Lab | None, b: Office | Lab | None) -> float:
    """Great-circle distance between two places; infinity when a position is unknown."""
    if a is None or b is None or a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _labs(her_ids: Iterable[str], catalog: Catalog) -> list[Lab]:
    out = []
    for her_id in her_ids:
        try:
            out.append(catalog.lab(her_id))
        except KeyError:
            continue
    return out


def in_region(lab: Lab, office: Office | None) -> bool:
    """The lab is in the office's health region (True when the office's region is unknown)."""
    return office is None or not office.health_region or lab.health_region == office.health_region


def _rank(office: Office | None, labs: Sequence[Lab]) -> list[Lab]:
    """In the office's region first, then nearest first, then in the catalog's order."""
    order = {lab.her_id: i for i, lab in enumerate(labs)}
    return sorted(labs, key=lambda lab: (not in_region(lab, office), distance_km(office, lab), order[lab.her_id]))


def default_performer(service: Service, office: Office | None, catalog: Catalog) -> str | None:
    """The HER-id of the lab a service goes to by default: in the office's region, the
    nearest where several are; outside it only when no lab in the region performs it.
    Without an office (or its region) the catalog's first listed lab; None when no lab."""
    labs = _labs(service.labs, catalog)
    if not labs:
        return service.labs[0] if service.labs else None
    return _rank(office, labs)[0].her_id


def performers(services: Sequence[Service], office: Office | None, catalog: Catalog) -> list[tuple[Lab, list[Service]]]:
    """The labs that perform any of `services` (one requisition's), each with the services
    it does not perform: those that perform all of them first, then in the office's region,
    then nearest first."""
    seen: dict[str, None] = {}
    for s in services:
        for her_id in s.labs:
            seen.setdefault(her_id)
    ranked = _rank(office, _labs(seen, catalog))
    with_missing = [(lab, [s for s in services if lab.her_id not in s.labs]) for lab in ranked]
    return sorted(with_missing, key=lambda pair: bool(pair[1]))


def needs_reason(service: Service, lab: Lab, office: Office | None, catalog: Catalog) -> bool:
    """Sending `service` to `lab` needs a reason: the lab is outside the office's region and
    a lab in the region performs the service."""
    if in_region(lab, office):
        return False
    return any(in_region(other, office) for other in _labs(service.labs, catalog))


def region_refusal(
    service: Service, lab: Lab, office: Office | None, catalog: Catalog, reason: OutOfRegionReason | None
) -> str | None:
    """Why the service refuses `service` at `lab` for this office (Norwegian), or None."""
    if reason is not None or not needs_reason(service, lab, office, catalog):
        return None
    assert office is not None  # in_region is True without an office
    nearest = catalog.lab(default_performer(service, office, catalog) or lab.her_id)
    return (
        f"{lab.short_name} ligger i {lab.health_region}, utenfor kontorets helseregion ({office.health_region}). "
        f"Oppgi grunnen (fritt behandlingsvalg, eller at pasienten bor i en annen region), "
        f"eller send {service.name} til {nearest.short_name}."
    )


__all__ = [
    "REGION_REASON_TEXTS",
    "default_performer",
    "distance_km",
    "in_region",
    "needs_reason",
    "performers",
    "region_refusal",
]
