"""Patients, requesters (rekvirenter) and offices."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ihr.models.catalog import Model
from ihr.person import ShownPerson

Sex = Literal["M", "K"]  # mann, kvinne


class Patient(Model, ShownPerson):
    id: str  # fødselsnummer, D-nummer or H-nummer (11 digits)
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    municipality: str | None = None
    gp_hpr: str | None = None  # the patient's fastlege (HPR-nummer), a natural copy recipient


class Requester(Model):
    hpr: str  # HPR-nummer
    name: str  # "Lege Kari Nordmann": the register's display name, title first
    title: str = "Lege"
    office_her_id: str

    @property
    def person_name(self) -> tuple[str, str]:
        """(given names, family name) without the title: ("Kari", "Nordmann").

        The register's display name starts with a title ("Fastlege Sigrid Aasen",
        "Tilsynslege Randi Sørlie"); messages carry the title as a code of its own, never as
        part of the given name. A leading word is a title when it is `title` or a kind of
        doctor (ends in "lege", or "Dr."/"Dr").
        """
        parts = self.name.split()
        while len(parts) > 1 and (
            parts[0].casefold() == self.title.casefold()
            or parts[0].casefold().endswith("lege")
            or parts[0].casefold() in {"dr", "dr."}
        ):
            parts = parts[1:]
        if len(parts) == 1:
            return "", parts[0] if parts else ""
        return " ".join(parts[:-1]), parts[-1]

    @property
    def display_name(self) -> str:
        """The name without the title: "Kari Nordmann"."""
        given, family = self.person_name
        return f"{given} {family}".strip()


class Office(Model):
    her_id: str  # HER-id: the address of KITH messages
    name: str
    org_nr: str = ""  # organisasjonsnummer (Enhetsregisteret): who the sign-in attests
    address: str | None = None
    # The health region and place the office belongs to: its requisitions go to a hospital of
    # that region, the nearest one (ihr.rules.routing). None: unknown, nothing is routed by it.
    health_region: str | None = None  # "Helse Sør-Øst"
    municipality: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class PatientSearchResult(Model):
    patients: list[Patient] = Field(default_factory=list)
    # More patients match than are listed (a name search lists at most 50, never pages:
    # the secretary narrows the search instead of browsing people).
    more: bool = False
