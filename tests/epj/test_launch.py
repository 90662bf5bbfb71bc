"""The EPJ's FHIR launch bundle: read whole with `fhir.resources`, or refused in Norwegian.

Every bundle here is built with the FHIR library (`sandbox.seed.journal.launch_bundle`),
never written as JSON by hand; the invalid one is a library-made bundle with one required
element taken out.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sandbox.seed.journal import (
    EGFR,
    LAST_MENSTRUAL_PERIOD,
    METFORMIN,
    PREGNANCY_STATUS,
    Lab,
    launch_bundle,
)
from sandbox.seed.people import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    seed_patients,
)
from tui.context import LaunchFileError, read_launch_file

TODAY = date(2026, 11, 20)
OTHER_PATIENT = next(p.id for p in seed_patients() if p.id != DEMO_PATIENT_ID)


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def bundle_file(tmp_path: Path, bundle: object, mode: int = 0o600) -> Path:
    return write(tmp_path / "launch.json", bundle.model_dump_json(), mode)  # type: ignore[attr-defined]


def test_a_bundle_gives_patient_requester_office_and_what_the_journal_knows(tmp_path: Path) -> None:
    bundle = launch_bundle(
        DEMO_PATIENT_ID,
        labs=[
            Lab(EGFR, 64.0, TODAY - timedelta(days=20), "mL/min/{1.73_m2}"),
            Lab(PREGNANCY_STATUS, False, TODAY - timedelta(days=1)),
            Lab(LAST_MENSTRUAL_PERIOD, TODAY - timedelta(days=9), TODAY - timedelta(days=1)),
        ],
        medications=[METFORMIN],
        conditions=[("T90", "Diabetes type 2", TODAY - timedelta(days=300))],
    )
    ctx = read_launch_file(bundle_file(tmp_path, bundle))
    assert (ctx.patient_id, ctx.requester_hpr, ctx.office_her_id) == (DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID)
    record = ctx.journal
    assert record.org_number == "999888704"
    egfr = next(e for e in record.entries if "http://loinc.org|62238-1" in e.codes)
    assert (egfr.value, egfr.when) == (64.0, TODAY - timedelta(days=20))
    pregnancy = next(e for e in record.entries if "http://loinc.org|82810-3" in e.codes)
    assert pregnancy.value is False
    lmp = next(e for e in record.entries if "http://loinc.org|8665-2" in e.codes)
    assert lmp.value == (TODAY - timedelta(days=9)).isoformat()
    assert any("http://www.whocc.no/atc|A10BA02" in e.codes for e in record.entries if e.resource == "MedicationStatement")
    assert [(c.code, c.text) for c in record.conditions] == [("T90", "Diabetes type 2")]


def test_a_bundle_for_another_patient_than_the_one_launched_is_refused(tmp_path: Path) -> None:
    path = bundle_file(tmp_path, launch_bundle(OTHER_PATIENT, labs=[Lab(EGFR, 64.0, TODAY, "mL/min")]))
    with pytest.raises(LaunchFileError) as refused:
        read_launch_file(path, patient_id=DEMO_PATIENT_ID)
    assert str(refused.value) == (
        "EPJ-filen gjelder en annen pasient enn den programmet er startet for, og blir ikke brukt."
    )
    assert OTHER_PATIENT not in str(refused.value) and DEMO_PATIENT_ID not in str(refused.value)
    # ... and for the patient it names, it is read
    assert read_launch_file(path, patient_id=OTHER_PATIENT).patient_id == OTHER_PATIENT


def test_observations_about_someone_else_are_refused(tmp_path: Path) -> None:
    bundle = launch_bundle(DEMO_PATIENT_ID, labs=[Lab(EGFR, 64.0, TODAY, "mL/min")], subject_of_others=OTHER_PATIENT)
    with pytest.raises(LaunchFileError, match="opplysninger om en annen pasient"):
        read_launch_file(bundle_file(tmp_path, bundle))


def test_a_bundle_that_is_not_valid_fhir_is_refused_and_says_where(tmp_path: Path) -> None:
    data = json.loads(launch_bundle(DEMO_PATIENT_ID, labs=[Lab(EGFR, 64.0, TODAY, "mL/min")]).model_dump_json())
    observation = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation")
    del observation["code"]  # required by FHIR R4
    with pytest.raises(LaunchFileError) as refused:
        read_launch_file(write(tmp_path / "launch.json", json.dumps(data)))
    assert str(refused.value).startswith("EPJ-filen er ikke gyldig FHIR R4: entry.")
    assert str(refused.value).endswith("code mangler.")


def test_json_that_is_no_bundle_is_refused(tmp_path: Path) -> None:
    patient_only = launch_bundle(DEMO_PATIENT_ID).entry[0].resource  # a Patient, not a Bundle
    with pytest.raises(LaunchFileError, match="ikke gyldig FHIR R4"):
        read_launch_file(write(tmp_path / "launch.json", patient_only.model_dump_json()))
    with pytest.raises(LaunchFileError, match="ikke en FHIR-bundle i JSON"):
        read_launch_file(write(tmp_path / "launch.json", '{"resourceType": "Bundle", '))


def test_a_bundle_others_can_read_is_refused(tmp_path: Path) -> None:
    path = bundle_file(tmp_path, launch_bundle(DEMO_PATIENT_ID), mode=0o644)
    with pytest.raises(LaunchFileError) as refused:
        read_launch_file(path)
    assert "kan leses av andre enn eieren" in str(refused.value) and "chmod 600" in str(refused.value)
    path.chmod(0o600)
    assert read_launch_file(path).patient_id == DEMO_PATIENT_ID


def test_the_key_value_launch_file_is_read_as_before(tmp_path: Path) -> None:
    path = write(tmp_path / "launch.txt", f"patient = {DEMO_PATIENT_ID}\nrequester = {DEMO_REQUESTER_HPR}\n", 0o644)
    ctx = read_launch_file(path)
    assert (ctx.patient_id, ctx.requester_hpr, ctx.journal) == (DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, None)


def test_ihr_started_for_one_patient_with_another_patients_bundle_stops_in_norwegian(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = bundle_file(tmp_path, launch_bundle(OTHER_PATIENT))
    proc = subprocess.run(
        [sys.executable, "-c", f"from tui.cli import main; main(['--patient', '{DEMO_PATIENT_ID}', '--epj', '{path}'])"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "ihr: EPJ-filen gjelder en annen pasient enn den programmet er startet for, og blir ikke brukt."
    )
    assert "Traceback" not in proc.stderr and OTHER_PATIENT not in proc.stderr
