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


class Requester(Model):
    hpr: str  # HPR-nummer
    name: str  # "Lege Kari Nordmann"
    title: str = "Lege"
    office_her_id: str


class Office(Model):
    her_id: str
    name: str
    address: str | None = None


class PatientSearchResult(Model):
    patients: list[Patient] = Field(default_factory=list)
