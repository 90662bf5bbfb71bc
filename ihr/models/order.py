"""Orders (bestillinger), requisitions, items, specimens and the inputs that change them.

One order holds one requisition (rekvisisjon) or referral (henvisning) per receiving
lab or department. The service allocates requisition numbers and specimen ids.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ihr.models.catalog import AnswerValue, Discipline, Model, TemperatureClass
from ihr.models.people import Patient, Requester
from ihr.models.text import XmlText, check_xml_text


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "haster"


class OrderStatus(StrEnum):
    DRAFT = "utkast"
    SAVED = "lagret"
    SENT = "sendt"
    TRANSPORT_RECEIPT = "transportkvittert"
    ACCEPTED = "akseptert"
    REJECTED = "avvist"
    PARTLY_REJECTED = "delvis_avvist"
    RECEIVED = "mottatt"
    IN_ANALYSIS = "under_analyse"
    RESULT_READY = "svar_klart"
    CANCELLED = "kansellert"


class ItemStatus(StrEnum):
    ORDERED = "bestilt"
    PERFORMED = "utført"
    CANCELLED = "kansellert"


class PaymentCategory(StrEnum):
    """Who pays (betalingskategori, Volven 4101), as the requisition's PaymentCat carries it."""

    ORDINARY = "1"  # ordinær pasient: the default
    REQUESTER = "RE"
    PATIENT = "PA"
    PRIVATE_INSURANCE = "PF"
    PUBLIC_INSURANCE = "OF"
    INSTITUTION = "IN"
    FREE = "GR"


PAYMENT_CATEGORY_TEXTS: dict[PaymentCategory, str] = {
    PaymentCategory.ORDINARY: "Ordinær pasient",
    PaymentCategory.REQUESTER: "Rekvirent",
    PaymentCategory.PATIENT: "Pasient",
    PaymentCategory.PRIVATE_INSURANCE: "Privat forsikring",
    PaymentCategory.PUBLIC_INSURANCE: "Offentlig forsikring",
    PaymentCategory.INSTITUTION: "Institusjon",
    PaymentCategory.FREE: "Gratis",
}


class Diagnosis(Model):
    """The referral diagnosis (henvisningsdiagnose) as an ICPC-2 code and its text."""

    code: str = Field(pattern=r"^[A-Z][0-9]{2}$", description="ICPC-2-kode, f.eks. L01")
    text: XmlText = Field(min_length=1, max_length=200)


class CopyRecipient(Model):
    """A doctor who gets a copy of the requisition and of the answer (CopyDest)."""

    hpr: str
    name: str
    office_her_id: str
    office_name: str


class PlannedTube(Model):
    """One container to draw, as `ihr.rules.tubes` plans it (before ids are allocated)."""

    container: str  # ContainerType.code
    material: str
    temperature: TemperatureClass
    lab_her_id: str
    service_codes: list[str]
    volume_ml: float  # the sum of the services' minimum volumes
    order_of_draw: int
    light_protected: bool = False
    centrifuge_within_minutes: int | None = None


class Specimen(PlannedTube):
    """A planned tube with the id the service allocated: one container, one label."""

    id: str  # the barcode: digits with a check digit (ihr.rules.specimen_ids)
    requisition_id: str
    collected_at: datetime | None = None
    collected_by: str | None = None


class OrderItem(Model):
    id: str
    service_code: str
    name: str
    status: ItemStatus = ItemStatus.ORDERED
    specimen_id: str | None = None
    added_on: datetime | None = None  # set for etterrekvirering
    # A Kansellering was sent and the lab has not answered yet: the item is still ordered
    # (the lab may already be working on it) until the lab's AppRec confirms the cancellation.
    cancel_requested_at: datetime | None = None


class Requisition(Model):
    id: str
    number: str  # requisition number allocated by the service
    kind: Literal["rekvisisjon", "henvisning"]
    discipline: Discipline
    lab_her_id: str
    status: OrderStatus = OrderStatus.SAVED
    items: list[OrderItem]


class Answer(Model):
    key: str
    value: AnswerValue
    # Taken from the journal (EPJ) unchanged: the date of the journal's value, which every
    # screen shows beside the answer ("fra journalen, dd.mm.åååå"). None: typed.
    journal_date: date | None = None


class Order(Model):
    id: str
    patient: Patient
    requester: Requester
    office_her_id: str
    priority: Priority = Priority.NORMAL
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
    requisitions: list[Requisition]
    specimens: list[Specimen] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    comment: str | None = None
    payment_category: PaymentCategory = PaymentCategory.ORDINARY
    copy_recipients: list[CopyRecipient] = Field(default_factory=list)
    diagnosis: Diagnosis | None = None
    clinical_info: str | None = None
    # Imaging (HIS 1175 6.2, Volven 8274): may the radiologist change modality and add
    # examinations where medically indicated? None: not answered (nothing is sent).
    modality_change_allowed: bool | None = None

    def answer(self, key: str) -> AnswerValue | None:
        for a in self.answers:
            if a.key == key:
                return a.value
        return None

    def summary(self) -> OrderSummary:
        """The order as a worklist row or a line of the patient's history."""
        return OrderSummary(
            id=self.id,
            patient_id=self.patient.id,
            patient_name=self.patient.display_name,
            requester_hpr=self.requester.hpr,
            status=self.status,
            created_at=self.created_at,
            updated_at=self.updated_at,
            service_names=[item.name for req in self.requisitions for item in req.items],
            service_codes=[item.service_code for req in self.requisitions for item in req.items],
            tubes=len(self.specimens),
            tubes_taken=sum(1 for s in self.specimens if s.collected_at is not None),
        )


# ---- inputs -------------------------------------------------------------------------


def _answer_xml_text(value: AnswerValue) -> AnswerValue:
    return check_xml_text(value) if isinstance(value, str) else value


# An answer as it comes in: a text answer must be text that XML can carry.
InputAnswerValue = Annotated[AnswerValue, AfterValidator(_answer_xml_text)]


class ItemInput(Model):
    service_code: str
    lab_her_id: str | None = None  # default: the service's preferred lab


class OrderInput(Model):
    """`POST /orders` body. Answers are keyed by question key, once per order."""

    patient_id: str
    requester_hpr: str
    office_her_id: str
    priority: Priority = Priority.NORMAL
    items: list[ItemInput] = Field(min_length=1)
    answers: dict[str, InputAnswerValue] = Field(default_factory=dict)
    comment: XmlText | None = Field(default=None, max_length=2000)
    payment_category: PaymentCategory = PaymentCategory.ORDINARY
    copy_to_hpr: list[str] = Field(default_factory=list, max_length=5)  # HPR numbers the service knows
    diagnosis: Diagnosis | None = None
    clinical_info: XmlText | None = Field(default=None, max_length=2000)
    modality_change_allowed: bool | None = None  # imaging only; see Order
    # Answers taken unchanged from the journal (EPJ), by question key: the date of the value.
    journal_dates: dict[str, date] = Field(default_factory=dict)


class SpecimenCollection(Model):
    specimen_id: str
    collected_at: datetime
    collected_by: XmlText = Field(min_length=1, max_length=80)


class CollectionInput(Model):
    specimens: list[SpecimenCollection] = Field(min_length=1)


class AddOnInput(Model):
    """Etterrekvirering: add services to a specimen already taken."""

    specimen_id: str
    service_codes: list[str] = Field(min_length=1)
    answers: dict[str, InputAnswerValue] = Field(default_factory=dict)


class CancelInput(Model):
    requisition_id: str | None = None  # the whole requisition ...
    item_ids: list[str] = Field(default_factory=list)  # ... or these items
    reason: XmlText = Field(min_length=1, max_length=200)


class OrderSummary(Model):
    """One row of a worklist or a patient's history."""

    id: str
    patient_id: str
    patient_name: str
    requester_hpr: str
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
    service_names: list[str]
    service_codes: list[str] = Field(default_factory=list)  # the same services, by code
    # Its tubes and how many have a collection time: 2 of 3 is "delvis prøvetatt" (a urine
    # sample brought later), which the worklist shows.
    tubes: int = 0
    tubes_taken: int = 0


class SpecimenLookup(Model):
    """`GET /specimens/{barcode}`: the order a scanned label belongs to."""

    order_id: str
    specimen: Specimen
