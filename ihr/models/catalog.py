"""The region's shared catalog: services, containers, questions, labs and groups.

The catalog is data, served by the IHR service (`GET /api/v1/catalog`) and cached by the
client. Everything that varies between regions or changes over time (cap colours, order of
draw, stability, questions) lives here as data, never as code.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

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


# ---- sharing equal parts of a parsed catalog (see `parse_catalog`) --------------------------

_SHARE = "ihr.models.catalog.share"  # the validation context key that turns sharing on


class _Sharer:
    """One catalog parse's memo of the equal parts it has seen.

    Two values are shared only when nothing but `is` tells them apart: the same class, the
    same fields set (so `model_dump(exclude_unset=True)` is unchanged), equal field values of
    the same type (True, 1 and 1.0 are never merged, nor are 0.0 and -0.0) and no extra or
    private attributes. The validator runs on the inner models first, so by the time a
    model is seen its models and lists of models are already shared ones: they are keyed by
    identity, and nothing is walked twice. Strings of up to 64 characters are already shared
    by pydantic's JSON parser (its string cache); longer ones are shared here.
    """

    __slots__ = ("fields_sets", "lists", "models", "shared", "strings")

    def __init__(self) -> None:
        self.fields_sets: dict[object, set[str]] = {}
        self.lists: dict[tuple[object, ...], list[Any]] = {}
        self.models: dict[tuple[object, ...], BaseModel] = {}
        self.shared: set[int] = set()  # ids of the models in `models`
        self.strings: dict[str, str] = {}

    def _key(self, v: object) -> object:
        """The key of a value (its models and lists already shared ones), or `self` when the
        value is of a kind that is never merged."""
        t = type(v)
        if t is str or v is None:
            return v
        if t is list or isinstance(v, BaseModel):
            return id(v)
        if t is float:
            return (float, v.hex())  # type: ignore[attr-defined]
        if t is bool or t is int or isinstance(v, (StrEnum, datetime)):
            return (t, v)
        return self

    def _list(self, items: list[Any]) -> list[Any]:
        strings = self.strings
        parts = []
        for i, item in enumerate(items):
            t = type(item)
            if t is str:
                if len(item) > 64:
                    item = items[i] = strings.setdefault(item, item)
                parts.append(item)
            elif isinstance(item, BaseModel):
                parts.append(id(item))
            elif (part := self._key(item)) is self:
                return items
            else:
                parts.append(part)
        return self.lists.setdefault(tuple(parts), items)

    def share(self, m: BaseModel) -> BaseModel:
        cls = type(m)
        d = m.__dict__
        strings = self.strings
        # The key of a model: its class, its fields set and (below) its fields' values.
        parts: list[object] | None = None
        if cls in _SHARED_MODELS and not m.__pydantic_extra__ and not m.__pydantic_private__:
            parts = [cls]
        for name, v in d.items():
            t = type(v)
            if t is str:
                if len(v) > 64:
                    v = d[name] = strings.setdefault(v, v)
                part: object = v
            elif t is list:
                v = d[name] = self._list(v)
                part = id(v)
            elif t in _SHARED_MODELS and id(v) not in self.shared:
                # A default (`Field(default_factory=Handling)`): not validated, so not seen yet.
                v = d[name] = self.share(v)
                part = id(v)
            elif parts is None:
                continue
            elif (part := self._key(v)) is self:
                parts = None
                continue
            if parts is not None:
                parts.append(part)
        fields_set = m.__pydantic_fields_set__
        # Parsed from a full dump, every field is set: then the class alone is the key.
        set_key = cls if len(fields_set) == len(cls.__pydantic_fields__) else frozenset(fields_set)
        shared_set = self.fields_sets.setdefault(set_key, fields_set)
        if shared_set is not fields_set:
            # A frozen model never changes its fields set in place (model_copy copies it).
            object.__setattr__(m, "__pydantic_fields_set__", shared_set)
        if parts is None:
            return m
        parts.append(id(shared_set))
        shared = self.models.setdefault(tuple(parts), m)
        if shared is m:
            self.shared.add(id(m))
        return shared


def _share_equal_parts(self: Any, info: ValidationInfo) -> Any:
    """After-validator of the catalog's models: a no-op unless parsing with `parse_catalog`."""
    context = info.context
    if type(context) is dict and (sharer := context.get(_SHARE)) is not None:
        return sharer.share(self)
    return self


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

    _share = model_validator(mode="after")(_share_equal_parts)


class Choice(Model):
    code: str
    display: str

    _share = model_validator(mode="after")(_share_equal_parts)


class QuestionRole(StrEnum):
    """Where the answer goes in a KITH requisition (HIS 80821, HIS 1175)."""

    CLINICAL = "klinisk"  # Patient/InfItem: a clinical fact (coded when `kith` says how)
    PROBLEM_STATEMENT = "problemstilling"  # ReasonAsText, heading PROB "Aktuell problemstilling"


class KithCoding(Model):
    """How a yes/no answer travels as a code of a Volven list, e.g. MR contraindications.

    `if_yes` / `if_no` are codes of `code_list` ("8210": PAC / NOPAC); None leaves the
    answer out of the coded content (8209 MR information has codes for "yes" only).
    """

    code_list: str
    if_yes: str | None = None
    if_no: str | None = None

    _share = model_validator(mode="after")(_share_equal_parts)


class JournalSource(Model):
    """Where a journal system (EPJ) keeps the answer to a question, as FHIR codes, so that
    an answer the journal's launch bundle holds is offered (`ihr.rules.journal`).

    `codes` are "system|code": "http://loinc.org|62238-1", "urn:oid:2.16.578.1.12.4.1.1.7280|NOR25909"
    (NLK), "http://www.whocc.no/atc|A10BA02" (an ATC code also matches the codes under it).
    `take`: the entry's value, its date, "in_use" (a medication the journal lists as in use
    answers yes) or "names" (a text question gets the names of every matching entry). `max_age_days`: an older entry is shown as old and not used.
    """

    resource: Literal["Observation", "MedicationStatement"]
    codes: list[str] = Field(min_length=1)
    take: Literal["value", "date", "in_use", "names"] = "value"
    max_age_days: int | None = Field(default=None, ge=0)

    _share = model_validator(mode="after")(_share_equal_parts)


class Question(Model):
    """A guided question (veiledende spørsmål).

    `key` identifies the question across services: two services that ask the question with
    the same key ask it once per order. `role` and `kith` say how the answer is carried in
    the requisition message.
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
    role: QuestionRole = QuestionRole.CLINICAL
    kith: KithCoding | None = None
    journal: JournalSource | None = None  # where an EPJ's FHIR record holds the answer

    _share = model_validator(mode="after")(_share_equal_parts)


class Handling(Model):
    temperature: TemperatureClass = TemperatureClass.ROOM
    stability_hours: float | None = None  # from collection, at that temperature
    light_protected: bool = False
    centrifuge_within_minutes: int | None = None
    notes: str | None = None

    _share = model_validator(mode="after")(_share_equal_parts)

    @property
    def time_critical(self) -> bool:
        return self.centrifuge_within_minutes is not None


class SpecimenRequirement(Model):
    material: str  # "Serum", "EDTA-blod", "Urin", "Vevsbiopsi", ...
    container: str  # ContainerType.code
    min_volume_ml: float
    handling: Handling = Field(default_factory=Handling)
    separate_tube: bool = False  # must have a tube of its own (never shared)

    _share = model_validator(mode="after")(_share_equal_parts)


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
    # Volven 8202 type of requisition when the discipline does not say it: the modality of an
    # imaging service (CT, MR, RTG, UL, MA), CYTO for cytology; None: from the discipline.
    msg_descr: str | None = None
    # Imaging: the NCRP specification (Investigation/Spec), e.g. ("ZTX0EA", "Intravenøs kontrast").
    ncrp_spec: tuple[str, str] | None = None

    _share = model_validator(mode="after")(_share_equal_parts)


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


# Models that `parse_catalog` shares when equal (services, containers, labs, groups are unique).
_SHARED_MODELS = frozenset({EnableWhen, Choice, KithCoding, JournalSource, Question, Handling, SpecimenRequirement})


def parse_catalog(data: str | bytes | bytearray) -> Catalog:
    """`Catalog.model_validate_json(data)`, with equal parts shared as they are parsed.

    In the catalog's JSON every service carries its own copy of its specimen requirement,
    handling and questions; parsed as such, a large catalog holds thousands of equal objects
    (many analyses on the same tube with the same handling, the same questions). Here each
    distinct `SpecimenRequirement`, `Handling`, `Question`, `Choice` and `EnableWhen`, each
    distinct list (of questions, labs, synonyms, ...), string and fields set is kept once and
    shared; the duplicates are dropped as soon as they are parsed, so they never pile up.

    The result is `==` to `Catalog.model_validate_json(data)` and dumps the same. Sharing is
    safe because the models are frozen and nothing changes their lists in place.
    """
    return Catalog.model_validate_json(data, context={_SHARE: _Sharer()})
