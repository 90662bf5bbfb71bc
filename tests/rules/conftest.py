"""A small hand-built catalog for the rules tests: realistic NLK names, containers and labs."""

from __future__ import annotations

import pytest

from ihr.models import (
    Catalog,
    CodeSystem,
    ContainerType,
    Discipline,
    Handling,
    Lab,
    Service,
    SpecimenRequirement,
    TemperatureClass,
)

LAB_OUS = "90001"
LAB_AHUS = "90002"
LAB_MIKRO = "90003"
RAD_OUS = "90010"

CONTAINERS = [
    ContainerType(code="CIT", name="Citratrør 2,7 ml", cap_colour="lyseblå", capacity_ml=2.7, additive="Natriumcitrat", order_of_draw=1),
    ContainerType(code="SST", name="Serumrør med gel 5 ml", cap_colour="gul", capacity_ml=5.0, order_of_draw=2),
    ContainerType(code="LIH", name="Heparinrør 4 ml", cap_colour="grønn", capacity_ml=4.0, additive="Litiumheparin", order_of_draw=3),
    ContainerType(code="EDTA", name="EDTA-rør 4 ml", cap_colour="lilla", capacity_ml=4.0, additive="K2-EDTA", order_of_draw=4),
    ContainerType(code="SR", name="SR-rør", cap_colour="svart", capacity_ml=1.6, order_of_draw=5),
    ContainerType(code="URIN", name="Urinrør 10 ml", cap_colour="gul", capacity_ml=10.0, order_of_draw=9),
]


def lab_service(
    code: str,
    name: str,
    material: str,
    container: str,
    volume: float,
    *,
    short_name: str | None = None,
    synonyms: tuple[str, ...] = (),
    abbreviations: tuple[str, ...] = (),
    labs: tuple[str, ...] = (LAB_OUS, LAB_AHUS),
    temperature: TemperatureClass = TemperatureClass.ROOM,
    stability_hours: float | None = 24,
    separate: bool = False,
    light: bool = False,
    centrifuge: int | None = None,
    discipline: Discipline = Discipline.LAB,
    **extra: object,
) -> Service:
    return Service(
        code=code,
        code_system=CodeSystem.NLK,
        name=name,
        discipline=discipline,
        short_name=short_name or name[:12],
        synonyms=list(synonyms),
        abbreviations=list(abbreviations),
        labs=list(labs),
        specimen=SpecimenRequirement(
            material=material,
            container=container,
            min_volume_ml=volume,
            separate_tube=separate,
            handling=Handling(temperature=temperature, stability_hours=stability_hours, light_protected=light,
                              centrifuge_within_minutes=centrifuge),
        ),
        **extra,  # type: ignore[arg-type]
    )


def imaging(code: str, name: str, *, synonyms: tuple[str, ...] = (), abbreviations: tuple[str, ...] = (), **extra: object) -> Service:
    return Service(
        code=code, code_system=CodeSystem.LOCAL, name=name, discipline=Discipline.RADIOLOGY, short_name=name[:12],
        synonyms=list(synonyms), abbreviations=list(abbreviations), labs=[RAD_OUS], requires_problemstilling=True,
        **extra,  # type: ignore[arg-type]
    )


SERVICES = [
    lab_service("NOR05172", "B-Hemoglobin", "EDTA-blod", "EDTA", 0.5, short_name="Hb", abbreviations=("Hb",), synonyms=("Blodprosent",)),
    lab_service("NPU19748", "P-CRP", "Plasma", "LIH", 0.5, short_name="CRP", abbreviations=("CRP",), synonyms=("C-reaktivt protein",)),
    lab_service("NPU27300", "B-HbA1c", "EDTA-blod", "EDTA", 0.5, short_name="HbA1c", abbreviations=("HbA1c",), synonyms=("Glykert hemoglobin", "Langtidsblodsukker")),
    lab_service("NPU02192", "P-Glukose", "Plasma", "LIH", 0.5, short_name="Glukose", synonyms=("Blodsukker",)),
    lab_service("NPU19763", "P-Ferritin", "Plasma", "LIH", 0.5, short_name="Ferritin"),
    lab_service("NPU03577", "P-TSH", "Plasma", "LIH", 0.5, short_name="TSH", abbreviations=("TSH",), synonyms=("Tyreoideastimulerende hormon", "Thyreoideastimulerende hormon")),
    lab_service("NPU03579", "P-T4 fritt", "Plasma", "LIH", 0.5, short_name="FT4", abbreviations=("FT4",)),
    lab_service("NPU18016", "P-Kreatinin", "Plasma", "LIH", 0.5, short_name="Kreatinin"),
    lab_service("NPU01685", "P-INR", "Citratplasma", "CIT", 2.7, short_name="INR", abbreviations=("INR",), separate=True, stability_hours=8),
    lab_service("NPU10267", "P-25-OH Vitamin D", "Plasma", "LIH", 1.0, short_name="Vit D", synonyms=("D-vitamin", "Kalsidiol"), light=True),
    lab_service("NPU03404", "B-SR", "Citratblod", "SR", 1.6, short_name="SR", abbreviations=("SR",), synonyms=("Senkning",)),
    lab_service("NPU14924", "U-Strimmeltest", "Urin", "URIN", 5.0, short_name="U-stix", synonyms=("Urinstix",)),
    lab_service("NPU01700", "P-Vitamin B12", "Plasma", "LIH", 0.5, short_name="B12", synonyms=("Kobalamin",)),
    lab_service("NPU19651", "P-ALAT", "Plasma", "LIH", 0.5, short_name="ALAT", abbreviations=("ALAT",)),
    lab_service("NPU03230", "P-Kalium", "Plasma", "LIH", 0.5, short_name="Kalium", abbreviations=("K",), centrifuge=60),
    lab_service("NOR00001", "S-hCG", "Serum", "SST", 1.0, short_name="hCG", sex="K", min_age_years=10, max_age_years=60,
                synonyms=("Graviditetstest",)),
    lab_service("NOR00002", "S-PSA", "Serum", "SST", 1.0, short_name="PSA", abbreviations=("PSA",), sex="M", min_age_years=18,
                order_interval_days=90, synonyms=("Prostataspesifikt antigen",)),
    lab_service("NOR00003", "Hb-Elektroforese", "EDTA-blod", "EDTA", 3.0, short_name="Hb-elfo", temperature=TemperatureClass.COOL),
    lab_service("NOR00004", "Ps-Dyrkning", "Puss", "URIN", 1.0, short_name="Dyrkning", labs=(LAB_MIKRO,), discipline=Discipline.MICRO,
                synonyms=("Bakteriologisk dyrkning",)),
    imaging("RTG0001", "Røntgen thorax", abbreviations=("Rtg thorax",), synonyms=("Lungerøntgen", "Thorax to plan")),
    imaging("CT0001", "CT abdomen med kontrast", abbreviations=("CT abd",)),
    imaging("MR0001", "MR caput", synonyms=("MR hjerne", "MR hode")),
    imaging("RTG0002", "Røntgen bekken", abbreviations=("Rtg bekken",)),
]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(version="test-1", services=SERVICES, containers=CONTAINERS, labs=[
        Lab(her_id=LAB_OUS, name="Oslo universitetssykehus, Avdeling for medisinsk biokjemi", short_name="OUS Med. biokjemi",
            discipline=Discipline.LAB, health_region="Helse Sør-Øst"),
        Lab(her_id=LAB_AHUS, name="Akershus universitetssykehus, Sentrallaboratoriet", short_name="Ahus Sentrallab",
            discipline=Discipline.LAB, health_region="Helse Sør-Øst"),
        Lab(her_id=LAB_MIKRO, name="Oslo universitetssykehus, Mikrobiologi", short_name="OUS Mikro",
            discipline=Discipline.MICRO, health_region="Helse Sør-Øst"),
        Lab(her_id=RAD_OUS, name="Oslo universitetssykehus, Radiologi", short_name="OUS Radiologi",
            discipline=Discipline.RADIOLOGY, health_region="Helse Sør-Øst"),
    ])


SERVICES.append(
    lab_service("NOR00005", "S-AMH", "Serum", "SST", 1.0, short_name="AMH", abbreviations=("AMH",),
                synonyms=("Anti-Müllersk hormon",)),
)
SERVICES.append(
    lab_service("NOR00006", "P-Protein C", "Citratplasma", "CIT", 2.7, short_name="Protein C", synonyms=("Protéin C-aktivitet",)),
)
