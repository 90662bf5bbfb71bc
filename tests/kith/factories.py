"""Test objects for the KITH tests, built with the ihr.models classes directly.

Every person is synthetic: fødselsnumre have month + 80 (Tenor style) and valid check
digits; names, HPR numbers and HER-ids are invented.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ihr.models import (
    Answer,
    AnswerType,
    Choice,
    CodeSystem,
    CopyRecipient,
    Diagnosis,
    Discipline,
    ItemStatus,
    KithCoding,
    Lab,
    Office,
    Order,
    OrderItem,
    OrderStatus,
    Patient,
    PaymentCategory,
    Priority,
    Question,
    QuestionRole,
    Requester,
    Requisition,
    Service,
    Specimen,
    SpecimenRequirement,
    TemperatureClass,
)

OSLO = timezone(timedelta(hours=1))
GEN_DATE = datetime(2026, 11, 20, 9, 30, 0, tzinfo=OSLO)
COLLECTED = datetime(2026, 11, 20, 9, 12, 0, tzinfo=OSLO)


def synthetic_fnr(day: int, month: int, year2: int, individual: int) -> str:
    """A synthetic fødselsnummer (month + 80) with valid check digits."""
    base = f"{day:02d}{month + 80:02d}{year2:02d}{individual:03d}"
    digits = [int(c) for c in base]
    k1 = (11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits, strict=True)) % 11) % 11
    if k1 == 10:
        raise ValueError("check digit 1 is 10: choose another individual number")
    digits.append(k1)
    k2 = (11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11) % 11
    if k2 == 10:
        raise ValueError("check digit 2 is 10: choose another individual number")
    return base + f"{k1}{k2}"


def _first_valid(day: int, month: int, year2: int, start: int) -> str:
    for individual in range(start, start + 50):
        try:
            return synthetic_fnr(day, month, year2, individual)
        except ValueError:
            continue
    raise AssertionError("no valid synthetic number found")


FNR_KARI = _first_valid(12, 3, 90, 494)  # a woman born 1990 (even third individual digit)
FNR_OLE = _first_valid(5, 11, 57, 431)

OFFICE = Office(her_id="9990001", name="Fjordbyen legesenter", address="Storgata 1, 9999 Fjordbyen")
REQUESTER = Requester(hpr="9123456", name="Lege Åse Ødegård", office_her_id=OFFICE.her_id)

LAB_MBK = Lab(
    her_id="9990101",
    name="Fjordbyen sykehus, Avdeling for medisinsk biokjemi",
    short_name="FS Med. biokjemi",
    discipline=Discipline.LAB,
    health_region="Helse Sør-Øst",
)
LAB_MIK = Lab(
    her_id="9990102",
    name="Fjordbyen sykehus, Mikrobiologisk avdeling",
    short_name="FS Mikrobiologi",
    discipline=Discipline.MICRO,
    health_region="Helse Sør-Øst",
)
LAB_PAT = Lab(
    her_id="9990104",
    name="Fjordbyen sykehus, Avdeling for patologi",
    short_name="FS Patologi",
    discipline=Discipline.PATHOLOGY,
    health_region="Helse Sør-Øst",
)
LAB_RAD = Lab(
    her_id="9990103",
    name="Fjordbyen sykehus, Bildediagnostikk",
    short_name="FS Røntgen",
    discipline=Discipline.RADIOLOGY,
    health_region="Helse Sør-Øst",
)

Q_FASTING = Question(key="fastende", text="Er pasienten fastende?", type=AnswerType.BOOLEAN)
Q_PREGNANT_WEEK = Question(
    key="svangerskapsuke", text="Svangerskapsuke", type=AnswerType.INTEGER, unit="uker"
)
Q_MEDICATION = Question(key="legemidler", text="Faste legemidler", type=AnswerType.TEXT)
Q_SYMPTOMS = Question(
    key="symptomer",
    text="Symptomer",
    type=AnswerType.CHOICE,
    choices=[Choice(code="svie", display="Svie ved vannlating"), Choice(code="feber", display="Feber")],
)
Q_PROBLEM = Question(
    key="problemstilling", text="Problemstilling", type=AnswerType.TEXT, required=True,
    role=QuestionRole.PROBLEM_STATEMENT,
)
Q_PACEMAKER = Question(
    key="pacemaker", text="Pacemaker?", type=AnswerType.BOOLEAN, kith=KithCoding(code_list="8210", if_yes="PAC", if_no="NOPAC")
)
Q_CLIPS = Question(
    key="klips", text="Klips i hodet?", type=AnswerType.BOOLEAN, kith=KithCoding(code_list="8210", if_yes="IVK", if_no="NOIVK")
)
Q_CLAUSTRO = Question(
    key="klaustrofobi", text="Klaustrofobi?", type=AnswerType.BOOLEAN, kith=KithCoding(code_list="8209", if_yes="KLA")
)
Q_SITE = Question(key="lokalisasjon", text="Lokalisasjon", type=AnswerType.TEXT)
Q_CREATININE = Question(key="kreatinin", text="Siste kreatinin", type=AnswerType.DECIMAL, unit="µmol/L")


def _lab_service(code: str, name: str, material: str, container: str, lab: Lab, *questions: Question) -> Service:
    return Service(
        code=code,
        code_system=CodeSystem.NLK,
        name=name,
        discipline=lab.discipline,
        short_name=name[:12],
        labs=[lab.her_id],
        specimen=SpecimenRequirement(material=material, container=container, min_volume_ml=1.0),
        questions=list(questions),
    )


def _local_service(code: str, name: str, material: str, container: str, lab: Lab, *questions: Question, msg_descr: str | None = None) -> Service:
    return _lab_service(code, name, material, container, lab, *questions).model_copy(
        update={"code_system": CodeSystem.LOCAL, "msg_descr": msg_descr}
    )


SERVICES: dict[str, Service] = {
    s.code: s
    for s in [
        _lab_service("NPU02192", "P-Glukose", "Plasma", "FLUOR", LAB_MBK, Q_FASTING),
        _lab_service("NPU19748", "P-CRP", "Plasma", "LIHEP", LAB_MBK),
        _lab_service("NOR05172", "B-Hemoglobin", "EDTA-blod", "EDTA3", LAB_MBK),
        _lab_service("NPU03577", "P-TSH", "Plasma", "LIHEP", LAB_MBK, Q_PREGNANT_WEEK, Q_MEDICATION),
        _lab_service("NPU99001", "U-Dyrkning", "Urin", "URIN", LAB_MIK, Q_SYMPTOMS, Q_MEDICATION),
        _local_service("LOK-MB-STREP", "Svelg-Streptokokk gruppe A", "Svelgsekret", "PINNE", LAB_MIK),
        _local_service("LOK-PA-HIST", "Histologi, biopsi", "Vevsbiopsi", "FORMALIN", LAB_PAT, Q_SITE),
        _local_service("LOK-PA-CYT", "Cervixcytologi", "Cervixcytologi", "CYTO", LAB_PAT, msg_descr="CYTO"),
        Service(
            code="SSC0AA",
            code_system=CodeSystem.NCRP,
            name="Rtg thorax",
            msg_descr="RTG",
            discipline=Discipline.RADIOLOGY,
            short_name="Rtg thorax",
            labs=[LAB_RAD.her_id],
            questions=[Q_PROBLEM, Q_PREGNANT_WEEK],
            requires_problemstilling=True,
        ),
        Service(
            code="SSD0AD",
            code_system=CodeSystem.NCRP,
            name="CT abdomen med kontrast",
            msg_descr="CT",
            ncrp_spec=("ZTX0EA", "Intravenøs kontrast"),
            discipline=Discipline.RADIOLOGY,
            short_name="CT abdomen",
            labs=[LAB_RAD.her_id],
            questions=[Q_PROBLEM, Q_CREATININE],
            requires_problemstilling=True,
        ),
        Service(
            code="SNG0AG",
            code_system=CodeSystem.NCRP,
            name="MR kne",
            msg_descr="MR",
            discipline=Discipline.RADIOLOGY,
            short_name="MR kne",
            labs=[LAB_RAD.her_id],
            questions=[Q_PROBLEM, Q_PACEMAKER, Q_CLIPS, Q_CLAUSTRO],
            requires_problemstilling=True,
        ),
        Service(
            code="LOK-UL-ABD",
            code_system=CodeSystem.LOCAL,
            name="UL abdomen",
            msg_descr="UL",
            discipline=Discipline.RADIOLOGY,
            short_name="UL abdomen",
            labs=[LAB_RAD.her_id],
            questions=[Q_PROBLEM],
            requires_problemstilling=True,
        ),
    ]
}


def patient_kari() -> Patient:
    return Patient(
        id=FNR_KARI,
        family_name="Bråten",
        given_name="Kari Søvik",
        birth_date=date(1990, 3, 12),
        sex="K",
        municipality="Fjordbyen",
    )


def _item(n: int, code: str, specimen_id: str | None = None, **kw) -> OrderItem:
    return OrderItem(id=f"it{n}", service_code=code, name=SERVICES[code].name, specimen_id=specimen_id, **kw)


def _specimen(barcode: str, requisition_id: str, codes: list[str], *, draw: int, collected: bool) -> Specimen:
    first = SERVICES[codes[0]].specimen
    assert first is not None
    return Specimen(
        id=barcode,
        requisition_id=requisition_id,
        container=first.container,
        material=first.material,
        temperature=TemperatureClass.ROOM,
        lab_her_id=SERVICES[codes[0]].labs[0],
        service_codes=codes,
        volume_ml=float(len(codes)),
        order_of_draw=draw,
        collected_at=COLLECTED if collected else None,
        collected_by="Helsesekretær Ærlig" if collected else None,
    )


def make_order(*, collected: bool = True, urgent: bool = False) -> Order:
    """One order with three requisitions: medisinsk biokjemi, mikrobiologi, radiologi.

    The answers cover all three; each requisition must carry only its own.
    """
    lab_req = Requisition(
        id="rq-mbk",
        number="R2026-000101",
        kind="rekvisisjon",
        discipline=Discipline.LAB,
        lab_her_id=LAB_MBK.her_id,
        items=[
            _item(1, "NPU02192", "100000017"),
            _item(2, "NPU19748"),
            _item(3, "NOR05172", "100000025"),
            _item(4, "NPU03577"),
        ],
    )
    micro_req = Requisition(
        id="rq-mik",
        number="R2026-000102",
        kind="rekvisisjon",
        discipline=Discipline.MICRO,
        lab_her_id=LAB_MIK.her_id,
        items=[_item(5, "NPU99001", "100000041")],
    )
    rad_req = Requisition(
        id="rq-rad",
        number="H2026-000103",
        kind="henvisning",
        discipline=Discipline.RADIOLOGY,
        lab_her_id=LAB_RAD.her_id,
        items=[
            _item(6, "SSC0AA"),
            _item(7, "SSD0AD", status=ItemStatus.CANCELLED),
        ],
    )
    specimens = [
        _specimen("100000017", "rq-mbk", ["NPU02192"], draw=9, collected=collected),
        _specimen("100000033", "rq-mbk", ["NPU19748", "NPU03577"], draw=3, collected=collected),
        _specimen("100000025", "rq-mbk", ["NOR05172"], draw=4, collected=collected),
        _specimen("100000041", "rq-mik", ["NPU99001"], draw=9, collected=collected),
    ]
    answers = [
        Answer(key="fastende", value=True),
        Answer(key="svangerskapsuke", value=14),
        Answer(key="legemidler", value="Levaxin 50 µg, Ibux ved behov — «ærlig» svar"),
        Answer(key="symptomer", value="svie"),
        Answer(key="problemstilling", value="Hoste i 3 uker, røyker. Spørsmål om infiltrat/tumor?"),
        Answer(key="kreatinin", value=78.0),
        Answer(key="ubrukt", value="hører ikke til noen tjeneste"),
    ]
    created = datetime(2026, 11, 20, 9, 0, 0, tzinfo=OSLO)
    return Order(
        id="ord-1",
        patient=patient_kari(),
        requester=REQUESTER,
        office_her_id=OFFICE.her_id,
        priority=Priority.URGENT if urgent else Priority.NORMAL,
        status=OrderStatus.SAVED,
        created_at=created,
        updated_at=created,
        requisitions=[lab_req, micro_req, rad_req],
        specimens=specimens,
        answers=answers,
        comment="Pasienten er redd for stikk. Bruk sommerfugl.",
    )


LABS = {LAB_MBK.her_id: LAB_MBK, LAB_MIK.her_id: LAB_MIK, LAB_RAD.her_id: LAB_RAD, LAB_PAT.her_id: LAB_PAT}


def make_wide_order(*, collected: bool = True) -> Order:
    """An order with every kind of requisition the project sends: medisinsk biokjemi,
    mikrobiologi (NLK and a local code), patologi (histology and cytology), CT with contrast
    and MR with coded contraindications, each with the order-level fields filled in."""
    base = make_order(collected=collected)
    path_req = Requisition(
        id="rq-pat", number="R2026-000104", kind="rekvisisjon", discipline=Discipline.PATHOLOGY,
        lab_her_id=LAB_PAT.her_id, items=[_item(8, "LOK-PA-HIST", "100000058")],
    )
    cyto_req = Requisition(
        id="rq-cyt", number="R2026-000105", kind="rekvisisjon", discipline=Discipline.PATHOLOGY,
        lab_her_id=LAB_PAT.her_id, items=[_item(9, "LOK-PA-CYT", "100000066")],
    )
    ct_req = Requisition(
        id="rq-ct", number="H2026-000106", kind="henvisning", discipline=Discipline.RADIOLOGY,
        lab_her_id=LAB_RAD.her_id, items=[_item(10, "SSD0AD")],
    )
    mr_req = Requisition(
        id="rq-mr", number="H2026-000107", kind="henvisning", discipline=Discipline.RADIOLOGY,
        lab_her_id=LAB_RAD.her_id, items=[_item(11, "SNG0AG"), _item(12, "LOK-UL-ABD")],
    )
    micro = base.requisitions[1].model_copy(
        update={"items": [*base.requisitions[1].items, _item(13, "LOK-MB-STREP", "100000074")]}
    )
    specimens = [
        *base.specimens,
        _specimen("100000058", "rq-pat", ["LOK-PA-HIST"], draw=9, collected=collected),
        _specimen("100000066", "rq-cyt", ["LOK-PA-CYT"], draw=9, collected=collected),
        _specimen("100000074", "rq-mik", ["LOK-MB-STREP"], draw=9, collected=collected),
    ]
    answers = [
        *base.answers,
        Answer(key="pacemaker", value=False),
        Answer(key="klips", value=True),
        Answer(key="klaustrofobi", value=True),
        Answer(key="lokalisasjon", value="Hø. underarm"),
    ]
    return base.model_copy(
        update={
            "requisitions": [base.requisitions[0], micro, base.requisitions[2], path_req, cyto_req, ct_req, mr_req],
            "specimens": specimens,
            "answers": answers,
            "payment_category": PaymentCategory.REQUESTER,
            "copy_recipients": [
                CopyRecipient(hpr="9876543", name="Per Kopi", office_her_id="9990002", office_name="Nordby legesenter")
            ],
            "diagnosis": Diagnosis(code="L15", text="Knesymptomer/plager"),
            "clinical_info": "Vondt i kneet etter fall for 3 uker siden.",
            "modality_change_allowed": True,
        }
    )
