"""Synthetic test data for the printing tests: no real person anywhere."""

from __future__ import annotations

from datetime import date, datetime

from ihr.models import ContainerType, Lab, Patient, Requester, Specimen, TemperatureClass

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def synthetic_fnr(day: int, month: int, yy: int, individual: int) -> str:
    """A synthetic (Tenor) fødselsnummer: month + 80, valid check digits.

    Tries the next individual numbers until neither check digit would be 10.
    """
    for ind in range(individual, individual + 50):
        nine = f"{day:02d}{month + 80:02d}{yy:02d}{ind:03d}"
        k1 = (11 - sum(w * int(c) for w, c in zip(W1, nine, strict=False)) % 11) % 11
        if k1 == 10:
            continue
        ten = nine + str(k1)
        k2 = (11 - sum(w * int(c) for w, c in zip(W2, ten, strict=False)) % 11) % 11
        if k2 == 10:
            continue
        return ten + str(k2)
    raise AssertionError("no valid number found")


def patient(family: str = "Nordmann", given: str = "Kari", fnr: str | None = None) -> Patient:
    return Patient(
        id=fnr or synthetic_fnr(14, 3, 85, 401),
        family_name=family,
        given_name=given,
        birth_date=date(1985, 3, 14),
        sex="K",
    )


def requester() -> Requester:
    return Requester(hpr="9144889", name="Lege Ola Testlege", office_her_id="8140001")


def lab() -> Lab:
    return Lab(
        her_id="8140002",
        name="Testsykehuset, Avdeling for medisinsk biokjemi",
        short_name="TSH Med. biokjemi",
        discipline="klinisk_kjemi",
        health_region="Helse Sør-Øst",
    )


def container() -> ContainerType:
    return ContainerType(
        code="SST5", name="Serumrør med gel 5 ml", cap_colour="gul", capacity_ml=5.0,
        additive="gel", order_of_draw=2,
    )


def specimen(
    specimen_id: str = "2611220017",
    services: tuple[str, ...] = ("NPU19748", "NPU19763", "NPU03577"),
    light: bool = False,
    centrifuge: int | None = 30,
    temperature: TemperatureClass = TemperatureClass.COOL,
    collected_at: datetime | None = None,
) -> Specimen:
    return Specimen(
        id=specimen_id,
        requisition_id="R-1",
        container="SST5",
        material="Serum",
        temperature=temperature,
        lab_her_id="8140002",
        service_codes=list(services),
        volume_ml=4.5,
        order_of_draw=2,
        light_protected=light,
        centrifuge_within_minutes=centrifuge,
        collected_at=collected_at,
    )
