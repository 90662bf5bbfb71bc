"""What one specimen label shows: `LabelData`, built from the domain models by `label_for`.

`LabelData` holds text only, already formatted for a label (Norwegian wording), but not yet
shortened to fit: fitting depends on the label size and lives in `printing.layout`.

Name rule (see `name_variants`): the surname is written first and kept whole as long as
possible. When the name does not fit, given names are shortened in this order:
1. "Family, Given Middle"      everything
2. "Family, Given M."          middle names to initials
3. "Family, G. M."             every given name to an initial
4. "Family, G."                the first given name's initial only
   (then the layout tries this form in smaller fonts, 2.6 and 2.3 mm instead of 3 mm)
5. "Fam., G."                  only now the surname is cut, from its END (never its start),
                               down to at least `MIN_SURNAME_CHARS` letters
The label also carries the full 11-digit fødselsnummer, so the patient stays identified even
with the shortest form.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from ihr.localtime import format_no
from ihr.models import (
    ContainerType,
    Lab,
    Patient,
    PlannedTube,
    Requester,
    TemperatureClass,
)

MIN_SURNAME_CHARS = 4

TEMPERATURE_TEXT = {
    TemperatureClass.ROOM: "romtemperatur",
    TemperatureClass.COOL: "kjøl",
    TemperatureClass.FROZEN: "frys",
}


@dataclass(frozen=True, slots=True)
class LabelData:
    """Everything one label shows. Plain strings; no patient data beyond name and id."""

    specimen_id: str  # the barcode
    family_name: str
    given_name: str
    person_id: str  # 11 digits, shown as "DDMMYY NNNNN"
    container_name: str
    cap_colour: str
    material: str
    min_volume_ml: float
    handling: tuple[str, ...]  # "kjøl", "lysbeskyttet", "sentrifuger innen 30 min"
    requester_name: str
    requester_hpr: str
    lab_short_name: str
    analyses: tuple[str, ...]  # short names of the services on this tube
    collected_at: datetime | None = None
    # "Rør 2/5": the tube's number in the order (ihr.rules.tubes.numbered) and how many.
    tube_number: int = 1
    tube_count: int = 1

    @property
    def person_id_text(self) -> str:
        return format_person_id(self.person_id)

    @property
    def volume_text(self) -> str:
        return f"{self.material}, min {format_ml(self.min_volume_ml)} ml"

    @property
    def tube_text(self) -> str:
        """'Rør 2/5': the number every screen shows for this tube, and how many there are."""
        return f"Rør {self.tube_number}/{self.tube_count}"

    @property
    def collected_text(self) -> str:
        """'Tatt: 22.11.26 08:15' when known, else a blank to write in."""
        if self.collected_at is None:
            return "Tatt: ____________"
        return "Tatt: " + format_no(self.collected_at, "%d.%m.%y %H:%M")


def format_person_id(value: str) -> str:
    """'DDMMYY NNNNN' for an 11-digit number; anything else is returned stripped."""
    digits = value.replace(" ", "")
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:6]} {digits[6:]}"
    return value.strip()


def format_ml(value: float) -> str:
    """Norwegian decimal comma, no trailing zeros: 4.5 -> '4,5', 3.0 -> '3'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def handling_texts(tube: PlannedTube) -> tuple[str, ...]:
    """Lower-case items; `join_handling` capitalises the first of a printed line."""
    items = [TEMPERATURE_TEXT.get(tube.temperature, str(tube.temperature))]
    if tube.light_protected:
        items.append("lysbeskyttet")
    if tube.centrifuge_within_minutes is not None:
        items.append(f"sentrifuger innen {tube.centrifuge_within_minutes} min")
    return tuple(items)


def join_handling(items: Sequence[str]) -> str:
    text = ", ".join(items)
    return text[:1].upper() + text[1:]


def label_for(
    specimen: PlannedTube,
    patient: Patient,
    requester: Requester,
    lab: Lab,
    container: ContainerType,
    service_short_names: Sequence[str],
    collected_at: datetime | None = None,
    tube: tuple[int, int] = (1, 1),
) -> LabelData:
    """The label of one specimen (a `Specimen`, i.e. a planned tube with its id).

    `collected_at` defaults to the specimen's own collection time when it has one; `tube`
    is (its number, the order's tube count) by `ihr.rules.tubes.numbered`.
    """
    specimen_id = getattr(specimen, "id", None)
    if not specimen_id:
        raise ValueError("A label needs a specimen id (the barcode)")
    if collected_at is None:
        collected_at = getattr(specimen, "collected_at", None)
    return LabelData(
        specimen_id=specimen_id,
        family_name=" ".join(patient.family_name.split()),
        given_name=" ".join(patient.given_name.split()),
        person_id=patient.id,
        container_name=container.name,
        cap_colour=container.cap_colour,
        material=specimen.material,
        min_volume_ml=specimen.volume_ml,
        handling=handling_texts(specimen),
        requester_name=requester.name,
        requester_hpr=requester.hpr,
        lab_short_name=lab.short_name,
        analyses=tuple(service_short_names),
        collected_at=collected_at,
        tube_number=tube[0],
        tube_count=tube[1],
    )


def _initial(name: str) -> str:
    """'Kari' -> 'K.', 'Anne-Lise' -> 'A-L.'"""
    parts = [p for p in name.split("-") if p]
    if not parts:
        return ""
    return "-".join(p[0] for p in parts) + "."


def whole_name_variants(family_name: str, given_name: str) -> list[str]:
    """Rule steps 1-4: the surname whole, given names shortened, longest first."""
    family = " ".join(family_name.split())
    given = given_name.split()
    variants: list[str] = []

    def add(parts: list[str]) -> None:
        text = f"{family}, {' '.join(parts)}" if parts else family
        if text not in variants:
            variants.append(text)

    add(given)
    if len(given) > 1:
        add(given[:1] + [_initial(g) for g in given[1:]])
    add([_initial(g) for g in given])
    add([_initial(given[0])] if given else [])
    return variants


def cut_name_variants(family_name: str, given_name: str) -> Iterator[str]:
    """Rule step 5: the surname cut from its end, one letter at a time, first initial kept."""
    family = " ".join(family_name.split())
    given = given_name.split()
    suffix = f", {_initial(given[0])}" if given else ""
    seen = set()
    for keep in range(len(family) - 1, MIN_SURNAME_CHARS - 1, -1):
        text = family[:keep].rstrip(" -") + "." + suffix
        if text not in seen:
            seen.add(text)
            yield text


def name_variants(family_name: str, given_name: str) -> list[str]:
    """Every name form by the rule in the module docstring, longest first."""
    return whole_name_variants(family_name, given_name) + list(
        cut_name_variants(family_name, given_name)
    )


def analyses_text(short_names: Sequence[str], fits) -> str:
    """As many short names as fit, then '+N' for the rest: 'CRP Ferritin +2'.

    `fits(text) -> bool` decides. At least '+N' (all hidden) is returned when nothing fits.
    """
    names = list(short_names)
    for shown in range(len(names), -1, -1):
        hidden = len(names) - shown
        text = " ".join(names[:shown])
        if hidden:
            text = f"{text} +{hidden}" if text else f"+{hidden}"
        if fits(text) or shown == 0:
            return text
    return ""  # unreachable
