"""Etterrekvirering: what may be added to a taken specimen, and the reasons when not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ihr.models import Catalog, Specimen, TemperatureClass
from ihr.rules.addons import addon_refusal
from ihr.rules.specimen_ids import make_specimen_id

from .conftest import LAB_MIKRO, LAB_OUS

TAKEN = datetime(2026, 11, 21, 8, 30)


def heparin_tube(**update: object) -> Specimen:
    fields: dict[str, object] = dict(
        id=make_specimen_id(1001), requisition_id="R1", container="LIH", material="Plasma",
        temperature=TemperatureClass.ROOM, lab_her_id=LAB_OUS, service_codes=["NPU19748", "NPU02192"],
        volume_ml=1.0, order_of_draw=3, collected_at=TAKEN, collected_by="Sekretær",
    )
    fields.update(update)
    return Specimen(**fields)  # type: ignore[arg-type]


def test_ferritin_may_be_added_to_the_crp_tube_within_stability(catalog: Catalog) -> None:
    ferritin = catalog.service("NPU19763")  # plasma, heparin tube, 24 h
    assert addon_refusal(heparin_tube(), ferritin, TAKEN + timedelta(hours=23, minutes=59)) is None
    assert addon_refusal(heparin_tube(), ferritin, TAKEN + timedelta(hours=24), catalog=catalog) is None


def test_stability_expired(catalog: Catalog) -> None:
    ferritin = catalog.service("NPU19763")
    assert addon_refusal(heparin_tube(), ferritin, TAKEN + timedelta(hours=24, minutes=1)) == (
        "Holdbarheten for P-Ferritin er 24 timer fra prøvetaking; prøven ble tatt 21.11.2026 08:30"
    )


def test_stability_with_aware_times_is_shown_in_norwegian_time(catalog: Catalog) -> None:
    taken = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)  # 08:30 in Oslo (CET)
    reason = addon_refusal(heparin_tube(collected_at=taken), catalog.service("NPU19763"), taken + timedelta(days=2))
    assert reason is not None and reason.endswith("prøven ble tatt 21.11.2026 08:30")
    assert addon_refusal(heparin_tube(collected_at=taken), catalog.service("NPU19763"), taken + timedelta(hours=1)) is None


def test_not_collected_yet(catalog: Catalog) -> None:
    assert addon_refusal(heparin_tube(collected_at=None), catalog.service("NPU19763"), TAKEN) == "Prøven er ikke registrert tatt"


def test_wrong_material_and_container(catalog: Catalog) -> None:
    hba1c = catalog.service("NPU27300")
    assert addon_refusal(heparin_tube(), hba1c, TAKEN, catalog=catalog) == (
        "B-HbA1c krever EDTA-blod i EDTA-rør 4 ml, prøven er Plasma i Heparinrør 4 ml"
    )
    assert addon_refusal(heparin_tube(), hba1c, TAKEN) == "B-HbA1c krever EDTA-blod i EDTA, prøven er Plasma i LIH"


def test_temperature_class(catalog: Catalog) -> None:
    cool = heparin_tube(temperature=TemperatureClass.COOL)
    assert addon_refusal(cool, catalog.service("NPU19763"), TAKEN) == (
        "P-Ferritin krever at prøven oppbevares i romtemperatur, denne prøven oppbevares kjølig"
    )


def test_already_on_specimen_and_imaging(catalog: Catalog) -> None:
    assert addon_refusal(heparin_tube(), catalog.service("NPU19748"), TAKEN) == "P-CRP er allerede bestilt på denne prøven"
    assert addon_refusal(heparin_tube(), catalog.service("RTG0001"), TAKEN) == (
        "Røntgen thorax er en bildeundersøkelse og kan ikke etterrekvireres på en prøve"
    )


def test_lab_light_centrifuge_and_own_tube(catalog: Catalog) -> None:
    ferritin = catalog.service("NPU19763")
    assert addon_refusal(heparin_tube(lab_her_id=LAB_MIKRO), ferritin, TAKEN) == (
        "P-Ferritin utføres ikke av laboratoriet som skal ha denne prøven"
    )
    assert addon_refusal(heparin_tube(), catalog.service("NPU10267"), TAKEN) == (
        "P-25-OH Vitamin D krever lysbeskyttet prøve, denne prøven er ikke lysbeskyttet"
    )
    assert addon_refusal(heparin_tube(), catalog.service("NPU03230"), TAKEN) == (
        "P-Kalium krever at prøven sentrifugeres innen 60 minutter"
    )
    assert addon_refusal(heparin_tube(centrifuge_within_minutes=30), catalog.service("NPU03230"), TAKEN) is None
    inr = catalog.service("NPU01685")
    citrate = heparin_tube(container="CIT", material="Citratplasma", service_codes=["X"])
    assert addon_refusal(citrate, inr, TAKEN) == "P-INR krever et eget rør og kan ikke legges til en prøve med andre analyser"


@pytest.mark.parametrize(("used", "refused"), [(3.5, False), (3.6, True)])
def test_volume_left_in_the_tube(catalog: Catalog, used: float, refused: bool) -> None:
    reason = addon_refusal(heparin_tube(volume_ml=used), catalog.service("NPU19763"), TAKEN, catalog=catalog)
    assert (reason == "Det er ikke nok materiale igjen i prøven til P-Ferritin") is refused
    assert (reason is None) is not refused
