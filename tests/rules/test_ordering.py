"""Requisitions per lab and discipline, patient sex/age limits, recent duplicates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ihr.models import Catalog, Discipline, Patient
from ihr.rules.ordering import (
    duplicate_warning,
    group_into_requisitions,
    patient_refusal,
    recent_duplicate,
    requisition_key,
    requisition_kind,
)

from .conftest import LAB_AHUS, LAB_MIKRO, LAB_OUS, RAD_OUS

TODAY = date(2026, 11, 22)


def patient(sex: str, born: date) -> Patient:
    return Patient(id="15838512345", family_name="Testesen", given_name="Kari", birth_date=born, sex=sex)  # type: ignore[arg-type]


def test_one_requisition_per_lab_and_discipline(catalog: Catalog) -> None:
    s = catalog.service
    items = [
        (s("NPU19748"), LAB_OUS), (s("RTG0001"), RAD_OUS), (s("NPU02192"), LAB_OUS), (s("NOR00004"), LAB_MIKRO),
        (s("NPU03577"), LAB_AHUS), (s("CT0001"), RAD_OUS), (s("NPU19748"), LAB_OUS),
    ]
    groups = group_into_requisitions(items)
    assert {k: [x.code for x in v] for k, v in groups.items()} == {
        (LAB_OUS, Discipline.LAB): ["NPU19748", "NPU02192"],
        (RAD_OUS, Discipline.RADIOLOGY): ["RTG0001", "CT0001"],
        (LAB_MIKRO, Discipline.MICRO): ["NOR00004"],
        (LAB_AHUS, Discipline.LAB): ["NPU03577"],
    }
    assert list(groups) == [(LAB_OUS, Discipline.LAB), (RAD_OUS, Discipline.RADIOLOGY),
                            (LAB_MIKRO, Discipline.MICRO), (LAB_AHUS, Discipline.LAB)]
    assert requisition_key(s("RTG0001"), RAD_OUS) == (RAD_OUS, Discipline.RADIOLOGY)
    assert [requisition_kind(d) for d in Discipline] == ["rekvisisjon", "rekvisisjon", "rekvisisjon", "henvisning"]


@pytest.mark.parametrize(
    ("code", "sex", "born", "reason"),
    [
        ("NOR00001", "K", date(1990, 1, 1), None),
        ("NOR00001", "M", date(1990, 1, 1), "S-hCG kan bare bestilles for kvinner"),
        ("NOR00002", "K", date(1960, 1, 1), "S-PSA kan bare bestilles for menn"),
        ("NOR00002", "M", date(2008, 11, 23), "S-PSA kan bare bestilles for pasienter fra 18 år (pasienten er 17 år)"),
        ("NOR00002", "M", date(2008, 11, 22), None),  # 18 today
        ("NOR00001", "K", date(2017, 1, 1), "S-hCG kan bare bestilles for pasienter mellom 10 og 60 år (pasienten er 9 år)"),
        ("NOR00001", "K", date(1966, 11, 22), None),  # 60 today: still within "til og med"
        ("NOR00001", "K", date(1965, 11, 22), "S-hCG kan bare bestilles for pasienter mellom 10 og 60 år (pasienten er 61 år)"),
        ("NPU19748", "M", date(1930, 1, 1), None),
    ],
)
def test_patient_limits(catalog: Catalog, code: str, sex: str, born: date, reason: str | None) -> None:
    assert patient_refusal(catalog.service(code), patient(sex, born), TODAY) == reason


def test_max_age_only(catalog: Catalog) -> None:
    child_only = catalog.service("NPU19748").model_copy(update={"max_age_years": 15})
    assert patient_refusal(child_only, patient("K", date(2000, 1, 1)), TODAY) == (
        "P-CRP kan bare bestilles for pasienter til og med 15 år (pasienten er 26 år)"
    )


def test_recent_duplicate(catalog: Catalog) -> None:
    psa = catalog.service("NOR00002")  # order_interval_days = 90
    now = datetime(2026, 11, 22, 10, 0)
    history = [
        ("NOR00002", now - timedelta(days=200)),
        ("NOR00002", now - timedelta(days=30)),
        ("NOR00002", now - timedelta(days=60)),
        ("NPU19748", now - timedelta(days=1)),
    ]
    assert recent_duplicate(psa, history, now) == now - timedelta(days=30)
    assert recent_duplicate(psa, [("NOR00002", now - timedelta(days=91))], now) is None
    assert recent_duplicate(psa, [("NOR00002", now - timedelta(days=90))], now) == now - timedelta(days=90)
    assert recent_duplicate(psa, [], now) is None
    # A service without an interval never warns.
    assert recent_duplicate(catalog.service("NPU19748"), history, now) is None
    assert duplicate_warning(psa, now - timedelta(days=30)) == "S-PSA ble bestilt 23.10.2026, for under 90 dager siden"
