"""Synthetic launch bundles from a journal system (EPJ): FHIR R4 `Bundle`s built with
`fhir.resources`, for `ihr demo --epj` and the tests.

`launch_bundle` makes one for any patient of the sandbox with the observations, medication
and conditions asked for; `demo_launch_bundle` is the demo patient's, dated relative to
`today` so that its eGFR is always three weeks old. Only synthetic people: the sandbox's
fødselsnumre (month + 80) and invented names.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from ihr.epj import codes
from sandbox.seed.people import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    seed_patients,
)

DEMO_ORG_NUMBER = "999888704"  # invented (passes the mod-11 check); not a real organisation

EGFR = [(codes.LOINC, "62238-1", "eGFR CKD-EPI"), (codes.NLK, "NOR25909", "P-eGFR (CKD-EPI)")]
CREATININE = [(codes.LOINC, "2160-0", "Kreatinin"), (codes.NLK, "NPU18016", "P-Kreatinin")]
PREGNANCY_STATUS = [(codes.LOINC, "82810-3", "Graviditetsstatus")]
LAST_MENSTRUAL_PERIOD = [(codes.LOINC, "8665-2", "Første dag i siste menstruasjon")]

METFORMIN = ("A10BA02", "Metformin")
LITHIUM = ("N05AN01", "Litium")
WARFARIN = ("B01AA03", "Warfarin")
APIXABAN = ("B01AF02", "Apixaban")


@dataclass(frozen=True)
class Lab:
    """One observation: which codes, the value (a number with its unit, a yes/no for
    pregnancy, a date) and when it was taken."""

    coding: Sequence[tuple[str, str, str]]
    value: float | bool | date
    when: date
    unit: str = ""
    status: str = "final"


def _uid() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _concept(coding: Sequence[tuple[str, str, str]], text: str | None = None) -> dict[str, object]:
    concept: dict[str, object] = {"coding": [{"system": s, "code": c, "display": d} for s, c, d in coding]}
    if text:
        concept["text"] = text
    return concept


def launch_bundle(
    patient_id: str,
    *,
    family: str = "Fjellstad",
    given: str = "Ingrid",
    requester_hpr: str | None = DEMO_REQUESTER_HPR,
    office_her_id: str | None = DEMO_OFFICE_HER_ID,
    labs: Sequence[Lab] = (),
    medications: Sequence[tuple[str, str]] = (),
    conditions: Sequence[tuple[str, str, date]] = (),
    medication_date: date | None = None,
    subject_of_others: str | None = None,
) -> Bundle:
    """A launch bundle for `patient_id` (a D-nummer goes under the D-nummer system).

    `medication_date`: when the journal last confirmed the medication (dateAsserted).
    `subject_of_others`: the fødselsnummer the observations are about, when that is someone
    else (to test that such a bundle is refused).
    """
    patient_url = _uid()
    system = codes.DNR if int(patient_id[0]) >= 4 else codes.FNR
    entries = [
        BundleEntry(
            fullUrl=patient_url,
            resource=Patient.model_validate(
                {"identifier": [{"system": system, "value": patient_id}], "name": [{"family": family, "given": [given]}]}
            ),
        )
    ]
    subject: dict[str, object] = {"reference": patient_url}
    if subject_of_others is not None:
        subject = {"identifier": {"system": codes.FNR, "value": subject_of_others}}
    role: dict[str, object] = {}
    if requester_hpr is not None:
        url = _uid()
        entries.append(BundleEntry(fullUrl=url, resource=Practitioner.model_validate({
            "identifier": [{"system": codes.HPR, "value": requester_hpr}],
            "name": [{"family": "Holmvik", "given": ["Sigrid", "Aasen"]}],
        })))
        role["practitioner"] = {"reference": url}
    if office_her_id is not None:
        url = _uid()
        entries.append(BundleEntry(fullUrl=url, resource=Organization.model_validate({
            "identifier": [{"system": codes.HER, "value": office_her_id}, {"system": codes.ORGNR, "value": DEMO_ORG_NUMBER}],
            "name": "Solbakken legekontor",
        })))
        role["organization"] = {"reference": url}
    if role:
        entries.append(BundleEntry(fullUrl=_uid(), resource=PractitionerRole.model_validate(role)))
    for lab in labs:
        obs: dict[str, object] = {
            "status": lab.status,
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}],
            "code": _concept(lab.coding),
            "subject": subject,
            "effectiveDateTime": lab.when.isoformat(),
        }
        if isinstance(lab.value, bool):
            code = codes.PREGNANT if lab.value else codes.NOT_PREGNANT
            obs["valueCodeableConcept"] = _concept([(codes.SNOMED, code, "Gravid" if lab.value else "Ikke gravid")])
        elif isinstance(lab.value, date):
            obs["valueDateTime"] = lab.value.isoformat()
        else:
            obs["valueQuantity"] = {"value": lab.value, "unit": lab.unit}
        entries.append(BundleEntry(fullUrl=_uid(), resource=Observation.model_validate(obs)))
    for code, name in medications:
        entries.append(BundleEntry(fullUrl=_uid(), resource=MedicationStatement.model_validate({
            "status": "active",
            "subject": subject,
            "medicationCodeableConcept": _concept([(codes.ATC, code, name)], name),
            **({"dateAsserted": medication_date.isoformat()} if medication_date else {}),
        })))
    for code, text, when in conditions:
        entries.append(BundleEntry(fullUrl=_uid(), resource=Condition.model_validate({
            "clinicalStatus": _concept([("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")]),
            "code": _concept([(codes.ICPC2, code, text)]),
            "subject": subject,
            "recordedDate": when.isoformat(),
        })))
    return Bundle.model_validate({"type": "collection", "entry": entries})


def demo_launch_bundle(today: date) -> Bundle:
    """The demo patient's launch bundle: a fresh eGFR and creatinine (three weeks old), an
    older eGFR, not pregnant two days ago, her last period, metformin, and type 2 diabetes."""
    demo = next(p for p in seed_patients() if p.id == DEMO_PATIENT_ID)
    return launch_bundle(
        DEMO_PATIENT_ID,
        family=demo.family_name,
        given=demo.given_name,
        labs=[
            Lab(EGFR, 78.0, today - timedelta(days=21), "mL/min/{1.73_m2}"),
            Lab(EGFR, 81.0, today - timedelta(days=240), "mL/min/{1.73_m2}"),
            Lab(CREATININE, 71.0, today - timedelta(days=21), "umol/L"),
            Lab(PREGNANCY_STATUS, False, today - timedelta(days=2)),
            Lab(LAST_MENSTRUAL_PERIOD, today - timedelta(days=12), today - timedelta(days=2)),
        ],
        medications=[METFORMIN],
        medication_date=today - timedelta(days=21),
        conditions=[("T90", "Diabetes type 2", today - timedelta(days=400))],
    )
