"""Tube planning: which services share a container, how many labels, in order of draw.

Rules
- Services without a specimen requirement (imaging) need no tube.
- A service ordered twice for the same lab is planned once.
- Services share a tube only when they agree on material, container, temperature class,
  receiving lab and time-critical handling (`centrifuge_within_minutes`). Light protection
  does not split a tube: the whole tube is protected when one of its services needs it, as
  the lab would do (one tube less for the patient).
- Within such a group, minimum volumes are packed first-fit into the container's
  `capacity_ml`, largest volume first (ties by service code), so the plan is the same for
  the same basket in any order. `separate_tube=True` services always get a tube of their own.
- Oversize: a single service whose minimum volume is larger than the container's capacity
  still gets exactly one tube of its own (never shared), and that tube's `volume_ml` is then
  larger than the capacity: `is_oversize(tube, catalog)` tells the caller, which should warn
  ("draw more than one tube") rather than silently split the service over several labels.
- Tubes are sorted by order of draw, then container code, lab, first service code (codes
  inside a tube are sorted), then the remaining group fields.

Numbering: `numbered(tubes)` is the ONE tube numbering, 1..n in order of draw, that every
screen and every label shows ("Rør 2/5"). The containers' order-of-draw rank (1 citrate,
2 serum, ...) is not a tube number: two EDTA tubes share a rank.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ihr.models import Catalog, PlannedTube, Service, TemperatureClass

T = TypeVar("T", bound=PlannedTube)

_EPSILON = 1e-9

GroupKey = tuple[str, str, TemperatureClass, str, int | None]


def _group_key(service: Service, lab_her_id: str) -> GroupKey:
    spec = service.specimen
    assert spec is not None
    h = spec.handling
    return (spec.material, spec.container, h.temperature, lab_her_id, h.centrifuge_within_minutes)


def _tube(key: GroupKey, services: list[Service], order_of_draw: int) -> PlannedTube:
    material, container, temperature, lab, centrifuge = key
    volume = sum(s.specimen.min_volume_ml for s in services if s.specimen)  # packing order: deterministic
    return PlannedTube(
        container=container,
        material=material,
        temperature=temperature,
        lab_her_id=lab,
        service_codes=sorted(s.code for s in services),
        volume_ml=round(volume, 6),
        order_of_draw=order_of_draw,
        light_protected=any(s.specimen.handling.light_protected for s in services if s.specimen),
        centrifuge_within_minutes=centrifuge,
    )


def _volume(service: Service) -> float:
    assert service.specimen is not None
    return service.specimen.min_volume_ml


def plan_tubes(items: Iterable[tuple[Service, str]], catalog: Catalog) -> list[PlannedTube]:
    """Plan the containers to draw for (service, lab HER-id) pairs.

    Raises KeyError when a service names a container the catalog does not have.
    """
    groups: dict[GroupKey, dict[str, Service]] = {}
    for service, lab in items:
        if service.specimen is None:
            continue
        groups.setdefault(_group_key(service, lab), {}).setdefault(service.code, service)

    tubes: list[PlannedTube] = []
    for key, by_code in groups.items():
        container = catalog.container(key[1])
        capacity = container.capacity_ml
        ordered = sorted(by_code.values(), key=lambda s: (-_volume(s), s.code))
        bins: list[tuple[list[Service], float]] = []  # shared tubes: services, used volume
        for service in ordered:
            vol = _volume(service)
            if service.specimen.separate_tube or vol > capacity + _EPSILON:  # type: ignore[union-attr]
                tubes.append(_tube(key, [service], container.order_of_draw))
                continue
            for i, (members, used) in enumerate(bins):
                if used + vol <= capacity + _EPSILON:
                    members.append(service)
                    bins[i] = (members, used + vol)
                    break
            else:
                bins.append(([service], vol))
        tubes.extend(_tube(key, members, container.order_of_draw) for members, _ in bins)

    tubes.sort(
        key=lambda t: (
            t.order_of_draw,
            t.container,
            t.lab_her_id,
            t.service_codes[0],
            t.material,
            t.temperature.value,
            t.centrifuge_within_minutes if t.centrifuge_within_minutes is not None else -1,
            t.light_protected,
            t.service_codes,
        )
    )
    return tubes


def is_oversize(tube: PlannedTube, catalog: Catalog) -> bool:
    """True when the tube's planned volume exceeds its container's capacity (one big service)."""
    return tube.volume_ml > catalog.container(tube.container).capacity_ml + _EPSILON



def in_draw_order(tubes: Iterable[T]) -> list[T]:
    """The tubes in order of draw: by rank, then specimen id (planned tubes keep the order
    `plan_tubes` gave them, the sort being stable)."""
    return sorted(tubes, key=lambda t: (t.order_of_draw, getattr(t, "id", "")))


def numbered(tubes: Iterable[T]) -> list[tuple[int, T]]:
    """Each tube with its number, 1..n in order of draw: the one numbering of an order's
    tubes, shared by the review, the dialogs, the order detail and the labels."""
    return list(enumerate(in_draw_order(tubes), 1))


def open_tubes(tubes: Iterable[T]) -> list[tuple[int, T]]:
    """The numbered tubes with no collection time yet: taken later, or still to be taken."""
    return [(n, t) for n, t in numbered(tubes) if getattr(t, "collected_at", None) is None]
