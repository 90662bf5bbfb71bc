"""Pydantic v2 models of the IHR domain, shared by the client, printing, sandbox and TUI."""

from ihr.models.audit import AuditEntry, AuditLog, PrintReport
from ihr.models.catalog import (
    OID_HER,
    OID_HPR,
    OID_NCRP,
    OID_NLK,
    AnswerType,
    AnswerValue,
    Catalog,
    Choice,
    CodeSystem,
    ContainerType,
    Discipline,
    EnableWhen,
    Group,
    GroupInput,
    Handling,
    JournalSource,
    KithCoding,
    Lab,
    Model,
    Question,
    QuestionRole,
    Service,
    SpecimenRequirement,
    TemperatureClass,
)
from ihr.models.order import (
    PAYMENT_CATEGORY_TEXTS,
    AddOnInput,
    Answer,
    CancelInput,
    CollectionInput,
    CopyRecipient,
    Diagnosis,
    InputAnswerValue,
    ItemInput,
    ItemStatus,
    Order,
    OrderInput,
    OrderItem,
    OrderStatus,
    OrderSummary,
    PaymentCategory,
    PlannedTube,
    Priority,
    Requisition,
    Specimen,
    SpecimenCollection,
    SpecimenLookup,
)
from ihr.models.people import Office, Patient, PatientSearchResult, Requester, Sex
from ihr.models.problem import FieldProblem, Problem
from ihr.models.receipts import AppRecError, AppRecStatus, EventKind, KithMessage, StatusEvent
from ihr.models.text import XmlText, xml_text_problem

__all__ = [name for name in dir() if not name.startswith("_")]
