"""Etterrekvirering: may a service be added to a specimen that has already been taken?

`addon_refusal` answers None (yes) or the Norwegian reason why not, for the secretary and for
the 409 problem of `POST /orders/{id}/addons`. Checks, in this order: imaging; not taken;
already on the specimen; material or container; lab; own tube; temperature class; light protection;
time-critical handling; stability from collection; remaining volume (only with a catalog,
which knows the container's capacity).

A service without `stability_hours` has no stated limit and is not refused for age.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ihr.localtime import as_aware, format_no
from ihr.models import Catalog, Service, Specimen, TemperatureClass

_KEPT = {
    TemperatureClass.ROOM: "i romtemperatur",
    TemperatureClass.COOL: "kjølig",
    TemperatureClass.FROZEN: "frosset",
}


def _hours(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else f"{h:g}".replace(".", ",")


def format_datetime_no(dt: datetime) -> str:
    """dd.mm.åååå tt:mm in Norwegian local time."""
    return format_no(dt)


def _elapsed(since: datetime, now: datetime) -> timedelta:
    if (since.tzinfo is None) != (now.tzinfo is None):
        # One naive, one aware: read the naive one as Norwegian local time.
        since, now = as_aware(since), as_aware(now)
    return now - since


def _container_name(code: str, catalog: Catalog | None) -> str:
    if catalog is not None:
        try:
            return catalog.container(code).name
        except KeyError:
            pass
    return code


def addon_refusal(
    specimen: Specimen,
    service: Service,
    now: datetime,
    *,
    catalog: Catalog | None = None,
) -> str | None:
    """None when `service` may be added to the taken `specimen` at `now`, else why not."""
    name = service.name
    req = service.specimen
    if req is None:
        return f"{name} er en bildeundersøkelse og kan ikke etterrekvireres på en prøve"
    if specimen.collected_at is None:
        return "Prøven er ikke registrert tatt"
    if service.code in specimen.service_codes:
        return f"{name} er allerede bestilt på denne prøven"
    if req.material != specimen.material or req.container != specimen.container:
        return (
            f"{name} krever {req.material} i {_container_name(req.container, catalog)}, "
            f"prøven er {specimen.material} i {_container_name(specimen.container, catalog)}"
        )
    if service.labs and specimen.lab_her_id not in service.labs:
        return f"{name} utføres ikke av laboratoriet som skal ha denne prøven"
    if req.separate_tube and specimen.service_codes:
        return f"{name} krever et eget rør og kan ikke legges til en prøve med andre analyser"
    h = req.handling
    if h.temperature != specimen.temperature:
        return (
            f"{name} krever at prøven oppbevares {_KEPT[h.temperature]}, "
            f"denne prøven oppbevares {_KEPT[specimen.temperature]}"
        )
    if h.light_protected and not specimen.light_protected:
        return f"{name} krever lysbeskyttet prøve, denne prøven er ikke lysbeskyttet"
    if h.centrifuge_within_minutes is not None and (
        specimen.centrifuge_within_minutes is None
        or specimen.centrifuge_within_minutes > h.centrifuge_within_minutes
    ):
        return f"{name} krever at prøven sentrifugeres innen {h.centrifuge_within_minutes} minutter"
    if h.stability_hours is not None and _elapsed(specimen.collected_at, now) > timedelta(hours=h.stability_hours):
        return (
            f"Holdbarheten for {name} er {_hours(h.stability_hours)} timer fra prøvetaking; "
            f"prøven ble tatt {format_datetime_no(specimen.collected_at)}"
        )
    if catalog is not None:
        try:
            capacity = catalog.container(specimen.container).capacity_ml
        except KeyError:
            capacity = None
        if capacity is not None and specimen.volume_ml + req.min_volume_ml > capacity + 1e-9:
            return f"Det er ikke nok materiale igjen i prøven til {name}"
    return None
