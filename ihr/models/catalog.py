"""The region's shared catalog: services, containers, questions, labs and groups.

The catalog is data, served by the IHR service (`GET /api/v1/catalog`) and cached by the
client. Everything that varies between regions or changes over time (cap colours, order of
draw, stability, questions) lives here as data, never as code.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# OIDs of the code systems used in KITH messages.
OID_NLK = "2.16.578.1.12.4.1.1.7280"
OID_NCRP = "2.16.578.1.12.4.1.1.7270"
OID_LOCAL = "local"
OID_HER = "2.16.578.1.12.4.1.2"
OID_HPR = "2.16.578.1.12.4.1.4.4"


class Model(BaseModel):
    """Base for every domain model: strict about unknown fields, immutable by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Discipline(StrEnum):
    LAB = "klinisk_kjemi"
    MICRO = "mikrobiologi"
    PATHOLOGY = "patologi"
    RADIOLOGY = "radiologi"


class CodeSystem(StrEnum):
    NLK = "NLK"
    NCRP = "NCRP"
    LOCAL = "LOKAL"  # the sandbox's own imaging codes, marked as such


class TemperatureClass(StrEnum):
    ROOM = "romtemperatur"
    COOL = "kjøl"
    FROZEN = "frys"


class AnswerType(StrEnum):
    BOOLEAN = "boolean"
    CHOICE = "choice"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    TEXT = "text"


EnableOperator = Literal["exists", "=", "!=", ">", "<", ">=", "<="]
AnswerValue = bool | int | float | str  # dates and datetimes travel as ISO 8601 strings


class EnableWhen(Model):
    """One condition on another question's answer (FHIR Questionnaire style).

    `question` is the other question's `key`. For `exists`, `answer` is True (the question
    has an answer) or False (it has none).
    """

    question: str
    operator: EnableOperator
    answer: AnswerValue


class Choice(Model):
    code: str
    display: str


class Question(Model):
    """A guided question (veiledende spørsmål).

    `key` identifies the question across services: two services that ask the question with
    the same key ask it once per order.
    """

    key: str
    text: str
    type: AnswerType
    required: bool = False
    help: str | None = None
    choices: list[Choice] = Field(default_factory=list)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    enable_when: list[EnableWhen] = Field(default_factory=list)
    enable_behavior: Literal["all", "any"] = "all"


class Handling(Model):
    temperature: TemperatureClass = TemperatureClass.ROOM
    stability_hours: float | None = None  # from collection, at that temperature
    light_protected: bool = False
    centrifuge_within_minutes: int | None = None
    notes: str | None = None

    @property
    def time_critical(self) -> bool:
        return self.centrifuge_within_minutes is not None


class SpecimenRequirement(Model):
    material: str  # "Serum", "EDTA-blod", "Urin", "Vevsbiopsi", ...
    container: str  # ContainerType.code
    min_volume_ml: float
    handling: Handling = Field(default_factory=Handling)
    separate_tube: bool = False  # must have a tube of its own (never shared)


class Service(Model):
    """An orderable analysis (laboratory) or examination (imaging)."""

    code: str
    code_system: CodeSystem
    name: str  # display name, e.g. "P-CRP"
    discipline: Discipline
    short_name: str  # for labels, at most ~12 characters
    synonyms: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    labs: list[str] = Field(default_factory=list)  # HER-ids of performing labs, first preferred
    specimen: SpecimenRequirement | None = None  # None for imaging
    questions: list[Question] = Field(default_factory=list)
    preparation: str | None = None  # patient preparation, e.g. "Fastende fra kl. 22"
    notes: str | None = None
    order_interval_days: int | None = None  # warn if ordered again within this interval
    sex: Literal["M", "K"] | None = None  # only for this sex
    min_age_years: int | None = None
    max_age_years: int | None = None
    requires_problemstilling: bool = False  # imaging referrals must state a clinical question


class ContainerType(Model):
    code: str
    name: str  # "Serumrør med gel 5 ml"
    cap_colour: str  # "gul"
    capacity_ml: float
    additive: str | None = None
    order_of_draw: int  # 1 citrate, 2 serum, 3 heparin, 4 EDTA, 5 SR, 9 others


class Lab(Model):
    her_id: str
    name: str  # "Oslo universitetssykehus, Avdeling for medisinsk biokjemi"
    short_name: str  # "OUS Med. biokjemi"
    discipline: Discipline
    health_region: str  # "Helse Sør-Øst"


class Group(Model):
    """A saved order template: an office's or a user's selection of services."""

    id: str
    name: str
    service_codes: list[str]
    scope: Literal["office", "personal"] = "office"
    office_her_id: str | None = None
    owner_hpr: str | None = None  # set for personal groups
    updated_at: datetime | None = None


class GroupInput(Model):
    """What a client sends to create or change a group."""

    name: str = Field(min_length=1, max_length=80)
    service_codes: list[str] = Field(min_length=1)
    scope: Literal["office", "personal"] = "office"


class Catalog(Model):
    version: str
    services: list[Service]
    containers: list[ContainerType]
    labs: list[Lab]
    groups: list[Group] = Field(default_factory=list)

    @cached_property
    def _index(self) -> tuple[dict[str, Service], dict[str, ContainerType], dict[str, Lab]]:
        return (
            {s.code: s for s in self.services},
            {c.code: c for c in self.containers},
            {lab.her_id: lab for lab in self.labs},
        )

    def service(self, code: str) -> Service:
        """The service with this code; KeyError if the catalog has none."""
        return self._index[0][code]

    def container(self, code: str) -> ContainerType:
        return self._index[1][code]

    def lab(self, her_id: str) -> Lab:
        return self._index[2][her_id]
